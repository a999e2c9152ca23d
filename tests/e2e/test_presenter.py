"""Presenter mode in a real browser: ``otpkit present`` (Voila) driven by Chromium.

One walk through all nine stages checks what the room sees: the QR image decodes to the URL the
page shows, the code on the phone is the right one, a wrong code is refused with a message, and
the backup-code download is Misskey's file. A second page checks the keyboard and the trainer's
bar, in the dark theme.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import otpkit
from otpkit.flow import Stage
from otpkit.widgets.wizard import DEMO_PASSWORD

from .conftest import ROOT
from .wizard_page import WizardPage

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


def snap(wizard: WizardPage, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    wizard.page.mouse.move(0, 0)  # no hover colour on the button just pressed
    wizard.root.screenshot(path=path, animations="disabled", caret="hide")
    assert path.read_bytes().startswith(b"\x89PNG")


def test_walk_through_all_nine_stages(presenter, page, shots, tmp_path):
    uri, code, backup_codes = expected_enrollment()
    page.set_viewport_size({"width": 1280, "height": 1400})  # every stage fits: whole screenshots
    page.goto(presenter.url)
    wizard = WizardPage(page, page.locator(".otpkit-presenter"))
    wizard.wait_for_stage(Stage.INSTALL_APP)
    assert "Stage 1 of 9" in wizard.wizard.locator(".otpkit-header").inner_text()
    snap(wizard, shots, "stage-01.png")

    for stage in (Stage.INSTALL_APP, Stage.OPEN_SETTINGS, Stage.OPEN_SECURITY):
        wizard.next()
        wizard.wait_for_stage(stage + 1)
        snap(wizard, shots, f"stage-{stage + 1:02d}.png")
    wizard.next()
    panel = wizard.wait_for_stage(Stage.ENTER_PASSWORD)

    # A wrong password is refused with the server's error code, and the stage stays.
    wizard.fill("otpkit-password", "not the password")
    wizard.next()
    expect_text(wizard.message(), "INCORRECT_PASSWORD")
    assert panel.is_visible()
    wizard.fill("otpkit-password", DEMO_PASSWORD)
    snap(wizard, shots, "stage-05.png")
    wizard.next()

    wizard.wait_for_stage(Stage.SET_UP_APP)
    shown_uri = wizard.uri()
    assert shown_uri == uri
    assert otpkit.read_qr(wizard.qr_bytes()) == shown_uri
    assert otpkit.read_qr(wizard.qr_screenshot()) == shown_uri
    secret = otpkit.parse_uri(shown_uri).secret
    snap(wizard, shots, "stage-06.png")
    wizard.next()

    wizard.wait_for_stage(Stage.READ_CODE)
    phone = wizard.wizard.locator(".otpkit-phone-code")
    expect_text(phone, f"{code[:3]} {code[3:]}")
    assert code == otpkit.code_at(secret, AT)
    snap(wizard, shots, "stage-07.png")
    wizard.next()
    expect_text(wizard.message(), f"The app shows {code}")

    # A wrong code: "Not verified" under the box, the server's refusal under the buttons.
    panel = wizard.wait_for_stage(Stage.ENTER_CODE)
    assert wizard.wizard.locator(".otpkit-code input").input_value() == code
    wrong = wrong_code(secret)
    wizard.fill("otpkit-code", wrong)
    wizard.wizard.locator("button.otpkit-continue").click()
    expect_text(wizard.wizard.locator(".otpkit-verdict"), "Not verified")
    # Misskey's own answer (a plain Error, so a 500), apart from the kit's explanation.
    expect_text(wizard.message(), "Misskey 2026.6+ answered: HTTP 500, INTERNAL_ERROR")
    expect_text(wizard.message(), "otpkit explains")
    snap(wizard, shots, "stage-08-wrong-code.png")
    wizard.fill("otpkit-code", code)
    wizard.wizard.locator("button.otpkit-continue").click()
    expect_text(wizard.wizard.locator(".otpkit-verdict"), "Verified.")
    snap(wizard, shots, "stage-08.png")
    wizard.next()

    panel = wizard.wait_for_stage(Stage.DOWNLOAD_BACKUP_CODES)
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
    snap(wizard, shots, "stage-09.png")
    wizard.next()

    panel = wizard.wait_for_stage(Stage.DONE)
    assert "Done" in wizard.wizard.locator(".otpkit-header").inner_text()
    expect_text(panel, "two_factor_enabled")
    snap(wizard, shots, "done.png")
    assert page.blocked == [] or all("cdn.jsdelivr.net" in url for url in page.blocked)


def test_keyboard_and_trainer_bar_in_the_dark_theme(presenter, page):
    page.goto(presenter.url + "?theme=dark")
    wizard = WizardPage(page, page.locator(".otpkit-presenter"))
    wizard.wait_for_stage(Stage.INSTALL_APP)
    assert page.locator("body").get_attribute("data-jp-theme-light") == "false"
    header = wizard.wizard.locator(".otpkit-header h3")
    assert float(header.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    # Cells for notebook readers only are hidden, the code too (Voila strips it).
    assert not page.locator(".celltag_otpkit-notebook-only").first.is_visible()
    assert page.locator("text=PresenterView.simulated").count() == 0

    # Tab reaches the bar's Next button; Enter presses it.
    bar_next = page.locator(".otpkit-presenter button.otpkit-bar-next")
    for _ in range(30):
        if bar_next.evaluate("b => b === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the Next button")
    page.keyboard.press("Enter")
    wizard.wait_for_stage(Stage.OPEN_SETTINGS)

    # The keys of a presentation clicker, and the arrows.
    page.keyboard.press("ArrowRight")
    wizard.wait_for_stage(Stage.OPEN_SECURITY)
    page.keyboard.press("PageDown")
    wizard.wait_for_stage(Stage.REGISTER_APP)
    page.keyboard.press("ArrowLeft")
    wizard.wait_for_stage(Stage.OPEN_SECURITY)
    page.keyboard.press("PageUp")
    wizard.wait_for_stage(Stage.OPEN_SETTINGS)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wizard.wait_for_stage(Stage.ENTER_PASSWORD)

    # Arrow keys inside a text box move the caret, not the stage.
    box = wizard.wizard.locator(".otpkit-password input")
    box.fill(DEMO_PASSWORD)
    box.press("ArrowLeft")
    box.press("ArrowLeft")
    box.press("Tab")
    bar_next.click()
    wizard.wait_for_stage(Stage.SET_UP_APP)

    # The trainer jumps to stage 9 (the stages between are done with their defaults) ...
    page.locator(".otpkit-jump button", has_text="9").click()
    panel = wizard.wait_for_stage(Stage.DOWNLOAD_BACKUP_CODES)
    assert panel.locator(".otpkit-backup li").count() == 5
    # ... and resets: stage 1 again, nothing done.
    page.locator(".otpkit-presenter button.otpkit-reset").click()
    wizard.wait_for_stage(Stage.INSTALL_APP)
    assert "✓" not in wizard.wizard.locator(".otpkit-header").inner_text()
    expect_text(page.locator(".otpkit-jump button.mod-active"), "1")


def wrong_code(secret: str) -> str:
    """A six-digit code that the server accepts at no step of its window around AT."""
    accepted = {otpkit.code_at(secret, AT + 30 * k) for k in range(-5, 6)}
    return next(f"{n:06d}" for n in range(0, 1_000_000, 111_111) if f"{n:06d}" not in accepted)


def expect_text(locator, text: str) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text)
