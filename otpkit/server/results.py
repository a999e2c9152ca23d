"""What the server's verbs hand back: plain values."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from functools import cached_property

from ..core.uri import KeyUri


@dataclass(frozen=True)
class SignUpResult:
    """A new account; ``password_cut`` says bcrypt reads only the password's first 72 bytes."""

    username: str
    password_cut: bool = False


@dataclass(frozen=True)
class Registration:
    """What ``register`` hands back, as Misskey's i/2fa/register does: {qr, url, secret, label,
    issuer}. ``label`` is the username alone; ``qr`` is the PNG as a data URL string, as Misskey
    sends it, and ``qr_png`` the same image as bytes."""

    secret: str
    uri: str
    label: str
    issuer: str
    key_uri: KeyUri = field(repr=False)

    @cached_property
    def qr_png(self) -> bytes:
        """The QR code of ``uri`` as a PNG image, drawn on first use (it takes a while)."""
        from ..core.qr import qr_png

        return qr_png(self.uri)

    @property
    def qr(self) -> str:
        """The QR code as a ``data:image/png;base64,...`` URL, the form Misskey's reply has."""
        return "data:image/png;base64," + base64.b64encode(self.qr_png).decode("ascii")

    @property
    def url(self) -> str:
        """Misskey's name for the otpauth:// URI."""
        return self.uri


@dataclass(frozen=True)
class Confirmation:
    """What ``confirm_details`` hands back: the backup codes (shown once), and which time step
    the enrollment code matched, counted from the server's step now."""

    backup_codes: list[str]
    offset: int
    step: int


@dataclass(frozen=True)
class SignInResult:
    """The outcome of one sign-in request.

    ``next`` is Misskey's answer when more is needed: "password", "captcha" or "totp".
    """

    ok: bool
    next: str | None = None
    used_backup_code: bool = False
    offset: int | None = None
    warning: str | None = None
