"""Options that shape the channel: leg product lists, several closure processes,
per-product grading, pre-cooling by temperature class, CO2 per vehicle-km, class chambers.
"""

from __future__ import annotations

from typing import Any

import pytest

from fieldtotable import ScenarioError, simulate
from fieldtotable.model.routing import routing_table
from fieldtotable.model.transport import merge_intervals
from fieldtotable.model.world import World
from fieldtotable.scenario.schema import Scenario
from scenario_builders import build_scenario

PRODUCT = {
    "temperature_class": "chilled",
    "shelf_life_days": 10,
    "ref_temp_c": 0,
    "q10": 2,
    "price_cny_per_kg": 100,
}

BASE: dict[str, Any] = {
    "name": "options",
    "start_date": "2023-01-02",
    "horizon_days": 4,
    "climate": {"here": [10.0] * 12},
    "products": {
        "fresh": PRODUCT,
        "frozen": {**PRODUCT, "temperature_class": "frozen", "ref_temp_c": -18},
    },
    "sources": {
        "s": {
            "region": "here",
            "collection_point": "cp",
            "harvest_hour": 1,
            "supply": {"fresh": {"kg_per_day": 100}, "frozen": {"kg_per_day": 50}},
        }
    },
    "collection_points": {
        "cp": {
            "region": "here",
            "cold_room_kg": 1e6,
            "setpoint_c": 0,
            "precooling": {"time_h": 3},
        }
    },
    "hubs": {"dc": {"region": "here", "storage_kg": 1e6, "setpoint_c": 0, "dock_exposure_h": 0}},
    "legs": {
        "road": {
            "from": "cp",
            "to": "dc",
            "mode": "reefer_truck",
            "distance_km": 100,
            "transit_time_h": 30,
            "vehicle_capacity_kg": 1000,
            "dispatch": {"policy": "scheduled", "departures_h": [6]},
            "setpoint_c": 0,
        },
        "air": {
            "from": "cp",
            "to": "dc",
            "mode": "air",
            "distance_km": 100,
            "transit_time_h": 2,
            "vehicle_capacity_kg": 1000,
            "dispatch": {"policy": "scheduled", "departures_h": [6]},
            "setpoint_c": 0,
        },
    },
    "markets": {
        "buyers": {
            "kind": "orders",
            "supplied_by": "dc",
            "orders": {"fresh": {"every_days": 1, "kg": 1}, "frozen": {"every_days": 1, "kg": 1}},
        }
    },
}


def scenario(changes: dict[str, Any] | None = None) -> Scenario:
    """``BASE`` with dotted-path changes (see ``tests/scenario_builders.py``)."""
    return build_scenario(changes, base=BASE)


def test_leg_products_restrict_routing() -> None:
    table = routing_table(scenario({"legs.air.products": ["fresh"]}))
    assert table[1]["cp"] == {"fresh": "air", "frozen": "road"}
    table = routing_table(scenario())
    assert table[1]["cp"] == {"fresh": "air", "frozen": "air"}  # fastest for both


def test_leg_products_must_name_known_products() -> None:
    with pytest.raises(ScenarioError, match=r"legs\.air\.products\[0\]: unknown product"):
        scenario({"legs.air.products": ["bogus"]})


def test_product_no_leg_carries_is_reported() -> None:
    with pytest.raises(ScenarioError, match=r"'frozen' cannot reach any market"):
        scenario({"legs.road.products": ["fresh"], "legs.air.products": ["fresh"]})


def test_merge_intervals_unions_overlaps() -> None:
    merged = merge_intervals([[(0.0, 5.0), (10.0, 12.0)], [(4.0, 6.0), (20.0, 21.0)]])
    assert merged == [(0.0, 6.0), (10.0, 12.0), (20.0, 21.0)]
    assert merge_intervals([]) == []


def test_several_closure_processes_merge() -> None:
    snow = {"per_year": 200, "months": [1], "duration_h": 5}
    slides = {"per_year": 200, "months": [1], "duration_h": 7}
    one = World(scenario({"legs.road.closures": snow}), 1)
    both = World(scenario({"legs.road.closures": [snow, slides]}), 1)
    first = one.legs["road"].closures
    merged = both.legs["road"].closures
    assert first  # the first process keeps its stream: same intervals inside the union
    covered = [any(s <= a and b <= e for s, e in merged) for a, b in first]
    assert all(covered)
    assert sum(e - s for s, e in merged) > sum(e - s for s, e in first)


def test_grading_per_product_and_precooling_by_class() -> None:
    result = simulate(
        scenario({"collection_points.cp.grading_reject_fraction": {"fresh": 0.1}}),
        0,
        record_flows=True,
    )
    rejected = result.by_product
    assert rejected["fresh"]["rejected_kg"] == pytest.approx(0.1 * 100 * 4)
    assert rejected["frozen"]["rejected_kg"] == 0.0
    world = World(scenario(), 0)
    world.run()
    waits = world.ledger.waits["cp.precooling"]
    assert len(waits) == 4  # one fresh lot a day is pre-cooled, frozen lots are not


def test_co2_per_vehicle_km_adds_to_tonne_km() -> None:
    result = simulate(
        scenario({"legs.air.co2_kg_per_km": 2.0, "legs.air.co2_kg_per_tonne_km": 1.0})
    )
    air = result.by_leg["air"]
    assert air["trips"] > 0
    assert air["co2_kg"] == pytest.approx(air["trips"] * 100 * 2.0 + air["tonne_km"] * 1.0)


def test_class_chambers_hold_frozen_goods_frozen() -> None:
    world = World(scenario({"collection_points.cp.class_setpoints_c": {"frozen": -18}}), 0)
    storage = world.storages["cp"]
    temps = [environment.temp_c for environment in storage.cold_for]
    assert temps == [0, -18]


def test_by_market_splits_demand_and_sales_per_market() -> None:
    online = {
        "kind": "orders",
        "supplied_by": "dc",
        "orders": {"fresh": {"every_days": 1, "kg": 1000}},  # far more than supply
    }
    result = simulate(scenario({"markets.online": online}), 0)
    markets = result.by_market
    assert set(markets) == {"buyers", "online"}
    for key in ("demand_kg", "sold_kg", "lost_sales_kg", "sold_value_cny"):
        total = sum(values[key] for values in markets.values())
        assert total == pytest.approx(result.kpis[key])
    online = markets["online"]
    assert online["lost_sales_kg"] > 0
    assert online["demand_kg"] == pytest.approx(online["sold_kg"] + online["lost_sales_kg"])
    assert online["fill_rate"] == pytest.approx(online["sold_kg"] / online["demand_kg"])


def test_remaining_at_sale_histogram_holds_every_kg_sold() -> None:
    result = simulate(scenario(), 0)
    histogram = result.remaining_at_sale
    assert set(histogram) == {"fresh", "frozen"}
    for product, counts in histogram.items():
        assert len(counts) == 20
        assert sum(counts) == pytest.approx(result.by_product[product]["sold_kg"])
    # No shelf-life variability: labelled and actual remaining fractions agree, so the
    # histogram's mean (bin centres) is the KPI to within half a bin.
    for product, counts in histogram.items():
        centres = [(index + 0.5) / 20 for index in range(20)]
        mean = sum(c * kg for c, kg in zip(centres, counts, strict=True)) / sum(counts)
        expected = result.by_product[product]["mean_remaining_fraction_at_sale"]
        assert mean == pytest.approx(expected, abs=0.025)
