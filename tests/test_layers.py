"""`import otpkit` stays light, and the layers of DESIGN.md hold."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "otpkit"
CORE = {"clock", "randomness", "otp", "uri", "qr", "backup", "errors", "hashing", "report"}
ALLOWED = {
    "policy": CORE,
    "store": CORE,
    "server": CORE | {"policy", "store"},
    "apps": CORE,
    "phone": CORE | {"apps"},
    "stages": CORE | {"policy"},
    "flow": CORE | {"server", "phone", "policy", "store", "apps", "stages"},
    "cli": CORE | {"flow", "stages", "server", "phone", "apps", "policy", "store", "present"},
}
HEAVY = ["ipywidgets", "matplotlib", "IPython", "numpy", "PIL", "qrcode", "zxingcpp", "bcrypt"]


def sources(name: str) -> list[Path]:
    """The files of a layer: one module, or every module of a package."""
    folder = PACKAGE / name
    return sorted(folder.glob("*.py")) if folder.is_dir() else [PACKAGE / f"{name}.py"]


def otpkit_imports(module: Path) -> set[str]:
    """The top-level otpkit modules a file imports (its own package's modules not counted)."""
    depth = len(module.relative_to(PACKAGE).parts)  # 1: otpkit/x.py, 2: otpkit/pkg/x.py
    tree = ast.parse(module.read_text())
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level != depth:
            continue
        if node.module:
            found.add(node.module.split(".")[0])
        else:
            found.update(alias.name for alias in node.names)
    return found


def test_core_imports_nothing_above_it():
    for name in sorted(CORE | set(ALLOWED)):
        allowed = ALLOWED.get(name, CORE)
        for source in sources(name):
            used = otpkit_imports(source)
            assert used <= allowed, f"{source.relative_to(PACKAGE.parent)} imports {used - allowed}"


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
