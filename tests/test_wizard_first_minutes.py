"""The wizard's first ten minutes, as a learner met them: each item of the report, clicked through.

Issue "The first ten minutes and the room": a wrong code's wording, feedback far from its action,
Enter doing nothing, the demo password not where it is asked for, two buttons going forward at
stage 8, a method toggle that changed nothing, a download that looked like text, captions and
sliders without units, a log that grew the page, and an account that already has 2FA.
"""

from __future__ import annotations

import base64
import re

import pytest

pytest.importorskip("ipywidgets")

import ipywidgets as widgets  # noqa: E402

import otpkit  # noqa: E402
from otpkit import Stage  # noqa: E402
from otpkit.widgets import EnrollmentWizard, panels  # noqa: E402
from otpkit.widgets.wizard import DEMO_PASSWORD  # noqa: E402

from .conftest import AT, PASSWORD, fast  # noqa: E402
from .wizard_driver import feedback, forward, press_enter, text, to_stage  # noqa: E402

POLICY = fast(otpkit.MISSKEY)


@pytest.fixture
def wizard() -> EnrollmentWizard:
    return EnrollmentWizard.simulated(at=AT, seed=7, policy=POLICY)


def main_column(wizard: EnrollmentWizard) -> widgets.VBox:
    (main,) = [w for w in wizard.children[-1].children if "otpkit-main" in w._dom_classes]
    return main


def outside_code(html: str) -> str:
    """The text of ``html`` without what sits in <code> (quotes of the server's own words)."""
    return text(re.sub(r"<code>.*?</code>", " ", html))


# -- 1. a wrong code reads well: the verdict, then the two voices, no phrase said twice ----------


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.MISSKEY_2025], ids=["2026", "2025"])
@pytest.mark.parametrize("late", [0, 180], ids=["no-step", "six-steps-old"])
def test_a_wrong_code_reads_well(policy, late):
    wizard = EnrollmentWizard.simulated(at=AT, policy=fast(policy))
    to_stage(wizard, Stage.ENTER_CODE)
    if late:
        wizard.clock_control.advance(late)  # the code read at stage 7 is now too old
    else:
        wizard.code_box.value = "000000" if wizard.code_box.value != "000000" else "111111"
    wizard.continue_button.click()
    verdict, message = text(wizard.verdict.value), text(wizard.message.value)
    assert verdict.startswith("✗ Not verified. ")
    assert message.startswith(f"{policy.title} answered: HTTP 500, INTERNAL_ERROR")
    assert "otpkit explains: wrong code" in message
    words = outside_code(wizard.verdict.value + " " + wizard.message.value).lower()
    assert words.count("not verified") == 1 and "not verified. not verified" not in words
    assert "refused" not in words  # one headline, not two
    phrases = re.findall(r"\w+(?= )", words)
    triples = [" ".join(phrases[i : i + 3]) for i in range(len(phrases) - 2)]
    assert len(triples) == len(set(triples)), "a phrase is said twice"


def test_a_replayed_or_malformed_code_adds_nothing_the_explanation_says(wizard):
    to_stage(wizard, Stage.ENTER_CODE)
    wizard.code_box.value = "12ab56"
    wizard.continue_button.click()
    assert text(wizard.verdict.value) == "✗ Not verified."
    assert "not digits" in text(wizard.message.value)


# -- 2. feedback next to its action, in a fixed-height area ---------------------------------------


