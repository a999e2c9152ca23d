"""Exercises of notebook 06, Authenticator apps: which app reads which otpauth parameters, which
app and server pairs fail, and what Misskey answers when an app's code cannot match.

Every answer comes from a real enrollment (``otpkit.compat.try_app``) or from the app's profile
(``otpkit.apps``), the kit's models of published app behaviour.
"""

from __future__ import annotations

from ..core.errors import UnsupportedByApp
from ..core.otp import OtpParams
from ..core.uri import KeyUri
from ..enrollment import apps
from ..enrollment.apps import AppProfile
from ..enrollment.compat import Outcome, server_variants, try_app
from ..server.policy import MISSKEY
from .core import ChoiceExercise, MatchExercise
from .lesson import Lesson
from .registry import exercise

# The pairs of exercise 06.2: a short name a learner can type -> (app, server variant).
PAIRS: dict[str, tuple[AppProfile, str]] = {
    "google/sha256": (apps.GOOGLE_AUTHENTICATOR, "SHA256"),
    "google/60s": (apps.GOOGLE_AUTHENTICATOR, "60 s"),
    "legacy/60s": (apps.GOOGLE_AUTHENTICATOR_LEGACY, "60 s"),
    "authy/8digits": (apps.AUTHY, "8 digits"),
    "authy/80bit": (apps.AUTHY, "80-bit secret"),
    "freeotp/60s": (apps.FREEOTP, "60 s"),
}


def enroll(lesson: Lesson, app: AppProfile, server: str) -> Outcome:
    """``app`` enrolling on the lesson's server changed as ``server`` names (see
    ``compat.server_variants``; "SHA1/6/30" is today's Misskey as it is)."""
    return try_app(app, server_variants()[server], server, at=lesson.at, seed=lesson.seed)


@exercise("06.1")
def legacy_reads_sha256(lesson: Lesson) -> ChoiceExercise:
    app = apps.GOOGLE_AUTHENTICATOR_LEGACY
    key = KeyUri(
        secret=lesson.secret,
        account=lesson.user,
        issuer=lesson.host,
        params=OtpParams(algorithm="SHA256"),
    )
    try:
        params, ignored = app.reading_of(key)
        answer = "sha256" if params.algorithm == "SHA256" else "sha1"
        what = f"it keeps the secret and ignores {'; '.join(ignored)}" if ignored else ""
    except UnsupportedByApp as exc:
        answer, what = "refuses", exc.message
    options = {
        "refuses": "the app refuses to add the account",
        "sha256": "the app uses SHA256, and its codes match the server's",
        "sha1": "the app adds the account but uses SHA1, so its codes never match",
    }
    wrong = {
        "refuses": "a refusal would be the kinder failure, but this app never looks at the "
        "algorithm: it reads the secret alone",
        "sha256": "only apps that read the algorithm parameter use it; this one does not",
        "sha1": "that is the silent failure: the codes look fine and are always wrong",
    }
    return ChoiceExercise(
        id="06.1",
        prompt=(
            f"{app.title} scans a QR code whose otpauth URI says algorithm=SHA256. What happens? "
            + "; ".join(f"{k}: {v}" for k, v in options.items())
            + "."
        ),
        hint_text=f"The kit's profile of this app (printed above): {app.note}",
        why=f"By the kit's profile of {app.title}: {what}.",
        options=options,
        answer=answer,
        wrong={k: v for k, v in wrong.items() if k != answer},
    )


@exercise("06.2")
def pairs_that_fail(lesson: Lesson) -> MatchExercise:
    outcomes = {name: enroll(lesson, app, server) for name, (app, server) in PAIRS.items()}
    reasons = {}
    for name, o in outcomes.items():
        if o.ok:
            reasons[name] = f"{o.app} reads what the {o.server} server asks for: the codes match."
        else:
            reasons[name] = f"{o.app} on the {o.server} server: {o.reason}."
    failing = [n for n, o in outcomes.items() if not o.ok]
    return MatchExercise(
        id="06.2",
        prompt=(
            "Before running the table: which of these app/server pairs fail to enroll? Each "
            "server is today's Misskey with one change (google = Google Authenticator, legacy = "
            "its legacy Android version). Answer "
            + ", ".join(f"{n}=..." for n in PAIRS)
            + ", each with works or fails."
        ),
        hint_text=(
            "Read each app's note above: does it honour the parameter the server changed, "
            "ignore it (its codes then never match), or refuse the account?"
        ),
        why=(
            "Fail: "
            + ", ".join(failing)
            + ". "
            + " ".join(reasons[n] for n in failing)
            + " The others work: each app reads what its server changed."
        ),
        expected={name: "works" if o.ok else "fails" for name, o in outcomes.items()},
        values={"works": "enrollment works", "fails": "enrollment fails"},
        reasons=reasons,
    )


@exercise("06.3")
def what_misskey_answers(lesson: Lesson) -> ChoiceExercise:
    outcome = enroll(lesson, apps.GOOGLE_AUTHENTICATOR_LEGACY, "SHA256")
    assert outcome.answer is not None, "the legacy app's SHA1 code must be refused"
    answer = outcome.answer
    options = {
        "403": "HTTP 403 with an error id that means a wrong code",
        "500": "HTTP 500 INTERNAL_ERROR, the reason only inside the error's details",
        "400": "HTTP 400 INVALID_PARAM, as for a code that is not well formed",
    }
    wrong = {
        "403": "403 with an error id (cdf1235b-...) is what the sign-in endpoint answers; the "
        "enrollment endpoint i/2fa/done throws a plain Error, which Misskey's API turns into a "
        "500",
        "400": "the code is six digits, well formed; it is just the wrong six digits",
        "500": "i/2fa/done throws a plain Error, which Misskey's API turns into a 500",
    }
    key = str(answer.status)
    assert key in options, f"Misskey's answer {answer.describe()} is not among the options"
    return ChoiceExercise(
        id="06.3",
        prompt=(
            f"On a server like {MISSKEY.title} but issuing SHA256, Alice types the code her "
            f"{apps.GOOGLE_AUTHENTICATOR_LEGACY.title} shows and presses Continue "
            "(i/2fa/done). What does the server answer? "
            + "; ".join(f"{k}: {v}" for k, v in options.items())
            + "."
        ),
        hint_text=(
            "A wrong code at sign-in and a wrong code at enrollment go through different "
            "endpoints, and only the sign-in endpoint has its own error ids."
        ),
        why=(
            f"{answer.describe()}. The user sees an internal error and nothing about SHA256: "
            f"the reason ({answer.message!r}) is only in the error's details."
        ),
        options=options,
        answer=key,
        wrong={k: v for k, v in wrong.items() if k != key},
    )
