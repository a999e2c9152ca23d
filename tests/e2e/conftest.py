"""Browser-test fixtures: Debian's Chromium under Playwright, loopback traffic only.

Without /usr/bin/chromium (or Playwright) the e2e tests are skipped, unless OTPKIT_E2E=require
(set by .ci/run), which turns the skip into a failure.

A page may ask nothing of another machine: every request to anything but loopback is aborted,
recorded, and fails the test that made it (``assert_stayed_local``, also run when the page
closes). axe-core, for the accessibility checks, comes from the npm registry into
tests/e2e/.axe on first use (``axe_script``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from . import servers
from .servers import LocalServer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("OTPKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_MS = 60_000  # a kernel start on a busy 2-core machine can take a while
AXE_VERSION = "4.14.1"
AXE_DIR = Path(__file__).resolve().parent / ".axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def _unavailable(reason: str) -> None:
    """Skip, or fail when OTPKIT_E2E=require (CI): a browser test must not pass by not running."""
    if os.environ.get("OTPKIT_E2E") == "require":
        pytest.fail(f"OTPKIT_E2E=require but {reason}")
    pytest.skip(reason)


def _missing() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    reason = _missing()
    if reason is not None:
        _unavailable(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (loopback, or data:/blob: inside the page)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOOPBACK


def assert_stayed_local(page) -> None:
    """Fail if the page tried to reach another machine (a CDN, a font server, anything)."""
    outside = list(page.outside)
    assert outside == [], f"the page asked other machines for {outside}"


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page whose requests to anything but loopback are aborted and recorded in
    ``page.outside``; the test fails if there are any."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-US"
    )
    context.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if is_local(url):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    new_page = context.new_page()
    # WebSockets pass by routes: record the ones to other machines too.
    new_page.on("websocket", lambda ws: None if is_local(ws.url) else outside.append(ws.url))
    new_page.outside = outside  # type: ignore[attr-defined]
    new_page.blocked = outside  # type: ignore[attr-defined]  (the name older tests use)
    yield new_page
    context.close()
    assert_stayed_local(new_page)


@pytest.fixture(scope="session")
def presenter(tmp_path_factory, browser) -> Iterator[LocalServer]:
    """``otpkit present`` on a free loopback port (Voila serving the presenter notebook).

    It asks for the browser first, so that without one it is skipped (or fails) like the tests.
    """
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with servers.presenter(log, cwd=ROOT) as server:
        yield server


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, browser) -> Iterator[LocalServer]:
    """JupyterLab over a copy of notebooks/ (one for the session; tests open what they need)."""
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", home / "root" / "notebooks")
    with servers.jupyterlab(home / "root", home, home / "lab.log") as server:
        yield server


def _axe_installed() -> str | None:
    try:
        return json.loads((AXE_SCRIPT.parent / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's script, installed from the npm registry into tests/e2e/.axe when missing."""
    if _axe_installed() != AXE_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is not installed (axe-core comes from the npm registry)")
        AXE_DIR.mkdir(exist_ok=True)
        (AXE_DIR / ".gitignore").write_text("*\n")
        done = subprocess.run(
            [npm, "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund",
             "--no-package-lock", f"axe-core@{AXE_VERSION}"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if done.returncode != 0 or not AXE_SCRIPT.is_file():
            _unavailable(f"npm could not install axe-core@{AXE_VERSION}:\n{done.stderr[-2000:]}")
    return AXE_SCRIPT.read_text(encoding="utf-8")


class PresenterPage:
    """Presenter mode in a page, as a trainer drives it: the one row (Back, a button per slide,
    Next, Reset) over the wizard or an explorer slide."""

    SLIDES = [*(str(n) for n in range(1, 10)), "Done", "Window", "Drift"]

    def __init__(self, page):
        from .wizard_page import WizardPage

        self.page = page
        self.root = page.locator(".otpkit-presenter")
        self.wizard = WizardPage(page, self.root)

    def open(self, url: str, theme: str = "light") -> PresenterPage:
        self.page.goto(url + ("?theme=dark" if theme == "dark" else ""))
        self.wizard.wait_for_stage(1)
        return self

    def button(self, name: str):
        """The row's ``bar-back``, ``bar-next`` or ``reset`` button."""
        return self.root.locator(f"button.otpkit-{name}")

    def slide_button(self, label: str):
        return self.root.locator(".otpkit-jump button").filter(
            has_text=re.compile(f"^{re.escape(label)}$")
        )

    def next(self) -> None:
        self.button("bar-next").click()

    def back(self) -> None:
        self.button("bar-back").click()

    def jump(self, label: str) -> None:
        """Press the slide's button and wait until it is shown."""
        self.slide_button(label).click()
        self.wait_for(label)

    def wait_for(self, label: str | int):
        """The slide ``label`` ("1".."9", "Done", "Window", "Drift"), once it is on the screen."""
        from playwright.sync_api import expect

        label = str(label)
        expect(self.slide_button(label)).to_have_class(re.compile(r"\bmod-active\b"))
        if label in ("Window", "Drift"):
            slide = self.root.locator(".otpkit-slide").filter(has=self.page.locator("img"))
            expect(slide).to_be_visible()
            return slide
        return self.wizard.wait_for_stage(10 if label == "Done" else int(label))

    def feedback(self):
        return self.root.locator(".otpkit-feedback")
