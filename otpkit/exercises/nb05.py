"""Exercises of notebook 05, Attacks and defences: the odds of guessing, a replay against each
Misskey, a phisher's deadline, and which defence stops which attack.

Every answer is measured by the kit (closed forms from the policies, or attacks played on
simulated servers at the lesson's clock and seed), never typed in.
"""

from __future__ import annotations

from .. import attacks
from ..attacks.race import demonstrate_backup_race
from ..core.report import duration
from ..server.policy import HARDENED, MISSKEY, MISSKEY_2025, Policy
from .core import MatchExercise, NumberExercise
from .lesson import Lesson
from .registry import exercise

REPLAY_DELAY = 40  # seconds between the victim's sign-in and the replay, in 05.2
PHASE = 10  # seconds into its step at which the victim types the code, in 05.4
BOTNET = 10_000  # addresses of the attacker with a botnet, in 05.3


@exercise("05.1")
def odds_per_hour(lesson: Lesson) -> NumberExercise:
    today = attacks.guessing_odds(MISSKEY)
    old = attacks.guessing_odds(MISSKEY_2025)
    s, v, d = today.accepted, today.guesses_per_hour, today.digits
    p = attacks.rfc4226_odds(s, v, d)
    return NumberExercise(
        id="05.1",
        prompt=(
            f"{MISSKEY.title} accepts the code of its own time step and {MISSKEY.window} step "
            f"each way, and lets one IP address send {v:g} sign-in requests an hour. With "
            f"RFC 4226's P = s·v/10^d, what is the chance that one address guesses its way in "
            f"within an hour? (Type it as a decimal or like 1e-5.)"
        ),
        hint_text=(
            f"s = 2 × window + 1 codes are good at any moment; v = {v:g} guesses; d = {d} digits."
        ),
        why=(
            f"s = 2 × {today.window} + 1 = {s}, v = {v:g}, d = {d}: P = {s} × {v:g} / 10^{d} "
            f"= {p:.1e} per hour, from one address."
        ),
        answer=p,
        tolerance=p * 0.02,
        misses=(
            (
                old.p_hour,
                f"that is {MISSKEY_2025.title}'s: window {old.window} made s = {old.accepted}; "
                f"today's window is {today.window}",
            ),
            (today.p_guess, f"that is the chance of one guess; an hour holds v = {v:g} of them"),
            (
                attacks.rfc4226_odds(1, v, d),
                f"s counts every code accepted at once: 2 × {today.window} + 1 = {s}, not 1",
            ),
        ),
    )


def _replays(lesson: Lesson) -> dict[str, attacks.Replay]:
    return {
        p.name: attacks.replay_on_server(p, (REPLAY_DELAY,), at=lesson.at, seed=lesson.seed)[0]
        for p in (MISSKEY, MISSKEY_2025)
    }


@exercise("05.2")
def replay_forty_seconds_later(lesson: Lesson) -> MatchExercise:
    replays = _replays(lesson)
    verdict = {name: "accepted" if r.accepted else "refused" for name, r in replays.items()}
    guard = MISSKEY.used_step_guard
    assert guard is not None
    reasons = {
        "misskey": (
            f"{MISSKEY.title}: {replays['misskey'].outcome}. The code's step is still inside "
            f"its window {REPLAY_DELAY} s later, but the used-step guard marked that step used "
            f"for {guard.ttl:g} s when the victim signed in."
            if not replays["misskey"].accepted
            else f"{MISSKEY.title}: {replays['misskey'].outcome}."
        ),
        "misskey-2025": (
            f"{MISSKEY_2025.title}: {replays['misskey-2025'].outcome}. It keeps no record of "
            f"used codes, and {REPLAY_DELAY} s is well inside its window of "
            f"{MISSKEY_2025.window} steps each way."
            if replays["misskey-2025"].accepted
            else f"{MISSKEY_2025.title}: {replays['misskey-2025'].outcome}."
        ),
    }
    return MatchExercise(
        id="05.2",
        prompt=(
            f"Alice signs in with a code; someone who saw it sends the same code {REPLAY_DELAY} s "
            f"later. Does each Misskey accept it? misskey = {MISSKEY.title}, misskey-2025 = "
            f"{MISSKEY_2025.title}. Answer like misskey=refused, misskey-2025=accepted."
        ),
        hint_text=(
            "Two questions for each: is the code's time step still inside the window "
            f"{REPLAY_DELAY} s later, and does the server remember that the step was used?"
        ),
        why=" ".join(reasons[name] for name in ("misskey", "misskey-2025")),
        expected=verdict,
        values={"accepted": "accepted", "refused": "refused"},
        reasons=reasons,
    )


