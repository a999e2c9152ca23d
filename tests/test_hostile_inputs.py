"""Every public entry point refuses every hostile input with an OtpkitError and changes nothing.

Every test runs under all six policies. ``World.refuses`` is the one check: the call must raise an
OtpkitError (InvalidInput where the input is malformed, not merely wrong), and the accounts, the
flow and the phone must be as they were. ``World.each`` walks a corpus category and records what
it fed, so that ``test_every_policy_meets_the_whole_corpus`` can show each policy meets all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

import otpkit
from otpkit.errors import InvalidInput, InvalidToken, OtpkitError, RateLimited
from otpkit.policy import RateLimit

from . import hostile_corpus as corpus
from .conftest import AT, PASSWORD, fast


def cheap(policy: otpkit.Policy) -> otpkit.Policy:
    """``fast``, and the cheapest bcrypt cost for backup codes too (DEVISE hashes them)."""
    policy = fast(policy)
    return replace(policy, backup=replace(policy.backup, bcrypt_rounds=4))


ALL = [cheap(p) for p in otpkit.POLICIES.values()]
POLICIES = pytest.mark.parametrize("policy", ALL, ids=[p.name for p in ALL])
USERS = ("alice", "bob", "carol", "dave", "kate")

# While test_every_policy_meets_the_whole_corpus counts, Worlds record what they would feed and
# call nothing.
_census: set[tuple[str, str]] | None = None


class World:
    """alice has 2FA, bob a pending secret, carol and kate no 2FA, dave is midway through
    the flow."""

    def __init__(self, policy: otpkit.Policy):
        self.policy = policy
        self.dry = _census is not None
        self.fed: set[tuple[str, str]] = set() if _census is None else _census
        self.clock = otpkit.ManualClock(AT)
        self.server = otpkit.Server(policy=policy, clock=self.clock, rng=otpkit.DemoRandom(9))
        for user in USERS:
            self.server.sign_up(user, PASSWORD)
        reg = self.server.register("alice", PASSWORD)
        self.secret = reg.secret
        self.codes = self.server.confirm("alice", self.code())
        self.bob_secret = self.server.register("bob", PASSWORD).secret
        self.phone = otpkit.Phone(clock=self.clock)
        self.flow = otpkit.EnrollmentFlow(self.server, self.phone, "dave", PASSWORD)
        while self.flow.stage != otpkit.Stage.ENTER_CODE:
            self.flow.advance()
        self.calls = self.ips = 0
        self.failures: list[str] = []

    def code(self, secret: str | None = None) -> str:
        """The right code now for ``secret`` (alice's by default)."""
        secret = self.secret if secret is None else secret
        return otpkit.code_at(secret, self.clock.now(), self.policy.params)

    def each(self, category: str) -> Iterator[tuple[Any, ...]]:
        """The entries of a corpus category, recorded as fed."""
        for entry in corpus.categories()[category]:
            self.fed.add((category, entry[0]))
            yield entry

    def state(self) -> Any:
        # A wrong code may be counted against the account (a back-off's failure count): that is
        # the defence working, not a change the input made.
        stored = {user: self.server.stored(user) for user in USERS}
        for kept in stored.values():
            kept.pop("consecutive_failures", None)
        flow = (self.flow.stage, len(self.flow.history), self.flow.code, self.flow.backup_codes)
        return stored, self.server.store.usernames(), len(self.phone.entries), flow

    def ip(self) -> str:
        """A fresh address for every request, so that the limiter never steps in."""
        self.ips += 1
        n = self.ips
        return f"10.{n // 60000}.{n // 250 % 240}.{n % 250}"

    def unblock(self) -> None:
        """Move the clock past every back-off, so that each input reaches the checks themselves."""
        accounts = [self.server.store.get(user) for user in USERS]
        latest = max(a.blocked_until for a in accounts if a is not None)
        if latest > self.clock.now():
            self.clock.set(latest)

    def refuses(
        self, label: str, call: Callable[[], Any], kind: type[OtpkitError] = OtpkitError
    ) -> None:
        """``call`` must raise ``kind`` (an OtpkitError) and leave every account as it was."""
        self.calls += 1
        if self.dry:
            return
        self.unblock()
        before = self.state()
        try:
            outcome = call()
        except OtpkitError as exc:
            if not isinstance(exc, kind):
                self.failures.append(f"{label}: {type(exc).__name__}, not {kind.__name__}")
        except BaseException as exc:  # noqa: BLE001 - the point of the test
            self.failures.append(f"{label}: {type(exc).__name__}: {exc!s:.80}")
            return
        else:
            self.failures.append(f"{label}: accepted, gave {outcome!r:.60}")
        if self.state() != before:
            self.failures.append(f"{label}: changed the stored state")

    def check(self) -> None:
        assert not self.failures, f"{len(self.failures)} failures:\n" + "\n".join(self.failures)


def test_the_corpus_is_large_enough():
    assert corpus.count() >= 400
    for name, entries in corpus.categories().items():
        labels = [entry[0] for entry in entries]
        assert len(set(labels)) == len(labels), f"{name}: a label is used twice"
    assert corpus.count() == sum(len(entries) for entries in corpus.categories().values())


@POLICIES
def test_the_harness_can_fail(policy):
    """Each way an input can get through is caught: accepted, a foreign error, a half-change,
    or the wrong kind of OtpkitError."""
    w = World(policy)

    def half_change():
        w.server.register("carol", PASSWORD)
        raise InvalidInput("refused after a change")

    w.refuses("accepted", lambda: None)
    w.refuses("foreign", lambda: int("x"))
    w.refuses("half", half_change)
    w.refuses("kind", lambda: w.server.sign_in("alice", "wrong", ip=w.ip()), InvalidInput)
    assert [f.split(":")[0] for f in w.failures] == ["accepted", "foreign", "half", "kind"]
    assert "changed the stored state" in w.failures[2]
    assert "IncorrectPassword, not InvalidInput" in w.failures[3]


@POLICIES
def test_hostile_tokens(policy):
    w = World(policy)
    s = w.server
    for name, token in w.each("tokens"):
        w.refuses(
            f"sign_in token {name}", lambda t=token: s.sign_in("alice", PASSWORD, t, ip=w.ip())
        )
        w.refuses(f"register token {name}", lambda t=token: s.register("alice", PASSWORD, t))
        w.refuses(f"unregister token {name}", lambda t=token: s.unregister("alice", PASSWORD, t))
        w.refuses(f"confirm pending token {name}", lambda t=token: s.confirm("bob", t))
        w.refuses(f"confirm enabled token {name}", lambda t=token: s.confirm("alice", t))
        w.refuses(f"flow enter_code {name}", lambda t=token: w.flow.enter_code(t))
        if not isinstance(token, str):
            # Without 2FA the token is not needed, but one that is not text is still refused.
            w.refuses(
                f"register no 2FA token {name}",
                lambda t=token: s.register("carol", PASSWORD, t),
                InvalidInput,
            )
            w.refuses(
                f"unregister no 2FA token {name}",
                lambda t=token: s.unregister("carol", PASSWORD, t),
                InvalidInput,
            )
            w.refuses(
                f"confirm text needed {name}", lambda t=token: s.confirm("bob", t), InvalidInput
            )
    for name, token in w.each("empty tokens"):
        assert s.sign_in("alice", PASSWORD, token, ip=w.ip()).next == "totp"
        w.calls += 1
        w.refuses(f"register token {name}", lambda t=token: s.register("alice", PASSWORD, t))
        w.refuses(f"unregister token {name}", lambda t=token: s.unregister("alice", PASSWORD, t))
        w.refuses(f"confirm token {name}", lambda t=token: s.confirm("bob", t))
    w.check()
    assert w.calls >= 6 * len(corpus.TOKENS)
    assert s.register("carol", PASSWORD, None).secret  # None is no token: allowed without 2FA


@POLICIES
def test_hostile_forms_of_the_right_code(policy):
    """The right code in a hostile form (Python-only white space, other digits, not text...) is
    refused everywhere a code is checked; the plain right code, sent last, is accepted."""
    w = World(policy)
    s = w.server
    dave = w.flow.registration.secret
    for name, form in w.each("code forms"):
        w.clock.advance(policy.params.period)  # a fresh step: no form meets a used one
        w.refuses(
            f"sign_in {name}",
            lambda f=form: s.sign_in("alice", PASSWORD, f(w.code()), ip=w.ip()),
        )
        w.refuses(f"register {name}", lambda f=form: s.register("alice", PASSWORD, f(w.code())))
        w.refuses(f"unregister {name}", lambda f=form: s.unregister("alice", PASSWORD, f(w.code())))
        w.refuses(f"confirm {name}", lambda f=form: s.confirm("bob", f(w.code(w.bob_secret))))
        w.refuses(f"flow enter_code {name}", lambda f=form: w.flow.enter_code(f(w.code(dave))))
    w.check()
    w.unblock()
    w.clock.advance(policy.params.period)
    assert s.sign_in("alice", PASSWORD, w.code(), ip=w.ip()).ok
    assert s.confirm("bob", w.code(w.bob_secret))
    assert w.flow.enter_code(w.code(dave))


@POLICIES
def test_javascript_white_space_is_white_space_and_python_only_is_not(policy):
    """Misskey trims or removes white space by JavaScript's definition: U+FEFF is white space
    there (so a policy that strips white space accepts a code wrapped in it), U+001C and U+0085
    are not (so every policy refuses them)."""
    w = World(policy)
    s = w.server
    for js, py in (("\ufeff", "\x1c"), ("\ufeff", "\x85"), ("\u3000", "\x1f")):
        w.clock.advance(policy.params.period)
        with pytest.raises(InvalidToken):
            s.sign_in("alice", PASSWORD, py + w.code() + py, ip=w.ip())
        w.unblock()
        wrapped = js + w.code() + js
        if policy.sign_in_whitespace == "keep":
            with pytest.raises(InvalidToken):
                s.sign_in("alice", PASSWORD, wrapped, ip=w.ip())
        else:
            assert s.sign_in("alice", PASSWORD, wrapped, ip=w.ip()).ok
        w.unblock()
    with pytest.raises(InvalidToken):
        s.confirm("bob", "\x1c" + w.code(w.bob_secret))
    w.unblock()
    assert policy.confirm_whitespace == "remove"  # every preset: as Misskey's i/2fa/done
    assert s.confirm(
        "bob", "\ufeff" + w.code(w.bob_secret)[:3] + "\ufeff" + w.code(w.bob_secret)[3:]
    )


@POLICIES
def test_hostile_usernames(policy):
    w = World(policy)
    s = w.server
    for name, user in w.each("usernames"):
        for verb, call in [
            ("sign_up", lambda u=user: s.sign_up(u, PASSWORD)),
            ("sign_in", lambda u=user: s.sign_in(u, PASSWORD, ip=w.ip())),
            ("sign_in step 1", lambda u=user: s.sign_in(u, ip=w.ip())),
            ("register", lambda u=user: s.register(u, PASSWORD, w.code())),
            ("confirm", lambda u=user: s.confirm(u, w.code())),
            ("unregister", lambda u=user: s.unregister(u, PASSWORD, w.code())),
            ("stored", lambda u=user: s.stored(u)),
            ("warning", lambda u=user: s.warning(u)),
            ("backup_download", lambda u=user: s.backup_download(u, [])),
        ]:
            w.refuses(f"{verb} {name}", call, InvalidInput)
        phone = otpkit.Phone(clock=w.clock)
        flow = otpkit.EnrollmentFlow(s, phone, user, PASSWORD)
        w.refuses(f"flow run {name}", flow.run, InvalidInput)
        assert w.dry or flow.stage == otpkit.Stage.ENTER_PASSWORD and not phone.entries
    w.check()
    assert s.sign_in("kate", PASSWORD, ip=w.ip()).ok  # the look-alikes would have reached her


@POLICIES
def test_hostile_passwords(policy):
    w = World(policy)
    s = w.server
    for name, password in w.each("passwords"):
        w.refuses(f"sign_up {name}", lambda p=password: s.sign_up("erin", p), InvalidInput)
    for category in ("passwords", "wrong passwords"):
        for name, password in w.each(category):
            if password is not None:  # None is step 1 of a sign-in: "which password?"
                w.refuses(
                    f"sign_in {name}",
                    lambda p=password: s.sign_in("alice", p, w.code(), ip=w.ip()),
                )
                w.refuses(
                    f"sign_in no 2FA {name}", lambda p=password: s.sign_in("carol", p, ip=w.ip())
                )
            w.refuses(f"register {name}", lambda p=password: s.register("carol", p))
            # Misskey checks the token first: under MISSKEY a right token is then used up.
            w.refuses(f"re-register {name}", lambda p=password: s.register("alice", p, w.code()))
            w.refuses(f"unregister {name}", lambda p=password: s.unregister("alice", p, w.code()))
            if password is None:  # None is the flow's own password: not hostile there
                continue
            flow = otpkit.EnrollmentFlow(s, otpkit.Phone(clock=w.clock), "carol", PASSWORD)
            for _ in range(4):
                flow.advance()
            w.refuses(f"flow enter_password {name}", lambda p=password, f=flow: f.enter_password(p))
    w.check()
    assert "erin" not in s.store.usernames()


@POLICIES
def test_hostile_ips(policy):
    """Address text that is not an address's canonical form is refused before the limiter."""
    w = World(policy)
    s = w.server
    w.clock.advance(policy.params.period)  # a step no code was used in yet
    for name, ip in w.each("ips"):
        w.refuses(
            f"sign_in {name}",
            lambda i=ip: s.sign_in("alice", PASSWORD, w.code(), ip=i),
            InvalidInput,
        )
        w.refuses(
            f"sign_in no 2FA {name}", lambda i=ip: s.sign_in("carol", PASSWORD, ip=i), InvalidInput
        )
        w.refuses(f"sign_in step 1 {name}", lambda i=ip: s.sign_in("alice", ip=i), InvalidInput)
    w.check()
    # Refused requests were not counted against the address they resemble.
    limit = policy.rate_limit
    for _ in range(1 if limit is None else limit.max_requests):
        w.clock.advance(1 if limit is None else limit.min_interval)
        assert s.sign_in("carol", PASSWORD, ip="203.0.113.9").ok


@POLICIES
def test_equal_addresses_share_one_limit(policy):
    """'::ffff:203.0.113.9' is 203.0.113.9 and '2001:DB8::1' is 2001:db8::1: each is accepted,
    and all the ways to write one address count against one limit. (A policy without a limiter
    gets one here: what is checked is the address, not the policy's numbers.)"""
    forms = {
        "203.0.113.9": [
            "203.0.113.9",
            "::ffff:203.0.113.9",
            "::FFFF:203.0.113.9",
            "::ffff:cb00:7109",
        ],
        "2001:db8::1": ["2001:db8::1", "2001:DB8::1", "2001:0db8::0001", "2001:db8:0:0:0:0:0:1"],
    }
    limit = RateLimit(max_requests=4, period=3600.0, min_interval=0.0, ipv6_prefix=128)
    w = World(replace(policy, rate_limit=limit))
    s = w.server
    for address, spellings in forms.items():
        for ip in spellings:
            assert s.sign_in("carol", PASSWORD, ip=ip).ok, ip
        for ip in spellings:
            with pytest.raises(RateLimited) as refused:
                s.sign_in("carol", PASSWORD, ip=ip)
            assert refused.value.retry_after > 0 and address in refused.value.message, ip
    assert s.sign_in("carol", PASSWORD, ip="203.0.113.10").ok
    assert s.sign_in("carol", PASSWORD, ip="2001:db8::2").ok


@POLICIES
def test_hostile_hosts(policy):
    w = World(policy)
    for name, host in w.each("hosts"):
        w.refuses(
            f"Server host {name}",
            lambda h=host: otpkit.Server(policy=policy, clock=w.clock, host=h),
            InvalidInput,
        )
    w.check()


@POLICIES
def test_hostile_policy_fields(policy):
    w = World(policy)
    for name, field, make in w.each("policy fields"):
        w.refuses(
            f"policy {name}", lambda f=field, m=make: replace(policy, **{f: m()}), InvalidInput
        )
    w.check()


class Reading:
    """A clock that answers ``now()`` with whatever it was given."""

    def __init__(self, value: Any):
        self.value = value

    def now(self) -> Any:
        return self.value


@POLICIES
def test_hostile_clock_readings(policy):
    """A server whose clock answers nonsense refuses every verb that reads it, storing nothing."""
    w = World(policy)
    for name, value in w.each("clock readings"):
        bad = otpkit.Server(policy=policy, clock=Reading(value), store=w.server.store)
        for verb, call in [
            ("sign_up", lambda b=bad: b.sign_up("erin", PASSWORD)),
            ("sign_in step 1", lambda b=bad: b.sign_in("alice", ip=w.ip())),
            ("sign_in", lambda b=bad: b.sign_in("alice", PASSWORD, w.code(), ip=w.ip())),
            ("sign_in no 2FA", lambda b=bad: b.sign_in("carol", PASSWORD, ip=w.ip())),
            ("register", lambda b=bad: b.register("carol", PASSWORD)),
            ("re-register", lambda b=bad: b.register("alice", PASSWORD, w.code())),
            ("confirm", lambda b=bad: b.confirm("bob", w.code(w.bob_secret))),
            ("unregister", lambda b=bad: b.unregister("alice", PASSWORD, w.code())),
            ("unregister no 2FA", lambda b=bad: b.unregister("carol", PASSWORD)),
        ]:
            w.refuses(f"{verb} at {name}", call, InvalidInput)
        flow = otpkit.EnrollmentFlow(bad, otpkit.Phone(clock=w.clock), "carol", PASSWORD)
        w.refuses(f"flow run at {name}", flow.run, InvalidInput)
    w.check()
    assert "erin" not in w.server.store.usernames()


@POLICIES
def test_hostile_uris(policy):
    w = World(policy)
    for name, uri in w.each("uris"):
        w.refuses(f"parse_uri {name}", lambda u=uri: otpkit.parse_uri(u))
        w.refuses(f"open_link {name}", lambda u=uri: w.phone.open_link(u))
        w.refuses(f"scan QR of {name}", lambda u=uri: w.phone.scan(otpkit.qr_png(u)))
    w.check()


@POLICIES
def test_hostile_images(policy):
    w = World(policy)
    for name, image in w.each("images"):
        w.refuses(f"read_qr {name}", lambda i=image: otpkit.read_qr(i))
        w.refuses(f"scan {name}", lambda i=image: w.phone.scan(i))
    for name, image in w.each("images for apps"):
        w.refuses(f"scan {name}", lambda i=image: w.phone.scan(i))
    w.check()


@POLICIES
def test_hostile_code_arguments(policy):
    w = World(policy)
    for name, secret in w.each("secrets"):
        w.refuses(f"code_at secret {name}", lambda s=secret: otpkit.code_at(s, AT))
    for name, t in w.each("times"):
        w.refuses(f"code_at time {name}", lambda t=t: otpkit.code_at(corpus.SECRET, t))
    for name, params in w.each("params"):
        w.refuses(f"code_at params {name}", lambda p=params: otpkit.code_at(corpus.SECRET, AT, p))
    for name, fields in w.each("param fields"):
        w.refuses(f"OtpParams {name}", lambda f=fields: otpkit.OtpParams(**f))
    w.check()


@POLICIES
def test_hostile_phone_and_flow_calls(policy):
    w = World(policy)
    empty = otpkit.Phone(clock=w.clock)
    for name, call in [
        ("phone without a clock", lambda: otpkit.Phone(clock=None)),
        ("phone with a bad app", lambda: otpkit.Phone(clock=w.clock, app="authy")),
        ("code with no entries", lambda: empty.code()),
        ("code of a text entry", lambda: w.phone.code("entry")),
        ("seconds_left of an int", lambda: w.phone.seconds_left(3)),
        ("flow without a server", lambda: otpkit.EnrollmentFlow(None, w.phone, "dave", PASSWORD)),
        ("flow stage out of order", lambda: w.flow.install_app()),
        ("flow download too early", lambda: w.flow.download_backup_codes()),
        ("flow read_code again", lambda: w.flow.read_code()),
        ("server with a text policy", lambda: otpkit.Server(policy="misskey", clock=w.clock)),
        ("server without a clock", lambda: otpkit.Server(policy=policy, clock=None)),
        (
            "server with the class ManualClock, not a clock",
            lambda: otpkit.Server(policy=policy, clock=otpkit.ManualClock).sign_up("erin", "pw"),
        ),
        (
            "server with a bad store",
            lambda: otpkit.Server(policy=policy, clock=w.clock, store="x.db"),
        ),
        ("sign_in with a bad ip", lambda: w.server.sign_in("alice", PASSWORD, ip="\ud800")),
        ("sign_in with no ip", lambda: w.server.sign_in("alice", PASSWORD, ip=None)),
        ("backup_download of junk", lambda: w.server.backup_download("alice", None)),
        ("backup_download of ints", lambda: w.server.backup_download("alice", [1, 2])),
    ]:
        w.refuses(name, call)
    for method in ("qr-code", None, 42, ""):
        flow = otpkit.EnrollmentFlow(w.server, otpkit.Phone(clock=w.clock), "carol", PASSWORD)
        for _ in range(5):
            flow.advance()
        w.refuses(f"set_up_app {method!r}", lambda f=flow, m=method: f.set_up_app(m))
        assert flow.stage == otpkit.Stage.SET_UP_APP
    w.check()


HOSTILE_TESTS = [
    test_hostile_tokens,
    test_hostile_forms_of_the_right_code,
    test_hostile_usernames,
    test_hostile_passwords,
    test_hostile_ips,
    test_hostile_hosts,
    test_hostile_policy_fields,
    test_hostile_clock_readings,
    test_hostile_uris,
    test_hostile_images,
    test_hostile_code_arguments,
]


def test_every_policy_meets_the_whole_corpus(capsys):
    """Run every corpus test dry (nothing is called) under each policy and count what it feeds:
    the whole corpus, the same count for all six."""
    global _census
    names = {n for n, f in globals().items() if n.startswith("test_hostile_") and callable(f)}
    assert names - {"test_hostile_phone_and_flow_calls"} == {f.__name__ for f in HOSTILE_TESTS}
    counts = {}
    for policy in ALL:
        _census = set()
        try:
            for test in HOSTILE_TESTS:
                test(policy)
            counts[policy.name] = len(_census)
            assert _census == corpus.inputs(), f"{policy.name} misses {corpus.inputs() - _census}"
        finally:
            _census = None
    with capsys.disabled():
        print("\nhostile inputs per policy:", ", ".join(f"{n} {c}" for n, c in counts.items()))
    assert len(counts) == 6 and set(counts.values()) == {corpus.count()}
    assert corpus.count() >= 400
