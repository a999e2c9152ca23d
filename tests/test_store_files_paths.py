"""A store file that cannot be used raises StoreError saying what is wrong and what to do.

Where the file is and who may write it: a folder, a missing folder, a path that is not one,
and files and folders an unprivileged user may not write (checked in a forked child that drops
root).
"""

from __future__ import annotations

import multiprocessing
import os
import pwd
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otpkit.errors import InvalidInput, StoreError
from otpkit.store import Account, SqliteStore

from .store_file_helpers import ALICE, T0, made

FORK = multiprocessing.get_context("fork")


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
