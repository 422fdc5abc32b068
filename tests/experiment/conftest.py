"""Shared scenarios of the experiment tests.

``known_scenario`` has a known answer: one source harvests ``kg_per_day`` ~ gamma
(mean 100 kg, CV 0.3) every day of ``KNOWN_DAYS`` days, with nothing else random
upstream of the harvest, so ``harvested_kg`` has mean ``100 * KNOWN_DAYS`` exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtotable import Scenario, load_scenario, parse_scenario

DATA = Path(__file__).resolve().parents[1] / "data"

KNOWN_DAYS = 20
KNOWN_MEAN_KG_PER_DAY = 100.0
KNOWN_CV = 0.3
KNOWN_HARVESTED_MEAN = KNOWN_MEAN_KG_PER_DAY * KNOWN_DAYS

KNOWN_TEXT = f"""
name: known answer
start_date: 2023-03-01
horizon_days: {KNOWN_DAYS}
climate:
  hills: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]
  city: [15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15]
products:
  honey:
    temperature_class: ambient
    shelf_life_days: 3000
    ref_temp_c: 20
    q10: 1.5
    price_cny_per_kg: 100
sources:
  bees:
    region: hills
    collection_point: cp
    harvest_hour: 8
    hours_to_collection: {{dist: constant, value: 2}}
    supply:
      honey: {{kg_per_day: {{dist: gamma, mean: {KNOWN_MEAN_KG_PER_DAY}, cv: {KNOWN_CV}}}}}
collection_points:
  cp: {{region: hills, cold_room_kg: 1000000, setpoint_c: 10}}
hubs:
  dc: {{region: city, handling_time_h: 1, storage_kg: 1000000, setpoint_c: 10}}
legs:
  road:
    from: cp
    to: dc
    mode: reefer_truck
    distance_km: 500
    transit_time_h: {{dist: triangular, low: 8, mode: 10, high: 14}}
    fleet: 2
    vehicle_capacity_kg: 20000
    dispatch: {{policy: scheduled, departures_h: [18]}}
    setpoint_c: 10
    cost_cny_per_trip: 100
    cost_cny_per_km: 5
markets:
  shop:
    kind: store
    region: city
    supplied_by: dc
    open_hours: [9, 21]
    setpoint_c: 10
    shelf_capacity_kg: 100000
    replenishment: {{policy: order_up_to, at_hour: 6, target_days_of_demand: 2}}
    demand:
      honey:
        customers_per_day: {{dist: poisson, mean: 500}}
        kg_per_customer: {{dist: uniform, low: 0.5, high: 1.5}}
"""


@pytest.fixture(scope="session")
def known_harvested_mean() -> float:
    """The true mean of ``harvested_kg`` in the known-answer scenario."""
    return KNOWN_HARVESTED_MEAN


@pytest.fixture(scope="session")
def known_scenario() -> Scenario:
    """The known-answer scenario (see the module docstring)."""
    return parse_scenario(KNOWN_TEXT)


@pytest.fixture(scope="session")
def small_scenario() -> Scenario:
    """``tests/data/small.yaml`` shortened to 10 days (a few ms per run)."""
    return load_scenario(DATA / "small.yaml").with_horizon(10)
