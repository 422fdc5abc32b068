"""What every command of the command line shares: names, exit statuses, option types.

One definition of the program's name, its exit statuses, the option types (whole
numbers with a minimum), the ``--set``, ``--replication`` and ``--store`` options,
old option names kept for a release (:func:`add_renamed`) and the error an option
value raises when argparse accepted it but the command cannot use it.

One name, one meaning, on every command:

- ``--out DIR``: the folder the command writes its files to (exported tables; the
  channel study's tables and figure);
- ``--store DIR``: the resumable run store of an experiment (one file per run);
- ``--report PATH``: the self-contained HTML report;
- ``--wide``: print the tables at full width instead of fitting
  :data:`~fieldtotable.tables.format.TERMINAL_WIDTH` columns;
- ``-n N``: replications.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from fieldtotable.experiment.errors import RunFailedError
from fieldtotable.tables.format import TERMINAL_WIDTH

__all__ = [
    "DEFAULT_SCENARIO",
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_RUNS_FAILED",
    "EXIT_STATUSES",
    "PROG",
    "SCENARIO_HELP",
    "BadOptionError",
    "RenamedOption",
    "add_renamed",
    "add_replication",
    "add_set",
    "add_store",
    "add_wide",
    "renamed_notices",
    "report_failed_runs",
    "table_width",
    "whole_number",
]

PROG = "fieldtotable"
"""The program's name, as error lines start with it."""
DEFAULT_SCENARIO = "baseline"
"""The built-in scenario of commands run without a scenario file."""
SCENARIO_HELP = (
    "a scenario file, or the name of a built-in scenario (`fieldtotable scenarios` lists "
    "them); an existing file wins"
)
"""Help of every ``SCENARIO`` argument (read with :func:`fieldtotable.open_scenario`)."""

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


def add_store(command: argparse.ArgumentParser, *, default: str | None = None) -> None:
    """Add ``--store DIR``, the resumable run store (into ``args.store``).

    Parameters
    ----------
    command
        The sub-command's parser.
    default
        Said in the help when the command has a default store (the parser's default
        stays ``None``: the command derives it).
    """
    after = f" (default: {default})" if default else ""
    command.add_argument(
        "--store",
        metavar="DIR",
        help="keep each finished run in DIR (the run store); rerunning the same command "
        f"resumes{after}",
    )


def add_wide(command: argparse.ArgumentParser, *, narrowed: str) -> None:
    """Add ``--wide``: print at full width instead of fitting the terminal (``args.wide``).

    Parameters
    ----------
    command
        The sub-command's parser.
    narrowed
        What the default output does to fit, for the help: ``"wrapping meanings and
        names and leaving out the leg routes"``.
    """
    command.add_argument(
        "--wide",
        action="store_true",
        help=f"print every table at full width (default: fit {TERMINAL_WIDTH} columns, {narrowed})",
    )


def table_width(args: argparse.Namespace) -> int | None:
    """Return the columns a command's tables fit: ``None`` (no limit) with ``--wide``.

    Parameters
    ----------
    args
        The parsed options of a command that took :func:`add_wide`.

    Returns
    -------
    int or None
        :data:`~fieldtotable.tables.format.TERMINAL_WIDTH`, or ``None`` with ``--wide``.
    """
    return None if getattr(args, "wide", False) else TERMINAL_WIDTH


_RENAMED_ATTR = "renamed_options"


class RenamedOption(argparse.Action):
    """An old option name: stores its value as the new one does and notes the rename.

    Parameters
    ----------
    option_strings, dest, **kwargs
        As for any argparse action.
    new
        The option's new name, for the notice.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, *, new: str, **kwargs: Any):
        self.new = new
        super().__init__(option_strings, dest, **kwargs)

    def __call__(
        self,
        _parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        """Store ``values`` under the new option's name; note the old name's use."""
        setattr(namespace, self.dest, values)
        notices = [*getattr(namespace, _RENAMED_ATTR, ())]
        notices.append(
            f"{option_string} is deprecated and will be removed in the next release; use {self.new}"
        )
        setattr(namespace, _RENAMED_ATTR, notices)


def add_renamed(
    command: argparse.ArgumentParser, old: str, *, new: str, dest: str, **kwargs: Any
) -> None:
    """Keep an old option name working, hidden from the help, for one release.

    Parameters
    ----------
    command
        The sub-command's parser; add the new option first.
    old
        The old name (``--export``).
    new
        The new name, as the notice shows it (``--out``).
    dest
        The new option's ``dest``.
    **kwargs
        ``type``, ``metavar``, ... as the new option has them.
    """
    command.add_argument(
        old, dest=dest, action=RenamedOption, new=new, default=argparse.SUPPRESS,
        help=argparse.SUPPRESS, **kwargs,
    )  # fmt: skip


def renamed_notices(args: argparse.Namespace) -> list[str]:
    """Return (and forget) the notices of the old option names used in ``args``.

    Parameters
    ----------
    args
        The parsed options.

    Returns
    -------
    list of str
        One line each, without the program's name.
    """
    notices: list[str] = getattr(args, _RENAMED_ATTR, [])
    if hasattr(args, _RENAMED_ATTR):
        delattr(args, _RENAMED_ATTR)
    return notices


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
