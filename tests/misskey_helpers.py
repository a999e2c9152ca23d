"""What the test_misskey_versions_*.py files share: both Misskey presets (cheap to hash), a
server with alice signed up, her enrollment, and her code some steps from now."""

from __future__ import annotations

import pytest

import otpkit

from .conftest import PASSWORD, fast

TODAY = fast(otpkit.MISSKEY)
OLD = fast(otpkit.MISSKEY_2025)
BOTH = pytest.mark.parametrize("policy", [TODAY, OLD], ids=["misskey", "misskey-2025"])
WRONG_TOKEN_ID = "cdf1235b-ac71-46d4-a3a6-84ccce48df6f"


def server_for(policy, clock, host="misskey.example"):
    server = otpkit.Server(policy=policy, clock=clock, host=host, rng=otpkit.DemoRandom(7))
    server.sign_up("alice", PASSWORD)
    return server


def enroll(server, clock):
    reg = server.register("alice", PASSWORD)
    codes = server.confirm("alice", otpkit.code_at(reg.secret, clock.now()))
    return reg.secret, codes


def code(secret, clock, steps=0):
    return otpkit.code_at(secret, clock.now() + 30 * steps)
