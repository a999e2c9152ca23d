"""The one canonical form of a notebook: what the runner writes and what git stores.

The runner (tests/notebook_runner.py) writes every notebook in this form, and git's clean filter
(`make lab` and `make notebooks` register it; see .gitattributes) passes every notebook JupyterLab
saves through the same function. So opening, running and saving a lesson in JupyterLab leaves
`git status` clean when the learner changed nothing. What the form fixes, and why:

- Widget model ids. A kernel gives every widget a random id. The views the outputs show are named
  1, 2, 3... in the order they first appear; the models they reference follow, depth first; the
  models no output shows come last, ordered by their content with the ids masked. JupyterLab does
  not save widget state by default (jupyterlab_widgets' ``saveState`` is false), so a notebook it
  saves has new random ids in its outputs beside the state it was opened with: those views are
  named by position too, which gives back the ids that state uses.
- Execution counts: renumbered 1, 2, 3... in cell order, as Run All in a new kernel numbers them.
- Metadata no lesson needs: execution timing (``metadata.execution``), ``trusted``, the signature.
- Numbers as JavaScript writes them: JupyterLab saves the whole notebook from its JavaScript
  model, where 300.0 and 300 are one number (a FloatSlider's state comes back as ``"max": 300``).
- Layout: nbformat's (one-space indent, sorted keys, text split into lines, a final newline).

Everything else stays as JupyterLab writes it (the runner writes the kernelspec JupyterLab writes;
``language_info`` comes from the same kernel). That matters: when a file's size differs from the
committed one, ``git status`` reports it changed without running the filter (``git diff`` and
``git add`` do run it, and then show nothing). A notebook saved after Run All differs from the
committed one only in widget ids, which have the same length, so git compares it through the
filter. After a cell was run twice, counts can take more digits: ``git status`` may list the
notebook while ``git diff`` shows nothing, until ``git add`` refreshes the index.

Usage as git's clean filter: ``python -m tests.notebook_filter < notebook > canonical``. Input that
is not a notebook (a file in the middle of a merge, say) is passed through unchanged. Only the
standard library is used here: git runs this for each notebook whose file changed, so it starts
in a few milliseconds (importing nbformat takes over a second).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")
# Mime types nbformat stores as lists of lines besides text/*.
SPLIT_MIMES = {"application/javascript", "image/svg+xml"}

Json = Any


def model_name(number: int) -> str:
    """The stable id of the n-th model: 000...001, 000...002, ... (32 hex digits)."""
    return f"{number:032x}"


# --- layout: what nbformat.writes does, without importing nbformat ---------------------------


def _is_json_mime(mime: str) -> bool:
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def _relines_bundle(bundle: dict) -> None:
    for mime, value in list(bundle.items()):
        if _is_json_mime(mime):
            continue
        if isinstance(value, list) and all(isinstance(line, str) for line in value):
            value = "".join(value)
        if isinstance(value, str) and (mime.startswith("text/") or mime in SPLIT_MIMES):
            value = value.splitlines(True)
        bundle[mime] = value


def _relines(notebook: dict) -> None:
    """Multi-line strings as lists of lines, split where nbformat splits them."""
    for cell in notebook.get("cells", []):
        if isinstance(cell.get("source"), (str, list)):
            cell["source"] = "".join(cell["source"]).splitlines(True)
        for attachment in cell.get("attachments", {}).values():
            _relines_bundle(attachment)
        for output in cell.get("outputs", []):
            if output.get("output_type") in ("execute_result", "display_data"):
                _relines_bundle(output.get("data", {}))
            elif output.get("output_type") == "stream" and isinstance(output.get("text"), list):
                output["text"] = "".join(output["text"]).splitlines(True)
            elif output.get("output_type") == "stream" and isinstance(output.get("text"), str):
                output["text"] = output["text"].splitlines(True)


def dumps(notebook: dict) -> str:
    """The notebook as nbformat writes it to a file."""
    text = json.dumps(
        notebook, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False
    )
    return text + "\n"


# --- metadata, numbers and counts --------------------------------------------------------------


def as_javascript(value: Json) -> Json:
    """The value after a trip through JavaScript's JSON: a whole float below 1e21 is written
    without a fraction (so it reads back as an int), NaN and infinities become null."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e21 else value
    if isinstance(value, list):
        return [as_javascript(item) for item in value]
    if isinstance(value, dict):
        return {key: as_javascript(item) for key, item in value.items()}
    return value


def _transient_metadata(notebook: dict) -> None:
    """Drop what nbformat never stores, and the timing JupyterLab records when asked to."""
    metadata = notebook.setdefault("metadata", {})
    for key in ("orig_nbformat", "orig_nbformat_minor", "signature"):
        metadata.pop(key, None)
    for cell in notebook.get("cells", []):
        cell.get("metadata", {}).pop("trusted", None)
        cell.get("metadata", {}).pop("execution", None)


def _renumber(notebook: dict) -> None:
    """Execution counts 1, 2, 3... in cell order, for the cells that have one."""
    number = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code" or cell.get("execution_count") is None:
            continue
        number += 1
        cell["execution_count"] = number
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result":
                output["execution_count"] = number


# --- widget model ids --------------------------------------------------------------------------


