"""When things go wrong after enrollment (notebook 08): a lost phone, a new phone, a phone clock
that is wrong, backup codes running out, and turning two-factor sign-in off.

* ``attempt(call, *args)`` sends one request to a Server and keeps what came back, refusal or
  not, with its two voices apart: what the server itself answered (for a Misskey policy, the
  real server's status, error id and message, and its version) and what the kit explains.
* ``story(lesson)`` is the lesson's account enrolled with a phone (the phone that is later lost
  or replaced), on the lesson's clock, seed and secret.
* ``diagnose_clock`` says which time step a refused code was made for, how far off the phone's
  clock must then be, and which sign-in windows accept it.
* ``lost_phone(lesson)`` plays the whole lost-phone recovery and counts what a lesson asks about.
* ``sign_in_report`` is one sign-in, explained: the live form of notebook 08 shows it.

Nothing here reads the wall clock unless the server it is given does (live mode).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ..core import demo
from ..core.clock import DriftingClock, ManualClock
from ..core.errors import InvalidInput, InvalidToken, NoSuchUser, OtpkitError, TokenReplayed
from ..core.otp import OtpParams, is_well_formed_code, matching_offset
from ..server import Confirmation, Registration, Server, SignInResult
from ..server.policy import MISSKEY, MISSKEY_2025, Policy
from .apps import GOOGLE_AUTHENTICATOR, AppProfile
from .flow import EnrollmentFlow
from .phone import Phone

DAY = demo.DAY
# A phone whose clock was set by hand and is this many seconds behind (notebook 08's example).
HAND_SET_CLOCK = -100.0
# How far (in steps each way) the kit looks for the step a refused code was made for.
SEARCH = 40

# What each verb is called on Misskey's API, and the status it answers when it succeeds.
_ENDPOINTS = {
    "register": ("i/2fa/register", 200),
    "confirm": ("i/2fa/done", 200),
    "confirm_details": ("i/2fa/done", 200),
    "unregister": ("i/2fa/unregister", 204),
    "sign_in": ("signin", 200),
}


class LessonLike(Protocol):
    """What ``story`` needs of an ``otpkit.exercises.Lesson``."""

    user: str
    password: str

    def server(self, policy: Policy = ..., clock: ManualClock | None = ...) -> Server: ...


# --- one request, both voices -----------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One request and what came of it: ``value`` when it succeeded, ``error`` when refused."""

    endpoint: str
    who: str
    status: int
    value: Any = None
    error: OtpkitError | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    def server_said(self) -> str:
        """What the server itself answered (for Misskey policies, the real server's reply)."""
        if self.error is not None:
            return self.error.answer.describe()
        return f"{self.who} answered HTTP {self.status}{_body(self.value)}"

    def kit_says(self) -> str:
        """The kit's explanation, which the real server never gives."""
        said = self.error.message if self.error is not None else _meaning(self.value)
        return f"{said}; {self.note}" if self.note else said

    def __str__(self) -> str:
        return f"{self.server_said()}.\notpkit explains: {self.kit_says()}"


