"""Exercises of notebook 04, Backup codes and sign-in: which backup codes survive a week of
sign-ins, the backup-code race, the sign-in limiter, and how long a stolen hashed code holds.

Also the lesson's helpers the notebook calls, so that the notebook and its exercises compute
each answer the same way: ``run_script`` (a scripted week of requests on Alice's account),
``race`` (two sign-ins with one backup code), ``retries`` (a client that keeps retrying) and
``neighbours`` (IPv6 addresses that share one limit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..attacks.race import demonstrate_backup_race
from ..core.demo import DAY, HOUR, MINUTE
from ..core.errors import OtpkitError
from ..core.otp import code_at
from ..server.policy import DJANGO_OTP, HARDENED, MISSKEY, MISSKEY_2025, Policy
from ..server.throttle import limiter_key
from .core import MatchExercise, NumberExercise
from .lesson import Enrolled, Lesson
from .registry import exercise

WRONG_PASSWORD = "correct horse battery stapel"  # Alice's typo


# -- a scripted week of requests ------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One request of the script: a sign-in or, in Settings, turning 2FA off (i/2fa/unregister),
    with backup code number ``code`` (1 to 5) or, when ``code`` is None, the app's code."""

    day: int
    text: str
    action: str = "sign_in"
    code: int | None = None
    password_ok: bool = True


SCRIPT: tuple[Step, ...] = (
    Step(1, "signs in with backup code #2", code=2),
    Step(2, "signs in with backup code #2 again", code=2),
    Step(3, "mistypes her password and gives backup code #3", code=3, password_ok=False),
    Step(
        4,
        "tries to turn 2FA off in Settings with backup code #1, but mistypes her password",
        action="unregister",
        code=1,
        password_ok=False,
    ),
    Step(5, "has her phone back and signs in with the app's code"),
)


@dataclass(frozen=True)
class Result:
    """What one step of the script did: the server's answer (its own voice), the kit's
    explanation of a refusal, and which backup codes (by number) it used up."""

    step: Step
    ok: bool
    answer: str
    explanation: str
    used_up: tuple[int, ...]


@dataclass(frozen=True)
class ScriptRun:
    """The script played on a fresh enrollment of the lesson's account."""

    results: list[Result]
    left: tuple[int, ...]  # the numbers of the backup codes still valid at the end
    warning: str | None  # the settings page's warning at the end ("partial", "none" or None)
    enrolled: Enrolled = field(repr=False)

    def describe(self) -> str:
        """Each step, the server's answer and the kit's explanation (labelled), and what is
        left at the end."""
        lines = []
        for r in self.results:
            lines.append(f"day {r.step.day}: Alice {r.step.text}")
            lines.append(f"  server: {r.answer}")
            if r.explanation:
                lines.append(f"  otpkit explains: {r.explanation}")
            if r.used_up:
                lines.append("  used up: " + ", ".join(f"#{n}" for n in r.used_up))
        left = ", ".join(f"#{n}" for n in self.left) or "none"
        lines.append(f"still valid: {left}; the settings page's warning: {self.warning!r}")
        return "\n".join(lines)


def _numbers_left(enrolled: Enrolled, user: str) -> tuple[int, ...]:
    kept = enrolled.server.stored(user)["backup_codes"]
    return tuple(n for n, c in enumerate(enrolled.backup_codes, start=1) if c in kept)


def run_script(
    lesson: Lesson, policy: Policy = MISSKEY, script: tuple[Step, ...] = SCRIPT
) -> ScriptRun:
    """Enroll the lesson's account afresh under ``policy`` and play ``script``, one step a day
    (each at the lesson's time of day, a whole number of days after enrolling)."""
    enrolled = lesson.enrolled(policy)
    server, clock, user = enrolled.server, enrolled.clock, lesson.user
    start = clock.now()
    results = []
    for step in script:
        clock.set(start + step.day * DAY)
        token = (
            code_at(enrolled.secret, clock.now(), policy.params)
            if step.code is None
            else enrolled.backup_codes[step.code - 1]
        )
        password = lesson.password if step.password_ok else WRONG_PASSWORD
        before = _numbers_left(enrolled, user)
        try:
            if step.action == "unregister":
                server.unregister(user, password, token)
                ok, answer, explanation = True, f"{policy.title} turned 2FA off", ""
            else:
                result = server.sign_in(user, password, token)
                how = "a backup code" if result.used_backup_code else "the app's code"
                ok, answer, explanation = result.ok, f"{policy.title} signed her in with {how}", ""
        except OtpkitError as exc:
            ok, answer, explanation = False, exc.answer.describe(), exc.message
        after = _numbers_left(enrolled, user)
        used = tuple(n for n in before if n not in after)
        results.append(Result(step, ok, answer, explanation, used))
    return ScriptRun(results, _numbers_left(enrolled, user), server.warning(user), enrolled)


