"""Doing a stage through the flow, and saying why when the server (or the flow) refuses.

A refusal is told in the kit's usual two voices (what the server answered, what otpkit explains,
see ``panels.refusal``); at stage 8 the wizard's verdict comes first and says what the code
was. When the refusal is not the learner's doing (another setup for the same account registered
again, or finished first), the wizard says so and offers the way out: Back to stage 5.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..core.errors import InvalidToken, OtpkitError, RateLimited, SetupNotStarted, TokenReplayed
from ..core.otp import is_well_formed_code
from ..enrollment.flow import EnrollmentFlow, Stage
from . import panels

if TYPE_CHECKING:
    from .wizard import EnrollmentWizard

SEARCH = 40  # steps each way that a refused code is looked for, to say which step it was

# When another setup for the same account (another wizard, another browser tab) registered again
# or finished meanwhile, this flow's QR code is void: its codes can never be accepted.
REPLACED = (
    "<b>The setup was restarted meanwhile.</b> Another setup for this account (another wizard "
    "or browser tab) pressed Register again, so the server now waits for a code from a newer QR "
    "code; the one this phone scanned is void. Press <b>◀ Back</b> to return to stage 5 and "
    "enter the password again: the server issues a new secret and shows a new QR code."
)
FINISHED_ELSEWHERE = (
    "<b>Another setup finished first.</b> Two-factor authentication is on for this account, "
    "with the app that setup registered, and the QR code this phone scanned is void. Press "
    "<b>◀ Back</b> to return to stage 5: with the password and a code from the registered app "
    "(or one of its backup codes), the server issues a new secret for this phone."
)
ALREADY_ON = (
    "<b>Two-factor authentication is already on</b> (another setup finished first, or an "
    "earlier session did): type a code from the registered app, or a backup code, in the "
    "<b>2FA code</b> box as well."
)


def perform(wizard: EnrollmentWizard, stage: Stage, defaults: bool) -> bool:
    """Do ``stage`` through the wizard's flow; on an OtpkitError say why and return False."""
    flow = wizard.flow
    sent = flow.code if defaults else wizard.code_box.value  # the code, at stage 8
    try:
        if stage == Stage.INSTALL_APP:
            flow.install_app()
            wizard._say(f"{html.escape(flow.phone.app.title)} is installed.", "ok")
        elif stage == Stage.OPEN_SETTINGS:
            flow.open_settings()
            wizard._say("Settings is open.", "ok")
        elif stage == Stage.OPEN_SECURITY:
            flow.open_security()
            wizard._say("The Security section is open.", "ok")
        elif stage == Stage.REGISTER_APP:
            flow.choose_register()
            wizard._say("The set-up dialog asks for the password.", "ok")
        elif stage == Stage.ENTER_PASSWORD:
            _enter_password(wizard, defaults)
        elif stage == Stage.SET_UP_APP:
            method = wizard.method_choice.value
            entry = flow.set_up_app(method)
            how = "scanned the QR code" if method == "qr" else "opened the link"
            wizard._say(f"The app {how} and added {html.escape(entry.label)}.", "ok")
        elif stage == Stage.READ_CODE:
            code = flow.read_code()
            if not wizard.live_mode:
                wizard.code_box.value = code  # as if copied from the app
                wizard._say(f"The app shows {code}; it is copied into the code box.", "ok")
            else:
                wizard._say("Now type the code your phone shows.", "ok")
        elif stage == Stage.ENTER_CODE:
            _confirm(wizard, sent)
        elif stage == Stage.DOWNLOAD_BACKUP_CODES:
            name, _ = flow.download_backup_codes()
            wizard._say(f"The codes are saved as {html.escape(name)}.", "ok")
    except OtpkitError as exc:
        _refuse(wizard, stage, exc, sent)
        return False
    finally:
        wizard._show_side()
    return True


def _enter_password(wizard: EnrollmentWizard, defaults: bool) -> None:
    token = None if defaults else (wizard.token_box.value or None)
    wizard.flow.enter_password(None if defaults else wizard.password.value, token=token)
    wizard.password.value = wizard.token_box.value = ""  # never keep a secret in widget state
    also = ", and so is the code" if token else ""
    wizard._say(f"The password is right{also}. The server issued a new pending secret.", "ok")


