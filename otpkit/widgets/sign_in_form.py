"""A sign-in form for a real account (notebook 08's live section): password, code, Sign in.

The answer shows Misskey's reply and the kit's reading of it (``recovery.sign_in_report``).
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..enrollment import recovery
from ..server import Server


class SignInForm(widgets.VBox):
    """Sign ``username`` in on ``server``; Enter in the code box signs in too."""

    def __init__(self, server: Server, username: str, password: str = ""):
        super().__init__()
        self.server = server
        self.username = username
        self.password = widgets.Password(value=password, description="Password")
        self.token = widgets.Text(description="Code", placeholder="6 digits, or a backup code")
        self.button = widgets.Button(description="Sign in", button_style="primary")
        self.answer = widgets.HTML()
        self.button.on_click(lambda _: self.sign_in())
        self.add_class("otpkit-sign-in")
        self.children = [
            widgets.HTML(f"Signing in as <b>{html.escape(username)}</b>"),
            self.password,
            self.token,
            self.button,
            self.answer,
        ]

    def sign_in(self) -> None:
        report = recovery.sign_in_report(
            self.server, self.username, self.password.value, self.token.value.strip()
        )
        self.answer.value = f"<pre>{html.escape(str(report))}</pre>"
