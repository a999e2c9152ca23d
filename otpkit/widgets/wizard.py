"""EnrollmentWizard: the nine documented stages in one widget, with Back and Next.

The wizard only shows: an ``otpkit.EnrollmentFlow`` does every step and the server checks
every code. At each stage the wizard shows what the user does (left), and what the server and
the phone do (right). Errors from the kit (a wrong password, a wrong or expired code, a step
out of order) become a message under the buttons, never a traceback.

Public API (stable; presenter mode and the browser tests build on it):

- ``EnrollmentWizard.simulated(at=1_700_000_000, seed=7, app=..., ...)``: fixed clock, seeded
  secrets, replayable. ``EnrollmentWizard.live(path=..., username=..., password=...)``: the
  machine's clock, OS randomness, accounts kept in a SQLite file.
- ``EnrollmentWizard(make_flow, live=False)``: any flow; ``make_flow()`` is called again by ``reset()``.
- Attributes: ``flow``, ``server``, ``phone``, ``stage_view`` (the Stage shown; a traitlet, so
  ``wizard.observe(callback, "stage_view")`` works), ``next_button``, ``back_button``,
  ``app_choice``, ``method_choice``, ``password``, ``qr_image``, ``launch_link``, ``uri_text``,
  ``code_box``, ``continue_button``, ``verdict``, ``backup_list``, ``download_link``,
  ``stored_view``, ``message``, ``header``, ``server_view``, ``phone_view``, ``clock_control``.
- Methods: ``next()``, ``back()``, ``go_to(stage)``, ``reset()``, ``continue_()``.
- CSS classes: otpkit-wizard, otpkit-next, otpkit-back, otpkit-app-choice, otpkit-method,
  otpkit-password, otpkit-qr, otpkit-launch, otpkit-uri, otpkit-code, otpkit-continue,
  otpkit-verdict, otpkit-backup, otpkit-download, otpkit-stored, otpkit-message,
  otpkit-header, otpkit-server, otpkit-panel plus otpkit-stage-N (N = the stage shown, 1-10);
  inside, the phone (otpkit-phone, otpkit-phone-screen, otpkit-phone-code, otpkit-countdown,
  otpkit-phone-offset) and the clock (otpkit-clock, otpkit-clock-time, otpkit-clock-mode,
  otpkit-clock-plus-1, otpkit-clock-plus-30, otpkit-clock-jump-to, otpkit-clock-jump,
  otpkit-clock-refresh).
- Messages: ``message.value`` is HTML whose box has the class otpkit-message-ok, -error or -info.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets
import traitlets

from .. import apps
from ..apps import AppProfile
from ..clock import Clock, DriftingClock, ManualClock, SystemClock
from ..errors import InvalidToken, OtpkitError, SetupNotStarted
from ..flow import EnrollmentFlow, Stage
from ..phone import Phone
from ..policy import MISSKEY, Policy
from ..randomness import DemoRandom
from ..server import Server
from ..store import SqliteStore
from . import panels
from .clock_control import ClockControl
from .phone_view import PhoneView

DEMO_PASSWORD = "correct horse battery staple"
LIVE_PATH = "otpkit-live.sqlite3"
STAGES = [s for s in Stage if s != Stage.DONE]

# When another setup for the same account (another wizard, another browser tab) registered again
# or finished meanwhile, this flow's QR code is void: its codes can never be accepted.
_REPLACED = (
    "<b>The setup was restarted meanwhile.</b> Another setup for this account (another wizard "
    "or browser tab) pressed Register again, so the server now waits for a code from a newer QR "
    "code; the one this phone scanned is void, and no code from it will ever be accepted. Press "
    "<b>◀ Back</b> to return to stage 5 and enter the password again: the server issues a new "
    "secret and shows a new QR code."
)
_FINISHED_ELSEWHERE = (
    "<b>Another setup finished first.</b> Two-factor authentication is on for this account, "
    "with the app that setup registered; the QR code this phone scanned is void. Registering "
    "another app now also needs a code from the registered app, which this wizard cannot send: "
    "sign in with that app instead."
)
_ALREADY_ON = (
    "<b>Two-factor authentication is already on for this account</b> (another setup finished "
    "first, or an earlier session did). Registering another app then also needs a code from the "
    "registered app, which this wizard cannot send: sign in with that app instead."
)

class EnrollmentWizard(widgets.VBox):
    """Walks the nine stages of enrollment with Back and Next, driving an EnrollmentFlow."""

    stage_view = traitlets.UseEnum(Stage, default_value=Stage.INSTALL_APP)

    def __init__(
        self, make_flow: Callable[[], EnrollmentFlow], *, live: bool = False, intro: str = ""
    ):
        super().__init__()
        self.make_flow = make_flow
        self.live_mode = live
        self.intro = intro
        self._build()
        self.observe(lambda _: self._show(), names="stage_view")
        self.reset()

    # -- constructors ---------------------------------------------------------------------

    @classmethod
    def simulated(
        cls,
        at: float = 1_700_000_000,
        seed: int = 7,
        app: AppProfile = apps.GOOGLE_AUTHENTICATOR,
        username: str = "alice",
        password: str = DEMO_PASSWORD,
        policy: Policy = MISSKEY,
        host: str = "misskey.example",
        phone_offset: float = 0.0,
    ) -> EnrollmentWizard:
        """A replayable wizard: the clock stands at ``at``; secrets come from ``DemoRandom(seed)``."""

        def make() -> EnrollmentFlow:
            clock = ManualClock(at)
            server = Server(policy=policy, clock=clock, host=host, rng=DemoRandom(seed))
            server.sign_up(username, password)
            phone = Phone(clock=DriftingClock(clock, offset=phone_offset), app=app)
            return EnrollmentFlow(server, phone, username, password)

        intro = (
            f"Simulated: the clock stands still at Unix {at:.0f} until you move it, and secrets "
            f"come from DemoRandom({seed}), so every run shows the same codes. The demo account "
            f"is <b>{html.escape(username)}</b>, password <code>{html.escape(password)}</code>."
        )
        return cls(make, live=False, intro=intro)

    @classmethod
    def live(
        cls,
        path: str | Path = LIVE_PATH,
        *,
        username: str,
        password: str,
        host: str = "otpkit.localhost",
        app: AppProfile = apps.GOOGLE_AUTHENTICATOR,
        clock: Clock | None = None,
        policy: Policy = MISSKEY,
    ) -> EnrollmentWizard:
        """A real enrollment: your phone, the machine's clock, a fresh secret from the OS.

        The account lives in the SQLite file ``path`` (created with ``username`` and
        ``password`` when missing), so a kernel restart loses nothing and a later notebook can
        sign in with the same phone: ``Server(clock=SystemClock(), store=SqliteStore(path))``.
        ``clock`` is for tests only.
        """

        def make() -> EnrollmentFlow:
            now = SystemClock() if clock is None else clock
            store = SqliteStore(path)
            server = Server(policy=policy, clock=now, host=host, rng=None, store=store)
            if store.get(username.lower()) is None:
                server.sign_up(username, password)
            # The flow needs a phone; the learner's own phone is the one that matters here.
            phone = Phone(clock=DriftingClock(now), app=app, name="kit phone")
            return EnrollmentFlow(server, phone, username, password)

        intro = (
            f"Live: a real secret from the operating system, the machine's clock, and the account "
            f"<b>{html.escape(username)}</b> kept in <code>{html.escape(str(path))}</code>. "
            "Use your own phone's authenticator app."
        )
        return cls(make, live=True, intro=intro)

    # -- what callers use -------------------------------------------------------------------

    @property
    def server(self) -> Server:
        return self.flow.server

    @property
    def phone(self) -> Phone:
        return self.flow.phone

    def next(self) -> None:
        """Do the stage shown (when it is the next one to do) and show the following stage."""
        shown = self.stage_view
        if shown == Stage.DONE:
            self._say("The enrollment is done; Back shows the earlier stages.", "info")
            return
        if shown < self.flow.stage:  # already done: just move on
            self.stage_view = Stage(shown + 1)
            return
        if self._perform(shown, defaults=False):
            self.stage_view = Stage(shown + 1)

    def back(self) -> None:
        """Show the previous stage again (nothing is undone). Once another setup has made this
        one's QR code void, Back returns to stage 5 to register again instead."""
        if self._redo_password and self.stage_view > Stage.ENTER_PASSWORD:
            self._restart_at_password()
        elif self.stage_view > Stage.INSTALL_APP:
            self.stage_view = Stage(self.stage_view - 1)

    def continue_(self) -> None:
        """The Continue button of stage 8: send the code box to the server, show the verdict."""
        self._perform(Stage.ENTER_CODE, defaults=False)
        self._show()

    def go_to(self, stage: Stage | int) -> None:
        """Show ``stage``, first doing every stage before it with its defaults (for trainers)."""
        target = Stage(stage)
        while self.flow.stage < target:
            if not self._perform(self.flow.stage, defaults=True):
                break
        self.stage_view = min(target, self.flow.stage)
        self._show()

    def reset(self) -> None:
        """Start again with a fresh flow (in simulated mode: the same clock, seed and secret)."""
        self.flow = self.make_flow()
        self._redo_password = False
        self.clock_control.attach(self.server.clock)
        self.phone_view.attach(self.phone)
        self.app_choice.value = self.phone.app
        self.method_choice.value = "qr"
        self.password.value = ""
        self.code_box.value = ""
        self.verdict.value = ""
        self._say(self.intro or "Press Next to begin.", "info")
        if self.server.stored(self.flow.username)["two_factor_enabled"]:
            self._say(
                "This account already has an authenticator app registered (it was kept from "
                "an earlier session). Sign in with it, or delete the file to start over.",
                "info",
            )
        with self.hold_trait_notifications():
            self.stage_view = Stage.INSTALL_APP
        self._show()

    def __repr__(self) -> str:
        mode = "live" if self.live_mode else "simulated"
        shown = self.stage_view
        where = "done" if shown == Stage.DONE else f"stage {int(shown)} of 9: {shown.title}"
        return f"EnrollmentWizard({mode}, {self.flow.username}, showing {where})"

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.header = widgets.HTML().add_class("otpkit-header")
        self.instructions = widgets.HTML()
        self.app_choice = widgets.Dropdown(
            options=[(a.title, a) for a in apps.ALL], description="App"
        ).add_class("otpkit-app-choice")
        self.app_note = widgets.HTML()
        self.menu = widgets.HTML()
        self.password = widgets.Password(
            description="Password", placeholder="the account's password"
        ).add_class("otpkit-password")
        self.password_done = widgets.HTML("<p>The password was accepted.</p>")
        self.method_choice = widgets.ToggleButtons(
            options=[("Scan the QR code", "qr"), ("Launch App link", "link")]
        ).add_class("otpkit-method")
        self.qr_image = widgets.Image(format="png", width=200, height=200).add_class("otpkit-qr")
        self.launch_link = widgets.HTML().add_class("otpkit-launch")
        self.uri_text = widgets.Textarea(
            description="URL", layout={"width": "95%", "height": "70px"}
        ).add_class("otpkit-uri")
        self.read_view = widgets.HTML()
        self.code_box = widgets.Text(
            description="Code", placeholder="6 digits", continuous_update=False
        ).add_class("otpkit-code")
        self.continue_button = widgets.Button(
            description="Continue", button_style="primary"
        ).add_class("otpkit-continue")
        self.verdict = widgets.HTML().add_class("otpkit-verdict")
        self.backup_list = widgets.HTML().add_class("otpkit-backup")
        self.download_link = widgets.HTML().add_class("otpkit-download")
        self.stored_view = widgets.HTML().add_class("otpkit-stored")
        self.panel = widgets.VBox(layout={"width": "60%"}).add_class("otpkit-panel")

        self.server_view = widgets.HTML().add_class("otpkit-server")
        self.phone_title = widgets.HTML()
        self.clock_control = ClockControl(SystemClock())
        self.phone_view = PhoneView(Phone(clock=SystemClock()))
        self.phone_view.offset_slider.observe(lambda _: self._show_side(), names="value")
        self.clock_control.on_change(lambda _: self._on_clock())
        side = widgets.VBox(
            [
                widgets.HTML("<b>On the server</b>"),
                self.server_view,
                self.phone_title,
                self.phone_view,
                self.clock_control,
            ],
            layout={"width": "40%"},
        )
        self.back_button = widgets.Button(description="◀ Back").add_class("otpkit-back")
        self.next_button = widgets.Button(description="Next ▶", button_style="success").add_class(
            "otpkit-next"
        )
        self.message = widgets.HTML().add_class("otpkit-message")

        self.app_choice.observe(self._on_app, names="value")
        self.back_button.on_click(lambda _: self.back())
        self.next_button.on_click(lambda _: self.next())
        self.continue_button.on_click(lambda _: self.continue_())
        self.children = [
            self.header,
            widgets.HBox([self.panel, side]),
            widgets.HBox([self.back_button, self.next_button]),
            self.message,
        ]
        self.add_class("otpkit-wizard")

    # -- doing ------------------------------------------------------------------------------

    def _perform(self, stage: Stage, defaults: bool) -> bool:
        """Do ``stage`` through the flow; on an OtpkitError say why and return False."""
        flow = self.flow
        try:
            if stage == Stage.INSTALL_APP:
                flow.install_app()
                self._say(f"{html.escape(flow.phone.app.title)} is installed.", "ok")
            elif stage == Stage.OPEN_SETTINGS:
                flow.open_settings()
                self._say("Settings is open.", "ok")
            elif stage == Stage.OPEN_SECURITY:
                flow.open_security()
                self._say("The Security section is open.", "ok")
            elif stage == Stage.REGISTER_APP:
                flow.choose_register()
                self._say("The set-up dialog asks for the password.", "ok")
            elif stage == Stage.ENTER_PASSWORD:
                flow.enter_password(None if defaults else self.password.value)
                self.password.value = ""  # never keep a password in the widget state
                self._say("The password is right. The server issued a new pending secret.", "ok")
            elif stage == Stage.SET_UP_APP:
                entry = flow.set_up_app(self.method_choice.value)
                how = (
                    "scanned the QR code" if self.method_choice.value == "qr" else "opened the link"
                )
                self._say(f"The app {how} and added {html.escape(entry.label)}.", "ok")
            elif stage == Stage.READ_CODE:
                code = flow.read_code()
                if not self.live_mode:
                    self.code_box.value = code  # as if copied from the app
                    self._say(f"The app shows {code}; it is copied into the code box.", "ok")
                else:
                    self._say("Now type the code your phone shows.", "ok")
            elif stage == Stage.ENTER_CODE:
                self._confirm(None if defaults else self.code_box.value)
            elif stage == Stage.DOWNLOAD_BACKUP_CODES:
                name, _ = flow.download_backup_codes()
                self._say(f"The codes are saved as {html.escape(name)}.", "ok")
        except OtpkitError as exc:
            self._refuse(exc, self._other_setup(stage, exc))
            return False
        finally:
            self._show_side()
        return True

    def _confirm(self, token: str | None) -> None:
        flow = self.flow
        period = self.server.policy.params.period
        try:
            flow.enter_code(token)
        except (InvalidToken, SetupNotStarted) as exc:
            typed = flow.code if token is None else token
            found = flow.offset_of(typed)
            window = self.server.policy.confirm_window
            other = self._other_setup(Stage.ENTER_CODE, exc)
            if other is not None:
                why = other
            elif found is not None:
                why = (
                    f"This code belongs to {panels.offset_words(found, period)}; "
                    f"the server accepts offsets -{window} to +{window}."
                )
            else:
                why = "It matches no time step near the server's: not a code for this QR code."
            self.verdict.value = panels.message(
                f"{panels.refusal(exc, 'Not verified')}<br>{why}", "error"
            )
            raise
        assert flow.confirmation is not None
        words = panels.offset_words(flow.confirmation.offset, period)
        text = f"<b>Verified.</b> The code matched {words}. Two-factor authentication is on."
        self.verdict.value = panels.message(text, "ok")
        self._say(text, "ok")

    def _refuse(self, exc: OtpkitError, why: str | None = None) -> None:
        self._say(panels.refusal(exc) + (f"<br>{why}" if why else ""), "error")

    def _other_setup(self, stage: Stage, exc: OtpkitError) -> str | None:
        """Why a refusal is not the learner's doing, when another setup for the same account
        registered again or finished meanwhile; at stage 8 it also offers Back to stage 5."""
        flow = self.flow
        if not isinstance(exc, (InvalidToken, SetupNotStarted)):
            return None
        try:
            stored = self.server.stored(flow.username)
        except OtpkitError:
            return None
        if stage == Stage.ENTER_PASSWORD and stored["two_factor_enabled"]:
            return _ALREADY_ON
        reg = flow.registration
        if stage != Stage.ENTER_CODE or reg is None or stored["pending_secret"] == reg.secret:
            return None
        if stored["two_factor_enabled"]:
            return _FINISHED_ELSEWHERE
        self._redo_password = True
        return _REPLACED

    def _restart_at_password(self) -> None:
        """A fresh flow on the same server, phone and account, at stage 5 (stages 1 to 4 change
        nothing on the server): entering the password registers again, with a new QR code."""
        old = self.flow
        flow = EnrollmentFlow(old.server, old.phone, old.username, old.password)
        while flow.stage < Stage.ENTER_PASSWORD:
            flow.advance()
        self.flow = flow
        self._redo_password = False
        self.code_box.value = self.verdict.value = ""
        self._say(
            "Enter the password again: the server issues a new secret and shows a new QR code.",
            "info",
        )
        self.stage_view = Stage.ENTER_PASSWORD

    def _say(self, text: str, kind: str) -> None:
        self.message.value = panels.message(text, kind)

    def _on_app(self, change: dict) -> None:
        if self.flow.stage == Stage.INSTALL_APP and change["new"] is not None:
            self.flow.phone.app = change["new"]
        self._show()

    def _on_clock(self) -> None:
        if hasattr(self, "flow"):
            self._show_side()

    # -- showing ----------------------------------------------------------------------------

    def _show(self) -> None:
        shown = self.stage_view
        flow = self.flow
        done = flow.stage > shown
        self._show_header(shown)
        self.instructions.value = (
            f"<p><i>{html.escape(shown.explanation)}</i></p><p><b>You:</b> {shown.info.you}</p>"
        )
        for n in range(1, 11):
            self.panel.remove_class(f"otpkit-stage-{n}")
        self.panel.add_class(f"otpkit-stage-{int(shown)}")
        self.panel.children = [self.instructions, *self._panel(shown, done)]
        self.back_button.disabled = shown == Stage.INSTALL_APP
        self.next_button.disabled = shown == Stage.DONE
        self._show_side()

    def _show_header(self, shown: Stage) -> None:
        pills = []
        for stage in STAGES:
            state = "✓" if self.flow.stage > stage else str(int(stage))
            style = "background:#36c;color:white" if stage == shown else "background:#eee"
            pills.append(
                f'<span title="{html.escape(stage.title)}" style="{style};border-radius:10px;'
                f'padding:1px 7px;margin-right:3px">{state}</span>'
            )
        title = "Done" if shown == Stage.DONE else f"Stage {int(shown)} of 9: {shown.title}"
        self.header.value = f"<div>{''.join(pills)}</div><h3>{html.escape(title)}</h3>"

    def _panel(self, shown: Stage, done: bool) -> list[widgets.Widget]:
        flow = self.flow
        if shown == Stage.INSTALL_APP:
            self.app_choice.disabled = done
            self.app_note.value = f"<small>{html.escape(self.app_choice.value.note)}</small>"
            return [self.app_choice, self.app_note]
        if shown in (Stage.OPEN_SETTINGS, Stage.OPEN_SECURITY, Stage.REGISTER_APP):
            self.menu.value = panels.menu_mock(shown)
            return [self.menu]
        if shown == Stage.ENTER_PASSWORD:
            self.password.disabled = done
            return [self.password_done if done else self.password]
        if shown == Stage.SET_UP_APP:
            reg = flow.registration
            if reg is None:
                return []
            self.method_choice.disabled = done
            self.qr_image.value = reg.qr_png
            self.launch_link.value = panels.launch_link(reg.uri)
            self.uri_text.value = reg.uri
            return [self.method_choice, self.qr_image, self.launch_link, self.uri_text]
        if shown == Stage.READ_CODE:
            if self.live_mode:
                self.read_view.value = (
                    "<p>Look at your phone: the code sits under the account name.</p>"
                )
            elif flow.code is not None:
                self.read_view.value = f"<p>The app showed <code>{flow.code}</code>.</p>"
            else:
                self.read_view.value = "<p>The phone on the right shows the code now.</p>"
            return [self.read_view]
        if shown == Stage.ENTER_CODE:
            self.code_box.disabled = self.continue_button.disabled = done
            return [widgets.HBox([self.code_box, self.continue_button]), self.verdict]
        if shown == Stage.DOWNLOAD_BACKUP_CODES:
            codes = flow.backup_codes or []
            name, text = self.server.backup_download(flow.username, codes)
            self.backup_list.value = panels.backup_codes(codes)
            self.download_link.value = panels.download_link(name, text)
            return [self.backup_list, self.download_link]
        self.stored_view.value = "<p><b>What the server now stores</b></p>" + panels.stored_table(
            self.server.stored(flow.username)
        )
        return [self.stored_view]

    def _show_side(self) -> None:
        """The right-hand column: the server's part and the phone's screen."""
        shown = self.stage_view
        lines = [
            f"<li><code>{e.kind}</code> {html.escape(e.message)}</li>"
            for e in self.server.events[-3:]
        ]
        log = f"<small>Latest log lines:<ul>{''.join(lines)}</ul></small>" if lines else ""
        self.server_view.value = f"<p>{shown.info.server(self.server.policy)}</p>{log}"
        if self.live_mode:
            text = shown.info.live_phone
            self.phone_title.value = f"<b>On your phone</b><p>{text}</p>"
            self.phone_view.layout.display = "none"
        else:
            self.phone_title.value = "<b>On the phone</b>"
            self.phone_view.layout.display = None
            self.phone_view.refresh()
