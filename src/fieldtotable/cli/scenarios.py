"""The ``fieldtotable scenarios`` command: the built-in scenario library.

::

    fieldtotable scenarios [--json] [--wide]

Lists every built-in scenario (:func:`fieldtotable.scenario.builtin_scenario_descriptions`)
with its one-line description, in aligned columns
(:func:`fieldtotable.tables.listing.format_library`: a description wraps to fit 100
columns unless ``--wide``), or as JSON. Each name works
wherever a command takes a ``SCENARIO`` (``fieldtotable run scale_5x``) and in a
scenario file's ``extends: scale_5x``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from fieldtotable.cli.options import EXIT_OK, add_wide, table_width
from fieldtotable.scenario import builtin_scenario_descriptions
from fieldtotable.tables.listing import format_library

__all__ = ["add_scenarios_command", "format_library"]


def add_scenarios_command(commands: Any) -> None:
    """Add ``scenarios`` to the main parser's sub-commands.

    Parameters
    ----------
    commands
        What ``ArgumentParser.add_subparsers()`` returned.
    """
    listing = commands.add_parser(
        "scenarios",
        help="list the built-in scenarios with a one-line description each",
        description=(
            "List the scenarios shipped with the package, one per line: its name and "
            "what it is. Every command that takes a SCENARIO takes one of these names "
            "(a file of that name in the current folder wins), and a scenario file "
            "may start from one with 'extends: NAME'."
        ),
    )
    listing.add_argument(
        "--json",
        action="store_true",
        help='print a JSON list of {"name": ..., "description": ...} instead',
    )
    add_wide(listing, narrowed="wrapping the descriptions")
    listing.set_defaults(handler=_scenarios)


def _scenarios(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    descriptions = builtin_scenario_descriptions()
    if args.json:
        entries = [{"name": name, "description": text} for name, text in descriptions.items()]
        print(json.dumps(entries, indent=2, ensure_ascii=False), file=out)
    else:
        print(format_library(descriptions, width=table_width(args)), file=out)
    return EXIT_OK
