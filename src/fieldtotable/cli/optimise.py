"""The ``fieldtotable optimise`` command.

::

    fieldtotable optimise SCENARIO --var PATH=int:LO..HI [--var ...]
        (--maximise KPI | --minimise KPI) [one more of either] [--subject-to 'KPI<=X' ...]
        [--budget N] [--delta D] [--seed S] [--days N] [--executor ...]
        [--workers N] [--out DIR] [--report FILE] [--json] [-q]

The handler reads the options with :meth:`SearchSpace.from_texts
<fieldtotable.optimise.SearchSpace.from_texts>` and
:func:`~fieldtotable.optimise.parse_constraints`, calls
:func:`fieldtotable.optimise.optimise` and prints the best configuration, its
estimates, the claim and the runs (``--json``: the result's JSON); ``--report FILE``
also computes the sensitivity around the best and writes the HTML report
(:func:`~fieldtotable.report.optimisation_report`). With two objectives
(``--maximise profit_cny --minimise co2_kg``) it prints the Pareto set instead: a
table of the front, the trade-offs shown real, the claim and the runs
(:func:`format_pareto`). A bad variable,
objective or constraint raises :class:`~fieldtotable.optimise.SpecificationError`, a
:class:`~fieldtotable.errors.ScenarioError`: the main command prints one line per
problem and exits 2; Optuna not installed, and a report file that cannot be written,
are one line and exit 2 as well.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
from typing import Any, TextIO

from fieldtotable.cli.experiment_support import add_run_options, fraction, open_shortened
from fieldtotable.cli.options import (
    DEFAULT_SCENARIO,
    EXIT_BAD_INPUT,
    EXIT_OK,
    PROG,
    SCENARIO_HELP,
    whole_number,
)
from fieldtotable.cli.outputs import OutputError, check_outputs, command_line
from fieldtotable.cli.tails import percentiles
from fieldtotable.errors import FieldToTableError, Problem, ScenarioError
from fieldtotable.experiment.tail_summary import TailRequest
from fieldtotable.optimise import (
    Constraint,
    Objective,
    SearchSpace,
    SpecificationError,
    parse_constraints,
    resolve_objective,
)
from fieldtotable.optimise.pareto_result import ParetoResult
from fieldtotable.optimise.search import optimise
from fieldtotable.optimise.search_result import Estimate, OptimisationResult
from fieldtotable.optimise.specification_error import problem
from fieldtotable.scenario.schema import Scenario
from fieldtotable.tables.format import TERMINAL_WIDTH, format_table

__all__ = ["GUARANTEE_WARNING", "add_optimise_command", "format_optimisation", "format_pareto"]

GUARANTEE_WARNING = (
    "WARNING: the probability guarantee does NOT hold: the budget cut a selection "
    "phase short, so no probability of correct selection is claimed (raise --budget)"
)
"""The line the text output shows, first and last, when a cap withdrew the claim."""

_count = whole_number(1)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number (got {text!r})") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0 (got {text})")
    return value


def _maximise(kpi: str) -> tuple[str, str]:
    return (kpi, "maximise")


def _minimise(kpi: str) -> tuple[str, str]:
    return (kpi, "minimise")


def add_optimise_command(subparsers: Any) -> None:
    """Add ``optimise`` to the main parser's sub-commands.

    Parameters
    ----------
    subparsers
        What ``ArgumentParser.add_subparsers()`` returned; the command sets
        ``handler``, a function ``(args, out, err) -> int``.
    """
    command = subparsers.add_parser(
        "optimise",
        help="find the best configuration under constraints (needs the optimise extra)",
        description=(
            "Search the --var space with Optuna (TPE), then select the best finalist "
            "meeting the --subject-to constraints with a stated probability of correct "
            "selection, on fresh replications with common random numbers. With two "
            "objectives (--maximise A --minimise B), NSGA-II searches and the Pareto set "
            "of the feasible candidates is decided on fresh replications."
        ),
    )
    command.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"{SCENARIO_HELP} (default: {DEFAULT_SCENARIO})",
    )
    command.add_argument(
        "--var",
        action="append",
        required=True,
        dest="variables",
        metavar="PATH=KIND:SPEC",
        help="a decision variable: PATH=int:LO..HI, PATH=real:LO..HI or PATH=choice:A,B; "
        "repeatable",
    )
    # Both append (KPI, direction) to one list, so the objectives keep the order given.
    command.add_argument(
        "--maximise",
        action="append",
        default=[],
        dest="objectives",
        type=_maximise,
        metavar="KPI",
        help="a KPI to make as high as it can be; with another --maximise or --minimise, "
        "the answer is a Pareto set",
    )
    command.add_argument(
        "--minimise",
        action="append",
        default=[],
        dest="objectives",
        type=_minimise,
        metavar="KPI",
        help="a KPI to make as low as it can be (one objective or two in all)",
    )
    command.add_argument(
        "--subject-to",
        action="append",
        default=[],
        dest="constraints",
        metavar="'KPI<=X'",
        help="a constraint on a KPI's mean, e.g. 'spoilage_rate <= 0.08'; repeatable",
    )
    command.add_argument(
        "--budget",
        type=_count,
        default=400,
        metavar="N",
        help="simulation runs in all (default: 400)",
    )
    command.add_argument(
        "--delta",
        type=_positive,
        metavar="D",
        help="indifference zone in the objective's unit (default: 1%% of the best search "
        "mean); one objective only",
    )
    add_run_options(command)
    command.add_argument(
        "--batch",
        type=_count,
        default=1,
        metavar="N",
        help="configurations the search proposes and runs together (default: 1); about "
        "workers / 3 keeps a parallel executor busy; the result depends on it, not on "
        "the executor",
    )
    command.add_argument(
        "--out",
        metavar="DIR",
        help="folder for the Optuna journal and the run store; a rerun resumes from it",
    )
    command.add_argument(
        "--report",
        metavar="FILE",
        help="also write a self-contained HTML report to FILE (and look at the "
        "sensitivity around the best: extra runs outside the budget)",
    )
    command.add_argument(
        "--quantiles",
        type=percentiles,
        metavar="P,P,...",
        help="quantiles of the objective and each constraint KPI over the best's final "
        "replications, in percent (e.g. 5,95)",
    )
    command.add_argument(
        "--cvar",
        type=fraction,
        metavar="LEVEL",
        help="CVaR of the objective and each constraint KPI at LEVEL (e.g. 0.9) over the "
        "best's final replications, on each one's bad side",
    )
    command.add_argument(
        "--json", action="store_true", help="print the result as JSON instead of text"
    )
    command.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar (best so far) on stderr"
    )
    command.set_defaults(handler=_optimise)


def _optimise(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``fieldtotable optimise``."""
    space, objectives, constraints = _read_specification(args)
    check_outputs(args)  # a report that could not be written fails before any run
    scenario = open_shortened(args.scenario, args.days)
    try:
        result = optimise(
            scenario,
            space,
            objectives[0] if len(objectives) == 1 else list(objectives),
            constraints=constraints,
            budget=args.budget,
            delta=args.delta,
            seed=args.seed,
            executor=args.executor,
            workers=args.workers,
            out=args.out,
            batch=args.batch,
            progress=False if args.quiet else err,
            sensitivity=bool(args.report) and len(objectives) == 1,
            tails=None
            if args.quantiles is None and args.cvar is None
            else TailRequest(quantiles=args.quantiles or (), cvar_level=args.cvar),
        )
    except ScenarioError:
        raise
    except (FieldToTableError, ValueError) as exc:
        print(f"{PROG} optimise: error: {exc}", file=err)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False), file=out)
    elif isinstance(result, ParetoResult):
        print(format_pareto(result), file=out)
    else:
        print(format_optimisation(result), file=out)
    if args.report:
        _write_report(args, result, scenario, err)
    return EXIT_OK


