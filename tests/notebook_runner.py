"""Execute notebooks in place so that running twice gives the same bytes.

Widget model ids are random uuids; they are renamed, in order of first appearance, to stable
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


def stable_ids(text: str) -> str:
    """Rename each widget model id to 000...1, 000...2, in order of first appearance.

    Only strings that stand where a model id stands are renamed, so a 32-hex-digit backup code
    printed by a lesson is left alone.
    """
    ids: list[str] = []
    for match in MODEL_ID.finditer(text):
        found = match.group(1) or match.group(2)
        if found not in ids:
            ids.append(found)
    for number, old in enumerate(ids, start=1):
        text = text.replace(old, f"{number:032x}")
    return text


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