def test_feedback_sits_between_the_action_and_the_buttons_at_a_fixed_height(wizard):
    main = main_column(wizard)
    nav = main.children[2]
    assert main.children[:2] == (wizard.panel, wizard.feedback)
    assert nav.children == (wizard.back_button, wizard.next_button)
    assert wizard.feedback.layout.height == "12em" and wizard.feedback.layout.overflow == "hidden"
    assert wizard.message.layout.overflow == "auto" and wizard.message.tabbable  # scrolls inside

    to_stage(wizard, Stage.ENTER_PASSWORD)
    assert wizard.panel.children[1] is wizard.password  # the box, then the feedback
    wizard.password.value = "not the password"
    wizard.next_button.click()
    assert wizard.feedback.children == (wizard.message,)
    assert "INCORRECT_PASSWORD" in wizard.message.value  # beside the password box
    assert wizard.feedback.layout.height == "12em"  # the page does not grow

    wizard.password.value = DEMO_PASSWORD
    to_stage(wizard, Stage.ENTER_CODE)
    (row,) = [c for c in wizard.panel.children if isinstance(c, widgets.HBox)]
    assert row.children == (wizard.code_box, wizard.continue_button)
    assert wizard.panel.children[-1] is row
    wizard.code_box.value = "000000"
    wizard.continue_button.click()
    assert wizard.feedback.children == (wizard.verdict, wizard.message)
    assert "Not verified" in wizard.verdict.value


# -- 3. Enter submits ------------------------------------------------------------------------------


def test_enter_in_the_password_box_is_next_and_leaving_the_box_is_not(wizard):
    to_stage(wizard, Stage.ENTER_PASSWORD)
    wizard.password.value = "not the password"  # typed, then Tab: nothing is sent
    assert wizard.stage_view == Stage.ENTER_PASSWORD and wizard.flow.registration is None
    press_enter(wizard.password)
    assert "INCORRECT_PASSWORD" in wizard.message.value
    wizard.password.value = DEMO_PASSWORD
    press_enter(wizard.password)
    assert wizard.stage_view == Stage.SET_UP_APP and wizard.flow.registration is not None
    press_enter(wizard.password)  # no longer on screen: nothing happens
    assert wizard.stage_view == Stage.SET_UP_APP


def test_enter_in_the_code_box_is_continue(wizard):
    to_stage(wizard, Stage.ENTER_CODE)
    good = wizard.code_box.value
    wizard.code_box.value = "000000" if good != "000000" else "111111"
    press_enter(wizard.code_box)
    assert "Not verified" in wizard.verdict.value
    wizard.code_box.value = good
    press_enter(wizard.code_box)
    assert "Verified." in wizard.verdict.value and wizard.flow.stage == Stage.DOWNLOAD_BACKUP_CODES
    assert wizard.stage_view == Stage.ENTER_CODE  # the verdict stays in view
    press_enter(wizard.code_box)  # sent already: nothing more happens
    assert "Verified." in wizard.verdict.value


# -- 4. the demo password where it is asked for (simulated only) ---------------------------------


def test_the_demo_password_is_shown_beside_the_box_in_simulated_mode(wizard):
    to_stage(wizard, Stage.ENTER_PASSWORD)
    children = list(wizard.panel.children)
    assert children.index(wizard.password_hint) == children.index(wizard.password) + 1
    assert DEMO_PASSWORD in text(wizard.password_hint.value)


def test_the_live_mode_never_shows_the_password(tmp_path):
    wizard = EnrollmentWizard.live(
        tmp_path / "live.sqlite3",
        username="learner",
        password=PASSWORD,
        clock=otpkit.ManualClock(AT),
        policy=POLICY,
    )
    to_stage(wizard, Stage.ENTER_PASSWORD)
    assert wizard.password_hint not in wizard.panel.children
    assert all(
        PASSWORD not in getattr(w, "value", "")
        for w in wizard.panel.children
        if isinstance(w, widgets.HTML)
    )
    assert PASSWORD not in wizard.message.value


# -- 5. one way forward at each stage --------------------------------------------------------------


def forward_controls(wizard: EnrollmentWizard) -> list[str]:
    """The enabled controls on screen that move the enrollment on."""
    found = [] if wizard.next_button.disabled else ["Next"]
    on_screen = [w for c in wizard.panel.children for w in (c, *getattr(c, "children", ()))]
    if wizard.continue_button in on_screen and not wizard.continue_button.disabled:
        found.append("Continue")
    return found


