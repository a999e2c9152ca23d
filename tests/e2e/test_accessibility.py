"""Accessibility in a real browser: axe-core over presenter mode in both themes, and over the
wizard of notebook 01 in JupyterLab; every control of presenter mode reachable with Tab.

axe's critical and serious findings fail the test (the moderate and minor ones are printed, for
the record). The wizard in JupyterLab is checked inside its own box: JupyterLab's own interface
is not the kit's to fix.
"""

from __future__ import annotations

import json

import pytest

from otpkit.widgets.wizard import DEMO_PASSWORD

from .conftest import PresenterPage, assert_stayed_local
from .test_fit import states

pytestmark = pytest.mark.e2e

SEVERE = ("critical", "serious")
WALKTHROUGH = "01-enrollment-walkthrough.ipynb"
AXE_RUN = """async (selector) => {
  const where = selector ? document.querySelector(selector) : document;
  const result = await axe.run(where, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 4), count: v.nodes.length}));
}"""
INTERACTIVE = (
    "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, "
    "a[href], [role='slider'], [contenteditable='true']"
)


def axe(page, script: str, selector: str | None = None) -> list[dict]:
    """axe-core's violations on the page (or inside ``selector``)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=script)
    return page.evaluate(AXE_RUN, selector)


# Findings known in JupyterLab and left for later, each on one element: none today (the phone's
# offset is a labelled number box since its slider's handle had no name).
KNOWN_IN_LAB: dict[tuple[str, str], str] = {}


def known(finding: dict) -> bool:
    """Whether ``finding`` is one known above, on that element alone."""
    return finding["count"] == 1 and any(
        rule == finding["id"] and all(where in node for node in finding["nodes"])
        for rule, where in KNOWN_IN_LAB
    )


def severe(found: list[dict]) -> list[dict]:
    return [v for v in found if v["impact"] in SEVERE]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_presenter_mode_has_no_serious_axe_findings(presenter, page, axe_script, theme):
    page.set_viewport_size({"width": 1280, "height": 720})
    room = PresenterPage(page).open(presenter.url, theme)
    failures, record = {}, {}
    for name, reach in states(room):
        if name in ("2", "3", "7"):  # the same widgets as their neighbours
            continue
        reach()
        found = axe(page, axe_script)
        record[name] = {v["id"]: v["count"] for v in found}
        if severe(found):
            failures[name] = severe(found)
    print(f"axe, presenter mode, {theme} theme, findings per slide:", json.dumps(record))
    assert failures == {}, json.dumps(failures, indent=1)
    assert_stayed_local(page)


def test_every_control_in_presenter_mode_is_reachable_with_tab(presenter, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    room = PresenterPage(page).open(presenter.url)
    for label in ("1", "5", "6", "8", "9", "Window", "Drift"):
        room.jump(label)
        page.locator("body").focus()
        controls = room.root.locator(INTERACTIVE).filter(visible=True)
        wanted = controls.count()
        assert wanted > 0
        page.evaluate(
            """() => {
                 window.otpkitReached = new Set();
                 if (!window.otpkitListening) {
                   window.otpkitListening = true;
                   document.addEventListener("focusin", e => window.otpkitReached.add(e.target));
                 }
               }"""
        )
        for _ in range(2 * wanted + 80):  # generous: a busy machine may drop a focus change
            page.keyboard.press("Tab")
        missed = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                 .filter(e => e.checkVisibility() && !window.otpkitReached.has(e))
                 .map(e => e.outerHTML.slice(0, 120))""",
            f".otpkit-presenter :is({INTERACTIVE})",
        )
        assert missed == [], f"slide {label}: Tab never reaches {missed}"


def menu(page, top: str, item: str) -> None:
    """Choose ``item`` in the menu bar's ``top`` menu."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
CLEARED = f"() => document.querySelectorAll('{PANEL} .jp-OutputArea-output').length === 0"
STARTED = f"""() => [...document.querySelectorAll('{PANEL} .jp-InputPrompt')]
                .some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"""


def open_notebook_and_run_all(lab_server, page, name: str):
    """``name`` alone in JupyterLab (a fresh workspace), its outputs cleared, then every cell
    run; its panel."""
    from playwright.sync_api import expect

    page.goto(lab_server.url + f"lab/tree/notebooks/{name}?reset")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(notebook).to_have_count(1)
    expect(notebook.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)
    # A menu click while JupyterLab is still settling is sometimes lost: each is tried again
    # until what it does is seen.
    until(page, lambda: menu(page, "Edit", "Clear Outputs of All Cells"), CLEARED)
    until(page, lambda: menu(page, "Run", "Run All Cells"), STARTED)
    return notebook


def until(page, act, done: str, tries: int = 3) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        act()
        try:
            page.wait_for_function(done, timeout=10_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")  # close a menu left open
            if attempt == tries - 1:
                raise


def scroll_to(notebook, locator) -> None:
    """Scroll the notebook from the top until ``locator`` is drawn (JupyterLab draws only the
    cells near the view)."""
    outer = notebook.locator(".jp-WindowedPanel-outer").first
    outer.evaluate("e => { e.scrollTop = 0; }")
    for _ in range(400):
        if locator.count():
            locator.scroll_into_view_if_needed()
            return
        # Down by half a view; from the bottom, back to the top (outputs may still be drawing).
        outer.evaluate(
            "e => { const top = e.scrollTop; e.scrollTop += e.clientHeight / 2;"
            " if (e.scrollTop === top) e.scrollTop = 0; }"
        )
        notebook.page.wait_for_timeout(50)
    raise RuntimeError(f"{locator} is not in the notebook")


def open_walkthrough(lab_server, page):
    """Notebook 01 in JupyterLab, run from a clean page; its wizard."""
    from .wizard_page import WizardPage

    notebook = open_notebook_and_run_all(lab_server, page, WALKTHROUGH)
    wizard = WizardPage(page, notebook)
    scroll_to(notebook, wizard.wizard)
    wizard.wait_for_stage(1)
    return wizard


def test_the_wizard_in_jupyterlab_has_no_serious_axe_findings(lab_server, page, axe_script):
    page.set_viewport_size({"width": 1280, "height": 900})
    wizard = open_walkthrough(lab_server, page)
    failures, record = {}, {}
    for stage in range(1, 10):
        if stage in (1, 5, 6, 8, 9):
            wizard.wizard.scroll_into_view_if_needed()
            found = axe(page, axe_script, ".otpkit-wizard")
            record[stage] = {v["id"]: v["count"] for v in found}
            if severe(found):
                failures[stage] = severe(found)
        if stage == 5:
            wizard.fill("otpkit-password", DEMO_PASSWORD)
        if stage == 8:
            wizard.wizard.locator("button.otpkit-continue").click()
            wizard.wizard.locator(".otpkit-verdict .otpkit-box").wait_for()
        if stage < 9:
            wizard.next()
            wizard.wait_for_stage(stage + 1)
    print("axe, the wizard of notebook 01 in JupyterLab, findings per stage:", json.dumps(record))
    left = {s: [v for v in found if not known(v)] for s, found in failures.items()}
    assert all(v == [] for v in left.values()), json.dumps(left, indent=1)
    if failures:
        pytest.xfail(f"known, for the wizard's owners to fix: {KNOWN_IN_LAB}")
