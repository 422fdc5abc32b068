"""The commands on one scenario: ``run``, ``report``, ``validate``, ``show``, ``schema``.

::

    fieldtotable run [SCENARIO] [--seed N] [--replication I] [--days N] [--json] [--wide]
                     [--set ...]
                     [--report PATH] [--out DIR [--format csv|json|parquet ...]]
    fieldtotable report [SCENARIO] [--seed N] [--replication I] [--days N] [--set ...] [-o FILE]
    fieldtotable validate SCENARIO [--set PATH=VALUE ...] [--wide]
    fieldtotable show [SCENARIO] [--set PATH=VALUE ...] [--wide]
    fieldtotable schema

Every handler calls the public API (:func:`fieldtotable.open_scenario`,
:func:`fieldtotable.builtin_scenario`, :func:`fieldtotable.apply_overrides`,
:func:`fieldtotable.simulate`, :func:`fieldtotable.scenario.dump_scenario`,
:func:`fieldtotable.scenario.scenario_json_schema`) and presents what it returns.
Handlers have the signature ``(args, out, err) -> int``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from fieldtotable.cli.options import (
    DEFAULT_SCENARIO,
    EXIT_OK,
    SCENARIO_HELP,
    BadOptionError,
    add_replication,
    add_set,
    add_wide,
    table_width,
    whole_number,
)
from fieldtotable.cli.outputs import add_output_options, check_outputs, write_run_outputs
from fieldtotable.results.run import RunResult
from fieldtotable.scenario import (
    apply_overrides,
    builtin_scenario,
    dump_scenario,
    open_scenario,
    parse_assignments,
    scenario_json_schema,
)
from fieldtotable.scenario.schema import Scenario
from fieldtotable.simulation import simulate
from fieldtotable.tables import format_run
from fieldtotable.tables.listing import format_summary

__all__ = ["add_run_commands"]


def add_run_commands(commands: Any) -> None:
    """Add ``run``, ``report``, ``validate``, ``show`` and ``schema`` to the sub-parsers."""
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
        help=f"{SCENARIO_HELP} (default: {DEFAULT_SCENARIO})",
    )
    run.add_argument(
        "--seed",
        type=whole_number(0),
        default=0,
        metavar="N",
        help="seed of the replication, >= 0 (default: 0); same seed, same result",
    )
    add_replication(run)
    run.add_argument(
        "--days",
        type=whole_number(1),
        metavar="N",
        help="shorten the horizon to N days (1 to the scenario's horizon_days)",
    )
    run.add_argument(
        "--json", action="store_true", help="print the full result as JSON instead of tables"
    )
    add_wide(run, narrowed="wrapping meanings and names and leaving out the leg routes")
    add_set(run)
    add_output_options(run)
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
        help=f"{SCENARIO_HELP} (default: {DEFAULT_SCENARIO})",
    )
    report.add_argument(
        "--seed", type=whole_number(0), default=0, metavar="N", help="seed (default: 0)"
    )
    add_replication(report)
    report.add_argument(
        "--days", type=whole_number(1), metavar="N", help="shorten the horizon to N days"
    )
    report.add_argument(
        "-o",
        "--output",
        "--report",
        dest="report",
        default="report.html",
        metavar="PATH",
        help="the HTML file to write (default: report.html); --report as on every command",
    )
    add_set(report)
    add_output_options(report, report=False)
    report.set_defaults(handler=_make_report)

    validate = commands.add_parser(
        "validate",
        help="check a scenario and print a one-line summary",
        description="Load and check a scenario; report every problem found.",
    )
    validate.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    add_set(validate)
    add_wide(validate, narrowed="putting the counts on a second line when the name is long")
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
        help=f"{SCENARIO_HELP} (default: {DEFAULT_SCENARIO})",
    )
    add_set(show)
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


def _load(args: argparse.Namespace) -> Scenario:
    path: str | None = args.scenario
    # Bad --set texts are reported before the file is read: they cost nothing to check.
    overrides = parse_assignments(args.overrides)
    scenario = builtin_scenario(DEFAULT_SCENARIO) if path is None else open_scenario(path)
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
            raise BadOptionError(
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
        print(format_run(result, scenario, width=table_width(args)), file=out)
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
    print(format_summary(_load(args), width=table_width(args)), file=out)
    return EXIT_OK


def _show(args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    out.write(dump_scenario(_load(args)))
    return EXIT_OK


def _schema(_args: argparse.Namespace, out: TextIO, _err: TextIO) -> int:
    print(json.dumps(scenario_json_schema(), indent=2), file=out)
    return EXIT_OK
