"""What every command of the command line shares: names, exit statuses, option types.

One definition of the program's name, its exit statuses, the option types (whole
numbers with a minimum), the ``--set`` and ``--replication`` options and the error
an option value raises when argparse accepted it but the command cannot use it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from fieldtotable.experiment.errors import RunFailedError

__all__ = [
    "DEFAULT_SCENARIO",
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_RUNS_FAILED",
    "EXIT_STATUSES",
    "PROG",
    "BadOptionError",
    "add_replication",
    "add_set",
    "report_failed_runs",
    "whole_number",
]

PROG = "fieldtotable"
"""The program's name, as error lines start with it."""
DEFAULT_SCENARIO = "baseline"
"""The built-in scenario of commands run without a scenario file."""

EXIT_OK = 0
"""Exit status of a command that did its work."""
EXIT_RUNS_FAILED = 1
"""Exit status when some runs of an experiment failed."""
EXIT_BAD_INPUT = 2
"""Exit status for bad input: scenario problems, bad options, usage errors."""
EXIT_STATUSES: dict[int, str] = {
    EXIT_OK: "success (also after `--help` and `--version`)",
    EXIT_RUNS_FAILED: "some runs failed (`replicate`, `compare`, `sweep`, `bench channels`: one"
    " line per failed run on stderr, with the first traceback); or stdout was closed early (a"
    " broken pipe, e.g. `fieldtotable run | head`)",
    EXIT_BAD_INPUT: "bad input: a scenario with problems, a missing file, a bad option"
    " value, a usage error; one line per problem on stderr, no traceback",
    130: "interrupted (Ctrl-C)",
}
"""Every exit status of the command line and what it means. Any other failure is a
defect: it propagates with its traceback (Python exits 1)."""


class BadOptionError(Exception):
    """An option value that argparse accepted but the command cannot use.

    Parameters
    ----------
    option
        The option as typed (``--days``).
    message
        What is wrong with its value.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"argument {option}: {message}")


def whole_number(minimum: int) -> Callable[[str], int]:
    """Return an argparse ``type`` accepting integers ``>= minimum``.

    Parameters
    ----------
    minimum
        The smallest value accepted.

    Returns
    -------
    callable
        ``text -> int``, raising :class:`argparse.ArgumentTypeError` with a one-line
        reason for anything else.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum} (got {value})")
        return value

    parse.__name__ = f"whole number >= {minimum}"
    return parse


def add_set(command: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--set PATH=VALUE`` option (into ``args.overrides``)."""
    command.add_argument(
        "--set",
        action="append",
        default=[],
        dest="overrides",
        metavar="PATH=VALUE",
        help=(
            "change one value of the scenario, e.g. --set legs.kunming_shanghai.fleet=4 "
            "or --set scale=2; VALUE is YAML ([18, 6], {dist: uniform, low: 2, high: 8}); "
            "repeatable"
        ),
    )


def add_replication(parser: argparse.ArgumentParser) -> None:
    """Add ``--replication I``: rerun one run of an experiment."""
    parser.add_argument(
        "--replication",
        type=whole_number(0),
        metavar="I",
        help=(
            "run replication I of an experiment seeded with --seed (the streams of "
            "SeedSequence(seed).spawn()[I]), i.e. rerun one run of replicate, compare or sweep"
        ),
    )


def report_failed_runs(command: str, error: RunFailedError, err: TextIO) -> int:
    """Print one line per failed run and the first failure's traceback.

    Parameters
    ----------
    command
        The command as it names itself (``fieldtotable sweep``).
    error
        The experiment's failed runs.
    err
        Where to print.

    Returns
    -------
    int
        :data:`EXIT_RUNS_FAILED`.
    """
    for line in str(error).splitlines():
        print(f"{command}: {line.strip()}", file=err)
    print(f"{command}: traceback of the first failure:", file=err)
    print(error.failures[0].traceback.rstrip(), file=err)
    return EXIT_RUNS_FAILED
