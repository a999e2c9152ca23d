"""Time each notebook's execution, kernel start included, on a temporary copy.

Usage: python benchmarks/bench_notebooks.py [notebooks/NN-name.ipynb ...]
Prints seconds per notebook and flags any over the 10 s target (the exit status stays 0:
this reports, it does not gate).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.notebook_runner import execute  # noqa: E402

TARGET = 10.0


def main(names: list[str]) -> int:
    paths = [Path(n) for n in names] or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            copy = Path(tmp) / path.name
            shutil.copy(path, copy)
            seconds = execute(copy)
            flag = "  over the 10 s target" if seconds > TARGET else ""
            print(f"{path.name:40} {seconds:6.1f} s{flag}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
