"""The documented enrollment procedure: nine stages, in order, driving a server and a phone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import InvalidInput, StageOrderError
from ..core.otp import is_well_formed_code, matching_offset
from ..server import Confirmation, Registration, Server
from .phone import Entry, Phone
from .stages import MENU_PATH, STAGES, Stage

__all__ = ["MENU_PATH", "EnrollmentFlow", "Stage", "StageRecord"]


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
        return self._finish(Stage.OPEN_SETTINGS, Stage.OPEN_SETTINGS.info.menu)

    def open_security(self) -> tuple[str, ...]:
        """Stage 3."""
        self._expect(Stage.OPEN_SECURITY)
        return self._finish(Stage.OPEN_SECURITY, Stage.OPEN_SECURITY.info.menu)

    def choose_register(self) -> tuple[str, ...]:
        """Stage 4: "Register authenticator app"."""
        self._expect(Stage.REGISTER_APP)
        return self._finish(Stage.REGISTER_APP, Stage.REGISTER_APP.info.menu)

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
        if self.stage == Stage.DONE:
            raise StageOrderError("the enrollment is already done")
        return getattr(self, STAGES[self.stage].action)()

    def run(self) -> list[StageRecord]:
        """Every remaining stage, in order, up to DONE."""
        while self.stage != Stage.DONE:
            self.advance()
        return self.history
