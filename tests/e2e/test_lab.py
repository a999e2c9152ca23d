"""The learner's path in JupyterLab: open the index, follow the link to the walkthrough, run it all,
and use the wizard it shows."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from otpkit.flow import Stage

from .conftest import ROOT
from .servers import LocalServer, jupyterlab
from .wizard_page import WizardPage

pytestmark = pytest.mark.e2e

WALKTHROUGH = "01-enrollment-walkthrough.ipynb"


@pytest.fixture
def lab(tmp_path, browser) -> Iterator[LocalServer]:
    """JupyterLab on a free loopback port, no token, over a copy of notebooks/ in a temp folder.

    Its settings, workspaces and runtime files stay in the temp folder too, so a developer's own
    JupyterLab set-up changes nothing here (and the news question is answered "never").
    """
    root = tmp_path / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    with jupyterlab(root, tmp_path, tmp_path / "lab.log") as server:
        yield server


def menu(page, top: str, item: str) -> None:
    """Choose ``item`` in the menu bar's ``top`` menu."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def test_index_link_to_walkthrough_run_all_and_click(lab, page):
    from playwright.sync_api import expect

    page.goto(lab.url + "lab/tree/notebooks/00-index.ipynb")
    index = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    link = index.locator(f'.jp-RenderedMarkdown a[href*="/{WALKTHROUGH}"]').first
    link.click()
    expect(page.locator(".lm-TabBar-tab.lm-mod-current", has_text=WALKTHROUGH)).to_be_visible()
    walkthrough = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(walkthrough.locator(".jp-Cell").first).to_be_visible()
    # Wait for the kernel, then start from a clean page: any wizard seen afterwards is live.
    idle = walkthrough.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    expect(idle).to_have_count(1)
    menu(page, "Edit", "Clear Outputs of All Cells")
    expect(walkthrough.locator(".otpkit-wizard")).to_have_count(0)
    menu(page, "Run", "Run All Cells")

    wizard = WizardPage(page, walkthrough)
    wizard.wizard.scroll_into_view_if_needed()
    wizard.wait_for_stage(Stage.INSTALL_APP)
    wizard.next()
    wizard.wait_for_stage(Stage.OPEN_SETTINGS)
    wizard.back()
    wizard.wait_for_stage(Stage.INSTALL_APP)
    # The cells after the wizard ran too, without an error: the live section, then the score.
    outputs = walkthrough.locator(".jp-CodeCell .jp-OutputArea-output")
    expect(outputs.filter(has_text="Live mode is off").first).to_be_visible()
    expect(walkthrough.locator(".jp-CodeCell").last).to_contain_text("right")
    expect(walkthrough.locator(".jp-OutputArea-output[data-mime-type*='stderr']")).to_have_count(0)