def _write_report(
    args: argparse.Namespace,
    result: OptimisationResult | ParetoResult,
    scenario: Scenario,
    err: TextIO,
) -> None:
    """Write the HTML report (the module loads matplotlib: imported only when asked)."""
    report = importlib.import_module("fieldtotable.report")
    make = report.pareto_report if isinstance(result, ParetoResult) else report.optimisation_report
    html = make(result, scenario=scenario, command=command_line(args))
    try:
        path = report.write_report(html, args.report)
    except OSError as exc:
        raise OutputError("--report", f"cannot write {args.report}: {exc.strerror}") from None
    print(f"report written to {path}", file=err)


def _read_specification(
    args: argparse.Namespace,
) -> tuple[SearchSpace, tuple[Objective, ...], tuple[Constraint, ...]]:
    """Read --var, the objectives and --subject-to, reporting every problem at once."""
    problems: list[Problem] = []
    space: SearchSpace | None = None
    objectives: list[Objective] = []
    constraints: tuple[Constraint, ...] = ()
    try:
        space = SearchSpace.from_texts(args.variables)
    except SpecificationError as exc:
        problems += exc.problems
    if not 1 <= len(args.objectives) <= 2:
        found = problem(
            "--maximise/--minimise",
            f"give one objective, or two for a Pareto set (got {len(args.objectives)})",
        )
        problems += found.problems
    for kpi, direction in args.objectives:
        try:
            objectives.append(resolve_objective(kpi, direction))
        except SpecificationError as exc:
            problems += exc.problems
    try:
        constraints = parse_constraints(args.constraints)
    except SpecificationError as exc:
        problems += exc.problems
    if problems or space is None:
        raise SpecificationError(problems)
    return space, tuple(objectives), constraints


