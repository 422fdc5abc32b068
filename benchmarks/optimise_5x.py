"""The worked planner question: the investments that take the channel to 5x (issue 15).

Usage, from the repository root (about 10-15 minutes on 2 cores at the default
budget)::

    python benchmarks/optimise_5x.py --executor process --workers 2

The question: at five times the 2023 volume, on the 2023 equipment and under the
realistic overload policies (``scenarios/scale_5x_planner.yaml``), the channel spoils
6.7 % of its harvest but fills only 83 % of its demand. Which investments in the five
:data:`LEVERS` maximise the year's profit (the investments' capital and rent
included) subject to spoilage rate <= 8 % and fill rate >= 90 %?

It runs :func:`fieldtotable.optimise.optimise` (Optuna's TPE search, then Batur & Kim's
feasibility check and Kim & Nelson's selection among the finalists, then fresh final
replications of the winner) with :data:`CONSTRAINTS`, and then

* simulates the 2023 equipment (every lever at :attr:`Lever.now`) on the winner's
  final replication indices, so the winner is compared with doing nothing pair by pair
  (common random numbers);
* counts the grid the search replaced (:func:`grid_comparison`): every combination of
  the levers' :attr:`Lever.grid` values, each simulated as often as the optimiser
  simulated its winner.

It writes to ``--out`` (default ``benchmarks/reference/optimise_5x``):

* ``optimise_5x.json``: the optimiser's result (``OptimisationResult.to_json``), the
  comparison with the 2023 equipment, the grid count, wall time and environment;
* ``optimise_5x.md``: the same as tables (docs/benchmarks.md and
  docs/how-to/optimise-an-investment.md quote it);
* ``runs/`` and ``optuna-journal.log``: the optimiser's run store and Optuna's journal
  (a rerun with the same arguments reads the stored runs back instead of simulating).

``--days`` shortens every run (the tests use it with a tiny budget).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import fieldtotable as ft
from fieldtotable.experiment.engine import Engine, Point
from fieldtotable.optimise import Integer, Real
from fieldtotable.optimise import optimise as find_best
from fieldtotable.optimise.objectives import Constraint
from fieldtotable.optimise.search import FINAL_START
from fieldtotable.optimise.search_result import Estimate, OptimisationResult, estimate
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.variables import ParameterValue, Variable
from fieldtotable.results.paths import kpi_value
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "scale_5x_planner.yaml"
OBJECTIVE = "profit_cny"


@dataclass(frozen=True)
class Lever:
    """One investment the planner may make: a decision variable of the search.

    Attributes
    ----------
    path
        The scenario field (a dotted path of :func:`fieldtotable.scenario.apply_overrides`).
    variable
        Its range in the search (:class:`~fieldtotable.optimise.Integer` or
        :class:`~fieldtotable.optimise.Real`).
    grid
        Its values in the grid the search replaces: every integer, a real variable at
        the resolution a planner would buy it in.
    now
        Its 2023 size (the scenario's value; the low end of the range).
    label
        What it is, for tables.
    cost
        How the money model charges it (docs/calibration.md section 12).
    """

    path: str
    variable: Variable
    grid: tuple[float, ...]
    now: float
    label: str
    cost: str


LEVERS: tuple[Lever, ...] = (
    Lever(
        "markets.shanghai_store.shelf_capacity_kg",
        Real(1_500, 6_000),
        tuple(float(kg) for kg in range(1_500, 6_001, 500)),
        1_500,
        "the Shanghai shop's shelf (kg)",
        "shelf capital 100 CNY per kg, 8 years",
    ),
    Lever(
        "legs.kunming_shanghai.fleet",
        Integer(2, 5),
        (2, 3, 4, 5),
        2,
        "Kunming -> Shanghai 9.6 m reefer trucks",
        "425,000 CNY per truck, 8 years",
    ),
    Lever(
        "legs.shangrila_cp_hub.fleet",
        Integer(1, 3),
        (1, 2, 3),
        1,
        "Shangri-La town vans (3 t)",
        "150,000 CNY per van, 8 years",
    ),
    Lever(
        "collection_points.shangrila_cp.cold_room_kg",
        Real(20_000, 60_000),
        tuple(float(kg) for kg in range(20_000, 60_001, 10_000)),
        20_000,
        "the Shangri-La collection point's cold room (kg)",
        "cold-room capital 5 CNY per kg, 15 years",
    ),
    Lever(
        "hubs.kunming_dc.storage_kg",
        Real(60_000, 150_000),
        tuple(float(kg) for kg in range(60_000, 150_001, 30_000)),
        60_000,
        "the Kunming DC (kg, rented)",
        "rent 1.46 CNY per kg of capacity and year",
    ),
)
"""The decision variables. The first three bind at 5x (the shop's shelf, the Kunming ->
Shanghai trucks, the Shangri-La van); the cold room and the Kunming DC are full at 5x
too, but only behind the van and the trucks: the search must learn not to pay for
them."""

CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint("spoilage_rate", "<=", 0.08, tolerance=0.004),
    Constraint("fill_rate", ">=", 0.90, tolerance=0.005),
)
"""Spoilage at most 8 % (ε 0.4 points, the optimiser's default of 5 % of the limit) and
fill rate at least 90 % (ε 0.5 points: the default, 5 % of 0.90 = 4.5 points, would
let a channel filling 86 % pass)."""

DELTA_CNY = 1_000_000.0
"""The indifference zone δ: a profit difference of 1 M CNY a year (about 1 % of the
winner's profit) is the smallest worth telling apart."""

COMPARED_KPIS: tuple[tuple[str, str, float, int], ...] = (
    ("profit_cny", "profit (M CNY)", 1e-6, 2),
    ("sold_value_cny", "sold value (M CNY)", 1e-6, 1),
    ("spoilage_rate", "spoilage (%)", 100.0, 2),
    ("fill_rate", "fill rate (%)", 100.0, 2),
    ("refused_kg", "refused (t)", 1e-3, 0),
    ("capital_cost_cny", "capital (M CNY)", 1e-6, 3),
    ("storage_cost_cny", "storage incl. rent (M CNY)", 1e-6, 3),
    ("transport_cost_cny", "transport (M CNY)", 1e-6, 2),
)
"""KPIs of the winner against the 2023 equipment: key, heading, scale, decimals."""


def variables(levers: Sequence[Lever] = LEVERS) -> dict[str, Variable]:
    """Return the search's variables, path -> variable.

    Parameters
    ----------
    levers
        The levers.

    Returns
    -------
    dict of str to Variable
        In the levers' order.
    """
    return {lever.path: lever.variable for lever in levers}


def grid_comparison(result: OptimisationResult, levers: Sequence[Lever] = LEVERS) -> dict[str, Any]:
    """Count the grid of the same levers that the search replaced.

    The grid holds every combination of the levers' :attr:`Lever.grid` values. The rule
    for its replications: each configuration gets as many as the optimiser gave the
    configuration it recommends (search, feasibility check, selection and final
    estimate together), so that every grid point is known as well as the winner is.
    The floor, ``final_replications`` per configuration (the winner's final estimate
    alone), is reported too.

    Parameters
    ----------
    result
        The optimiser's result.
    levers
        The levers searched.

    Returns
    -------
    dict of str to Any
        ``configurations``, ``replications_per_configuration`` (the rule),
        ``grid_runs``, ``runs_used``, ``ratio`` (runs used / grid runs), and the
        same under the floor (``floor_replications``, ``floor_grid_runs``,
        ``floor_ratio``), plus each lever's grid size.
    """
    configurations = math.prod(len(lever.grid) for lever in levers)
    runs_used = int(result.runs["total"])
    winner = _winner_record(result)
    per_configuration = None if winner is None else _total_replications(result, winner)
    floor = int(result.settings["final_replications"])
    grid_runs = None if per_configuration is None else configurations * per_configuration
    return {
        "values_per_lever": {lever.path: len(lever.grid) for lever in levers},
        "configurations": configurations,
        "replications_per_configuration": per_configuration,
        "grid_runs": grid_runs,
        "runs_used": runs_used,
        "ratio": None if grid_runs is None else runs_used / grid_runs,
        "floor_replications": floor,
        "floor_grid_runs": configurations * floor,
        "floor_ratio": runs_used / (configurations * floor),
        "rule": (
            "every grid configuration simulated as often as the optimiser simulated "
            "the configuration it recommends (search + feasibility + selection + final); "
            "floor: the final estimate's replications alone"
        ),
    }


def _winner_record(result: OptimisationResult) -> Any:
    """Return the trial record of the recommended configuration, or ``None``."""
    if result.best is None:
        return None
    for record in result.trials:
        if dict(record.params) == dict(result.best.params):
            return record
    return None


def _total_replications(result: OptimisationResult, record: Any) -> int:
    """Return every replication the optimiser ran of one configuration, all phases."""
    del result  # the record counts the final block too
    return int(record.replications)


def _points(
    scenario: Scenario, configurations: Sequence[Mapping[str, ParameterValue]]
) -> list[Point]:
    """Return the engine's points of configurations of ``scenario``."""
    space = SearchSpace(variables())
    points = []
    for configuration in configurations:
        changed = space.apply(scenario, configuration)
        points.append(
            Point(space.key(configuration), changed, scenario_hash(changed), dict(configuration))
        )
    return points


def compare_with_now(
    scenario: Scenario,
    winner: Mapping[str, ParameterValue],
    replications: range,
    seed: int,
    executor: str,
    workers: int | None,
    levers: Sequence[Lever] = LEVERS,
) -> dict[str, Any]:
    """Simulate the winner, the 2023 equipment and the winner less each investment.

    All on the same replication indices, so every difference is paired (common random
    numbers). "Less an investment" is the winner with one lever back at its 2023
    size, or a grown fleet one vehicle smaller: what that investment earns, given the
    others.

    Parameters
    ----------
    scenario
        The base scenario.
    winner
        The recommended configuration.
    replications
        The indices (the winner's final block: its rows are those the optimiser
        reported).
    seed
        The experiment's seed.
    executor, workers
        Where the runs execute.
    levers
        The levers (their :attr:`Lever.now` values make the 2023 configuration).

    Returns
    -------
    dict
        ``winner``, ``now`` and ``difference`` (winner - now), each KPI of
        :data:`COMPARED_KPIS` -> :class:`Estimate` (mean and 95 % Student-t interval);
        ``trims``: a list, per lever the winner changed, then per fleet it grew by more
        than one vehicle (that fleet one smaller): ``path``, ``value`` (the lever's
        value taken back), ``values`` (that configuration's estimates) and
        ``difference`` (winner - it), in the same form.
    """
    now = {lever.path: _typed(lever, lever.now) for lever in levers}
    taken_back = [(lever.path, now[lever.path]) for lever in levers]
    # A fleet grown by more than one vehicle is also tried one vehicle smaller.
    taken_back += [
        (lever.path, _typed(lever, float(winner[lever.path]) - 1))
        for lever in levers
        if isinstance(lever.variable, Integer) and float(winner[lever.path]) - 1 > lever.now
    ]
    taken_back = [(path, value) for path, value in taken_back if winner[path] != value]
    trimmed = [{**winner, path: value} for path, value in taken_back]
    points = _points(scenario, [winner, now, *trimmed])
    with Engine(executor, workers, None, None, False, "compare") as engine:
        runs = engine.run(points, replications, seed)
    values = {
        key: np.array([[kpi_value(run, key) for run in point_runs] for point_runs in runs])
        for key, *_ in COMPARED_KPIS
    }
    return {
        "winner": {key: estimate(rows[0]) for key, rows in values.items()},
        "now": {key: estimate(rows[1]) for key, rows in values.items()},
        "difference": {key: estimate(rows[0] - rows[1]) for key, rows in values.items()},
        "trims": [
            {
                "path": path,
                "value": value,
                "values": {key: estimate(rows[2 + index]) for key, rows in values.items()},
                "difference": {
                    key: estimate(rows[0] - rows[2 + index]) for key, rows in values.items()
                },
            }
            for index, (path, value) in enumerate(taken_back)
        ],
    }


def _typed(lever: Lever, value: float) -> ParameterValue:
    """Return ``value`` as the lever's variable holds it (``int`` for an Integer)."""
    return int(value) if isinstance(lever.variable, Integer) else float(value)


def _pm(value: Estimate, scale: float, decimals: int, sign: str = "") -> str:
    """Return ``mean ± half-width`` of an estimate, scaled."""
    half = (value.ci[1] - value.ci[0]) / 2.0
    return f"{value.mean * scale:{sign},.{decimals}f} ± {half * scale:,.{decimals}f}"


def _value(lever: Lever, value: ParameterValue) -> str:
    """Return a lever's value for a table (kg rounded, counts as they are)."""
    if isinstance(lever.variable, Integer):
        return f"{int(value)}"
    return f"{float(value):,.0f}"


def markdown(report: Mapping[str, Any], result: OptimisationResult) -> str:
    """Return the summary tables of one run.

    Parameters
    ----------
    report
        The JSON report (:func:`run` writes it).
    result
        The optimiser's result.

    Returns
    -------
    str
        Markdown: the question, the recommended investment against 2023, the KPIs
        paired with the 2023 equipment, the constraints' final estimates, the claim,
        the runs by phase, the grid count and the top configurations of the search.
    """
    lines = [
        "# The investments that take the channel to 5x",
        "",
        f"Scenario `{report['scenario']}`; {result.objective} subject to "
        + "; ".join(f"{c.to_text()} (ε {c.tolerance:g})" for c in CONSTRAINTS)
        + f"; δ {report['delta_cny']:,.0f} CNY; budget {result.budget} runs; seed "
        f"{report['seed']}; {_where(report)}; "
        f"{report['days'] or 365} days a run.",
        "",
    ]
    best = result.best
    if best is None:
        lines += ["**No configuration was shown feasible.**", "", result.claim, ""]
    else:
        lines += ["## The recommended investment", "", "| lever | 2023 | recommended | charged |"]
        lines += ["|---|---:|---:|---|"]
        for lever in LEVERS:
            lines.append(
                f"| {lever.label} | {_value(lever, lever.now)} | "
                f"{_value(lever, best.params[lever.path])} | {lever.cost} |"
            )
        comparison = report["comparison"]
        n = best.objective.n
        lines += [
            "",
            f"## Against the 2023 equipment ({n} fresh paired replications)",
            "",
            "| KPI | recommended | 2023 equipment | difference (paired) |",
            "|---|---:|---:|---:|",
        ]
        for key, heading, scale, decimals in COMPARED_KPIS:
            lines.append(
                f"| {heading} | {_pm(comparison['winner'][key], scale, decimals)} | "
                f"{_pm(comparison['now'][key], scale, decimals)} | "
                f"{_pm(comparison['difference'][key], scale, decimals, '+')} |"
            )
        lines += [
            "",
            "## Each investment taken back alone (paired with the recommendation)",
            "",
            "| taken back | profit lost (M CNY) | capital saved (M CNY) | "
            "storage saved (M CNY) | spoilage (%) | fill rate (%) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for trim in comparison["trims"]:
            lever = next(lever for lever in LEVERS if lever.path == trim["path"])
            lines.append(
                f"| {lever.label}: {_value(lever, trim['value'])} | "
                f"{_pm(trim['difference']['profit_cny'], 1e-6, 2, '+')} | "
                f"{_pm(trim['difference']['capital_cost_cny'], 1e-6, 3, '+')} | "
                f"{_pm(trim['difference']['storage_cost_cny'], 1e-6, 3, '+')} | "
                f"{_pm(trim['values']['spoilage_rate'], 100.0, 2)} | "
                f"{_pm(trim['values']['fill_rate'], 100.0, 2)} |"
            )
        lines += ["", "## Constraints (final replications)", ""]
        lines += ["| constraint | mean (95 % CI) | replications meeting it | ε |"]
        lines += ["|---|---:|---:|---:|"]
        for bound in best.constraints:
            low, high = bound.estimate.ci
            lines.append(
                f"| {bound.constraint} | {bound.estimate.mean:.4f} ({low:.4f}, {high:.4f}) | "
                f"{bound.probability_holds:.0%} | {bound.tolerance:g} |"
            )
        lines += [
            "",
            f"Selection probability bound {best.pcs.bound:.2f}; guarantee holds: "
            f"{best.pcs.guarantee_holds}; δ {best.pcs.delta:,.0f}; "
            f"{best.pcs.finalists} finalists.",
            "",
            f"> {result.claim}",
            "",
        ]
    runs = result.runs
    grid = report["grid"]
    lines += [
        "## Runs against the grid",
        "",
        "| | runs |",
        "|---|---:|",
        *(f"| {phase} | {count:,} |" for phase, count in runs.items() if phase != "total"),
        f"| **total** | **{runs['total']:,}** |",
        "",
        f"Wall time {report['wall_s']:.0f} s"
        + (
            " (the optimiser's runs read back from an earlier invocation's run store: not a timing)"
            if report["replayed"]
            else ""
        )
        + ". Grid: "
        + " x ".join(str(count) for count in grid["values_per_lever"].values())
        + f" = {grid['configurations']:,} configurations.",
        "",
    ]
    if grid["grid_runs"] is not None:
        lines.append(
            f"- at the winner's {grid['replications_per_configuration']} replications each: "
            f"{grid['grid_runs']:,} runs; the optimiser used {grid['runs_used']:,} "
            f"({grid['ratio']:.2%})"
        )
    lines += [
        f"- at {grid['floor_replications']} replications each (the final estimate's alone): "
        f"{grid['floor_grid_runs']:,} runs ({grid['floor_ratio']:.2%})",
        "",
        "## The search's best configurations (search means)",
        "",
        "| "
        + " | ".join(lever.label for lever in LEVERS)
        + " | replications | profit (M CNY) | spoilage (%) | fill (%) | finalist |",
        "|" + "---:|" * (len(LEVERS) + 4) + "---|",
    ]
    ranked = sorted(result.trials, key=lambda record: -record.search.mean)
    feasible = [
        r
        for r in ranked
        if all(c.holds(m) for c, m in zip(CONSTRAINTS, r.constraint_means, strict=True))
    ]
    for record in feasible[:10]:
        spoilage, fill = record.constraint_means
        lines.append(
            "| "
            + " | ".join(_value(lever, record.params[lever.path]) for lever in LEVERS)
            + f" | {record.replications} | {record.search.mean * 1e-6:.2f} | "
            f"{spoilage * 100:.2f} | {fill * 100:.2f} | {'yes' if record.finalist else ''} |"
        )
    lines += [
        "",
        f"{len(result.trials)} configurations simulated, {len(feasible)} of them with "
        "search means inside both limits; the table shows the ten most profitable of those.",
        "",
    ]
    return "\n".join(lines)


def _where(report: Mapping[str, Any]) -> str:
    """Return where the runs executed, in words."""
    if report["executor"] == "serial":
        return "serial executor"
    return f"{report['executor']} executor, {report['workers']} workers"


def _estimates_json(data: Any) -> Any:
    """Return the comparison as JSON data (every :class:`Estimate` by its fields)."""
    if isinstance(data, Estimate):
        return data.to_json()
    if isinstance(data, Mapping):
        return {key: _estimates_json(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_estimates_json(value) for value in data]
    return data


def run(
    budget: int = 1000,
    seed: int = 0,
    executor: str = "process",
    workers: int | None = 2,
    out: Path | None = None,
    days: int | None = None,
    batch: int = 2,
) -> tuple[dict[str, Any], OptimisationResult]:
    """Run the optimisation, the comparison with 2023 and the grid count.

    Parameters
    ----------
    budget
        The optimiser's budget of one-replication runs.
    seed
        The experiment's seed (and TPE's).
    executor, workers
        Where runs execute.
    out
        The output folder (``None``: nothing written; the optimiser keeps no run store).
    days
        Shorten every run to this many days (tests); ``None``: a year.
    batch
        Proposals the search screens together (runs for both workers at once).

    Returns
    -------
    tuple
        The JSON report and the optimiser's result.
    """
    scenario = ft.load_scenario(SCENARIO)
    if days is not None:
        scenario = scenario.with_horizon(days)
    replayed = out is not None and (Path(out) / "runs").exists()
    started = time.perf_counter()
    result = find_best(
        scenario,
        variables=variables(),
        objective=OBJECTIVE,
        direction="maximise",
        constraints=CONSTRAINTS,
        budget=budget,
        delta=DELTA_CNY,
        seed=seed,
        executor=executor,
        workers=workers,
        out=out,
        batch=batch,
        progress=False,
    )
    optimise_s = time.perf_counter() - started
    comparison = None
    if result.best is not None:
        final = range(FINAL_START, FINAL_START + result.best.objective.n)
        comparison = compare_with_now(scenario, result.best.params, final, seed, executor, workers)
    wall = time.perf_counter() - started
    report: dict[str, Any] = {
        "scenario": str(SCENARIO.relative_to(ROOT)),
        "days": days,
        "budget": budget,
        "seed": seed,
        "executor": executor,
        "workers": workers,
        "delta_cny": DELTA_CNY,
        "constraints": [
            {"text": bound.to_text(), "tolerance": bound.tolerance} for bound in CONSTRAINTS
        ],
        "levers": [
            {
                "path": lever.path,
                "variable": str(lever.variable),
                "grid": list(lever.grid),
                "now": lever.now,
                "cost": lever.cost,
            }
            for lever in LEVERS
        ],
        "result": result.to_json(),
        "comparison": comparison,
        "grid": grid_comparison(result),
        "optimise_s": optimise_s,
        "replayed": replayed,
        "wall_s": wall,
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "fieldtotable": ft.__version__,
        },
    }
    return report, result


def main(argv: Sequence[str] | None = None) -> int:
    """Run the study from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=int, default=1000, help="runs, all phases")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--executor", default="process", choices=("serial", "process"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--batch", type=int, default=2, help="proposals screened together (default: 2)"
    )
    parser.add_argument("--days", type=int, default=None, help="shorter horizon (tests)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks" / "reference" / "optimise_5x"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    report, result = run(
        args.budget, args.seed, args.executor, args.workers, args.out, args.days, args.batch
    )
    comparison = report["comparison"]
    if comparison is not None:
        report["comparison"] = _estimates_json(comparison)
    text = markdown({**report, "comparison": comparison}, result)
    (args.out / "optimise_5x.json").write_text(
        json.dumps(report, indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )
    (args.out / "optimise_5x.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
