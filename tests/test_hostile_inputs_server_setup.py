"""Hostile parts a server is built from: its host name, its policy's fields, and a clock that
answers nonsense."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import otpkit
from otpkit.errors import InvalidInput

from .conftest import PASSWORD
from .hostile_helpers import POLICIES, World


@POLICIES
def test_hostile_hosts(policy):
    w = World(policy)
    for name, host in w.each("hosts"):
        w.refuses(
            f"Server host {name}",
            lambda h=host: otpkit.Server(policy=policy, clock=w.clock, host=h),
            InvalidInput,
        )
    w.check()


@POLICIES
def test_hostile_policy_fields(policy):
    w = World(policy)
    for name, field, make in w.each("policy fields"):
        w.refuses(
            f"policy {name}", lambda f=field, m=make: replace(policy, **{f: m()}), InvalidInput
        )
    w.check()


class Reading:
    """A clock that answers ``now()`` with whatever it was given."""

    def __init__(self, value: Any):
        self.value = value

    def now(self) -> Any:
        return self.value


@POLICIES
def test_hostile_clock_readings(policy):
    """A server whose clock answers nonsense refuses every verb that reads it, storing nothing."""
    w = World(policy)
    for name, value in w.each("clock readings"):
        bad = otpkit.Server(policy=policy, clock=Reading(value), store=w.server.store)
        for verb, call in [
            ("sign_up", lambda b=bad: b.sign_up("erin", PASSWORD)),
            ("sign_in step 1", lambda b=bad: b.sign_in("alice", ip=w.ip())),
            ("sign_in", lambda b=bad: b.sign_in("alice", PASSWORD, w.code(), ip=w.ip())),
            ("sign_in no 2FA", lambda b=bad: b.sign_in("carol", PASSWORD, ip=w.ip())),
            ("register", lambda b=bad: b.register("carol", PASSWORD)),
            ("re-register", lambda b=bad: b.register("alice", PASSWORD, w.code())),
            ("confirm", lambda b=bad: b.confirm("bob", w.code(w.bob_secret))),
            ("unregister", lambda b=bad: b.unregister("alice", PASSWORD, w.code())),
            ("unregister no 2FA", lambda b=bad: b.unregister("carol", PASSWORD)),
        ]:
            w.refuses(f"{verb} at {name}", call, InvalidInput)
        flow = otpkit.EnrollmentFlow(bad, otpkit.Phone(clock=w.clock), "carol", PASSWORD)
        w.refuses(f"flow run at {name}", flow.run, InvalidInput)
    w.check()
    assert "erin" not in w.server.store.usernames()
