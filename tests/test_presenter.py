"""Presenter mode without a browser: the one row, the explorer slides, the keys script, the page's
style, and the Voila command line with its offline template."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

import otpkit
from otpkit.cli import main, present
from otpkit.stages import Stage

pytest.importorskip("ipywidgets")

from otpkit.widgets.presenter import (  # noqa: E402
    BACK_KEYS,
    CSS,
    KEYS_SCRIPT,
    NEXT_KEYS,
    PresenterView,
    Slide,
    keys_html,
)
from otpkit.widgets.wizard import DEMO_PASSWORD, EnrollmentWizard  # noqa: E402

from .conftest import AT, PASSWORD, fast  # noqa: E402

POLICY = fast(otpkit.MISSKEY)


@pytest.fixture
def view() -> PresenterView:
    return PresenterView.simulated(at=AT, seed=7, explorers=False, policy=POLICY)


@pytest.fixture(scope="module")
def slides_view() -> PresenterView:
    return PresenterView.simulated(at=AT, seed=7, policy=POLICY)


def test_starts_at_stage_one(view):
    assert view.stage == view.slide == Stage.INSTALL_APP
    assert view.stage_buttons.value == Stage.INSTALL_APP
    assert view.wizard.flow.stage == Stage.INSTALL_APP
    assert "stage 1 of 9" in repr(view)
    assert [label for label, _ in view.stage_buttons.options] == [*"123456789", "Done"]
    assert view.back_button.disabled and not view.next_button.disabled


def test_one_row_holds_back_the_slides_next_and_reset(view):
    assert view.bar.children[:4] == (
        view.back_button,
        view.stage_buttons,
        view.next_button,
        view.reset_button,
    )
    assert sum(isinstance(w, type(view.bar)) for w in view.children) == 1
    assert "otpkit-presenter-bar" in view.bar._dom_classes
    # The wizard's own navigation is hidden by the style sheet, not removed: its API stays.
    assert ".otpkit-presenter .otpkit-wizard .otpkit-nav { display: none !important; }" in CSS


def test_the_row_moves_like_the_wizards_own_buttons(view):
    view.next_button.click()
    assert view.stage == view.stage_buttons.value == Stage.OPEN_SETTINGS
    view.wizard.next_button.click()
    assert view.stage_buttons.value == Stage.OPEN_SECURITY
    view.back_button.click()
    assert view.stage == view.stage_buttons.value == Stage.OPEN_SETTINGS
    assert view.wizard.flow.stage == Stage.OPEN_SECURITY  # Back undoes nothing


def test_next_alone_walks_a_simulated_enrollment_to_done(view):
    """A clicker has one button: at stage 5 Next types the demo password into an empty box, at
    stage 8 it sends the code (Continue), shows the verdict, and moves on only when pressed again."""
    for _ in range(4):
        view.next()
    assert view.stage == Stage.ENTER_PASSWORD and view.wizard.password.value == ""
    view.next()
    assert view.stage == Stage.SET_UP_APP
    view.next()
    view.next()
    assert view.stage == Stage.ENTER_CODE
    view.next()  # Continue
    assert view.stage == Stage.ENTER_CODE
    assert "Verified." in view.wizard.verdict.value
    assert view.wizard.flow.stage > Stage.ENTER_CODE
    view.next()
    view.next()
    assert view.stage == view.stage_buttons.value == Stage.DONE
    assert view.wizard.server.stored("alice")["two_factor_enabled"] is True
    assert view.next_button.disabled  # no explorer slides in this view


def test_next_at_stage_8_with_an_empty_box_sends_the_phones_code(view):
    view.jump(Stage.ENTER_CODE)
    view.wizard.code_box.value = ""
    view.next()
    assert "Verified." in view.wizard.verdict.value


def test_a_refusal_stops_the_row_where_the_wizard_stops(view):
    view.jump(Stage.ENTER_PASSWORD)
    view.wizard.password.value = "wrong"
    view.next_button.click()
    assert view.stage == view.stage_buttons.value == Stage.ENTER_PASSWORD
    assert "INCORRECT_PASSWORD" in view.wizard.message.value
    assert "otpkit-message-error" in view.wizard.message.value
    view.wizard.password.value = DEMO_PASSWORD
    view.next_button.click()
    assert view.stage_buttons.value == Stage.SET_UP_APP


def test_a_wrong_code_at_stage_8_is_refused_and_the_stage_stays(view):
    view.jump(Stage.ENTER_CODE)
    view.wizard.code_box.value = "000000" if view.wizard.code_box.value != "000000" else "111111"
    view.next()
    assert view.stage == Stage.ENTER_CODE
    assert "Not verified" in view.wizard.verdict.value
    assert view.wizard.flow.stage == Stage.ENTER_CODE


def test_live_mode_types_nothing_for_the_trainer(tmp_path):
    wizard = EnrollmentWizard.live(
        tmp_path / "live.sqlite3",
        username="bob",
        password=PASSWORD,
        clock=otpkit.ManualClock(AT),
        policy=POLICY,
    )
    view = PresenterView(wizard)
    view.jump(Stage.ENTER_PASSWORD)
    view.next()
    assert view.stage == Stage.ENTER_PASSWORD  # an empty password is refused
    assert wizard.password.value == ""


def test_jump_does_the_stages_before_with_their_defaults(view):
    view.stage_buttons.value = Stage.ENTER_CODE
    assert view.stage == Stage.ENTER_CODE
    flow = view.wizard.flow
    assert flow.stage == Stage.ENTER_CODE
    assert view.wizard.code_box.value == otpkit.code_at(flow.registration.secret, AT)
    view.jump(Stage.DONE)
    assert view.stage == view.stage_buttons.value == Stage.DONE
    assert view.wizard.server.stored("alice")["two_factor_enabled"] is True
    # Back to an earlier stage: it is shown, nothing is undone.
    view.stage_buttons.value = Stage.SET_UP_APP
    assert view.stage == Stage.SET_UP_APP
    assert flow.stage == Stage.DONE


def test_reset_starts_again_with_the_same_secret(view):
    view.jump(Stage.DOWNLOAD_BACKUP_CODES)
    first = view.wizard.flow.backup_codes
    old_flow = view.wizard.flow
    view.reset_button.click()
    assert view.stage == view.stage_buttons.value == Stage.INSTALL_APP
    assert view.wizard.flow is not old_flow
    assert view.wizard.flow.stage == Stage.INSTALL_APP
    view.jump(Stage.DONE)
    assert view.wizard.flow.backup_codes == first


# -- the explorer slides ------------------------------------------------------------------------


def test_explorer_slides_follow_done(slides_view):
    view = slides_view
    view.reset()
    labels = [label for label, _ in view.stage_buttons.options]
    assert labels[-3:] == ["Done", "Window", "Drift"]
    view.jump(Stage.DONE)
    view.next()
    assert view.slide == view.stage_buttons.value == "window"
    assert view.stage_area.children == (view.slides[0].widget,)
    assert "after" in repr(view)
    view.next()
    assert view.slide == "drift" and view.next_button.disabled
    view.next()  # the last slide: nothing further
    assert view.slide == "drift"
    view.back()
    view.back()
    assert view.slide == Stage.DONE and view.stage_area.children == (view.wizard,)
    # Jumping to a slide from the middle of the enrollment, and back into it.
    view.jump(Stage.OPEN_SECURITY)
    view.stage_buttons.value = "drift"
    assert view.slide == "drift"
    view.stage_buttons.value = Stage.OPEN_SECURITY
    assert view.slide == Stage.OPEN_SECURITY
    view.jump("window")
    view.reset()
    assert view.slide == Stage.INSTALL_APP and view.stage_area.children == (view.wizard,)
    with pytest.raises(ValueError, match="window"):
        view.jump("nowhere")


@pytest.mark.parametrize("at", [0, 1])
def test_each_explorer_compares_the_two_misskeys(slides_view, at):
    slide = slides_view.slides[at].widget
    compare, explorer = slide.children[2], slide.children[3]
    assert [label for label, _ in compare.options] == [
        otpkit.MISSKEY.title,
        otpkit.MISSKEY_2025.title,
    ]
    assert compare.value == explorer.policy.value == otpkit.MISSKEY.name  # today's by default
    compare.value = otpkit.MISSKEY_2025.name
    assert explorer.policy.value == otpkit.MISSKEY_2025.name
    assert otpkit.MISSKEY_2025.title in explorer.summary.value
    explorer.policy.value = otpkit.RFC6238.name  # another preset from the explorer's own menu
    assert compare.value is None
    explorer.policy.value = otpkit.MISSKEY.name
    assert compare.value == otpkit.MISSKEY.name


def test_slide_keys_must_be_unique_words():
    wizard = EnrollmentWizard.simulated(at=AT, seed=7, policy=POLICY)
    import ipywidgets as widgets

    one = Slide("a", "A", "the first", widgets.HTML())
    with pytest.raises(ValueError, match="unique"):
        PresenterView(wizard, [one, one])
    with pytest.raises(ValueError, match="stage numbers"):
        PresenterView(wizard, [Slide("3", "3", "a stage's number", widgets.HTML())])


# -- what the page runs: keys, names, style -----------------------------------------------------


def test_keys_script_drives_the_row_and_never_gets_stuck():
    script = keys_html()
    assert script.startswith("<script>") and script.endswith("</script>")
    for key in (*NEXT_KEYS, *BACK_KEYS):
        assert f"{key}: true" in KEYS_SCRIPT
    assert "otpkit-bar-next" in KEYS_SCRIPT and "otpkit-bar-back" in KEYS_SCRIPT
    assert "dataset.voila === undefined" in KEYS_SCRIPT  # only under Voila, not in JupyterLab
    assert "}, true);" in KEYS_SCRIPT  # the capture phase: before a slider or a list sees the key
    assert "selectionStart" in KEYS_SCRIPT  # arrows leave a text box only at its ends
    assert "blur()" in KEYS_SCRIPT  # what was typed reaches the kernel before Next
    assert "aria-label" in KEYS_SCRIPT and "alt" in KEYS_SCRIPT  # names for unnamed controls


def top_level_parts(selectors: str) -> list[str]:
    """A selector list split at its commas, except those inside parentheses (``:is(a, b)``)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(selectors):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(selectors[start:i])
            start = i + 1
    return [*parts, selectors[start:]]


