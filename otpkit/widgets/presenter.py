"""PresenterView: the enrollment wizard for a room, with one row to drive it, and explorer slides.

One row holds everything a trainer presses: **◀ Back**, one button per slide (the nine stages,
Done, then the explorer slides), **Next ▶** and **↺ Reset**. The wizard's own pills and its Back /
Next row are hidden (see ``static/presenter.css``); what happened (a refusal, the server's answer)
sits at the top of the stage, large.

Next is the one way forward, whatever the stage: it does the stage shown. At stage 5 of a
simulated wizard with an empty box it types the demo password first; at stage 8 it sends the code
(Misskey's Continue) and, once the code is verified, moves on. Jumping to a stage does the stages
before it with their defaults; Back never undoes anything.

Under Voila (``otpkit present``) the page also answers the keys of a presentation clicker (see
``static/presenter.js``): Page Down / Page Up always go forward / back, wherever the focus is; the
Right / Left arrows do too, except where they have a job (a slider's handle, or a caret that can
still move in a text box). Every button is a real button: Tab and Enter reach each one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import ipywidgets as widgets

from ..stages import Stage
from .wizard import EnrollmentWizard

NEXT_KEYS = ("ArrowRight", "PageDown")
BACK_KEYS = ("ArrowLeft", "PageUp")
KEYS_HELP = "→ or PgDn: Next · ← or PgUp: Back"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


CSS = _asset("presenter.css")
KEYS_SCRIPT = _asset("presenter.js")


def keys_html() -> str:
    """The keyboard handler as an HTML output (it acts under Voila only, not in JupyterLab)."""
    return f"<script>\n{KEYS_SCRIPT}</script>"


@dataclass(frozen=True)
class Slide:
    """A slide after Done: ``key`` names it, ``label`` is its button, ``widget`` what it shows."""

    key: str
    label: str
    tooltip: str
    widget: widgets.Widget


def _stage_label(stage: Stage) -> str:
    return "Done" if stage == Stage.DONE else str(int(stage))


class PresenterView(widgets.VBox):
    """``wizard`` (then ``slides``) in large type, under one row: Back, the slides, Next, Reset."""

    def __init__(self, wizard: EnrollmentWizard, slides: Sequence[Slide] = ()):
        super().__init__()
        self.wizard = wizard
        self.slides = list(slides)
        keys = [slide.key for slide in self.slides]
        if len(set(keys)) != len(keys) or any(key.isdigit() for key in keys):
            raise ValueError(f"slide keys must be unique words (not stage numbers): {keys}")
        self.style_html = widgets.HTML(f"<style>{CSS}</style>").add_class("otpkit-presenter-style")
        # For screen readers: the page's outline (its title, this, then each slide's title).
        self.heading = widgets.HTML(
            '<h2 class="otpkit-visually-hidden">Presenter: enrollment, stage by stage</h2>'
        )
        self.back_button = widgets.Button(
            description="◀ Back", tooltip="the previous slide (keys: ← or Page Up)"
        ).add_class("otpkit-bar-back")
        self.next_button = widgets.Button(
            description="Next ▶",
            button_style="primary",
            tooltip="do this stage, then show the next (keys: → or Page Down)",
        ).add_class("otpkit-bar-next")
        self.stage_buttons = widgets.ToggleButtons(
            options=[(_stage_label(stage), stage) for stage in Stage]
            + [(slide.label, slide.key) for slide in self.slides],
            tooltips=[stage.title for stage in Stage] + [slide.tooltip for slide in self.slides],
            value=wizard.stage_view,
        ).add_class("otpkit-jump")
        self.reset_button = widgets.Button(
            description="↺ Reset", tooltip="start the enrollment again at stage 1"
        ).add_class("otpkit-reset")
        self.keys_help = widgets.HTML(KEYS_HELP).add_class("otpkit-keys-help")
        self.bar = widgets.HBox(
            [
                self.back_button,
                self.stage_buttons,
                self.next_button,
                self.reset_button,
                self.keys_help,
            ]
        ).add_class("otpkit-presenter-bar")
        self.stage_area = widgets.Box([wizard], layout={"width": "100%"}).add_class(
            "otpkit-stage-area"
        )
        self._slide: str | None = None  # the key of the slide shown after Done, if any
        self._following = False
        self.back_button.on_click(lambda _: self.back())
        self.next_button.on_click(lambda _: self.next())
        self.reset_button.on_click(lambda _: self.reset())
        self.stage_buttons.observe(self._on_jump, names="value")
        wizard.observe(self._follow, names="stage_view")
        self.children = [self.style_html, self.heading, self.bar, self.stage_area]
        self.add_class("otpkit-presenter")
        self._follow()

    @classmethod
    def simulated(
        cls, at: float = 1_700_000_000, seed: int = 7, *, explorers: bool = True, **kwargs
    ) -> PresenterView:
        """A presenter view of ``EnrollmentWizard.simulated(at=at, seed=seed, **kwargs)``, with
        the explorer slides (``explorer_slides(at, seed)``) after Done unless ``explorers`` is
        False."""
        wizard = EnrollmentWizard.simulated(at=at, seed=seed, **kwargs)
        slides = explorer_slides(at, seed) if explorers else []
        return cls(wizard, slides)

    # -- what the row does --------------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        """The wizard's stage (the last one shown, while an explorer slide is on the screen)."""
        return self.wizard.stage_view

    @property
    def slide(self) -> Stage | str:
        """What is on the screen: a Stage, or the key of a slide after Done."""
        return self.wizard.stage_view if self._slide is None else self._slide

    def next(self) -> None:
        """Do the stage shown and show the next one; after Done, the next slide."""
        try:
            self._forward()
        finally:
            self._follow()

    def _forward(self) -> None:
        if self._slide is not None:
            at = self._index(self._slide)
            if at + 1 < len(self.slides):
                self._show_slide(self.slides[at + 1].key)
            return
        wizard = self.wizard
        shown, flow = wizard.stage_view, wizard.flow
        if shown == Stage.DONE:
            if self.slides:
                self._show_slide(self.slides[0].key)
            return
        if shown == flow.stage and not wizard.live_mode:
            # The demo's own inputs, so that a clicker alone gets through a simulated enrollment.
            if shown == Stage.ENTER_PASSWORD and not wizard.password.value:
                wizard.password.value = flow.password
            elif shown == Stage.ENTER_CODE and not wizard.code_box.value.strip():
                wizard.code_box.value = wizard.phone_view.code or ""
        if shown == flow.stage == Stage.ENTER_CODE:
            wizard.continue_()  # Misskey's Continue; the verdict stays in view until Next again
        else:
            wizard.next()

    def back(self) -> None:
        """Show the previous slide (nothing is undone)."""
        if self._slide is None:
            self.wizard.back()
        else:
            at = self._index(self._slide)
            if at == 0:
                self._show_wizard()
            else:
                self._show_slide(self.slides[at - 1].key)
        self._follow()

    def reset(self) -> None:
        """Start the enrollment again at stage 1 (the same secret, in simulated mode)."""
        self.wizard.reset()
        self._show_wizard()
        self._follow()

    def jump(self, target: Stage | int | str) -> None:
        """Show ``target``: a stage (doing the stages before it with their defaults where still
        needed) or the key of a slide after Done."""
        if isinstance(target, str) and not target.isdigit():
            self._index(target)  # a ValueError names the slides there are
            self._show_slide(target)
        else:
            self._show_wizard()
            self.wizard.go_to(Stage(int(target)))
        self._follow()

    def show(self) -> None:
        """Display the view and, for Voila, the keyboard handler."""
        from IPython.display import HTML, display

        display(self, HTML(keys_html()))

    # -- inside -------------------------------------------------------------------------------

    def _index(self, key: str) -> int:
        for at, slide in enumerate(self.slides):
            if slide.key == key:
                return at
        raise ValueError(
            f"no slide {key!r}; the slides after Done are {[s.key for s in self.slides]}"
        )

    def _show_slide(self, key: str) -> None:
        self._slide = key
        self.stage_area.children = [self.slides[self._index(key)].widget]

    def _show_wizard(self) -> None:
        if self._slide is not None:
            self._slide = None
            self.stage_area.children = [self.wizard]

    def _on_jump(self, change: dict) -> None:
        if not self._following and change["new"] is not None:
            self.jump(change["new"])

    def _follow(self, _change: object = None) -> None:
        """Keep the row on what is shown: the slide's button pressed, Back and Next enabled
        only where they lead somewhere."""
        self._following = True
        try:
            self.stage_buttons.value = self.slide
        finally:
            self._following = False
        last = self.slides[-1].key if self.slides else Stage.DONE
        self.back_button.disabled = self.slide == Stage.INSTALL_APP
        self.next_button.disabled = self.slide == last

    def __repr__(self) -> str:
        if self._slide is not None:
            return f"PresenterView(slide {self._slide!r} after {self.wizard!r})"
        return f"PresenterView({self.wizard!r})"