def attempt(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Attempt:
    """Call a Server's verb (``server.register``, ``.confirm``, ``.unregister``, ``.sign_in``)
    and keep its result or its refusal; any other exception is not caught."""
    server = getattr(call, "__self__", None)
    name = getattr(call, "__name__", "")
    if not isinstance(server, Server) or name not in _ENDPOINTS:
        raise InvalidInput(
            "attempt needs a Server's register, confirm, unregister or sign_in, e.g. "
            "attempt(server.sign_in, 'alice', password, code)"
        )
    endpoint, status = _ENDPOINTS[name]
    policy = server.policy
    who = policy.title if policy.dialect == "misskey" else "otpkit (a made-up reply)"
    try:
        value = call(*args, **kwargs)
    except OtpkitError as error:
        return Attempt(endpoint, who, error.status, error=error)
    return Attempt(endpoint, who, status, value=value)


def _body(value: object) -> str:
    """What the successful reply carries, in words (Misskey's field names in quotes)."""
    if isinstance(value, SignInResult) and value.next is not None:
        return f", next: {value.next!r}"
    if isinstance(value, Registration):
        return " with 'qr', 'url', 'secret', 'label' and 'issuer'"
    if isinstance(value, (Confirmation, list)):
        return " with 'backupCodes'"
    return ""


def _meaning(value: object) -> str:
    if isinstance(value, SignInResult):
        if value.ok and value.used_backup_code:
            warning = (
                f"; Misskey's settings page now warns {value.warning!r}" if value.warning else ""
            )
            return f"signed in with a backup code, which is now used up{warning}"
        if value.ok:
            return "signed in"
        return {
            "totp": "the password is right; now a code from the app (or a backup code) is needed",
            "password": "this account has 2FA: send the password, then a code",
            "captcha": "this account has no 2FA: the password (and a captcha) is all it needs",
        }.get(str(value.next), "not signed in yet")
    if isinstance(value, Registration):
        return "a new pending secret: scan its QR code with the new phone, then confirm a code"
    if isinstance(value, Confirmation):
        return f"2FA is on with this secret; {len(value.backup_codes)} new backup codes"
    if isinstance(value, list):
        return f"2FA is on with this secret; {len(value)} new backup codes"
    if value is None:
        return "2FA is off for this account"
    return repr(value)


# --- the lesson's account with its phone ------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """The lesson's account enrolled with ``phone``: what its owner holds."""

    server: Server
    clock: ManualClock
    phone: Phone
    backup_codes: tuple[str, ...]
    user: str
    password: str

    def codes_left(self) -> int:
        """How many backup codes the server still keeps for the account."""
        return len(self.server.stored(self.user)["backup_codes"])

    def next_day(self) -> float:
        """A day later (the limiter's hour is long over); returns the new time."""
        return self.clock.advance(DAY)


def story(
    lesson: LessonLike, policy: Policy = MISSKEY, app: AppProfile = GOOGLE_AUTHENTICATOR
) -> Story:
    """The lesson's account on ``lesson.server(policy)``, enrolled with a phone named "old phone"
    (scan, read the code, confirm), as notebook 01 does."""
    if not isinstance(policy, Policy):
        raise InvalidInput(f"policy must be a Policy such as otpkit.MISSKEY, not {policy!r}")
    server = lesson.server(policy)
    clock = server.clock
    if not isinstance(clock, ManualClock):
        raise InvalidInput("the lesson's server must run on a ManualClock")
    phone = Phone(DriftingClock(clock), app, name="old phone")
    flow = EnrollmentFlow(server, phone, lesson.user, lesson.password)
    flow.run()
    assert flow.backup_codes is not None
    return Story(server, clock, phone, tuple(flow.backup_codes), lesson.user, lesson.password)


def new_phone(story: Story, registration: Registration, offset: float = 0.0) -> Phone:
    """A new phone whose clock is ``offset`` seconds off, with ``registration``'s QR scanned."""
    phone = Phone(DriftingClock(story.clock, offset=offset), story.phone.app, name="new phone")
    phone.scan(registration.qr_png)
    return phone


# --- a phone clock that is wrong ---------------------------------------------------------------


@dataclass(frozen=True)
class ClockDiagnosis:
    """The kit's reading of a refused code: which step it was made for, counted from the
    server's step now (``offset``, None when no step within ``SEARCH`` matches), and what that
    says about the phone's clock. The server itself tells the user none of this."""

    offset: int | None
    period: int
    phase: float
    accepted_by: dict[str, bool]

    @property
    def error_range(self) -> tuple[float, float] | None:
        """Seconds the phone's clock is ahead (negative: behind): at least the first, less
        than the second."""
        if self.offset is None:
            return None
        return self.offset * self.period - self.phase, (self.offset + 1) * self.period - self.phase

    @property
    def behind_range(self) -> tuple[float, float] | None:
        """Seconds the phone's clock is behind: more than the first, at most the second."""
        span = self.error_range
        return None if span is None else (-span[1], -span[0])

    def __str__(self) -> str:
        if self.offset is None:
            return f"the code matches no time step within {SEARCH} steps: not a clock problem"
        low, high = self.error_range  # type: ignore[misc]
        if self.offset == 0:
            return (
                "the code is the one for the server's own step: the phone's clock is between "
                f"{-low:.0f} s behind and {high:.0f} s ahead"
            )
        way = "behind" if self.offset < 0 else "ahead"
        near, far = sorted((abs(low), abs(high)))
        takes = ", ".join(
            f"{who}: {'accepted' if ok else 'refused'}" for who, ok in self.accepted_by.items()
        )
        return (
            f"the code was made for step {self.offset:+d}, so the phone's clock is {near:.0f} to "
            f"{far:.0f} s {way}; {takes}"
        )


def diagnose_clock(
    secret: str,
    code: str,
    t: float,
    params: OtpParams | None = None,
    policies: Iterable[Policy] = (MISSKEY, MISSKEY_2025),
) -> ClockDiagnosis:
    """Which step ``code`` was made for at server time ``t``, and which policies' sign-in windows
    take it (each title -> True/False; a policy that tracks drift is judged without any)."""
    params = OtpParams() if params is None else params
    if not isinstance(code, str):
        raise InvalidInput(f"the code must be text, not {type(code).__name__}")
    cleaned = "".join(code.split())
    offset = None
    if is_well_formed_code(cleaned, params.digits):
        offset = matching_offset(secret, cleaned, t, params, SEARCH)
    accepted = {p.title: offset is not None and abs(offset) <= p.window for p in policies}
    return ClockDiagnosis(offset, params.period, t % params.period, accepted)


# --- the whole lost-phone recovery, counted ----------------------------------------------------


@dataclass(frozen=True)
class LostPhone:
    """What happened to the account in each step of the recovery (notebook 08, section 1)."""

    issued: int
    left_after_sign_in: int
    register_without_code: Attempt
    left_after_wrong_password: int
    left_after_register: int
    new_phone_confirmed: bool
    old_phone_works: bool
    new_phone_works: bool
    old_codes_tried: int
    old_codes_that_work: int
    fresh_codes: int


def lost_phone(lesson: LessonLike, policy: Policy = MISSKEY, typo: str = "x") -> LostPhone:
    """The phone is lost: sign in with backup code 1; ``register`` without a code (refused);
    with code 2 and a mistyped password (refused, code 2 used up all the same); with code 3 and
    the right password; the new phone confirms. Then the lost phone's code and the backup codes
    left from the old file are tried, each on a later day."""
    s = story(lesson, policy)
    server, user, password, codes = s.server, s.user, s.password, s.backup_codes
    s.next_day()
    server.sign_in(user, password, codes[0])
    after_sign_in = s.codes_left()
    blocked = attempt(server.register, user, password)
    attempt(server.register, user, password + typo, token=codes[1])
    after_typo = s.codes_left()
    registration = server.register(user, password, token=codes[2])
    after_register = s.codes_left()
    phone = new_phone(s, registration)
    confirmed = attempt(server.confirm_details, user, phone.code())
    fresh = len(confirmed.value.backup_codes) if confirmed.ok else 0
    s.next_day()
    old = attempt(server.sign_in, user, password, s.phone.code()).ok
    s.next_day()
    new = attempt(server.sign_in, user, password, phone.code()).ok
    unused = codes[3:]
    working = 0
    for code in unused:
        s.next_day()
        working += attempt(server.sign_in, user, password, code).ok
    return LostPhone(
        issued=len(codes),
        left_after_sign_in=after_sign_in,
        register_without_code=blocked,
        left_after_wrong_password=after_typo,
        left_after_register=after_register,
        new_phone_confirmed=confirmed.ok,
        old_phone_works=old,
        new_phone_works=new,
        old_codes_tried=len(unused),
        old_codes_that_work=working,
        fresh_codes=fresh,
    )


# --- one sign-in, explained (live mode) --------------------------------------------------------


def sign_in_report(
    server: Server, username: str, password: str, token: str | None = None
) -> Attempt:
    """Sign in and explain: how many backup codes are left after one is used, and what a refused
    code says about the phone's clock (the kit's reading; Misskey's own answer is the same
    403 for every refused code)."""
    result = attempt(server.sign_in, username, password, token or None)
    error = result.error
    try:
        kept = server.stored(username)
    except NoSuchUser:
        return _with_note(result, "enrol this account first: notebook 01, live section")
    if result.ok and result.value.used_backup_code:
        return _with_note(result, f"{len(kept['backup_codes'])} backup codes left")
    wrong_code = isinstance(error, InvalidToken) and not isinstance(error, TokenReplayed)
    if wrong_code and token and kept["secret"]:
        reading = diagnose_clock(
            kept["secret"], token, server.clock.now(), server.policy.params, (server.policy,)
        )
        if reading.offset is not None:
            return _with_note(result, f"the kit's reading: {reading}")
    return result


def _with_note(result: Attempt, note: str) -> Attempt:
    return Attempt(result.endpoint, result.who, result.status, result.value, result.error, note)
