"""Where secrets come from: the OS CSPRNG by default, a seeded generator for lessons only."""

from __future__ import annotations

import random
import secrets
from typing import Protocol


class RandomSource(Protocol):
    """Anything with ``token_bytes(n) -> bytes``; the ``secrets`` module is one."""

    def token_bytes(self, nbytes: int) -> bytes: ...


class DemoRandom:
    """A seeded, reproducible generator so that a lesson shows the same secret every run.

    Never use it for a real account: anyone who knows the seed knows every secret.
    """

    def __init__(self, seed: int):
        self.seed = seed
        self._random = random.Random(seed)

    def token_bytes(self, nbytes: int) -> bytes:
        return self._random.randbytes(nbytes)

    def __repr__(self) -> str:
        return f"DemoRandom({self.seed!r})"


def default_rng(rng: RandomSource | None) -> RandomSource:
    """The generator to use: the one given, or the OS CSPRNG."""
    return secrets if rng is None else rng
