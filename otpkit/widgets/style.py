"""The widgets' own colours and style sheet, in one place.

Every box the widgets draw sets its text colour together with its background, so the theme
around it (JupyterLab light or dark, Voila) can never leave dark text on a dark box or light text
on a light one. Each pair below meets WCAG AA for normal text (a contrast ratio of at least 4.5:1);
``tests/test_wizard_a11y.py`` checks every pair, and every pair the widgets' HTML uses.
"""

from __future__ import annotations

INK = "#1a1a1a"  # text on every light box

# kind -> (text, background, border): message boxes, verdicts
BOXES = {
    "info": (INK, "#e8f0fe", "#1a56c4"),
    "ok": (INK, "#e6f4ea", "#1e7b34"),
    "error": (INK, "#fce8e6", "#c5221f"),
    "note": ("#6b2e00", "#fff4e5", "#b35900"),
}
PILL_NOW = ("#ffffff", "#1a56c4")  # the stage shown
PILL_DONE = (INK, "#e6f4ea")  # a stage done (marked ✓)
PILL_TODO = (INK, "#eeeeee")  # a stage still to do
BUTTON = ("#ffffff", "#1a56c4")  # links styled as buttons (Download, Launch App)
CARD = ("#111111", "#fafafa")  # the phone's screen
MOCK = (INK, "#ffffff")  # the picture of Misskey's menus
MOCK_TITLE = (INK, "#eeeeee")
MOCK_CHOSEN = (INK, "#dff3df")

PAIRS = {
    **{f"box-{kind}": (fg, bg) for kind, (fg, bg, _) in BOXES.items()},
    "pill-now": PILL_NOW,
    "pill-done": PILL_DONE,
    "pill-todo": PILL_TODO,
    "button": BUTTON,
    "card": CARD,
    "mock": MOCK,
    "mock-title": MOCK_TITLE,
    "mock-chosen": MOCK_CHOSEN,
}


def colours(pair: tuple[str, str]) -> str:
    """``color`` and ``background`` as one inline style."""
    fg, bg = pair
    return f"color:{fg};background:{bg}"


def button_style() -> str:
    """The inline style that makes a link look like (and be as large as) a button."""
    return (
        f"{colours(BUTTON)};display:inline-block;padding:4px 14px;border-radius:4px;"
        "text-decoration:none;font-weight:bold;line-height:1.6"
    )


def box_style(kind: str) -> str:
    """The inline style of a message box of ``kind`` ("info", "ok", "error" or "note")."""
    fg, bg, border = BOXES[kind]
    return (
        f"color:{fg};background:{bg};border-left:4px solid {border};"
        "padding:4px 8px;border-radius:4px;margin:2px 0"
    )


# Scoped to the widgets; what inline styles cannot say (focus rings, code inside boxes).
CSS = """
.otpkit-wizard .widget-html-content { line-height: 1.4; }
.otpkit-wizard .otpkit-unit .widget-html-content {
  line-height: var(--jp-widgets-inline-height, 28px); }
.otpkit-wizard .otpkit-box code { color: inherit; background: rgba(0, 0, 0, 0.06); padding: 0 2px; }
.otpkit-wizard a.otpkit-button:focus-visible, .otpkit-wizard a.otpkit-button:hover {
  outline: 3px solid #0b3a8c; outline-offset: 2px; }
.otpkit-wizard .otpkit-feedback { border: 1px dashed var(--jp-border-color2, #ccc);
  border-radius: 4px; padding: 2px; }
.otpkit-wizard .otpkit-server-log li { white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.otpkit-wizard .otpkit-nowrap { white-space: nowrap; }
"""


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rgb`` or ``#rrggbb``."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)
