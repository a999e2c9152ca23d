"""The server's public verbs, thin as Misskey's endpoints: sign_up, register (i/2fa/register),
confirm (i/2fa/done), unregister (i/2fa/unregister) and sign_in (signin).

Each verb checks its arguments at the door, reads the clock once, and leaves the work to the
small parts its policy names (checks, two_factor, throttle, used_steps, answers, events).
"""

from __future__ import annotations

from .enrollment import Enrollment
from .signin import SignIn


class Server(Enrollment, SignIn):
    """A server that enrolls authenticator apps and signs users in, following ``policy``."""
