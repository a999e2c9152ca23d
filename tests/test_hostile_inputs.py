"""Every public entry point refuses every hostile input with an OtpkitError and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import otpkit
from otpkit.errors import OtpkitError

from . import hostile_corpus as corpus
from .conftest import AT, PASSWORD, fast

POLICIES = pytest.mark.parametrize(
    "policy", [fast(otpkit.MISSKEY), fast(otpkit.HARDENED)], ids=["misskey", "hardened"]
)
USERS = ("alice", "bob", "carol", "dave")


class World:
    """alice has 2FA, bob a pending secret, carol no 2FA, dave is midway through the flow."""

    def __init__(self, policy: otpkit.Policy):
        self.clock = otpkit.ManualClock(AT)
        self.server = otpkit.Server(policy=policy, clock=self.clock, rng=otpkit.DemoRandom(9))
        for user in USERS:
            self.server.sign_up(user, PASSWORD)
        reg = self.server.register("alice", PASSWORD)
        self.secret = reg.secret
        self.codes = self.server.confirm("alice", otpkit.code_at(reg.secret, AT))
        self.server.register("bob", PASSWORD)
        self.phone = otpkit.Phone(clock=self.clock)
        self.flow = otpkit.EnrollmentFlow(self.server, self.phone, "dave", PASSWORD)
        while self.flow.stage != otpkit.Stage.ENTER_CODE:
            self.flow.advance()
        self.calls = 0
        self.failures: list[str] = []

    def code(self) -> str:
        return otpkit.code_at(self.secret, self.clock.now())

    def state(self) -> Any:
        # A wrong code may be counted against the account (a back-off's failure count): that is
        # the defence working, not a change the input made.
        stored = {user: self.server.stored(user) for user in USERS}
        for kept in stored.values():
            kept.pop("consecutive_failures", None)
        flow = (self.flow.stage, len(self.flow.history), self.flow.code, self.flow.backup_codes)
        return stored, self.server.store.usernames(), len(self.phone.entries), flow

    def ip(self) -> str:
        return f"10.{self.calls // 60000}.{self.calls // 250 % 240}.{self.calls % 250}"

    def refuses(self, label: str, call: Callable[[], Any]) -> None:
        """``call`` must raise an OtpkitError and leave every account as it was."""
        self.calls += 1
        before = self.state()
        try:
            outcome = call()
        except OtpkitError:
            outcome = None
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
    assert corpus.count() >= 200


@POLICIES
def test_hostile_tokens(policy):
    w = World(policy)
    s = w.server
    for name, token in corpus.TOKENS:
        w.refuses(
            f"sign_in token {name}", lambda t=token: s.sign_in("alice", PASSWORD, t, ip=w.ip())
        )
        w.refuses(f"register token {name}", lambda t=token: s.register("alice", PASSWORD, t))
        w.refuses(f"unregister token {name}", lambda t=token: s.unregister("alice", PASSWORD, t))
        w.refuses(f"confirm pending token {name}", lambda t=token: s.confirm("bob", t))
        w.refuses(f"confirm enabled token {name}", lambda t=token: s.confirm("alice", t))
        w.refuses(f"flow enter_code {name}", lambda t=token: w.flow.enter_code(t))
    for name, token in corpus.EMPTY_TOKENS:
        assert s.sign_in("alice", PASSWORD, token, ip=w.ip()).next == "totp"
        w.calls += 1
        w.refuses(f"register token {name}", lambda t=token: s.register("alice", PASSWORD, t))
        w.refuses(f"unregister token {name}", lambda t=token: s.unregister("alice", PASSWORD, t))
        w.refuses(f"confirm token {name}", lambda t=token: s.confirm("bob", t))
    w.check()
    assert w.calls >= 6 * len(corpus.TOKENS)


@POLICIES
def test_hostile_usernames(policy):
    w = World(policy)
    s = w.server
    for name, user in corpus.USERNAMES:
        w.refuses(f"sign_up {name}", lambda u=user: s.sign_up(u, PASSWORD))
        w.refuses(f"sign_in {name}", lambda u=user: s.sign_in(u, PASSWORD, ip=w.ip()))
        w.refuses(f"sign_in step 1 {name}", lambda u=user: s.sign_in(u, ip=w.ip()))
        w.refuses(f"register {name}", lambda u=user: s.register(u, PASSWORD, w.code()))
        w.refuses(f"confirm {name}", lambda u=user: s.confirm(u, w.code()))
        w.refuses(f"unregister {name}", lambda u=user: s.unregister(u, PASSWORD, w.code()))
        w.refuses(f"stored {name}", lambda u=user: s.stored(u))
        w.refuses(f"warning {name}", lambda u=user: s.warning(u))
        w.refuses(f"backup_download {name}", lambda u=user: s.backup_download(u, []))
        phone = otpkit.Phone(clock=w.clock)
        flow = otpkit.EnrollmentFlow(s, phone, user, PASSWORD)
        w.refuses(f"flow run {name}", flow.run)
        assert flow.stage == otpkit.Stage.ENTER_PASSWORD and not phone.entries
    w.check()


@POLICIES
def test_hostile_passwords(policy):
    w = World(policy)
    s = w.server
    for name, password in corpus.PASSWORDS:
        w.refuses(f"sign_up {name}", lambda p=password: s.sign_up("erin", p))
    for name, password in corpus.PASSWORDS + corpus.WRONG_PASSWORDS:
        w.refuses(f"sign_in {name}", lambda p=password: s.sign_in("alice", p, w.code(), ip=w.ip()))
        w.refuses(f"sign_in no 2FA {name}", lambda p=password: s.sign_in("carol", p, ip=w.ip()))
        w.refuses(f"register {name}", lambda p=password: s.register("carol", p))
        # Misskey checks the token first: a TOTP code, which it never marks as used.
        w.refuses(f"re-register {name}", lambda p=password: s.register("alice", p, w.code()))
        w.refuses(f"unregister {name}", lambda p=password: s.unregister("alice", p, w.code()))
        flow = otpkit.EnrollmentFlow(s, otpkit.Phone(clock=w.clock), "carol", PASSWORD)
        for _ in range(4):
            flow.advance()
        w.refuses(f"flow enter_password {name}", lambda p=password, f=flow: f.enter_password(p))
    w.check()
    assert "erin" not in s.store.usernames()


def test_hostile_uris():
    w = World(fast(otpkit.MISSKEY))
    for name, uri in corpus.URIS:
        w.refuses(f"parse_uri {name}", lambda u=uri: otpkit.parse_uri(u))
        w.refuses(f"open_link {name}", lambda u=uri: w.phone.open_link(u))
        w.refuses(f"scan QR of {name}", lambda u=uri: w.phone.scan(otpkit.qr_png(u)))
    w.check()


def test_hostile_images():
    w = World(fast(otpkit.MISSKEY))
    for name, image in corpus.images():
        w.refuses(f"read_qr {name}", lambda i=image: otpkit.read_qr(i))
        w.refuses(f"scan {name}", lambda i=image: w.phone.scan(i))
    for name, image in corpus.images_for_apps():
        w.refuses(f"scan {name}", lambda i=image: w.phone.scan(i))
    w.check()


def test_hostile_code_arguments():
    w = World(fast(otpkit.MISSKEY))
    for name, secret in corpus.SECRETS:
        w.refuses(f"code_at secret {name}", lambda s=secret: otpkit.code_at(s, AT))
    for name, t in corpus.TIMES:
        w.refuses(f"code_at time {name}", lambda t=t: otpkit.code_at(corpus.SECRET, t))
    for name, params in corpus.PARAMS:
        w.refuses(f"code_at params {name}", lambda p=params: otpkit.code_at(corpus.SECRET, AT, p))
    for name, fields in corpus.PARAM_FIELDS:
        w.refuses(f"OtpParams {name}", lambda f=fields: otpkit.OtpParams(**f))
    w.check()


def test_hostile_phone_and_flow_calls():
    w = World(fast(otpkit.MISSKEY))
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
        ("server without a clock", lambda: otpkit.Server(clock=None)),
        ("server with a bad host", lambda: otpkit.Server(clock=w.clock, host="a/b")),
        ("server with a bad store", lambda: otpkit.Server(clock=w.clock, store="x.db")),
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
