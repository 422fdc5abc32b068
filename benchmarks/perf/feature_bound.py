"""How close the library's Python year can come to the lean floor without features.

Usage::

    python benchmarks/perf/feature_bound.py [--rounds 5] [--days 365]

The lean floor (:mod:`lean_floor`) runs the baseline's workload without the
features the library has beyond it. This script measures how much of the gap those
features explain: the baseline year against the floor, alternated in fresh processes
(:func:`isolation.alternate`), in three variants of the library's run:

* ``library``: the built-in baseline, as :mod:`fair` measures it;
* ``without product features``: the same scenario with every product's weight loss,
  breakage and markdown removed (a scenario change: the floor has none of them);
* ``... and without sale and damage bookings``: that scenario, with the ledger's
  per-piece sale booking and its damage booking skipped (a patch in the measured
  process only; the run's ledger is then wrong, so no result is built from it).

The last variant is a bound, not a model: it says how fast the library's year would
be if the ledger booked nothing per piece sold.
"""

from __future__ import annotations

import argparse
from typing import Any

import lean_floor
from fair import baseline_task, lean_task
from isolation import Task, alternate

from fieldtotable import Scenario, builtin_scenario
from fieldtotable.model.ledger import Ledger
from fieldtotable.scenario.loader import validate_scenario_data

#: The product fields the lean floor has no counterpart of.
PRODUCT_FEATURES = ("weight_loss", "breakage", "markdown")


def without_product_features(scenario: Scenario) -> Scenario:
    """``scenario`` with every product's weight loss, breakage and markdown removed."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    for product in data["products"].values():
        for field in PRODUCT_FEATURES:
            product.pop(field, None)
    return validate_scenario_data(data)


def _skip(*_arguments: object) -> None:
    """A ledger booking that books nothing."""


def without_bookings(task: Task) -> Task:
    """``task`` run with :meth:`Ledger.sell_piece` and :meth:`Ledger.damage` booking nothing."""

    def patched() -> dict[str, Any]:
        saved = Ledger.sell_piece, Ledger.damage
        Ledger.sell_piece = Ledger.damage = _skip  # type: ignore[method-assign,assignment]
        try:
            return task()
        finally:
            Ledger.sell_piece, Ledger.damage = saved  # type: ignore[method-assign]

    return patched


def variants(days: int) -> dict[str, Task]:
    """The library's three runs of the baseline, by label."""
    scenario = builtin_scenario("baseline").with_horizon(days)
    plain = without_product_features(scenario)
    return {
        "library": baseline_task(scenario),
        "without product features": baseline_task(plain),
        "... and without sale and damage bookings": without_bookings(baseline_task(plain)),
    }


def measure(days: int, rounds: int) -> list[dict[str, Any]]:
    """Each variant against the lean floor, alternated; a row per variant."""
    floor = lean_task(days, lean_floor.baseline_data())
    rows = []
    for label, task in variants(days).items():
        found = alternate(task, floor, rounds)
        rows.append(
            {
                "variant": label,
                "library_median_s": found["first"]["median_s"],
                "floor_median_s": found["second"]["median_s"],
                "ratio_of_medians": found["ratio_of_medians"],
                "ratio_of_mins": found["ratio_of_mins"],
                "load_min": found["load_min"],
                "load_max": found["load_max"],
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    arguments = parser.parse_args()
    print("| variant | library median s | floor median s | ratio of medians | of mins | load |")
    print("|---|---:|---:|---:|---:|---|")
    for row in measure(arguments.days, arguments.rounds):
        print(
            f"| {row['variant']} | {row['library_median_s']:.3f} | {row['floor_median_s']:.3f} "
            f"| **{row['ratio_of_medians']:.2f}** | {row['ratio_of_mins']:.2f} "
            f"| {row['load_min']:.1f}-{row['load_max']:.1f} |"
        )


if __name__ == "__main__":
    main()
