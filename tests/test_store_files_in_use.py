"""A store file that cannot be used raises StoreError saying what is wrong and what to do.

A store in use: a lock held by another connection, a full database, and in-memory stores (one
database for every thread, two stores two databases, gone once closed).
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from otpkit.errors import StoreError
from otpkit.store import Account, SqliteStore

from .store_file_helpers import ALICE, T0, made

# -- a busy or full database -----------------------------------------------------------------


def test_a_lock_held_beyond_the_timeout_says_so_and_leaves_the_store_usable(tmp_path):
    path = made(tmp_path / "busy.db", ALICE)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    store = SqliteStore(path, timeout=0.2)
    with pytest.raises(StoreError, match=r"locked .* more than 0\.2 s"):
        store.update_account("alice", lambda a: (a, None))
    blocker.execute("ROLLBACK")
    blocker.close()
    assert store.update_account("alice", lambda a: (a, "done")) == "done"  # no transaction left
    store.close()


def test_a_full_database_says_so_and_rolls_back(tmp_path):
    store = SqliteStore(tmp_path / "full.db")
    store.create(ALICE)
    with store._use() as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="full"):
        store.create(Account(username="bob", password_hash="h" * 100_000))
    assert store.get("bob") is None
    assert store.update_account("alice", lambda a: (a, "still fine")) == "still fine"
    store.close()


# -- one in-memory database for every thread -------------------------------------------------


@pytest.mark.parametrize(
    "path", [":memory:", "file::memory:", "file:lesson?mode=memory&cache=shared"]
)
def test_an_in_memory_store_is_one_database_for_all_threads(path):
    store = SqliteStore(path)
    store.attach("misskey")
    store.create(ALICE)
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(i: int) -> None:
        try:
            barrier.wait()
            assert store.get("alice") == ALICE
            store.create(Account(username=f"user{i}", password_hash="h"))
            store.update_hits("10.0.0.1", lambda h: (h + (T0 + i,), None))
            store.update_account("alice", lambda a: (a, None))
            with pytest.raises(StoreError):
                store.attach("hardened")
        except BaseException as exc:  # noqa: BLE001 - checked below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.usernames() == ["Alice", *(f"user{i}" for i in range(8))]
    assert len(store.update_hits("10.0.0.1", lambda h: (h, h))) == 8
    store.close()


def test_two_in_memory_stores_are_two_databases():
    one, two = SqliteStore(":memory:"), SqliteStore(":memory:")
    one.create(ALICE)
    assert two.get("alice") is None
    one.close()
    two.close()


def test_a_closed_in_memory_store_says_its_data_is_gone():
    store = SqliteStore(":memory:")
    store.create(ALICE)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.get("alice")
