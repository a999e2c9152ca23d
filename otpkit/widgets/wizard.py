"""EnrollmentWizard: the nine documented stages in one widget, with Back and Next.

The wizard only shows: an ``otpkit.EnrollmentFlow`` does every step and the server checks
every code. At each stage the wizard shows what the user does (left), and what the server and
the phone do (right). Errors from the kit (a wrong password, a wrong or expired code, a step
out of order) become a message, never a traceback.

One way forward. At every stage exactly one control moves on, and Enter in a box presses it:

- stages 1-7 and 9: **Next ▶** does the stage, then shows the next one (at stage 5 it sends the
  password, and the code box when the account already has 2FA; Enter in either box is Next);
- stage 8: Misskey's own **Continue** sends the code (so does Enter in the code box) and the
  verdict stays in view; Next ▶ is disabled until the code is verified, and then only moves on.

A stage already done is only shown again: Next ▶ moves past it without doing anything.

Feedback sits next to the action that caused it: under the stage's boxes, above Back and Next,
in an area of fixed height (``feedback``) that scrolls rather than pushing the page down. At
stage 8 it holds the verdict, then the server's answer; elsewhere the message alone.

The wizard's parts, one idea each: ``wizard_layout`` (the widgets and where they sit),
``wizard_view`` (what each stage shows), ``wizard_actions`` (doing a stage through the flow and
explaining refusals), ``wizard_factories`` (the simulated and live flows), ``style`` (colours,
each pair WCAG AA, and the style sheet) and ``panels`` (the HTML pieces).

Public API (stable; presenter mode and the browser tests build on it):

- ``EnrollmentWizard.simulated(at=1_700_000_000, seed=7, app=..., ...)``: fixed clock, seeded
  secrets, replayable (nothing reads the machine's clock). ``EnrollmentWizard.live(path=...,
  username=..., password=...)``: the machine's clock, OS randomness, accounts kept in a SQLite file.
- ``EnrollmentWizard(make_flow, live=False)``: any flow; ``make_flow()`` is called again by ``reset()``.
- Attributes: ``flow``, ``server``, ``phone``, ``stage_view`` (the Stage shown; a traitlet, so
  ``wizard.observe(callback, "stage_view")`` works), ``next_button``, ``back_button``,
  ``app_choice``, ``method_choice``, ``password``, ``qr_image``, ``launch_link``, ``uri_text``,
  ``code_box``, ``continue_button``, ``verdict``, ``backup_list``, ``download_link``,
  ``stored_view``, ``message``, ``header``, ``server_view``, ``phone_view``, ``clock_control``;
  since the first-ten-minutes fixes also ``token_box`` (stage 5's code from the registered app or
  a backup code, shown when the account has 2FA), ``password_hint`` (the demo password, simulated
  mode only), ``feedback`` (the fixed-height box holding ``verdict`` and ``message``),
  ``server_log`` (the last lines of the server's log, fixed height) and ``qr_caption``.
- Methods: ``next()``, ``back()``, ``go_to(stage)``, ``reset()``, ``continue_()``.
- CSS classes: otpkit-wizard, otpkit-next, otpkit-back, otpkit-app-choice, otpkit-method,
  otpkit-password, otpkit-qr, otpkit-launch, otpkit-uri, otpkit-code, otpkit-continue,
  otpkit-verdict, otpkit-backup, otpkit-download, otpkit-stored, otpkit-message,
  otpkit-header, otpkit-server, otpkit-panel plus otpkit-stage-N (N = the stage shown, 1-10);
  added: otpkit-token, otpkit-password-hint, otpkit-feedback, otpkit-nav (Back and Next),
  otpkit-main (left column: panel, feedback, nav), otpkit-side (right column), otpkit-server-log,
  otpkit-qr-caption, otpkit-pills (the stage pills inside the header), otpkit-wizard-style (its
  ``<style>``); inside, the phone (otpkit-phone, otpkit-phone-screen, otpkit-phone-code,
  otpkit-countdown, otpkit-countdown-label, otpkit-phone-offset, otpkit-phone-offset-words) and
  the clock (otpkit-clock, otpkit-clock-time, otpkit-clock-mode, otpkit-clock-plus-1,
  otpkit-clock-plus-30, otpkit-clock-jump-to, otpkit-clock-jump, otpkit-clock-refresh); units
  beside inputs are otpkit-unit. The download is ``.otpkit-download a`` (an ``<a download>``
  styled as a button, class otpkit-button; Launch App is one too).
- Messages: ``message.value`` is HTML whose box has the class otpkit-message-ok, -error or -info
  (and otpkit-box, role "alert" for errors, "status" otherwise); ``verdict.value`` too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets
import traitlets

from ..core import demo
from ..core.clock import Clock
from ..enrollment import apps
from ..enrollment.apps import AppProfile
from ..enrollment.flow import EnrollmentFlow, Stage
from ..enrollment.phone import Phone
from ..server import Server
from ..server.policy import MISSKEY, Policy
from . import panels, wizard_actions, wizard_factories, wizard_layout, wizard_view
from .wizard_factories import DEMO_PASSWORD, LIVE_HOST, LIVE_PATH

__all__ = ["DEMO_PASSWORD", "LIVE_PATH", "STAGES", "EnrollmentWizard"]

STAGES = wizard_view.STAGES


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
        self.flow = make_flow()  # first, so that every part is built on the flow's own clock
        self._build()
        self.observe(lambda _: self._show(), names="stage_view")
        self._load(self.flow)

    # -- constructors ---------------------------------------------------------------------

    @classmethod
    def simulated(
        cls,
        at: float = demo.AT,
        seed: int = demo.SEED,
        app: AppProfile = apps.GOOGLE_AUTHENTICATOR,
        username: str = demo.USER,
        password: str = DEMO_PASSWORD,
        policy: Policy = MISSKEY,
        host: str = demo.HOST,
        phone_offset: float = 0.0,
    ) -> EnrollmentWizard:
        """A replayable wizard: the clock stands at ``at``; secrets come from ``DemoRandom(seed)``."""
        make, intro = wizard_factories.simulated(
            at, seed, app, username, password, policy, host, phone_offset
        )
        return cls(make, live=False, intro=intro)

    @classmethod
    def live(
        cls,
        path: str | Path = LIVE_PATH,
        *,
        username: str,
        password: str,
        host: str = LIVE_HOST,
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
        make, intro = wizard_factories.live(
            path,
            username=username,
            password=password,
            host=host,
            app=app,
            clock=clock,
            policy=policy,
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
        """What Next ▶ does: the stage shown (when it is the next to do), then the next stage.
        At stage 8 the code goes with Continue: until it is verified, Next only says so."""
        shown = self.stage_view
        if shown == Stage.DONE:
            self._say("The enrollment is done; Back shows the earlier stages.", "info")
        elif shown < self.flow.stage:  # already done: just move on
            self.stage_view = Stage(shown + 1)
        elif shown == Stage.ENTER_CODE:
            self._say(
                "Send the code with <b>Continue</b> (or Enter in the code box) first.", "info"
            )
        elif wizard_actions.perform(self, shown, defaults=False):
            self.stage_view = Stage(shown + 1)
        else:
            self._show()  # a refusal may change the stage's boxes (a code box at stage 5)

    def back(self) -> None:
        """Show the previous stage again (nothing is undone). Once another setup has made this
        one's QR code void, Back returns to stage 5 to register again instead."""
        if self._redo_password and self.stage_view > Stage.ENTER_PASSWORD:
            wizard_actions.restart_at_password(self)
        elif self.stage_view > Stage.INSTALL_APP:
            self.stage_view = Stage(self.stage_view - 1)

    def continue_(self) -> None:
        """The Continue button of stage 8: send the code box to the server, show the verdict."""
        wizard_actions.perform(self, Stage.ENTER_CODE, defaults=False)
        self._show()

    def go_to(self, stage: Stage | int) -> None:
        """Show ``stage``, first doing every stage before it with its defaults (for trainers)."""
        target = Stage(stage)
        while self.flow.stage < target:
            if not wizard_actions.perform(self, self.flow.stage, defaults=True):
                break
        self.stage_view = min(target, self.flow.stage)
        self._show()

    def reset(self) -> None:
        """Start again with a fresh flow (in simulated mode: the same clock, seed and secret)."""
        self._load(self.make_flow())

    def __repr__(self) -> str:
        mode = "live" if self.live_mode else "simulated"
        shown = self.stage_view
        where = "done" if shown == Stage.DONE else f"stage {int(shown)} of 9: {shown.title}"
        return f"EnrollmentWizard({mode}, {self.flow.username}, showing {where})"

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        wizard_layout.build(self)
        self.phone_view.offset_slider.observe(lambda _: self._show_side(), names="value")
        self.clock_control.on_change(lambda _: self._show_side())
        self.app_choice.observe(self._on_app, names="value")
        self.method_choice.observe(self._on_method, names="value")
        self.back_button.on_click(lambda _: self.back())
        self.next_button.on_click(lambda _: self.next())
        self.continue_button.on_click(lambda _: self.continue_())
        for box in (self.password, self.token_box):
            self._on_enter(box, self._enter_password)
        self._on_enter(self.code_box, self._enter_code)

    def _load(self, flow: EnrollmentFlow) -> None:
        """Show ``flow`` from stage 1."""
        self.flow = flow
        self._redo_password = False
        self.clock_control.attach(self.server.clock)
        self.phone_view.attach(self.phone)
        self.app_choice.value = self.phone.app
        self.method_choice.value = "qr"
        self.password.value = self.token_box.value = self.code_box.value = ""
        self.verdict.value = ""
        self._say(self.intro or "Press <b>Next ▶</b> to begin.", "info")
        if wizard_actions.two_factor_on(self):
            self._say(
                "This account already has an authenticator app registered (kept from an earlier "
                "session): sign in with it. To move to a new phone, go through the stages: at "
                "stage 5 the server asks for a code from the registered app, or a backup code, "
                "as well as the password.",
                "info",
            )
        with self.hold_trait_notifications():
            self.stage_view = Stage.INSTALL_APP
        self._show()

    # -- events -----------------------------------------------------------------------------

    @staticmethod
    def _on_enter(box: widgets.Text, then: Callable[[], None]) -> None:
        """Call ``then`` when Enter is pressed in ``box`` (the browser sends a "submit" event;
        ``Text.on_submit`` is deprecated in ipywidgets 8, this is the message it listens to)."""
        box.on_msg(lambda _w, content, _b: then() if content.get("event") == "submit" else None)

    def _enter_password(self) -> None:
        if self.stage_view == Stage.ENTER_PASSWORD == self.flow.stage:
            self.next()

    def _enter_code(self) -> None:
        if self.stage_view == Stage.ENTER_CODE == self.flow.stage:
            self.continue_()

    def _on_app(self, change: dict) -> None:
        if self.flow.stage == Stage.INSTALL_APP and change["new"] is not None:
            self.flow.phone.app = change["new"]
        self._show()

    def _on_method(self, _change: dict) -> None:
        if self.stage_view == Stage.SET_UP_APP:
            self._show()

    # -- showing (see wizard_view) ----------------------------------------------------------

    def _say(self, text: str, kind: str) -> None:
        self.message.value = panels.message(text, kind)

    def _show(self) -> None:
        wizard_view.show(self)

    def _show_side(self) -> None:
        if hasattr(self, "flow"):
            wizard_view.show_side(self)
