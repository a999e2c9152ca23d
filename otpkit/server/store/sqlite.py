"""SqliteStore: one file (WAL) shared by threads and processes, one transaction per change,
with a schema version and the policy the file was made for."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ...core.errors import InvalidInput, NoSuchUser, StoreError, UserExists
from .account import (
    SCHEMA,
    Account,
    AccountChange,
    HitsChange,
    T,
    _check_account,
    _check_hits,
    _check_key,
    _check_mark,
    _no_constant,
    _other_policy,
    _real,
    _shown,
    _split,
)

_TABLES = {"meta", "accounts", "hits", "marks"}
_CREATE = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS accounts (key TEXT PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS hits (ip TEXT PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS marks (key TEXT PRIMARY KEY, expires REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS marks_by_expiry ON marks (expires)",
    f"INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '{SCHEMA}')",
]
_NOT_OURS = "move it aside and let otpkit make a new file, or choose another path"
_ADVICE = [  # (words of SQLite's error, what to tell the user), first match wins
    (("closed",), "this store was closed: make a new SqliteStore"),
    (
        ("readonly", "read-only"),
        "{path} is read-only (the file, or its folder {folder}, where SQLite keeps the -wal and "
        "-shm files): make both writable, or copy the file to a folder where you may write",
    ),
    (
        ("locked", "busy"),
        "{path} stayed locked by another connection for more than {s.timeout:g} s: let the other "
        "program finish (or close it), or give SqliteStore a longer timeout",
    ),
    (("not a database", "notadb"), "{path} is not a SQLite database: " + _NOT_OURS),
    (("malformed", "corrupt"), "{path} is damaged ({exc}): restore a backup, or " + _NOT_OURS),
    (("full",), "the disk holding {path} is full: free some space, then try again"),
    (("unable to open",), "{path} cannot be opened: check its folder and your rights there"),
]


class SqliteStore:
    """Accounts in a SQLite file (WAL): survives a restart, shared safely by threads and processes.

    ``":memory:"`` (or a ``file:...?mode=memory`` URI) is one database shared by the threads of
    this process, through one connection and a lock. Other paths starting with ``file:`` are
    SQLite URIs (``file:x.db?mode=ro`` opens read-only). The file records its schema version
    and policy in a ``meta`` table; a file of the previous kit (``accounts`` and ``hits``, no
    ``meta``) is adopted as schema 1.

    ``fault_hook(point)`` is called at each point of every write transaction: ``"begin"`` (the
    write lock is held), ``"read"`` (the row was read), ``"before-commit"`` (the row was written)
    and ``"committed"``, so a test can kill the process anywhere and check that nothing
    half-written remains. A hook that raises before the commit rolls the transaction back.
    """

    def __init__(self, path: str | Path, timeout: float = 30.0):
        if not isinstance(path, (str, Path)) or not str(path):
            raise InvalidInput("SqliteStore needs a file path")
        if "\0" in str(path):
            raise InvalidInput("a file path cannot hold a NUL character")
        if not _real(timeout) or timeout < 0:
            raise InvalidInput(f"timeout is a number of seconds >= 0, not {_shown(timeout)}")
        self.path = str(path)
        self.timeout = float(timeout)
        self.fault_hook: Callable[[str], None] | None = None
        self._uri = self.path.startswith("file:")
        query = self.path.partition("?")[2].split("&")
        self._memory = self.path in (":memory:", "file:", "file::memory:") or (
            self._uri and ("mode=memory" in query or self.path.startswith("file::memory:?"))
        )
        self._local = threading.local()
        self._shared: sqlite3.Connection | None = None
        self._closed = False
        self._shared_lock = threading.RLock()
        if not self._uri and not self._memory:
            self._check_place()
        try:
            with self._use() as db:
                if not self._inspect(db):
                    with _Transaction(db, self._fault):
                        if not self._inspect(db):  # another process may have made it meanwhile
                            for statement in _CREATE:
                                db.execute(statement)
        except BaseException:
            self.close()
            raise

    def _check_place(self) -> None:
        place = Path(self.path)
        try:
            if place.is_dir():
                raise StoreError(
                    f"{place} is a folder, not a file: give SqliteStore the path of a file "
                    f"in it, such as {place / 'otpkit.db'}"
                )
            if place.parent.exists() and not place.parent.is_dir():
                raise StoreError(f"{place.parent} is a file, not a folder: choose another path")
            if not place.parent.exists():
                raise StoreError(
                    f"the folder {place.parent} does not exist: create it first "
                    f"(mkdir -p {place.parent}) or choose a path in a folder that exists"
                )
        except OSError as exc:  # a folder on the way that this user may not enter
            raise StoreError(
                f"cannot look at {place} ({exc.strerror}): check that you may enter its "
                "folders, or choose another path"
            ) from None

    def _inspect(self, db: sqlite3.Connection) -> bool:
        """True when the file is a store of this schema; False when it needs its tables made."""
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        tables = {r[0] for r in rows if not str(r[0]).startswith("sqlite_")}
        if "meta" in tables:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                raise StoreError(f"{self.path} is not an otpkit store (no schema): {_NOT_OURS}")
            version = int(row[0]) if isinstance(row[0], str) and row[0].isdecimal() else None
            if version is not None and version > SCHEMA:
                raise StoreError(
                    f"{self.path} was written by a newer otpkit (store schema {version}; this "
                    f"otpkit reads schema {SCHEMA}): upgrade otpkit, or choose another file"
                )
            if version != SCHEMA:
                raise StoreError(
                    f"{self.path} has store schema {str(row[0])[:20]!r}, which this otpkit does "
                    f"not know (it reads schema {SCHEMA}): open it with the otpkit that made it, "
                    f"or {_NOT_OURS}"
                )
            if _TABLES - tables:
                missing = ", ".join(sorted(_TABLES - tables))
                raise StoreError(f"{self.path} is damaged (no table {missing}): {_NOT_OURS}")
            return True
        if not tables:
            return False  # a new (or empty) file
        if tables == {"accounts", "hits"} and [
            [c[1] for c in db.execute(f"PRAGMA table_info({t})")] for t in ("accounts", "hits")
        ] == [["key", "data"], ["ip", "data"]]:
            return False  # the previous kit's file: adopted as schema 1 (meta and marks added)
        raise StoreError(
            f"{self.path} is a SQLite database but not an otpkit store (it holds the tables "
            f"{', '.join(sorted(tables)[:5])}): {_NOT_OURS}"
        )

    def _connection(self) -> sqlite3.Connection:
        if self._memory:
            if self._closed:
                raise StoreError(
                    "this in-memory store was closed, and its data with it: make a new one"
                )
            if self._shared is None:
                self._shared = self._connect()
            return self._shared
        db = getattr(self._local, "db", None)
        # A connection must not cross a fork: a child process opens its own.
        if db is None or self._local.pid != os.getpid():
            db = self._connect()
            self._local.db = db
            self._local.pid = os.getpid()
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path,
            timeout=self.timeout,
            isolation_level=None,
            uri=self._uri,
            check_same_thread=not self._memory,
        )
        db.text_factory = lambda b: b.decode("utf-8", "surrogateescape")  # bad rows say which
        if not self._memory:
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
            except sqlite3.Error:
                db.close()
                raise
        return db

    @contextlib.contextmanager
    def _use(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection (the shared one, locked, for memory); SQLite errors explained."""
        try:
            with self._shared_lock if self._memory else contextlib.nullcontext():
                yield self._connection()
        except sqlite3.Error as exc:
            raise self._explain(exc) from exc

    def _explain(self, exc: sqlite3.Error) -> StoreError:
        said = f"{getattr(exc, 'sqlite_errorname', '')} {exc}".lower()
        folder = Path(self.path).parent
        if "unable to open" in said and not self._uri and not os.access(folder, os.W_OK):
            said = "readonly"  # SQLite cannot make the file (or its -wal) in that folder
        for words, advice in _ADVICE:
            if any(word in said for word in words):
                return StoreError(advice.format(path=self.path, folder=folder, exc=exc, s=self))
        return StoreError(
            f"SQLite cannot use {self.path} ({exc}): if otpkit did not make it, " + _NOT_OURS
        )

    def _bad_row(self, table: str, key: object, problem: str) -> StoreError:
        return StoreError(
            f"row {key!r:.60} of the {table} table in {self.path} is not what otpkit writes: "
            f"{problem}. Delete or fix that row, or restore the file from a backup"
        )

    def _account(self, key: object, data: object) -> Account:
        try:
            account = Account.from_json(data)
        except StoreError as exc:
            raise self._bad_row("accounts", key, exc.message) from None
        if account.key != key:
            raise self._bad_row("accounts", key, f"it holds the account {account.username!r}")
        return account

    def _fault(self, point: str) -> None:
        if self.fault_hook is not None:
            self.fault_hook(point)

    def attach(self, policy_name: str) -> None:
        """Record the policy this file serves; StoreError if it was made for another."""
        _check_key(policy_name, "a policy name (such as 'misskey')")
        with self._use() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'policy'").fetchone()
            if row is None:  # the first attach: record it (unless another process just did)
                with _Transaction(db, self._fault):
                    db.execute(
                        "INSERT OR IGNORE INTO meta (key, value) VALUES ('policy', ?)",
                        (policy_name,),
                    )
                    row = db.execute("SELECT value FROM meta WHERE key = 'policy'").fetchone()
            if row[0] != policy_name:
                raise _other_policy(str(row[0]), policy_name, "file")

    def get(self, key: str) -> Account | None:
        _check_key(key)
        with self._use() as db:
            row = db.execute("SELECT data FROM accounts WHERE key = ?", (key,)).fetchone()
            return None if row is None else self._account(key, row[0])

    def create(self, account: Account) -> None:
        _check_account(account)
        with self._use() as db, _Transaction(db, self._fault):
            try:
                db.execute(
                    "INSERT INTO accounts (key, data) VALUES (?, ?)",
                    (account.key, account.to_json()),
                )
            except sqlite3.IntegrityError:
                raise UserExists(f"the username {account.username!r} is already taken") from None

    def update_account(self, key: str, change: AccountChange[T]) -> T:
        _check_key(key)
        with self._use() as db, _Transaction(db, self._fault):
            row = db.execute("SELECT data FROM accounts WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise NoSuchUser(f"there is no account called {key!r}")
            self._fault("read")
            new, result = _split(change(self._account(key, row[0])))
            data = _check_account(new, key).to_json()
            db.execute("UPDATE accounts SET data = ? WHERE key = ?", (data, key))
            return result

    def update_hits(self, ip: str, change: HitsChange[T]) -> T:
        _check_key(ip, "an ip")
        with self._use() as db, _Transaction(db, self._fault):
            row = db.execute("SELECT data FROM hits WHERE ip = ?", (ip,)).fetchone()
            hits: Any = ()
            if row is not None:
                try:
                    hits = json.loads(str(row[0]), parse_constant=_no_constant)
                except (ValueError, RecursionError):
                    raise self._bad_row("hits", ip, "it is not JSON text") from None
                problem = _check_hits(hits)
                if problem:
                    raise self._bad_row("hits", ip, f"it {problem}")
            self._fault("read")
            new, result = _split(change(tuple(hits)))
            problem = _check_hits(new)
            if problem:
                raise InvalidInput(f"the new hits of {ip!r} {problem}")
            db.execute(
                "INSERT INTO hits (ip, data) VALUES (?, ?) "
                "ON CONFLICT(ip) DO UPDATE SET data = excluded.data",
                (ip, json.dumps(list(new))),
            )
            return result

    def set_if_absent(self, key: str, now: float, ttl: float) -> bool:
        """Redis ``SET key 1 NX EX ttl``: True (and set) unless the key is there and unexpired.

        A mark set at ``now`` lives for ``ttl`` seconds: at ``now + ttl`` it has expired. Marks
        expired at ``now`` are deleted in the same transaction.
        """
        expires = _check_mark(key, now, ttl)
        with self._use() as db, _Transaction(db, self._fault):
            db.execute("DELETE FROM marks WHERE expires <= ?", (float(now),))
            row = db.execute("SELECT expires FROM marks WHERE key = ?", (key,)).fetchone()
            self._fault("read")
            if row is not None:
                if not _real(row[0]):
                    raise self._bad_row("marks", key, "its expiry is not a number")
                return False
            db.execute("INSERT INTO marks (key, expires) VALUES (?, ?)", (key, expires))
            return True

    def usernames(self) -> list[str]:
        with self._use() as db:
            rows = db.execute("SELECT key, data FROM accounts ORDER BY key").fetchall()
            return [self._account(key, data).username for key, data in rows]

    def close(self) -> None:
        """Close this thread's connection (the last one to close folds the WAL into the file).

        A ``":memory:"`` store has one connection: closing it ends the database.
        """
        if self._memory:
            with self._shared_lock:
                if self._shared is not None:
                    self._shared.close()
                self._shared = None
                self._closed = True
            return
        db = getattr(self._local, "db", None)
        if db is not None and self._local.pid == os.getpid():
            db.close()
            self._local.db = None


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the body (or the fault hook) raises."""

    def __init__(self, db: sqlite3.Connection, fault: Callable[[str], None]):
        self.db = db
        self.fault = fault

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.fault("begin")
        except BaseException:
            self._rollback()
            raise
        return self.db

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is not None:
            self._rollback()
            return
        try:
            self.fault("before-commit")
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()  # a failed COMMIT leaves the transaction open: end it
            raise
        self.fault("committed")

    def _rollback(self) -> None:
        # SQLite ends the transaction itself after some errors (a full disk, an I/O error).
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