def test_css_is_scoped_sized_by_the_window_and_themed():
    rules = re.findall(r"^([^{}/\n@][^{}]*)\{", re.sub(r"/\*.*?\*/", "", CSS, flags=re.S), re.M)
    assert rules
    for rule in rules:
        for selector in top_level_parts(rule):
            scoped = ".otpkit-" in selector or "celltag_otpkit-" in selector
            assert scoped, f"not scoped to the presenter: {selector.strip()}"
    assert "--otpkit-u: clamp(" in CSS and "vh" in CSS and "vw" in CSS
    assert "--jp-widgets-font-size: var(--otpkit-u)" in CSS
    dark = [r for r in rules if 'data-jp-theme-light="false"' in r]
    assert any("otpkit-phone-screen" in r for r in dark)  # the phone is dark in the dark theme
    assert any("otpkit-message-error" in r for r in dark)


def test_show_displays_the_view_and_the_keys(view, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs: shown.extend(objs))
    view.show()
    assert shown[0] is view
    assert shown[1].data == keys_html()


# -- the command line ---------------------------------------------------------------------------


def test_voila_command_serves_the_notebook_on_loopback_only_with_the_kits_template():
    command = present.voila_command(8866)
    assert command[:3] == [sys.executable, "-m", "voila"]
    assert command[3].endswith("notebooks/07-presenter-mode.ipynb")
    assert "--Voila.ip=127.0.0.1" in command
    assert "--port=8866" in command
    assert "--no-browser" in command
    assert "--theme=light" in command
    assert f"--template={present.TEMPLATE}" in command
    assert "--theme=dark" in present.voila_command(9000, dark=True)
    assert present.url(9000) == "http://127.0.0.1:9000/"


