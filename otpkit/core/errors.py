"""Every error the kit raises: one base class, each subclass says what went wrong and what to do.

An error holds two voices, kept apart so a learner can tell them apart:

- ``answer``: what the real server itself answered (HTTP status, its error code, error id or
  message, and whose server it was), when the error imitates one; and
- ``message`` (``str(exc)``): the kit's own explanation, which the real server never says.

Errors with no real counterpart carry an answer made up by the kit, marked ``who="otpkit"``.
"""

from __future__ import annotations

from dataclasses import dataclass

KIT = "otpkit"


@dataclass(frozen=True)
class ServerAnswer:
    """A server's reply to a refused request: its HTTP status and whatever it names the error by.

    ``who`` says whose reply it is: a real server and version ("Misskey 2026.6+") or ``"otpkit"``
    for a reply the kit made up (a comparison policy, or an error no real server has).
    """

    status: int
    code: str | None = None
    id: str | None = None
    message: str | None = None
    who: str = KIT

    @property
    def is_real(self) -> bool:
        """True when this is a real server's reply, reproduced from its source."""
        return self.who != KIT

    def describe(self) -> str:
        """One line: ``Misskey 2026.6+ answered HTTP 403, error id cdf1235b-...``."""
        parts = [f"HTTP {self.status}"]
        if self.code:
            parts.append(self.code)
        if self.id:
            parts.append(f"error id {self.id}")
        if self.message:
            parts.append(f"message {self.message!r}")
        return f"{self.who} answered " + ", ".join(parts)


class OtpkitError(Exception):
    """Base of every otpkit error.

    ``kit_code`` is the kit's own name for the kind of error. ``answer`` is the server's reply
    (see the module docstring); ``status`` and ``code`` read it.
    """

    kit_code: str = "OTPKIT_ERROR"
    default_status: int = 400

    def __init__(self, message: str, *, answer: ServerAnswer | None = None):
        super().__init__(message)
        self.message = message
        self.answer = answer if answer is not None else self.kit_answer()

    @classmethod
    def kit_answer(cls, status: int | None = None) -> ServerAnswer:
        """The reply the kit gives for this kind of error where no real server has one."""
        return ServerAnswer(
            status=cls.default_status if status is None else status, code=cls.kit_code
        )

    @property
    def status(self) -> int:
        return self.answer.status

    @property
    def code(self) -> str | None:
        return self.answer.code

    def explain(self) -> str:
        """Both voices, labelled: what the server answered, then what the kit explains."""
        return f"{self.answer.describe()}\notpkit explains: {self.message}"


class InvalidInput(OtpkitError):
    """An argument has the wrong type or shape (an empty username, a 10 kB password...)."""

    kit_code = "INVALID_PARAM"


class NoSuchUser(OtpkitError):
    """No account has that username."""

    kit_code = "NO_SUCH_USER"
    default_status = 404


class UserExists(OtpkitError):
    """sign_up was asked for a username that is already taken."""

    kit_code = "USED_USERNAME"


class IncorrectPassword(OtpkitError):
    """The password does not match the account's."""

    kit_code = "INCORRECT_PASSWORD"
    default_status = 403


class InvalidToken(OtpkitError):
    """The one-time password (or backup code) was not accepted."""

    kit_code = "INCORRECT_TOKEN"
    default_status = 403


class TokenReplayed(InvalidToken):
    """The code was right, but its time step was already used once (RFC 6238 section 5.2)."""

    kit_code = "TOKEN_REPLAYED"


class SetupNotStarted(OtpkitError):
    """confirm() was called before register(): there is no pending secret to check against."""

    kit_code = "SETUP_NOT_STARTED"


class TwoFactorNotEnabled(OtpkitError):
    """The account has no authenticator app registered."""

    kit_code = "TWO_FACTOR_NOT_ENABLED"


class RateLimited(OtpkitError):
    """Too many attempts: wait ``retry_after`` seconds."""

    kit_code = "TOO_MANY_AUTHENTICATION_FAILURES"
    default_status = 429

    def __init__(self, message: str, *, retry_after: float, answer: ServerAnswer | None = None):
        super().__init__(message, answer=answer)
        self.retry_after = retry_after


class MalformedUri(OtpkitError):
    """An otpauth:// URI is not well formed; ``part`` names the piece that is wrong."""

    kit_code = "MALFORMED_URI"

    def __init__(self, part: str, message: str):
        super().__init__(f"{part}: {message}")
        self.part = part


class QrDecodeError(OtpkitError):
    """The image holds no readable QR code."""

    kit_code = "QR_DECODE_FAILED"


class UnsupportedByApp(OtpkitError):
    """The authenticator app refuses this account (for example a secret that is too short)."""

    kit_code = "UNSUPPORTED_BY_APP"


class StageOrderError(OtpkitError):
    """A step of the enrollment flow was taken out of its documented order."""

    kit_code = "STAGE_OUT_OF_ORDER"


class StoreError(OtpkitError):
    """A store file cannot be used: missing folder, not a database, read-only, or made for another
    policy or a newer kit. The message says what to do (choose another path, delete the file...)."""

    kit_code = "STORE_UNUSABLE"
    default_status = 500
