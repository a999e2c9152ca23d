"""Hostile parts a server is built from: policy fields, and what its clock may answer."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any


def _bad_parts() -> dict[str, Any]:
    from otpkit.backup import BackupScheme
    from otpkit.policy import Backoff, RateLimit, UsedStepGuard

    return {
        "BackupScheme": BackupScheme,
        "Backoff": Backoff,
        "RateLimit": RateLimit,
        "UsedStepGuard": UsedStepGuard,
    }


def _part(kind: str, **fields: Any) -> Callable[[], Any]:
    return lambda: _bad_parts()[kind](**fields)


def _value(value: Any) -> Callable[[], Any]:
    return lambda: value


# dataclasses.replace(policy, field=make()) must raise InvalidInput: a policy is data, and bad
# data is refused when it is made, not when a server first trips over it.
POLICY_FIELDS: list[tuple[str, str, Callable[[], Any]]] = [
    ("window True", "window", _value(True)),
    ("window -1", "window", _value(-1)),
    ("window 101", "window", _value(101)),
    ("window 1.5", "window", _value(1.5)),
    ("window text", "window", _value("1")),
    ("window None", "window", _value(None)),
    ("confirm_window -1", "confirm_window", _value(-1)),
    ("confirm_window True", "confirm_window", _value(True)),
    ("params None", "params", _value(None)),
    ("params text", "params", _value("SHA1")),
    ("params dict", "params", _value({"digits": 6})),
    ("bcrypt_rounds text", "bcrypt_rounds", _value("8")),
    ("bcrypt_rounds 3", "bcrypt_rounds", _value(3)),
    ("bcrypt_rounds 32", "bcrypt_rounds", _value(32)),
    ("bcrypt_rounds float", "bcrypt_rounds", _value(8.0)),
    ("bcrypt_rounds None", "bcrypt_rounds", _value(None)),
    ("secret_nbytes 0", "secret_nbytes", _value(0)),
    ("secret_nbytes 129", "secret_nbytes", _value(129)),
    ("secret_nbytes True", "secret_nbytes", _value(True)),
    ("name with a space", "name", _value("Bad Name")),
    ("name empty", "name", _value("")),
    ("name None", "name", _value(None)),
    ("name upper case", "name", _value("Misskey")),
    ("name with a bang", "name", _value("misskey!")),
    ("name 41 characters", "name", _value("a" * 41)),
    ("name leading dash", "name", _value("-misskey")),
    ("name lone surrogate", "name", _value("miss\ud800key")),
    ("sign_in_whitespace strip", "sign_in_whitespace", _value("strip")),
    ("sign_in_whitespace None", "sign_in_whitespace", _value(None)),
    ("confirm_whitespace upper case", "confirm_whitespace", _value("TRIM")),
    ("dialect mastodon", "dialect", _value("mastodon")),
    ("dialect None", "dialect", _value(None)),
    ("rate_limit max_requests 0", "rate_limit", _part("RateLimit", max_requests=0)),
    ("rate_limit max_requests True", "rate_limit", _part("RateLimit", max_requests=True)),
    ("rate_limit period 0", "rate_limit", _part("RateLimit", period=0)),
    ("rate_limit period NaN", "rate_limit", _part("RateLimit", period=math.nan)),
    ("rate_limit min_interval -1", "rate_limit", _part("RateLimit", min_interval=-1)),
    ("rate_limit ipv6_prefix 129", "rate_limit", _part("RateLimit", ipv6_prefix=129)),
    ("rate_limit text", "rate_limit", _value("10/hour")),
    ("rate_limit dict", "rate_limit", _value({"max_requests": 10})),
    ("backoff base NaN", "backoff", _part("Backoff", base=math.nan)),
    ("backoff base -1", "backoff", _part("Backoff", base=-1.0)),
    ("backoff base infinity", "backoff", _part("Backoff", base=math.inf)),
    ("backoff cap below base", "backoff", _part("Backoff", base=10.0, cap=1.0)),
    ("backoff number", "backoff", _value(1.0)),
    ("used_step_guard ttl 0", "used_step_guard", _part("UsedStepGuard", ttl=0)),
    ("used_step_guard ttl NaN", "used_step_guard", _part("UsedStepGuard", ttl=math.nan)),
    ("used_step_guard True", "used_step_guard", _value(True)),
    ("used_step_guard number", "used_step_guard", _value(90)),
    ("refuse_replay text", "refuse_replay", _value("yes")),
    ("refuse_replay 1", "refuse_replay", _value(1)),
    ("track_drift None", "track_drift", _value(None)),
    ("atomic_backup_use 0", "atomic_backup_use", _value(0)),
    ("token_before_password text", "token_before_password", _value("true")),
    ("keeps_pending_secret None", "keeps_pending_secret", _value(None)),
    ("wrong_code_status 200", "wrong_code_status", _value(200)),
    ("wrong_code_status 600", "wrong_code_status", _value(600)),
    ("wrong_code_status text", "wrong_code_status", _value("403")),
    ("username_rule not a pattern", "username_rule", _value("[")),
    ("username_rule None", "username_rule", _value(None)),
    ("username_rule int", "username_rule", _value(42)),
    ("backup None", "backup", _value(None)),
    ("backup text", "backup", _value("plain")),
    ("backup count -1", "backup", _part("BackupScheme", count=-1)),
    ("backup count True", "backup", _part("BackupScheme", count=True)),
    ("backup nbytes 0", "backup", _part("BackupScheme", nbytes=0)),
    ("backup nbytes 2.5", "backup", _part("BackupScheme", nbytes=2.5)),
    ("backup storage md5", "backup", _part("BackupScheme", storage="md5")),
    ("backup alphabet emoji", "backup", _part("BackupScheme", alphabet="emoji")),
    ("backup bcrypt_rounds 3", "backup", _part("BackupScheme", storage="bcrypt", bcrypt_rounds=3)),
    ("backup bcrypt_rounds text", "backup", _part("BackupScheme", bcrypt_rounds="4")),
]

# What a server's clock may answer to now(): each is refused by every verb, and nothing is stored.
CLOCK_READINGS: list[tuple[str, Any]] = [
    ("NaN", math.nan),
    ("infinity", math.inf),
    ("minus infinity", -math.inf),
    ("-1", -1),
    ("half a second before 1970", -0.5),
    ("1e20", 1e20),
    ("one second after 9999", 253_402_300_800.0),
    ("an int too large for a float", 10**400),
    ("None", None),
    ("text", "1700000000"),
    ("the text nan", "nan"),
    ("bytes", b"1700000000"),
    ("True", True),
    ("complex", complex(1_700_000_000, 0)),
    ("Decimal", Decimal("1700000000")),
    ("list", [1_700_000_000.0]),
    ("object", object()),
]
