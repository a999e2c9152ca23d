"""A store file that cannot be used raises StoreError saying what is wrong and what to do.

Each kind of bad file is made for real: a folder, a missing folder, garbage, a truncated database,
files and folders an unprivileged user may not write (checked in a forked child that drops root),
a lock held by another connection, a full database, rows injected with sqlite3 that the kit did
not write, a file made for another policy or by a newer kit. No sqlite3, JSON or type error may
come out of the store.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pwd
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otpkit.errors import InvalidInput, StoreError, UserExists
from otpkit.store import Account, SqliteStore

FORK = multiprocessing.get_context("fork")
ALICE = Account(username="Alice", password_hash="$2b$04$hash", backup_codes=("a1",))
T0 = 1_700_000_000.0


def made(path: Path, *accounts: Account) -> Path:
    """A store file holding ``accounts``, closed so that the WAL is folded into it."""
    store = SqliteStore(path)
    for account in accounts:
        store.create(account)
    store.close()
    return path


def sql(path: Path, *statements: str, params: tuple[Any, ...] = ()) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            db.execute(statement, params if "?" in statement else ())
    finally:
        db.close()


def meta(path: Path) -> dict[str, str]:
    db = sqlite3.connect(path)
    try:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())
    finally:
        db.close()


# -- where the file is -----------------------------------------------------------------------


def test_a_folder_is_not_a_store_file(tmp_path):
    with pytest.raises(StoreError, match="is a folder, not a file") as caught:
        SqliteStore(tmp_path)
    assert str(tmp_path / "otpkit.db") in str(caught.value)  # what to give instead


def test_a_missing_folder_is_named_with_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="does not exist: create it first"):
        SqliteStore(tmp_path / "no" / "such" / "s.db")
    assert not (tmp_path / "no").exists()


def test_a_file_in_place_of_the_folder(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        SqliteStore(tmp_path / "plain" / "s.db")


@pytest.mark.parametrize("path", [None, "", 3, "a\0b"])
def test_a_path_that_is_not_a_path_is_invalid_input(path):
    with pytest.raises(InvalidInput):
        SqliteStore(path)


@pytest.mark.parametrize("timeout", [-1, float("nan"), "30", True])
def test_a_timeout_that_is_not_seconds_is_invalid_input(tmp_path, timeout):
    with pytest.raises(InvalidInput):
        SqliteStore(tmp_path / "s.db", timeout=timeout)


# -- what the file holds ---------------------------------------------------------------------


def test_garbage_bytes_are_not_a_database(tmp_path):
    path = tmp_path / "garbage.db"
    junk = bytes(range(256)) * 40
    path.write_bytes(junk)
    with pytest.raises(StoreError, match="is not a SQLite database: move it aside"):
        SqliteStore(path)
    assert path.read_bytes() == junk  # left as it was


def test_a_text_file_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("remember the milk\n" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        SqliteStore(path)


@pytest.mark.parametrize("keep", [0.5, 0.1])
def test_a_truncated_database_is_refused(tmp_path, keep):
    path = made(
        tmp_path / "cut.db",
        *(Account(username=f"user{i}", password_hash="h" * 500) for i in range(200)),
    )
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(StoreError, match="is damaged .*restore a backup"):
        store = SqliteStore(path)
        store.usernames()


def test_a_database_cut_inside_its_header_is_refused(tmp_path):
    path = made(tmp_path / "cut.db", ALICE)
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(StoreError, match="is damaged .*restore a backup"):
        SqliteStore(path)


def test_another_programs_database_is_not_a_store(tmp_path):
    path = tmp_path / "other.db"
    sql(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    with pytest.raises(StoreError, match="not an otpkit store .*notes"):
        SqliteStore(path)


def test_a_file_made_by_a_newer_kit_is_refused_and_left_alone(tmp_path):
    path = made(tmp_path / "new.db", ALICE)
    sql(path, "UPDATE meta SET value = '2' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="written by a newer otpkit .*upgrade otpkit"):
        SqliteStore(path)
    assert meta(path)["schema"] == "2"


@pytest.mark.parametrize("version", ["0", "one", "-1", "1.0"])
def test_an_unknown_schema_version_says_what_to_do(tmp_path, version):
    path = made(tmp_path / "v.db", ALICE)
    sql(path, "UPDATE meta SET value = ? WHERE key = 'schema'", params=(version,))
    with pytest.raises(StoreError, match="does not know .*open it with the otpkit that made it"):
        SqliteStore(path)


def test_a_meta_table_without_a_schema_is_not_a_store(tmp_path):
    path = made(tmp_path / "m.db")
    sql(path, "DELETE FROM meta")
    with pytest.raises(StoreError, match="not an otpkit store"):
        SqliteStore(path)


def test_a_store_missing_a_table_is_damaged(tmp_path):
    path = made(tmp_path / "d.db")
    sql(path, "DROP TABLE marks")
    with pytest.raises(StoreError, match="damaged .*marks"):
        SqliteStore(path)


def test_a_file_of_the_previous_kit_is_adopted_as_schema_1(tmp_path):
    path = tmp_path / "old.db"
    old_row = {k: v for k, v in json.loads(ALICE.to_json()).items() if k != "password_less"}
    sql(
        path,
        "CREATE TABLE accounts (key TEXT PRIMARY KEY, data TEXT NOT NULL)",
        "CREATE TABLE hits (ip TEXT PRIMARY KEY, data TEXT NOT NULL)",
        "INSERT INTO accounts VALUES ('alice', ?)",
        params=(json.dumps(old_row),),
    )
    store = SqliteStore(path)
    assert store.get("alice") == ALICE
    assert store.set_if_absent("alice:1", T0, 30)
    store.attach("misskey")
    store.close()
    assert meta(path) == {"schema": "1", "policy": "misskey"}


def test_a_file_made_for_another_policy_is_refused(tmp_path):
    path = made(tmp_path / "p.db", ALICE)
    first = SqliteStore(path)
    first.attach("misskey")
    first.close()
    store = SqliteStore(path)
    with pytest.raises(StoreError) as caught:
        store.attach("hardened")
    assert str(caught.value).startswith("this store was made for policy 'misskey';")
    assert str(caught.value).endswith("use a new file or the same policy")
    assert meta(path)["policy"] == "misskey"
    store.close()


# -- rows the kit did not write --------------------------------------------------------------

GOOD = json.loads(ALICE.to_json())
BAD_ACCOUNT_ROWS = {
    "not-json": "'{not json'",
    "a-list": "'[1, 2]'",
    "a-number": "42",
    "a-blob": "x'7b7d'",
    "not-utf8": "CAST(x'ff7b' AS TEXT)",
    "bool-for-int": repr(json.dumps({**GOOD, "failures": True})),
    "str-for-bool": repr(json.dumps({**GOOD, "two_factor": "yes"})),
    "number-codes": repr(json.dumps({**GOOD, "backup_codes": [123456]})),
    "unknown-field": repr(json.dumps({**GOOD, "is_admin": True})),
    "missing-field": repr(json.dumps({k: v for k, v in GOOD.items() if k != "password_hash"})),
    "nan": repr(json.dumps(GOOD).replace('"blocked_until": 0.0', '"blocked_until": NaN')),
    "another-user": repr(json.dumps({**GOOD, "username": "mallory"})),
}


@pytest.mark.parametrize("value", BAD_ACCOUNT_ROWS.values(), ids=BAD_ACCOUNT_ROWS.keys())
def test_an_account_row_the_kit_did_not_write_is_named(tmp_path, value):
    path = made(tmp_path / "rows.db", ALICE, Account(username="carol", password_hash="h"))
    sql(path, f"UPDATE accounts SET data = {value} WHERE key = 'alice'")
    store = SqliteStore(path)
    said = "row 'alice' of the accounts table .* not what otpkit writes"
    with pytest.raises(StoreError, match=said):
        store.get("alice")
    with pytest.raises(StoreError, match=said):
        store.usernames()
    called = []
    with pytest.raises(StoreError, match=said):
        store.update_account("alice", lambda a: (called.append(a), None))  # type: ignore[func-returns-value]
    assert called == []
    with pytest.raises(UserExists):
        store.create(ALICE)
    assert store.get("carol") == Account(username="carol", password_hash="h")
    store.close()


@pytest.mark.parametrize("value", ["'nope'", "'{\"a\": 1}'", "'[1, \"x\"]'", "'[true]'", "x'00'"])
def test_a_hits_row_the_kit_did_not_write_is_named(tmp_path, value):
    path = made(tmp_path / "hits.db")
    sql(path, f"INSERT INTO hits VALUES ('203.0.113.9', {value})")
    store = SqliteStore(path)
    called = []
    with pytest.raises(StoreError, match="row '203.0.113.9' of the hits table"):
        store.update_hits("203.0.113.9", lambda h: (called.append(h), None))  # type: ignore[func-returns-value]
    assert called == []
    assert store.update_hits("198.51.100.1", lambda h: ((T0,), "ok")) == "ok"
    store.close()


def test_a_marks_row_the_kit_did_not_write_is_named(tmp_path):
    path = made(tmp_path / "marks.db")
    sql(path, "INSERT INTO marks VALUES ('alice:1', 'soon')")
    store = SqliteStore(path)
    with pytest.raises(StoreError, match="row 'alice:1' of the marks table"):
        store.set_if_absent("alice:1", T0, 30)
    assert store.set_if_absent("alice:2", T0, 30)
    store.close()


# -- read-only files and folders: checked as a user who may not write ------------------------


@pytest.fixture
def folder():
    """A folder an unprivileged user may enter (pytest's tmp_path is root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="otpkit-ro-"))
    path.chmod(0o777)
    yield path
    path.chmod(0o755)
    shutil.rmtree(path)


def as_user(action: Callable[[], object]) -> tuple[str, str]:
    """Run ``action`` in a forked child that drops root; (exception name or "ok", message)."""

    def child(queue: Any) -> None:
        try:
            if os.geteuid() == 0:
                nobody = pwd.getpwnam("nobody")
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            result = action()
            queue.put(("ok", repr(result)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            queue.put((type(exc).__name__, str(exc)))

    queue = FORK.SimpleQueue()
    process = FORK.Process(target=child, args=(queue,))
    process.start()
    process.join(60)
    assert process.exitcode == 0
    return queue.get()


def _read_then_write(path: Path) -> None:
    store = SqliteStore(path)
    assert store.get("alice") == ALICE  # reading a read-only file works
    store.create(Account(username="bob", password_hash="h"))


def test_a_read_only_file_fails_at_the_first_write(folder):
    path = made(folder / "ro.db", ALICE)
    path.chmod(0o444)
    kind, message = as_user(lambda: _read_then_write(path))
    assert kind == "StoreError", message
    assert "read-only" in message and "make both writable" in message


def test_a_read_only_new_file_fails_at_opening(folder):
    path = folder / "empty.db"
    path.write_bytes(b"")
    path.chmod(0o444)
    kind, message = as_user(lambda: SqliteStore(path))
    assert (kind, "read-only" in message) == ("StoreError", True), message


@pytest.mark.parametrize("exists", [True, False], ids=["file-there", "new-file"])
def test_a_read_only_folder_fails_at_opening(folder, exists):
    inner = folder / "locked"
    inner.mkdir()
    path = inner / "s.db"
    if exists:
        made(path, ALICE).chmod(0o666)
    inner.chmod(0o555)
    kind, message = as_user(lambda: SqliteStore(path).get("alice"))
    assert (kind, "read-only" in message) == ("StoreError", True), message


@pytest.mark.parametrize("depth", ["in-it", "below-it"])
def test_a_folder_the_user_may_not_enter(folder, depth):
    closed = folder / "private"
    (closed / "sub").mkdir(parents=True)
    closed.chmod(0o700)
    path = closed / "s.db" if depth == "in-it" else closed / "sub" / "s.db"
    kind, message = as_user(lambda: SqliteStore(path))
    assert kind == "StoreError", message
    assert "does not exist" not in message
    assert "may enter" in message or "read-only" in message


def test_a_read_only_uri_reads_and_refuses_writes(tmp_path):
    path = made(tmp_path / "ro.db", ALICE)
    store = SqliteStore(f"file:{path}?mode=ro")
    assert store.get("alice") == ALICE
    for write in (
        lambda: store.create(Account(username="bob", password_hash="h")),
        lambda: store.update_account("alice", lambda a: (a, None)),
        lambda: store.set_if_absent("k", T0, 30),
        lambda: store.attach("misskey"),
    ):
        with pytest.raises(StoreError, match="read-only"):
            write()
    assert store.usernames() == ["Alice"]
    store.close()


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
