"""The ratios of issue 17, each measured fairly: both sides alternated in fresh processes.

* ``lean``: one baseline year in fieldtotable ÷ the same workload in the lean
  hand-written SimPy model (:mod:`lean_floor`; target ≤ 1.2), with both models'
  workload counts side by side;
* ``timeouts``: one baseline year ÷ 1,000,000 bare SimPy timeouts (target ≤ 0.35);
* ``grid``: fieldtotable ÷ SupplyNetPy on the peer network (:mod:`peer`) at
  {1, 10, 50} stores x {5, 100, 1,000} customers a day (target ≤ 0.25 everywhere,
  i.e. fieldtotable ≥ 4x faster). SupplyNetPy's cost grows with the customers, so
  each point runs on a horizon that keeps its customers within a budget (the days
  are in the table); both sides run that same horizon. At the fewest customers a day,
  where a run's fixed costs weigh most, the points are measured a second time after
  one unmeasured run in each fresh process (``warm``; see :mod:`isolation`).

Every ratio is first side ÷ second side in wall time, from :func:`isolation.alternate`:
ratio of the medians and of the mins, and the load average around the runs.
"""

from __future__ import annotations

import copy
import functools
import time
from dataclasses import dataclass
from typing import Any

import floor
import lean_floor
import peer
from isolation import Task, alternate

from fieldtotable import Scenario, builtin_scenario
from fieldtotable.model.world import World, events_processed

GRID_STORES = (1, 10, 50)
GRID_CUSTOMERS = (5, 100, 1000)
MILLION = 1_000_000
TIMEOUT_PROCESSES = 100


@dataclass(frozen=True)
class FairPlan:
    """How much to measure: rounds of each ratio and the horizons."""

    rounds: int
    grid_rounds: int
    baseline_days: int
    timeouts: int
    grid_customer_budget: int  # customers in all stores over a grid point's horizon
    grid_max_days: int

    @classmethod
    def full(cls) -> FairPlan:
        return cls(5, 3, 365, MILLION, 300_000, 365)

    @classmethod
    def quick(cls) -> FairPlan:
        return cls(2, 1, 20, 100_000, 2_000, 10)


