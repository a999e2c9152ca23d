"""Both Misskeys, row by row of docs/misskey-sources.md: MISSKEY (2026.6+) and MISSKEY_2025.

Enrollment and its endpoints: register, confirm (i/2fa/done), backup codes, unregister.
"""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

import otpkit
from otpkit.errors import (
    IncorrectPassword,
    InvalidInput,
    InvalidToken,
    SetupNotStarted,
    TokenReplayed,
)

from .conftest import AT, PASSWORD
from .misskey_helpers import BOTH, OLD, TODAY, code, enroll, server_for

INTERNAL = ("INTERNAL_ERROR", "5d37dbcb-891e-41ca-a3d6-e690c97775ac")


# -- enrollment ----------------------------------------------------------------------------


@BOTH
def test_register_answers_misskeys_fields(policy, clock):
    server = server_for(policy, clock, host="misskey.example:3000")
    reg = server.register("Alice", PASSWORD)
    assert reg.label == "alice" and reg.issuer == "misskey.example:3000"
    assert (
        reg.url
        == reg.uri
        == (
            f"otpauth://totp/misskey.example%3A3000:alice?issuer=misskey.example%3A3000"
            f"&secret={reg.secret}&algorithm=SHA1&digits=6&period=30"
        )
    )
    head, _, body = reg.qr.partition(",")
    assert head == "data:image/png;base64" and base64.b64decode(body) == reg.qr_png
    assert otpkit.read_qr(reg.qr_png) == reg.uri


@pytest.mark.parametrize(
    ("policy", "widest"), [(TODAY, 1), (OLD, 5)], ids=["misskey", "misskey-2025"]
)
@pytest.mark.parametrize("steps", [-6, -5, -1, 1, 5, 6])
def test_confirm_window(policy, widest, steps, clock):
    server = server_for(policy, clock)
    reg = server.register("alice", PASSWORD)
    token = otpkit.code_at(reg.secret, AT + 30 * steps)
    if abs(steps) <= widest:
        assert server.confirm_details("alice", token).offset == steps
    else:
        with pytest.raises(InvalidToken) as caught:
            server.confirm("alice", token)
        assert caught.value.status == 500


@BOTH
@pytest.mark.parametrize("shape", ["{a} {b}", "\ufeff{a}{b}", "{a}\u3000{b}\n", "\t{a}{b}"])
def test_confirm_removes_javascript_white_space(policy, shape, clock):
    server = server_for(policy, clock)
    reg = server.register("alice", PASSWORD)
    token = otpkit.code_at(reg.secret, AT)
    assert server.confirm("alice", shape.format(a=token[:3], b=token[3:]))


@BOTH
@pytest.mark.parametrize("pad", ["\x1c", "\x1f", "\x85"])
def test_confirm_keeps_python_only_white_space(policy, pad, clock):
    server = server_for(policy, clock)
    reg = server.register("alice", PASSWORD)
    with pytest.raises(InvalidToken):
        server.confirm("alice", pad + otpkit.code_at(reg.secret, AT))


@pytest.mark.parametrize(
    ("policy", "message"),
    [(TODAY, "authentication failed"), (OLD, "not verified")],
    ids=["misskey", "misskey-2025"],
)
def test_a_wrong_code_at_confirm_is_a_500_with_the_versions_message(policy, message, clock):
    server = server_for(policy, clock)
    server.register("alice", PASSWORD)
    with pytest.raises(InvalidToken) as caught:
        server.confirm("alice", "000000")
    answer = caught.value.answer
    assert (answer.status, answer.code, answer.id) == (500, *INTERNAL)
    assert answer.message == message and answer.is_real
    assert answer.who == policy.title and "time steps" in caught.value.message


def test_today_a_replayed_step_at_confirm_is_not_verified(clock):
    server = server_for(TODAY, clock)
    reg = server.register("alice", PASSWORD)
    token = otpkit.code_at(reg.secret, AT)
    server.confirm("alice", token)
    with pytest.raises(TokenReplayed) as caught:
        server.confirm("alice", token)  # the pending secret is kept: done can run again
    assert caught.value.answer.message == "not verified" and caught.value.status == 500


