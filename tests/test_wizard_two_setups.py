"""Two setups for one account (two wizards, or two browser tabs): each is told when the other
restarted or finished the setup, and Back gets it out."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")

import otpkit  # noqa: E402
from otpkit import Stage  # noqa: E402
from otpkit.widgets import EnrollmentWizard  # noqa: E402
from otpkit.widgets.wizard import DEMO_PASSWORD  # noqa: E402

from .conftest import AT, fast  # noqa: E402
from .wizard_driver import POLICY, feedback, text, to_stage  # noqa: E402


def two_wizards(policy: otpkit.Policy = POLICY):
    """Two wizards for alice on one server and one clock, each with its own phone.

    ``simulated()`` builds a server per flow, so the two are made from one ``make_flow``.
    """
    clock = otpkit.ManualClock(AT)
    server = otpkit.Server(policy=policy, clock=clock, rng=otpkit.DemoRandom(7))
    server.sign_up("alice", DEMO_PASSWORD)

    def make() -> otpkit.EnrollmentFlow:
        phone = otpkit.Phone(clock=otpkit.DriftingClock(clock))
        return otpkit.EnrollmentFlow(server, phone, "alice", DEMO_PASSWORD)

    return server, EnrollmentWizard(make), EnrollmentWizard(make)


def confirm_fresh(wizard: EnrollmentWizard) -> None:
    """From stage 7: wait for the next time step (no code meets a back-off or a used step), read
    the code the app shows and send it."""
    assert wizard.stage_view == Stage.READ_CODE
    wizard.clock_control.plus_30.click()
    wizard.next_button.click()
    wizard.continue_button.click()


def redo_stage_5(wizard: EnrollmentWizard, token: str = "") -> str:
    """Back (straight to stage 5), the password again (and ``token`` in the code box, when the
    account has 2FA by then), Next: returns the new secret."""
    old = wizard.flow.registration.secret
    wizard.back_button.click()
    assert wizard.stage_view == Stage.ENTER_PASSWORD
    assert wizard.password in wizard.panel.children and not wizard.password.disabled
    wizard.password.value = DEMO_PASSWORD
    if token:
        assert wizard.token_box in wizard.panel.children
        wizard.token_box.value = token
    wizard.next_button.click()
    assert wizard.stage_view == Stage.SET_UP_APP, wizard.message.value
    reg = wizard.flow.registration
    assert reg.secret != old
    assert otpkit.read_qr(wizard.qr_image.value) == reg.uri  # a new QR code is shown
    wizard.next_button.click()  # the app scans it
    return reg.secret


def finish(wizard: EnrollmentWizard) -> None:
    """From stage 7: a fresh code, Continue, then Next to DONE."""
    confirm_fresh(wizard)
    assert "Verified." in wizard.verdict.value, feedback(wizard)
    to_stage(wizard, Stage.DONE)


@pytest.mark.parametrize("policy", [POLICY, fast(otpkit.HARDENED)], ids=["misskey", "hardened"])
def test_a_setup_restarted_elsewhere_is_explained_and_back_redoes_stage_5(policy):
    server, a, b = two_wizards(policy)
    to_stage(a, Stage.ENTER_CODE)  # A registered, scanned and read its code
    to_stage(b, Stage.SET_UP_APP)  # B registered again: the server replaced A's pending secret
    a.continue_button.click()
    # Before the fix A was stuck here for good: every code from its QR was refused, Back only
    # re-showed stage 5 as done, and the verdict blamed the clock ("belongs to offset +0").
    assert a.stage_view == Stage.ENTER_CODE and "Not verified" in a.verdict.value
    assert "The setup was restarted meanwhile" in text(a.verdict.value)
    assert "Back" in text(a.verdict.value) and "answered" in text(a.message.value)
    assert "belongs to" not in feedback(a)
    secret = redo_stage_5(a)
    assert server.stored("alice")["pending_secret"] == secret
    finish(a)
    assert (
        server.stored("alice")["two_factor_enabled"] and server.stored("alice")["secret"] == secret
    )


def test_two_wizards_each_get_out_when_the_other_restarts_the_setup():
    """A and B take turns replacing each other's setup; each is told and registers again, the
    last to register finishes. The other is then asked for a code from the registered app (or a
    backup code) at stage 5, registers its own phone, and finishes too."""
    server, a, b = two_wizards()
    to_stage(a, Stage.READ_CODE)
    to_stage(b, Stage.READ_CODE)
    confirm_fresh(a)  # B's registration voided A's
    assert "restarted meanwhile" in feedback(a)
    redo_stage_5(a)  # A's new registration voids B's
    confirm_fresh(b)
    assert "restarted meanwhile" in feedback(b)
    secret = redo_stage_5(b)
    confirm_fresh(a)
    assert "restarted meanwhile" in feedback(a)
    a.back_button.click()  # A takes the offer, but B finishes first
    assert a.stage_view == Stage.ENTER_PASSWORD
    assert a.token_box not in a.panel.children  # no 2FA yet: no code asked for
    finish(b)
    assert b.stage_view == Stage.DONE and server.stored("alice")["secret"] == secret
    a.password.value = DEMO_PASSWORD
    a.next_button.click()
    assert a.stage_view == Stage.ENTER_PASSWORD
    assert "Two-factor authentication is already on" in text(a.message.value)
    assert server.stored("alice")["secret"] == secret  # nothing changed
    # The refusal brought the code box: the password again, and one of B's backup codes.
    assert a.token_box in a.panel.children and "backup code" in text(a.token_note.value)
    a.password.value = DEMO_PASSWORD
    a.token_box.value = b.flow.backup_codes[0]
    a.next_button.click()
    assert a.stage_view == Stage.SET_UP_APP, feedback(a)
    assert "and so is the code" in text(a.message.value) and a.token_box.value == ""
    a.next_button.click()
    finish(a)
    stored = server.stored("alice")
    assert stored["two_factor_enabled"] and stored["secret"] == a.flow.registration.secret
    assert stored["secret"] != secret
    assert (a.stage_view, b.stage_view) == (Stage.DONE, Stage.DONE)


def test_a_setup_finished_elsewhere_is_explained_at_stage_8_and_back_moves_this_phone():
    server, a, b = two_wizards()
    to_stage(a, Stage.READ_CODE)
    to_stage(b, Stage.READ_CODE)
    finish(b)
    confirm_fresh(a)
    assert "Another setup finished first" in text(a.verdict.value)
    assert "Back" in text(a.verdict.value) and "backup codes" in text(a.verdict.value)
    # Back offers stage 5 again, now with the code box: a code from B's app works as well as a
    # backup code (once the step of B's enrollment code, which Misskey marked used, is past).
    a.clock_control.plus_30.click()
    b_code = otpkit.code_at(b.flow.registration.secret, server.clock.now())
    redo_stage_5(a, token=b_code)
    finish(a)
    assert (a.stage_view, b.stage_view) == (Stage.DONE, Stage.DONE)
    assert server.stored("alice")["secret"] == a.flow.registration.secret
