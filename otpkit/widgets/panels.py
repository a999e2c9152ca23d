"""HTML pieces the wizard (and the walkthrough notebook) show: menus, buttons, codes, verdicts.

Each function turns kit data into a small, deterministic HTML string; no logic lives here. Every
piece carries its own colours (see ``style``), so it reads the same inside the wizard, in a
notebook's output and in either theme.
"""

from __future__ import annotations

import base64
import html
from typing import Any

from ..enrollment.stages import MENU_PATH, Stage
from .style import MOCK, MOCK_CHOSEN, MOCK_TITLE, box_style, button_style, colours

# What the Misskey web client shows at stages 2-4, reduced to the items that matter.
_MAIN_MENU = ("Timeline", "Notifications", "Drive", "Settings")
_SETTINGS = ("Profile", "Privacy", "Notifications", "Security", "Appearance")
_SECURITY = ("Password", "Two-factor authentication", "Sign-in history")


def menu_mock(stage: Stage) -> str:
    """A small picture of the screens on the way to "Register authenticator app"."""
    crumbs = len(stage.info.menu) or len(MENU_PATH)
    trail = " &gt; ".join(
        f"<b>{html.escape(part)}</b>" if i < crumbs else html.escape(part)
        for i, part in enumerate(MENU_PATH)
    )
    if stage == Stage.OPEN_SETTINGS:
        body = _menu("☰ Menu", _MAIN_MENU, "Settings")
    elif stage == Stage.OPEN_SECURITY:
        body = _menu("Settings", _SETTINGS, "Security")
    else:
        body = _menu("Security", _SECURITY, "Two-factor authentication") + (
            '<div style="margin:6px 0 0 16px">Authenticator App '
            f'<span class="otpkit-mock-button" style="{colours(MOCK_CHOSEN)};'
            'border:1px solid #1e7b34;border-radius:6px;padding:2px 8px">'
            "Register authenticator app</span></div>"
        )
    return (
        f'<div class="otpkit-menu-mock" style="{colours(MOCK)};padding:4px 8px;'
        f'border-radius:6px;width:fit-content"><small>{trail}</small>{body}</div>'
    )


def _menu(title: str, items: tuple[str, ...], chosen: str) -> str:
    rows = "".join(
        f'<li style="{colours(MOCK_CHOSEN) + ";font-weight:bold" if item == chosen else ""}">'
        f"{html.escape(item)}{' ◀' if item == chosen else ''}</li>"
        for item in items
    )
    return (
        '<div style="border:1px solid #767676;border-radius:6px;width:260px;margin-top:4px">'
        f'<div style="{colours(MOCK_TITLE)};padding:2px 8px"><b>{html.escape(title)}</b></div>'
        f'<ul style="list-style:none;margin:0;padding:4px 8px">{rows}</ul></div>'
    )


def launch_link(uri: str) -> str:
    """The "Launch App" button: an otpauth:// link the phone's app opens."""
    return (
        f'<a class="otpkit-launch-app otpkit-button" href="{html.escape(uri, quote=True)}" '
        f'style="{button_style()}">Launch App</a>'
    )


def download_link(file_name: str, text: str) -> str:
    """A button that saves ``text`` as ``file_name``: an ``<a download>`` with a data: URL, so it
    works with no server, styled as a button."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a class="otpkit-download-link otpkit-button" '
        f'download="{html.escape(file_name, quote=True)}" '
        f'href="data:text/plain;base64,{payload}" style="{button_style()}">'
        f"⬇ Download {html.escape(file_name)}</a>"
    )


def backup_codes(codes: list[str]) -> str:
    """The codes as the server's dialog lists them: #1..#5, each selectable."""
    rows = "".join(
        f"<li>#{n} <code style='user-select:all'>{html.escape(code)}</code></li>"
        for n, code in enumerate(codes, start=1)
    )
    return f'<ul class="otpkit-backup-codes" style="list-style:none;padding-left:0">{rows}</ul>'


