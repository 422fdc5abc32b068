"""Fixed shelf life against SupplyNetPy's perishable inventory, at full size, with a figure.

Usage (from the repository root; about 2 minutes on 2 cores; needs ``supplynetpy``)::

    python benchmarks/validation_supplynetpy.py [--replications 100] [--replays 20]
        [--out-json benchmarks/reference/validation_supplynetpy.json]
        [--figure docs/img/validation-supplynetpy.png] [--quick]

The same supplier -> DC -> store network with a fixed shelf life is run in both
libraries (built by ``tests/validation/supplynetpy_network.py``, the helper of the
test ``tests/validation/test_supplynetpy_fixed_shelf_life.py``), for each case:

* ``--replications`` independent replications in each library (each with its own
  random numbers): mean waste with 95 % confidence intervals and Welch's comparison;
* ``--replays`` replications in which SupplyNetPy meets fieldtotable's very customers:
  the waste must then be the same to the kilogram; and the same with the harvest,
  hence every expiry, at 01:00, where the two models' removal of expired stock differs;
* the same fieldtotable replications with the shelf life one day shorter, against
  SupplyNetPy: the difference the comparison must detect.

Writes the numbers to ``--out-json`` and the figure to ``--figure``; prints a table.
``--quick`` (5 replications, 2 replays) checks that the script runs and writes nothing
unless paths are given.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "validation"))

from supplynetpy_network import (  # noqa: E402
    CASES,
    FIELDTOTABLE_SEED,
    LOTS_PER_DAY,
    STORE_LEAD_H,
    STORE_REVIEW_HOUR,
    SUPPLYNETPY_SEED,
    WARMUP_D,
    Case,
    Outcome,
    fieldtotable_customer_days,
    run_fieldtotable,
    run_supplynetpy,
    supplynetpy_version,
)
from supplynetpy_statistics import Comparison, Interval, replicate  # noqa: E402

import fieldtotable  # noqa: E402

DPI = 110
EARLY_HARVEST_HOUR = 1.0
METRICS: dict[str, Callable[[Outcome], float]] = {
    "waste_kg_per_day": lambda outcome: outcome.waste_kg_per_day,
    "waste_fraction": lambda outcome: outcome.waste_fraction,
    "fill_rate": lambda outcome: outcome.fill_rate,
}


def _summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Mean and 95 % half-width of every metric."""
    out: dict[str, Any] = {"n": len(outcomes)}
    for name, metric in METRICS.items():
        interval = Interval.of([metric(outcome) for outcome in outcomes])
        out[name] = {"mean": interval.mean, "half_width": interval.half_width}
    return out


def _comparison(first: list[Outcome], second: list[Outcome]) -> dict[str, Any]:
    """Welch's comparison of every waste metric, ``first - second``."""
    out: dict[str, Any] = {}
    for name in ("waste_kg_per_day", "waste_fraction"):
        metric = METRICS[name]
        comparison = Comparison.of([metric(o) for o in first], [metric(o) for o in second])
        out[name] = {
            "difference": comparison.difference,
            "low": comparison.low,
            "high": comparison.high,
            "p_value": comparison.p_value,
            "contains_zero": comparison.contains_zero,
        }
    return out


def _replays(case: Case, replays: int) -> dict[str, Any]:
    """Replications in which SupplyNetPy replays fieldtotable's customers."""
    largest = largest_waste = largest_waste_share = 0.0
    identical = 0
    for replication in range(replays):
        ours = run_fieldtotable(case, replication)
        theirs = run_supplynetpy(case, replication, fieldtotable_customer_days(case, replication))
        waste_gap = abs(ours.waste_kg - theirs.waste_kg)
        gap = max(
            waste_gap,
            abs(ours.sold_kg - theirs.sold_kg),
            abs(ours.supplied_kg - theirs.supplied_kg),
            abs(ours.demand_kg - theirs.demand_kg),
        )
        largest = max(largest, gap)
        largest_waste = max(largest_waste, waste_gap)
        largest_waste_share = max(largest_waste_share, waste_gap / theirs.waste_kg)
        identical += gap <= 1e-9
    return {
        "n": replays,
        "identical": identical,
        "largest_difference_kg": largest,
        "largest_waste_difference_kg": largest_waste,
        "largest_waste_difference_share": largest_waste_share,
    }


def run_case(case: Case, replications: int, replays: int) -> dict[str, Any]:
    """Every measurement of one case."""
    ours = replicate(run_fieldtotable, case, replications)
    theirs = replicate(run_supplynetpy, case, replications)
    shorter = case.with_shelf_life(case.shelf_life_d - 1)
    ours_shorter = replicate(run_fieldtotable, shorter, replications)
    return {
        "name": case.name,
        "parameters": {
            "shelf_life_d": case.shelf_life_d,
            "reorder_point_kg": case.reorder_point_kg,
            "order_up_to_kg": case.order_up_to_kg,
            "dc_capacity_kg": case.dc_capacity_kg,
            "customers_per_day": case.customers_per_day,
            "measured_days": case.measured_days,
        },
        "fieldtotable": _summary(ours),
        "supplynetpy": _summary(theirs),
        "difference": _comparison(ours, theirs),
        "replay": _replays(case, replays),
        # Harvest, hence expiry, at 01:00: between fieldtotable's nightly inspection
        # and the 02:00 delivery into the DC, where the two models part.
        "replay_expiry_at_1h": _replays(case.with_harvest_hour(EARLY_HARVEST_HOUR), replays),
        "shorter_shelf_life": {
            "shelf_life_d": shorter.shelf_life_d,
            "fieldtotable": _summary(ours_shorter),
            "difference": _comparison(ours_shorter, theirs),
        },
    }


