"""What a person waits for, in Chromium: a click on Next until the next stage is painted, and a
slider's move until the explorer's figure is painted again. In presenter mode (Voila) and in
JupyterLab (notebook 01's wizard, notebook 03's code-window explorer); median of 20 each, beside
the targets (100 ms for Next, 250 ms for a slider).

Each time runs from the input event (its own timestamp in the page: a real mouse click, a real key
press) to the first frame painted after the page shows the result: the next stage's panel, or the
figure's new image decoded. Every Next does its stage (a walk starts again from a fresh wizard:
presenter mode's Reset, or notebook 01's wizard cell run again). Not a test: it prints figures.
Needs /usr/bin/chromium and Playwright, like the browser tests; everything stays on 127.0.0.1.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import _common  # noqa: F401  (makes the repo importable)

from tests.e2e import servers
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, PresenterPage, is_local
from tests.e2e.test_accessibility import open_notebook_and_run_all, scroll_to
from tests.e2e.wizard_page import WizardPage

SAMPLES = 20
COLUMN = 28
TARGETS = {"next": 100.0, "slider": 250.0}
DEMO_PASSWORD = "correct horse battery staple"

# Armed before the input: the result is the time from the input event's timestamp to the first
# frame painted once done(scope) holds. window.otpkitTiming is a promise the next call awaits.
ARM = """([scope, kind, done]) => {
  const root = document.querySelector(scope);
  const test = new Function("root", done);
  let started = null;
  const start = (event) => { started = event.timeStamp; };
  document.addEventListener(kind, start, {capture: true, once: true});
  window.otpkitTiming = new Promise((resolve) => {
    const finish = async () => {
      observer.disconnect();
      const image = test(root);
      if (image instanceof HTMLImageElement) await image.decode().catch(() => null);
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0));
    };
    const observer = new MutationObserver(() => { if (started !== null && test(root)) finish(); });
    observer.observe(root, {subtree: true, childList: true, attributes: true});
  });
}"""
PANEL_SHOWN = (
    "const p = root.querySelector('.otpkit-wizard .otpkit-panel.otpkit-stage-{n}');"
    " return p && p.offsetParent !== null;"
)
# The figure: the first image after the slider, in the same explorer; done when its src changed.
NEW_IMAGE = (
    "const img = root.querySelector('img'); "
    "return img && img.src !== window.otpkitOldSrc && img.complete !== undefined ? img : false;"
)


def timed(page, scope: str, kind: str, done: str, act) -> float:
    page.evaluate(ARM, [scope, kind, done])
    act()
    return page.evaluate("() => window.otpkitTiming")


def next_stage(page, scope: str, wizard: WizardPage, button, reset) -> list[float]:
    """SAMPLES clicks on ``button`` (a Locator), each timed until the next stage is painted."""
    times: list[float] = []
    while len(times) < SAMPLES:
        reset()
        for stage in range(1, 10):
            if stage == 5:
                wizard.fill("otpkit-password", DEMO_PASSWORD)
            if stage == 8:  # the code goes first (Continue); then Next moves on
                wizard.wizard.locator("button.otpkit-continue").click()
                wizard.wizard.locator(".otpkit-verdict .otpkit-message-ok").wait_for()
            done = PANEL_SHOWN.format(n=stage + 1)
            times.append(timed(page, scope, "click", done, button.click))
            wizard.wait_for_stage(stage + 1)
            if len(times) == SAMPLES:
                break
    return times


def slider_moves(page, explorer) -> list[float]:
    """SAMPLES key presses on the offset slider's handle, each timed until the figure repaints."""
    handle = explorer.locator(".noUi-handle").first
    scope = "[data-otpkit-bench]"
    explorer.evaluate("e => e.setAttribute('data-otpkit-bench', '')")
    times = []
    for i in range(SAMPLES):
        page.evaluate("() => { window.otpkitOldSrc = document.querySelector("
                      "'[data-otpkit-bench] img').src; }")
        handle.focus()
        key = "ArrowRight" if (i // 5) % 2 == 0 else "ArrowLeft"
        times.append(timed(page, scope, "keydown", NEW_IMAGE, lambda k=key: page.keyboard.press(k)))
    return times


def presenter_figures(browser, home: Path) -> dict[str, list[float]]:
    with servers.presenter(home / "voila.log", cwd=ROOT) as server:
        page = new_page(browser)
        room = PresenterPage(page).open(server.url)
        reset = room.button("reset")

        def fresh() -> None:
            reset.click()
            room.wait_for(1)

        figures = {
            "next": next_stage(page, ".otpkit-presenter", room.wizard, room.button("bar-next"), fresh),
        }
        room.jump("Window")
        explorer = room.root.locator(".otpkit-slide .widget-vbox").filter(
            has=page.locator(".widget-slider")).last
        figures["slider"] = slider_moves(page, explorer)
        page.context.close()
        return figures


def lab_figures(browser, home: Path) -> dict[str, list[float]]:
    shutil.copytree(ROOT / "notebooks", home / "root" / "notebooks")
    with servers.jupyterlab(home / "root", home, home / "lab.log") as server:
        page = new_page(browser)
        notebook = open_notebook_and_run_all(server, page, "01-enrollment-walkthrough.ipynb")
        wizard = WizardPage(page, notebook)
        cell = notebook.locator(".jp-CodeCell").filter(has=page.locator(".otpkit-wizard")).first
        scroll_to(notebook, wizard.wizard)
        wizard.wait_for_stage(1)
        walks = [0]

        def fresh() -> None:  # run the wizard's cell again: a new wizard at stage 1
            if walks[0]:
                cell.locator(".jp-InputArea-editor").click()
                page.keyboard.press("Control+Enter")
                page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
            walks[0] += 1
            wizard.wizard.scroll_into_view_if_needed()
            wizard.wait_for_stage(1)

        scope = ".jp-NotebookPanel:not(.lm-mod-hidden)"
        next_button = wizard.wizard.locator("button.otpkit-next")
        figures = {"next": next_stage(page, scope, wizard, next_button, fresh)}
        notebook = open_notebook_and_run_all(server, page, "03-clock-drift.ipynb")
        notebook.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
        label = notebook.locator(".widget-slider", has_text="phone clock offset")
        scroll_to(notebook, label.first)
        offset = page.locator(".widget-slider", has_text="phone clock offset")
        explorer = notebook.locator(".widget-vbox").filter(has=offset).filter(
            has=page.locator("img")).last
        figures["slider"] = slider_moves(page, explorer)
        page.context.close()
        return figures


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.set_default_timeout(60_000)
    context.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())
    return context.new_page()


def line(name: str, columns: list[list[float]], target: float) -> str:
    cells = []
    for times in columns:
        median = statistics.median(times)
        mark = "ok" if median <= target else "SLOW"
        cells.append(f"{median:4.0f} ms ({min(times):.0f}-{max(times):.0f} ms) {mark}".ljust(COLUMN))
    return f"  {name:28s}" + "".join(cells) + f"{target:.0f} ms"


def main() -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        sys.exit(f"{CHROMIUM} is missing (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        presenter = presenter_figures(browser, Path(tmp))
        lab = lab_figures(browser, Path(tmp))
        browser.close()
    print(f"latency in Chromium, median of {SAMPLES} (min-max)")
    print(f"  {'':28s}{'presenter mode (Voila)':{COLUMN}s}{'JupyterLab':{COLUMN}s}target")
    print(line("Next -> next stage painted", [presenter["next"], lab["next"]], TARGETS["next"]))
    print(line("slider -> figure repainted", [presenter["slider"], lab["slider"]], TARGETS["slider"]))


if __name__ == "__main__":
    main()