def grid_days(stores: int, customers_per_day: int, plan: FairPlan) -> int:
    """A grid point's horizon: at most ``grid_max_days``, the customers within the budget."""
    return max(
        1, min(plan.grid_max_days, plan.grid_customer_budget // (stores * customers_per_day))
    )


def baseline_task(scenario: Scenario, seed: int = 0) -> Task:
    """One baseline run in fieldtotable: build the world and run it (no result table)."""

    def task() -> dict[str, Any]:
        started = time.perf_counter()
        world = World(scenario, seed)
        world.run()
        return {
            "wall_s": time.perf_counter() - started,
            "events": events_processed(world.env),
            "lots": world.context._next_id,
        }

    return task


def library_counts(days: int, seed: int = 0) -> dict[str, float]:
    """The workload counts of fieldtotable's baseline run, named as :mod:`lean_floor`'s."""
    from fieldtotable import simulate  # noqa: PLC0415

    scenario = builtin_scenario("baseline").with_horizon(days)
    world = World(scenario, seed)
    world.run()
    kpis = simulate(scenario, seed).kpis
    store_hours = 0.0
    for market in scenario.markets.values():
        if market.kind == "store":
            opens, closes = market.open_hours
            store_hours += (closes - opens) * days
    return {
        "lots": float(world.context._next_id),
        "trips": kpis["trips"],
        "shop_slots": store_hours,  # one slot per open hour of every store
        "harvested_kg": kpis["harvested_kg"],
        "sold_kg": kpis["sold_kg"],
        "spoiled_kg": kpis["spoiled_kg"],
    }


def lean_task(days: int, data: dict[str, Any]) -> Task:
    """One run of the lean floor model."""
    return lambda: lean_floor.run(days, 0, copy.deepcopy(data))


def timeouts_task(timeouts: int) -> Task:
    """``timeouts`` bare SimPy timeouts (``TIMEOUT_PROCESSES`` processes)."""

    def task() -> dict[str, Any]:
        events, seconds = floor.bare_timeouts(TIMEOUT_PROCESSES, timeouts / TIMEOUT_PROCESSES)
        return {"wall_s": seconds, "events": events}

    return task


def _print(label: str, found: dict[str, Any]) -> None:
    print(
        f"  {label}: {found['first']['median_s']:.3f} s ÷ {found['second']['median_s']:.3f} s "
        f"= {found['ratio_of_medians']:.2f} (mins: {found['ratio_of_mins']:.2f}; "
        f"CPU medians: {found['cpu_ratio_of_medians']:.2f}; "
        f"load {found['load_min']:.1f}-{found['load_max']:.1f})",
        flush=True,
    )


def measure_lean(plan: FairPlan) -> dict[str, Any]:
    """fieldtotable ÷ the lean floor on the baseline, and both models' workload counts."""
    scenario = builtin_scenario("baseline").with_horizon(plan.baseline_days)
    data = lean_floor.baseline_data()
    found = alternate(baseline_task(scenario), lean_task(plan.baseline_days, data), plan.rounds)
    found["days"] = plan.baseline_days
    found["counts"] = {
        "fieldtotable": library_counts(plan.baseline_days),
        "lean_floor": {k: v for k, v in found["second"].items() if k in lean_floor.COUNTS},
    }
    _print("fieldtotable ÷ lean floor", found)
    return found


def measure_timeouts(plan: FairPlan) -> dict[str, Any]:
    """One baseline run ÷ a million bare SimPy timeouts (scaled down in the quick plan)."""
    scenario = builtin_scenario("baseline").with_horizon(plan.baseline_days)
    found = alternate(baseline_task(scenario), timeouts_task(plan.timeouts), plan.rounds)
    found.update(days=plan.baseline_days, timeouts=plan.timeouts)
    _print(f"baseline ÷ {plan.timeouts:,} timeouts", found)
    return found


def measure_grid(plan: FairPlan) -> dict[str, Any]:
    """fieldtotable ÷ SupplyNetPy at every point of stores x customers a day."""
    version = peer.supplynetpy_version()
    out: dict[str, Any] = {"supplynetpy_version": version, "points": []}
    if version is None:
        print("  grid: SupplyNetPy is not installed (pip install 'fieldtotable[bench]')")
        return out
    peer.run_fieldtotable(1, days=2)  # imports and caches, paid once in the parent
    peer.run_supplynetpy(1, days=2)
    for stores in GRID_STORES:
        for customers in GRID_CUSTOMERS:
            days = grid_days(stores, customers, plan)
            point = {"stores": stores, "days": days, "customers_per_day": customers}
            sides = (
                functools.partial(peer.run_fieldtotable, **point),
                functools.partial(peer.run_supplynetpy, **point),
            )
            found = alternate(*sides, plan.grid_rounds)
            found.update(stores=stores, customers_per_day=customers, days=days)
            label = f"grid {stores} stores x {customers}/day, {days} d: fieldtotable ÷ SupplyNetPy"
            _print(label, found)
            if customers == GRID_CUSTOMERS[0]:
                found["warm"] = alternate(*sides, plan.grid_rounds, warmup=1)
                _print(f"{label}, after one run", found["warm"])
            out["points"].append(found)
    return out


def _ratio_row(label: str, found: dict[str, Any], target: str) -> str:
    first, second = found["first"], found["second"]
    return (
        f"| {label} | {first['median_s']:.3f} / {first['min_s']:.3f} | "
        f"{second['median_s']:.3f} / {second['min_s']:.3f} | "
        f"**{found['ratio_of_medians']:.2f}** | {found['ratio_of_mins']:.2f} | {target} | "
        f"{found['cpu_ratio_of_medians']:.2f} | {found['load_min']:.1f}-{found['load_max']:.1f} |"
    )


def summary(figures: dict[str, Any]) -> list[str]:
    """The fair ratios as markdown lines."""
    lines: list[str] = []
    header = [
        "| ratio (A ÷ B) | A median / min s | B median / min s | ratio of medians | "
        "ratio of mins | target | ratio of CPU medians | load (1 min) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    lean, timeouts = figures.get("lean"), figures.get("timeouts")
    if lean or timeouts:
        lines += ["## Fair ratios (alternated, fresh processes)", "", *header]
        if lean:
            lines.append(_ratio_row(f"fieldtotable ÷ lean floor ({lean['days']} d)", lean, "≤ 1.2"))
        if timeouts:
            label = f"baseline ({timeouts['days']} d) ÷ {timeouts['timeouts']:,} bare timeouts"
            lines.append(_ratio_row(label, timeouts, "≤ 0.35"))
        lines.append("")
    if lean:
        counts = lean["counts"]
        lines += [
            "Workload counts (seed 0):",
            "",
            "| count | fieldtotable | lean floor |",
            "|---|---:|---:|",
        ]
        for name in lean_floor.COUNTS:
            lines.append(
                f"| {name} | {counts['fieldtotable'][name]:,.0f} | "
                f"{counts['lean_floor'][name]:,.0f} |"
            )
        lines.append("")
    grid = figures.get("grid")
    if grid and grid.get("points"):
        lines += [
            f"## fieldtotable ÷ SupplyNetPy {grid['supplynetpy_version']} (peer network)",
            "",
            "| stores | customers/day | days | fieldtotable median / min s "
            "| SupplyNetPy median / min s | ratio of medians | ratio of mins "
            "| ratio of CPU medians | load (1 min) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for p in grid["points"]:
            first, second = p["first"], p["second"]
            lines.append(
                f"| {p['stores']} | {p['customers_per_day']:,} | {p['days']} | "
                f"{first['median_s']:.3f} / {first['min_s']:.3f} | "
                f"{second['median_s']:.3f} / {second['min_s']:.3f} | "
                f"**{p['ratio_of_medians']:.3f}** | {p['ratio_of_mins']:.3f} | "
                f"{p['cpu_ratio_of_medians']:.3f} | {p['load_min']:.1f}-{p['load_max']:.1f} |"
            )
        lines += ["", "Target: ≤ 0.25 at every point (fieldtotable ≥ 4x less wall time).", ""]
        lines += _warm_lines(grid["points"])
    return lines


def _warm_lines(points: list[dict[str, Any]]) -> list[str]:
    """The points measured both as the first run of a fresh process and after one run."""
    measured_twice = [p for p in points if "warm" in p]
    if not measured_twice:
        return []
    lines = [
        "First run in a fresh process against a run after one unmeasured run in it, "
        "with each side's minor page faults (medians):",
        "",
        "| stores | customers/day | fieldtotable first / after s | faults first / after "
        "| SupplyNetPy first / after s | faults first / after | ratio first | ratio after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in measured_twice:
        after = p["warm"]
        cells = [f"{p['stores']}", f"{p['customers_per_day']:,}"]
        for side in ("first", "second"):
            cold, warm = p[side], after[side]
            cells += [
                f"{cold['median_s']:.4f} / {warm['median_s']:.4f}",
                f"{cold['minor_faults_median']:,.0f} / {warm['minor_faults_median']:,.0f}",
            ]
        cells += [f"{p['ratio_of_medians']:.3f}", f"**{after['ratio_of_medians']:.3f}**"]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]
