"""Execute notebooks in place so that running twice gives the same bytes.

Each notebook runs on the python3 kernel and is then written in the canonical form of
tests/notebook_filter.py, the form git stores: widget model ids renamed in an order set by the
content (in the outputs and in the saved widget state, so the saved state still renders),
execution counts 1, 2, 3..., no machine-specific metadata. The kernelspec written is the one
JupyterLab writes for that kernel, so opening a notebook there does not change it.
Usage: python -m tests.notebook_runner notebooks/*.ipynb
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from tests.notebook_filter import canonical

KERNEL = "python3"


def kernelspec(name: str = KERNEL) -> dict[str, str]:
    """The notebook metadata JupyterLab writes for a kernel: its name, display name, language."""
    spec = KernelSpecManager().get_kernel_spec(name)
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def execute(path: Path, run_in: Path | None = None) -> float:
    """Run one notebook top to bottom and write it back in canonical form; return the seconds.

    The kernel starts in ``run_in`` (the notebook's own folder by default), so a copy elsewhere
    runs exactly as the original does.
    """
    started = time.perf_counter()
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(run_in or path.parent)}},
        record_timing=False,
        store_widget_state=True,
        # ipykernel flushes stdout on a timer, so one print can arrive in two pieces.
        coalesce_streams=True,
    )
    client.execute()
    notebook.metadata["kernelspec"] = kernelspec()
    path.write_text(canonical(nbformat.writes(notebook)), encoding="utf-8")
    return time.perf_counter() - started


def main(paths: list[str]) -> int:
    for name in paths:
        seconds = execute(Path(name))
        print(f"{name}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
