"""Where a server keeps accounts, rate-limit counters and marks: in memory, or in a SQLite file.

Every change goes through ``update_*(key, change)``: the store reads the current value, calls
``change(value) -> (new_value, result)`` and writes ``new_value`` in one transaction. If
``change`` raises, nothing is written. Several Servers (threads or processes) may share one
SqliteStore; its transactions serialise them. A store serves one policy (``attach``), and
``set_if_absent`` is Redis's ``SET key 1 NX EX ttl``. A file that cannot be used, or a row that
is not what the kit wrote, raises ``StoreError`` saying what is wrong and what to do.

What's where: ``account`` (the Account row and its checks), ``memory`` (MemoryStore), ``sqlite``
(SqliteStore and its transactions).
"""

from .account import SCHEMA, Account, Hits
from .memory import MemoryStore
from .sqlite import SqliteStore

__all__ = ["SCHEMA", "Account", "Hits", "MemoryStore", "SqliteStore"]
