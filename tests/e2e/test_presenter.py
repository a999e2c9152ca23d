"""Presenter mode in a real browser: ``otpkit present`` (Voila) driven by Chromium, as a trainer
drives it: one row of buttons, or a clicker's keys.

A walk through all nine stages at 1280x720 checks what the room sees: one navigation row, the QR
image decodes to the URL the page shows, the code on the phone is the right one, refusals appear
at the top of the stage, large, and the backup-code download is Misskey's file; then the explorer
slides. A second page drives everything with the keys of a clicker and the keyboard, in the dark
theme, including from inside text boxes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import otpkit
from otpkit.stages import Stage
from otpkit.widgets.wizard import DEMO_PASSWORD

from .conftest import ROOT, PresenterPage, assert_stayed_local

pytestmark = pytest.mark.e2e

AT = 1_700_000_000
SEED = 7
NOTEBOOK = ROOT / "notebooks" / "07-presenter-mode.ipynb"
SCREENSHOTS = ROOT / "docs" / "screenshots"
BACKUP_FILE = "alice-2fa-backup-codes.txt"


def test_the_notebook_uses_the_clock_and_seed_these_tests_expect():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    parameters = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(parameters) == 1
    assert "".join(parameters[0]["source"]).split() == ["AT", "=", f"{AT:_}", "SEED", "=", "7"]


def expected_enrollment() -> tuple[str, str, list[str]]:
    """(URI, code at stage 7, backup codes): the same enrollment run in this process."""
    flow = otpkit.widgets.EnrollmentWizard.simulated(at=AT, seed=SEED).flow
    flow.run()
    return flow.registration.uri, flow.code, flow.backup_codes


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: docs/screenshots with OTPKIT_SCREENSHOTS=update, else tmp."""
    return SCREENSHOTS if os.environ.get("OTPKIT_SCREENSHOTS") == "update" else tmp_path


def snap(page, folder: Path, name: str) -> None:
    """What the room sees: the whole window."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.mouse.move(0, 0)  # no hover colour on the button just pressed
    page.screenshot(path=path, animations="disabled", caret="hide")
    assert path.read_bytes().startswith(b"\x89PNG")


def in_view(locator) -> dict[str, float]:
    """The locator's box, checked to lie wholly inside the window."""
    box = locator.bounding_box()
    size = locator.page.viewport_size
    assert box is not None, f"{locator} is not on the screen"
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 0.5, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"] + 0.5, box
    return box


def assert_refusal_where_the_room_looks(room: PresenterPage, text: str) -> None:
    """The refusal is in the feedback box at the top of the stage (above the stage's own boxes),
    in view, in type at least as large as the stage's."""
    feedback = room.feedback()
    expect_text(feedback, text)
    box = in_view(feedback.locator(".otpkit-message-error").filter(has_text=text))
    panel = room.wizard.wizard.locator(".otpkit-panel")
    assert box["y"] < panel.bounding_box()["y"], "the refusal is not above the stage's boxes"
    size = (
        feedback.locator(".otpkit-message-error")
        .filter(has_text=text)
        .evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    )
    body = panel.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= body, (size, body)


