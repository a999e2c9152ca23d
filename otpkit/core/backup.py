"""Backup (recovery) codes: how they are made, stored and checked, and the file they download as."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from .errors import InvalidInput
from .hashing import bcrypt_hash, bcrypt_matches
from .randomness import RandomSource, default_rng

_STORAGE = ("plain", "sha256", "bcrypt")
_ALPHABETS = ("base32", "base32-lower", "hex")


@dataclass(frozen=True)
class BackupScheme:
    """How many backup codes, of what form, stored how.

    Misskey: 5 codes, each 20 random bytes as base32 (32 characters), stored in plain text.
    """

    count: int = 5
    nbytes: int = 20
    alphabet: str = "base32"
    storage: str = "plain"
    bcrypt_rounds: int = 8

    def __post_init__(self) -> None:
        if self.alphabet not in _ALPHABETS:
            raise InvalidInput(f"alphabet must be one of {_ALPHABETS}, not {self.alphabet!r}")
        if self.storage not in _STORAGE:
            raise InvalidInput(f"storage must be one of {_STORAGE}, not {self.storage!r}")
        for what, value, low, high in (
            ("count", self.count, 0, 100),
            ("nbytes", self.nbytes, 1, 64),
            ("bcrypt_rounds", self.bcrypt_rounds, 4, 31),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidInput(
                    f"{what} must be a whole number from {low} to {high}, not {value!r}"
                )

    @property
    def bits(self) -> int:
        """Entropy of one code, in bits."""
        return self.nbytes * 8

    @property
    def length(self) -> int:
        """Characters in one code."""
        return len(self._encode(bytes(self.nbytes)))

    def _encode(self, raw: bytes) -> str:
        if self.alphabet == "hex":
            return raw.hex()
        text = base64.b32encode(raw).decode("ascii").rstrip("=")
        return text.lower() if self.alphabet == "base32-lower" else text

    def generate(self, rng: RandomSource | None = None) -> list[str]:
        """A fresh set of codes, as the user sees them."""
        source = default_rng(rng)
        return [self._encode(source.token_bytes(self.nbytes)) for _ in range(self.count)]

    def looks_like_code(self, token: str) -> bool:
        """Whether ``token`` has the shape of one of this scheme's codes."""
        pattern = {"base32": r"[A-Z2-7]+", "base32-lower": r"[a-z2-7]+", "hex": r"[0-9a-f]+"}
        return len(token) == self.length and re.fullmatch(pattern[self.alphabet], token) is not None

    def protect(self, code: str, rng: RandomSource | None = None) -> str:
        """What the server stores for ``code``: the code itself, or a hash of it.

        A bcrypt salt is drawn from ``rng`` (by default the OS CSPRNG).
        """
        if self.storage == "plain":
            return code
        if self.storage == "sha256":
            return "sha256$" + hashlib.sha256(code.encode()).hexdigest()
        return bcrypt_hash(code, self.bcrypt_rounds, rng)

    def matches(self, stored: str, token: str) -> bool:
        """Whether ``token`` is the code behind ``stored`` (exact and case-sensitive)."""
        if self.storage == "plain":
            return hmac.compare_digest(stored.encode(), token.encode())
        if self.storage == "sha256":
            digest = "sha256$" + hashlib.sha256(token.encode()).hexdigest()
            return hmac.compare_digest(stored.encode(), digest.encode())
        return bcrypt_matches(token, stored)


def backup_file_name(username: str) -> str:
    """The name Misskey's settings page saves the codes under: ``{username}-2fa-backup-codes.txt``."""
    return f"{username}-2fa-backup-codes.txt"


def backup_file_text(codes: list[str]) -> str:
    """The saved file's text: the codes joined by newlines, with no newline after the last."""
    return "\n".join(codes)
