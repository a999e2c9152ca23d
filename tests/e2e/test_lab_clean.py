"""The first ten minutes, set up as a learner meets it: `make lab` prints an address that opens the
index with no question asked, and opening, running and saving a lesson leaves `git status` clean.

Everything runs in a scratch clone of this repository, with this tree's set-up files (Makefile,
.gitattributes, runner, filter, JupyterLab settings) committed there: the filter is registered and
JupyterLab started by the Makefile's own targets, and the lessons are first re-executed by the
runner on the clone's own package, so the committed bytes are what the runner writes today.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import ROOT, TIMEOUT_MS, is_local
from .servers import HOST, LocalServer, free_port

pytestmark = pytest.mark.e2e

SETUP_FILES = (
    "Makefile",
    ".gitattributes",
    "tests/notebook_filter.py",
    "tests/notebook_runner.py",
    "jupyter/lab/settings/overrides.json5",
)
# 02 first (exercise widgets and plots), then 01 (the wizard and its many widget models).
LESSONS = ("02-inside-a-one-time-password.ipynb", "01-enrollment-walkthrough.ipynb")
INDEX_PATH = "lab/tree/notebooks/00-index.ipynb"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory, browser) -> Path:
    """A scratch clone, set up as `make lab` leaves a checkout, its lessons freshly executed."""
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed to set up a checkout as `make lab` does")
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode:
        pytest.skip(f"{ROOT} is not a git checkout")
    repo = tmp_path_factory.mktemp("clone") / "otpkit"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    for name in SETUP_FILES:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, repo / name)
    git(repo, "config", "user.email", "e2e@example.org")
    git(repo, "config", "user.name", "e2e")
    bin_dir = Path(sys.executable).parent
    subprocess.run(["make", "-s", "git-filter", f"BIN={bin_dir}"], cwd=repo, check=True)
    env = {**os.environ, "PYTHONPATH": str(repo)}  # the kernels import the clone's otpkit
    lessons = [f"notebooks/{name}" for name in LESSONS]
    ran = subprocess.run(
        [sys.executable, "-m", "tests.notebook_runner", *lessons],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ran.returncode == 0, f"the runner failed on the committed lessons:\n{ran.stderr[-3000:]}"
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "set-up under test")
    assert git(repo, "status", "--porcelain") == ""
    for lesson in lessons:  # the runner writes what the filter stores
        committed = subprocess.run(
            ["git", "show", f"HEAD:{lesson}"], cwd=repo, capture_output=True, check=True
        ).stdout
        assert committed == (repo / lesson).read_bytes(), (
            f"{lesson}: filter changed the runner's bytes"
        )
    return repo


@pytest.fixture(scope="module")
def lab(clone, tmp_path_factory) -> Iterator[LocalServer]:
    """`make lab` in the clone, headless on a free loopback port, token off.

    The developer's own Jupyter config, settings and workspaces are kept out (temp folders).
    """
    home = tmp_path_factory.mktemp("jupyter")
    env = {
        **os.environ,
        "PYTHONPATH": str(clone),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    venv = Path(sys.executable).parent.parent
    port = free_port()
    lab_args = (
        f"--no-browser --ServerApp.ip={HOST} --ServerApp.port={port} --ServerApp.port_retries=0"
        " --IdentityProvider.token="
    )
    command = [
        "make",
        "--no-print-directory",
        "-o",  # the clone has no virtual environment of its own: use this one as it is
        str(venv / ".installed-stamp"),
        "lab",
        f"VENV={venv}",
        f"LAB_ARGS={lab_args}",
    ]
    with LocalServer(command, port, home / "lab.log", cwd=clone, env=env) as server:
        yield server


def printed_url(server: LocalServer) -> str:
    """The address JupyterLab prints for the learner to open."""
    pattern = re.compile(rf"http://{re.escape(HOST)}:{server.port}/\S*")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = pattern.findall(server.log.read_text(errors="replace"))
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no address printed:\n{server.tail()}")


@contextmanager
def fresh_page(browser) -> Iterator[object]:
    """A page of its own (a notebook per page), traffic to anything but loopback aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    blocked: list[str] = []

    def route(request_route) -> None:
        if is_local(request_route.request.url):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.blocked = blocked  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def wait_for_kernel(page) -> None:
    """Until the kernel is connected and idle (the toolbar's indicator says idle earlier, and
    Run All pressed then can clear the outputs and run nothing)."""
    from playwright.sync_api import expect

    expect(page.locator(".jp-StatusBar-Widget")).to_contain_text("| Idle")


def test_make_lab_prints_the_index_and_asks_nothing(lab, browser):
    from playwright.sync_api import expect

    url = printed_url(lab)
    assert url == lab.url + INDEX_PATH
    with fresh_page(browser) as page:
        page.goto(url)
        tab = page.locator(".lm-TabBar-tab.lm-mod-current", has_text="00-index.ipynb")
        expect(tab).to_be_visible()
        wait_for_kernel(page)
        expect(page.locator(".jp-Launcher")).to_have_count(0)
        # No news question: neither a toast nor an entry in the notification centre.
        expect(page.locator(".Toastify__toast")).to_have_count(0)
        expect(page.locator(".jp-Notification-Status-Text")).to_have_text("0")
        assert page.blocked == [], "JupyterLab asked the internet for something"


def run_all_and_save(browser, lab, clone: Path, name: str) -> None:
    from playwright.sync_api import expect

    cells = json.loads((clone / "notebooks" / name).read_text())["cells"]
    counts = [c["execution_count"] for c in cells if c["cell_type"] == "code"]
    prompts = [f"[{n}]:" if n else "[ ]:" for n in counts]
    with fresh_page(browser) as page:
        page.goto(f"{lab.url}lab/tree/notebooks/{name}?reset")
        expect(page.locator(".lm-TabBar-tab.lm-mod-current", has_text=name)).to_be_visible()
        wait_for_kernel(page)
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        menu(page, "Run", "Run All Cells")
        # A new kernel numbers the cells as the runner did; every prompt shows its number when
        # the last cell has run.
        expect(notebook.locator(".jp-CodeCell .jp-InputPrompt")).to_have_text(prompts)
        menu(page, "File", "Save Notebook")
        expect(page.locator(".lm-TabBar-tab.jp-mod-dirty")).to_have_count(0)


def test_run_all_and_save_leave_git_clean(clone, lab, browser):
    committed = {name: (clone / "notebooks" / name).read_bytes() for name in LESSONS}
    for name in LESSONS:
        run_all_and_save(browser, lab, clone, name)
        saved = (clone / "notebooks" / name).read_bytes()
        # JupyterLab did write the file, with its own widget ids: the filter makes them equal.
        assert saved != committed[name], f"{name} was not saved"
    status = git(clone, "status", "--porcelain")
    diff = git(clone, "diff", "--stat")
    assert status == "" and diff == "", f"{status}{diff}{git(clone, 'diff')[:3000]}"