def explorer_slides(at: float = 1_700_000_000, seed: int = 7) -> list[Slide]:
    """Two slides for after Done: the code window and clock drift, each set to today's Misskey
    with one button away from the 2023.9-2026.5 one (and the other presets in its menu)."""
    from ..core.clock import FixedClock
    from ..exercises import Lesson
    from ..server.policy import MISSKEY, MISSKEY_2025
    from .explorers import DriftExplorer, WindowExplorer

    secret = Lesson(at=at, seed=seed).secret
    window = WindowExplorer(secret, FixedClock(at), window=MISSKEY, offset=0, delay=5)
    drift = DriftExplorer(skew_ppm=100, days=60, policy=MISSKEY, seed=seed)
    return [
        Slide(
            "window",
            "Window",
            "Explore: which codes a server accepts, as the phone's clock moves",
            _explorer_slide(
                "Which codes pass? The server's window",
                "Move the phone's clock until today's Misskey refuses the code, then press the "
                "other Misskey.",
                window,
                (MISSKEY, MISSKEY_2025),
            ),
        ),
        Slide(
            "drift",
            "Drift",
            "Explore: a phone clock that drifts a little every day",
            _explorer_slide(
                "A clock that drifts: when do sign-ins start failing?",
                "Change the skew, then compare the two Misskeys: which one fails first?",
                drift,
                (MISSKEY, MISSKEY_2025),
            ),
        ),
    ]


def _explorer_slide(title: str, hint: str, explorer, policies) -> widgets.VBox:
    """A slide: its title, a one-line prompt for the room, a toggle between ``policies`` that
    sets the explorer's server menu (and follows it), and the explorer."""
    import html

    compare = widgets.ToggleButtons(
        options=[(p.title, p.name) for p in policies],
        value=explorer.policy.value
        if explorer.policy.value in {p.name for p in policies}
        else None,
        description="Compare",
        tooltips=[p.summary for p in policies],
        style={"description_width": "initial"},
    ).add_class("otpkit-compare")

    def chosen(change: dict) -> None:
        if change["new"] is not None:
            explorer.policy.value = change["new"]

    def followed(change: dict) -> None:
        names = {p.name for p in policies}
        compare.value = change["new"] if change["new"] in names else None

    compare.observe(chosen, names="value")
    explorer.policy.observe(followed, names="value")
    return widgets.VBox(
        [
            widgets.HTML(f"<h3>{html.escape(title)}</h3>"),
            widgets.HTML(html.escape(hint)).add_class("otpkit-slide-hint"),
            compare,
            explorer,
        ]
    ).add_class("otpkit-slide")
