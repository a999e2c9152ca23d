"""PresenterView: the enrollment wizard for a room, with large type and a trainer's bar.

The trainer's bar resets the flow or jumps to any stage (the stages before it are done with
their defaults). Under Voila (``otpkit present``) the page also answers the keys of a
presentation clicker: Right or Page Down for Next, Left or Page Up for Back. Every button is a
real button, so Tab and Enter reach it too.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..flow import Stage
from .wizard import EnrollmentWizard

# Scoped to the view; the JupyterLab variables keep both the light and the dark theme right.
CSS = """
.otpkit-presenter {
  --jp-widgets-font-size: 20px;
  --jp-widgets-inline-height: 40px;
  --jp-widgets-inline-label-width: 150px;
  --jp-widgets-inline-width: 420px;
  font-size: 20px;
}
.otpkit-presenter .widget-html-content { line-height: 1.4; }
.otpkit-presenter h3 { font-size: 32px; margin: 8px 0; }
.otpkit-presenter code { font-size: 19px; }
.otpkit-presenter .jupyter-button { width: auto !important; min-width: 48px; padding: 0 14px; }
.otpkit-presenter .otpkit-qr { width: 300px !important; height: 300px !important;
  image-rendering: pixelated; }
.otpkit-presenter .otpkit-phone-screen .widget-html-content > div { width: 300px !important; }
.otpkit-presenter .otpkit-phone-code .widget-html-content > div { font-size: 44px !important; }
.otpkit-presenter .otpkit-clock-jump-to { width: 330px !important; }
.otpkit-presenter button:focus-visible { outline: 4px solid var(--jp-brand-color1, #36c);
  outline-offset: 2px; }
.otpkit-trainer-bar { align-items: center; flex-wrap: wrap; gap: 4px;
  border-bottom: 1px solid var(--jp-border-color2, #ccc); padding-bottom: 6px; }
.otpkit-keys-help { color: var(--jp-ui-font-color2, #555); }
.otpkit-keys-help .widget-html-content { font-size: 16px; }
/* The wizard draws some boxes on light backgrounds: keep their text dark in a dark theme. */
body[data-jp-theme-light="false"] .otpkit-presenter [style*="background"] { color: #111; }
/* Under Voila, hide what only notebook readers need (cells tagged otpkit-notebook-only). */
body[data-voila] .celltag_otpkit-notebook-only { display: none; }
"""

NEXT_KEYS = ("ArrowRight", "PageDown")
BACK_KEYS = ("ArrowLeft", "PageUp")

KEYS_SCRIPT = """<script>
(function () {
  if (document.body.dataset.voila === undefined || window.otpkitPresenterKeys) return;
  window.otpkitPresenterKeys = true;
  var keys = {%KEYS%};
  document.addEventListener("keydown", function (event) {
    var name = keys[event.key];
    if (!name || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && target.closest &&
        target.closest("input, textarea, select, [contenteditable='true']")) return;
    var button = document.querySelector(".otpkit-presenter .otpkit-wizard button." + name);
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
})();
</script>"""


def keys_html() -> str:
    """The keyboard handler as an HTML output (Voila runs it; JupyterLab ignores it)."""
    pairs = [f'"{key}": "otpkit-next"' for key in NEXT_KEYS]
    pairs += [f'"{key}": "otpkit-back"' for key in BACK_KEYS]
    return KEYS_SCRIPT.replace("%KEYS%", ", ".join(pairs))


def _stage_label(stage: Stage) -> str:
    return "Done" if stage == Stage.DONE else str(int(stage))


class PresenterView(widgets.VBox):
    """``wizard`` in large type, under a trainer's bar: Back, Next, one button per stage, Reset.

    The bar's Back and Next do what the wizard's own buttons (at its foot) do, so a trainer
    need not scroll on a small projector.
    """

    def __init__(self, wizard: EnrollmentWizard):
        super().__init__()
        self.wizard = wizard
        self.style_html = widgets.HTML(f"<style>{CSS}</style>")
        self.back_button = widgets.Button(
            description="◀ Back", tooltip="the previous stage (key: ← or Page Up)"
        ).add_class("otpkit-bar-back")
        self.next_button = widgets.Button(
            description="Next ▶", tooltip="do this stage, show the next (key: → or Page Down)"
        ).add_class("otpkit-bar-next")
        self.stage_buttons = widgets.ToggleButtons(
            options=[(_stage_label(stage), stage) for stage in Stage],
            tooltips=[stage.title for stage in Stage],
            value=wizard.stage_view,
        ).add_class("otpkit-jump")
        self.reset_button = widgets.Button(
            description="↺ Reset", tooltip="start the enrollment again at stage 1"
        ).add_class("otpkit-reset")
        self.keys_help = widgets.HTML(
            "Keys: → or Page Down = Next, ← or Page Up = Back; Tab and Enter reach every button."
        ).add_class("otpkit-keys-help")
        self._following = False
        self.back_button.on_click(lambda _: self.wizard.back())
        self.next_button.on_click(lambda _: self.wizard.next())
        self.reset_button.on_click(lambda _: self.reset())
        self.stage_buttons.observe(self._on_jump, names="value")
        wizard.observe(self._follow, names="stage_view")
        bar = widgets.HBox(
            [
                self.back_button,
                self.next_button,
                widgets.HTML("&nbsp;Jump to:"),
                self.stage_buttons,
                self.reset_button,
            ]
        ).add_class("otpkit-trainer-bar")
        self.children = [self.style_html, bar, self.keys_help, wizard]
        self.add_class("otpkit-presenter")

    @classmethod
    def simulated(cls, at: float = 1_700_000_000, seed: int = 7, **kwargs) -> PresenterView:
        """A presenter view of ``EnrollmentWizard.simulated(at=at, seed=seed, **kwargs)``."""
        return cls(EnrollmentWizard.simulated(at=at, seed=seed, **kwargs))

    @property
    def stage(self) -> Stage:
        """The stage on the screen."""
        return self.wizard.stage_view

    def reset(self) -> None:
        """Start the enrollment again at stage 1 (the same secret, in simulated mode)."""
        self.wizard.reset()
        self._follow()

    def jump(self, stage: Stage | int) -> None:
        """Show ``stage``, doing the stages before it with their defaults where still needed."""
        self.wizard.go_to(Stage(stage))
        self._follow()

    def show(self) -> None:
        """Display the view and, for Voila, the keyboard handler."""
        from IPython.display import HTML, display

        display(self, HTML(keys_html()))

    def _on_jump(self, change: dict) -> None:
        if not self._following and change["new"] is not None:
            self.jump(change["new"])

    def _follow(self, _change: object = None) -> None:
        """Keep the stage buttons on the stage the wizard shows."""
        self._following = True
        try:
            self.stage_buttons.value = self.wizard.stage_view
        finally:
            self._following = False

    def __repr__(self) -> str:
        return f"PresenterView({self.wizard!r})"
