"""The documented enrollment procedure: nine stages, in order, driving a server and a phone."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput, StageOrderError
from .otp import is_well_formed_code, matching_offset
from .phone import Entry, Phone
from .server import Confirmation, Registration, Server


class Stage(enum.IntEnum):
    """The nine stages of Misskey's how-to guide, then DONE."""

    INSTALL_APP = 1
    OPEN_SETTINGS = 2
    OPEN_SECURITY = 3
    REGISTER_APP = 4
    ENTER_PASSWORD = 5
    SET_UP_APP = 6
    READ_CODE = 7
    ENTER_CODE = 8
    DOWNLOAD_BACKUP_CODES = 9
    DONE = 10

    @property
    def title(self) -> str:
        return _TEXT[self][0]

    @property
    def explanation(self) -> str:
        return _TEXT[self][1]


_TEXT = {
    Stage.INSTALL_APP: (
        "Install an authenticator app",
        "The phone needs an app that keeps secrets and turns the time into six-digit codes.",
    ),
    Stage.OPEN_SETTINGS: (
        "Open Settings",
        "In Misskey, the menu button leads to Settings, where the account is managed.",
    ),
    Stage.OPEN_SECURITY: (
        "Open Security",
        "The Security section holds the password and the two-factor options.",
    ),
    Stage.REGISTER_APP: (
        'Choose "Register authenticator app"',
        "Under Two-factor authentication > Authenticator App, this starts the set-up.",
    ),
    Stage.ENTER_PASSWORD: (
        "Re-enter the password",
        "The server asks for the password again, then makes a new secret and keeps it pending.",
    ),
    Stage.SET_UP_APP: (
        "Set up the app",
        "The secret travels to the app as an otpauth:// link, or as a QR code that holds it.",
    ),
    Stage.READ_CODE: (
        "Read the one-time password",
        "The app mixes the secret with the current 30-second step; the code soon changes.",
    ),
    Stage.ENTER_CODE: (
        "Enter the code and press Continue",
        "The server computes the same codes around its own time; a match proves the app has the secret.",
    ),
    Stage.DOWNLOAD_BACKUP_CODES: (
        "Download the backup codes",
        "Five single-use codes for the day the phone is lost; they are shown only this once.",
    ),
    Stage.DONE: (
        "Done",
        "Two-factor authentication is on: sign-in now asks for a code after the password.",
    ),
}

MENU_PATH = ("Settings", "Security", "Two-factor authentication", "Authenticator App")


@dataclass(frozen=True)
class StageRecord:
    """What happened at one stage, for lessons and the terminal walkthrough."""

    stage: Stage
    result: Any