def plot(results: list[dict[str, Any]], path: Path) -> None:
    """Waste share per case: both libraries, and fieldtotable with one day less."""
    figure = Figure(figsize=(7.5, 3.6), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(results))
    series: tuple[tuple[str, Callable[[dict[str, Any]], Any], float, str, str], ...] = (
        ("fieldtotable", lambda r: r["fieldtotable"], -0.2, "tab:blue", "o"),
        ("SupplyNetPy", lambda r: r["supplynetpy"], 0.0, "tab:orange", "s"),
        (
            "fieldtotable, shelf life 1 d shorter",
            lambda r: r["shorter_shelf_life"]["fieldtotable"],
            0.2,
            "tab:gray",
            "^",
        ),
    )
    for label, pick, offset, colour, marker in series:
        means = [100 * pick(r)["waste_fraction"]["mean"] for r in results]
        errors = [100 * pick(r)["waste_fraction"]["half_width"] for r in results]
        axes.errorbar(
            positions + offset,
            means,
            yerr=errors,
            fmt=marker,
            color=colour,
            capsize=4,
            label=label,
        )
    axes.set_xticks(
        positions,
        [f"{r['name']}\n({r['parameters']['shelf_life_d']:g} d)" for r in results],
    )
    axes.set_ylabel("waste, % of DC admissions")
    axes.set_ylim(bottom=0)
    n = results[0]["fieldtotable"]["n"]
    axes.set_title(f"Fixed shelf life: mean waste ± 95 % CI, {n} replications each")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper right", fontsize="small")
    figure.savefig(path, dpi=DPI)


def _table(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table (waste share, %)."""
    lines = [
        "| case | fieldtotable | SupplyNetPy | difference (95 % CI) | p | replays identical "
        "| same, expiry at 01:00 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ours, theirs = r["fieldtotable"]["waste_fraction"], r["supplynetpy"]["waste_fraction"]
        difference = r["difference"]["waste_fraction"]
        lines.append(
            f"| {r['name']} | {100 * ours['mean']:.2f} ± {100 * ours['half_width']:.2f} "
            f"| {100 * theirs['mean']:.2f} ± {100 * theirs['half_width']:.2f} "
            f"| {100 * difference['difference']:+.2f} "
            f"[{100 * difference['low']:+.2f}, {100 * difference['high']:+.2f}] "
            f"| {difference['p_value']:.2f} "
            f"| {r['replay']['identical']}/{r['replay']['n']} "
            f"| {r['replay_expiry_at_1h']['identical']}/{r['replay_expiry_at_1h']['n']}, "
            f"waste up to {r['replay_expiry_at_1h']['largest_waste_difference_kg']:.0f} kg "
            f"({100 * r['replay_expiry_at_1h']['largest_waste_difference_share']:.0f} %) apart |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and write its numbers and figure."""
    parser = argparse.ArgumentParser(prog="python benchmarks/validation_supplynetpy.py")
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--replays", type=int, default=20)
    parser.add_argument("--out-json", type=Path, default=None)
    parser.add_argument("--figure", type=Path, default=None)
    parser.add_argument("--quick", action="store_true", help="5 replications, 2 replays")
    args = parser.parse_args(argv)
    if supplynetpy_version() is None:
        print("SupplyNetPy is not installed: pip install 'supplynetpy>=0.5.1,<0.6'")
        return 2
    if args.quick:
        args.replications, args.replays = 5, 2
    else:
        args.out_json = args.out_json or ROOT / "benchmarks/reference/validation_supplynetpy.json"
        args.figure = args.figure or ROOT / "docs/img/validation-supplynetpy.png"
    started = time.perf_counter()
    results = [run_case(case, args.replications, args.replays) for case in CASES]
    wall_s = time.perf_counter() - started
    print(_table(results))
    print(f"{wall_s:.0f} s")
    if args.out_json is not None:
        document = {
            "command": " ".join([parser.prog, *(sys.argv[1:] if argv is None else argv)]),
            "versions": {
                "fieldtotable": fieldtotable.__version__,
                "supplynetpy": supplynetpy_version(),
                "python": platform.python_version(),
            },
            "seeds": {"fieldtotable": FIELDTOTABLE_SEED, "supplynetpy": SUPPLYNETPY_SEED},
            "network": {
                "lots_per_day": LOTS_PER_DAY,
                "supply_age_h": CASES[0].supply_age_h,
                "harvest_hour": CASES[0].harvest_hour,
                "store_review_hour": STORE_REVIEW_HOUR,
                "store_lead_h": STORE_LEAD_H,
                "warmup_d": WARMUP_D,
            },
            "wall_s": round(wall_s, 1),
            "cases": results,
        }
        args.out_json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out_json}")
    if args.figure is not None:
        plot(results, args.figure)
        print(f"wrote {args.figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
