"""The wizard for everyone: labelled inputs, keyboard-reachable controls, readable colours, and a
text alternative for the QR code. Checked at every stage, in its refusals too."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytest.importorskip("ipywidgets")

import ipywidgets as widgets  # noqa: E402

import otpkit  # noqa: E402
from otpkit import Stage  # noqa: E402
from otpkit.widgets import EnrollmentWizard, panels, style  # noqa: E402
from otpkit.widgets.wizard import DEMO_PASSWORD  # noqa: E402

from .conftest import AT, fast  # noqa: E402
from .wizard_driver import to_stage  # noqa: E402

POLICY = fast(otpkit.MISSKEY)
INPUTS = (
    widgets.Text,
    widgets.Textarea,
    widgets.IntText,
    widgets.Dropdown,
    widgets.ToggleButtons,
    widgets.IntSlider,
)
AA = 4.5  # WCAG 2 AA, normal text


def tree(widget: widgets.Widget) -> list[widgets.Widget]:
    """``widget`` and everything inside it that is on screen (display none counts as off)."""
    out, todo = [], [widget]
    while todo:
        w = todo.pop(0)
        if getattr(getattr(w, "layout", None), "display", None) == "none":
            continue
        out.append(w)
        todo.extend(getattr(w, "children", ()))
    return out


class Styles(HTMLParser):
    """Every element's tag, inline style and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str], dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        declarations = {}
        for part in (attributes.get("style") or "").split(";"):
            if ":" in part:
                key, value = part.split(":", 1)
                declarations[key.strip()] = value.strip()
        self.found.append((tag, declarations, attributes))


def elements(html: str):
    parser = Styles()
    parser.feed(html)
    return parser.found


def screens() -> list[tuple[str, EnrollmentWizard]]:
    """The wizard at each stage, and in each kind of refusal (a fresh wizard for each)."""
    shots = []
    for stage in list(Stage):
        wizard = EnrollmentWizard.simulated(at=AT, policy=POLICY)
        to_stage(wizard, stage)
        shots.append((f"stage {int(stage)}", wizard))
    wrong_password = EnrollmentWizard.simulated(at=AT, policy=POLICY)
    to_stage(wrong_password, Stage.ENTER_PASSWORD)
    wrong_password.password.value = "wrong"
    wrong_password.next_button.click()
    shots.append(("wrong password", wrong_password))
    wrong_code = EnrollmentWizard.simulated(at=AT, policy=POLICY)
    to_stage(wrong_code, Stage.ENTER_CODE)
    wrong_code.code_box.value = "000000"
    wrong_code.continue_button.click()
    shots.append(("wrong code", wrong_code))
    link = EnrollmentWizard.simulated(at=AT, policy=POLICY)
    to_stage(link, Stage.SET_UP_APP)
    link.method_choice.value = "link"
    shots.append(("link", link))
    clock = EnrollmentWizard.simulated(at=AT, policy=POLICY)
    clock.clock_control.jump(-1)  # a note from the clock
    shots.append(("clock note", clock))
    return shots


SCREENS = screens()


def html_of(wizard: EnrollmentWizard) -> str:
    return "".join(w.value for w in tree(wizard) if isinstance(w, widgets.HTML))


def test_every_colour_pair_of_the_style_meets_aa():
    for name, (fg, bg) in style.PAIRS.items():
        assert style.contrast_ratio(fg, bg) >= AA, name
    assert style.contrast_ratio("#000", "#fff") == pytest.approx(21)


@pytest.mark.parametrize(("name", "wizard"), SCREENS, ids=[name for name, _ in SCREENS])
def test_every_box_sets_both_colours_and_they_meet_aa(name, wizard):
    boxes = 0
    for tag, css, _ in elements(html_of(wizard)):
        if "background" not in css and "color" not in css:
            continue
        # A box that set only one of the two would take the other from the theme: dark text on a
        # dark card in the dark theme, or light text on a light box.
        assert "background" in css and "color" in css, (tag, css)
        assert style.contrast_ratio(css["color"], css["background"]) >= AA, (tag, css)
        boxes += 1
    assert boxes >= 3  # at least the stage pills


@pytest.mark.parametrize(("name", "wizard"), SCREENS, ids=[name for name, _ in SCREENS])
def test_every_input_on_screen_has_a_label(name, wizard):
    inputs = [w for w in tree(wizard) if isinstance(w, INPUTS)]
    assert inputs
    for widget in inputs:
        assert widget.description.strip(), widget


@pytest.mark.parametrize(("name", "wizard"), SCREENS, ids=[name for name, _ in SCREENS])
def test_every_control_is_a_button_or_a_link_the_keyboard_reaches(name, wizard):
    for tag, css, attributes in elements(html_of(wizard)):
        assert not any(key.startswith("on") for key in attributes), (tag, attributes)
        assert css.get("cursor") != "pointer", (tag, css)
        if tag == "a":
            assert attributes.get("href"), attributes  # an <a> without href is not focusable
        if "otpkit-button" in (attributes.get("class") or ""):
            assert tag == "a" and attributes.get("href")
    for widget in tree(wizard):
        assert getattr(widget, "tabbable", None) is not False, widget


def test_the_qr_code_has_its_url_as_text_alternative():
    wizard = EnrollmentWizard.simulated(at=AT, policy=POLICY)
    to_stage(wizard, Stage.SET_UP_APP)
    uri = wizard.flow.registration.uri
    image = wizard.qr_image
    # The page's image gets the tooltip as its title (its accessible name) only when the model
    # has a description: checked in Chromium, where the title reached the <img>.
    assert uri in image.tooltip and image.description == ""
    assert "description" in image.get_state()
    shown = list(wizard.panel.children)
    assert shown.index(image) + 1 == shown.index(wizard.qr_caption)
    assert wizard.uri_text in shown and wizard.uri_text.value == uri
    assert "otpauth://" in wizard.qr_caption.value


def test_refusals_are_announced_and_say_it_in_words_not_colour_alone():
    wizard = dict(SCREENS)["wrong code"]
    assert 'role="alert"' in wizard.verdict.value and "✗" in wizard.verdict.value
    assert 'role="alert"' in wizard.message.value
    ok = panels.message("fine", "ok")
    assert 'role="status"' in ok and "otpkit-message-ok" in ok


def test_the_password_hint_is_not_a_placeholder_but_text_beside_the_box():
    wizard = EnrollmentWizard.simulated(at=AT, policy=POLICY)
    to_stage(wizard, Stage.ENTER_PASSWORD)
    assert DEMO_PASSWORD not in wizard.password.placeholder
    assert DEMO_PASSWORD in wizard.password_hint.value


def test_the_panels_pieces_outside_the_wizard_set_their_colours_too():
    pieces = [panels.menu_mock(s) for s in (Stage.OPEN_SETTINGS, Stage.REGISTER_APP)]
    pieces += [panels.launch_link("otpauth://totp/x?secret=AA"), panels.download_link("f", "t")]
    pieces += [panels.message("x", kind) for kind in ("info", "ok", "error", "note")]
    for piece in pieces:
        for tag, css, _ in elements(piece):
            if "background" in css or "color" in css:
                assert style.contrast_ratio(css["color"], css["background"]) >= AA, (tag, css)
    assert re.search(r"<a [^>]*download=", panels.download_link("f", "t"))
