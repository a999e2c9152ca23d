"""Misskey's used-step guard (2026.6+): each accepted code's time step is marked for a while.

The mark is a key ``2fa:used:{user}:{fingerprint}:{step}`` set only if absent, with an expiry
(Redis ``SET ... NX EX 90``). The fingerprint is the SHA-256 of the secret in base64url, so a
new secret starts with no marks. A code whose mark is already set is refused: a replay.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Protocol

from .policy import UsedStepGuard


class MarkStore(Protocol):
    def set_if_absent(self, key: str, now: float, ttl: float) -> bool: ...


def secret_fingerprint(secret: str) -> str:
    """SHA-256 of the base32 secret text, base64url without padding."""
    digest = hashlib.sha256(secret.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")  # Node's base64url: no "="


def used_step_key(user: str, secret: str, step: int) -> str:
    """The key that marks ``step`` as used for ``user``'s ``secret``."""
    return f"2fa:used:{user}:{secret_fingerprint(secret)}:{step}"


def claim_step(
    store: MarkStore, guard: UsedStepGuard, user: str, secret: str, step: int, now: float
) -> bool:
    """Mark the step used; False when it already was (within the guard's expiry)."""
    return store.set_if_absent(used_step_key(user, secret, step), now, guard.ttl)
