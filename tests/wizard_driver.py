"""Driving the enrollment wizard in plain pytest, as a learner would: set values, click, press Enter.

Without a kernel, ``Button.click()`` runs the click handlers and setting ``.value`` runs the
observers; Enter in a text box is the "submit" message the browser sends, delivered here the way
the kernel delivers it.
"""

from __future__ import annotations

import re
from html import unescape

import otpkit
from otpkit import Stage
from otpkit.widgets.wizard import DEMO_PASSWORD

from .conftest import fast

POLICY = fast(otpkit.MISSKEY)  # the policy the wizard tests run under, with the cheapest bcrypt


def press_enter(box) -> None:
    """Enter in a Text or Password box: the browser sends ``{"event": "submit"}``."""
    box._handle_custom_msg({"event": "submit"}, [])


def text(html: str) -> str:
    """What the page shows: tags dropped, entities (such as ``&#36;`` for ``$``) read."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def feedback(wizard) -> str:
    """The text of the feedback area under the stage's action (verdict and message)."""
    return " ".join(text(child.value) for child in wizard.feedback.children)


def forward(wizard) -> None:
    """The one way forward at the stage shown: Continue at stage 8 until the code is verified,
    Next everywhere else."""
    if wizard.stage_view == Stage.ENTER_CODE == wizard.flow.stage:
        assert wizard.next_button.disabled
        wizard.continue_button.click()
    else:
        assert not wizard.next_button.disabled
        wizard.next_button.click()


def to_stage(wizard, stage: Stage, password: str = DEMO_PASSWORD) -> None:
    """Go forward (typing the password at stage 5) until ``stage`` is shown."""
    while wizard.stage_view < stage:
        before = (wizard.stage_view, wizard.flow.stage)
        if wizard.stage_view == Stage.ENTER_PASSWORD:
            wizard.password.value = password
        forward(wizard)
        assert (wizard.stage_view, wizard.flow.stage) != before, feedback(wizard)