def _why(run: ScriptRun, number: int) -> str:
    """Why backup code ``number`` is used up or still valid after the script."""
    for r in run.results:
        if number in r.used_up:
            day = f"day {r.step.day}"
            if r.ok:
                return f"used up on {day}, when Alice {r.step.text}: each code works once"
            return (
                f"used up on {day}, although that request failed: the server checked the code "
                "before the password (as Misskey's i/2fa/unregister does), and a code once "
                "checked is gone"
            )
    tried = [r for r in run.results if r.step.code == number]
    if tried:
        day = f"day {tried[0].step.day}"
        return (
            f"still valid: on {day} the sign-in stopped at the wrong password (sign-in checks "
            "the password first), so the code was never looked at"
        )
    return "still valid: no request of the script gave it"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


# -- the backup-code race -------------------------------------------------------------------


def race(lesson: Lesson, policy: Policy = MISSKEY) -> tuple[bool, bool]:
    """Two sign-ins with backup code #1 at the same moment (the second read between the first's
    read and write of the code list): whether each got in."""
    enrolled = lesson.enrolled(policy)
    enrolled.clock.advance(DAY)
    first, second = demonstrate_backup_race(
        enrolled.server, lesson.user, lesson.password, enrolled.backup_codes[0]
    )
    return bool(first.ok), not isinstance(second, OtpkitError) and bool(second.ok)


# -- the sign-in limiter --------------------------------------------------------------------


@dataclass(frozen=True)
class Retry:
    """One request of a retrying client: when (seconds after the first), and the answer."""

    at: float
    status: int
    limited: bool  # refused by the limiter (HTTP 429) before the password was looked at
    answer: str  # the server's own answer


