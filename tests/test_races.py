"""Races on one code: under HARDENED exactly one of many simultaneous sign-ins gets in.

Threads share one server (in memory or on one SQLite file); processes each run their own server
on one SQLite file. A barrier lines the attempts up. Misskey's read-filter-write race is shown
deterministically by ``otpkit.race.demonstrate_backup_race``.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import otpkit
from otpkit.errors import InvalidToken, OtpkitError, RateLimited
from otpkit.race import demonstrate_backup_race

from .conftest import AT, PASSWORD, fast

pytestmark = pytest.mark.slow

HARDENED = fast(otpkit.HARDENED)
MISSKEY = fast(otpkit.MISSKEY)
THREADS = 16
PROCESSES = 4
ROUNDS = 3
SPAWN = multiprocessing.get_context("spawn")


def enroll(server: otpkit.Server, username: str) -> tuple[str, list[str]]:
    server.sign_up(username, PASSWORD)
    reg = server.register(username, PASSWORD)
    codes = server.confirm(username, otpkit.code_at(reg.secret, server.clock.now()))
    return reg.secret, codes


def the_token(kind: str, secret: str, codes: list[str], t: float) -> str:
    return codes[0] if kind == "backup" else otpkit.code_at(secret, t)


def thread_race(n: int, attempt: Callable[[int], Any]) -> list[Any]:
    """Run ``attempt(i)`` in ``n`` threads released together; each outcome or error, by index."""
    barrier = threading.Barrier(n)
    outcomes: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = attempt(i)
        except BaseException as exc:  # noqa: BLE001 - recorded and judged by the test
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(t.is_alive() for t in threads), "a racer hung"
    return outcomes


def judge(outcomes: list[Any]) -> None:
    """Exactly one success; every other racer refused with an InvalidToken or RateLimited."""
    wins = [o for o in outcomes if isinstance(o, otpkit.SignInResult)]
    assert [w.ok for w in wins] == [True], outcomes
    losers = [o for o in outcomes if not isinstance(o, otpkit.SignInResult)]
    assert all(isinstance(o, (InvalidToken, RateLimited)) for o in losers), losers
    assert len(wins) + len(losers) == len(outcomes)


def store_for(kind: str, tmp_path: Path) -> otpkit.MemoryStore | otpkit.SqliteStore:
    return otpkit.MemoryStore() if kind == "memory" else otpkit.SqliteStore(tmp_path / "race.db")


@pytest.mark.parametrize("store_kind", ["memory", "sqlite"])
@pytest.mark.parametrize("token_kind", ["backup", "totp"])
def test_sixteen_threads_one_code_one_winner(tmp_path, store_kind, token_kind):
    clock = otpkit.ManualClock(AT)
    server = otpkit.Server(
        policy=HARDENED,
        clock=clock,
        rng=otpkit.DemoRandom(5),
        store=store_for(store_kind, tmp_path),
    )
    for round_ in range(ROUNDS):
        clock.set(AT + 1000 * round_)
        username = f"racer{round_}"
        secret, codes = enroll(server, username)
        clock.advance(30)
        token = the_token(token_kind, secret, codes, clock.now())
        outcomes = thread_race(
            THREADS,
            lambda i, u=username, tok=token, r=round_: server.sign_in(
                u, PASSWORD, tok, ip=f"10.0.{r}.{i}"
            ),
        )
        judge(outcomes)
        stored = server.stored(username)
        if token_kind == "backup":
            assert len(stored["backup_codes"]) == 4
        else:
            assert stored["last_used_step"] == otpkit.step_at(clock.now())


def _process_racer(path: str, worker: int, plan: list[tuple[str, float, str]], barrier, queue):
    """One process: its own server on the shared file, racing once per round of the plan."""
    clock = otpkit.ManualClock(AT)
    server = otpkit.Server(policy=HARDENED, clock=clock, store=otpkit.SqliteStore(path))
    for round_, (username, t, token) in enumerate(plan):
        clock.set(t)
        barrier.wait(timeout=120)
        try:
            outcome: Any = server.sign_in(username, PASSWORD, token, ip=f"10.1.{round_}.{worker}")
            queue.put((round_, worker, "ok" if outcome.ok else "not ok"))
        except OtpkitError as exc:
            queue.put((round_, worker, type(exc).__name__))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            queue.put((round_, worker, f"CRASH {type(exc).__name__}: {exc}"))
    server.store.close()


@pytest.mark.parametrize("token_kind", ["backup", "totp"])
def test_four_processes_one_file_one_winner(tmp_path, token_kind):
    path = tmp_path / "shared.db"
    clock = otpkit.ManualClock(AT)
    server = otpkit.Server(
        policy=HARDENED, clock=clock, rng=otpkit.DemoRandom(6), store=otpkit.SqliteStore(path)
    )
    plan = []
    for round_ in range(ROUNDS):
        clock.set(AT + 1000 * round_)
        username = f"racer{round_}"
        secret, codes = enroll(server, username)
        t = clock.now() + 30
        plan.append((username, t, the_token(token_kind, secret, codes, t)))
    server.store.close()

    barrier = SPAWN.Barrier(PROCESSES)
    queue = SPAWN.Queue()
    workers = [
        SPAWN.Process(target=_process_racer, args=(str(path), w, plan, barrier, queue))
        for w in range(PROCESSES)
    ]
    for process in workers:
        process.start()
    reports = [queue.get(timeout=120) for _ in range(PROCESSES * ROUNDS)]
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    for round_ in range(ROUNDS):
        outcomes = sorted(r[2] for r in reports if r[0] == round_)
        assert outcomes.count("ok") == 1, outcomes
        assert set(outcomes) - {"ok"} <= {"InvalidToken", "TokenReplayed", "RateLimited"}
    after = otpkit.Server(policy=HARDENED, clock=clock, store=otpkit.SqliteStore(path))
    for username, t, _ in plan:
        stored = after.stored(username)
        if token_kind == "backup":
            assert len(stored["backup_codes"]) == 4
        else:
            assert stored["last_used_step"] == otpkit.step_at(t)
    after.store.close()


@pytest.mark.parametrize("store_kind", ["memory", "sqlite"])
def test_misskey_backup_race_on_demand(tmp_path, store_kind):
    server = otpkit.Server(
        policy=MISSKEY,
        clock=otpkit.FixedClock(AT),
        rng=otpkit.DemoRandom(8),
        store=store_for(store_kind, tmp_path),
    )
    _, codes = enroll(server, "alice")
    for round_, code in enumerate(codes[:3]):
        first, second = demonstrate_backup_race(
            server, "alice", PASSWORD, code, ips=(f"10.2.{round_}.1", f"10.2.{round_}.2")
        )
        assert first.ok and isinstance(second, otpkit.SignInResult) and second.ok
        assert first.used_backup_code and second.used_backup_code
    assert server.stored("alice")["backup_codes"] == codes[3:]  # 3 codes, 6 sign-ins


def test_hardened_closes_the_gap_the_demonstration_uses(tmp_path):
    server = otpkit.Server(
        policy=HARDENED,
        clock=otpkit.FixedClock(AT),
        rng=otpkit.DemoRandom(8),
        store=otpkit.SqliteStore(tmp_path / "h.db"),
    )
    _, codes = enroll(server, "alice")
    first, second = demonstrate_backup_race(server, "alice", PASSWORD, codes[0])
    assert first.ok and isinstance(second, InvalidToken)


def test_the_race_is_there_in_both_misskey_versions_and_the_guard_does_not_see_it():
    """Today's used-step guard marks TOTP steps only: a backup code never reaches it."""
    for policy in (otpkit.MISSKEY, otpkit.MISSKEY_2025):
        server = otpkit.Server(
            policy=fast(policy), clock=otpkit.FixedClock(AT), rng=otpkit.DemoRandom(8)
        )
        _, codes = enroll(server, "alice")
        first, second = demonstrate_backup_race(server, "alice", PASSWORD, codes[0])
        assert first.ok and isinstance(second, otpkit.SignInResult) and second.ok, policy.name
        assert first.used_backup_code and second.used_backup_code
        assert server.stored("alice")["backup_codes"] == codes[1:]