def test_one_row_walks_all_nine_stages_then_the_explorers(presenter, page, shots, tmp_path):
    uri, code, backup_codes = expected_enrollment()
    page.set_viewport_size({"width": 1280, "height": 720})
    room = PresenterPage(page).open(presenter.url)
    wizard = room.wizard
    # One navigation row: the wizard's own pills and Back / Next row are not shown.
    assert room.root.locator(".otpkit-presenter-bar").count() == 1
    assert not wizard.wizard.locator(".otpkit-nav").is_visible()
    assert wizard.wizard.locator(".otpkit-header span[title]").filter(visible=True).count() == 0
    assert room.root.locator("button:visible", has_text="Next").count() == 1
    assert room.button("bar-back").is_disabled()
    assert "Stage 1 of 9" in wizard.wizard.locator(".otpkit-header").inner_text()
    snap(page, shots, "stage-01.png")

    for stage in (Stage.INSTALL_APP, Stage.OPEN_SETTINGS, Stage.OPEN_SECURITY):
        room.next()
        room.wait_for(stage + 1)
        snap(page, shots, f"stage-{stage + 1:02d}.png")
    room.next()
    room.wait_for(5)

    # A wrong password is refused with the server's error code, at the top, and the stage stays.
    wizard.fill("otpkit-password", "not the password")
    room.next()
    assert_refusal_where_the_room_looks(room, "INCORRECT_PASSWORD")
    room.wait_for(5)
    # An empty box: in simulated mode Next types the demo password itself.
    wizard.fill("otpkit-password", "")
    snap(page, shots, "stage-05.png")
    room.next()

    room.wait_for(6)
    shown_uri = wizard.uri()
    assert shown_uri == uri
    assert otpkit.read_qr(wizard.qr_bytes()) == shown_uri
    assert otpkit.read_qr(wizard.qr_screenshot()) == shown_uri
    secret = otpkit.parse_uri(shown_uri).secret
    in_view(wizard.wizard.locator("img.otpkit-qr"))
    snap(page, shots, "stage-06.png")
    room.next()

    room.wait_for(7)
    expect_text(wizard.wizard.locator(".otpkit-phone-code"), f"{code[:3]} {code[3:]}")
    assert code == otpkit.code_at(secret, AT)
    snap(page, shots, "stage-07.png")
    room.next()
    expect_text(wizard.message(), f"The app shows {code}")

    # A wrong code: Next sends it (Misskey's Continue); the refusal shows at the top, in two
    # voices: Misskey's own answer (a plain Error, so a 500) and the kit's explanation.
    room.wait_for(8)
    assert wizard.wizard.locator(".otpkit-code input").input_value() == code
    wizard.fill("otpkit-code", wrong_code(secret))
    room.next()
    expect_text(wizard.wizard.locator(".otpkit-verdict"), "Not verified")
    assert_refusal_where_the_room_looks(room, "Misskey 2026.6+ answered")
    expect_text(room.feedback(), "HTTP 500, INTERNAL_ERROR")
    expect_text(room.feedback(), "otpkit explains")
    snap(page, shots, "stage-08-wrong-code.png")
    wizard.fill("otpkit-code", code)
    room.next()
    expect_text(wizard.wizard.locator(".otpkit-verdict"), "Verified.")
    room.wait_for(8)  # the verdict stays in view until the next press
    snap(page, shots, "stage-08.png")
    room.next()

    panel = room.wait_for(9)
    listed = panel.locator(".otpkit-backup li code").all_inner_texts()
    assert listed == backup_codes
    assert len(listed) == 5 and all(re.fullmatch(r"[A-Z2-7]{32}", c) for c in listed)
    with page.expect_download() as info:
        panel.locator(".otpkit-download a").click()
    download = info.value
    assert download.suggested_filename == BACKUP_FILE
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_text() == "\n".join(backup_codes)  # no final newline, as Misskey
    snap(page, shots, "stage-09.png")
    room.next()

    panel = room.wait_for("Done")
    assert "Done" in wizard.wizard.locator(".otpkit-header").inner_text()
    expect_text(panel, "two_factor_enabled")
    snap(page, shots, "done.png")

    # After Done, the explorers: today's Misskey, one press away from the 2023.9-2026.5 one.
    room.next()
    window = room.wait_for("Window")
    expect_text(window.locator(".otpkit-compare button.mod-active"), "Misskey 2026.6+")
    expect_text(window, "accepted")
    window.locator(".otpkit-compare button", has_text="2023.9").click()
    expect_text(window.locator("select"), "Misskey 2023.9-2026.5")
    room.next()
    room.wait_for("Drift")
    assert room.button("bar-next").is_disabled()  # the last slide
    room.back()
    room.wait_for("Window")
    assert_stayed_local(page)


