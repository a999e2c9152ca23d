"""Crashes lose nothing: a kill at any point of any state change leaves before or after, never between.

For each kind of change a dry run counts the points where ``SqliteStore.fault_hook`` is called and
records the committed state after each of them. Then, for every point, a forked child makes the
same change and is killed there (``os._exit`` or SIGKILL, alternately); the parent opens the file
and finds exactly the state committed before that point, and a sound database.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

import otpkit
from otpkit.errors import OtpkitError

from .conftest import AT, PASSWORD, fast

pytestmark = pytest.mark.slow

FORK = multiprocessing.get_context("fork")
LATER = AT + 60
MISSKEY = fast(otpkit.MISSKEY)
HARDENED = fast(otpkit.HARDENED)
Snapshot = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Scenario:
    """A state change: the account as ``setup`` leaves it at AT, then ``action`` at LATER."""

    name: str
    policy: otpkit.Policy
    setup: Callable[[otpkit.Server], dict[str, Any]]
    action: Callable[[otpkit.Server, dict[str, Any]], Any]
    between_read_and_write: bool = False


def _signed_up(server: otpkit.Server) -> dict[str, Any]:
    server.sign_up("alice", PASSWORD)
    return {}


def _pending(server: otpkit.Server) -> dict[str, Any]:
    _signed_up(server)
    return {"secret": server.register("alice", PASSWORD).secret}


def _enrolled(server: otpkit.Server) -> dict[str, Any]:
    data = _pending(server)
    data["codes"] = server.confirm("alice", otpkit.code_at(data["secret"], AT))
    return data


def _now_code(data: dict[str, Any], steps: int = 0) -> str:
    return otpkit.code_at(data["secret"], LATER + 30 * steps)


SCENARIOS = [
    Scenario("sign-up", MISSKEY, lambda s: {}, lambda s, d: s.sign_up("alice", PASSWORD)),
    Scenario("register", MISSKEY, _signed_up, lambda s, d: s.register("alice", PASSWORD)),
    Scenario("confirm-misskey", MISSKEY, _pending, lambda s, d: s.confirm("alice", _now_code(d))),
    Scenario("confirm-hardened", HARDENED, _pending, lambda s, d: s.confirm("alice", _now_code(d))),
    Scenario(
        "backup-code-misskey",
        MISSKEY,
        _enrolled,
        lambda s, d: s.sign_in("alice", PASSWORD, d["codes"][1]),
        between_read_and_write=True,
    ),
    Scenario(
        "backup-code-hardened",
        HARDENED,
        _enrolled,
        lambda s, d: s.sign_in("alice", PASSWORD, d["codes"][1]),
    ),
    Scenario(
        "totp-step-and-drift",
        HARDENED,
        _enrolled,
        lambda s, d: s.sign_in("alice", PASSWORD, _now_code(d, steps=1)),
    ),
    Scenario(
        "wrong-code-counted",
        HARDENED,
        _enrolled,
        lambda s, d: s.sign_in("alice", PASSWORD, _wrong(d)),
    ),
    Scenario(
        "unregister",
        MISSKEY,
        _enrolled,
        lambda s, d: s.unregister("alice", PASSWORD, _now_code(d)),
    ),
    Scenario(
        "re-register-backup-misskey",
        MISSKEY,
        _enrolled,
        lambda s, d: s.register("alice", PASSWORD, d["codes"][0]),
        between_read_and_write=True,
    ),
    Scenario(
        "re-register-backup-wrong-password",
        MISSKEY,
        _enrolled,
        lambda s, d: s.register("alice", "wrong", d["codes"][0]),
    ),
    Scenario(
        "re-register-totp-hardened",
        HARDENED,
        _enrolled,
        lambda s, d: s.register("alice", PASSWORD, _now_code(d)),
    ),
    Scenario(
        "unregister-backup-hardened",
        HARDENED,
        _enrolled,
        lambda s, d: s.unregister("alice", PASSWORD, d["codes"][4]),
    ),
]


def _wrong(data: dict[str, Any]) -> str:
    right = {otpkit.code_at(data["secret"], LATER + 30 * k) for k in range(-2, 3)}
    return next(c for c in ("123456", "654321", "111111") if c not in right)


def _server(path: Path, policy: otpkit.Policy, t: float) -> otpkit.Server:
    # The setup (at AT) and the change (later) draw different secrets from their own seeds.
    return otpkit.Server(
        policy=policy,
        clock=otpkit.FixedClock(t),
        rng=otpkit.DemoRandom(11 if t == AT else 12),
        store=otpkit.SqliteStore(path),
    )


def snapshot(path: Path) -> Snapshot:
    """Every committed row, with bcrypt hashes (salted at random) blanked out."""
    db = sqlite3.connect(path)
    try:
        accounts = []
        for key, data in db.execute("SELECT key, data FROM accounts ORDER BY key"):
            fields = json.loads(data)
            fields["password_hash"] = "<bcrypt>"
            accounts.append((key, json.dumps(fields, sort_keys=True)))
        hits = db.execute("SELECT ip, data FROM hits ORDER BY ip").fetchall()
        return tuple(accounts), tuple(hits)
    finally:
        db.close()


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def _run(scenario: Scenario, path: Path, hook: Callable[[str], None]) -> None:
    server = _server(path, scenario.policy, LATER)
    server.store.fault_hook = hook
    if scenario.between_read_and_write:
        server.between_read_and_write = lambda: hook("between-read-and-write")
    try:
        scenario.action(server, _data_for(scenario))
    except OtpkitError:
        pass  # a refused request is a state change too (a burnt code, a counted failure)
    finally:
        server.store.close()


_DATA: dict[str, dict[str, Any]] = {}


def _data_for(scenario: Scenario) -> dict[str, Any]:
    return _DATA[scenario.name]


def _prepare(scenario: Scenario, tmp_path: Path) -> Path:
    base = tmp_path / "before.db"
    server = _server(base, scenario.policy, AT)
    _DATA[scenario.name] = scenario.setup(server)
    server.store.close()  # the last connection to close folds the WAL into the file
    return base


def _dry_run(scenario: Scenario, base: Path, tmp_path: Path) -> tuple[list[str], list[Snapshot]]:
    """The hook points in order, and the committed state as of each."""
    path = tmp_path / "dry.db"
    shutil.copy(base, path)
    points: list[str] = []
    states: list[Snapshot] = []
    committed = [snapshot(path)]

    def record(point: str) -> None:
        if point == "committed":
            committed.append(snapshot(path))
        points.append(point)
        states.append(committed[-1])

    _run(scenario, path, record)
    return points, states


def _killed_child(scenario: Scenario, path: Path, at_call: int) -> int:
    def child() -> None:
        calls = []

        def die(point: str) -> None:
            calls.append(point)
            if len(calls) == at_call:
                if at_call % 2:
                    os.kill(os.getpid(), signal.SIGKILL)
                os._exit(70)

        _run(scenario, path, die)
        os._exit(0)  # not reached when the kill point exists

    process = FORK.Process(target=child)
    process.start()
    process.join(60)
    assert process.exitcode is not None, "the child hung"
    return process.exitcode


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_a_kill_at_any_point_leaves_before_or_after(scenario, tmp_path):
    base = _prepare(scenario, tmp_path)
    before = snapshot(base)
    points, states = _dry_run(scenario, base, tmp_path)
    after = states[-1]
    assert after[0] != before[0], "the change changed no account"
    assert "committed" in points
    # One transaction per state change: no committed state lies between before and after.
    assert {s[0] for s in states} <= {before[0], after[0]}
    for call, (point, expected) in enumerate(zip(points, states, strict=True), start=1):
        path = tmp_path / f"kill-{call}.db"
        shutil.copy(base, path)
        code = _killed_child(scenario, path, call)
        assert code in (-signal.SIGKILL, 70), f"killed at {point}: exit code {code}"
        assert integrity(path) == "ok"
        found = snapshot(path)
        assert found == expected, f"killed at call {call} ({point})"
        assert found[0] in (before[0], after[0])
        # The survivor is usable: a new server on the same file reads the account.
        server = _server(path, scenario.policy, LATER + 3600)
        if found[0]:
            assert server.stored("alice")["username"] == "alice"
        server.store.close()


def test_enough_kills_are_injected(tmp_path):
    """The kill points the scenarios above go through, counted on their own: each of those
    tests kills a child at every point its dry run passes, so this is what they inject."""
    kills = []
    for scenario in SCENARIOS:
        folder = tmp_path / scenario.name
        folder.mkdir()
        points, _ = _dry_run(scenario, _prepare(scenario, folder), folder)
        kills += [f"{scenario.name}@{call}:{point}" for call, point in enumerate(points, 1)]
    assert len(kills) >= 60
    assert {k.split(":")[1] for k in kills} >= {
        "begin",
        "read",
        "before-commit",
        "committed",
        "between-read-and-write",
    }


@pytest.mark.parametrize("store_kind", ["memory", "sqlite"])
def test_a_failing_write_rolls_back_and_says_so(tmp_path, store_kind):
    store = (
        otpkit.MemoryStore() if store_kind == "memory" else otpkit.SqliteStore(tmp_path / "s.db")
    )
    server = otpkit.Server(policy=MISSKEY, clock=otpkit.FixedClock(AT), store=store)
    data = _enrolled(server)
    before = server.stored("alice")

    def boom(a):
        raise OtpkitError("refused")

    with pytest.raises(OtpkitError):
        store.update_account("alice", boom)
    assert server.stored("alice") == before
    if store_kind == "sqlite":

        def fail(point: str) -> None:
            if point == "before-commit":
                raise RuntimeError("disk full")

        store.fault_hook = fail
        with pytest.raises(RuntimeError):
            server.sign_in("alice", PASSWORD, data["codes"][0])
        store.fault_hook = None
        assert server.stored("alice") == before
        assert integrity(tmp_path / "s.db") == "ok"


# -- restarts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [MISSKEY, HARDENED], ids=["misskey", "hardened"])
def test_enrollment_survives_a_restart(tmp_path, policy):
    path = tmp_path / "server.db"
    clock = otpkit.ManualClock(AT)
    first = otpkit.Server(
        policy=policy, clock=clock, rng=otpkit.DemoRandom(3), store=otpkit.SqliteStore(path)
    )
    first.sign_up("Alice", PASSWORD)
    reg = first.register("alice", PASSWORD)
    codes = first.confirm("alice", otpkit.code_at(reg.secret, AT))
    clock.advance(30)
    used = otpkit.code_at(reg.secret, clock.now())
    assert first.sign_in("alice", PASSWORD, used).ok
    clock.advance(2)
    assert first.sign_in("alice", PASSWORD, codes[0]).used_backup_code
    state = first.stored("alice")
    first.store.close()
    del first

    second = otpkit.Server(policy=policy, clock=clock, store=otpkit.SqliteStore(path))
    assert second.stored("ALICE") == state
    assert second.warning("alice") == "partial"
    clock.advance(2)
    with pytest.raises(otpkit.InvalidToken):
        second.sign_in("alice", PASSWORD, codes[0])  # still used up
    clock.advance(2)
    if policy.refuses_replays:  # the used step is remembered across the restart
        with pytest.raises(otpkit.TokenReplayed):
            second.sign_in("alice", PASSWORD, used)
    else:
        assert second.sign_in("alice", PASSWORD, used).ok
    clock.advance(60)
    assert second.sign_in("alice", PASSWORD, otpkit.code_at(reg.secret, clock.now())).ok
    second.store.close()


def test_a_pending_re_registration_survives_a_restart(tmp_path):
    path = tmp_path / "server.db"
    clock = otpkit.ManualClock(AT)
    first = _server(path, HARDENED, AT)
    first.clock = clock
    data = _enrolled(first)
    clock.advance(30)
    reg = first.register("alice", PASSWORD, otpkit.code_at(data["secret"], clock.now()))
    first.store.close()
    second = otpkit.Server(policy=HARDENED, clock=clock, store=otpkit.SqliteStore(path))
    assert second.stored("alice")["pending_secret"] == reg.secret
    clock.advance(30)
    second.confirm("alice", otpkit.code_at(reg.secret, clock.now()))
    assert second.stored("alice")["secret"] == reg.secret
    second.store.close()


def test_fault_points_are_named_and_in_order(tmp_path):
    store = otpkit.SqliteStore(tmp_path / "p.db")
    server = otpkit.Server(policy=MISSKEY, clock=otpkit.FixedClock(AT), store=store)
    server.sign_up("alice", PASSWORD)
    seen: list[str] = []
    store.fault_hook = seen.append
    server.register("alice", PASSWORD)
    assert seen == ["begin", "read", "before-commit", "committed"]
    store.close()


def test_a_store_opened_before_a_fork_works_in_the_child(tmp_path):
    path = tmp_path / "f.db"
    server = otpkit.Server(
        policy=replace(MISSKEY, rate_limit=None),
        clock=otpkit.FixedClock(AT),
        store=otpkit.SqliteStore(path),
    )
    server.sign_up("alice", PASSWORD)

    def child() -> None:
        server.register("alice", PASSWORD)  # on a connection of its own
        os._exit(0)

    process = FORK.Process(target=child)
    process.start()
    process.join(60)
    assert process.exitcode == 0
    assert server.stored("alice")["pending_secret"] is not None
    assert integrity(path) == "ok"
    server.store.close()
