"""Every error the kit raises: one base class, each subclass says what went wrong and what to do."""

from __future__ import annotations


class OtpkitError(Exception):
    """Base of every otpkit error.

    ``code`` and ``status`` carry the real server's error code and HTTP status where it has one.
    """

    code: str | None = None
    status: int | None = None

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class InvalidInput(OtpkitError):
    """An argument has the wrong type or shape (an empty username, a 10 kB password...)."""

    code = "INVALID_PARAM"
    status = 400


class NoSuchUser(OtpkitError):
    """No account has that username."""

    code = "NO_SUCH_USER"
    status = 404


class UserExists(OtpkitError):
    """sign_up was asked for a username that is already taken."""

    code = "USED_USERNAME"
    status = 400


class IncorrectPassword(OtpkitError):
    """The password does not match the account's."""

    code = "INCORRECT_PASSWORD"
    status = 403


class InvalidToken(OtpkitError):
    """The one-time password (or backup code) was not accepted."""

    code = "INCORRECT_TOKEN"
    status = 403


class TokenReplayed(InvalidToken):
    """The code was right, but its time step was already used once (RFC 6238 section 5.2)."""

    code = "TOKEN_REPLAYED"


class SetupNotStarted(OtpkitError):
    """confirm() was called before register(): there is no pending secret to check against."""

    code = "SETUP_NOT_STARTED"
    status = 400


class TwoFactorNotEnabled(OtpkitError):
    """The account has no authenticator app registered."""

    code = "TWO_FACTOR_NOT_ENABLED"
    status = 400


class RateLimited(OtpkitError):
    """Too many sign-in attempts: wait ``retry_after`` seconds."""

    code = "TOO_MANY_AUTHENTICATION_FAILURES"
    status = 429

    def __init__(self, message: str, *, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class MalformedUri(OtpkitError):
    """An otpauth:// URI is not well formed; ``part`` names the piece that is wrong."""

    code = "MALFORMED_URI"
    status = 400

    def __init__(self, part: str, message: str):
        super().__init__(f"{part}: {message}")
        self.part = part


class QrDecodeError(OtpkitError):
    """The image holds no readable QR code."""

    code = "QR_DECODE_FAILED"


class UnsupportedByApp(OtpkitError):
    """The authenticator app refuses this account (for example a secret that is too short)."""

    code = "UNSUPPORTED_BY_APP"


class StageOrderError(OtpkitError):
    """A step of the enrollment flow was taken out of its documented order."""

    code = "STAGE_OUT_OF_ORDER"