def retries(
    lesson: Lesson,
    every: float = 5 * MINUTE,
    hours: float = 3,
    policy: Policy = MISSKEY,
    ip: str = "203.0.113.9",
) -> list[Retry]:
    """A client with an outdated saved password retries sign-in every ``every`` seconds for
    ``hours`` hours from one address: each request's answer."""
    enrolled = lesson.enrolled(policy)
    clock, start = enrolled.clock, enrolled.clock.now() + DAY
    answers = []
    count = int(hours * HOUR // every)
    for k in range(count):
        clock.set(start + k * every)
        try:
            result = enrolled.server.sign_in(lesson.user, WRONG_PASSWORD, ip=ip)
            status, answer = 200, f"{policy.title} answered HTTP 200, next {result.next!r}"
        except OtpkitError as exc:
            status, answer = exc.answer.status, exc.answer.describe()
        answers.append(Retry(k * every, status, status == 429, answer))
    return answers


@dataclass(frozen=True)
class Neighbour:
    """One request in the IPv6 demonstration: its address, whom the limiter counts, the answer."""

    address: str
    counted_as: str
    status: int  # the HTTP status of the server's answer
    answer: str  # the server's whole answer
    limited: bool


def neighbours(
    lesson: Lesson,
    policy: Policy = MISSKEY,
    network: str = "2001:db8:5:1",
    next_network: str = "2001:db8:5:2",
) -> list[Neighbour]:
    """``max_requests`` + 1 sign-ins, each from a different IPv6 address of one /64 network (two
    seconds apart), then one from the next /64 network."""
    limit = policy.rate_limit
    assert limit is not None, "this demonstration needs a policy with a sign-in limit"
    enrolled = lesson.enrolled(policy)
    clock = enrolled.clock
    clock.advance(DAY)
    addresses = [f"{network}::{n:x}" for n in range(1, limit.max_requests + 2)]
    addresses.append(f"{next_network}::1")
    rows = []
    for address in addresses:
        clock.advance(2)
        try:
            result = enrolled.server.sign_in(lesson.user, lesson.password, ip=address)
            status, answer = 200, f"{policy.title} answered HTTP 200, next {result.next!r}"
        except OtpkitError as exc:
            status, answer = exc.answer.status, exc.answer.describe()
        rows.append(Neighbour(address, limiter_key(address, limit), status, answer, status == 429))
    return rows


# -- the exercises ---------------------------------------------------------------------------


@exercise("04.1")
def codes_left(lesson: Lesson) -> MatchExercise:
    run = run_script(lesson)
    count = len(run.enrolled.backup_codes)
    numbers = range(1, count + 1)
    return MatchExercise(
        id="04.1",
        prompt=(
            f"A fresh copy of Alice's account ({MISSKEY.title}, backup codes #1 to #{count}) "
            "goes through the script above, one request a day. Afterwards, which codes are "
            f"still valid? Answer #1=..., #2=..., up to #{count}, each with valid or used."
        ),
        hint_text=(
            "A code works once. Sign-in checks the password before the code; Settings' "
            '"turn 2FA off" (i/2fa/unregister) checks the code before the password. The app\'s '
            "code is not a backup code."
        ),
        why=(
            "Still valid: "
            + ", ".join(f"#{n}" for n in run.left)
            + ". "
            + " ".join(f"#{n}: {_why(run, n)}." for n in numbers if n not in run.left)
        ),
        expected={f"#{n}": "valid" if n in run.left else "used" for n in numbers},
        values={"valid": "still valid", "used": "used up"},
        reasons={f"#{n}": _sentence(_why(run, n)) for n in numbers},
    )


@exercise("04.2")
def race_winners(lesson: Lesson) -> NumberExercise:
    today, history, atomic = (
        race(lesson, MISSKEY),
        race(lesson, MISSKEY_2025),
        race(lesson, HARDENED),
    )
    return NumberExercise(
        id="04.2",
        prompt=(
            "Alice's backup-code file was copied. She and the copier sign in with backup code #1 "
            "at the same moment: today's Misskey reads the account's list of codes for both "
            "requests before either writes the shortened list back. How many of the two "
            "sign-ins get in?"
        ),
        hint_text=(
            "Misskey checks a backup code by reading the list, removing the code, and writing "
            "the rest back, with no lock. What does the second request find when it reads?"
        ),
        why=(
            f"Both read the list while #1 was still in it: {sum(today)} sign-ins got in under "
            f"{MISSKEY.title} and {sum(history)} under {MISSKEY_2025.title}. The used-step guard "
            f"of {MISSKEY.title} covers the app's codes, not backup codes. A server that removes "
            f"the code in one transaction ({HARDENED.name}) lets {sum(atomic)} in."
        ),
        answer=sum(today),
        misses=(
            (
                sum(atomic),
                f"that is what a server that reads and removes the code in one step does "
                f"({HARDENED.name}); Misskey's read-filter-write leaves a gap, in both versions",
            ),
            (0, "the code is valid when both requests read the list"),
        ),
    )


@exercise("04.3")
def retries_that_pass(lesson: Lesson) -> NumberExercise:
    every, hours = 5 * MINUTE, 3
    run = retries(lesson, every, hours)
    passed = sum(not r.limited for r in run)
    limit = MISSKEY.rate_limit
    assert limit is not None
    forgetful = int(limit.max_requests * hours)
    first_limited = next(r.at for r in run if r.limited)
    return NumberExercise(
        id="04.3",
        prompt=(
            f"A client with an outdated saved password retries sign-in every {every / MINUTE:g} "
            f"minutes for {hours} hours, always from one IPv4 address ({len(run)} requests). "
            f"Today's Misskey allows {limit.max_requests} sign-in requests per hour per address. "
            "How many requests get past the limiter (answered 403 for the wrong password rather "
            "than 429)?"
        ),
        hint_text=(
            "Misskey's limiter records every request before judging it, the refused ones too, "
            "and counts those of the last hour."
        ),
        why=(
            f"The first {passed} pass; from minute {first_limited / MINUTE:g} on, the last hour "
            "always holds more recorded requests than the limit, because each refused retry is "
            "recorded too: the client stays out for as long as it keeps retrying."
        ),
        answer=passed,
        misses=(
            (
                forgetful,
                f"{limit.max_requests} an hour for {hours} hours would be right if refused "
                "requests were not recorded; Misskey records them, so the hour never empties",
            ),
            (
                len(run),
                f"the limit is {limit.max_requests} requests per hour, refused ones included",
            ),
        ),
    )


@exercise("04.4")
def years_to_crack(lesson: Lesson) -> NumberExercise:
    from ..attacks import YEAR, cracking_table

    scheme = DJANGO_OTP.backup
    crack = next(c for c in cracking_table([scheme]) if c.hash_name.startswith("bcrypt"))
    years = crack.expected_seconds / YEAR
    return NumberExercise(
        id="04.4",
        prompt=(
            f"A thief copies the hash of one {scheme.bits}-bit backup code (django-otp's "
            f"{scheme.length} characters) stored with {crack.hash_name}, and tries codes at the "
            f"kit's assumed {crack.guesses_per_second:,.0f} guesses a second. How many years "
            "does finding it take on average? Two significant figures."
        ),
        hint_text=(
            f"There are 2^{scheme.bits} codes; on average the right one comes after half of "
            "them. A year has 365.25 days."
        ),
        why=(
            f"2^{scheme.bits - 1} guesses / {crack.guesses_per_second:,.0f} per second = "
            f"{crack.expected_seconds:,.0f} s, or {years:.2f} years."
        ),
        answer=round(years, 2),
        tolerance=0.05,
        unit="years",
        misses=((2 * years, "that tries every code; on average the thief finds it halfway"),),
    )
