"""The ``fieldtotable`` command line: a thin layer over the Python API.

::

    fieldtotable run [SCENARIO] [--seed N] [--replication I] [--days N] [--json] [--set ...]
                     [--report PATH] [--out DIR [--format csv|json|parquet ...]]
    fieldtotable report [SCENARIO] [--seed N] [--replication I] [--days N] [--set ...] [-o FILE]
    fieldtotable validate SCENARIO [--set PATH=VALUE ...]
    fieldtotable show [SCENARIO] [--set PATH=VALUE ...]
    fieldtotable schema
    fieldtotable --version

Every command calls the public API (:func:`fieldtotable.load_scenario`,
:func:`fieldtotable.builtin_scenario`, :func:`fieldtotable.apply_overrides`,
:func:`fieldtotable.simulate`, :func:`fieldtotable.scenario.dump_scenario`,
:func:`fieldtotable.scenario.scenario_json_schema`) and presents what it returns;
no model logic lives here.

Exit status: 0 on success; 2 on bad input of any kind (a scenario with problems, a
missing file, a bad option value, a usage error), after printing one line per
problem on stderr (``scenario.yaml:42: legs.a.vehicle_capacity_kg: must be > 0``)
and no traceback. Anything else is a defect and propagates with its traceback.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from fieldtotable import __version__
from fieldtotable.cli_bench import add_bench_commands
from fieldtotable.cli_experiment import add_experiment_commands
from fieldtotable.cli_report import (
    OutputError,
    add_output_options,
    check_outputs,
    write_run_outputs,
)
from fieldtotable.errors import FieldToTableError, ScenarioError
from fieldtotable.results import RunResult
from fieldtotable.scenario import (
    Scenario,
    apply_overrides,
    builtin_scenario,
    dump_scenario,
    load_scenario,
    parse_assignments,
    scenario_json_schema,
)
from fieldtotable.simulation import simulate
from fieldtotable.tables import format_run

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_STATUSES", "build_parser", "main"]

EXIT_OK = 0
"""Exit status of a command that did its work."""
EXIT_BAD_INPUT = 2
"""Exit status for bad input: scenario problems, bad options, usage errors."""
EXIT_STATUSES: dict[int, str] = {
    EXIT_OK: "success (also after `--help` and `--version`)",
    1: "some runs failed (`replicate`, `compare`, `sweep`, `bench channels`: one line per"
    " failed run on stderr, with the first traceback); or stdout was closed early (a"
    " broken pipe, e.g. `fieldtotable run | head`)",
    EXIT_BAD_INPUT: "bad input: a scenario with problems, a missing file, a bad option"
    " value, a usage error; one line per problem on stderr, no traceback",
    130: "interrupted (Ctrl-C)",
}
"""Every exit status of the command line and what it means. Any other failure is a
defect: it propagates with its traceback (Python exits 1)."""

PROG = "fieldtotable"
DEFAULT_SCENARIO = "baseline"


class _BadOptionError(Exception):
    """An option value that argparse accepted but the command cannot use."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"argument {option}: {message}")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors take one line on stderr."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message`` and a pointer to ``--help``, then exit 2."""
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _whole_number(minimum: int) -> Callable[[str], int]:
    """Return an argparse ``type`` accepting integers ``>= minimum``."""

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

    run = commands.add_parser(
        "run",
        help="simulate one replication and print its KPIs and tables",
        description=(
            "Simulate one replication of a scenario and print its KPIs and breakdowns "
            "as tables (or as JSON with --json), then a footer line with the seed, the "
            "wall time and the SimPy events processed (on stderr with --json, so that "
            "stdout stays valid JSON)."
        ),
    )
    run.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"scenario YAML file (default: the built-in {DEFAULT_SCENARIO!r} scenario)",
    )
    run.add_argument(
        "--seed",
        type=_whole_number(0),
        default=0,
        metavar="N",
        help="seed of the replication, >= 0 (default: 0); same seed, same result",
    )
    _add_replication(run)
    run.add_argument(
        "--days",
        type=_whole_number(1),
        metavar="N",
        help="shorten the horizon to N days (1 to the scenario's horizon_days)",
    )
    run.add_argument(
        "--json", action="store_true", help="print the full result as JSON instead of tables"
    )
    _add_set(run)
    add_output_options(run, tables_option="--out")
    run.set_defaults(handler=_run)

    report = commands.add_parser(
        "report",
        help="simulate one replication and write a self-contained HTML report",
        description=(
            "Simulate one replication of a scenario and write one HTML file that reads "
            "without this program or a network: the question, the scenario, every KPI, "
            "breakdowns, figures, assumptions and how to reproduce it."
        ),
    )
    report.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"scenario YAML file (default: the built-in {DEFAULT_SCENARIO!r} scenario)",
    )
    report.add_argument(
        "--seed", type=_whole_number(0), default=0, metavar="N", help="seed (default: 0)"
    )
    _add_replication(report)
    report.add_argument(
        "--days", type=_whole_number(1), metavar="N", help="shorten the horizon to N days"
    )
    report.add_argument(
        "-o",
        "--output",
        dest="report",
        default="report.html",
        metavar="PATH",
        help="the HTML file to write (default: report.html)",
    )
    _add_set(report)
    add_output_options(report, tables_option="--out", report=False)
    report.set_defaults(handler=_make_report)

    validate = commands.add_parser(
        "validate",
        help="check a scenario file and print a one-line summary",
        description="Load and check a scenario file; report every problem found.",
    )
    validate.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    _add_set(validate)
    validate.set_defaults(handler=_validate)

    show = commands.add_parser(
        "show",
        help="print the fully resolved scenario as YAML",
        description=(
            "Print a scenario as the model sees it, as YAML: 'extends' merged in, "
            "--set applied, every default written out. The output is itself a valid "
            "scenario file."
        ),
    )
    show.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"scenario YAML file (default: the built-in {DEFAULT_SCENARIO!r} scenario)",
    )
    _add_set(show)
    show.set_defaults(handler=_show)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description=(
            "Print the JSON Schema (draft 2020-12) of scenario files, for editors: "
            "'# yaml-language-server: $schema=PATH' as a file's first line."
        ),
    )
    schema.set_defaults(handler=_schema)
    add_experiment_commands(commands)
    add_bench_commands(commands)
    return parser


def _add_set(command: argparse.ArgumentParser) -> None:
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


def _add_replication(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--replication",
        type=_whole_number(0),
        metavar="I",
        help=(
            "run replication I of an experiment seeded with --seed (the streams of "
            "SeedSequence(seed).spawn()[I]), i.e. rerun one run of replicate, compare or sweep"
        ),
    )


def _load(args: argparse.Namespace) -> Scenario:
    path: str | None = args.scenario
    # Bad --set texts are reported before the file is read: they cost nothing to check.
    overrides = parse_assignments(args.overrides)
    scenario = builtin_scenario(DEFAULT_SCENARIO) if path is None else load_scenario(path)
    return apply_overrides(scenario, overrides)


def _footer(result: RunResult) -> str:
    replication = "" if result.replication is None else f" | replication {result.replication}"
    return (
        f"seed {result.seed}{replication} | wall time {result.wall_time_s:.3f} s | "
        f"{result.events_processed:,} events"
    )


def _run_scenario(args: argparse.Namespace) -> Scenario:
    scenario = _load(args)
    if args.days is not None:
        if args.days > scenario.horizon_days:
            raise _BadOptionError(
                "--days",
                f"must be at most the scenario's horizon_days, {scenario.horizon_days} "
                f"(got {args.days})",
            )
        scenario = scenario.with_horizon(args.days)
    return scenario


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scenario = _run_scenario(args)
    check_outputs(args)
    result = simulate(scenario, seed=args.seed, replication=args.replication)
    if args.json:
        print(result.to_json(), file=out)
        print(_footer(result), file=err)
    else:
        print(format_run(result, scenario), file=out)
        print(file=out)
        print(_footer(result), file=out)
    write_run_outputs(args, result, scenario, err)
    return EXIT_OK


def _make_report(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    scenario = _run_scenario(args)
    check_outputs(args)
    result = simulate(scenario, seed=args.seed, replication=args.replication)
    write_run_outputs(args, result, scenario, out)
    print(_footer(result), file=out)
    return EXIT_OK


def _validate(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    scenario = _load(args)
    print(
        f"OK: {scenario.name} ({len(scenario.products)} products, "
        f"{len(scenario.sources)} sources, {len(scenario.legs)} legs, "
        f"{len(scenario.markets)} markets)",
        file=out,
    )
    return EXIT_OK


def _show(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    out.write(dump_scenario(_load(args)))
    return EXIT_OK


def _schema(_args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    print(json.dumps(scenario_json_schema(), indent=2), file=out)
    return EXIT_OK


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
        return handler(args, out, err)
    except (_BadOptionError, OutputError) as error:
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
