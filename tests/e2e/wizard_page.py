"""What the browser tests do with the enrollment wizard in a page (a small page object)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from otpkit.flow import Stage

if TYPE_CHECKING:  # Playwright is imported by the fixtures, which skip when it is missing.
    from playwright.sync_api import Locator, Page


class WizardPage:
    """The wizard under ``root`` (a Locator), as a person sees and drives it."""

    def __init__(self, page: Page, root: Locator):
        self.page = page
        self.root = root
        self.wizard = root.locator(".otpkit-wizard").first

    def panel(self, stage: Stage | int) -> Locator:
        return self.wizard.locator(f".otpkit-panel.otpkit-stage-{int(stage)}")

    def wait_for_stage(self, stage: Stage | int) -> Locator:
        """The panel of ``stage``, once it is on the screen."""
        from playwright.sync_api import expect

        panel = self.panel(stage)
        expect(panel).to_be_visible()
        return panel

    def next(self) -> None:
        self.wizard.locator("button.otpkit-next").click()

    def back(self) -> None:
        self.wizard.locator("button.otpkit-back").click()

    def fill(self, widget_class: str, text: str) -> None:
        """Type into a Text/Password widget and leave the box, so the kernel gets the value."""
        box = self.wizard.locator(f".{widget_class} input")
        box.fill(text)
        box.press("Tab")

    def message(self) -> Locator:
        return self.wizard.locator(".otpkit-message")

    def qr_bytes(self) -> bytes:
        """The QR image exactly as the page holds it (the bytes behind its blob: URL)."""
        encoded = self.wizard.locator("img.otpkit-qr").evaluate(
            """async (img) => {
                const data = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
                let text = "";
                for (const byte of data) text += String.fromCharCode(byte);
                return btoa(text);
            }"""
        )
        return base64.b64decode(encoded)

    def qr_screenshot(self) -> bytes:
        """The QR image as the screen shows it, the way a phone's camera would see it."""
        return self.wizard.locator("img.otpkit-qr").screenshot()

    def uri(self) -> str:
        return self.wizard.locator(".otpkit-uri textarea").input_value()