class EnrollmentFlow:
    """Walks one user through the nine stages with a server and a phone, refusing steps out of order.

    A step that fails (a wrong password, a wrong code) raises and leaves the flow where it was.
    """

    def __init__(self, server: Server, phone: Phone, username: str, password: str):
        if not isinstance(server, Server) or not isinstance(phone, Phone):
            raise InvalidInput("EnrollmentFlow needs an otpkit.Server and an otpkit.Phone")
        self.server = server
        self.phone = phone
        self.username = username
        self.password = password
        self.stage = Stage.INSTALL_APP
        self.history: list[StageRecord] = []
        self.registration: Registration | None = None
        self.entry: Entry | None = None
        self.code: str | None = None
        self.backup_codes: list[str] | None = None
        self.confirmation: Confirmation | None = None

    def _expect(self, stage: Stage) -> None:
        if self.stage != stage:
            if self.stage == Stage.DONE:
                raise StageOrderError("the enrollment is already done")
            raise StageOrderError(
                f"stage {int(stage)} ({stage.title}) cannot come now: "
                f"the next stage is {int(self.stage)} ({self.stage.title})"
            )

    def _finish(self, stage: Stage, result: Any) -> Any:
        self.history.append(StageRecord(stage, result))
        self.stage = Stage(stage + 1)
        return result

    def install_app(self) -> str:
        """Stage 1: the phone's app (already chosen when the Phone was made)."""
        self._expect(Stage.INSTALL_APP)
        return self._finish(Stage.INSTALL_APP, self.phone.app.title)

    def open_settings(self) -> tuple[str, ...]:
        """Stage 2: the menu path so far."""
        self._expect(Stage.OPEN_SETTINGS)
        return self._finish(Stage.OPEN_SETTINGS, MENU_PATH[:1])

    def open_security(self) -> tuple[str, ...]:
        """Stage 3."""
        self._expect(Stage.OPEN_SECURITY)
        return self._finish(Stage.OPEN_SECURITY, MENU_PATH[:2])

    def choose_register(self) -> tuple[str, ...]:
        """Stage 4: "Register authenticator app"."""
        self._expect(Stage.REGISTER_APP)
        return self._finish(Stage.REGISTER_APP, MENU_PATH)

    def enter_password(self, password: str | None = None, token: str | None = None) -> Registration:
        """Stage 5: the server checks the password and issues a pending secret.

        On an account that already has 2FA (moving to a new phone), Misskey's dialog also asks
        for ``token``: a code from the registered app, or a backup code.
        """
        self._expect(Stage.ENTER_PASSWORD)
        typed = self.password if password is None else password
        self.registration = self.server.register(self.username, typed, token)
        return self._finish(Stage.ENTER_PASSWORD, self.registration)

    def set_up_app(self, method: str = "qr") -> Entry:
        """Stage 6: ``"qr"`` scans the QR image, ``"link"`` opens the otpauth:// link."""
        self._expect(Stage.SET_UP_APP)
        assert self.registration is not None
        if method == "qr":
            self.entry = self.phone.scan(self.registration.qr_png)
        elif method == "link":
            self.entry = self.phone.open_link(self.registration.uri)
        else:
            raise InvalidInput(f"method must be 'qr' or 'link', not {method!r}")
        return self._finish(Stage.SET_UP_APP, self.entry)

    def read_code(self) -> str:
        """Stage 7: the code the phone shows now."""
        self._expect(Stage.READ_CODE)
        self.code = self.phone.code(self.entry)
        return self._finish(Stage.READ_CODE, self.code)

    def enter_code(self, token: str | None = None) -> list[str]:
        """Stage 8: send the code (by default the one read at stage 7); returns the backup codes.

        ``confirmation`` then says which time step the code matched.
        """
        self._expect(Stage.ENTER_CODE)
        self.confirmation = self.server.confirm_details(
            self.username, self.code if token is None else token
        )
        self.backup_codes = self.confirmation.backup_codes
        return self._finish(Stage.ENTER_CODE, self.backup_codes)

    def download_backup_codes(self) -> tuple[str, str]:
        """Stage 9: the backup-code file, as (file name, text)."""
        self._expect(Stage.DOWNLOAD_BACKUP_CODES)
        assert self.backup_codes is not None
        download = self.server.backup_download(self.username, self.backup_codes)
        return self._finish(Stage.DOWNLOAD_BACKUP_CODES, download)

    def offset_of(self, token: str, search: int = 40) -> int | None:
        """Which time step ``token`` was made for, counted from the server's step now, if any.

        Looks ``search`` steps each way with the pending secret, far wider than any server
        accepts: this explains a rejection ("made 6 steps ago"), it never accepts anything.
        None when no registration exists yet, the token is malformed, or nothing matches.
        """
        if self.registration is None or not isinstance(token, str):
            return None
        params = self.server.policy.params
        cleaned = "".join(token.split())
        if not is_well_formed_code(cleaned, params.digits):
            return None
        now = self.server.clock.now()
        return matching_offset(self.registration.secret, cleaned, now, params, search)

    def advance(self) -> Any:
        """Do the current stage with its defaults and return what it gave."""
        steps = {
            Stage.INSTALL_APP: self.install_app,
            Stage.OPEN_SETTINGS: self.open_settings,
            Stage.OPEN_SECURITY: self.open_security,
            Stage.REGISTER_APP: self.choose_register,
            Stage.ENTER_PASSWORD: self.enter_password,
            Stage.SET_UP_APP: self.set_up_app,
            Stage.READ_CODE: self.read_code,
            Stage.ENTER_CODE: self.enter_code,
            Stage.DOWNLOAD_BACKUP_CODES: self.download_backup_codes,
        }
        if self.stage == Stage.DONE:
            raise StageOrderError("the enrollment is already done")
        return steps[self.stage]()

    def run(self) -> list[StageRecord]:
        """Every remaining stage, in order, up to DONE."""
        while self.stage != Stage.DONE:
            self.advance()
        return self.history
