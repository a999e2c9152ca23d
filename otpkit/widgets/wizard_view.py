"""What the wizard shows for the stage on screen: the header, the stage's panel, the feedback
area, the buttons' states, and the right-hand column (the server's part and the phone)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets

from ..enrollment.flow import Stage
from . import panels, wizard_actions
from .style import PILL_DONE, PILL_NOW, PILL_TODO, colours

if TYPE_CHECKING:
    from .wizard import EnrollmentWizard

STAGES = [s for s in Stage if s != Stage.DONE]
_MOCK_NOTE = (
    "<p><small>A picture of Misskey's screen: <b>Next ▶</b> does what it shows.</small></p>"
)


def show(wizard: EnrollmentWizard) -> None:
    """Redraw everything for ``wizard.stage_view``."""
    shown = wizard.stage_view
    done = wizard.flow.stage > shown
    wizard.header.value = header(wizard.flow.stage, shown)
    info = shown.info
    wizard.instructions.value = (
        f"<p><i>{html.escape(info.why)}</i></p><p><b>You:</b> {info.you}</p>"
    )
    for n in range(1, 11):
        wizard.panel.remove_class(f"otpkit-stage-{n}")
    wizard.panel.add_class(f"otpkit-stage-{int(shown)}")
    wizard.panel.children = [wizard.instructions, *stage_widgets(wizard, shown, done)]
    at_code = shown == Stage.ENTER_CODE
    wizard.feedback.children = [wizard.verdict, wizard.message] if at_code else [wizard.message]
    wizard.back_button.disabled = shown == Stage.INSTALL_APP
    # One way forward: at stage 8 Continue sends the code, and Next waits for the verdict.
    waiting = at_code and not done
    wizard.next_button.disabled = shown == Stage.DONE or waiting
    wizard.next_button.button_style = "" if wizard.next_button.disabled else "primary"
    show_side(wizard)


def header(reached: Stage, shown: Stage) -> str:
    """The nine stages as pills (✓ when done, the one shown highlighted), then the title."""
    pills = []
    for stage in STAGES:
        if stage == shown:
            look, state = PILL_NOW, "shown"
        elif reached > stage:
            look, state = PILL_DONE, "done"
        else:
            look, state = PILL_TODO, "to do"
        mark = "✓" if reached > stage else str(int(stage))
        pills.append(
            f'<span title="{html.escape(f"Stage {int(stage)}: {stage.title} ({state})")}" '
            f'style="{colours(look)};border-radius:10px;padding:1px 7px;margin-right:3px">'
            f"{mark}</span>"
        )
    title = "Done" if shown == Stage.DONE else f"Stage {int(shown)} of 9: {shown.title}"
    return f'<div class="otpkit-pills">{"".join(pills)}</div><h3>{html.escape(title)}</h3>'


def stage_widgets(wizard: EnrollmentWizard, shown: Stage, done: bool) -> list[widgets.Widget]:
    """The widgets of ``shown``'s panel, under the instructions."""
    flow = wizard.flow
    if shown == Stage.INSTALL_APP:
        wizard.app_choice.disabled = done
        wizard.app_note.value = f"<small>{html.escape(wizard.app_choice.value.note)}</small>"
        return [wizard.app_choice, wizard.app_note]
    if shown in (Stage.OPEN_SETTINGS, Stage.OPEN_SECURITY, Stage.REGISTER_APP):
        wizard.menu.value = panels.menu_mock(shown) + ("" if done else _MOCK_NOTE)
        return [wizard.menu]
    if shown == Stage.ENTER_PASSWORD:
        return _password_widgets(wizard, done)
    if shown == Stage.SET_UP_APP:
        return _set_up_widgets(wizard, done)
    if shown == Stage.READ_CODE:
        if wizard.live_mode:
            text = "<p>Look at your phone: the code sits under the account name.</p>"
        elif flow.code is not None:
            text = f"<p>The app showed <code>{flow.code}</code>.</p>"
        else:
            text = "<p>The phone on the right shows the code now.</p>"
        wizard.read_view.value = text
        return [wizard.read_view]
    if shown == Stage.ENTER_CODE:
        wizard.code_box.disabled = wizard.continue_button.disabled = done
        wizard.continue_button.button_style = "" if done else "primary"
        return [widgets.HBox([wizard.code_box, wizard.continue_button])]
    if shown == Stage.DOWNLOAD_BACKUP_CODES:
        codes = flow.backup_codes or []
        name, text = wizard.server.backup_download(flow.username, codes)
        wizard.backup_list.value = panels.backup_codes(codes)
        wizard.download_link.value = panels.download_link(name, text)
        return [wizard.backup_list, wizard.download_link]
    wizard.stored_view.value = "<p><b>What the server now stores</b></p>" + panels.stored_table(
        wizard.server.stored(flow.username)
    )
    return [wizard.stored_view]


