"""Presenter mode fits one screen: measured in the browser, at the sizes of common projectors and
laptops, in both themes, on every slide (and with a refusal on the screen where there can be one).

Fits means: the page does not scroll (neither the document nor Voila's cell area, nor any other
box that scrolls), nothing sticks out sideways, and the row's Next button and the message area
lie wholly inside the window. With OTPKIT_SCREENSHOTS=update the test also saves what the room
sees at 1280x720 and 1920x1080 into docs/screenshots (presenter-<theme>-<size>-<slide>.png).
"""

from __future__ import annotations

import os

import pytest

from .conftest import ROOT, PresenterPage, assert_stayed_local
from .test_presenter import expected_enrollment, wrong_code

pytestmark = pytest.mark.e2e

SIZES = [(1280, 720), (1366, 900), (1920, 1080)]
SCREENSHOT_SIZES = {(1280, 720), (1920, 1080)}
SCREENSHOT_SLIDES = {"6", "8-refused", "Done", "Window"}

# Every box that scrolls (overflow auto or scroll) and holds more than it shows, except the two
# that may: the wizard's feedback area and text areas (each scrolls inside itself, by design).
MEASURE = """() => {
  const scrolled = [];
  for (const e of document.querySelectorAll('body, body *')) {
    const style = getComputedStyle(e);
    if (!['auto', 'scroll'].includes(style.overflowY) && !['auto', 'scroll'].includes(style.overflowX))
      continue;
    if (e.closest('.otpkit-feedback') || e.tagName === 'TEXTAREA') continue;
    if (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)
      scrolled.push(`${e.tagName}#${e.id}.${String(e.className).split(' ').slice(0, 3).join('.')}`
                    + ` ${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}`);
  }
  const page = document.scrollingElement;
  return {height: page.scrollHeight, width: page.scrollWidth, scrolled};
}"""


def check_fits(page, where: str) -> None:
    """Assert that the page fits the window, and that Next and the message area are in view."""
    size = page.viewport_size
    found = page.evaluate(MEASURE)
    assert found["height"] <= size["height"], f"{where}: the page is {found['height']} px high"
    assert found["width"] <= size["width"], f"{where}: the page is {found['width']} px wide"
    assert found["scrolled"] == [], f"{where}: boxes scroll: {found['scrolled']}"
    boxes = [page.locator(".otpkit-presenter button.otpkit-bar-next")]
    feedback = page.locator(".otpkit-presenter .otpkit-feedback")
    if feedback.is_visible():
        boxes.append(feedback)
    for locator in boxes:
        box = locator.bounding_box()
        assert box is not None, f"{where}: {locator} is not shown"
        inside = (
            box["x"] >= 0
            and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"] + 0.5
            and box["y"] + box["height"] <= size["height"] + 0.5
        )
        assert inside, f"{where}: {locator} lies at {box}, outside {size}"


def states(room: PresenterPage):
    """Each slide, and the two refusals a room sees most: (name, how to get there)."""
    from otpkit import parse_uri

    secret = parse_uri(expected_enrollment()[0]).secret

    def refuse_password() -> None:
        room.wizard.fill("otpkit-password", "not the password")
        room.next()
        room.feedback().locator(".otpkit-message-error").first.wait_for()

    def refuse_code() -> None:
        room.wizard.fill("otpkit-code", wrong_code(secret))
        room.next()
        room.feedback().locator(".otpkit-message-error").first.wait_for()

    for label in PresenterPage.SLIDES:
        yield label, lambda label=label: room.jump(label)
        if label == "5":
            yield "5-refused", refuse_password
        if label == "8":
            yield "8-refused", refuse_code


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_slide_fits_one_screen(presenter, page, theme, tmp_path):
    update = os.environ.get("OTPKIT_SCREENSHOTS") == "update"
    shots = ROOT / "docs" / "screenshots" if update else None
    page.set_viewport_size({"width": 1280, "height": 720})
    room = PresenterPage(page).open(presenter.url, theme)
    for name, reach in states(room):
        page.set_viewport_size({"width": 1280, "height": 720})
        reach()
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            check_fits(page, f"{theme} {width}x{height}, slide {name}")
            if shots and (width, height) in SCREENSHOT_SIZES and name in SCREENSHOT_SLIDES:
                page.mouse.move(0, 0)
                slug = name.lower().replace(" ", "-")
                if slug[0].isdigit():
                    slug = f"stage-{slug}"
                page.screenshot(
                    path=shots / f"presenter-{theme}-{width}x{height}-{slug}.png",
                    animations="disabled",
                    caret="hide",
                )
    assert_stayed_local(page)
