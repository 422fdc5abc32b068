"""The ``fieldtotable`` command line: a thin layer over the Python API.

::

    fieldtotable run [SCENARIO] [--seed N] [--days N] [--json] [--set PATH=VALUE ...]
    fieldtotable report | validate | show | schema ...
    fieldtotable replicate | compare | sweep ...
    fieldtotable bench channels ...
    fieldtotable --version

:mod:`~fieldtotable.cli.main` builds the parser and runs a command;
:mod:`~fieldtotable.cli.run` holds the commands on one scenario,
:mod:`~fieldtotable.cli.experiment` the experiment commands,
:mod:`~fieldtotable.cli.bench` the benchmarks, :mod:`~fieldtotable.cli.outputs` the
report and export options and :mod:`~fieldtotable.cli.options` what they share (the
exit statuses among it). Every command calls the public API and presents what it
returns; no model logic lives here.
"""

from fieldtotable.cli.main import build_parser, main
from fieldtotable.cli.options import EXIT_BAD_INPUT, EXIT_OK, EXIT_STATUSES

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_STATUSES", "build_parser", "main"]