def test_a_clicker_and_the_keyboard_drive_it_in_the_dark_theme(presenter, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    room = PresenterPage(page).open(presenter.url, theme="dark")
    wizard = room.wizard
    assert page.locator("body").get_attribute("data-jp-theme-light") == "false"
    header = wizard.wizard.locator(".otpkit-header h3")
    assert float(header.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 26
    # Cells for notebook readers only are hidden, the code too (Voila strips it).
    assert not page.locator(".celltag_otpkit-notebook-only").first.is_visible()
    assert page.locator("text=PresenterView.simulated").count() == 0
    # The phone's screen is dark in the dark theme too.
    card = wizard.wizard.locator(".otpkit-phone-screen .widget-html-content > div").first
    assert luminance(card.evaluate("e => getComputedStyle(e).backgroundColor")) < 0.1

    # Tab reaches the row's Next button; Enter presses it.
    bar_next = room.button("bar-next")
    for _ in range(30):
        if bar_next.evaluate("b => b === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the Next button")
    page.keyboard.press("Enter")
    room.wait_for(2)

    # The keys of a presentation clicker, and the arrows.
    page.keyboard.press("PageDown")
    room.wait_for(3)
    page.keyboard.press("ArrowRight")
    room.wait_for(4)
    page.keyboard.press("ArrowLeft")
    room.wait_for(3)
    page.keyboard.press("PageUp")
    room.wait_for(2)
    page.keyboard.press("PageUp")
    room.wait_for(1)
    # A list with the focus keeps Up and Down, but Right still moves on.
    wizard.wizard.locator(".otpkit-app-choice select").focus()
    page.keyboard.press("ArrowRight")
    room.wait_for(2)
    for stage in (3, 4, 5):
        page.keyboard.press("PageDown")
        room.wait_for(stage)

    # In the password box the arrows move the caret until it reaches an end; there, Right moves
    # on like Page Down. The stage waits while the caret can still move.
    box = wizard.wizard.locator(".otpkit-password input")
    box.click()
    box.type(DEMO_PASSWORD)
    box.press("ArrowLeft")
    box.press("ArrowLeft")
    box.press("ArrowRight")
    box.press("ArrowRight")  # the caret reaches the end
    room.wait_for(5)
    assert box.evaluate("b => b === document.activeElement")
    box.press("ArrowRight")  # at the end already: this one submits
    room.wait_for(6)

    # From inside the code box, Page Down sends the code (the clicker never sticks in a box).
    page.keyboard.press("PageDown")
    room.wait_for(7)
    page.keyboard.press("PageDown")
    room.wait_for(8)
    wizard.wizard.locator(".otpkit-code input").click()
    page.keyboard.press("PageDown")
    expect_text(wizard.wizard.locator(".otpkit-verdict"), "Verified.")
    page.keyboard.press("PageDown")
    room.wait_for(9)

    # The trainer jumps to Done and on to the explorers; a slider's handle keeps the arrows,
    # Page Down still moves on.
    room.jump("Done")
    page.keyboard.press("PageDown")
    slide = room.wait_for("Window")
    handle = slide.locator(".noUi-handle").first
    assert handle.get_attribute("aria-label"), "the slider's handle has no name"
    handle.focus()
    before = slide.locator(".widget-readout").first.inner_text()
    page.keyboard.press("ArrowRight")
    expect_text_not(slide.locator(".widget-readout").first, before)
    room.wait_for("Window")
    page.keyboard.press("PageDown")
    room.wait_for("Drift")

    # ... and resets: stage 1 again, nothing done.
    room.button("reset").click()
    room.wait_for(1)
    assert "✓" not in wizard.wizard.locator(".otpkit-header").inner_text()
    assert_stayed_local(page)


def wrong_code(secret: str) -> str:
    """A six-digit code that the server accepts at no step of its window around AT."""
    accepted = {otpkit.code_at(secret, AT + 30 * k) for k in range(-5, 6)}
    return next(f"{n:06d}" for n in range(0, 1_000_000, 111_111) if f"{n:06d}" not in accepted)


def luminance(css_colour: str) -> float:
    """WCAG relative luminance of a computed ``rgb(...)`` / ``rgba(...)`` colour."""
    from otpkit.widgets.style import relative_luminance

    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", css_colour)[:3])
    return relative_luminance(f"#{r:02x}{g:02x}{b:02x}")


def expect_text(locator, text: str) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text)


def expect_text_not(locator, text: str) -> None:
    from playwright.sync_api import expect

    expect(locator).not_to_have_text(text)