@exercise("05.3")
def match_attack_to_defence(lesson: Lesson) -> MatchExercise:
    at, seed = lesson.at, lesson.seed
    # The evidence, measured on simulated servers; each reason quotes it.
    today, old = (attacks.guessing_odds(p) for p in (MISSKEY, MISSKEY_2025))
    backed_off = attacks.guessing_odds(HARDENED, ips=BOTNET)
    botnet = attacks.guessing_odds(MISSKEY, ips=BOTNET)
    replays = _replays(lesson)
    relay = attacks.relay_on_server(MISSKEY, phases=(0,), at=at, seed=seed)
    plain, hashed = (attacks.leak_through_storage(p, at, seed) for p in (MISSKEY, HARDENED))
    photo = attacks.leak_through_qr(HARDENED, later=(attacks.YEAR,), at=at, seed=seed)
    racy, atomic = (_race(p, at, seed) for p in (MISSKEY, HARDENED))
    assert not replays["misskey"].accepted and replays["misskey-2025"].accepted
    assert relay.deadlines[0] > 0 and all(photo.accepted)
    assert plain.backup_codes_that_work > hashed.backup_codes_that_work == 0
    assert racy and not atomic
    reasons = {
        "guessing": (
            f"guessing is a numbers game: {MISSKEY.title} gives one address a 50% chance only "
            f"after {duration(today.hours_to_half * attacks.HOUR)} ({MISSKEY_2025.title}: "
            f"{duration(old.hours_to_half * attacks.HOUR)}); with {BOTNET:,} addresses it is "
            f"{duration(botnet.hours_to_half * attacks.HOUR)}, while a per-account back-off "
            f"keeps it at {duration(backed_off.hours_to_half * attacks.HOUR)}"
        ),
        "replay": (
            f"a code replayed {REPLAY_DELAY} s later: {MISSKEY_2025.title} "
            f"{replays['misskey-2025'].outcome}, {MISSKEY.title} {replays['misskey'].outcome} "
            "(its used-step guard)"
        ),
        "relay": (
            f"the phisher's use is the first use, so no guard sees a replay: even {MISSKEY.title} "
            f"accepts the relayed code for up to {relay.deadlines[0] - 1} s; only sign-in bound "
            "to the site's origin (WebAuthn, passkeys) stops it"
        ),
        "database": (
            f"stolen backup-code entries that sign in: {plain.backup_codes_that_work} of "
            f"{len(plain.stolen_backup_codes)} kept in plain text ({MISSKEY.title}), "
            f"{hashed.backup_codes_that_work} of {len(hashed.stolen_backup_codes)} kept hashed"
        ),
        "qr-photo": (
            "a photo of the QR code holds the secret: codes computed from it a year later still "
            f"sign in, even on {HARDENED.title}, because they are the right codes; only a new "
            "secret (enrol the app again) makes the photo useless"
        ),
        "backup-race": (
            f"two sign-ins slipped between the read and the write of the code list: "
            f"{MISSKEY.title} lets both in with one backup code; a server that uses the code "
            "atomically (one transaction) lets only one in"
        ),
    }
    expected = {
        "guessing": "limit",
        "replay": "guard",
        "relay": "webauthn",
        "database": "hash",
        "qr-photo": "re-enrol",
        "backup-race": "atomic",
    }
    return MatchExercise(
        id="05.3",
        prompt=(
            "Match each attack to the defence that stops it. Attacks: guessing (random codes), "
            "replay (a used code sent again), relay (a phishing page passes the code on at "
            "once), database (a copy of what the server stores), qr-photo (a photo of the "
            "enrollment QR code), backup-race (two sign-ins with one backup code at the same "
            "moment). Answer like guessing=limit, replay=guard, ..."
        ),
        hint_text=(
            "Ask of each attack: is the code the attacker sends new to the server, or already "
            "used? Does it come from the secret itself? Does it need many tries?"
        ),
        why="; ".join(f"{item}: {why}" for item, why in reasons.items()) + ".",
        expected=expected,
        values={
            "limit": "rate limit or back-off",
            "guard": "used-step guard",
            "webauthn": "nothing in TOTP: needs WebAuthn or passkeys",
            "hash": "hashed backup codes",
            "re-enrol": "re-enrolment with a new secret",
            "atomic": "atomic use of backup codes",
        },
        reasons=reasons,
    )


def _race(policy: Policy, at: float, seed: int) -> bool:
    """Whether two racing sign-ins both get in with one backup code."""
    victim = attacks.enrolled(policy, at, seed)
    first, second = demonstrate_backup_race(
        victim.server, attacks.USER, attacks.PASSWORD, victim.backup_codes[0]
    )
    return bool(first.ok and getattr(second, "ok", False))


@exercise("05.4")
def relay_deadline(lesson: Lesson) -> NumberExercise:
    today = attacks.relay_on_server(MISSKEY, phases=(PHASE,), at=lesson.at, seed=lesson.seed)
    old = attacks.relay_on_server(MISSKEY_2025, phases=(PHASE,), at=lesson.at, seed=lesson.seed)
    deadline, period, window = today.deadlines[0], today.period, today.window
    guard = MISSKEY.used_step_guard
    assert guard is not None
    return NumberExercise(
        id="05.4",
        prompt=(
            f"On a phishing page, Alice types the code {PHASE} s into its {period}-second step. "
            f"The attacker relays it to {MISSKEY.title} (window {window}). From the moment she "
            "typed it, within how many seconds must the relay arrive?"
        ),
        hint_text=(
            f"The code stays good until the end of step +{window}: that is (window + 1) × "
            f"{period} s after its own step began. She typed it {PHASE} s in."
        ),
        why=(
            f"({window} + 1) × {period} − {PHASE} = {deadline} s: measured on a simulated "
            f"server, a relay {deadline - 1} s later is accepted and one {deadline} s later "
            f"refused. The used-step guard does not help: Alice's code never reached the server."
        ),
        answer=deadline,
        tolerance=1,
        unit="s",
        misses=(
            (old.deadlines[0], f"that is {MISSKEY_2025.title}'s, with window {old.window}"),
            (
                (window + 1) * period,
                f"that counts from the start of the step; she typed the code {PHASE} s into it",
            ),
            (
                period - PHASE,
                f"that is only what is left of the code's own step; the window of {window} "
                "accepts it in the next step too",
            ),
            (guard.ttl, "that is how long the used-step guard remembers a used step"),
        ),
    )
