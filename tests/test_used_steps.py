"""Misskey's used-step guard and the TOTP verdict, as small parts read alone."""

from __future__ import annotations

import base64
import hashlib

import otpkit
from otpkit.policy import UsedStepGuard
from otpkit.server.used_steps import claim_step, secret_fingerprint, used_step_key
from otpkit.server.verdict import totp_verdict

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_the_key_is_misskeys():
    digest = hashlib.sha256(SECRET.encode()).digest()
    fingerprint = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert secret_fingerprint(SECRET) == fingerprint and "=" not in fingerprint
    assert used_step_key("alice", SECRET, 56666666) == f"2fa:used:alice:{fingerprint}:56666666"


def test_a_step_is_claimed_once_until_its_mark_expires():
    store, guard = otpkit.MemoryStore(), UsedStepGuard(ttl=90)
    assert claim_step(store, guard, "alice", SECRET, 7, now=1000)
    assert not claim_step(store, guard, "alice", SECRET, 7, now=1089)
    assert claim_step(store, guard, "alice", SECRET, 8, now=1089)  # another step
    assert claim_step(store, guard, "bob", SECRET, 7, now=1089)  # another user
    assert claim_step(store, guard, "alice", SECRET, 7, now=1090)  # 90 s: expired


def test_the_verdict_names_the_step_and_a_replay():
    at = 1_700_000_000
    params = otpkit.OtpParams()
    now_step = otpkit.step_at(at)
    token = otpkit.code_for_step(SECRET, now_step - 1)
    verdict = totp_verdict(SECRET, token, at, params, window=1)
    assert (verdict.offset, verdict.step, verdict.accepted) == (-1, now_step - 1, True)
    assert not totp_verdict(SECRET, token, at, params, window=0).matched
    replay = totp_verdict(SECRET, token, at, params, window=1, last_step=now_step - 1)
    assert replay.matched and replay.replayed and not replay.accepted
    # Drift moves the centre: a phone two steps slow is matched around its own step.
    slow = otpkit.code_for_step(SECRET, now_step - 2)
    assert totp_verdict(SECRET, slow, at, params, window=0, drift=-2).offset == -2
    assert not totp_verdict(SECRET, "12345a", at, params, window=5).matched
