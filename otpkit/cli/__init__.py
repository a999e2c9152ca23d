"""The ``otpkit`` command, for a terminal and for a room.

What's where:

- ``command``: ``main``, the console script's entry point (also ``python -m otpkit.cli``); it
  turns every failure into one line on stderr and an exit status.
- ``arguments``: the options of ``otpkit walkthrough`` and ``otpkit present``, each checked by its
  own type (a time, an offset, a seed, a port, a policy, an app).
- ``walkthrough``: the nine enrollment stages printed as the user, the server and the phone act.
- ``present``: presenter mode, notebook 07 served by Voila on 127.0.0.1 for a room.
- ``terminal``: writing to terminals that cannot show every character, and to closed pipes.

This is the top layer beside ``widgets``: it imports the core, the server and the enrollment, and
nothing imports it.
"""

from __future__ import annotations

from .command import main

__all__ = ["main"]
