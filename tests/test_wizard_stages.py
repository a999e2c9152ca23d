"""The enrollment wizard, driven as a learner would: set values, click buttons.

One simulated wizard, stage by stage: what each stage shows, Back and go_to, and the messages
for a wrong password, a wrong, late or malformed code, and clicks out of order.
"""

from __future__ import annotations

import base64
import re

import pytest

pytest.importorskip("ipywidgets")

import otpkit  # noqa: E402
from otpkit import Stage  # noqa: E402
from otpkit.widgets import EnrollmentWizard  # noqa: E402
from otpkit.widgets.wizard import DEMO_PASSWORD  # noqa: E402

from .conftest import AT, fast  # noqa: E402
from .wizard_driver import POLICY, text, to_stage  # noqa: E402


@pytest.fixture
def wizard() -> EnrollmentWizard:
    return EnrollmentWizard.simulated(at=AT, seed=7, policy=POLICY)


def download(wizard: EnrollmentWizard) -> tuple[str, str]:
    match = re.search(
        r'download="([^"]+)" href="data:text/plain;base64,([A-Za-z0-9+/=]+)"',
        wizard.download_link.value,
    )
    assert match, wizard.download_link.value
    return match.group(1), base64.b64decode(match.group(2)).decode()


def test_starts_at_stage_1_with_back_disabled(wizard):
    assert wizard.stage_view == Stage.INSTALL_APP
    assert wizard.back_button.disabled and not wizard.next_button.disabled
    assert "Stage 1 of 9" in wizard.header.value
    assert wizard.app_choice in wizard.panel.children
    assert "otpkit-stage-1" in wizard.panel._dom_classes
    assert repr(wizard) == (
        "EnrollmentWizard(simulated, alice, showing stage 1 of 9: Install an authenticator app)"
    )


def test_every_stage_shows_its_part_from_1_to_done(wizard):
    wizard.app_choice.value = otpkit.apps.AEGIS
    wizard.next_button.click()
    assert wizard.phone.app is otpkit.apps.AEGIS
    assert wizard.app_choice.disabled is False  # disabled only when stage 1 is shown again

    for stage, item in [
        (Stage.OPEN_SETTINGS, "Settings ◀"),
        (Stage.OPEN_SECURITY, "Security ◀"),
        (Stage.REGISTER_APP, "Register authenticator app"),
    ]:
        assert wizard.stage_view == stage
        assert item in wizard.menu.value
        wizard.next_button.click()

    assert wizard.stage_view == Stage.ENTER_PASSWORD
    assert wizard.password in wizard.panel.children
    wizard.password.value = DEMO_PASSWORD
    wizard.next_button.click()
    assert wizard.password.value == ""  # not kept in the widget state

    assert wizard.stage_view == Stage.SET_UP_APP
    reg = wizard.flow.registration
    assert wizard.uri_text.value == reg.uri
    assert otpkit.read_qr(wizard.qr_image.value) == reg.uri
    wizard.method_choice.value = "link"  # look at the other way, then come back
    assert f'href="{reg.uri.replace("&", "&amp;")}"' in wizard.launch_link.value
    assert "Launch App" in wizard.launch_link.value
    wizard.method_choice.value = "qr"
    wizard.next_button.click()
    assert wizard.phone.entries

    assert wizard.stage_view == Stage.READ_CODE
    shown = otpkit.code_at(reg.secret, AT)
    assert wizard.phone_view.code == shown
    assert f"{shown[:3]} {shown[3:]}" in wizard.phone_view.code_label.value
    assert wizard.phone_view.countdown.value == 10  # 1_700_000_000 is 20 s into its step
    wizard.next_button.click()
    assert wizard.code_box.value == shown

    assert wizard.stage_view == Stage.ENTER_CODE
    assert wizard.next_button.disabled  # one way forward: Continue
    wizard.continue_button.click()
    assert wizard.stage_view == Stage.ENTER_CODE  # the verdict stays in view
    assert "Verified." in wizard.verdict.value and "offset +0" in wizard.verdict.value
    assert wizard.code_box.disabled and wizard.continue_button.disabled
    assert not wizard.next_button.disabled
    wizard.next_button.click()

    assert wizard.stage_view == Stage.DOWNLOAD_BACKUP_CODES
    codes = wizard.flow.backup_codes
    assert len(codes) == 5
    for n, code in enumerate(codes, start=1):
        assert f"#{n} <code" in wizard.backup_list.value and code in wizard.backup_list.value
    name, content = download(wizard)
    assert name == "alice-2fa-backup-codes.txt"
    assert content.splitlines() == codes
    wizard.next_button.click()

    assert wizard.stage_view == Stage.DONE
    assert wizard.next_button.disabled
    stored = text(wizard.stored_view.value)
    assert "What the server now stores" in stored
    assert reg.secret in stored and all(code in stored for code in codes)
    assert "$2b$" in stored and "characters, salted" in stored
    assert wizard.server.stored("alice")["password_hash"] not in wizard.stored_view.value
    assert [r.stage for r in wizard.flow.history] == list(Stage)[:9]


