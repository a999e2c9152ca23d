"""Simulated attacks on two-factor sign-in, run against each Policy.

* online guessing: RFC 4226 section 6's odds, the time to a 50% chance of a break-in, a Monte
  Carlo check, and the same attack played against a real :class:`otpkit.Server`;
* exponential back-off: how many guesses one account can be sent per hour or day;
* replay of a code that was already used, and a real-time phishing relay;
* leaks: a photo of the enrollment QR code, and a copy of what the server stores.

The attacker is always assumed to know the password: these are attacks on the second factor.
Servers run on a :class:`otpkit.ManualClock` started at ``at`` and draw their secrets from
``DemoRandom(seed)``; the account is the lessons' one (``otpkit.demo``: alice and her password),
so with the lesson's ``at`` and ``seed`` the victim's secret is the one every notebook shows.
Guesses come from an injected ``numpy.random.Generator``. Nothing here reads the wall clock.
Bad input raises :class:`otpkit.errors.InvalidInput`.

Every result names the policy it was measured on twice: ``policy`` (its name, "misskey") and
``title`` (what a lesson shows, e.g. "Misskey 2026.6+"), so that a table or a figure can always
say which Misskey it is about.

What's where: ``odds`` (closed forms, back-off, the policies side by side), ``monte_carlo`` (the
check of the closed form), ``victim`` (the enrolled account and one attempt), ``online`` (guessing,
replay and relay against a real Server), ``leaks`` (QR photo, stolen storage, offline cracking),
``constants`` and ``checks``. Notebook 05 uses them; notebook 04 uses ``cracking_table``.
"""

from __future__ import annotations

from .constants import (
    AT,
    ATTACKER_IP,
    ATTACKER_RATE,
    DAY,
    HOUR,
    PASSWORD,
    USER,
    VICTIM_IP,
    YEAR,
)
from .leaks import (
    OfflineCrack,
    QrLeak,
    StorageLeak,
    cracking_table,
    leak_through_qr,
    leak_through_storage,
    offline_crack,
)
from .monte_carlo import (
    MonteCarlo,
    guessing_monte_carlo,
)
from .odds import (
    GuessingOdds,
    accepted_codes,
    backoff_guesses,
    guesses_per_hour,
    guessing_odds,
    guessing_table,
    per_ip_rate,
    policy_overview,
    rfc4226_odds,
)
from .online import (
    RelayWindow,
    Replay,
    ServerGuessing,
    guess_on_server,
    relay_on_server,
    replay_on_server,
)
from .victim import (
    Victim,
    attempt,
    cheap_hashing,
    days_later,
    enrolled,
)

__all__ = [
    "AT",
    "ATTACKER_IP",
    "ATTACKER_RATE",
    "DAY",
    "GuessingOdds",
    "HOUR",
    "MonteCarlo",
    "OfflineCrack",
    "PASSWORD",
    "QrLeak",
    "RelayWindow",
    "Replay",
    "ServerGuessing",
    "StorageLeak",
    "USER",
    "VICTIM_IP",
    "Victim",
    "YEAR",
    "accepted_codes",
    "attempt",
    "backoff_guesses",
    "cheap_hashing",
    "cracking_table",
    "days_later",
    "enrolled",
    "guess_on_server",
    "guesses_per_hour",
    "guessing_monte_carlo",
    "guessing_odds",
    "guessing_table",
    "leak_through_qr",
    "leak_through_storage",
    "offline_crack",
    "per_ip_rate",
    "policy_overview",
    "relay_on_server",
    "replay_on_server",
    "rfc4226_odds",
]
