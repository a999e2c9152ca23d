"""The README's Python example runs as printed."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_example_runs():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert blocks, "README has no python example"
    *body, last = blocks[0].strip().splitlines()
    namespace: dict = {}
    exec("\n".join(body), namespace)
    expression, _, expected = last.partition("#")
    assert str(eval(expression, namespace)) == expected.strip()
