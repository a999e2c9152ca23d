"""The simulated server: Misskey's endpoints over small parts that a policy names.

What's where (each module one idea, readable alone):

- ``endpoints``: ``Server``, made of ``enrollment`` (register, confirm, unregister: Misskey's
  i/2fa endpoints) and ``signin``, over ``base`` (clock, accounts, passwords, the token check
  in the policy's order, and what lessons read: warning, stored, backup download).
- ``checks``: every argument refused at the door (username rule, IP text, JS white space).
- ``two_factor``: a token on an account with 2FA: backup code first, else one-time password.
- ``verdict``: the pure TOTP verdict (matched step, offset, replay by last step).
- ``used_steps``: Misskey's used-step guard (2026.6+): ``2fa:used:...`` keys with an expiry.
- ``throttle``: the per-address limiter (every request counts) and the per-account back-off.
- ``answers``: what the real server answers for each refusal (status, error id, message).
- ``events``: the server's log and the watch on its clock.
- ``results``: the values the verbs hand back.

Notebooks 01, 04, 05 and 08 drive it; docs/misskey-sources.md cites Misskey for each behaviour.
"""

from .endpoints import Server
from .events import Event
from .results import Confirmation, Registration, SignInResult, SignUpResult

__all__ = ["Confirmation", "Event", "Registration", "Server", "SignInResult", "SignUpResult"]
