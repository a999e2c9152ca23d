"""otpkit: learn, teach and test two-factor sign-in with one-time passwords (TOTP).

The public names below load on first use (PEP 562), so ``import otpkit`` costs almost nothing
and never pulls in ipywidgets, matplotlib, IPython or numpy.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "core.clock": ("Clock", "FixedClock", "ManualClock", "SystemClock", "DriftingClock"),
    "core.randomness": ("DemoRandom",),
    "core.otp": (
        "OtpParams",
        "code_at",
        "code_for_step",
        "hotp_code",
        "new_secret",
        "step_at",
        "seconds_left",
        "normalize_secret",
        "secret_bits",
    ),
    "core.uri": ("KeyUri", "parse_uri"),
    "core.qr": ("qr_png", "qr_terminal", "read_qr"),
    "core.backup": ("BackupScheme", "backup_file_name", "backup_file_text"),
    "core.errors": (
        "OtpkitError",
        "ServerAnswer",
        "InvalidInput",
        "NoSuchUser",
        "UserExists",
        "IncorrectPassword",
        "InvalidToken",
        "TokenReplayed",
        "SetupNotStarted",
        "TwoFactorNotEnabled",
        "RateLimited",
        "MalformedUri",
        "QrDecodeError",
        "UnsupportedByApp",
        "StageOrderError",
        "StoreError",
    ),
    "server.policy": (
        "Policy",
        "RateLimit",
        "Backoff",
        "UsedStepGuard",
        "MISSKEY",
        "MISSKEY_2025",
        "RFC6238",
        "HARDENED",
        "DJANGO_OTP",
        "DEVISE",
        "POLICIES",
        "policy_named",
    ),
    "server.store": ("MemoryStore", "SqliteStore"),
    "server": (
        "Server",
        "Registration",
        "Confirmation",
        "SignInResult",
        "SignUpResult",
        "Event",
    ),
    "enrollment.phone": ("Phone", "Entry"),
    "enrollment.flow": ("Stage", "EnrollmentFlow"),
}
# Modules that moved into a folder by layer (old name -> new place); old paths keep working.
_MOVED_TO = {
    "clock": "core.clock",
    "randomness": "core.randomness",
    "otp": "core.otp",
    "uri": "core.uri",
    "qr": "core.qr",
    "backup": "core.backup",
    "errors": "core.errors",
    "hashing": "core.hashing",
    "report": "core.report",
    "demo": "core.demo",
    "policy": "server.policy",
    "store": "server.store",
    "attack_plots": "plots.attacks",
    "flow": "enrollment.flow",
    "phone": "enrollment.phone",
    "apps": "enrollment.apps",
    "compat": "enrollment.compat",
    "recovery": "enrollment.recovery",
    "race": "attacks.race",
    "stages": "enrollment.stages",
    "present": "cli.present",
}
_MOVED = {f"{__name__}.{old}": f"{__name__}.{new}" for old, new in _MOVED_TO.items()}
_SUBMODULES = (
    "core",
    "enrollment",
    "exercises",
    "sim",
    "plots",
    "widgets",
    "cli",
    "attacks",
)
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import otpkit.clock`` still works: the old path names the module at its new place."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname not in _MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def __init__(self) -> None:
        self._specs: dict[str, Any] = {}

    def create_module(self, spec: Any) -> Any:
        module = importlib.import_module(_MOVED[spec.name])
        self._specs[spec.name] = module.__spec__  # importing under the alias overwrites it
        return module

    def exec_module(self, module: Any) -> None:
        """The module ran at its new place already; it keeps its own name and spec there."""
        own = self._specs.get(getattr(module.__spec__, "name", ""))
        if own is not None:
            module.__spec__ = own


if not any(isinstance(finder, _MovedModules) for finder in sys.meta_path):
    sys.meta_path.insert(0, _MovedModules())

__all__ = sorted([*_WHERE, *_SUBMODULES])


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES or f"{__name__}.{name}" in _MOVED:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'otpkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .core.backup import BackupScheme, backup_file_name, backup_file_text  # noqa: F401
    from .core.clock import Clock, DriftingClock, FixedClock, ManualClock, SystemClock  # noqa: F401
    from .core.errors import *  # noqa: F401,F403
    from .core.otp import OtpParams, code_at, new_secret  # noqa: F401
    from .core.qr import qr_png, qr_terminal, read_qr  # noqa: F401
    from .core.randomness import DemoRandom  # noqa: F401
    from .core.uri import KeyUri, parse_uri  # noqa: F401
    from .enrollment import apps as apps
    from .enrollment.flow import EnrollmentFlow, Stage  # noqa: F401
    from .enrollment.phone import Entry, Phone  # noqa: F401
    from .server import Event, Registration, Server, SignInResult  # noqa: F401
    from .server.policy import (  # noqa: F401
        DEVISE,
        DJANGO_OTP,
        HARDENED,
        MISSKEY,
        MISSKEY_2025,
        POLICIES,
        RFC6238,
        Policy,
    )
    from .server.store import MemoryStore, SqliteStore  # noqa: F401
