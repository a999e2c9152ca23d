"""The enrollment wizard in live mode: a real secret, the account kept in SQLite across a
restart, and a wrong password for an account the file already holds."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")

import otpkit  # noqa: E402
from otpkit import Stage  # noqa: E402
from otpkit.widgets import EnrollmentWizard  # noqa: E402

from .conftest import AT, PASSWORD  # noqa: E402
from .wizard_driver import POLICY, to_stage  # noqa: E402


def live(path, clock):
    return EnrollmentWizard.live(
        path, username="learner", password=PASSWORD, clock=clock, policy=POLICY
    )


def test_live_mode_keeps_the_account_in_sqlite_across_a_restart(tmp_path):
    path = tmp_path / "live.sqlite3"
    clock = otpkit.ManualClock(AT)
    wizard = live(path, clock)
    assert "Live" in wizard.message.value
    assert wizard.phone_view.layout.display == "none"
    to_stage(wizard, Stage.ENTER_PASSWORD)
    wizard.password.value = PASSWORD
    wizard.next_button.click()
    secret = wizard.flow.registration.secret
    assert len(secret) == 32
    wizard.next_button.click()
    wizard.next_button.click()
    assert wizard.code_box.value == ""  # the learner types the code from a real phone
    clock.advance(45)  # typing takes a while
    wizard.code_box.value = otpkit.code_at(secret, clock.now())
    wizard.continue_button.click()
    assert "Verified" in wizard.verdict.value

    restarted = live(path, clock)  # a new kernel: a new wizard on the same file
    assert restarted.server.stored("learner")["two_factor_enabled"]
    assert restarted.server.stored("learner")["secret"] == secret
    assert "already has an authenticator app" in restarted.message.value
    later = otpkit.Server(policy=POLICY, clock=clock, store=otpkit.SqliteStore(path))
    clock.advance(60)  # past the step of the enrollment code, which Misskey marked used
    assert later.sign_in("learner", PASSWORD, otpkit.code_at(secret, clock.now())).ok


def test_live_secrets_are_not_seeded(tmp_path):
    clock = otpkit.ManualClock(AT)
    secrets = set()
    for name in ("a", "b"):
        wizard = live(tmp_path / f"{name}.sqlite3", clock)
        wizard.go_to(Stage.SET_UP_APP)
        secrets.add(wizard.flow.registration.secret)
    assert len(secrets) == 2


def test_live_wrong_password_for_an_existing_account(tmp_path):
    path = tmp_path / "live.sqlite3"
    clock = otpkit.ManualClock(AT)
    live(path, clock)
    other = EnrollmentWizard.live(
        path, username="learner", password="another", clock=clock, policy=POLICY
    )
    other.go_to(Stage.SET_UP_APP)
    assert other.stage_view == Stage.ENTER_PASSWORD
    assert "INCORRECT_PASSWORD" in other.message.value
