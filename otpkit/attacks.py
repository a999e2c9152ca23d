"""Simulated attacks on two-factor sign-in, run against each Policy.

* online guessing: RFC 4226 section 6's odds, the time to a 50% chance of a break-in, a Monte
  Carlo check, and the same attack played against a real :class:`otpkit.Server`;
* exponential back-off: how many guesses one account can be sent per hour or day;
* replay of a code that was already used, and a real-time phishing relay;
* leaks: a photo of the enrollment QR code, and a copy of what the server stores.

The attacker is always assumed to know the password: these are attacks on the second factor.
Servers run on a :class:`otpkit.ManualClock` started at ``at`` and draw their secrets from
``DemoRandom(seed)``; the account is the lessons' one (``otpkit.demo``: alice and her password),
so with the lesson's ``at`` and ``seed`` the victim's secret is the one every notebook shows.
Guesses come from an injected ``numpy.random.Generator``. Nothing here reads the wall clock.
Bad input raises :class:`otpkit.errors.InvalidInput`.

Every result names the policy it was measured on twice: ``policy`` (its name, "misskey") and
``title`` (what a lesson shows, e.g. "Misskey 2026.6+"), so that a table or a figure can always
say which Misskey it is about.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import demo
from .backup import BackupScheme
from .clock import ManualClock
from .errors import InvalidInput, InvalidToken, RateLimited, TokenReplayed
from .otp import code_at, code_for_step, step_at
from .policy import Backoff, Policy, RateLimit
from .qr import read_qr
from .randomness import DemoRandom
from .server import Server
from .uri import parse_uri

HOUR = demo.HOUR
DAY = demo.DAY
YEAR = demo.YEAR
AT = demo.AT
# An assumption, not a measurement: requests per second one attacker sends when nothing slows it.
ATTACKER_RATE = 10.0
USER = demo.USER
PASSWORD = demo.PASSWORD
VICTIM_IP = "192.0.2.10"
ATTACKER_IP = "198.51.100.66"


# --- checking input ------------------------------------------------------------------------


def _policy(policy: object) -> Policy:
    if not isinstance(policy, Policy):
        raise InvalidInput(f"expected a Policy such as otpkit.MISSKEY, not {policy!r}")
    return policy


def _whole(value: object, name: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidInput(f"{name} must be a whole number, not {value!r}")
    if value < low:
        raise InvalidInput(f"{name} must be at least {low}, not {value!r}")
    return int(value)


def _positive(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidInput(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput(f"{name} must be a finite number above 0, not {value!r}")
    return float(value)


def _generator(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise InvalidInput(
            f"rng must be a numpy Generator, e.g. np.random.default_rng(7), not {rng!r}"
        )
    return rng


# --- the servers compared ---------------------------------------------------------------------


def policy_overview(policies: Iterable[Policy], width: int = 100) -> str:
    """A two-column text table: each policy's title (with its version, for Misskey) and its
    one-line summary, wrapped to ``width`` characters."""
    chosen = [_policy(p) for p in policies]
    if not chosen:
        raise InvalidInput("give at least one Policy")
    left = max(len("policy"), *(len(p.title) for p in chosen))
    right = max(20, _whole(width, "width", 40) - left - 2)
    lines = [f"{'policy':<{left}}  summary (the kit's own words)", f"{'-' * left}  {'-' * right}"]
    for p in chosen:
        wrapped = textwrap.wrap(p.summary or "(no summary)", right, break_on_hyphens=False) or [""]
        lines.append(f"{p.title:<{left}}  {wrapped[0]}")
        lines.extend(f"{'':<{left}}  {more}" for more in wrapped[1:])
    return "\n".join(lines)


# --- online guessing: the closed form --------------------------------------------------------


def accepted_codes(window: int) -> int:
    """How many codes a server accepts at any moment: the current step and ``window`` each way."""
    return 2 * _whole(window, "window") + 1


def rfc4226_odds(accepted: int, attempts: float, digits: int = 6) -> float:
    """RFC 4226 section 6: P = s * v / 10^d, for s accepted codes, v attempts, d digits.

    This is an upper bound on the chance that v random guesses hit one of s codes; it is close to
    the exact value while it is small.
    """
    s = _whole(accepted, "accepted codes", 1)
    if isinstance(attempts, bool) or not isinstance(attempts, (int, float, np.integer)):
        raise InvalidInput(f"attempts must be a number, not {attempts!r}")
    if not math.isfinite(attempts) or attempts < 0:
        raise InvalidInput(f"attempts must be a finite number >= 0, not {attempts!r}")
    d = _whole(digits, "digits", 1)
    return s * float(attempts) / 10**d


def per_ip_rate(limit: RateLimit) -> float:
    """Requests per hour one address can keep up under ``limit``."""
    per_second = limit.max_requests / limit.period
    if limit.min_interval > 0:
        per_second = min(per_second, 1 / limit.min_interval)
    return per_second * HOUR


def guesses_per_hour(
    policy: Policy, ips: int = 1, attacker_rate: float = ATTACKER_RATE
) -> tuple[float, str]:
    """Guesses per hour an attacker keeps up in the long run, and what holds it back.

    The per-IP rate limit grows with the attacker's addresses; a back-off is per account, so it
    does not. ``attacker_rate`` (requests per second) is the attacker's own speed.
    """
    policy = _policy(policy)
    ips = _whole(ips, "ips", 1)
    rate, reason = _positive(attacker_rate, "attacker_rate") * HOUR, "the attacker's own speed"
    if policy.rate_limit is not None and ips * per_ip_rate(policy.rate_limit) < rate:
        rate, reason = ips * per_ip_rate(policy.rate_limit), "the rate limit per IP address"
    if policy.backoff is not None and HOUR / policy.backoff.cap < rate:
        rate, reason = HOUR / policy.backoff.cap, "the back-off per account"
    return rate, reason


@dataclass(frozen=True)
class GuessingOdds:
    """How fast random guessing breaks in under one policy (closed form)."""

    policy: str
    window: int
    accepted: int
    digits: int
    ips: int
    guesses_per_hour: float
    limited_by: str
    p_guess: float
    p_hour: float
    guesses_to_half: float
    hours_to_half: float
    title: str = ""

    @property
    def days_to_half(self) -> float:
        return self.hours_to_half * HOUR / DAY

    def p_within(self, hours: float | np.ndarray) -> float | np.ndarray:
        """Chance of at least one hit within ``hours`` (exact for independent guesses)."""
        span = np.asarray(hours, dtype=float)
        if not np.all(np.isfinite(span)) or np.any(span < 0):
            raise InvalidInput("hours must be finite numbers >= 0")
        guesses = span * self.guesses_per_hour
        p = -np.expm1(guesses * math.log1p(-self.p_guess))
        return float(p) if np.ndim(p) == 0 else p


def guessing_odds(
    policy: Policy, ips: int = 1, attacker_rate: float = ATTACKER_RATE
) -> GuessingOdds:
    """RFC 4226's odds per hour, and the time until a break-in is as likely as not.

    Each guess hits with chance q = s / 10^d; after n guesses the chance of a hit is
    1 - (1 - q)^n, which reaches 1/2 at n = ln 2 / -ln(1 - q).
    """
    policy = _policy(policy)
    rate, reason = guesses_per_hour(policy, ips, attacker_rate)
    s, d = accepted_codes(policy.window), policy.params.digits
    q = s / 10**d
    n_half = math.log(2) / -math.log1p(-q)
    return GuessingOdds(
        policy=policy.name,
        window=policy.window,
        accepted=s,
        digits=d,
        ips=ips,
        guesses_per_hour=rate,
        limited_by=reason,
        p_guess=q,
        p_hour=rfc4226_odds(s, rate, d),
        guesses_to_half=n_half,
        hours_to_half=n_half / rate,
        title=policy.title,
    )


def guessing_table(
    policies: Iterable[Policy], ips: int = 1, attacker_rate: float = ATTACKER_RATE
) -> list[GuessingOdds]:
    """guessing_odds for each policy."""
    return [guessing_odds(p, ips, attacker_rate) for p in policies]


# --- online guessing: the Monte Carlo check ----------------------------------------------------


@dataclass(frozen=True)
class MonteCarlo:
    """Simulated break-ins against the closed form, at one horizon."""

    policy: str
    trials: int
    hours: float
    closed_form: float
    estimate: float
    standard_error: float
    median_hours: float
    title: str = ""

    @property
    def z(self) -> float:
        """How many standard errors the estimate is from the closed form."""
        return (self.estimate - self.closed_form) / self.standard_error


def guessing_monte_carlo(
    policy: Policy,
    rng: np.random.Generator,
    trials: int = 20_000,
    hours: float | None = None,
    ips: int = 1,
    attacker_rate: float = ATTACKER_RATE,
) -> MonteCarlo:
    """Play ``trials`` attackers, each guessing uniformly at random until one guess hits.

    The guesses up to the first hit are drawn at once (a geometric count). Checked at ``hours``
    (by default the closed form's time to 50%).
    """
    rng = _generator(rng)
    trials = _whole(trials, "trials", 2)
    odds = guessing_odds(policy, ips, attacker_rate)
    horizon = odds.hours_to_half if hours is None else _positive(hours, "hours")
    needed = rng.geometric(odds.p_guess, size=trials)
    broke_in_at = needed / odds.guesses_per_hour
    estimate = float(np.mean(broke_in_at <= horizon))
    closed = float(odds.p_within(horizon))
    return MonteCarlo(
        policy=odds.policy,
        trials=trials,
        hours=horizon,
        closed_form=closed,
        estimate=estimate,
        standard_error=math.sqrt(max(closed * (1 - closed), 1e-12) / trials),
        median_hours=float(np.median(broke_in_at)),
        title=odds.title,
    )


# --- online guessing against a real server ---------------------------------------------------


def _fast(policy: Policy) -> Policy:
    # The password hash's cost plays no part in these attacks (the attacker knows the password);
    # the cheapest bcrypt keeps hundreds of simulated sign-ins quick.
    backup = policy.backup
    if backup.storage == "bcrypt":
        backup = replace(backup, bcrypt_rounds=4)
    return replace(policy, bcrypt_rounds=4, backup=backup)


@dataclass(frozen=True)
class Victim:
    """An enrolled account on a real server: what its owner knows."""

    server: Server
    clock: ManualClock
    secret: str
    backup_codes: tuple[str, ...]
    qr_png: bytes


def enrolled(policy: Policy, at: float = AT, seed: int = 0) -> Victim:
    """A Server (fast password hashing) on a ManualClock at ``at``, with USER enrolled."""
    clock = ManualClock(at)
    server = Server(_fast(_policy(policy)), clock, rng=DemoRandom(_whole(seed, "seed")))
    server.sign_up(USER, PASSWORD)
    registration = server.register(USER, PASSWORD)
    params = server.policy.params
    codes = server.confirm(USER, code_at(registration.secret, clock.now(), params))
    return Victim(server, clock, registration.secret, tuple(codes), registration.qr_png)


@dataclass(frozen=True)
class ServerGuessing:
    """Random guesses sent to a real server until time (or the guess budget) ran out."""

    policy: str
    ips: int
    hours: float
    guesses: tuple[float, ...]
    refused: int
    broke_in: bool
    title: str = ""
    paced: bool = True

    @property
    def count(self) -> int:
        """Guesses the server examined (requests turned away are not counted)."""
        return len(self.guesses)

    @property
    def requests(self) -> int:
        """Every request sent: the guesses examined and the ones turned away."""
        return self.count + self.refused

    def within(self, hours: float) -> int:
        """Guesses examined in the first ``hours``."""
        return sum(1 for t in self.guesses if t < hours * HOUR)


def guess_on_server(
    policy: Policy,
    rng: np.random.Generator,
    hours: float = 24.0,
    ips: int = 1,
    attacker_rate: float = ATTACKER_RATE,
    max_guesses: int = 2_000,
    at: float = AT,
    seed: int = 0,
    paced: bool = True,
) -> ServerGuessing:
    """Guess random codes against a real Server, waiting whenever it answers RateLimited.

    The attacker sends from ``ips`` addresses in turn, at most ``attacker_rate`` requests per
    second and, knowing the server's source, never two from one address closer than its
    limiter's minimum interval (a refused request would count against it all the same). It
    stops after ``hours`` of server time or ``max_guesses`` examined guesses.

    ``paced=False`` plays a careless attacker instead: it ignores ``retry_after`` and the
    minimum interval and simply sends a request every ``1 / attacker_rate`` seconds. Against a
    limiter that records refused requests too, each of those requests keeps its own address
    locked out.
    """
    if not isinstance(paced, bool):
        raise InvalidInput(f"paced must be True or False, not {paced!r}")
    rng = _generator(rng)
    ips = _whole(ips, "ips", 1)
    horizon = _positive(hours, "hours") * HOUR
    gap = 1 / _positive(attacker_rate, "attacker_rate")
    budget = _whole(max_guesses, "max_guesses", 1)
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    digits = server.policy.params.digits
    limit = server.policy.rate_limit
    spacing = 0.0 if limit is None else limit.min_interval
    start = clock.now()
    free_at = [start] * ips
    times: list[float] = []
    refused = 0
    broke_in = False
    t = start
    while len(times) < budget:
        ip = min(range(ips), key=lambda i: free_at[i])
        t = max(t, free_at[ip])
        if t - start >= horizon:
            break
        clock.set(t)
        guess = str(int(rng.integers(0, 10**digits))).zfill(digits)
        try:
            broke_in = server.sign_in(USER, PASSWORD, guess, ip=f"198.51.100.{ip % 250}").ok
        except RateLimited as exc:
            refused += 1
            if paced:
                free_at[ip] = t + exc.retry_after
            t += gap
            continue
        except InvalidToken:
            broke_in = False
        times.append(t - start)
        free_at[ip] = t + (spacing if paced else 0.0)
        t += gap
        if broke_in:
            break
    return ServerGuessing(
        policy=server.policy.name,
        ips=ips,
        hours=horizon / HOUR,
        guesses=tuple(times),
        refused=refused,
        broke_in=broke_in,
        title=server.policy.title,
        paced=paced,
    )


# --- exponential back-off ---------------------------------------------------------------------


def backoff_guesses(backoff: Backoff, seconds: float) -> int:
    """Wrong codes one account accepts for checking within ``seconds`` of the first.

    After the n-th wrong code in a row every code is refused for ``backoff.delay(n)`` seconds,
    so the guesses come at 0, 1, 3, 7, ... seconds until the delay reaches its cap.
    """
    if not isinstance(backoff, Backoff):
        raise InvalidInput(f"expected a Backoff, not {backoff!r}")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise InvalidInput(f"seconds must be a number >= 0, not {seconds!r}")
    if backoff.base <= 0 or backoff.cap <= 0:
        raise InvalidInput("a back-off needs base > 0 and cap > 0, or it never slows anyone")
    t, n = 0.0, 0
    while t < seconds:
        n += 1  # the n-th guess, at time t
        delay = backoff.delay(n)
        if delay >= backoff.cap or n > 40:
            # From here on the delay stays the same: one more guess every ``delay`` seconds.
            return n + max(0, math.ceil((seconds - t) / delay) - 1)
        t += delay
    return n


# --- replay -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replay:
    """The victim signs in with a code; the attacker, who saw it, sends it again ``delay`` later."""

    policy: str
    delay: float
    code: str
    victim_ok: bool
    outcome: str
    title: str = ""

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"


def _attempt(server: Server, token: str, ip: str) -> str:
    try:
        server.sign_in(USER, PASSWORD, token, ip=ip)
    except TokenReplayed:
        return "refused: already used"
    except RateLimited:
        return "refused: rate limited"
    except InvalidToken:
        return "refused: outside the window"
    return "accepted"


def _days_later(clock: ManualClock, period: int, phase: float) -> float:
    # A fresh day, at ``phase`` seconds into a time step: rate limits and back-offs are long over.
    start = (step_at(clock.now() + DAY, period) + 1) * period
    return clock.set(start + phase)


def replay_on_server(
    policy: Policy,
    delays: Sequence[float] = (5, 60, 120, 170, 200),
    phase: float = 5.0,
    at: float = AT,
    seed: int = 0,
) -> tuple[Replay, ...]:
    """Replay the victim's code after each delay, on a real Server (one day apart)."""
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    params = server.policy.params
    results = []
    for delay in delays:
        wait = _positive(delay, "delay") if delay else 0.0
        read = _days_later(clock, params.period, phase)
        code = code_at(victim.secret, read, params)
        outcome = _attempt(server, code, VICTIM_IP)
        clock.advance(wait)
        results.append(
            Replay(
                server.policy.name,
                wait,
                code,
                outcome == "accepted",
                _attempt(server, code, ATTACKER_IP),
                server.policy.title,
            )
        )
    return tuple(results)


# --- real-time phishing relay ---------------------------------------------------------------


@dataclass(frozen=True)
class RelayWindow:
    """How long a phished code stays good, measured on a real Server.

    ``deadlines[i]`` is the first whole second of relay delay that the server refused, when the
    victim typed the code ``phases[i]`` seconds into its time step.
    """

    policy: str
    window: int
    period: int
    phases: tuple[int, ...]
    deadlines: tuple[int, ...]
    title: str = ""

    @property
    def shortest(self) -> int:
        return min(self.deadlines)

    @property
    def longest(self) -> int:
        return max(self.deadlines)

    @property
    def closed_form(self) -> tuple[int, int]:
        """The attacker's time: window * period (code typed at a step's end) to (window+1) * period."""
        return self.window * self.period, (self.window + 1) * self.period


def relay_on_server(
    policy: Policy, phases: Sequence[int] | None = None, at: float = AT, seed: int = 0
) -> RelayWindow:
    """For each phase, the longest relay delay a real Server accepts, by bisection.

    Each probe happens on a fresh day. When a late relay taught a drift-tracking server a false
    drift, the victim then signs in normally, which puts the drift back to zero.
    """
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    params, window = server.policy.params, server.policy.window
    if phases is None:
        phases = (0, params.period // 3, 2 * params.period // 3, params.period - 1)
    checked = tuple(_whole(p, "phase") for p in phases)
    if not checked or any(p >= params.period for p in checked):
        raise InvalidInput(f"phases must be seconds from 0 to {params.period - 1}")

    def accepted(phase: int, delay: int) -> bool:
        read = _days_later(clock, params.period, phase)
        code = code_at(victim.secret, read, params)
        clock.advance(delay)
        ok = _attempt(server, code, ATTACKER_IP) == "accepted"
        if server.stored(USER).get("drift_steps"):
            clock.advance(DAY / 2)
            step = step_at(clock.now(), params.period)
            if (
                _attempt(server, code_for_step(victim.secret, step, params), VICTIM_IP)
                != "accepted"
            ):
                raise AssertionError("the victim's sign-in failed: the probe left a false drift")
        return ok

    deadlines = []
    for phase in checked:
        low, high = 0, (window + 2) * params.period  # accepted at low, refused at high
        if not accepted(phase, low) or accepted(phase, high):
            raise AssertionError("a relay with no delay must work and one of window+2 steps fail")
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if accepted(phase, middle) else (low, middle)
        deadlines.append(high)
    return RelayWindow(
        server.policy.name, window, params.period, checked, tuple(deadlines), server.policy.title
    )


# --- leaks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QrLeak:
    """Someone photographed the enrollment QR code: every future code follows from it."""

    uri: str
    secret: str
    times: tuple[float, ...]
    predicted: tuple[str, ...]
    accepted: tuple[bool, ...]


def leak_through_qr(
    policy: Policy,
    later: Sequence[float] = (HOUR, DAY, 30 * DAY, YEAR),
    at: float = AT,
    seed: int = 0,
) -> QrLeak:
    """Read the victim's QR image, compute the codes for ``later`` seconds on, and sign in."""
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    uri = read_qr(victim.qr_png)
    key = parse_uri(uri)
    times, predicted, accepted = [], [], []
    for seconds in later:
        t = clock.set(at + _positive(seconds, "later"))
        times.append(t)
        predicted.append(code_at(key.secret, t, key.params))
        accepted.append(_attempt(server, predicted[-1], ATTACKER_IP) == "accepted")
    return QrLeak(uri, key.secret, tuple(times), tuple(predicted), tuple(accepted))


@dataclass(frozen=True)
class StorageLeak:
    """Someone copied what the server stores for the account (a backup, a dump, a log)."""

    policy: str
    storage: str
    stolen_backup_codes: tuple[str, ...]
    backup_codes_that_work: int
    secret_works: bool
    title: str = ""


def leak_through_storage(policy: Policy, at: float = AT, seed: int = 0) -> StorageLeak:
    """Try each stolen backup-code entry as a code, then a code computed from the stolen secret."""
    victim = enrolled(policy, at, seed)
    server, clock = victim.server, victim.clock
    stolen = server.stored(USER)
    working = 0
    for entry in stolen["backup_codes"]:
        _days_later(clock, server.policy.params.period, 0)
        working += _attempt(server, entry, ATTACKER_IP) == "accepted"
    t = _days_later(clock, server.policy.params.period, 0)
    works = _attempt(server, code_at(stolen["secret"], t, server.policy.params), ATTACKER_IP)
    return StorageLeak(
        policy=server.policy.name,
        storage=server.policy.backup.storage,
        stolen_backup_codes=tuple(stolen["backup_codes"]),
        backup_codes_that_work=working,
        secret_works=works == "accepted",
        title=server.policy.title,
    )


# --- offline cracking of hashed backup codes --------------------------------------------------

# Round numbers, stated as assumptions (orders of magnitude for one current GPU), not measured.
HASH_RATES: dict[str, float] = {"SHA-256": 1e10, "bcrypt (cost 10)": 1e4}


@dataclass(frozen=True)
class OfflineCrack:
    """Expected work to recover one backup code from its stored hash by trying every code."""

    bits: int
    hash_name: str
    guesses_per_second: float

    @property
    def expected_guesses(self) -> float:
        return 2.0 ** (self.bits - 1)

    @property
    def expected_seconds(self) -> float:
        return self.expected_guesses / self.guesses_per_second


def offline_crack(
    bits: int, hash_name: str, guesses_per_second: float | None = None
) -> OfflineCrack:
    """OfflineCrack for a code of ``bits`` bits (rate from HASH_RATES unless given)."""
    rate = HASH_RATES.get(hash_name) if guesses_per_second is None else guesses_per_second
    if rate is None:
        raise InvalidInput(f"no assumed rate for {hash_name!r}: pass guesses_per_second")
    return OfflineCrack(_whole(bits, "bits", 1), hash_name, _positive(rate, "guesses_per_second"))


def cracking_table(schemes: Iterable[BackupScheme]) -> list[OfflineCrack]:
    """offline_crack for each scheme's code size under each hash in HASH_RATES."""
    return [offline_crack(s.bits, name) for s in schemes for name in HASH_RATES]
