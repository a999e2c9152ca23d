"""One canonical form of a notebook: the runner writes it, git's clean filter gives it back.

Widget models are named by content, so two runs write the same bytes; a notebook JupyterLab
saved after running it (new random widget ids, no widget state saved, other counts, its own
metadata) has the same canonical form as the one the runner wrote.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest

from tests.notebook_filter import (
    WIDGET_STATE,
    WIDGET_VIEW,
    as_javascript,
    canonical,
    model_name,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
BACKUP_LIKE = "0123456789abcdef0123456789abcdef"  # 32 hex digits printed by a lesson
NAMES = "box a b la lb loose ll other lo slider".split()


def view(model_id: str, text: str, count: int | None = None) -> dict:
    data = {WIDGET_VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0}}
    data["text/plain"] = text
    if count is None:
        return nbformat.v4.new_output("display_data", data=data)
    return nbformat.v4.new_output("execute_result", data=data, execution_count=count)


def executed(rng: random.Random, counts=(1, 2), save_state: bool = True) -> dict:
    """A notebook as a kernel leaves it: random model ids, the state in a random order.

    Two cells show a widget each (a box of two, then a lone label); a button with its layout is
    in the state but shown by no output.
    """
    ids = {name: uuid.UUID(int=rng.getrandbits(128)).hex for name in NAMES}

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
        ids["other"]: model("LabelModel", value=BACKUP_LIKE, layout=f"IPY_MODEL_{ids['lo']}"),
        ids["slider"]: model("FloatSliderModel", max=300.0, step=0.5, value=-40.0),
        ids["lo"]: model("LayoutModel"),
    }
    keys = list(state)
    rng.shuffle(keys)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    first = nbformat.v4.new_code_cell("box", id="cell-1", execution_count=counts[0])
    first.outputs = [
        nbformat.v4.new_output("stream", text=f"{BACKUP_LIKE}\n"),
        view(ids["box"], "VBox()"),
    ]
    second = nbformat.v4.new_code_cell("label", id="cell-2", execution_count=counts[1])
    second.outputs = [view(ids["other"], "Label()", count=counts[1])]
    notebook.cells = [nbformat.v4.new_markdown_cell("# A lesson", id="md"), first, second]
    if save_state:
        notebook.metadata["widgets"] = {
            WIDGET_STATE: {
                "state": {key: state[key] for key in keys},
                "version_major": 2,
                "version_minor": 0,
            }
        }
    return notebook


def text(notebook: dict) -> str:
    return nbformat.writes(nbformat.from_dict(notebook)) + "\n"


def lab_saved(committed: str, rng: random.Random, rerun: bool = False) -> str:
    """What JupyterLab saves after Run All on a committed notebook: new random ids in the
    outputs beside the state it opened (it does not save widget state). With ``rerun``, cells
    were run more than once (other counts) with recordTiming on (timing in cell metadata)."""
    notebook = json.loads(committed)
    number = 7
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        if rerun:
            number += 2
            cell["execution_count"] = number
            cell["metadata"]["execution"] = {"iopub.status.busy": "2026-12-01T08:00:00.000Z"}
        for output in cell["outputs"]:
            if rerun and output.get("output_type") == "execute_result":
                output["execution_count"] = number
            if WIDGET_VIEW in output.get("data", {}):
                output["data"][WIDGET_VIEW]["model_id"] = uuid.UUID(int=rng.getrandbits(128)).hex
    # JupyterLab writes the notebook from JavaScript, where 300.0 is 300.
    return json.dumps(as_javascript(notebook), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def state_of(text_: str) -> dict:
    return json.loads(text_)["metadata"]["widgets"][WIDGET_STATE]["state"]


def test_two_runs_give_the_same_bytes():
    texts = {canonical(text(executed(random.Random(seed)))) for seed in range(8)}
    assert len(texts) == 1


def test_views_first_then_their_references_then_the_rest():
    result = canonical(text(executed(random.Random(1))))
    state = state_of(result)
    assert list(state) == sorted(state)
    names = {int(key, 16): (m["model_name"], m["state"].get("value")) for key, m in state.items()}
    assert names[1] == ("VBoxModel", None)  # the first cell's view
    assert names[2] == ("LabelModel", BACKUP_LIKE)  # the second cell's view
    assert names[3] == ("HTMLModel", "first")  # then what the views reference, depth first
    assert names[4] == ("LayoutModel", None)
    assert names[5] == ("HTMLModel", "second")
    assert names[8] == ("ButtonModel", None)  # shown by no output: after the rest
    box = state[model_name(1)]["state"]["children"]
    assert box == [f"IPY_MODEL_{model_name(3)}", f"IPY_MODEL_{model_name(5)}"]
    cells = json.loads(result)["cells"]
    assert cells[1]["outputs"][1]["data"][WIDGET_VIEW]["model_id"] == model_name(1)
    assert cells[2]["outputs"][0]["data"][WIDGET_VIEW]["model_id"] == model_name(2)


def test_a_printed_hex_code_is_left_alone():
    result = canonical(text(executed(random.Random(2))))
    assert f"{BACKUP_LIKE}\\n" in result
    assert f'"value": "{BACKUP_LIKE}"' in result


def test_canonical_form_is_a_fixed_point_in_nbformat_layout():
    once = canonical(text(executed(random.Random(3))))
    assert canonical(once) == once
    assert nbformat.writes(nbformat.reads(once, as_version=4)) + "\n" == once


def test_counts_are_renumbered_and_the_rest_of_the_metadata_kept():
    result = json.loads(canonical(text(executed(random.Random(4), counts=(5, 9)))))
    assert [c.get("execution_count") for c in result["cells"]] == [None, 1, 2]
    assert result["cells"][2]["outputs"][0]["execution_count"] == 2
    assert result["metadata"]["language_info"] == {"name": "python", "version": "3.11.7"}


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("rerun", [False, True], ids=["run-all", "rerun"])
def test_what_jupyterlab_saves_has_the_committed_form(seed, rerun):
    committed = canonical(text(executed(random.Random(seed))))
    saved = lab_saved(committed, random.Random(100 + seed), rerun=rerun)
    assert saved != committed
    assert canonical(saved) == committed
    assert canonical(canonical(saved)) == committed


def test_numbers_are_written_as_javascript_writes_them():
    assert as_javascript({"a": [300.0, -0.0, 0.5, 1e21, 7, True]}) == {
        "a": [300, 0, 0.5, 1e21, 7, True]
    }
    assert as_javascript(float("nan")) is None
    state = state_of(canonical(text(executed(random.Random(12)))))
    slider = next(m for m in state.values() if m["model_name"] == "FloatSliderModel")
    assert slider["state"] == {"max": 300, "step": 0.5, "value": -40}


def test_a_notebook_without_saved_state_names_its_views_by_place():
    result = canonical(text(executed(random.Random(5), save_state=False)))
    cells = json.loads(result)["cells"]
    assert cells[1]["outputs"][1]["data"][WIDGET_VIEW]["model_id"] == model_name(1)
    assert cells[2]["outputs"][0]["data"][WIDGET_VIEW]["model_id"] == model_name(2)
    assert canonical(result) == result


def test_a_real_change_still_shows():
    committed = canonical(text(executed(random.Random(6))))
    notebook = json.loads(lab_saved(committed, random.Random(7)))
    notebook["cells"][1]["outputs"][0]["text"] = ["something else\n"]
    assert canonical(json.dumps(notebook)) != committed


def run_filter(data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tests.notebook_filter"], input=data, capture_output=True, cwd=ROOT
    )


def test_the_filter_command_writes_the_canonical_form():
    source = text(executed(random.Random(8)))
    done = run_filter(source.encode())
    assert done.returncode == 0
    assert done.stdout.decode() == canonical(source)


@pytest.mark.parametrize("data", [b"", b"<<<<<<< HEAD\n{\n", b'{"not": "a notebook"}', b"\xff\xfe"])
def test_the_filter_passes_anything_else_through(data):
    done = run_filter(data)
    assert done.returncode == 0
    assert done.stdout == data


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_are_in_canonical_form(path):
    """Git compares a saved notebook with the committed one through the filter: a committed
    notebook not in canonical form shows as changed once JupyterLab saves it."""
    content = path.read_text(encoding="utf-8")
    assert canonical(content) == content, f"{path.name}: re-execute it with `make notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_kernelspec_is_the_one_jupyterlab_writes(path):
    from tests.notebook_runner import kernelspec

    found = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("kernelspec")
    assert found == kernelspec(), f"{path.name}: re-execute it with `make notebooks`"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("make") is None,
    reason="git and make are needed to register the filter as `make lab` does",
)
def test_git_sees_no_change_after_a_save_that_changed_nothing(tmp_path):
    """The filter as `make lab` registers it, in a scratch repository."""
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    (repo / "tests").mkdir()
    for name in ("Makefile", ".gitattributes", "tests/__init__.py", "tests/notebook_filter.py"):
        shutil.copy(ROOT / name, repo / name)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "user.name", "test")
    bin_dir = Path(sys.executable).parent
    subprocess.run(["make", "-s", "git-filter", f"BIN={bin_dir}"], cwd=repo, check=True)
    committed = canonical(text(executed(random.Random(9))))
    lesson = repo / "notebooks" / "01-lesson.ipynb"
    lesson.write_text(committed)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "lesson")
    assert git(repo, "show", "HEAD:notebooks/01-lesson.ipynb") == committed

    lesson.write_text(lab_saved(committed, random.Random(10)))
    assert git(repo, "status", "--porcelain") == ""
    # From a subfolder too: git runs the filter at the top of the work tree.
    assert git(repo / "notebooks", "status", "--porcelain") == ""
    # Cells run twice: other counts, another size. Git's status goes by the size, but its diff
    # goes through the filter, and `git add` records nothing new.
    lesson.write_text(lab_saved(committed, random.Random(11), rerun=True))
    assert git(repo, "diff") == ""
    git(repo, "add", "notebooks")
    assert git(repo, "status", "--porcelain") == ""

    notebook = json.loads(lesson.read_text())
    notebook["cells"][0]["source"] = ["# A changed lesson"]
    lesson.write_text(json.dumps(notebook, indent=1))
    assert git(repo, "status", "--porcelain") == " M notebooks/01-lesson.ipynb\n"