def test_each_stage_has_exactly_one_way_forward(wizard):
    seen = {}
    while wizard.stage_view < Stage.DONE:
        key = (int(wizard.stage_view), wizard.flow.stage > wizard.stage_view)
        seen[key] = forward_controls(wizard)
        if wizard.stage_view == Stage.ENTER_PASSWORD:
            wizard.password.value = DEMO_PASSWORD
        forward(wizard)
        if wizard.stage_view == Stage.ENTER_CODE:
            seen[(8, wizard.flow.stage > Stage.ENTER_CODE)] = forward_controls(wizard)
    assert seen.pop((8, False)) == ["Continue"]
    assert seen.pop((8, True)) == ["Next"]
    assert all(controls == ["Next"] for controls in seen.values()), seen
    assert forward_controls(wizard) == []  # DONE


def test_next_at_stage_8_says_continue_sends_the_code(wizard):
    to_stage(wizard, Stage.ENTER_CODE)
    wizard.next()  # the presenter's bar calls this
    assert wizard.stage_view == Stage.ENTER_CODE and wizard.flow.stage == Stage.ENTER_CODE
    assert "Continue" in text(wizard.message.value)


# -- 6. the method toggle changes what is shown, and how the app adds the account -----------------


@pytest.mark.parametrize(("method", "called"), [("qr", "scan"), ("link", "open_link")])
def test_the_chosen_method_is_shown_and_used(wizard, monkeypatch, method, called):
    to_stage(wizard, Stage.SET_UP_APP)
    wizard.method_choice.value = method
    shown = wizard.panel.children
    assert (wizard.qr_image in shown) == (method == "qr")
    assert (wizard.launch_link in shown) == (method == "link")
    assert wizard.uri_text in shown and wizard.qr_caption in shown
    calls = []
    phone = wizard.phone
    for name in ("scan", "open_link"):
        real = getattr(phone, name)
        monkeypatch.setattr(
            phone, name, lambda x, real=real, name=name: calls.append(name) or real(x)
        )
    wizard.next_button.click()
    assert calls[0] == called
    wizard.back_button.click()
    assert wizard.method_choice.disabled and wizard.method_choice.value == method


# -- 7. the download is a button that saves Misskey's file ---------------------------------------


def test_the_download_is_a_button_with_the_file_name(wizard):
    to_stage(wizard, Stage.DOWNLOAD_BACKUP_CODES)
    link = wizard.download_link.value
    assert "otpkit-download" in wizard.download_link._dom_classes  # .otpkit-download a
    anchor = re.fullmatch(r"<a ([^>]*)>(.*)</a>", link)
    assert anchor, link
    attributes, label = anchor.groups()
    assert 'class="otpkit-download-link otpkit-button"' in attributes
    assert "display:inline-block" in attributes and "background:" in attributes
    assert label == "⬇ Download alice-2fa-backup-codes.txt"
    name = re.search(r'download="([^"]+)"', attributes).group(1)
    payload = re.search(r'href="data:text/plain;base64,([A-Za-z0-9+/=]+)"', attributes).group(1)
    content = base64.b64decode(payload).decode()
    assert name == "alice-2fa-backup-codes.txt"
    assert content == "\n".join(wizard.flow.backup_codes) and not content.endswith("\n")


# -- 8. captions that do not wrap, sliders with units -----------------------------------------------


def test_the_phone_caption_has_a_line_of_its_own_and_the_sliders_have_units(wizard):
    view = wizard.phone_view
    to_stage(wizard, Stage.READ_CODE)
    assert view.countdown_label in view.children  # not squeezed beside the bar
    assert "white-space:nowrap" in view.countdown_label.value
    assert text(view.countdown_label.value) == "10 s left · phone clock Unix 1700000000"
    slider_row = next(c for c in view.children if view.offset_slider in getattr(c, "children", ()))
    assert text(slider_row.children[1].value) == "s"
    view.offset_slider.value = 90
    assert text(view.offset_words.value) == "90 s: the phone's clock runs ahead"
    view.offset_slider.value = -30
    assert text(view.offset_words.value) == "30 s: the phone's clock runs behind"
    clock = wizard.clock_control
    assert clock.jump_unit.value == "s" and "seconds" in clock.jump_to.tooltip


