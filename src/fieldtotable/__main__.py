"""``python -m fieldtotable``: the command line (see :mod:`fieldtotable.cli`)."""

from __future__ import annotations

import sys

from fieldtotable.cli import main

if __name__ == "__main__":
    sys.exit(main())