def _confirm(wizard: EnrollmentWizard, token: str | None) -> None:
    flow = wizard.flow
    flow.enter_code(token)
    assert flow.confirmation is not None
    words = panels.offset_words(flow.confirmation.offset, wizard.server.policy.params.period)
    wizard.verdict.value = panels.message(f"<b>✓ Verified.</b> The code matched {words}.", "ok")
    count = len(flow.confirmation.backup_codes)
    wizard._say(f"Two-factor authentication is on, and the server made {count} backup codes.", "ok")


def _refuse(wizard: EnrollmentWizard, stage: Stage, exc: OtpkitError, sent: str | None) -> None:
    """Say why ``stage`` was refused: at stage 8 the verdict, then the two voices."""
    other = other_setup(wizard, stage, exc)
    if stage == Stage.ENTER_CODE and wizard.flow.stage == Stage.ENTER_CODE:
        reading = other or _reading(wizard, exc, sent)
        wizard.verdict.value = panels.message(
            "<b>✗ Not verified.</b>" + (f" {reading}" if reading else ""), "error"
        )
        wizard._say(panels.refusal(exc, headline=None), "error")
        return
    wizard._say(panels.refusal(exc) + (f"<br>{other}" if other else ""), "error")


def _reading(wizard: EnrollmentWizard, exc: OtpkitError, typed: str | None) -> str:
    """What the refused code was, when the two voices do not say it already."""
    flow = wizard.flow
    params = wizard.server.policy.params
    if isinstance(exc, (TokenReplayed, RateLimited)) or typed is None:
        return ""
    if not is_well_formed_code("".join(typed.split()), params.digits):
        return ""
    found = flow.offset_of(typed, search=SEARCH)
    window = wizard.server.policy.confirm_window
    if found is None:
        minutes = SEARCH * params.period / 60
        return (
            f"No time step within {minutes:g} minutes either way gives this code: it did not "
            "come from this QR code (a typo, or another account's code?)."
        )
    if abs(found) <= window:
        return ""
    return (
        f"This code belongs to {panels.offset_words(found, params.period)}; "
        f"the server accepts offsets -{window} to +{window}."
    )


def two_factor_on(wizard: EnrollmentWizard) -> bool:
    """Whether the wizard's account has 2FA on now (False when it cannot be read)."""
    try:
        return bool(wizard.server.stored(wizard.flow.username)["two_factor_enabled"])
    except OtpkitError:
        return False


def other_setup(wizard: EnrollmentWizard, stage: Stage, exc: OtpkitError) -> str | None:
    """Why a refusal is not the learner's doing, when another setup for the same account
    registered again or finished meanwhile; at stage 8 it also offers Back to stage 5."""
    flow = wizard.flow
    if not isinstance(exc, (InvalidToken, SetupNotStarted)):
        return None
    on = two_factor_on(wizard)
    if stage == Stage.ENTER_PASSWORD:
        return ALREADY_ON if on and not wizard.token_box.value else None
    reg = flow.registration
    if stage != Stage.ENTER_CODE or reg is None:
        return None
    try:
        if wizard.server.stored(flow.username)["pending_secret"] == reg.secret:
            return None
    except OtpkitError:
        return None
    wizard._redo_password = True
    return FINISHED_ELSEWHERE if on else REPLACED


def restart_at_password(wizard: EnrollmentWizard) -> None:
    """A fresh flow on the same server, phone and account, at stage 5 (stages 1 to 4 change
    nothing on the server): entering the password registers again, with a new QR code."""
    old = wizard.flow
    flow = EnrollmentFlow(old.server, old.phone, old.username, old.password)
    while flow.stage < Stage.ENTER_PASSWORD:
        flow.advance()
    wizard.flow = flow
    wizard._redo_password = False
    wizard.code_box.value = wizard.verdict.value = ""
    wizard._say(
        "Enter the password again: the server issues a new secret and shows a new QR code.",
        "info",
    )
    wizard.stage_view = Stage.ENTER_PASSWORD
