"""Shared fixtures for the kit's tests."""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import HealthCheck, settings

import otpkit
from otpkit.server.policy import cheap_hashing

# This machine is shared and noisy: no property test fails for taking long. Every test file's
# own settings build on this profile.
settings.register_profile(
    "otpkit", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("otpkit")

AT = 1_700_000_000.0
PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test id that changes from run to run (an object's address in a parameter's id):
    ``--lf``, ``-k`` and mutmut's map from functions to tests all need ids that stay put."""
    unstable = [item.nodeid for item in items if " at 0x" in item.nodeid]
    if unstable:
        raise pytest.UsageError("test ids that change from run to run: " + ", ".join(unstable))


def require_tool(name: str) -> str:
    """The path of a Debian tool the test needs; skipped when absent, except in CI."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture
def clock() -> otpkit.ManualClock:
    return otpkit.ManualClock(AT)


def fast(policy: otpkit.Policy) -> otpkit.Policy:
    """The same policy with the cheapest bcrypt cost, so tests run quickly."""
    return cheap_hashing(policy)


def wrong_code(secret: str, t: float, window: int, params: otpkit.OtpParams | None = None) -> str:
    """A well-formed code that matches none of the steps ``window`` each way of ``t``."""
    params = params or otpkit.OtpParams()
    right = {
        otpkit.code_at(secret, t + k * params.period, params) for k in range(-window, window + 1)
    }
    return next(c * params.digits for c in "0123" if c * params.digits not in right)


def enrolled(policy: otpkit.Policy, clock, seed: int = 7, username: str = "alice"):
    """A server with one enrolled account: (server, secret, backup codes)."""
    server = otpkit.Server(policy=policy, clock=clock, rng=otpkit.DemoRandom(seed))
    server.sign_up(username, PASSWORD)
    reg = server.register(username, PASSWORD)
    codes = server.confirm(username, otpkit.code_at(reg.secret, clock.now(), policy.params))
    return server, reg.secret, codes