def test_the_link_method_and_the_server_column(wizard):
    to_stage(wizard, Stage.SET_UP_APP)
    assert "pending" in wizard.server_log.value  # stage 6 log shows the register event
    wizard.method_choice.value = "link"
    wizard.next_button.click()
    assert "opened the link" in wizard.message.value
    assert "offline" in wizard.server_view.value  # stage 7: the server does nothing


def test_back_reshows_earlier_panels_without_undoing(wizard):
    to_stage(wizard, Stage.READ_CODE)
    wizard.back_button.click()
    assert wizard.stage_view == Stage.SET_UP_APP
    assert wizard.method_choice.disabled
    assert otpkit.read_qr(wizard.qr_image.value) == wizard.flow.registration.uri
    wizard.back_button.click()
    assert "accepted" in text(wizard.panel.children[1].value)
    assert wizard.flow.stage == Stage.READ_CODE
    wizard.next_button.click()
    wizard.next_button.click()
    assert wizard.stage_view == Stage.READ_CODE and wizard.flow.stage == Stage.READ_CODE


def test_wrong_password_is_a_message_and_nothing_moves(wizard):
    to_stage(wizard, Stage.ENTER_PASSWORD)
    wizard.password.value = "not the password"
    wizard.next_button.click()
    assert wizard.stage_view == Stage.ENTER_PASSWORD
    assert "INCORRECT_PASSWORD" in wizard.message.value
    assert "not right" in wizard.message.value
    assert wizard.flow.registration is None


def test_wrong_code_says_it_matches_no_step(wizard):
    to_stage(wizard, Stage.ENTER_CODE)
    wizard.code_box.value = "000000" if wizard.code_box.value != "000000" else "111111"
    wizard.continue_button.click()
    assert "Not verified" in wizard.verdict.value
    assert "No time step within 20 minutes either way gives this code" in text(wizard.verdict.value)
    assert "Misskey 2026.6+ answered" in wizard.message.value
    assert not wizard.server.stored("alice")["two_factor_enabled"]


def test_expired_code_after_six_steps_names_its_offset(wizard):
    to_stage(wizard, Stage.ENTER_CODE)
    wizard.clock_control.plus_30.click()
    wizard.clock_control.advance(150)
    wizard.continue_button.click()
    assert "Not verified" in wizard.verdict.value
    assert "offset -6" in wizard.verdict.value and "-1 to +1" in wizard.verdict.value
    # Misskey's own answer, and the kit's explanation, each labelled as such, under the verdict.
    assert "Misskey 2026.6+ answered" in wizard.message.value
    assert "INTERNAL_ERROR" in wizard.message.value and "otpkit explains" in wizard.message.value
    assert wizard.feedback.children == (wizard.verdict, wizard.message)
    # the phone shows a fresh code, and that one is accepted
    wizard.code_box.value = wizard.phone_view.code
    wizard.continue_button.click()
    assert "offset +0" in wizard.verdict.value
    wizard.next_button.click()
    assert wizard.stage_view == Stage.DOWNLOAD_BACKUP_CODES


