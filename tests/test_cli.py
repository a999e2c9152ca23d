"""The terminal walkthrough."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from otpkit.cli import main


def run(*args: str) -> str:
    out = io.StringIO()
    assert main(["walkthrough", *args], out=out) == 0
    return out.getvalue()


def test_walkthrough_prints_every_stage_and_is_reproducible():
    first = run("--at", "1700000000", "--seed", "7")
    assert first == run("--at", "1700000000", "--seed", "7")
    for number in range(1, 10):
        assert f"Stage {number}/9" in first
    assert "Stage DONE" in first
    assert "alice@misskey.example-2fa-backup-codes.txt" in first
    assert "matching step offset +0" in first and "(10 s left)" in first
    assert first.count("\n  #") == 5


def test_other_seed_other_secret():
    assert run("--at", "1700000000", "--seed", "8") != run("--at", "1700000000", "--seed", "7")


def test_a_slow_phone_with_a_strict_server_fails_with_a_clear_message(capsys):
    code = main(
        [
            "walkthrough",
            "--at",
            "1700000000",
            "--seed",
            "7",
            "--offset",
            "-75",
            "--policy",
            "rfc6238",
        ],
        out=io.StringIO(),
    )
    assert code == 2
    assert "otpkit: not verified" in capsys.readouterr().err


def test_console_script_runs():
    done = subprocess.run(
        [sys.executable, "-m", "otpkit.cli", "walkthrough", "--at", "1700000000", "--seed", "7"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Stage 9/9" in done.stdout


def test_unknown_app_is_a_usage_error():
    with pytest.raises(SystemExit):
        main(["walkthrough", "--app", "lastpass"])