def test_voila_finds_the_template_first_on_jupyter_path():
    env = present.voila_env({"JUPYTER_PATH": "/somewhere/else", "HOME": "/root"})
    paths = env["JUPYTER_PATH"].split(":")
    assert paths == [str(present.JUPYTER_DATA), "/somewhere/else"]
    assert env["HOME"] == "/root"
    again = present.voila_env(env)
    assert again["JUPYTER_PATH"] == env["JUPYTER_PATH"]  # no duplicate
    assert present.voila_env({})["JUPYTER_PATH"] == str(present.JUPYTER_DATA)


def test_the_template_leaves_out_every_link_to_another_machine():
    folder = present.JUPYTER_DATA / "voila" / "templates" / present.TEMPLATE
    assert json.loads((folder / "conf.json").read_text()) == {"base_template": "lab"}
    template = (folder / "index.html.j2").read_text()
    assert "extends 'voila/templates/lab/index.html.j2'" in template
    assert "if not ('<link' in line and '://' in line)" in template
    assert "html_head_js_mermaidjs" in template
    assert "://" not in template.replace("'://'", "")  # it names no address itself


def test_a_missing_notebook_is_explained(monkeypatch, tmp_path):
    monkeypatch.setattr(present, "__file__", str(tmp_path / "otpkit" / "cli" / "present.py"))
    with pytest.raises(otpkit.InvalidInput, match="checkout"):
        present.notebook_path()


