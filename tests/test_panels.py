"""The HTML pieces of otpkit.widgets.panels: what JupyterLab will show of them."""

from __future__ import annotations

import re
from html import unescape

from otpkit.exercises import Lesson
from otpkit.widgets import panels


def test_stored_table_has_no_dollar_for_jupyterlab_to_typeset():
    stored = Lesson().enrolled().server.stored("alice")
    assert stored["password_hash"].startswith("$2b$08$")
    table = panels.stored_table(stored)
    # Two dollar signs in HTML output are a formula to JupyterLab, even written as &#36;: each
    # must stand alone in its own element (checked in JupyterLab 4.6 with Chromium).
    assert "$" not in table
    dollar = "<span>&#36;</span>"
    assert f"{dollar}2b{dollar}08{dollar}… (bcrypt, 60 characters, salted)" in table
    shown = unescape(re.sub(r"<[^>]+>", "", table))
    assert "$2b$08$… (bcrypt" in shown
    assert stored["password_hash"] not in shown


def test_stored_table_escapes_every_value_it_shows():
    table = panels.stored_table(
        {"username": "<b>x</b>", "note": "costs $5 or $6", "backup_codes": ["a&b"], "secret": None}
    )
    assert "<b>x</b>" not in table and "&lt;b&gt;x&lt;/b&gt;" in table
    assert "costs <span>&#36;</span>5 or <span>&#36;</span>6" in table and "a&amp;b" in table
    assert "<i>none</i>" in table
    assert "(none)" in panels.stored_table({"backup_codes": []})
