"""What the test_store_files_*.py files share: an account, a time, and a store file made for
real with accounts in it."""

from __future__ import annotations

from pathlib import Path

from otpkit.store import Account, SqliteStore

ALICE = Account(username="Alice", password_hash="$2b$04$hash", backup_codes=("a1",))
T0 = 1_700_000_000.0


def made(path: Path, *accounts: Account) -> Path:
    """A store file holding ``accounts``, closed so that the WAL is folded into it."""
    store = SqliteStore(path)
    for account in accounts:
        store.create(account)
    store.close()
    return path