@BOTH
def test_confirm_before_register_is_a_plain_500(policy, clock):
    server = server_for(policy, clock)
    with pytest.raises(SetupNotStarted) as caught:
        server.confirm("alice", "123456")
    assert caught.value.status == 500 and caught.value.code == "INTERNAL_ERROR"
    assert caught.value.answer.message == "二段階認証の設定が開始されていません"


@BOTH
def test_five_plain_backup_codes(policy, clock):
    server = server_for(policy, clock)
    _, codes = enroll(server, clock)
    assert len(codes) == 5 and all(len(c) == 32 and c.isalnum() and c.isupper() for c in codes)
    assert server.stored("alice")["backup_codes"] == codes


@BOTH
def test_wrong_password_at_register_and_unregister_is_400(policy, clock):
    server = server_for(policy, clock)
    with pytest.raises(IncorrectPassword) as caught:
        server.register("alice", "wrong")
    answer = caught.value.answer
    assert (answer.status, answer.code) == (400, "INCORRECT_PASSWORD")
    assert answer.id == "78d6c839-20c9-4c66-b90a-fc0542168b48"
    with pytest.raises(IncorrectPassword) as caught:
        server.unregister("alice", "wrong")
    assert caught.value.answer.id == "7add0395-9901-4098-82f9-4f67af65f775"
    assert caught.value.status == 400


@BOTH
def test_register_with_2fa_on_needs_a_token_first(policy, clock):
    server = server_for(policy, clock)
    _, codes = enroll(server, clock)
    with pytest.raises(InvalidToken) as caught:
        server.register("alice", PASSWORD)
    assert caught.value.answer.message == "authentication failed" and caught.value.status == 500
    # The backup code is spent although the password after it is wrong.
    with pytest.raises(IncorrectPassword):
        server.register("alice", "wrong", codes[0])
    assert codes[0] not in server.stored("alice")["backup_codes"]


@BOTH
def test_register_without_2fa_still_checks_the_tokens_type(policy, clock):
    server = server_for(policy, clock)
    before = server.stored("alice")
    with pytest.raises(InvalidInput):
        server.register("alice", PASSWORD, token=123456)
    assert server.stored("alice") == before
    assert server.register("alice", PASSWORD, token="ignored without 2FA").secret


@BOTH
def test_pending_secret_outlives_confirm_and_unregister(policy, clock):
    server = server_for(policy, clock)
    reg = server.register("alice", PASSWORD)
    server.confirm("alice", otpkit.code_at(reg.secret, AT))
    clock.advance(120)
    server.unregister("alice", PASSWORD, otpkit.code_at(reg.secret, clock.now()))
    assert server.stored("alice")["pending_secret"] == reg.secret
    clock.advance(120)
    server.confirm("alice", otpkit.code_at(reg.secret, clock.now()))  # 2FA is back on
    assert server.stored("alice")["two_factor_enabled"]


@BOTH
def test_unregister_with_2fa_off_needs_only_the_password(policy, clock):
    server = server_for(policy, clock)
    server.unregister("alice", PASSWORD)
    assert not server.stored("alice")["two_factor_enabled"]


@BOTH
def test_unregister_turns_password_less_sign_in_off(policy, clock):
    server = server_for(policy, clock)
    secret, _ = enroll(server, clock)
    server.store.update_account("alice", lambda a: (replace(a, password_less=True), None))
    clock.advance(120)
    server.unregister("alice", PASSWORD, code(secret, clock))
    assert server.stored("alice")["password_less_login"] is False


@BOTH
def test_backup_download_is_misskeys_file(policy, clock):
    server = server_for(policy, clock, host="misskey.example:3000")
    _, codes = enroll(server, clock)
    name, text = server.backup_download("alice", codes)
    assert name == "alice-2fa-backup-codes.txt"
    assert text == "\n".join(codes) and not text.endswith("\n")