@pytest.mark.parametrize("port", [0, 70000, -1, "8866", True, 8866.0])
def test_voila_command_refuses_a_bad_port(port):
    with pytest.raises(otpkit.InvalidInput, match="port"):
        present.voila_command(port)


class FakeProcess:
    def __init__(self, command, env=None, interrupt=False):
        self.command = command
        self.env = env
        self.interrupt = interrupt
        self.terminated = False

    def wait(self, timeout=None):
        if self.interrupt and not self.terminated:
            raise KeyboardInterrupt
        return 0 if self.terminated else 3

    def terminate(self):
        self.terminated = True

    def kill(self):  # pragma: no cover - only when terminate is ignored
        self.terminated = True


def test_cli_present_runs_voila_and_returns_its_status(monkeypatch, capsys):
    started = []

    def popen(command, env=None):
        started.append(FakeProcess(command, env))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    assert main(["present", "--port", "8123", "--dark"]) == 3
    assert "--port=8123" in started[0].command and "--theme=dark" in started[0].command
    assert started[0].env["JUPYTER_PATH"].startswith(str(present.JUPYTER_DATA))
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out
    assert "Page Down" in out


def test_ctrl_c_stops_voila_cleanly(monkeypatch):
    process = FakeProcess([], interrupt=True)
    monkeypatch.setattr(subprocess, "Popen", lambda command, env=None: process)
    assert present.serve(port=8124) == 0
    assert process.terminated


def test_sigterm_stops_voila_too(monkeypatch):
    class Process(FakeProcess):
        def wait(self, timeout=None):
            if not self.terminated:
                os.kill(os.getpid(), signal.SIGTERM)  # as a supervisor (or `kill`) would
                time.sleep(10)
            return 0

    process = Process([])
    monkeypatch.setattr(subprocess, "Popen", lambda command, env=None: process)
    before = signal.getsignal(signal.SIGTERM)
    assert present.serve(port=8125) == 0
    assert process.terminated
    assert signal.getsignal(signal.SIGTERM) is before


def test_cli_present_refuses_a_bad_port(capsys):
    assert main(["present", "--port", "0"]) == 2
    assert "port" in capsys.readouterr().err