# -- 9. the server's log stays the same height ------------------------------------------------------


def test_the_server_log_shows_the_last_lines_in_a_fixed_height(wizard):
    log = wizard.server_log
    assert log.layout.height and log.layout.overflow == "hidden"
    assert "1 in all" in text(log.value) and "sign_up" in log.value
    assert "no requests yet" in text(panels.server_log([]))
    to_stage(wizard, Stage.ENTER_CODE)
    for _ in range(6):
        wizard.code_box.value = "000000"
        wizard.continue_button.click()
    assert len(wizard.server.events) > 6
    assert log.value.count("<li") == 4
    assert "confirm.wrong" in log.value
    assert log.layout.height == "7.5em"


# -- 10. the stored data is not typeset as maths ----------------------------------------------------


def test_the_stored_table_has_no_dollar_signs(wizard):
    wizard.go_to(Stage.DONE)
    assert "$" not in wizard.stored_view.value
    assert "$2b$" in text(wizard.stored_view.value)


# -- 11. an account that already has 2FA: a code box at stage 5 ----------------------------------


def test_a_live_account_with_2fa_moves_to_a_new_phone(tmp_path):
    """A learner whose account already has 2FA (from an earlier session) registers a new phone:
    stage 5 asks for a code from the registered app, and the wizard reaches DONE."""
    path, clock = tmp_path / "live.sqlite3", otpkit.ManualClock(AT)

    def live():
        return EnrollmentWizard.live(
            path, username="learner", password=PASSWORD, clock=clock, policy=POLICY
        )

    first = live()
    first.go_to(Stage.DONE)
    old = first.flow.registration.secret
    second = live()  # a new kernel, a new phone
    assert "move to a new phone" in text(second.message.value)
    to_stage(second, Stage.ENTER_PASSWORD, password=PASSWORD)
    assert second.token_box in second.panel.children
    assert second.token_box.description and "backup code" in second.token_box.placeholder
    second.password.value = PASSWORD
    press_enter(second.password)  # no code yet: refused, and said why
    assert second.stage_view == Stage.ENTER_PASSWORD
    assert "already on" in text(second.message.value)
    clock.advance(60)  # past the step of the first enrollment's code, which is marked used
    second.password.value = PASSWORD
    second.token_box.value = otpkit.code_at(old, clock.now())
    press_enter(second.token_box)
    assert second.stage_view == Stage.SET_UP_APP, feedback(second)
    to_stage(second, Stage.ENTER_CODE)
    new = second.flow.registration.secret
    second.code_box.value = otpkit.code_at(new, clock.now())
    to_stage(second, Stage.DONE)
    assert second.server.stored("learner")["secret"] == new != old


# -- the first render replays: nothing read from the machine's clock -------------------------------


def test_a_simulated_wizard_never_reads_the_machines_clock(monkeypatch):
    def no(self):
        raise AssertionError("the machine's clock was read")

    monkeypatch.setattr(otpkit.SystemClock, "now", no)
    wizard = EnrollmentWizard.simulated(at=AT, policy=POLICY)
    wizard.reset()
    wizard.go_to(Stage.DONE)
    assert wizard.clock_control.jump_to.value == int(AT)


def rendered(wizard: EnrollmentWizard) -> list[tuple[str, object]]:
    """Every widget under ``wizard``: its kind and what it shows."""
    out, todo = [], [wizard]
    while todo:
        widget = todo.pop(0)
        shown = getattr(widget, "value", None)
        out.append((type(widget).__name__, shown if isinstance(shown, (str, int, bytes)) else None))
        todo.extend(getattr(widget, "children", ()))
    return out


def test_two_simulated_wizards_render_the_same_page():
    a, b = (EnrollmentWizard.simulated(at=AT, seed=3, policy=POLICY) for _ in range(2))
    assert rendered(a) == rendered(b)
    for w in (a, b):
        to_stage(w, Stage.SET_UP_APP)
    assert rendered(a) == rendered(b)
