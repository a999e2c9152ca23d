"""otpkit: learn, teach and test two-factor sign-in with one-time passwords (TOTP).

The public names below load on first use (PEP 562), so ``import otpkit`` costs almost nothing
and never pulls in ipywidgets, matplotlib, IPython or numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "clock": ("Clock", "FixedClock", "ManualClock", "SystemClock", "DriftingClock"),
    "randomness": ("DemoRandom",),
    "otp": (
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
    "uri": ("KeyUri", "parse_uri"),
    "qr": ("qr_png", "qr_terminal", "read_qr"),
    "backup": ("BackupScheme", "backup_file_name", "backup_file_text"),
    "errors": (
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
    "policy": (
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
    "store": ("MemoryStore", "SqliteStore"),
    "server": (
        "Server",
        "Registration",
        "Confirmation",
        "SignInResult",
        "SignUpResult",
        "Event",
    ),
    "phone": ("Phone", "Entry"),
    "flow": ("Stage", "EnrollmentFlow"),
}
_SUBMODULES = (
    "apps",
    "demo",
    "exercises",
    "sim",
    "plots",
    "widgets",
    "cli",
    "attacks",
    "attack_plots",
    "compat",
    "report",
    "race",
)
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted([*_WHERE, *_SUBMODULES])


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'otpkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from . import apps as apps
    from .backup import BackupScheme, backup_file_name, backup_file_text  # noqa: F401
    from .clock import Clock, DriftingClock, FixedClock, ManualClock, SystemClock  # noqa: F401
    from .errors import *  # noqa: F401,F403
    from .flow import EnrollmentFlow, Stage  # noqa: F401
    from .otp import OtpParams, code_at, new_secret  # noqa: F401
    from .phone import Entry, Phone  # noqa: F401
    from .policy import (  # noqa: F401
        DEVISE,
        DJANGO_OTP,
        HARDENED,
        MISSKEY,
        MISSKEY_2025,
        POLICIES,
        RFC6238,
        Policy,
    )
    from .qr import qr_png, qr_terminal, read_qr  # noqa: F401
    from .randomness import DemoRandom  # noqa: F401
    from .server import Event, Registration, Server, SignInResult  # noqa: F401
    from .store import MemoryStore, SqliteStore  # noqa: F401
    from .uri import KeyUri, parse_uri  # noqa: F401
