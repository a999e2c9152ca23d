"""The notebook runner names widget models by content, so two runs write the same bytes."""

from __future__ import annotations

import json
import random
import uuid

import nbformat

from tests.notebook_runner import stable_ids

BACKUP_LIKE = "0123456789abcdef0123456789abcdef"  # 32 hex digits printed by a lesson


def executed_text(rng: random.Random) -> str:
    """A notebook as nbclient leaves it: random model ids, the state in a random order."""
    ids = {
        name: uuid.UUID(int=rng.getrandbits(128)).hex for name in "box a b la lb loose ll".split()
    }

    def model(name: str, **state: object) -> dict:
        return {"model_name": name, "model_module": "@jupyter-widgets/controls", "state": state}

    state = {
        ids["box"]: model("VBoxModel", children=[f"IPY_MODEL_{ids['a']}", f"IPY_MODEL_{ids['b']}"]),
        ids["a"]: model("HTMLModel", value="first", layout=f"IPY_MODEL_{ids['la']}"),
        ids["b"]: model("HTMLModel", value="second", layout=f"IPY_MODEL_{ids['lb']}"),
        ids["la"]: model("LayoutModel"),
        ids["lb"]: model("LayoutModel"),
        ids["loose"]: model("ButtonModel", layout=f"IPY_MODEL_{ids['ll']}"),
        ids["ll"]: model("LayoutModel"),
    }
    keys = list(state)
    rng.shuffle(keys)
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("w", id="cell-1")
    cell.outputs = [
        nbformat.v4.new_output("stream", text=f"{BACKUP_LIKE}\n"),
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {
                    "model_id": ids["box"],
                    "version_major": 2,
                    "version_minor": 0,
                },
                "text/plain": "VBox()",
            },
        ),
    ]
    notebook.cells = [cell]
    notebook.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {key: state[key] for key in keys},
            "version_major": 2,
            "version_minor": 0,
        }
    }
    return nbformat.writes(notebook) + "\n"


def test_two_runs_give_the_same_bytes():
    texts = {stable_ids(executed_text(random.Random(seed))) for seed in range(8)}
    assert len(texts) == 1


def test_ids_follow_the_outputs_then_the_references():
    text = stable_ids(executed_text(random.Random(1)))
    notebook = json.loads(text)
    state = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert list(state) == sorted(state)
    names = {key: (m["model_name"], m["state"].get("value")) for key, m in state.items()}
    assert names[f"{1:032x}"] == ("VBoxModel", None)
    assert names[f"{2:032x}"] == ("HTMLModel", "first")
    assert names[f"{3:032x}"] == ("LayoutModel", None)
    assert names[f"{4:032x}"] == ("HTMLModel", "second")
    assert names[f"{6:032x}"] == ("ButtonModel", None)  # shown by no output: after the rest
    view = notebook["cells"][0]["outputs"][1]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == f"{1:032x}"


def test_a_printed_hex_code_is_left_alone():
    text = stable_ids(executed_text(random.Random(2)))
    assert BACKUP_LIKE in text
