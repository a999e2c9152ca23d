"""A phone with an authenticator app: it scans a QR image (or opens a link) and shows codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.clock import Clock
from ..core.errors import InvalidInput, OtpkitError
from ..core.otp import OtpParams, code_at, seconds_left
from ..core.qr import read_qr
from ..core.uri import KeyUri, parse_uri
from .apps import GOOGLE_AUTHENTICATOR, AppProfile


@dataclass(frozen=True)
class Entry:
    """One account in the app: what the URI said, and what the app really uses."""

    key: KeyUri
    params: OtpParams
    ignored: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.key.label

    @property
    def secret(self) -> str:
        return self.key.secret


class Phone:
    """A phone whose own clock (often a DriftingClock) drives the codes its app shows."""

    def __init__(self, clock: Clock, app: AppProfile = GOOGLE_AUTHENTICATOR, name: str = "phone"):
        if not callable(getattr(clock, "now", None)):
            raise InvalidInput("a phone needs a clock, e.g. otpkit.DriftingClock(base, offset=20)")
        if not isinstance(app, AppProfile):
            raise InvalidInput(f"app must be one of otpkit.apps' profiles, not {app!r}")
        self.clock = clock
        self.app = app
        self.name = name
        self.entries: list[Entry] = []

    def scan(self, image: Any) -> Entry:
        """Point the camera at a QR image (PNG bytes or PIL image): the app decodes it itself."""
        return self.open_link(read_qr(image))

    def open_link(self, uri: str) -> Entry:
        """Open an otpauth:// link (the "Launch App" button); returns the new entry."""
        key = parse_uri(uri)
        params, ignored = self.app.reading_of(key)
        entry = Entry(key=key, params=params, ignored=ignored)
        self.entries.append(entry)
        return entry

    def code(self, entry: Entry | None = None) -> str:
        """The code the app shows now for ``entry`` (by default the newest), by the phone's clock."""
        return code_at(self._entry(entry).secret, self.clock.now(), self._entry(entry).params)

    def seconds_left(self, entry: Entry | None = None) -> float:
        """Seconds until the shown code changes, by the phone's clock."""
        return seconds_left(self.clock.now(), self._entry(entry).params.period)

    def _entry(self, entry: Entry | None) -> Entry:
        if entry is None:
            if not self.entries:
                raise OtpkitError(
                    "the app has no accounts yet: scan a QR code or open a link first"
                )
            return self.entries[-1]
        if not isinstance(entry, Entry):
            raise InvalidInput(f"expected an Entry from scan() or open_link(), not {entry!r}")
        return entry

    def __repr__(self) -> str:
        return f"Phone({self.app.title}, {len(self.entries)} accounts)"
