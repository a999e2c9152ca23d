"""The terminal walkthrough, in process: output, names in any case, ASCII terminals, usage errors."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import otpkit
from otpkit.cli import arguments, main, terminal

URI = "otpauth://totp/misskey.example:alice?secret=JBSWY3DPEHPK3PXP&issuer=misskey.example"


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
    assert "download file name: alice" in first and "-2fa-backup-codes.txt" in first
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
    err = capsys.readouterr().err
    assert err.startswith("otpkit: ") and "clock" in err and err.count("\n") == 1


def test_console_script_runs():
    done = subprocess.run(
        [sys.executable, "-m", "otpkit.cli", "walkthrough", "--at", "1700000000", "--seed", "7"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Stage 9/9" in done.stdout


def test_unknown_app_is_a_one_line_usage_error(capsys):
    assert main(["walkthrough", "--app", "lastpass"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("otpkit: argument --app: no app called 'lastpass'")
    assert err.endswith("(see otpkit walkthrough --help)\n") and err.count("\n") == 1


@pytest.mark.parametrize("name", ["HARDENED", "Hardened", " hardened "])
def test_policy_names_in_any_case(name):
    assert "policy hardened" in run("--at", "1700000000", "--seed", "7", "--policy", name)


@pytest.mark.parametrize(
    "name", ["Google Authenticator", "google authenticator", "GOOGLE_AUTHENTICATOR", "Aegis"]
)
def test_app_names_in_any_case_with_spaces(name):
    app = otpkit.apps.AEGIS if name == "Aegis" else otpkit.apps.GOOGLE_AUTHENTICATOR
    assert f"app: {app.title}: " in run("--at", "1700000000", "--seed", "7", "--app", name)


def test_help_names_the_policies_and_apps(capsys):
    assert main(["walkthrough", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    for name in otpkit.policy.POLICIES:
        assert name in help_text
    for app in otpkit.apps.ALL:
        assert app.name in help_text
    assert "1024 to 65535" not in help_text  # that is present's
    assert "-86400 to 86400" in help_text


@pytest.mark.parametrize(
    "argv, joined",
    [
        (["--offset", "-1e3"], ["--offset=-1e3"]),
        (["--at", "-inf", "--seed", "-7"], ["--at=-inf", "--seed=-7"]),
        (["--off", "-nan"], ["--off=-nan"]),
        (["--offset", "--user", "x"], ["--offset", "--user", "x"]),
        (["--offset", "-h"], ["--offset", "-h"]),
        (["--user", "-1e3"], ["--user", "-1e3"]),
        (["--offset"], ["--offset"]),
    ],
)
def test_negative_numbers_stay_with_their_option(argv, joined):
    assert arguments.joined_numbers(argv) == joined


def test_an_ascii_stream_gets_an_ascii_qr_code_and_no_crash():
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    assert main(["walkthrough", "--at", "1700000000", "--seed", "7"], out=out) == 0
    text = raw.getvalue().decode("ascii")
    assert "Stage 9/9" in text and "##" in text and "\u2588" not in text


@pytest.mark.parametrize("light_on_dark", [True, False])
def test_the_ascii_qr_code_scans(light_on_dark):
    from PIL import Image

    art = terminal.ascii_qr(otpkit.qr.qr_terminal(URI, light_on_dark=light_on_dark)).splitlines()
    width = max(len(line) for line in art) // 2
    image = Image.new("L", (width, len(art)), 255)
    for y, line in enumerate(art):
        for x in range(width):
            drawn = line[2 * x : 2 * x + 2] == "##"
            image.putpixel((x, y), 255 if drawn == light_on_dark else 0)
    image = image.resize((width * 8, len(art) * 8), Image.NEAREST)
    assert otpkit.read_qr(image) == URI


def test_a_unicode_stream_keeps_the_half_blocks():
    assert "\u2588" in run("--at", "1700000000", "--seed", "7")


@pytest.mark.parametrize(
    "text, encoding, fitted",
    [
        ("caf\u00e9", "ascii", "caf?"),
        ("caf\u00e9", "utf-8", "caf\u00e9"),
        ("a\udcffb", "utf-8", "a?b"),
        ("caf\u00e9", None, "caf\u00e9"),
    ],
)
def test_fit_replaces_what_the_stream_cannot_write(text, encoding, fitted):
    stream = io.StringIO() if encoding is None else io.TextIOWrapper(io.BytesIO(), encoding)
    assert terminal.fit(text, stream) == fitted


def test_present_on_a_port_in_use_prints_no_address_and_starts_nothing(monkeypatch, capsys):
    import socket

    def no_popen(command):
        raise AssertionError("Voila must not start")

    monkeypatch.setattr(subprocess, "Popen", no_popen)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["present", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"otpkit: port {port} is in use: choose another with --port\n"
