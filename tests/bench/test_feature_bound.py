"""benchmarks/perf/feature_bound.py: the variants it measures are what it says they are."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

PERF = Path(__file__).resolve().parents[2] / "benchmarks" / "perf"
sys.path.insert(0, str(PERF))

import feature_bound  # noqa: E402

from fieldtotable import builtin_scenario, simulate  # noqa: E402
from fieldtotable.model.ledger import Ledger  # noqa: E402


def test_the_plain_scenario_has_no_weight_loss_breakage_or_markdown() -> None:
    scenario = builtin_scenario("baseline").with_horizon(30)
    plain = feature_bound.without_product_features(scenario)
    full, stripped = simulate(scenario, 0).kpis, simulate(plain, 0).kpis
    # The baseline loses weight, breaks and marks down; the plain copy does none of it.
    assert full["damaged_kg"] > 0
    assert full["markdown_sold_kg"] > 0
    assert stripped["damaged_kg"] == 0
    assert stripped["markdown_sold_kg"] == 0
    assert plain.products.keys() == scenario.products.keys()
    assert stripped["harvested_kg"] > 0


def test_the_bookings_are_skipped_inside_the_task_and_restored_after() -> None:
    seen: dict[str, Any] = {}

    def task() -> dict[str, Any]:
        seen["sell_piece"], seen["damage"] = Ledger.sell_piece, Ledger.damage
        return {"wall_s": 0.0}

    saved = Ledger.sell_piece, Ledger.damage
    feature_bound.without_bookings(task)()
    assert seen["sell_piece"] is feature_bound._skip
    assert seen["damage"] is feature_bound._skip
    assert (Ledger.sell_piece, Ledger.damage) == saved


def test_each_variant_is_measured_against_the_floor() -> None:
    rows = feature_bound.measure(days=3, rounds=1)
    assert [row["variant"] for row in rows] == list(feature_bound.variants(3))
    for row in rows:
        assert row["library_median_s"] > 0
        assert row["floor_median_s"] > 0
        assert row["ratio_of_medians"] == row["library_median_s"] / row["floor_median_s"]
