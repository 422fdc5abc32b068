"""Measured temperature logs replayed in the simulation: legs per trip, rooms as profiles."""

from __future__ import annotations

import math
from typing import Any

import pytest

from fieldtotable import simulate
from fieldtotable.model.lot import Lot
from fieldtotable.model.world import World
from fieldtotable.scenario.schema import Scenario
from nan_aware import same
from scenario_builders import build_scenario

# Shelf life 2 d at 0 °C, Q10 = 2: 1/48 per hour at 0 °C, 16/48 at 40 °C.
RATE_COLD = 1 / 48
LOG_COEFFICIENT = math.log(2.0) / 10.0

BASE: dict[str, Any] = {
    "name": "temperature log test",
    "start_date": "2023-01-02",
    "horizon_days": 3,
    "climate": {"here": [0.0] * 12},
    "products": {
        "p": {
            "temperature_class": "chilled",
            "shelf_life_days": 2,
            "ref_temp_c": 0,
            "q10": 2,
            "price_cny_per_kg": 100,
        }
    },
    "sources": {
        "s": {
            "region": "here",
            "collection_point": "cp",
            "harvest_hour": 1,
            "supply": {"p": {"kg_per_day": 100}},
        }
    },
    "collection_points": {"cp": {"region": "here", "cold_room_kg": 1e6, "setpoint_c": 0}},
    "hubs": {"dc": {"region": "here", "storage_kg": 1e6, "setpoint_c": 0, "dock_exposure_h": 0}},
    "legs": {
        "road": {
            "from": "cp",
            "to": "dc",
            "mode": "reefer_truck",
            "distance_km": 100,
            "transit_time_h": 30,
            "fleet": 5,
            "vehicle_capacity_kg": 1000,
            "dispatch": {"policy": "scheduled", "departures_h": [6]},
            "setpoint_c": 0,
        }
    },
    "markets": {
        "buyers": {
            "kind": "orders",
            "supplied_by": "dc",
            "orders": {"p": {"every_days": 1, "kg": 0}},
        }
    },
}


def _ramp(hours: float, start_c: float, end_c: float) -> float:
    """Closed form of the shelf life used on a linear ramp, Q10 law, at 0 °C reference."""
    change = LOG_COEFFICIENT * (end_c - start_c)
    factor = 1.0 if change == 0 else math.expm1(change) / change
    return hours * RATE_COLD * math.exp(LOG_COEFFICIENT * start_c) * factor


def _warm_log(peak_c: float, plateau_h: float = 1.5) -> dict[str, list[float]]:
    """0 °C, a 0.5 h ramp up at hour 10, ``plateau_h`` at ``peak_c``, 0.5 h down, 0 °C."""
    down = 10.5 + plateau_h
    return {
        "elapsed_h": [0, 10, 10.5, down, down + 0.5, 30],
        "temp_c": [0, 0, peak_c, peak_c, 0, 0],
    }


def _delivered(scenario: Scenario, seed: int = 0) -> dict[int, float]:
    """Consumed fraction of every lot the leg delivers, by lot id."""
    world = World(scenario, seed)
    seen: dict[int, float] = {}
    road = world.legs["road"]
    deliver = road.deliver

    def record(lots: list[Lot]) -> None:
        seen.update((lot.id, lot.consumed) for lot in lots)
        deliver(lots)

    road.deliver = record
    world.run()
    return seen


@pytest.mark.parametrize("seed", [0, 3])
def test_a_constant_log_at_the_setpoint_changes_nothing(seed: int) -> None:
    plain = build_scenario()
    logged = build_scenario(
        {"legs.cp_shanghai.temperature_log": {"elapsed_h": [0, 20], "temp_c": [2, 2]}}
    )
    assert same(simulate(logged, seed).kpis, simulate(plain, seed).kpis)


def test_a_constant_profile_at_the_setpoint_changes_nothing() -> None:
    profile = {"repeat": "daily", "elapsed_h": [0, 24], "temp_c": [2, 2]}
    logged = build_scenario(
        {
            "hubs.shanghai_dc.temperature_log": profile,
            "collection_points.cp.temperature_log": profile,
        }
    )
    assert same(simulate(logged, 1).kpis, simulate(build_scenario(), 1).kpis)


def test_a_warm_segment_adds_its_closed_form_to_every_lot_on_the_trip() -> None:
    plain = _delivered(build_scenario(base=BASE))
    warm = _delivered(build_scenario({"legs.road.temperature_log": _warm_log(20.0)}, base=BASE))
    assert plain.keys() == warm.keys()
    assert plain
    # Above the 0 °C setpoint: two 0.5 h ramps and 1.5 h at 20 °C, instead of 2.5 h at 0 °C.
    increase = 2 * _ramp(0.5, 0.0, 20.0) + 1.5 * 4 * RATE_COLD - 2.5 * RATE_COLD
    for lot_id, consumed in warm.items():
        assert consumed - plain[lot_id] == pytest.approx(increase, rel=1e-12)


def test_a_warm_segment_shows_up_as_transit_spoilage_exactly_where_it_lies() -> None:
    plain = simulate(build_scenario(base=BASE), 0, record_flows=True)
    warm = simulate(
        build_scenario({"legs.road.temperature_log": _warm_log(40.0, plateau_h=3.0)}, base=BASE),
        0,
        record_flows=True,
    )
    assert plain.spoiled_kg_by_stage["transit"] == 0
    assert warm.spoiled_kg_by_stage["transit"] > 0
    # Nothing else changes before the trip: same collection-stage outcome.
    assert warm.spoiled_kg_by_stage["collection"] == plain.spoiled_kg_by_stage["collection"]
    assert warm.flows is not None
    spoils = [flow for flow in warm.flows if flow.kind == "spoil"]
    assert spoils
    # Harvested at 01:00, 5 h in the 0 °C cold room, departed 06:00: 15/48 used by hour
    # 10 of the trip; 0.5 h ramp to 40 °C, then 16/48 per hour until the rest is gone.
    before_plateau = 15 * RATE_COLD + _ramp(0.5, 0.0, 40.0)
    expiry_h = 6.0 + 10.5 + (1.0 - before_plateau) / (16 * RATE_COLD)
    assert 6.0 + 10.5 < expiry_h < 6.0 + 13.5
    first_day = [flow for flow in spoils if flow.time_h < 24.0]
    assert first_day
    for flow in first_day:
        assert flow.place == "road"
        assert flow.time_h == pytest.approx(expiry_h, rel=1e-9)


def test_a_daily_profile_warms_the_hub_store_every_afternoon() -> None:
    profile = {
        "repeat": "daily",
        "elapsed_h": [0, 14, 15, 17, 18, 24],
        "temp_c": [0, 0, 10, 10, 0, 0],
    }
    plain = simulate(build_scenario(base=BASE), 0)
    warm = simulate(build_scenario({"hubs.dc.temperature_log": profile}, base=BASE), 0)
    assert warm.spoiled_kg_by_stage["hub"] > plain.spoiled_kg_by_stage["hub"]
    assert warm.spoiled_kg_by_stage["transit"] == plain.spoiled_kg_by_stage["transit"]


def test_products_in_a_class_chamber_keep_their_setpoint() -> None:
    frozen = {
        "products.p.temperature_class": "frozen",
        "legs.road.class_setpoints_c": {"frozen": 0},
    }
    plain = _delivered(build_scenario(frozen, base=BASE))
    logged = _delivered(
        build_scenario({**frozen, "legs.road.temperature_log": _warm_log(20.0)}, base=BASE)
    )
    assert plain
    assert logged == plain
