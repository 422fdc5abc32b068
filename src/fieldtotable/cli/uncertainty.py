"""The ``fieldtotable uncertainty`` command: the variance split of uncertain parameters.

::

    fieldtotable uncertainty SCENARIO [--draws K] [--inner M] [--seed N] [--kpi KEY] ...

Also ``--days``, ``--set``, ``--confidence``, ``--executor``, ``--workers``,
``--dask-address``, ``--json`` and ``--quiet``, as the experiment commands take them.

Draws the scenario's priors (``uncertain:``) K times, runs each draw M times and
prints, per KPI, the share of its variance the priors cause with its confidence
interval (:func:`fieldtotable.experiment.uncertainty.variance_split`); ``--json``
prints the result as JSON. Bad input (a scenario without priors, fewer than 2 draws
or replications, an unknown KPI) is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from fieldtotable.cli.experiment_support import (
    OptionError,
    engine_options,
    fraction,
    guard,
    read_scenario,
)
from fieldtotable.cli.options import (
    DEFAULT_SCENARIO,
    EXIT_OK,
    SCENARIO_HELP,
    whole_number,
)
from fieldtotable.experiment import EXECUTORS
from fieldtotable.experiment.uncertainty import DEFAULT_SPLIT_KPIS, variance_split
from fieldtotable.scenario.overrides import parse_assignments

__all__ = ["add_uncertainty_command"]

_at_least_two = whole_number(2)
_seed = whole_number(0)


def add_uncertainty_command(subparsers: Any) -> None:
    """Add ``uncertainty`` to the main parser's sub-commands.

    Parameters
    ----------
    subparsers
        What ``ArgumentParser.add_subparsers()`` returned; the command sets
        ``handler``, a function ``(args, out, err) -> int``.
    """
    command = subparsers.add_parser(
        "uncertainty",
        help="split each KPI's variance into the part uncertain parameters cause and the rest",
        description=(
            "Draw the scenario's priors (uncertain:) K times, run each draw M times with "
            "its own random streams, and print per KPI the share of its variance the "
            "priors cause (one-way random-effects ANOVA, with an exact confidence "
            "interval) and the share the model's own randomness makes."
        ),
    )
    command.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"{SCENARIO_HELP} (default: {DEFAULT_SCENARIO})",
    )
    command.add_argument(
        "--draws",
        type=_at_least_two,
        default=20,
        metavar="K",
        help="parameter draws (default: 20; at least 2)",
    )
    command.add_argument(
        "--inner",
        type=_at_least_two,
        default=5,
        metavar="M",
        help="replications per draw, each with its own streams (default: 5; at least 2)",
    )
    command.add_argument(
        "--seed", type=_seed, default=0, metavar="N", help="seed of the experiment (default: 0)"
    )
    command.add_argument("--days", type=_at_least_two, metavar="N", help="shorten the horizon")
    command.add_argument(
        "--set",
        action="append",
        default=[],
        dest="overrides",
        metavar="PATH=VALUE",
        help="change one value of the scenario (a prior too: --set "
        "\"uncertain['products.matsutake.q10']=null\"); repeatable",
    )
    command.add_argument(
        "--kpi",
        action="append",
        dest="kpis",
        metavar="KEY",
        help=f"KPI to split (default: {', '.join(DEFAULT_SPLIT_KPIS)}); repeatable",
    )
    command.add_argument(
        "--confidence",
        type=fraction,
        default=0.95,
        metavar="LEVEL",
        help="confidence level of the intervals (default: 0.95)",
    )
    command.add_argument(
        "--executor",
        choices=EXECUTORS,
        help="where runs execute (default: process; dask with --dask-address)",
    )
    command.add_argument(
        "--workers",
        type=whole_number(1),
        metavar="N",
        help="runs at once (default: all usable cores)",
    )
    command.add_argument(
        "--dask-address",
        metavar="ADDRESS",
        help="scheduler of a Dask cluster, e.g. tcp://host:8786 (needs the dask extra)",
    )
    command.add_argument(
        "--json", action="store_true", help="print the result as JSON instead of a table"
    )
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    # No --store here: a run store of the split is the Python API's (variance_split(store=)).
    command.set_defaults(handler=guard(_uncertainty), store=None)


def _uncertainty(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``fieldtotable uncertainty``."""
    scenario = read_scenario(args.scenario, args, parse_assignments(args.overrides))
    try:
        result = variance_split(scenario, args.draws, args.inner, **engine_options(args, err))
    except ValueError as exc:
        raise OptionError(str(exc)) from None
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False), file=out)
    else:
        print(result.text(), file=out)
        print(file=out)
        print(f"seed {args.seed} | wall time {result.wall_time_s:.1f} s", file=out)
    return EXIT_OK
