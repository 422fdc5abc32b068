"""The benchmark commands of the ``fieldtotable`` command line.

::

    fieldtotable bench channels [-n N] [--out DIR] [--store DIR] [--quick] [--seed N]
                                [--scales K,K,...] [--issuing FEFO|FIFO,FEFO]
                                [--workers N] [--executor serial|process|dask]
                                [--scenarios DIR] [--quiet] [--wide]

``bench channels`` runs the canonical channel study (scale 1x to 10x of 2023 x road /
full-truckload road / rail for the long leg / air for matsutake, under realistic
overload policies, and the 2023 road configuration with its own policy for
reference; FEFO issuing, or ``--issuing FIFO,FEFO``; with replications and common
random numbers: :mod:`fieldtotable.bench`),
prints its tables (fitted to 100 columns, split into parts that repeat their
label columns, unless ``--wide`` prints the markdown as written) and writes them,
with a CSV table and a figure, to ``--out`` (default ``bench-channels``); the runs
are kept in the run store ``--store`` (default ``OUT/runs``) so that rerunning the
same command resumes.
``--quick`` is a smoke run (2 replications of 30 days at 1x and 10x) that checks the
machinery, not a study.

:func:`add_bench_commands` adds the commands to the main parser's sub-parsers.
Handlers have the signature ``(args, out, err) -> int``, as in
:mod:`fieldtotable.cli.experiment`: a scenario file with problems raises
:class:`~fieldtotable.errors.ScenarioError` (the main command prints one line per
problem and exits 2); other bad input (the scenario folder not found, an output
folder holding another study) prints ``fieldtotable bench channels: error: ...``
and returns 2; runs that failed print one line each (with the first traceback)
and return 1.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any, TextIO

from fieldtotable.bench import DEFAULT_N, ISSUING, SCALES, run_channel_study, write_study
from fieldtotable.bench.report import format_study
from fieldtotable.cli.options import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    PROG,
    add_renamed,
    add_store,
    add_wide,
    report_failed_runs,
    table_width,
    whole_number,
)
from fieldtotable.errors import FieldToTableError, ScenarioError
from fieldtotable.experiment import EXECUTORS, RunFailedError
from fieldtotable.tables.format import wrap_text
from fieldtotable.tables.markdown import format_markdown

__all__ = ["QUICK_DAYS", "QUICK_N", "QUICK_SCALES", "add_bench_commands"]

QUICK_N = 2
"""Replications of ``--quick``."""
QUICK_DAYS = 30
"""Horizon of ``--quick``, days."""
QUICK_SCALES = (1.0, 10.0)
"""Scales of ``--quick`` unless ``--scales`` is given: the two ends."""

_DEFAULT_OUT = "bench-channels"


def add_bench_commands(subparsers: Any) -> None:
    """Add ``bench`` (with its sub-command ``channels``) to the main parser's sub-commands.

    Parameters
    ----------
    subparsers
        What ``ArgumentParser.add_subparsers()`` returned; ``bench channels`` sets
        ``handler``, a function ``(args, out, err) -> int``.
    """
    bench = subparsers.add_parser(
        "bench",
        help="benchmarks of channel configurations",
        description="Benchmarks of channel configurations.",
    )
    commands = bench.add_subparsers(title="benchmarks", dest="bench_command", metavar="BENCHMARK")
    commands.required = True
    channels = commands.add_parser(
        "channels",
        help="the channel study: scale x mode x overload policy, with replications and CRN",
        description=(
            "Run the canonical channel study: the 2023 channel at 1x to 10x volume x "
            "road (2023 dispatch), road waiting for full truckloads, rail for the long "
            "leg, air for matsutake, with full stores refusing upstream and serving the "
            "most perishable lots first, and the 2023 road configuration with goods "
            "waiting outside full stores for reference; every configuration runs the "
            "same replications with the same random streams. Prints the results table "
            "(throughput, sales value, profit, spoilage and its stages, damaged and "
            "refused kg, fill rate, cost and CO2 per kg, shelf life left at sale, with "
            "confidence intervals), "
            "the lowest-spoilage configuration at each scale and what binds as the "
            "channel scales; writes channels.md, channels.csv, capacity.csv and "
            "channels.png to --out."
        ),
    )
    channels.add_argument(
        "-n",
        type=whole_number(1),
        metavar="N",
        help=f"replications per configuration (default: {DEFAULT_N}; {QUICK_N} with --quick)",
    )
    add_renamed(channels, "--n", new="-n", dest="n", type=whole_number(1), metavar="N")
    channels.add_argument(
        "--out",
        default=_DEFAULT_OUT,
        metavar="DIR",
        help=f"folder for the tables and the figure (default: {_DEFAULT_OUT})",
    )
    add_store(channels, default="OUT/runs")
    channels.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke run: {QUICK_N} replications of {QUICK_DAYS} days at 1x and 10x, unless "
        "--scales (not a study)",
    )
    channels.add_argument(
        "--seed",
        type=whole_number(0),
        default=0,
        metavar="N",
        help="seed of the study (default: 0)",
    )
    channels.add_argument(
        "--scales",
        type=_scales,
        metavar="K,K,...",
        help="volumes relative to 2023 (default: 1,2,...,10)",
    )
    channels.add_argument(
        "--issuing",
        type=_issuing,
        metavar="POLICY,...",
        help="issuing policies in the Shanghai markets: FEFO, FIFO or FIFO,FEFO (default: FEFO)",
    )
    channels.add_argument(
        "--workers", type=whole_number(1), default=2, metavar="N", help="runs at once (default: 2)"
    )
    channels.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="process",
        help="where runs execute (default: process)",
    )
    channels.add_argument(
        "--scenarios",
        metavar="DIR",
        help="folder of baseline_2023.yaml and its variant files (default: ./scenarios, "
        "or the source checkout's)",
    )
    channels.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    add_wide(
        channels,
        narrowed="splitting each table into parts that repeat its label columns; "
        "--wide prints the markdown of channels.md",
    )
    channels.set_defaults(handler=_channels)


def _scales(text: str) -> tuple[float, ...]:
    """Parse ``--scales``: positive numbers separated by commas, in the order given."""
    try:
        scales = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of numbers separated by commas (1,2,5,10)"
        ) from None
    if not all(0 < scale <= 1000 for scale in scales):
        raise argparse.ArgumentTypeError(f"{text!r}: every scale must be > 0 and <= 1000")
    if len(set(scales)) != len(scales):
        raise argparse.ArgumentTypeError(f"{text!r}: a scale is given twice")
    return scales


def _issuing(text: str) -> tuple[str, ...]:
    """Parse ``--issuing``: FIFO and/or FEFO, separated by commas."""
    policies = tuple(part.strip().upper() for part in text.split(","))
    if not policies or any(p not in ("FIFO", "FEFO") for p in policies):
        raise argparse.ArgumentTypeError(f"{text!r}: give FEFO, FIFO or FIFO,FEFO")
    if len(set(policies)) != len(policies):
        raise argparse.ArgumentTypeError(f"{text!r}: a policy is given twice")
    return policies


def _scales_argument(args: argparse.Namespace) -> tuple[float, ...]:
    if args.scales:
        return tuple(args.scales)
    return QUICK_SCALES if args.quick else SCALES


def _channels(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``fieldtotable bench channels``."""
    command = f"{PROG} bench channels"
    n = args.n if args.n is not None else (QUICK_N if args.quick else DEFAULT_N)
    folder = Path(args.out)
    try:
        result = run_channel_study(
            n,
            args.seed,
            scenarios_dir=args.scenarios,
            days=QUICK_DAYS if args.quick else None,
            scales=_scales_argument(args),
            issuing=args.issuing or ISSUING,
            workers=None if args.executor == "serial" else args.workers,
            executor=args.executor,
            store=folder / "runs" if args.store is None else Path(args.store),
            progress=False if args.quiet else err,
        )
    except RunFailedError as exc:
        return report_failed_runs(command, exc, err)
    except ScenarioError:
        raise
    except FieldToTableError as exc:
        print(f"{command}: error: {exc}", file=err)
        return EXIT_BAD_INPUT
    argv = getattr(args, "argv", None)
    invocation = f"{PROG} {shlex.join(argv)}" if argv else command
    paths = write_study(result, folder, command=invocation)
    study = format_study(result, command=invocation)
    print(format_markdown(study, width=table_width(args)), file=out)
    print(file=out)
    written = ", ".join(str(path) for path in paths.values())
    footer = f"wall time {result.wall_time_s / 60:.1f} min | written: {written}"
    print(wrap_text(footer, table_width(args)), file=out)
    return EXIT_OK
