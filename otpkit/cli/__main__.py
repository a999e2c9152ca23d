"""``python -m otpkit.cli``: the ``otpkit`` command without its console script."""

import sys

from .command import main

sys.exit(main())
