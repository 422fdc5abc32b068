"""The ``fieldtotable optimise`` command.

::

    fieldtotable optimise SCENARIO --var PATH=int:LO..HI [--var ...]
        --maximise KPI | --minimise KPI [--subject-to 'KPI<=X' ...]
        [--budget N] [--delta D] [--seed S] [--days N] [--executor ...]
        [--workers N] [--out DIR] [--report FILE] [--json] [-q]

The handler reads the options with :meth:`SearchSpace.from_texts
<fieldtotable.optimise.SearchSpace.from_texts>` and
:func:`~fieldtotable.optimise.parse_constraints`, calls
:func:`fieldtotable.optimise.optimise` and prints the best configuration, its
estimates, the claim and the runs (``--json``: the result's JSON); ``--report FILE``
also computes the sensitivity around the best and writes the HTML report
(:func:`~fieldtotable.report.optimisation_report`). A bad variable,
objective or constraint raises :class:`~fieldtotable.optimise.SpecificationError`, a
:class:`~fieldtotable.errors.ScenarioError`: the main command prints one line per
problem and exits 2; Optuna not installed, and a report file that cannot be written,
are one line and exit 2 as well.
"""

from __future__ import annotations

import argparse
import importlib
import json
from typing import Any, TextIO

from fieldtotable.cli.options import (
    DEFAULT_SCENARIO,
    EXIT_BAD_INPUT,
    EXIT_OK,
    PROG,
    SCENARIO_HELP,
    whole_number,
)
from fieldtotable.cli.outputs import OutputError, check_outputs, command_line
from fieldtotable.errors import FieldToTableError, Problem, ScenarioError
from fieldtotable.experiment import EXECUTORS
from fieldtotable.optimise import (
    Constraint,
    SearchSpace,
    SpecificationError,
    parse_constraints,
    resolve_objective,
)
from fieldtotable.optimise.search import optimise
from fieldtotable.optimise.search_result import OptimisationResult
from fieldtotable.scenario import builtin_scenario, open_scenario
from fieldtotable.scenario.schema import Scenario

__all__ = ["GUARANTEE_WARNING", "add_optimise_command", "format_optimisation"]

GUARANTEE_WARNING = (
    "WARNING: the probability guarantee does NOT hold: the budget cut a selection "
    "phase short, so no probability of correct selection is claimed (raise --budget)"
)
"""The line the text output shows, first and last, when a cap withdrew the claim."""

_count = whole_number(1)
_seed = whole_number(0)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number (got {text!r})") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0 (got {text})")
    return value


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
            "selection, on fresh replications with common random numbers."
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
    goal = command.add_mutually_exclusive_group(required=True)
    goal.add_argument("--maximise", metavar="KPI", help="the KPI to make as high as it can be")
    goal.add_argument("--minimise", metavar="KPI", help="the KPI to make as low as it can be")
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
        help="indifference zone in the objective's unit (default: 1%% of the best search mean)",
    )
    command.add_argument(
        "--seed", type=_seed, default=0, metavar="N", help="seed of the experiment (default: 0)"
    )
    command.add_argument("--days", type=_count, metavar="N", help="shorten the horizon to N days")
    command.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="serial",
        help="where runs execute (default: serial)",
    )
    command.add_argument(
        "--workers", type=_count, metavar="N", help="runs at once (default: all usable cores)"
    )
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
        "--json", action="store_true", help="print the result as JSON instead of text"
    )
    command.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar (best so far) on stderr"
    )
    command.set_defaults(handler=_optimise)


def _optimise(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``fieldtotable optimise``."""
    space, constraints = _read_specification(args)
    check_outputs(args)  # a report that could not be written fails before any run
    scenario = (
        builtin_scenario(DEFAULT_SCENARIO)
        if args.scenario is None
        else open_scenario(args.scenario)
    )
    if args.days is not None:
        if args.days > scenario.horizon_days:
            raise ScenarioError.single(
                f"must be at most the scenario's horizon_days, {scenario.horizon_days} "
                f"(got {args.days})",
                file="--days",
            )
        scenario = scenario.with_horizon(args.days)
    kpi, direction = (
        (args.maximise, "maximise") if args.maximise is not None else (args.minimise, "minimise")
    )
    try:
        result = optimise(
            scenario,
            space,
            kpi,
            direction=direction,
            constraints=constraints,
            budget=args.budget,
            delta=args.delta,
            seed=args.seed,
            executor=args.executor,
            workers=args.workers,
            out=args.out,
            batch=args.batch,
            progress=False if args.quiet else err,
            sensitivity=bool(args.report),
        )
    except ScenarioError:
        raise
    except (FieldToTableError, ValueError) as exc:
        print(f"{PROG} optimise: error: {exc}", file=err)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False), file=out)
    else:
        print(format_optimisation(result), file=out)
    if args.report:
        _write_report(args, result, scenario, err)
    return EXIT_OK


def _write_report(
    args: argparse.Namespace, result: OptimisationResult, scenario: Scenario, err: TextIO
) -> None:
    """Write the HTML report (the module loads matplotlib: imported only when asked)."""
    report = importlib.import_module("fieldtotable.report")
    html = report.optimisation_report(result, scenario=scenario, command=command_line(args))
    try:
        path = report.write_report(html, args.report)
    except OSError as exc:
        raise OutputError("--report", f"cannot write {args.report}: {exc.strerror}") from None
    print(f"report written to {path}", file=err)


def _read_specification(
    args: argparse.Namespace,
) -> tuple[SearchSpace, tuple[Constraint, ...]]:
    """Read --var, the objective and --subject-to, reporting every problem at once."""
    problems: list[Problem] = []
    space: SearchSpace | None = None
    constraints: tuple[Constraint, ...] = ()
    try:
        space = SearchSpace.from_texts(args.variables)
    except SpecificationError as exc:
        problems += exc.problems
    kpi = args.maximise if args.maximise is not None else args.minimise
    try:
        resolve_objective(kpi, "maximise" if args.maximise is not None else "minimise")
    except SpecificationError as exc:
        problems += exc.problems
    try:
        constraints = parse_constraints(args.constraints)
    except SpecificationError as exc:
        problems += exc.problems
    if problems or space is None:
        raise SpecificationError(problems)
    return space, constraints


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
