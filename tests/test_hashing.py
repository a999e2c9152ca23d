"""bcrypt hashes with salts from the injected generator."""

from __future__ import annotations

import re

import otpkit
from otpkit.hashing import bcrypt_hash, bcrypt_matches, bcrypt_salt


def test_salt_is_drawn_from_the_generator():
    assert bcrypt_salt(8, otpkit.DemoRandom(1)) == bcrypt_salt(8, otpkit.DemoRandom(1))
    assert bcrypt_salt(8, otpkit.DemoRandom(1)) != bcrypt_salt(8, otpkit.DemoRandom(2))
    assert re.fullmatch(rb"\$2b\$08\$[./A-Za-z0-9]{22}", bcrypt_salt(8))
    assert bcrypt_salt(8) != bcrypt_salt(8)  # the OS CSPRNG by default


def test_hash_round_trip_and_reproducible_lesson_hashes():
    hashed = bcrypt_hash("correct horse", 4, otpkit.DemoRandom(3))
    assert hashed == bcrypt_hash("correct horse", 4, otpkit.DemoRandom(3))
    assert bcrypt_matches("correct horse", hashed)
    assert not bcrypt_matches("correct hors", hashed)


def test_only_the_first_72_bytes_count_as_in_bcryptjs():
    long = "x" * 72
    hashed = bcrypt_hash(long + "anything", 4)
    assert bcrypt_matches(long + "something else", hashed)
    assert not bcrypt_matches("x" * 71, hashed)


def test_server_hashes_are_reproducible_under_demo_random():
    def stored_hash() -> str:
        server = otpkit.Server(clock=otpkit.FixedClock(1e9), rng=otpkit.DemoRandom(5))
        server.sign_up("alice", "pw")
        return server.stored("alice")["password_hash"]

    assert stored_hash() == stored_hash()
