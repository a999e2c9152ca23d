"""Browser-test fixtures: Debian's Chromium under Playwright, loopback traffic only.

Without /usr/bin/chromium (or Playwright) the e2e tests are skipped, unless OTPKIT_E2E=require
(set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .servers import LocalServer, free_port

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
        if os.environ.get("OTPKIT_E2E") == "require":
            pytest.fail(f"OTPKIT_E2E=require but {reason}")
        pytest.skip(reason)
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


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page whose requests to anything but loopback are aborted (and recorded)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-US"
    )
    context.set_default_timeout(TIMEOUT_MS)
    blocked: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if is_local(url):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    new_page = context.new_page()
    new_page.blocked = blocked  # type: ignore[attr-defined]
    yield new_page
    context.close()


@pytest.fixture(scope="session")
def presenter(tmp_path_factory, browser) -> Iterator[LocalServer]:
    """``otpkit present`` on a free loopback port (Voila serving the presenter notebook).

    It asks for the browser first, so that without one it is skipped (or fails) like the tests.
    """
    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    command = [sys.executable, "-m", "otpkit.cli", "present", "--port", str(port)]
    with LocalServer(command, port, log, cwd=ROOT) as server:
        yield server
