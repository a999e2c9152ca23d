"""Hostile account names, passwords and client addresses at every verb that takes them, and
the ways to write one address sharing one limit."""

from __future__ import annotations

from dataclasses import replace

import pytest

import otpkit
from otpkit.errors import InvalidInput, RateLimited
from otpkit.policy import RateLimit

from .conftest import PASSWORD
from .hostile_helpers import POLICIES, World


@POLICIES
def test_hostile_usernames(policy):
    w = World(policy)
    s = w.server
    for name, user in w.each("usernames"):
        for verb, call in [
            ("sign_up", lambda u=user: s.sign_up(u, PASSWORD)),
            ("sign_in", lambda u=user: s.sign_in(u, PASSWORD, ip=w.ip())),
            ("sign_in step 1", lambda u=user: s.sign_in(u, ip=w.ip())),
            ("register", lambda u=user: s.register(u, PASSWORD, w.code())),
            ("confirm", lambda u=user: s.confirm(u, w.code())),
            ("unregister", lambda u=user: s.unregister(u, PASSWORD, w.code())),
            ("stored", lambda u=user: s.stored(u)),
            ("warning", lambda u=user: s.warning(u)),
            ("backup_download", lambda u=user: s.backup_download(u, [])),
        ]:
            w.refuses(f"{verb} {name}", call, InvalidInput)
        phone = otpkit.Phone(clock=w.clock)
        flow = otpkit.EnrollmentFlow(s, phone, user, PASSWORD)
        w.refuses(f"flow run {name}", flow.run, InvalidInput)
        assert w.dry or flow.stage == otpkit.Stage.ENTER_PASSWORD and not phone.entries
    w.check()
    assert s.sign_in("kate", PASSWORD, ip=w.ip()).ok  # the look-alikes would have reached her


@POLICIES
def test_hostile_passwords(policy):
    w = World(policy)
    s = w.server
    for name, password in w.each("passwords"):
        w.refuses(f"sign_up {name}", lambda p=password: s.sign_up("erin", p), InvalidInput)
    for category in ("passwords", "wrong passwords"):
        for name, password in w.each(category):
            if password is not None:  # None is step 1 of a sign-in: "which password?"
                w.refuses(
                    f"sign_in {name}",
                    lambda p=password: s.sign_in("alice", p, w.code(), ip=w.ip()),
                )
                w.refuses(
                    f"sign_in no 2FA {name}", lambda p=password: s.sign_in("carol", p, ip=w.ip())
                )
            w.refuses(f"register {name}", lambda p=password: s.register("carol", p))
            # Misskey checks the token first: under MISSKEY a right token is then used up.
            w.refuses(f"re-register {name}", lambda p=password: s.register("alice", p, w.code()))
            w.refuses(f"unregister {name}", lambda p=password: s.unregister("alice", p, w.code()))
            if password is None:  # None is the flow's own password: not hostile there
                continue
            flow = otpkit.EnrollmentFlow(s, otpkit.Phone(clock=w.clock), "carol", PASSWORD)
            for _ in range(4):
                flow.advance()
            w.refuses(f"flow enter_password {name}", lambda p=password, f=flow: f.enter_password(p))
    w.check()
    assert "erin" not in s.store.usernames()


@POLICIES
def test_hostile_ips(policy):
    """Address text that is not an address's canonical form is refused before the limiter."""
    w = World(policy)
    s = w.server
    w.clock.advance(policy.params.period)  # a step no code was used in yet
    for name, ip in w.each("ips"):
        w.refuses(
            f"sign_in {name}",
            lambda i=ip: s.sign_in("alice", PASSWORD, w.code(), ip=i),
            InvalidInput,
        )
        w.refuses(
            f"sign_in no 2FA {name}", lambda i=ip: s.sign_in("carol", PASSWORD, ip=i), InvalidInput
        )
        w.refuses(f"sign_in step 1 {name}", lambda i=ip: s.sign_in("alice", ip=i), InvalidInput)
    w.check()
    # Refused requests were not counted against the address they resemble.
    limit = policy.rate_limit
    for _ in range(1 if limit is None else limit.max_requests):
        w.clock.advance(1 if limit is None else limit.min_interval)
        assert s.sign_in("carol", PASSWORD, ip="203.0.113.9").ok


@POLICIES
def test_equal_addresses_share_one_limit(policy):
    """'::ffff:203.0.113.9' is 203.0.113.9 and '2001:DB8::1' is 2001:db8::1: each is accepted,
    and all the ways to write one address count against one limit. (A policy without a limiter
    gets one here: what is checked is the address, not the policy's numbers.)"""
    forms = {
        "203.0.113.9": [
            "203.0.113.9",
            "::ffff:203.0.113.9",
            "::FFFF:203.0.113.9",
            "::ffff:cb00:7109",
        ],
        "2001:db8::1": ["2001:db8::1", "2001:DB8::1", "2001:0db8::0001", "2001:db8:0:0:0:0:0:1"],
    }
    limit = RateLimit(max_requests=4, period=3600.0, min_interval=0.0, ipv6_prefix=128)
    w = World(replace(policy, rate_limit=limit))
    s = w.server
    for address, spellings in forms.items():
        for ip in spellings:
            assert s.sign_in("carol", PASSWORD, ip=ip).ok, ip
        for ip in spellings:
            with pytest.raises(RateLimited) as refused:
                s.sign_in("carol", PASSWORD, ip=ip)
            assert refused.value.retry_after > 0 and address in refused.value.message, ip
    assert s.sign_in("carol", PASSWORD, ip="203.0.113.10").ok
    assert s.sign_in("carol", PASSWORD, ip="2001:db8::2").ok