def test_a_phone_two_steps_behind_enrolls_under_misskey_2025_only(wizard):
    old = EnrollmentWizard.simulated(at=AT, seed=7, policy=fast(otpkit.MISSKEY_2025))
    for each in (old, wizard):
        to_stage(each, Stage.READ_CODE)
        each.phone_view.offset_slider.value = -60
        each.next_button.click()
        each.continue_button.click()
    assert "Verified." in old.verdict.value and "offset -2" in old.verdict.value
    assert old.flow.stage == Stage.DOWNLOAD_BACKUP_CODES and not old.next_button.disabled
    assert "Not verified" in wizard.verdict.value and "offset -2" in wizard.verdict.value
    assert wizard.flow.stage == Stage.ENTER_CODE and wizard.next_button.disabled


def test_malformed_code_says_why(wizard):
    to_stage(wizard, Stage.ENTER_CODE)
    wizard.code_box.value = "12ab56"
    wizard.continue_button.click()
    assert text(wizard.verdict.value) == "✗ Not verified."  # the explanation says the rest
    assert "not digits" in wizard.message.value


def test_clicks_out_of_order_are_messages(wizard):
    wizard.continue_button.click()  # Continue at stage 1
    assert "STAGE_OUT_OF_ORDER" in wizard.message.value
    assert "stage 8" in wizard.message.value and "next stage is 1" in wizard.message.value
    assert wizard.flow.stage == Stage.INSTALL_APP
    wizard.go_to(Stage.DONE)
    wizard.continue_button.click()
    assert "already done" in wizard.message.value
    wizard.next()
    assert "done" in wizard.message.value


def test_go_to_performs_the_earlier_stages_and_reset_replays(wizard):
    wizard.go_to(Stage.DOWNLOAD_BACKUP_CODES)
    assert wizard.stage_view == Stage.DOWNLOAD_BACKUP_CODES
    assert wizard.flow.stage == Stage.DOWNLOAD_BACKUP_CODES
    first = wizard.flow.backup_codes
    wizard.go_to(Stage.OPEN_SECURITY)
    assert wizard.stage_view == Stage.OPEN_SECURITY
    wizard.reset()
    assert wizard.stage_view == Stage.INSTALL_APP and wizard.flow.stage == Stage.INSTALL_APP
    wizard.go_to(10)
    assert wizard.flow.backup_codes == first  # same seed, same clock: same codes


def test_go_to_stops_where_a_default_fails():
    wizard = EnrollmentWizard.simulated(at=AT, policy=POLICY, phone_offset=400)
    wizard.go_to(Stage.DONE)
    assert wizard.stage_view == Stage.ENTER_CODE
    assert "offset +14" in wizard.verdict.value  # 20 s into a step, +400 s


def test_stage_view_is_observable_for_presenters(wizard):
    seen = []
    wizard.observe(lambda change: seen.append(change["new"]), names="stage_view")
    wizard.next()
    wizard.back()
    assert seen == [Stage.OPEN_SETTINGS, Stage.INSTALL_APP]


def test_css_classes_for_browser_tests(wizard):
    for widget, name in [
        (wizard, "otpkit-wizard"),
        (wizard.next_button, "otpkit-next"),
        (wizard.back_button, "otpkit-back"),
        (wizard.password, "otpkit-password"),
        (wizard.code_box, "otpkit-code"),
        (wizard.continue_button, "otpkit-continue"),
        (wizard.message, "otpkit-message"),
        (wizard.qr_image, "otpkit-qr"),
        (wizard.uri_text, "otpkit-uri"),
        (wizard.download_link, "otpkit-download"),
    ]:
        assert name in widget._dom_classes


def test_simulated_runs_are_identical():
    a = EnrollmentWizard.simulated(at=AT, seed=3, policy=POLICY)
    b = EnrollmentWizard.simulated(at=AT, seed=3, policy=POLICY)
    for w in (a, b):
        w.go_to(Stage.DONE)
    assert a.flow.registration.uri == b.flow.registration.uri
    assert a.stored_view.value == b.stored_view.value
    assert a.download_link.value == b.download_link.value
