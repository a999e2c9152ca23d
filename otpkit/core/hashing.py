"""bcrypt hashes whose salt comes from the injected generator, as every random draw in the kit.

bcrypt.gensalt() would read the OS CSPRNG itself; drawing the 16 salt bytes from ``rng`` keeps
a lesson's stored hashes reproducible under DemoRandom and leaves the OS CSPRNG the default.
"""

from __future__ import annotations

import base64

from .randomness import RandomSource, default_rng

# bcrypt writes its salt in base64 with its own alphabet and no padding.
_STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BCRYPT = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_TO_BCRYPT = bytes.maketrans(_STANDARD, _BCRYPT)
MAX_BYTES = 72  # bcrypt (and bcryptjs, as Misskey uses it) reads only the first 72 bytes


def bcrypt_salt(rounds: int, rng: RandomSource | None = None) -> bytes:
    """A bcrypt salt string (``$2b$RR$`` and 22 characters) from 16 bytes of ``rng``."""
    raw = default_rng(rng).token_bytes(16)
    encoded = base64.b64encode(raw).rstrip(b"=").translate(_TO_BCRYPT)
    return b"$2b$%02d$" % rounds + encoded


def bcrypt_hash(text: str, rounds: int, rng: RandomSource | None = None) -> str:
    """The bcrypt hash of ``text`` (its first 72 bytes, as bcrypt reads them)."""
    import bcrypt

    return bcrypt.hashpw(text.encode("utf-8")[:MAX_BYTES], bcrypt_salt(rounds, rng)).decode()


def bcrypt_matches(text: str, hashed: str) -> bool:
    """Whether ``text`` is what ``hashed`` was made from."""
    import bcrypt

    return bcrypt.checkpw(text.encode("utf-8")[:MAX_BYTES], hashed.encode("ascii"))
