"""The experiment commands of the ``fieldtotable`` command line.

::

    fieldtotable replicate [SCENARIO] [-n N|auto] [--seed N] [--store DIR] ...
    fieldtotable compare A.yaml B.yaml [...] [-n N] [--baseline A] ...
    fieldtotable sweep [SCENARIO] --grid PATH=V1,V2 [--grid ...] [-n N] [--store DIR] ...

Each command also takes ``--days``, ``--set PATH=VALUE``, ``--kpi KEY``, ``--workers``,
``--executor serial|process|dask``, ``--dask-address tcp://host:8786``, ``--store DIR``
(the resumable run store), ``--json``, ``--wide``, ``--quiet``, ``--report PATH`` (a
self-contained HTML report) and ``--out DIR [--format csv|json|parquet]`` (the
result's tables), with the meanings these names have on every command
(:mod:`fieldtotable.cli.options`). The handlers call
:func:`fieldtotable.experiment.replicate`, :func:`~fieldtotable.experiment.compare`
and :func:`~fieldtotable.experiment.sweep` and print
:mod:`fieldtotable.tables`; no logic lives here.

:func:`add_experiment_commands` adds the commands to the main parser's
sub-parsers. Handlers have the signature ``(args, out, err) -> int``: a bad scenario
or ``--set``/``--grid`` raises :class:`~fieldtotable.errors.ScenarioError` (the main
command prints one line per problem and exits 2); bad experiment options (an
unknown KPI, an output directory holding another experiment, Dask not installed)
print ``fieldtotable COMMAND: error: ...`` and return 2, as does a run store that
cannot be written (disk full, permission); runs that failed print one line each
(with the first traceback) and return 1. A stored run that is not reused (edited,
damaged) prints ``fieldtotable COMMAND: warning: FILE: ...; rerunning ...``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
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
    add_renamed,
    add_store,
    add_wide,
    table_width,
    whole_number,
)
from fieldtotable.cli.outputs import (
    add_output_options,
    check_outputs,
    write_experiment_outputs,
)
from fieldtotable.cli.tails import add_tail_options, tail_output, tail_request
from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.experiment import (
    EXECUTORS,
    StoppingRule,
    compare,
    replicate,
    sweep,
)
from fieldtotable.scenario.overrides import parse_assignments, parse_override_path
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.yaml_loader import parse_yaml
from fieldtotable.tables import format_comparison, format_experiment, format_sweep

__all__ = ["add_experiment_commands", "parse_grid"]

_count = whole_number(1)
_seed = whole_number(0)


def _count_or_auto(text: str) -> int | str:
    return "auto" if text.strip().lower() == "auto" else _count(text)


def _common(
    command: argparse.ArgumentParser, *, n_default: int, narrowed: str, auto: bool = False
) -> None:
    """Add the options every experiment command takes."""
    command.add_argument(
        "-n",
        type=_count_or_auto if auto else _count,
        default=n_default,
        metavar="N|auto" if auto else "N",
        help=f"replications (default: {n_default})"
        + ("; 'auto' adds them until --target is reached" if auto else ""),
    )
    command.add_argument(
        "--seed", type=_seed, default=0, metavar="N", help="seed of the experiment (default: 0)"
    )
    command.add_argument("--days", type=_count, metavar="N", help="shorten the horizon to N days")
    command.add_argument(
        "--set",
        action="append",
        default=[],
        dest="overrides",
        metavar="PATH=VALUE",
        help="change one value of the scenario (e.g. --set scale=2); repeatable",
    )
    command.add_argument(
        "--kpi",
        action="append",
        dest="kpis",
        metavar="KEY",
        help="KPI to report (e.g. sold_kg, by_product.matsutake.spoilage_rate); repeatable",
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
        "--workers", type=_count, metavar="N", help="runs at once (default: all usable cores)"
    )
    command.add_argument(
        "--dask-address",
        metavar="ADDRESS",
        help="scheduler of a Dask cluster, e.g. tcp://host:8786 (needs the dask extra)",
    )
    add_store(command)
    command.add_argument(
        "--json", action="store_true", help="print the result as JSON instead of tables"
    )
    add_wide(command, narrowed=narrowed)
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    add_output_options(command)
    add_renamed(command, "--export", new="--out", dest="tables_dir", metavar="DIR")


def add_experiment_commands(subparsers: Any) -> None:
    """Add ``replicate``, ``compare`` and ``sweep`` to the main parser's sub-commands.

    Parameters
    ----------
    subparsers
        What ``ArgumentParser.add_subparsers()`` returned; each command sets
        ``handler``, a function ``(args, out, err) -> int``.
    """
    rep = subparsers.add_parser(
        "replicate",
        help="run replications and print every KPI with its confidence interval",
        description=(
            "Run independent replications of a scenario and print every KPI as mean ± "
            "half-width with its Student-t confidence interval. With -n auto, "
            "replications are added until the KPIs of --stop-kpi reach --target."
        ),
    )
    rep.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"{SCENARIO_HELP} (default: {DEFAULT_SCENARIO})",
    )
    _common(
        rep,
        n_default=30,
        auto=True,
        narrowed="leaving out the [low, high] column where it does not fit",
    )
    add_tail_options(rep, precision_target=True)
    rep.add_argument(
        "--stop-kpi",
        action="append",
        metavar="KEY",
        help="with -n auto: KPI that must reach --target (default: sold_kg, spoilage_rate)",
    )
    rep.add_argument(
        "--min-n", type=_count, default=10, metavar="N", help="with -n auto: first check"
    )
    rep.add_argument("--max-n", type=_count, default=200, metavar="N", help="with -n auto: cap")
    rep.set_defaults(handler=guard(_replicate))

    cmp_ = subparsers.add_parser(
        "compare",
        help="run scenarios with common random numbers and print paired differences",
        description=(
            "Run two or more scenarios with common random numbers (replication i of "
            "each uses the same random streams) and print, for each against the "
            "baseline, the paired difference of every KPI with its confidence "
            "interval; '*' marks differences whose interval excludes 0."
        ),
    )
    cmp_.add_argument("scenarios", nargs="+", metavar="SCENARIO", help=SCENARIO_HELP)
    cmp_.add_argument(
        "--baseline",
        metavar="NAME",
        help="the scenario the others are compared with: a file as given, or its name "
        "without .yaml (default: the first)",
    )
    _common(
        cmp_,
        n_default=30,
        narrowed="showing the means without half-widths and the differences without "
        "their intervals",
    )
    add_tail_options(cmp_, precision_target=False)
    cmp_.set_defaults(handler=guard(_compare))

    swp = subparsers.add_parser(
        "sweep",
        help="run replications over a grid of scenario values",
        description=(
            "Run replications of every combination of the --grid values (full "
            "factorial) and print each point's KPIs as mean ± half-width."
        ),
    )
    swp.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"{SCENARIO_HELP} (default: {DEFAULT_SCENARIO})",
    )
    swp.add_argument(
        "--grid",
        action="append",
        required=True,
        metavar="PATH=V1,V2",
        help="a field path and its values, e.g. --grid scale=1,2,5 or "
        "--grid legs.a.dispatch.departures_h=[18],[6,18]; repeatable",
    )
    _common(
        swp,
        n_default=10,
        narrowed="breaking headers and splitting a wide table into parts",
    )
    add_tail_options(swp, precision_target=False)
    swp.set_defaults(handler=guard(_sweep))


def parse_grid(texts: list[str]) -> dict[str, list[Any]]:
    """Read ``--grid PATH=V1,V2`` options: the values are a YAML flow list without brackets.

    Parameters
    ----------
    texts
        ``["scale=1,2,5", "legs.a.fleet=1,2"]``.

    Returns
    -------
    dict
        Path -> values, in order.

    Raises
    ------
    ScenarioError
        With one problem per malformed text (named ``--grid TEXT``), or a path given twice.
    """
    grid: dict[str, list[Any]] = {}
    problems: list[ScenarioError] = []
    for text in texts:
        label = f"--grid {text}"
        path, equals, raw = text.partition("=")
        path = path.strip()
        try:
            if not equals or not path:
                raise ScenarioError.single("expected PATH=V1,V2,...", file=label)
            try:
                parse_override_path(path)
            except ValueError as exc:
                raise ScenarioError.single(str(exc), file=label) from None
            if not raw.strip():
                raise ScenarioError.single("no values after '='", file=label)
            values, _ = parse_yaml(f"[{raw}]", label)
            if not isinstance(values, list) or not values:
                raise ScenarioError.single("no values after '='", file=label)
            if path in grid:
                raise ScenarioError.single("this path is already in the grid", file=label)
            grid[path] = values
        except ScenarioError as exc:
            problems.append(exc)
    if problems:
        raise ScenarioError(p for exc in problems for p in exc.problems)
    return grid


def _footer(wall_time_s: float, args: argparse.Namespace) -> str:
    where = f" | runs in {args.store}" if args.store else ""
    return f"seed {args.seed} | wall time {wall_time_s:.1f} s{where}"


def _emit(text: str, footer: str, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    print(text, file=out)
    if args.json:
        print(footer, file=err)
    else:
        print(file=out)
        print(footer, file=out)
    return EXIT_OK


def _replicate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``fieldtotable replicate``."""
    overrides = parse_assignments(args.overrides)
    scenario = read_scenario(args.scenario, args, overrides)
    stopping = None
    if args.n == "auto":
        try:
            stopping = StoppingRule(
                kpis=tuple(args.stop_kpi or StoppingRule().kpis),
                relative_half_width=args.target,
                n_min=args.min_n,
                n_max=args.max_n,
            )
        except ValueError as exc:
            raise OptionError(str(exc)) from None
    elif args.stop_kpi:
        raise OptionError("argument --stop-kpi: needs -n auto")
    tails = tail_request(args, scenario)
    check_outputs(args)
    result = replicate(scenario, args.n, stopping=stopping, **engine_options(args, err))
    text = result.to_json() if args.json else format_experiment(result, width=table_width(args))
    if tails is not None:
        text = tail_output(result, tails, text, as_json=args.json, width=table_width(args))
    code = _emit(text, _footer(result.wall_time_s, args), args, out, err)
    write_experiment_outputs(args, result, scenario, err)
    return code