def offset_words(offset: int, period: int) -> str:
    """What a step offset means in time, for a verdict."""
    if offset == 0:
        return "offset +0: the server's current time step"
    steps = "step" if abs(offset) == 1 else "steps"
    if offset < 0:
        return (
            f"offset {offset:+d}: {-offset} {steps} before the server's current one "
            f"(a code about {-offset * period} s old, or a phone clock that is behind)"
        )
    return (
        f"offset {offset:+d}: {offset} {steps} ahead of the server's current one "
        "(the phone's clock is ahead of the server's)"
    )


def stored_table(stored: dict[str, Any]) -> str:
    """``Server.stored(username)`` as a table; the bcrypt hash is shortened to its cost prefix.

    JupyterLab typesets text between two dollar signs in HTML output as maths, which would turn
    ``$2b$08$`` into a formula: see ``_text``.
    """
    rows = []
    for key, value in stored.items():
        if key == "password_hash" and isinstance(value, str):
            shown = f"{_text(value[:7])}… (bcrypt, {len(value)} characters, salted)"
        elif isinstance(value, list):
            shown = "<br>".join(f"<code>{_text(v)}</code>" for v in value) or "(none)"
        elif value is None:
            shown = "<i>none</i>"
        else:
            shown = f"<code>{_text(value)}</code>"
        rows.append(f"<tr><td><b>{_text(key)}</b></td><td>{shown}</td></tr>")
    return f'<table class="otpkit-stored">{"".join(rows)}</table>'


def _text(value: object) -> str:
    """``value`` as HTML text that JupyterLab shows as written: escaped, and no ``$`` maths.

    Each ``$`` becomes ``<span>&#36;</span>``. The entity alone is not enough: JupyterLab's
    MathJax reads the page after the browser has turned ``&#36;`` back into ``$``; but it never
    pairs delimiters across elements, so a dollar alone in its own span starts no formula.
    """
    return html.escape(str(value)).replace("$", "<span>&#36;</span>")


def refusal(exc: Any, headline: str | None = "Refused") -> str:
    """An error in two labelled voices: what the server itself answered, then the kit's
    explanation (which no real server sends). ``headline=None`` leaves the headline out (the
    wizard's verdict says it already)."""
    answer = exc.answer
    whose = "The server" if not answer.is_real else html.escape(answer.who)
    said = html.escape(answer.describe().split(" answered ", 1)[1])
    note = "" if answer.is_real else " (made up by otpkit: no real server has this error)"
    explains = html.escape(exc.message)
    if explains and explains[-1] not in ".!?":
        explains += "."
    head = f"<b>✗ {html.escape(headline)}.</b><br>" if headline else ""
    return (
        f"{head}<b>{whose} answered:</b> <code>{said}</code>{note}<br>"
        f"<b>otpkit explains:</b> {explains}"
    )


def message(text: str, kind: str = "info") -> str:
    """A message box: ``kind`` is "info", "ok", "error" or "note". Errors are announced to
    screen readers at once (role alert), the others politely (role status)."""
    role = "alert" if kind == "error" else "status"
    return (
        f'<div class="otpkit-message-{kind} otpkit-box" role="{role}" '
        f'style="{box_style(kind)}">{text}</div>'
    )


def server_log(events: list[Any], lines: int = 4) -> str:
    """The last ``lines`` lines of the server's log, newest last; each line stays one line (the
    full text is its tooltip), so the log never grows the page."""
    shown = events[-lines:]
    if not shown:
        return "<small>Server log: no requests yet.</small>"
    rows = "".join(
        f'<li title="{html.escape(f"{e.kind}: {e.message}", quote=True)}">'
        f"<code>{html.escape(e.kind)}</code> {html.escape(e.message)}</li>"
        for e in shown
    )
    return (
        f"<small>Server log, newest last ({len(events)} in all):"
        f'<ul style="margin:0;padding-left:16px">{rows}</ul></small>'
    )
