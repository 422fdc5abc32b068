"""The ``fieldtotable`` command line: the parser, and ``main``, which runs a command.

Exit status: 0 on success; 2 on bad input of any kind (a scenario with problems, a
missing file, a bad option value, a usage error), after printing one line per
problem on stderr (``scenario.yaml:42: legs.a.vehicle_capacity_kg: must be > 0``)
and no traceback; 1 when runs of an experiment failed. Anything else is a defect
and propagates with its traceback.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from fieldtotable.cli.bench import add_bench_commands
from fieldtotable.cli.experiment import add_experiment_commands
from fieldtotable.cli.options import EXIT_BAD_INPUT, EXIT_OK, PROG, BadOptionError
from fieldtotable.cli.outputs import OutputError
from fieldtotable.cli.plugins import PluginError, load_plugins
from fieldtotable.cli.run import add_run_commands
from fieldtotable.errors import FieldToTableError, ScenarioError
from fieldtotable.versions import __version__

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors take one line on stderr."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message`` and a pointer to ``--help``, then exit 2."""
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``fieldtotable`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser, with sub-commands ``run``, ``report``, ``validate``, ``show``,
        ``schema`` and the experiment commands; each sets ``handler``, the function
        that carries the command out.
    """
    parser = _Parser(
        prog=PROG,
        description=(
            "Simulate the perishable field-to-table channel from Diqing (Yunnan) to "
            "Shanghai: throughput, spoilage, cost and freshness at sale."
        ),
        epilog="Exit status: 0 success, 2 bad input (one line per problem on stderr).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    commands.required = True
    add_run_commands(commands)
    add_experiment_commands(commands)
    add_bench_commands(commands)
    return parser


def _report(error: FieldToTableError, err: TextIO) -> None:
    """Print one line per problem of ``error``."""
    if isinstance(error, ScenarioError):
        for problem in error.problems:
            text = str(problem)
            print(text if problem.file else f"{PROG}: {text}", file=err)
        return
    lines = str(error).splitlines() or [type(error).__name__]
    for line in lines:
        print(f"{PROG}: {line}", file=err)


def _tolerate_unencodable(*streams: TextIO) -> None:
    """Let text the terminal cannot encode (``→`` in a name) print as escapes."""
    for stream in streams:
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fieldtotable`` command line.

    Parameters
    ----------
    argv
        The arguments after the program name; ``sys.argv[1:]`` when ``None``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 on bad input (scenario problems, missing
        files, bad option values, usage errors), after one line per problem on
        stderr. ``--help`` and ``--version`` return 0 after printing; 1 if stdout
        was closed early (a broken pipe); 130 on Ctrl-C.

    Raises
    ------
    Exception
        Anything that is not bad input (a defect) propagates unchanged, so that it
        is seen with its traceback.
    """
    out, err = sys.stdout, sys.stderr
    _tolerate_unencodable(out, err)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # --help, --version and usage errors: argparse has printed what it had to.
        code = exit_.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_BAD_INPUT)
    handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.handler
    args.argv = list(sys.argv[1:] if argv is None else argv)  # for reports: how to reproduce
    try:
        load_plugins()
    except PluginError as error:
        print(f"{PROG}: {error}", file=err)
        return EXIT_BAD_INPUT
    try:
        return handler(args, out, err)
    except (BadOptionError, OutputError) as error:
        print(f"{PROG} {args.command}: error: {error}", file=err)
        return EXIT_BAD_INPUT
    except ScenarioError as error:
        # Bad input. A SimulationError (a mass-balance violation) is a defect of the
        # library, not of the input: it propagates with its traceback.
        _report(error, err)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (``fieldtotable run | head``): nothing more to say.
        _silence(out)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130


def _silence(stream: TextIO) -> None:
    """Point ``stream``'s file descriptor at /dev/null so its final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
