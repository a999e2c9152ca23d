"""Every notebook is committed executed, navigable, parameterised, and replays byte for byte."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
INDEX = "00-index.ipynb"
# A Markdown link to a notebook, optionally to an anchor inside it: [text](02-x.ipynb#part)
LINK = re.compile(r"\]\(\s*<?([^)\s>#]+\.ipynb)(?:#[^)\s]*)?>?\s*\)")


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def links(source: str) -> list[str]:
    return [target for target in LINK.findall(source) if "://" not in target]


def test_there_are_notebooks_and_an_index():
    assert (NOTEBOOKS / INDEX).is_file()
    assert len(PATHS) >= 2


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_code_cells_have_stored_outputs(path):
    unrun = [
        i
        for i, cell in enumerate(read(path).cells)
        if cell.cell_type == "code" and cell.execution_count is None
    ]
    assert not unrun, f"{path.name}: code cells {unrun} were never run; use `make notebooks`"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_navigation_at_top_and_bottom(path):
    cells = read(path).cells
    for where, cell in (("first", cells[0]), ("last", cells[-1])):
        assert cell.cell_type == "markdown", f"{path.name}: the {where} cell is not navigation"
        targets = links(cell.source)
        assert targets, f"{path.name}: the {where} cell links to no notebook"
        if path.name != INDEX:
            assert INDEX in targets, f"{path.name}: the {where} cell has no link to the contents"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_has_a_parameters_cell(path):
    tagged = [
        cell
        for cell in read(path).cells
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", [])
    ]
    assert len(tagged) == 1, f"{path.name}: needs exactly one code cell tagged 'parameters'"
    assert tagged[0].source.strip(), f"{path.name}: the parameters cell is empty"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_links_to_notebooks_resolve(path):
    broken = sorted(
        {
            target
            for cell in read(path).cells
            if cell.cell_type == "markdown"
            for target in links(cell.source)
            if not (path.parent / target).is_file()
        }
    )
    assert not broken, f"{path.name}: links to missing notebooks {broken}"


def test_link_pattern():
    text = "[a](00-index.ipynb) [b](02-x.ipynb#part) [c](https://x.org/y.ipynb) [d](notes.md)"
    assert links(text) == ["00-index.ipynb", "02-x.ipynb"]


@pytest.mark.slow
@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_reexecuting_a_notebook_changes_no_byte(path, tmp_path):
    """nbval compares outputs; this compares everything, widget state included."""
    from .notebook_runner import execute

    copy = tmp_path / path.name
    shutil.copy(path, copy)
    execute(copy, run_in=path.parent)
    assert copy.read_text() == path.read_text(), (
        f"re-running {path.name} changes it: run `make notebooks` and commit the result"
    )
