"""The lessons' one story, in one place: the clock time, the seed, the account and its password.

Every notebook, the wizard, the presenter and the terminal walkthrough start from these, so the
same secret and the same codes appear everywhere. ``DemoRandom`` is for lessons only.
"""

from __future__ import annotations

AT = 1_700_000_000  # 2023-11-14 22:13:20 UTC: the lessons' clock stands here
SEED = 7
USER = "alice"
PASSWORD = "correct horse battery staple"
HOST = "misskey.example"
MINUTE = 60.0
HOUR = 3_600.0
DAY = 86_400.0
YEAR = 365.25 * DAY
