"""A store file that cannot be used raises StoreError saying what is wrong and what to do.

What the file holds: garbage, a text file, a truncated database, another program's database, a
file made by a newer kit or for another policy, and rows injected with sqlite3 that the kit did
not write. No sqlite3, JSON or type error may come out of the store.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from otpkit.errors import StoreError, UserExists
from otpkit.store import Account, SqliteStore

from .store_file_helpers import ALICE, T0, made


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
