"""`import otpkit` stays light, and the layers of DESIGN.md hold."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "otpkit"
# Each room of the house, bottom to top, and the rooms it may import from (itself included).
# A module not yet moved into its folder is named by its old top-level path.
LAYER_OF = {
    "core": "core",
    "clock": "core", "randomness": "core", "otp": "core", "uri": "core", "qr": "core",
    "backup": "core", "errors": "core", "hashing": "core", "report": "core", "demo": "core",
    "server": "server", "policy": "server", "store": "server",
    "enrollment": "enrollment", "apps": "enrollment", "phone": "enrollment",
    "flow": "enrollment", "stages": "enrollment", "compat": "enrollment",
    "recovery": "enrollment",
    "sim": "sim",
    "attacks": "attacks", "race": "attacks",
    "plots": "plots", "attack_plots": "plots",
    "exercises": "exercises",
    "widgets": "widgets",
    "cli": "cli", "present": "cli",
}  # fmt: skip
BELOW = {
    "core": {"core"},
    "server": {"core", "server"},
    "enrollment": {"core", "server", "enrollment"},
    "sim": {"core", "server", "sim"},
    "attacks": {"core", "server", "enrollment", "sim", "attacks"},
    "plots": {"core", "server", "enrollment", "sim", "attacks", "plots"},
    "exercises": {"core", "server", "enrollment", "sim", "attacks", "exercises"},
    "widgets": {"core", "server", "enrollment", "sim", "attacks", "plots", "exercises", "widgets"},
    "cli": {"core", "server", "enrollment", "cli"},
}
HEAVY = ["ipywidgets", "matplotlib", "IPython", "numpy", "PIL", "qrcode", "zxingcpp", "bcrypt"]


def room(parts: tuple[str, ...]) -> str:
    """The layer of a module, from its path inside the package (``("server", "base")``)."""
    return LAYER_OF[parts[0]]


def imported_rooms(module: Path) -> set[str]:
    """The layers a file imports from, through relative imports."""
    parts = module.relative_to(PACKAGE).with_suffix("").parts
    package = parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = package[: len(package) - (node.level - 1)]
        names = [*(node.module or "").split(".")] if node.module else []
        targets = [(*base, *names)] if names else [(*base, alias.name) for alias in node.names]
        for target in targets:
            if target and target[0] != "__init__":
                found.add(room(target))
            elif not target:
                found.update(room((alias.name,)) for alias in node.names)
    return found


def every_module() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE
    )


def test_every_room_imports_only_from_below():
    for module in every_module():
        parts = module.relative_to(PACKAGE).with_suffix("").parts
        mine = room(parts)
        used = imported_rooms(module)
        assert used <= BELOW[mine], (
            f"{module.relative_to(PACKAGE.parent)} ({mine}) imports from {used - BELOW[mine]}"
        )


def test_every_module_belongs_to_a_room():
    for module in every_module():
        assert room(module.relative_to(PACKAGE).with_suffix("").parts) in BELOW


def test_the_core_folder_holds_the_core():
    moved = {p.stem for p in (PACKAGE / "core").glob("*.py")} - {"__init__"}
    assert {"clock", "otp", "uri", "qr", "backup", "errors"} <= moved
    assert (PACKAGE / "server" / "policy.py").exists() and (PACKAGE / "server" / "store").is_dir()
    for name in moved:
        assert not (PACKAGE / f"{name}.py").exists(), f"otpkit/{name}.py is left beside core/"


def test_every_module_lives_in_a_folder_named_for_its_room():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert loose == [], f"modules outside every room: {loose}"
    for module in every_module():
        parts = module.relative_to(PACKAGE).parts
        assert len(parts) > 1 and LAYER_OF[parts[0]] == parts[0], module


def test_old_module_paths_still_work():
    import importlib

    import otpkit

    for old, new in (
        ("otpkit.clock", "otpkit.core.clock"),
        ("otpkit.uri", "otpkit.core.uri"),
        ("otpkit.policy", "otpkit.server.policy"),
        ("otpkit.store", "otpkit.server.store"),
        ("otpkit.present", "otpkit.cli.present"),
    ):
        assert importlib.import_module(old) is importlib.import_module(new)
    from otpkit.otp import code_at  # noqa: F401 - the old path, as notebooks wrote it

    assert otpkit.errors is importlib.import_module("otpkit.core.errors")


def test_import_otpkit_loads_no_heavy_library():
    code = (
        "import sys, otpkit\n"
        "otpkit.Server, otpkit.Phone, otpkit.EnrollmentFlow, otpkit.code_at\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names_of_design_md_exist():
    import otpkit

    for name in [
        "FixedClock",
        "ManualClock",
        "SystemClock",
        "DriftingClock",
        "DemoRandom",
        "OtpParams",
        "code_at",
        "new_secret",
        "parse_uri",
        "KeyUri",
        "qr_png",
        "read_qr",
        "MISSKEY",
        "RFC6238",
        "HARDENED",
        "MemoryStore",
        "SqliteStore",
        "Server",
        "Phone",
        "Stage",
        "EnrollmentFlow",
        "OtpkitError",
        "IncorrectPassword",
        "InvalidToken",
        "TokenReplayed",
        "RateLimited",
        "SetupNotStarted",
        "MalformedUri",
        "QrDecodeError",
    ]:
        assert getattr(otpkit, name) is not None
    for app in ["GOOGLE_AUTHENTICATOR", "GOOGLE_AUTHENTICATOR_LEGACY", "AUTHY", "FREEOTP", "AEGIS"]:
        assert getattr(otpkit.apps, app).name
    assert "code_at" in dir(otpkit)
