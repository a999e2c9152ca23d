"""Hostile inputs for every public entry point: each must be refused with an OtpkitError.

Every entry here is malformed for the entry points it is fed to (a well-formed but wrong code is
not hostile: under HARDENED it rightly counts as a failed try). ``(label, value)`` pairs, grouped
in categories (``CATEGORIES``); a label is unique within its category.

Some entries cannot be plain values: ``CODE_FORMS`` turns the right code of the moment into a
hostile form of it, and ``POLICY_FIELDS`` builds its bad parts (a ``RateLimit(max_requests=0)``
raises when made) only when asked.

The entries live in one module per kind of input: ``codes``, ``accounts``, ``otpauth``,
``addresses``, ``server_parts`` and ``qr_images``; every name is importable from here.
"""

from __future__ import annotations

from typing import Any

from .accounts import PASSWORDS, USERNAMES, WRONG_PASSWORDS
from .addresses import HOSTS, IPS
from .codes import BIG, CODE_FORMS, EMPTY_TOKENS, SECRET, TOKENS
from .otpauth import PARAM_FIELDS, PARAMS, SECRETS, TIMES, URIS
from .qr_images import images, images_for_apps
from .server_parts import CLOCK_READINGS, POLICY_FIELDS

__all__ = [
    "BIG",
    "CLOCK_READINGS",
    "CODE_FORMS",
    "EMPTY_TOKENS",
    "HOSTS",
    "IPS",
    "PARAMS",
    "PARAM_FIELDS",
    "PASSWORDS",
    "POLICY_FIELDS",
    "SECRET",
    "SECRETS",
    "TIMES",
    "TOKENS",
    "URIS",
    "USERNAMES",
    "WRONG_PASSWORDS",
    "categories",
    "count",
    "images",
    "images_for_apps",
    "inputs",
]


def categories() -> dict[str, list[tuple[Any, ...]]]:
    """Every category of the corpus by name; each entry starts with its label."""
    return {
        "tokens": TOKENS,
        "empty tokens": EMPTY_TOKENS,
        "code forms": CODE_FORMS,
        "usernames": USERNAMES,
        "passwords": PASSWORDS,
        "wrong passwords": WRONG_PASSWORDS,
        "uris": URIS,
        "images": images(),
        "images for apps": images_for_apps(),
        "secrets": SECRETS,
        "times": TIMES,
        "params": PARAMS,
        "param fields": PARAM_FIELDS,
        "ips": IPS,
        "hosts": HOSTS,
        "policy fields": POLICY_FIELDS,
        "clock readings": CLOCK_READINGS,
    }


def inputs() -> set[tuple[str, str]]:
    """Every distinct hostile input, as (category, label)."""
    return {(name, entry[0]) for name, entries in categories().items() for entry in entries}


def count() -> int:
    """How many distinct hostile inputs the corpus holds."""
    return len(inputs())
