"""environment.yml (for Binder and JupyterHub classrooms) and pyproject.toml name the same packages."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(
    r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?"
    r"\s*((?:(?:==|>=|<=|!=|~=|=|>|<)\s*[0-9A-Za-z.*+!]+\s*,?\s*)*)"
)
# Packages an environment needs for itself, not the kit's dependencies.
TOOLING = {"python", "pip"}
SELF = {"-e .", "."}


def _name(text: str) -> str:
    """PEP 503 normalised name: ``Zxing_CPP`` and ``zxing-cpp`` are one package."""
    return re.sub(r"[-_.]+", "-", text).lower()


def requirement(text: str) -> tuple[str, str]:
    """(normalised name, version constraint without spaces) of ``qrcode[pil] >= 7.4``."""
    match = REQUIREMENT.fullmatch(text)
    if match is None:
        raise ValueError(f"not a requirement: {text!r}")
    return _name(match.group(1)), re.sub(r"\s+", "", match.group(2))


def parse_environment(text: str) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The conda and pip dependencies of an environment.yml, and the pip entries for the repo.

    A tiny reader for the one shape the file has: top-level keys, ``dependencies:`` as a list,
    and one ``- pip:`` list inside it. Anything else is refused rather than misread.
    """
    conda: dict[str, str] = {}
    pip: dict[str, str] = {}
    local: list[str] = []
    section = None
    in_pip = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        indent = len(line) - len(line.lstrip())
        item = line.strip()
        if indent == 0:
            if not re.fullmatch(r"[a-z_]+:.*", item):
                raise ValueError(f"line {number}: expected a top-level key: {raw!r}")
            section = item.split(":")[0]
            continue
        if not item.startswith("- "):
            raise ValueError(f"line {number}: expected a list item: {raw!r}")
        value = item[2:].strip()
        if section != "dependencies":
            continue
        if indent <= 2:
            in_pip = value == "pip:"
            if not in_pip:
                name, version = requirement(value)
                conda[name] = version
        elif not in_pip:
            raise ValueError(f"line {number}: a nested list outside '- pip:': {raw!r}")
        elif value in SELF:
            local.append(value)
        else:
            name, version = requirement(value)
            pip[name] = version
    return conda, pip, local


def pyproject_requirements() -> tuple[dict[str, str], str]:
    """Runtime, lab and test dependencies of pyproject.toml, and its requires-python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in ("lab", "test"):
        lines += project["optional-dependencies"][extra]
    return dict(requirement(line) for line in lines), project["requires-python"]


@pytest.fixture(scope="module")
def environment() -> tuple[dict[str, str], dict[str, str], list[str]]:
    return parse_environment((ROOT / "environment.yml").read_text())


def test_same_packages_with_the_same_minimum_versions(environment):
    conda, pip, _ = environment
    wanted, _ = pyproject_requirements()
    listed = {**conda, **pip}
    for name in TOOLING:
        listed.pop(name, None)
    assert sorted(listed) == sorted(wanted)
    assert listed == wanted
    assert not set(conda) & set(pip), "a package is listed for conda and for pip"


def test_python_version_matches(environment):
    conda, _, _ = environment
    _, requires_python = pyproject_requirements()
    assert conda["python"] == requires_python.replace(" ", "")


def test_the_repo_itself_installs_with_pip(environment):
    conda, _, local = environment
    assert "pip" in conda
    assert len(local) == 1


def test_conda_forge_is_the_channel():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^channels:\n  - conda-forge$", text, re.MULTILINE)
    assert "defaults" not in text


@pytest.mark.parametrize(
    "text, message",
    [
        ("dependencies:\n  - pyotp>=2.12\n  - bogus: [1, 2]\n", "not a requirement"),
        ("dependencies:\n  pyotp: 1\n", "expected a list item"),
        ("dependencies:\n  - pyotp\n      - nested\n", "outside '- pip:'"),
    ],
)
def test_the_reader_refuses_shapes_it_does_not_know(text, message):
    with pytest.raises(ValueError, match=message):
        parse_environment(text)


def test_the_reader_sees_a_mismatch():
    conda, pip, local = parse_environment(
        "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - pyotp>=2.11\n"
        "  - pip\n  - pip:\n      - Zxing_CPP >= 2.2\n      - -e .\n"
    )
    assert conda == {"pyotp": ">=2.11", "pip": ""}
    assert pip == {"zxing-cpp": ">=2.2"}
    assert local == ["-e ."]
    wanted, _ = pyproject_requirements()
    assert conda["pyotp"] != wanted["pyotp"]
