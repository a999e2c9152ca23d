"""Where a server keeps accounts and rate-limit counters: in memory, or in a SQLite file.

Every change goes through ``update_*(key, change)``: the store reads the current value, calls
``change(value) -> (new_value, result)`` and writes ``new_value`` in one transaction. If
``change`` raises, nothing is written. Several Servers (threads or processes) may share one
SqliteStore; its transactions serialise them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import InvalidInput, NoSuchUser, UserExists

T = TypeVar("T")
Hits = tuple[float, ...]


@dataclass(frozen=True)
class Account:
    """What the server stores for one user (field names follow the kit, not Misskey's columns)."""

    username: str
    password_hash: str
    two_factor: bool = False
    secret: str | None = None
    pending_secret: str | None = None
    backup_codes: tuple[str, ...] = ()
    backup_codes_issued: int = 0
    last_step: int | None = None
    drift: int = 0
    failures: int = 0
    blocked_until: float = 0.0

    @property
    def key(self) -> str:
        return self.username.lower()

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Account:
        data = json.loads(text)
        data["backup_codes"] = tuple(data["backup_codes"])
        return cls(**data)


AccountChange = Callable[[Account], tuple[Account, T]]
HitsChange = Callable[[Hits], tuple[Hits, T]]


class MemoryStore:
    """Accounts in a dict, guarded by a lock: the default, gone when the process ends."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._hits: dict[str, Hits] = {}
        self._lock = threading.RLock()

    def get(self, key: str) -> Account | None:
        with self._lock:
            return self._accounts.get(key)

    def create(self, account: Account) -> None:
        with self._lock:
            if account.key in self._accounts:
                raise UserExists(f"the username {account.username!r} is already taken")
            self._accounts[account.key] = account

    def update_account(self, key: str, change: AccountChange[T]) -> T:
        with self._lock:
            current = self._accounts.get(key)
            if current is None:
                raise NoSuchUser(f"there is no account called {key!r}")
            new, result = change(current)
            self._accounts[key] = new
            return result

    def update_hits(self, ip: str, change: HitsChange[T]) -> T:
        with self._lock:
            new, result = change(self._hits.get(ip, ()))
            self._hits[ip] = new
            return result

    def usernames(self) -> list[str]:
        with self._lock:
            return sorted(a.username for a in self._accounts.values())


class SqliteStore:
    """Accounts in a SQLite file (WAL): survives a restart, shared safely by threads and processes.

    ``fault_hook(point)`` is called at each point of every write transaction: ``"begin"`` (the
    write lock is held), ``"read"`` (the row was read), ``"before-commit"`` (the row was written)
    and ``"committed"``, so a test can kill the process anywhere and check that nothing
    half-written remains. A hook that raises before the commit rolls the transaction back.
    """

    def __init__(self, path: str | Path, timeout: float = 30.0):
        if not isinstance(path, (str, Path)) or not str(path):
            raise InvalidInput("SqliteStore needs a file path")
        self.path = str(path)
        self.timeout = timeout
        self.fault_hook: Callable[[str], None] | None = None
        self._local = threading.local()
        with self._transaction() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS accounts (key TEXT PRIMARY KEY, data TEXT NOT NULL)"
            )
            db.execute("CREATE TABLE IF NOT EXISTS hits (ip TEXT PRIMARY KEY, data TEXT NOT NULL)")

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        # A connection must not cross a fork: a child process opens its own.
        if db is None or self._local.pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            self._local.db = db
            self._local.pid = os.getpid()
        return db

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection(), self._fault)

    def _fault(self, point: str) -> None:
        if self.fault_hook is not None:
            self.fault_hook(point)

    def get(self, key: str) -> Account | None:
        row = (
            self._connection().execute("SELECT data FROM accounts WHERE key = ?", (key,)).fetchone()
        )
        return None if row is None else Account.from_json(row[0])

    def create(self, account: Account) -> None:
        with self._transaction() as db:
            try:
                db.execute(
                    "INSERT INTO accounts (key, data) VALUES (?, ?)",
                    (account.key, account.to_json()),
                )
            except sqlite3.IntegrityError:
                raise UserExists(f"the username {account.username!r} is already taken") from None

    def update_account(self, key: str, change: AccountChange[T]) -> T:
        with self._transaction() as db:
            row = db.execute("SELECT data FROM accounts WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise NoSuchUser(f"there is no account called {key!r}")
            self._fault("read")
            new, result = change(Account.from_json(row[0]))
            db.execute("UPDATE accounts SET data = ? WHERE key = ?", (new.to_json(), key))
            return result

    def update_hits(self, ip: str, change: HitsChange[T]) -> T:
        with self._transaction() as db:
            row = db.execute("SELECT data FROM hits WHERE ip = ?", (ip,)).fetchone()
            self._fault("read")
            new, result = change(tuple(json.loads(row[0])) if row else ())
            db.execute(
                "INSERT INTO hits (ip, data) VALUES (?, ?) "
                "ON CONFLICT(ip) DO UPDATE SET data = excluded.data",
                (ip, json.dumps(list(new))),
            )
            return result

    def usernames(self) -> list[str]:
        rows = self._connection().execute("SELECT data FROM accounts ORDER BY key").fetchall()
        return [Account.from_json(r[0]).username for r in rows]

    def close(self) -> None:
        """Close this thread's connection (the last one to close folds the WAL into the file)."""
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
            self.db.execute("ROLLBACK")
            raise
        return self.db

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is not None:
            self.db.execute("ROLLBACK")
            return
        try:
            self.fault("before-commit")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        self.fault("committed")