def _password_widgets(wizard: EnrollmentWizard, done: bool) -> list[widgets.Widget]:
    """Stage 5: the password box; the demo password beside it (simulated mode only); and a code
    box when the account already has 2FA (Misskey then asks for a code too)."""
    if done:
        return [wizard.password_done]
    wizard.password.disabled = False
    shown: list[widgets.Widget] = [wizard.password]
    if not wizard.live_mode:
        wizard.password_hint.value = (
            f"<small>Demo account <b>{html.escape(wizard.flow.username)}</b>: the password is "
            f"<code>{html.escape(wizard.flow.password)}</code> (simulated mode only).</small>"
        )
        shown.append(wizard.password_hint)
    if wizard_actions.two_factor_on(wizard):
        wizard.token_note.value = (
            "<p><small>This account already has two-factor authentication, so Misskey asks for "
            "a code as well: one from your registered app, or a backup code.</small></p>"
        )
        shown += [wizard.token_note, wizard.token_box]
    else:
        wizard.token_box.value = ""
    return shown


def _set_up_widgets(wizard: EnrollmentWizard, done: bool) -> list[widgets.Widget]:
    """Stage 6: the method chosen decides what is shown (the QR code, or the Launch App
    button); the URL it holds is shown under either, as text."""
    reg = wizard.flow.registration
    if reg is None:
        return []
    wizard.method_choice.disabled = done
    wizard.uri_text.value = reg.uri
    if wizard.method_choice.value == "qr":
        wizard.qr_image.value = reg.qr_png
        wizard.qr_image.tooltip = f"QR code of {reg.uri}"  # its text alternative
        wizard.qr_caption.value = (
            "<small>The QR code holds this otpauth:// URL (desktop programs take it from the "
            "box):</small>"
        )
        return [wizard.method_choice, wizard.qr_image, wizard.qr_caption, wizard.uri_text]
    wizard.launch_link.value = panels.launch_link(reg.uri)
    wizard.qr_caption.value = (
        "<small>On the phone itself, <b>Launch App</b> opens this otpauth:// URL in the "
        "authenticator app:</small>"
    )
    return [wizard.method_choice, wizard.launch_link, wizard.qr_caption, wizard.uri_text]


def show_side(wizard: EnrollmentWizard) -> None:
    """The right-hand column: the server's part and its log, and the phone's screen."""
    shown = wizard.stage_view
    server = wizard.server
    wizard.server_view.value = f"<p>{shown.info.server(server.policy)}</p>"
    wizard.server_log.value = panels.server_log(server.events)
    if wizard.live_mode:
        text = shown.info.live_phone
        wizard.phone_title.value = f"<b>On your phone</b><p>{text}</p>"
        wizard.phone_view.layout.display = "none"
    else:
        wizard.phone_title.value = "<b>On the phone</b>"
        wizard.phone_view.layout.display = None
        wizard.phone_view.refresh()