def format_optimisation(result: OptimisationResult) -> str:
    """Return the result as text: the best, its estimates, the claim and the runs.

    Parameters
    ----------
    result
        What :func:`~fieldtotable.optimise.search.optimise` returned.

    Returns
    -------
    str
        A few lines for the terminal; :data:`GUARANTEE_WARNING` above the best and
        again at the end when a cap withdrew the claim, and the sensitivity around
        the best when it was computed.
    """
    lines = [f"objective: {result.objective}"]
    if result.constraints:
        lines.append(f"subject to: {'; '.join(result.constraints)}")
    best = result.best
    if best is None:
        lines.append("no finalist was shown feasible")
    else:
        if not best.pcs.guarantee_holds:
            lines.append(GUARANTEE_WARNING)
        lines.append("best:")
        lines += [f"  {path} = {value}" for path, value in best.params.items()]
        low, high = best.objective.ci
        lines.append(
            f"  {result.objective.split(' ', 1)[1]}: {best.objective.mean:.6g} "
            f"(95% CI {low:.6g} .. {high:.6g}, {best.objective.n} fresh replications)"
        )
        for found in best.constraints:
            low, high = found.estimate.ci
            lines.append(
                f"  {found.constraint}: mean {found.estimate.mean:.6g} (95% CI {low:.6g} .. "
                f"{high:.6g}), met in {found.probability_holds:.0%} of replications"
            )
        for row in best.tails:
            cells = ", ".join(
                f"{tail.statistic.split(' (', 1)[0]} {tail.value:.6g} ({tail.low:.6g} .. "
                f"{tail.high:.6g})"
                for tail in row.estimates
            )
            lines.append(f"  tails of {row.kpi} over {best.objective.n} replications: {cells}")
    lines.append(f"claim: {result.claim}")
    runs = ", ".join(
        f"{phase} {count}"
        for phase, count in result.runs.items()
        if phase not in ("total", "sensitivity")
    )
    lines.append(f"runs: {result.runs['total']} of {result.budget} ({runs})")
    if result.refused:
        lines.append(
            f"refused: {len(result.refused)} configuration(s) the scenario refuses, never "
            f"run (first: {result.refused[0].reason})"
        )
    if result.sensitivity:
        lines.append(f"sensitivity around the best ({result.runs['sensitivity']} more runs):")
        for record in result.sensitivity:
            low, high = record.difference.ci
            kept = "" if record.meets_constraints else ", breaks a constraint on its means"
            lines.append(
                f"  {record.variable} {record.best_value} -> {record.value}: "
                f"{record.difference.mean:+.6g} (95% CI {low:.6g} .. {high:.6g}){kept}"
            )
    if best is not None and not best.pcs.guarantee_holds:
        lines.append(GUARANTEE_WARNING)
    return "\n".join(lines)


def format_pareto(result: ParetoResult) -> str:
    """Return a Pareto set as text: a table of the front, its trade-offs, claim and runs.

    Parameters
    ----------
    result
        What :func:`~fieldtotable.optimise.search.optimise` returned for two
        objectives.

    Returns
    -------
    str
        The objectives and constraints, one table row per front member (its values,
        each objective's mean ± the half-width of its 95 % interval, each
        constraint's mean), the pairs whose trade-off is not shown, the claim and the
        runs.
    """
    lines = [f"objectives: {'; '.join(result.objectives)}"]
    if result.constraints:
        lines.append(f"subject to: {'; '.join(result.constraints)}")
    if result.front:
        paths = list(result.front[0].params)
        kpis = [objective.split(" ", 1)[1] for objective in result.objectives]
        headers = [
            "#",
            *paths,
            *(f"{kpi}\nmean ± 95% CI" for kpi in kpis),
            *(f"{text}\nmean" for text in result.constraints),
        ]
        rows = [
            [
                str(position),
                *(str(member.params[path]) for path in paths),
                *(_plus_minus(found) for found in member.objectives),
                *(f"{found.estimate.mean:.6g}" for found in member.constraints),
            ]
            for position, member in enumerate(result.front, start=1)
        ]
        lines.append(f"Pareto set ({len(result.front)} of {len(result.candidates)} candidates):")
        lines.append(format_table(headers, rows, width=TERMINAL_WIDTH))
        unclear = [
            f"#{comparison.first + 1} and #{comparison.second + 1}"
            for comparison in result.comparisons
            if comparison.verdict != "trade-off"
        ]
        if result.comparisons:
            lines.append(
                "every trade-off on the front is significant"
                if not unclear
                else f"trade-off not shown significant: {', '.join(unclear)}"
            )
    lines.append(f"claim: {result.claim}")
    runs = ", ".join(f"{phase} {count}" for phase, count in result.runs.items() if phase != "total")
    lines.append(f"runs: {result.runs['total']} of {result.budget} ({runs})")
    return "\n".join(lines)


def _plus_minus(found: Estimate) -> str:
    """Return ``mean ± half-width`` of an estimate (just the mean without an interval)."""
    low, high = found.ci
    if math.isnan(low) or math.isnan(high):  # fewer than two replications
        return f"{found.mean:.6g}"
    half_width = float(f"{(high - low) / 2:.3g}")  # three significant digits, no exponent
    return f"{found.mean:.6g} ± {half_width:.15g}"
