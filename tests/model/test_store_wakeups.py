"""A shop wakes only at slots with work: the same results as waking at every slot.

The shop's demand process is drawn once per day per product (see
:mod:`fieldtotable.model.store_demand`); the event scheme decides only when the shop
wakes. These tests run the same scenarios both ways (``StoreProcess.wake_every_slot``,
the former hour-by-hour scheme) and compare results and events.
"""

from __future__ import annotations

import copy
import math
import pathlib
import statistics
from typing import Any

import pytest

from fieldtotable import Scenario, builtin_scenario, load_scenario, simulate
from fieldtotable.model.market import StoreProcess
from fieldtotable.model.store_demand import first_slot_at_or_after, slot_midpoints
from fieldtotable.scenario.loader import validate_scenario_data

KPIS = ("sold_kg", "spoilage_rate", "fill_rate", "sold_value_cny")
REPLICATIONS = 30
SMALL = pathlib.Path(__file__).resolve().parents[1] / "data" / "small.yaml"


def _run(scenario: Scenario, every_slot: bool, seed: int = 0, **kwargs: Any) -> Any:
    """Run ``scenario`` with the given wake-up scheme (restored afterwards)."""
    before = StoreProcess.wake_every_slot
    StoreProcess.wake_every_slot = every_slot
    try:
        return simulate(scenario, seed, **kwargs)
    finally:
        StoreProcess.wake_every_slot = before


def _without_wall_time(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = result.to_dict()
    data.pop("wall_time_s", None)
    data.pop("events_processed", None)
    return data


def _sparse_store(tiny: Scenario, customers_per_day: float, shelf_life_days: float) -> Scenario:
    """The small test network with few customers and short-lived stock (many expiries)."""
    data = copy.deepcopy(tiny.model_dump(mode="json", by_alias=True, exclude_unset=True))
    for market in data["markets"].values():
        if market.get("kind", "store") != "store":
            continue
        for demand in market.get("demand", {}).values():
            demand["customers_per_day"] = {"dist": "poisson", "mean": customers_per_day}
    for product in data["products"].values():
        product["shelf_life_days"] = shelf_life_days
    return validate_scenario_data(data)


def test_first_slot_at_or_after() -> None:
    midpoints = slot_midpoints([(9.5, 10), (10, 11), (11, 12.0)])
    assert midpoints == [9.75, 10.5, 11.5]
    assert first_slot_at_or_after(0.0, midpoints) == 9.75
    assert first_slot_at_or_after(10.5, midpoints) == 10.5
    assert first_slot_at_or_after(10.6, midpoints) == 11.5
    assert first_slot_at_or_after(11.6, midpoints) == 24 + 9.75
    assert first_slot_at_or_after(48 + 9.75, midpoints) == 48 + 9.75


@pytest.mark.parametrize(("customers", "shelf_life"), [(0.3, 6.0), (3.0, 5.0), (40.0, 8.0)])
def test_skipping_empty_slots_changes_no_result(customers: float, shelf_life: float) -> None:
    """Bit-identical results, including the daily stock series and expiry bookings.

    Shelf lives are chosen so that stock reaches the shop and some delivered lots
    expire while the shop sleeps past empty slots (the case of ``_clear_at_slot``:
    without it, these runs differ).
    """
    scenario = _sparse_store(load_scenario(SMALL), customers, shelf_life)
    for seed in (0, 1):
        every = _run(scenario, every_slot=True, seed=seed)
        sparse = _run(scenario, every_slot=False, seed=seed)
        assert _without_wall_time(sparse) == _without_wall_time(every)
        assert sparse.events_processed <= every.events_processed


def test_few_customers_cost_few_events() -> None:
    scenario = _sparse_store(load_scenario(SMALL), 0.3, 8.0)
    every = _run(scenario, every_slot=True)
    sparse = _run(scenario, every_slot=False)
    assert sparse.events_processed < 0.8 * every.events_processed


@pytest.mark.slow
def test_baseline_2023_kpis_unchanged_over_paired_replications() -> None:
    """30 paired replications of the 2023 baseline: every KPI's paired difference is 0.

    The scheme draws the same numbers at the same simulated times, so the pairs are
    identical; the test states it as a confidence interval of the paired differences
    (which must contain 0) and checks the calibration target (65.1 M CNY +- 3 %).
    """
    scenario = builtin_scenario("baseline_2023")
    pairs: dict[str, list[tuple[float, float]]] = {kpi: [] for kpi in KPIS}
    events = []
    for replication in range(REPLICATIONS):
        every = _run(scenario, every_slot=True, seed=2023, replication=replication)
        sparse = _run(scenario, every_slot=False, seed=2023, replication=replication)
        events.append((every.events_processed, sparse.events_processed))
        for kpi in KPIS:
            pairs[kpi].append((every.kpis[kpi], sparse.kpis[kpi]))
    for kpi, values in pairs.items():
        differences = [new - old for old, new in values]
        half = 2.045 * statistics.stdev(differences) / math.sqrt(REPLICATIONS)  # t(29), 95 %
        mean = statistics.fmean(differences)
        assert mean - half <= 0.0 <= mean + half, kpi
        assert differences == [0.0] * REPLICATIONS, kpi
    sold_value = statistics.fmean(new for _old, new in pairs["sold_value_cny"])
    assert sold_value == pytest.approx(65.1e6, rel=0.03)
    assert all(new <= old for old, new in events)
