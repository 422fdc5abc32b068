"""The ``fieldtotable`` command line: the parser, and ``main``, which runs a command.

Exit status: 0 on success; 2 on bad input of any kind (a scenario with problems, a
missing file, a bad option value, a usage error), after printing one line per
problem on stderr (``scenario.yaml:42: legs.a.vehicle_capacity_kg: must be >= 10``)
and no traceback; 1 when runs of an experiment failed. Anything else is a defect
and propagates with its traceback.

A misspelt command or option is answered with the closest name
(``fieldtotable: error: unknown command 'rnu' (did you mean 'run'?)``), as Python
3.14's ``suggest_on_error`` would; an old option name still works for a release,
with a one-line notice on stderr (:func:`~fieldtotable.cli.options.add_renamed`).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from fieldtotable.cli.bench import add_bench_commands
from fieldtotable.cli.experiment import add_experiment_commands
from fieldtotable.cli.optimise import add_optimise_command
from fieldtotable.cli.options import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    PROG,
    BadOptionError,
    renamed_notices,
)
from fieldtotable.cli.outputs import OutputError
from fieldtotable.cli.plugins import PluginError, load_plugins
from fieldtotable.cli.run import add_run_commands
from fieldtotable.cli.scenarios import add_scenarios_command
from fieldtotable.cli.sensitivity import add_sensitivity_command
from fieldtotable.cli.uncertainty import add_uncertainty_command
from fieldtotable.errors import FieldToTableError, ScenarioError
from fieldtotable.scenario.builtin import did_you_mean
from fieldtotable.versions import __version__

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors take one line each, with suggestions."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message`` and a pointer to ``--help``, then exit 2."""
        self.fail([f"{message} (see '{self.prog} --help')"])

    def fail(self, messages: Sequence[str]) -> NoReturn:
        """Print ``prog: error: message`` for each message, then exit 2."""
        self.exit(EXIT_BAD_INPUT, "".join(f"{self.prog}: error: {text}\n" for text in messages))

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        # argparse's own check, with the closest name suggested (Python 3.14 has
        # suggest_on_error; this runs on 3.11 too).
        choices = action.choices
        if choices is None or value in choices or not isinstance(value, str):
            super()._check_value(action, value)
            return
        hint = did_you_mean(value, [str(choice) for choice in choices], quote=True)
        if isinstance(action, argparse._SubParsersAction):
            hint = hint or f" (see '{self.prog} --help')"
            self.fail([f"unknown command {value!r}{hint}"])
        listed = ", ".join(repr(str(choice)) for choice in choices)
        raise argparse.ArgumentError(
            action, f"invalid choice: {value!r}{hint or f' (choose from {listed})'}"
        )

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        """Parse ``args``; an unknown option is an error naming the closest option."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            _deepest(self, parsed).unrecognized(extras)
        return parsed

    def unrecognized(self, extras: Sequence[str]) -> NoReturn:
        """Fail with one line per unknown option (and one for stray arguments).

        The word after an unknown option is taken as its value, not as a stray.
        """
        known = list(self._option_string_actions)
        lines = []
        strays = []
        after_option = False
        for extra in extras:
            if extra.startswith("-") and len(extra) > 1:
                name, equals, _ = extra.partition("=")
                hint = did_you_mean(name, known, quote=True) or f" (see '{self.prog} --help')"
                lines.append(f"unknown option {name!r}{hint}")
                after_option = not equals
            elif after_option:
                after_option = False
            else:
                strays.append(extra)
        if strays:
            lines.append(f"unrecognized arguments: {' '.join(strays)} (see '{self.prog} --help')")
        self.fail(lines)


def _deepest(parser: _Parser, args: argparse.Namespace) -> _Parser:
    """Return the parser of the sub-command that ``args`` chose (``bench channels``)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = action.choices.get(getattr(args, action.dest, None) or "")
            if isinstance(chosen, _Parser):
                return _deepest(chosen, args)
    return parser


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
    add_scenarios_command(commands)
    add_experiment_commands(commands)
    add_optimise_command(commands)
    add_sensitivity_command(commands)
    add_uncertainty_command(commands)
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
    for notice in renamed_notices(args):
        print(f"{PROG} {args.command}: warning: {notice}", file=err)
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
