"""The wizard's widgets and how they are laid out.

Left (60%): the stage's panel, under it the feedback area (fixed height), then Back and Next.
Right (40%): what the server does and its log (fixed height), the phone, and the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as widgets
import traitlets

from ..enrollment import apps
from .clock_control import ClockControl
from .phone_view import PhoneView
from .style import CSS

if TYPE_CHECKING:
    from .wizard import EnrollmentWizard

FEEDBACK_HEIGHT = "12em"  # a stage 8 refusal (verdict, answer, explanation) fits at 60% width
LOG_HEIGHT = "7.5em"  # the log's title and four lines


class QrImage(widgets.Image):
    """An Image whose tooltip reaches the page: the browser's Image view sets ``title`` (the
    image's text alternative) only when the model has a ``description``, which Image lacks."""

    description = traitlets.Unicode("").tag(sync=True)


def build(wizard: EnrollmentWizard) -> None:
    """Make every widget of ``wizard`` (on its flow's clock and phone) and lay them out; the
    wizard connects them to what they do."""
    W = widgets
    wizard.style_html = W.HTML(f"<style>{CSS}</style>").add_class("otpkit-wizard-style")
    wizard.header = W.HTML().add_class("otpkit-header")
    wizard.instructions = W.HTML()
    wizard.app_choice = W.Dropdown(
        options=[(a.title, a) for a in apps.ALL], description="App"
    ).add_class("otpkit-app-choice")
    wizard.app_note = W.HTML()
    wizard.menu = W.HTML()
    # Enter sends a "submit" event (EnrollmentWizard._on_enter); continuous_update keeps the
    # value current when it arrives, and leaving the box (Tab) sends nothing.
    wizard.password = W.Password(
        description="Password", placeholder="the account's password", continuous_update=True
    ).add_class("otpkit-password")
    wizard.password_hint = W.HTML().add_class("otpkit-password-hint")
    wizard.token_note = W.HTML()
    wizard.token_box = W.Text(
        description="2FA code",
        placeholder="from your registered app, or a backup code",
        continuous_update=True,
        style={"description_width": "initial"},
        layout={"width": "95%"},
    ).add_class("otpkit-token")
    wizard.password_done = W.HTML("<p>The password was accepted.</p>")
    wizard.method_choice = W.ToggleButtons(
        options=[("Scan the QR code", "qr"), ("Launch App link", "link")],
        description="Set up by",
    ).add_class("otpkit-method")
    wizard.qr_image = QrImage(format="png", width=200, height=200).add_class("otpkit-qr")
    wizard.qr_caption = W.HTML().add_class("otpkit-qr-caption")
    wizard.launch_link = W.HTML().add_class("otpkit-launch")
    wizard.uri_text = W.Textarea(
        description="URL", layout={"width": "95%", "height": "70px"}
    ).add_class("otpkit-uri")
    wizard.read_view = W.HTML()
    wizard.code_box = W.Text(
        description="Code", placeholder="6 digits", continuous_update=True
    ).add_class("otpkit-code")
    wizard.continue_button = W.Button(description="Continue", button_style="primary").add_class(
        "otpkit-continue"
    )
    wizard.verdict = W.HTML().add_class("otpkit-verdict")
    wizard.backup_list = W.HTML().add_class("otpkit-backup")
    wizard.download_link = W.HTML().add_class("otpkit-download")
    wizard.stored_view = W.HTML().add_class("otpkit-stored")
    wizard.panel = W.VBox().add_class("otpkit-panel")
    # The feedback area has a fixed height: a long message scrolls inside it instead of
    # pushing the page down; it can be focused (Tab), so a keyboard can scroll it too.
    wizard.message = W.HTML(
        layout={"flex": "1 1 auto", "overflow": "auto", "min_height": "0"}, tabbable=True
    ).add_class("otpkit-message")
    wizard.verdict.layout.flex = "0 0 auto"
    wizard.feedback = W.VBox(
        layout={"height": FEEDBACK_HEIGHT, "overflow": "hidden", "width": "100%"}
    ).add_class("otpkit-feedback")
    wizard.back_button = W.Button(description="◀ Back").add_class("otpkit-back")
    wizard.next_button = W.Button(description="Next ▶", button_style="primary").add_class(
        "otpkit-next"
    )
    nav = W.HBox([wizard.back_button, wizard.next_button]).add_class("otpkit-nav")
    main = W.VBox([wizard.panel, wizard.feedback, nav], layout={"width": "60%"})

    wizard.server_view = W.HTML().add_class("otpkit-server")
    wizard.server_log = W.HTML(layout={"height": LOG_HEIGHT, "overflow": "hidden"}).add_class(
        "otpkit-server-log"
    )
    wizard.phone_title = W.HTML()
    wizard.clock_control = ClockControl(wizard.flow.server.clock)
    wizard.phone_view = PhoneView(wizard.flow.phone)
    side = W.VBox(
        [
            W.HTML("<b>On the server</b>"),
            wizard.server_view,
            wizard.server_log,
            wizard.phone_title,
            wizard.phone_view,
            wizard.clock_control,
        ],
        layout={"width": "40%"},
    )
    wizard.children = [
        wizard.style_html,
        wizard.header,
        W.HBox([main.add_class("otpkit-main"), side.add_class("otpkit-side")]),
    ]
    wizard.add_class("otpkit-wizard")
