"""``python -m ledger``: the ``ledger`` command, for a Python whose scripts folder is not on PATH."""

import sys

from ledger.cli import main

sys.exit(main())
