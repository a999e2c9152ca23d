"""Presenter mode without a browser: the trainer's bar, the keys script, the Voila command line."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import otpkit
from otpkit import present
from otpkit.cli import main
from otpkit.flow import Stage

pytest.importorskip("ipywidgets")

from otpkit.widgets.presenter import CSS, PresenterView, keys_html  # noqa: E402
from otpkit.widgets.wizard import DEMO_PASSWORD  # noqa: E402

AT = 1_700_000_000


@pytest.fixture
def view() -> PresenterView:
    return PresenterView.simulated(at=AT, seed=7)


def test_starts_at_stage_one(view):
    assert view.stage == Stage.INSTALL_APP
    assert view.stage_buttons.value == Stage.INSTALL_APP
    assert view.wizard.flow.stage == Stage.INSTALL_APP
    assert "stage 1 of 9" in repr(view)
    assert [label for label, _ in view.stage_buttons.options] == [*"123456789", "Done"]


def test_bar_buttons_move_like_the_wizards_own(view):
    view.next_button.click()
    assert view.stage == Stage.OPEN_SETTINGS
    assert view.stage_buttons.value == Stage.OPEN_SETTINGS
    view.wizard.next_button.click()
    assert view.stage_buttons.value == Stage.OPEN_SECURITY
    view.back_button.click()
    assert view.stage == view.stage_buttons.value == Stage.OPEN_SETTINGS
    assert view.wizard.flow.stage == Stage.OPEN_SECURITY  # Back undoes nothing


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


def test_a_refused_stage_stops_the_bar_where_the_wizard_stops(view):
    view.jump(Stage.ENTER_PASSWORD)
    view.wizard.password.value = "wrong"
    view.next_button.click()
    assert view.stage == view.stage_buttons.value == Stage.ENTER_PASSWORD
    assert "INCORRECT_PASSWORD" in view.wizard.message.value
    view.wizard.password.value = DEMO_PASSWORD
    view.next_button.click()
    assert view.stage_buttons.value == Stage.SET_UP_APP


def test_keys_script_clicks_the_wizards_buttons(view):
    script = keys_html()
    assert script.startswith("<script>") and script.endswith("</script>")
    assert '"ArrowRight": "otpkit-next"' in script and '"PageUp": "otpkit-back"' in script
    assert "otpkit-next" in view.wizard.next_button._dom_classes
    assert "otpkit-back" in view.wizard.back_button._dom_classes
    assert "data" in script and "voila" in script  # only under Voila, not in JupyterLab
    assert "input, textarea, select" in script  # typing in a box never changes the stage


def test_css_is_large_scoped_and_themed(view):
    assert f"<style>{CSS}</style>" == view.style_html.value
    sizes = [int(n) for n in re.findall(r"--jp-widgets-font-size: (\d+)px", CSS)]
    assert sizes and min(sizes) >= 18
    for rule in re.findall(r"^([^{}/\n][^{}]*)\{", CSS, re.MULTILINE):
        assert ".otpkit-" in rule or "celltag_" in rule, rule
    assert 'data-jp-theme-light="false"' in CSS
    assert "otpkit-presenter" in view._dom_classes


def test_show_displays_the_view_and_the_keys(view, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs: shown.extend(objs))
    view.show()
    assert shown[0] is view
    assert shown[1].data == keys_html()


# -- the command line ------------------------------------------------------------------------


def test_voila_command_serves_the_notebook_on_loopback_only():
    command = present.voila_command(8866)
    assert command[:3] == [sys.executable, "-m", "voila"]
    assert command[3].endswith("notebooks/07-presenter-mode.ipynb")
    assert "--Voila.ip=127.0.0.1" in command
    assert "--port=8866" in command
    assert "--no-browser" in command
    assert "--theme=light" in command
    assert "--theme=dark" in present.voila_command(9000, dark=True)
    assert present.url(9000) == "http://127.0.0.1:9000/"


@pytest.mark.parametrize("port", [0, 70000, -1, "8866", True, 8866.0])
def test_voila_command_refuses_a_bad_port(port):
    with pytest.raises(otpkit.InvalidInput, match="port"):
        present.voila_command(port)


def test_a_missing_notebook_is_explained(monkeypatch, tmp_path):
    monkeypatch.setattr(present, "__file__", str(tmp_path / "otpkit" / "present.py"))
    with pytest.raises(otpkit.InvalidInput, match="checkout"):
        present.notebook_path()


class FakeProcess:
    def __init__(self, command, interrupt=False):
        self.command = command
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

    def popen(command):
        started.append(FakeProcess(command))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    assert main(["present", "--port", "8123", "--dark"]) == 3
    assert "--port=8123" in started[0].command and "--theme=dark" in started[0].command
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out


def test_ctrl_c_stops_voila_cleanly(monkeypatch):
    process = FakeProcess([], interrupt=True)
    monkeypatch.setattr(subprocess, "Popen", lambda command: process)
    assert present.serve(port=8124) == 0
    assert process.terminated


def test_cli_present_refuses_a_bad_port(capsys):
    assert main(["present", "--port", "0"]) == 2
    assert "port" in capsys.readouterr().err