def _state(notebook: dict) -> dict[str, Json]:
    found = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state")
    return found if isinstance(found, dict) else {}


def _output_views(notebook: dict) -> Iterator[dict]:
    """The widget-view bundles of the cells' outputs, in cell order."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW) if isinstance(output, dict) else None
            if isinstance(view, dict) and isinstance(view.get("model_id"), str):
                yield view


def _ids_in(value: Json) -> Iterator[str]:
    """Model ids a widget's state refers to, in the order of its sorted keys.

    References are ``IPY_MODEL_<id>`` strings (children, layout, style, links) and the
    ``model_id`` of widget views stored inside a model (an Output widget's outputs).
    """
    if isinstance(value, str):
        yield from REFERENCE.findall(value)
    elif isinstance(value, list):
        for item in value:
            yield from _ids_in(item)
    elif isinstance(value, dict):
        view = value.get(WIDGET_VIEW)
        if isinstance(view, dict) and isinstance(view.get("model_id"), str):
            yield view["model_id"]
        for key in sorted(value):
            if key != WIDGET_VIEW:
                yield from _ids_in(value[key])


def _rename_in(value: Json, rename: Callable[[str], str]) -> Json:
    """A copy of a state value with every reference renamed."""
    if isinstance(value, str):
        return REFERENCE.sub(lambda m: "IPY_MODEL_" + rename(m.group(1)), value)
    if isinstance(value, list):
        return [_rename_in(item, rename) for item in value]
    if isinstance(value, dict):
        renamed = {key: _rename_in(item, rename) for key, item in value.items()}
        view = renamed.get(WIDGET_VIEW)
        if isinstance(view, dict) and isinstance(view.get("model_id"), str):
            view["model_id"] = rename(view["model_id"])
        return renamed
    return value


def model_order(views: list[str], state: dict[str, Json]) -> list[str]:
    """Model ids in an order that does not depend on the ids themselves.

    First the views the outputs show, in the order they first appear; then every model they
    reference, depth first in the (sorted) order of each model's state; then the models no output
    shows: those no other model references first, then the rest, each ordered by its state and its
    children's with the ids masked. (The saved state is keyed by random ids, so its own order
    changes from run to run.)
    """
    order: dict[str, None] = dict.fromkeys(views)

    def refs(model_id: str) -> list[str]:
        return list(_ids_in(state[model_id])) if model_id in state else []

    def visit(model_id: str) -> None:
        order.setdefault(model_id)
        for child in refs(model_id):
            if child not in order:
                visit(child)

    for view in views:
        visit(view)

    def masked(model_id: str, seen: frozenset[str] = frozenset()) -> str:
        text = json.dumps(_rename_in(state[model_id], lambda _: ""), sort_keys=True)
        children = [c for c in refs(model_id) if c in state and c not in seen]
        return text + "".join(masked(c, seen | {model_id}) for c in children)

    rest = [m for m in state if m not in order]
    referenced = {c for m in rest for c in refs(m)}
    roots = [m for m in rest if m not in referenced]
    for model_id in sorted(roots, key=masked) + sorted(rest, key=masked):
        if model_id not in order:
            visit(model_id)
    return list(order)


def _rename(notebook: dict, rename: Callable[[str], str], state_too: bool) -> None:
    for view in _output_views(notebook):
        view["model_id"] = rename(view["model_id"])
    if state_too and _state(notebook):
        holder = notebook["metadata"]["widgets"][WIDGET_STATE]
        holder["state"] = {
            rename(key): _rename_in(value, rename) for key, value in holder["state"].items()
        }


def stable_widget_ids(notebook: dict) -> None:
    """Rename every widget model id to its place in ``model_order`` (in place)."""
    views = list(dict.fromkeys(view["model_id"] for view in _output_views(notebook)))
    state = _state(notebook)
    if any(view not in state for view in views):
        # Outputs whose models the saved state does not hold: saved by a front end that does not
        # save widget state (JupyterLab's default), beside the state the file was opened with.
        # Views are named by their place, as in that state.
        by_place = {view: model_name(n) for n, view in enumerate(views, start=1)}
        _rename(notebook, by_place.__getitem__, state_too=False)
        views = list(by_place.values())
    order = model_order(views, state)
    names = {old: model_name(n) for n, old in enumerate(order, start=1)}

    def rename(model_id: str) -> str:
        # A reference to a model the state does not hold keeps a name after all the others.
        return names.setdefault(model_id, model_name(len(names) + 1))

    _rename(notebook, rename, state_too=True)


# --- the whole form ----------------------------------------------------------------------------


def canonical(text: str) -> str:
    """The canonical form of a notebook's JSON text (the same for any JSON layout of it)."""
    notebook = as_javascript(json.loads(text))
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise ValueError("not a notebook")
    _relines(notebook)
    _transient_metadata(notebook)
    _renumber(notebook)
    stable_widget_ids(notebook)
    return dumps(notebook)


def main() -> int:
    data = sys.stdin.buffer.read()
    try:
        out = canonical(data.decode("utf-8")).encode("utf-8")
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        # Not UTF-8, not JSON, or not a notebook (a file in the middle of a merge): stored as is.
        print(f"notebook_filter: stored unchanged ({error})", file=sys.stderr)
        out = data
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
