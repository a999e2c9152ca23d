"""The nine stages of Misskey's how-to guide, in one table that every view reads.

The flow (what each stage does), the wizard and the presenter (what the learner does, what the
server does, what to do on one's own phone), the terminal walkthrough and the menu mock all take
their text from ``STAGES`` here, so a stage is described once.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from ..server.policy import Policy

MENU_PATH = ("Settings", "Security", "Two-factor authentication", "Authenticator App")


class Stage(enum.IntEnum):
    """The nine stages of Misskey's how-to guide, then DONE."""

    INSTALL_APP = 1
    OPEN_SETTINGS = 2
    OPEN_SECURITY = 3
    REGISTER_APP = 4
    ENTER_PASSWORD = 5
    SET_UP_APP = 6
    READ_CODE = 7
    ENTER_CODE = 8
    DOWNLOAD_BACKUP_CODES = 9
    DONE = 10

    @property
    def info(self) -> StageInfo:
        return STAGES[self]

    @property
    def title(self) -> str:
        return STAGES[self].title

    @property
    def explanation(self) -> str:
        return STAGES[self].why


def _nothing(_: Policy) -> str:
    return ""


@dataclass(frozen=True)
class StageInfo:
    """One stage: its title, why it exists, what the learner does (``you``, simple HTML), what
    to do on one's own phone in live mode, the menu path reached, the flow's method for it, and
    what the server does under a policy (``server(policy)``, with that policy's numbers)."""

    title: str
    why: str
    you: str
    action: str = ""
    live_phone: str = ""
    menu: tuple[str, ...] = ()
    server: Callable[[Policy], str] = _nothing


def _password(policy: Policy) -> str:
    return (
        "Checks the password against its bcrypt hash. If it matches, draws "
        f"{policy.secret_nbytes} random bytes, keeps them as a <b>pending</b> secret (base32 "
        "text), and sends back the QR image, the otpauth URL and the secret."
    )


def _confirm(policy: Policy) -> str:
    window, guard = policy.confirm_window, policy.used_step_guard
    marks = (
        f" It marks that time step as used for {guard.ttl:g} s, so the same code cannot sign in."
        if guard is not None
        else ""
    )
    return (
        "Removes white space, then compares the code with those of "
        f"{2 * window + 1} time steps (offsets -{window}..+{window}) around its own time. "
        f"On a match it turns 2FA on and makes {policy.backup.count} backup codes.{marks}"
    )


def _backup(policy: Policy) -> str:
    return (
        f"Keeps the backup codes ({policy.backup.storage} storage); the browser writes the file "
        "itself, so the download asks nothing of the server."
    )


STAGES: dict[Stage, StageInfo] = {
    Stage.INSTALL_APP: StageInfo(
        "Install an authenticator app",
        "The phone needs an app that keeps secrets and turns the time into six-digit codes.",
        "Choose the authenticator app to install on the phone.",
        action="install_app",
        live_phone="Install an authenticator app on your own phone.",
        server=lambda _: "Nothing yet: installing an app happens on the phone alone.",
    ),
    Stage.OPEN_SETTINGS: StageInfo(
        "Open Settings",
        "In Misskey, the menu button leads to Settings, where the account is managed.",
        "Open the menu and choose Settings.",
        action="open_settings",
        menu=MENU_PATH[:1],
        server=lambda _: "Serves the settings pages; the account does not change.",
    ),
    Stage.OPEN_SECURITY: StageInfo(
        "Open Security",
        "The Security section holds the password and the two-factor options.",
        "In Settings, choose Security.",
        action="open_security",
        menu=MENU_PATH[:2],
        server=lambda _: "Serves the Security page; the account does not change.",
    ),
    Stage.REGISTER_APP: StageInfo(
        'Choose "Register authenticator app"',
        "Under Two-factor authentication > Authenticator App, this starts the set-up.",
        "Under Two-factor authentication &gt; Authenticator App, press "
        "<b>Register authenticator app</b>.",
        action="choose_register",
        menu=MENU_PATH,
        server=lambda _: (
            "Nothing is stored yet: the button opens a dialog that asks for the password."
        ),
    ),
    Stage.ENTER_PASSWORD: StageInfo(
        "Re-enter the password",
        "The server asks for the password again, then makes a new secret and keeps it pending.",
        "Type the account's password again.",
        action="enter_password",
        server=_password,
    ),
    Stage.SET_UP_APP: StageInfo(
        "Set up the app",
        "The secret travels to the app as an otpauth:// link, or as a QR code that holds it.",
        "Scan the QR code with the app, or, on the phone itself, press <b>Launch App</b>. "
        "Desktop programs take the URL in the box.",
        action="set_up_app",
        live_phone="Scan the QR code with your phone's app.",
        server=lambda _: "Has sent the QR code and the URL; it waits for a code made from them.",
    ),
    Stage.READ_CODE: StageInfo(
        "Read the one-time password",
        "The app mixes the secret with the current 30-second step; the code soon changes.",
        "Read the code the app shows. It expires quickly: a new one every 30 seconds.",
        action="read_code",
        live_phone="Your app shows a new code every 30 seconds.",
        server=lambda _: (
            "Nothing: the app makes codes offline from the secret and its own "
            "clock. The server will do the same sum when the code arrives."
        ),
    ),
    Stage.ENTER_CODE: StageInfo(
        "Enter the code and press Continue",
        "The server computes the same codes around its own time; a match proves the app has "
        "the secret.",
        "Type the code and press <b>Continue</b>.",
        action="enter_code",
        live_phone="Type the code your app shows now.",
        server=_confirm,
    ),
    Stage.DOWNLOAD_BACKUP_CODES: StageInfo(
        "Download the backup codes",
        "Five single-use codes for the day the phone is lost; they are shown only this once.",
        "Download the backup codes and keep them away from the phone. They are the last resort "
        "when the app is gone, and they will not be shown again.",
        action="download_backup_codes",
        server=_backup,
    ),
    Stage.DONE: StageInfo(
        "Done",
        "Two-factor authentication is on: sign-in now asks for a code after the password.",
        "Nothing more: from now on, sign-in asks for a code after the password.",
        server=lambda _: "Stores what the table on the left shows.",
    ),
}