def _compare_names(paths: list[str]) -> list[str]:
    stems = [Path(path).stem for path in paths]
    if len(set(stems)) == len(stems):
        return stems
    return list(paths)


def _pick_baseline(wanted: str, names: list[str], paths: list[str]) -> str:
    for name, path in zip(names, paths, strict=True):
        if wanted in {name, path}:
            return name
    if os.path.exists(wanted):
        for name, path in zip(names, paths, strict=True):
            if os.path.exists(path) and os.path.samefile(path, wanted):
                return name
    raise OptionError(
        f"argument --baseline: {wanted!r} is not one of the scenarios ({', '.join(names)})"
    )


def _compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``fieldtotable compare``."""
    paths: list[str] = args.scenarios
    if len(paths) < 2:
        raise OptionError("compare needs at least two scenario files")
    if len(set(paths)) != len(paths):
        raise OptionError("a scenario file is given twice")
    names = _compare_names(paths)
    baseline = names[0] if args.baseline is None else _pick_baseline(args.baseline, names, paths)
    overrides = parse_assignments(args.overrides)
    scenarios: dict[str, Scenario] = {}
    problems: list[Problem] = []
    for name, path in zip(names, paths, strict=True):
        try:
            scenarios[name] = read_scenario(path, args, overrides)
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    tails = tail_request(args, list(scenarios.values()))
    check_outputs(args)
    result = compare(scenarios, args.n, baseline=baseline, **engine_options(args, err))
    text = result.to_json() if args.json else format_comparison(result, width=table_width(args))
    if tails is not None:
        text = tail_output(result, tails, text, as_json=args.json, width=table_width(args))
    code = _emit(text, _footer(result.wall_time_s, args), args, out, err)
    write_experiment_outputs(args, result, scenarios, err)
    return code


def _sweep(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``fieldtotable sweep``."""
    overrides = parse_assignments(args.overrides)
    grid = parse_grid(args.grid)
    scenario = read_scenario(args.scenario, args, overrides)
    tails = tail_request(args, scenario)
    check_outputs(args)
    result = sweep(scenario, grid, args.n, **engine_options(args, err))
    text = (
        result.to_json() if args.json else format_sweep(result, args.kpis, width=table_width(args))
    )
    if tails is not None:
        text = tail_output(result, tails, text, as_json=args.json, width=table_width(args))
    code = _emit(text, _footer(result.wall_time_s, args), args, out, err)
    write_experiment_outputs(args, result, scenario, err)
    return code
