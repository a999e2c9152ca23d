"""Execute notebooks in place so that running twice gives the same bytes.

Widget model ids are random uuids; they are renamed, in an order set by the content, to stable
ids, both in outputs and in the saved widget state, so the saved state still renders.
Usage: python -m tests.notebook_runner notebooks/*.ipynb
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MODEL_ID = re.compile(r'(?:"model_id": "|IPY_MODEL_)([0-9a-f]{32})"|"([0-9a-f]{32})": \{')


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def _model_order(notebook: dict) -> list[str]:
    """Widget model ids in an order that does not depend on the ids themselves.

    First the views the outputs show, in cell order, then every model they reference, depth
    first in the (sorted) order of each model's state; models no output shows come last, those
    that no model references first, ordered by their state and their children's, ids masked. (The saved state is keyed by random uuids, so its own
    order changes from run to run.)
    """
    state = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in order:
            return
        order.append(model_id)
        if model_id in state:
            for found in REFERENCE.findall(json.dumps(state[model_id], sort_keys=True)):
                visit(found)

    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view and "model_id" in view:
                visit(view["model_id"])

    def refs(model_id: str) -> list[str]:
        return REFERENCE.findall(json.dumps(state[model_id], sort_keys=True))

    def masked(model_id: str, seen: frozenset[str] = frozenset()) -> str:
        """The model's state and, depth first, its children's, with the ids masked."""
        text = REFERENCE.sub("IPY_MODEL_", json.dumps(state[model_id], sort_keys=True))
        children = [c for c in refs(model_id) if c in state and c not in seen]
        return text + "".join(masked(c, seen | {model_id}) for c in children)

    rest = [m for m in state if m not in order]
    referenced = {c for m in rest for c in refs(m)}
    roots = [m for m in rest if m not in referenced]
    for model_id in sorted(roots, key=masked) + sorted(rest, key=masked):
        visit(model_id)
    return order


def stable_ids(text: str) -> str:
    """Rename each widget model id to 000...1, 000...2, in a content-defined order.

    Only strings that stand where a model id stands are renamed, so a 32-hex-digit backup code
    printed by a lesson is left alone. The saved state is then re-sorted by the new ids.
    """
    ids = _model_order(json.loads(text))
    for match in MODEL_ID.finditer(text):
        found = match.group(1) or match.group(2)
        if found not in ids:
            ids.append(found)
    for number, old in enumerate(ids, start=1):
        text = text.replace(old, f"{number:032x}")
    return nbformat.writes(nbformat.reads(text, as_version=4)) + "\n"


def execute(path: Path) -> float:
    started = time.perf_counter()
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,
        # ipykernel flushes stdout on a timer, so one print can arrive in two pieces.
        coalesce_streams=True,
    )
    client.execute()
    text = nbformat.writes(notebook) + "\n"
    text = stable_ids(text)
    json.loads(text)  # still valid JSON
    path.write_text(text)
    return time.perf_counter() - started


def main(paths: list[str]) -> int:
    for name in paths:
        seconds = execute(Path(name))
        print(f"{name}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
