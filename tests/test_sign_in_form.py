"""The live sign-in form of notebook 08, clicked through on a real SQLite store and the live
server factory the wizard uses."""

from __future__ import annotations

import otpkit
from otpkit.widgets import SignInForm
from otpkit.widgets.wizard_factories import LIVE_HOST, live_server

from .conftest import AT, PASSWORD


def test_the_form_signs_in_with_a_code_then_a_backup_code(tmp_path):
    clock = otpkit.ManualClock(AT)
    server = live_server(tmp_path / "live.sqlite3", clock=clock)
    assert server.host == LIVE_HOST and server.policy is otpkit.MISSKEY
    server.sign_up("learner", PASSWORD)
    reg = server.register("learner", PASSWORD)
    codes = server.confirm("learner", otpkit.code_at(reg.secret, AT))
    form = SignInForm(server, "learner", PASSWORD)
    clock.advance(60)
    form.token.value = otpkit.code_at(reg.secret, clock.now())
    form.button.click()
    assert "signed in" in form.answer.value.lower()
    clock.advance(2)
    form.token.value = f" {codes[0]} "
    form.button.click()
    assert "4" in form.answer.value  # four backup codes left
    clock.advance(2)
    form.token.value = "000000"
    form.button.click()
    assert "403" in form.answer.value


def test_an_account_never_enrolled_is_explained(tmp_path):
    form = SignInForm(live_server(tmp_path / "live.sqlite3"), "nobody")
    form.button.click()
    assert "notebook 01" in form.answer.value
