"""MemoryStore: accounts, counters and marks in dicts behind a lock; gone when the process ends."""

from __future__ import annotations

import heapq
import threading

from ...core.errors import InvalidInput, NoSuchUser, UserExists
from .account import (
    Account,
    AccountChange,
    Hits,
    HitsChange,
    T,
    _check_account,
    _check_hits,
    _check_key,
    _check_mark,
    _other_policy,
    _split,
)


class MemoryStore:
    """Accounts in a dict, guarded by a lock: the default, gone when the process ends."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._hits: dict[str, Hits] = {}
        self._marks: dict[str, float] = {}
        self._expiries: list[tuple[float, str]] = []  # a heap, to prune expired marks
        self._policy: str | None = None
        self._lock = threading.RLock()

    def attach(self, policy_name: str) -> None:
        """Record the policy this store serves; StoreError if it already serves another."""
        _check_key(policy_name, "a policy name (such as 'misskey')")
        with self._lock:
            if self._policy is None:
                self._policy = policy_name
            elif self._policy != policy_name:
                raise _other_policy(self._policy, policy_name, "MemoryStore")

    def get(self, key: str) -> Account | None:
        _check_key(key)
        with self._lock:
            return self._accounts.get(key)

    def create(self, account: Account) -> None:
        _check_account(account)
        with self._lock:
            if account.key in self._accounts:
                raise UserExists(f"the username {account.username!r} is already taken")
            self._accounts[account.key] = account

    def update_account(self, key: str, change: AccountChange[T]) -> T:
        _check_key(key)
        with self._lock:
            current = self._accounts.get(key)
            if current is None:
                raise NoSuchUser(f"there is no account called {key!r}")
            new, result = _split(change(current))
            self._accounts[key] = _check_account(new, key)
            return result

    def update_hits(self, ip: str, change: HitsChange[T]) -> T:
        _check_key(ip, "an ip")
        with self._lock:
            new, result = _split(change(self._hits.get(ip, ())))
            problem = _check_hits(new)
            if problem:
                raise InvalidInput(f"the new hits of {ip!r} {problem}")
            self._hits[ip] = tuple(new)
            return result

    def set_if_absent(self, key: str, now: float, ttl: float) -> bool:
        """Redis ``SET key 1 NX EX ttl``: True (and set) unless the key is there and unexpired.

        A mark set at ``now`` lives for ``ttl`` seconds: at ``now + ttl`` it has expired.
        """
        expires = _check_mark(key, now, ttl)
        with self._lock:
            while self._expiries and self._expiries[0][0] <= now:
                when, old = heapq.heappop(self._expiries)
                if self._marks.get(old) == when:
                    del self._marks[old]
            if key in self._marks:
                return False
            self._marks[key] = expires
            heapq.heappush(self._expiries, (expires, key))
            return True

    def usernames(self) -> list[str]:
        with self._lock:
            return sorted(a.username for a in self._accounts.values())
