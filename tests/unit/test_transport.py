"""Legs in isolation: dispatch policies, fleet limits, closures, reefer failures, costs."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from fieldtotable import simulate
from fieldtotable.model.context import stream
from fieldtotable.model.ledger import Flow
from fieldtotable.model.lot import Lot
from fieldtotable.model.transport import closed_hours, open_after, sample_closures, travel_end
from fieldtotable.model.world import World
from fieldtotable.scenario.schema import Closures, Scenario
from scenario_builders import build_scenario

# Shelf life 10 d at 0 °C, Q10 = 2: 1/240 per hour at 0 °C.
R_COLD = 1 / 240

BASE: dict[str, Any] = {
    "name": "transport test",
    "start_date": "2023-01-02",
    "horizon_days": 3,
    "climate": {"here": [10.0] * 12},
    "products": {
        "p": {
            "temperature_class": "chilled",
            "shelf_life_days": 10,
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
            "transit_time_h": 10,
            "fleet": 5,
            "vehicle_capacity_kg": 1000,
            "dispatch": {"policy": "scheduled", "departures_h": [6]},
            "setpoint_c": 0,
        }
    },
    # Orders of 0 kg: nothing is sold, cargo just piles up at the DC.
    "markets": {
        "buyers": {
            "kind": "orders",
            "supplied_by": "dc",
            "orders": {"p": {"every_days": 1, "kg": 0}},
        }
    },
}


def scenario(
    *, leg: dict[str, Any] | None = None, top: dict[str, Any] | None = None, **sections: Any
) -> Scenario:
    changes = {f"legs.road.{key}": value for key, value in (leg or {}).items()}
    return build_scenario({**changes, **(top or {}), **sections}, base=BASE)


def flows(s: Scenario, kind: str, seed: int = 0) -> list[Flow]:
    result = simulate(s, seed, record_flows=True)
    assert result.flows is not None
    return [f for f in result.flows if f.kind == kind]


def run_bounded(world: World, max_events: int = 200_000) -> None:
    """Run the world to its horizon, failing (not hanging) on a zero-time event loop."""
    env = world.env
    horizon = world.context.horizon_h
    for _ in range(max_events):
        if env.peek() >= horizon:
            break
        env.step()
    else:
        pytest.fail(
            f"event budget exhausted at t={env.now} h: the model spins without time passing"
        )
    world.run()


# -- pure closure helpers --------------------------------------------------------------

CLOSED = [(5.0, 10.0), (20.0, 30.0)]
STARTS = [start for start, _ in CLOSED]


@pytest.mark.parametrize(
    ("t", "expected"),
    [(0.0, 0.0), (5.0, 10.0), (7.5, 10.0), (10.0, 10.0), (15.0, 15.0), (29.9, 30.0), (40.0, 40.0)],
)
def test_open_after(t: float, expected: float) -> None:
    assert open_after(CLOSED, STARTS, t) == expected


@pytest.mark.parametrize(
    ("depart", "moving", "expected"),
    [
        (0.0, 4.0, 4.0),  # arrives before the first closure
        (0.0, 5.0, 5.0),  # arrives as it starts
        (0.0, 6.0, 11.0),  # stopped 5-10 h
        (0.0, 16.0, 31.0),  # stopped by both
        (12.0, 5.0, 17.0),
        (12.0, 10.0, 32.0),
        (30.0, 3.0, 33.0),
        (2.0, 0.0, 2.0),
    ],
)
def test_travel_end(depart: float, moving: float, expected: float) -> None:
    assert travel_end(CLOSED, STARTS, depart, moving) == pytest.approx(expected)


def test_travel_end_without_closures_is_plain_addition() -> None:
    assert travel_end([], [], 3.5, 10.25) == 13.75


def test_sample_closures_only_in_listed_months_and_merged() -> None:
    months = [1] * 31 + [2] * 28 + [3] * 31
    closures = Closures.model_validate(
        {"per_year": 200, "months": [2], "duration_h": {"dist": "uniform", "low": 5, "high": 40}}
    )
    intervals = sample_closures(closures, months, np.random.default_rng(3))
    assert intervals
    assert all(31 * 24 <= start < 59 * 24 for start, _ in intervals)
    for (s1, e1), (s2, e2) in itertools.pairwise(intervals):
        assert s1 < e1 < s2 < e2  # sorted, disjoint (overlaps merged)
    assert sample_closures(None, months, np.random.default_rng(3)) == []
    none = Closures.model_validate({"per_year": 0, "duration_h": 5})
    assert sample_closures(none, months, np.random.default_rng(3)) == []


def test_sample_closures_rate() -> None:
    months = [m for m in range(1, 13) for _ in range(30)]
    closures = Closures.model_validate({"per_year": 50, "months": [6, 7], "duration_h": 0.001})
    counts = [
        len(sample_closures(closures, months, np.random.default_rng(seed))) for seed in range(40)
    ]
    # 50 per year spread over June-July: 60 of the 61 days of June-July are tabulated.
    expected = 50 * 60 / 61
    assert np.mean(counts) == pytest.approx(expected, rel=0.08)


# -- scheduled dispatch ----------------------------------------------------------------


def test_scheduled_departures_at_listed_hours() -> None:
    s = scenario(leg={"dispatch": {"policy": "scheduled", "departures_h": [18, 6]}})
    departs = flows(s, "depart")
    arrives = flows(s, "arrive")
    # Cargo (harvested 01:00) leaves at the 06:00 departure; at 18:00 nothing waits.
    assert [f.time_h for f in departs] == [6.0, 30.0, 54.0]
    assert [f.kg for f in departs] == [100.0, 100.0, 100.0]
    assert [f.time_h for f in arrives] == [16.0, 40.0, 64.0]
    assert all(f.place == "road" for f in departs + arrives)


def test_cargo_above_vehicle_capacity_is_split_across_vehicles() -> None:
    s = scenario(
        leg={"vehicle_capacity_kg": 100},
        sources={
            "s": {
                "region": "here",
                "collection_point": "cp",
                "harvest_hour": 1,
                "supply": {"p": {"kg_per_day": 250}},
            }
        },
        top={"horizon_days": 1},
    )
    result = simulate(s, 0, record_flows=True)
    assert result.flows is not None
    departs = [f for f in result.flows if f.kind == "depart"]
    assert [(f.time_h, f.kg) for f in departs] == [(6.0, 100.0), (6.0, 100.0), (6.0, 50.0)]
    assert len({f.lot for f in departs}) == 3
    assert result.by_leg["road"]["trips"] == 3
    assert result.by_leg["road"]["kg_carried"] == pytest.approx(250.0)
    assert result.by_leg["road"]["mean_load_kg"] == pytest.approx(250 / 3)
    assert result.by_leg["road"]["load_factor"] == pytest.approx(250 / 300)


def test_fleet_limit_and_vehicle_return() -> None:
    # Two vehicles, 10 h out and 10 h back: both leave at 06:00 and are away until 26:00,
    # so the 12:00 and 18:00 departures find no vehicle.
    s = scenario(
        leg={
            "vehicle_capacity_kg": 100,
            "fleet": 2,
            "dispatch": {"policy": "scheduled", "departures_h": [6, 12, 18]},
        },
        sources={
            "s": {
                "region": "here",
                "collection_point": "cp",
                "harvest_hour": 1,
                "supply": {"p": {"kg_per_day": 250}},
            }
        },
    )
    result = simulate(s, 0, record_flows=True)
    assert result.flows is not None
    loaded: dict[float, float] = {}
    for f in result.flows:
        if f.kind == "depart":
            loaded[f.time_h] = loaded.get(f.time_h, 0.0) + f.kg
    assert loaded == {6.0: 200.0, 30.0: 200.0, 54.0: 200.0}
    # Two trips a day (counted on the day they were loaded).
    # Trips are booked on the day they were loaded, once they arrive (64 h < 72 h).
    assert result.by_leg["road"]["trips"] == 6
    assert result.daily["in_transit_kg"][0] == pytest.approx(0.0)


def test_return_trip_frees_the_vehicle_in_time() -> None:
    # One vehicle, 2.5 h each way: away at 10:00, back at 11:00 for the 12:00 departure.
    s = scenario(
        leg={
            "vehicle_capacity_kg": 100,
            "fleet": 1,
            "transit_time_h": 2.5,
            "dispatch": {"policy": "scheduled", "departures_h": [6, 10, 12]},
        },
        sources={
            "s": {
                "region": "here",
                "collection_point": "cp",
                "harvest_hour": 1,
                "supply": {"p": {"kg_per_day": 250}},
            }
        },
        top={"horizon_days": 1},
    )
    assert [(f.time_h, f.kg) for f in flows(s, "depart")] == [(6.0, 100.0), (12.0, 100.0)]


def test_loading_time_and_reefer_ageing() -> None:
    s = scenario(leg={"loading_h": 2, "setpoint_c": 0}, top={"horizon_days": 1})
    world = World(s, 0, record_flows=True)
    seen: list[tuple[float, float, float]] = []
    leg = world.legs["road"]
    deliver = leg.deliver

    def record(lots: list[Lot]) -> None:
        seen.extend((world.env.now, lot.consumed, lot.updated_h) for lot in lots)
        deliver(lots)

    leg.deliver = record
    world.run()
    ((now, consumed, updated),) = seen
    assert now == 18.0  # loaded 06:00, 2 h loading, 10 h transit
    assert updated == 18.0
    # 1-6 h in the cold room (0 °C), 6-8 h loading outside (10 °C), 8-18 h in the reefer.
    assert consumed == pytest.approx(5 * R_COLD + 2 * 2 * R_COLD + 10 * R_COLD, rel=1e-12)


# -- full or timeout -------------------------------------------------------------------


def fot(min_load: float, max_wait: float, **leg: Any) -> dict[str, Any]:
    return {
        "dispatch": {"policy": "full_or_timeout", "min_load_kg": min_load, "max_wait_h": max_wait},
        **leg,
    }


def test_full_or_timeout_departs_at_max_wait() -> None:
    s = scenario(leg=fot(300, 10))
    departs = flows(s, "depart")
    assert [(f.time_h, f.kg) for f in departs] == [(11.0, 100.0), (35.0, 100.0), (59.0, 100.0)]


def test_full_or_timeout_departs_when_min_load_is_reached() -> None:
    two_sources = {
        "s1": {
            "region": "here",
            "collection_point": "cp",
            "harvest_hour": 1,
            "supply": {"p": {"kg_per_day": 200}},
        },
        "s2": {
            "region": "here",
            "collection_point": "cp",
            "harvest_hour": 4,
            "supply": {"p": {"kg_per_day": 200}},
        },
    }
    s = scenario(leg=fot(300, 10), sources=two_sources)
    departs = flows(s, "depart")
    assert sorted({f.time_h for f in departs}) == [4.0, 28.0, 52.0]
    by_time: dict[float, float] = {}
    for f in departs:
        by_time[f.time_h] = by_time.get(f.time_h, 0.0) + f.kg
    assert by_time == {4.0: 400.0, 28.0: 400.0, 52.0: 400.0}


def test_full_or_timeout_min_load_above_capacity_sends_full_vehicles() -> None:
    s = scenario(
        leg=fot(5000, 10, vehicle_capacity_kg=150),
        sources={
            "s": {
                "region": "here",
                "collection_point": "cp",
                "harvest_hour": 1,
                "supply": {"p": {"kg_per_day": 400}},
            },
        },
        top={"horizon_days": 1},
    )
    departs = flows(s, "depart")
    # Two full vehicles at once; the 100 kg rest leaves when it has waited 10 h.
    assert [(f.time_h, f.kg) for f in departs] == [(1.0, 150.0), (1.0, 150.0), (11.0, 100.0)]


def test_full_or_timeout_waits_for_a_vehicle_without_spinning() -> None:
    # One vehicle, 30 h each way: it is away when the second day's wait expires.
    s = scenario(leg=fot(1000, 2, fleet=1, transit_time_h=30), top={"horizon_days": 4})
    world = World(s, 0, record_flows=True)
    run_bounded(world)
    departs = [(f.time_h, f.kg) for f in world.ledger.flows if f.kind == "depart"]
    # Day 0 leaves at 03:00; back at 63 h it takes days 1 and 2 (waiting since 25 h and 49 h).
    assert departs[0] == (3.0, 100.0)
    assert [t for t, _ in departs[1:]] == [63.0, 63.0]
    assert sum(kg for _, kg in departs[1:]) == pytest.approx(200.0)


def test_fleet_is_never_exceeded_when_loading_frees_cold_room_space() -> None:
    # A tiny cold room: loading a vehicle admits lots waiting outside, which triggers
    # another full-or-timeout dispatch from inside the first one.
    s = scenario(
        leg=fot(50, 1000, fleet=1, vehicle_capacity_kg=50, transit_time_h=2),
        collection_points={"cp": {"region": "here", "cold_room_kg": 100, "setpoint_c": 0}},
        sources={
            "s": {
                "region": "here",
                "collection_point": "cp",
                "harvest_hour": 1,
                "supply": {"p": {"kg_per_day": 300}},
            },
        },
        top={"horizon_days": 4},
    )
    world = World(s, 0, record_flows=True)
    leg = world.legs["road"]
    env = world.env
    lowest = leg.available
    while env.peek() < world.context.horizon_h:
        env.step()
        lowest = min(lowest, leg.available)
        assert leg.available <= 1
    assert lowest >= 0
    # One vehicle, 4 h round trip: at most 6 trips a day, 50 kg each.
    departs = [f for f in world.ledger.flows if f.kind == "depart"]
    times = sorted({f.time_h for f in departs})
    assert all(b - a >= 4.0 - 1e-9 for a, b in itertools.pairwise(times))


# -- closures ---------------------------------------------------------------------------


def closed_world(closures: list[tuple[float, float]], **leg: Any) -> tuple[World, list[Any]]:
    s = scenario(leg=leg, top={"horizon_days": 2})
    world = World(s, 0, record_flows=True)
    road = world.legs["road"]
    road.closures = closures
    road.closure_starts = [start for start, _ in closures]
    seen: list[tuple[float, float]] = []
    deliver = road.deliver

    def record(lots: list[Lot]) -> None:
        seen.extend((world.env.now, lot.consumed) for lot in lots)
        deliver(lots)

    road.deliver = record
    world.run()
    return world, seen


def test_closure_holds_departure_in_the_reefer() -> None:
    world, seen = closed_world([(5.0, 20.0)], fleet=2)
    departs = [f.time_h for f in world.ledger.flows if f.kind == "depart"]
    arrives = [f.time_h for f in world.ledger.flows if f.kind == "arrive"]
    assert departs == [6.0, 30.0]  # loaded on schedule...
    assert arrives == [30.0, 40.0]  # ...but held until 20:00 on day 0
    # Waiting in the reefer at 0 °C: 1-30 h all at the setpoint.
    assert seen[0] == (30.0, pytest.approx(29 * R_COLD, rel=1e-12))


def test_closure_stops_a_trip_under_way() -> None:
    world, _ = closed_world([(10.0, 15.0)])
    arrives = [f.time_h for f in world.ledger.flows if f.kind == "arrive"]
    assert arrives == [21.0, 40.0]  # 4 h moving, 5 h stopped, 6 h moving


def test_closure_delays_the_return_trip() -> None:
    # Arrive 16:00; the road closes 17-27 h; the only vehicle is back at 36 h, not 26 h.
    world, _ = closed_world(
        [(17.0, 27.0)], fleet=1, dispatch={"policy": "scheduled", "departures_h": [6]}
    )
    departs = [f.time_h for f in world.ledger.flows if f.kind == "depart"]
    assert departs == [6.0]  # the 30 h departure finds no vehicle
    world2, _ = closed_world([(17.0, 18.0)], fleet=1)
    assert [f.time_h for f in world2.ledger.flows if f.kind == "depart"] == [6.0, 30.0]


def test_closed_hours_counts_the_overlap_with_the_window() -> None:
    intervals = [(2.0, 5.0), (10.0, 30.0), (40.0, 41.5)]
    assert closed_hours(intervals, 0.0, 48.0) == 3.0 + 20.0 + 1.5
    assert closed_hours(intervals, 4.0, 12.0) == 1.0 + 2.0  # clipped at both ends
    assert closed_hours(intervals, 31.0, 39.0) == 0.0
    assert closed_hours([], 0.0, 48.0) == 0.0


def test_by_leg_reports_the_hours_closed_after_the_warm_up() -> None:
    closures = {"months": list(range(1, 13)), "per_year": 200, "duration_h": 10}
    s = scenario(leg={"closures": closures}, top={"horizon_days": 30, "warmup_days": 5})
    world = World(s, 3)
    intervals = world.legs["road"].closures
    assert intervals, "200 closures a year must give some in 30 days"
    expected = sum(max(0.0, min(end, 720.0) - max(start, 120.0)) for start, end in intervals)
    result = simulate(s, 3)
    assert result.by_leg["road"]["closed_h"] == pytest.approx(expected, rel=1e-12)
    assert 0 < result.by_leg["road"]["closed_h"] < 600
    assert simulate(scenario(), 3).by_leg["road"]["closed_h"] == 0.0


# -- reefer failure --------------------------------------------------------------------

FAILURE_CLIMATE = {
    "hills": {"monthly_mean_c": [5.0] * 12, "daily_range_c": 10},
    "city": {"monthly_mean_c": [25.0] * 12, "daily_range_c": 8},
}


def failure_world(failure: dict[str, Any] | None, seed: int) -> tuple[World, dict[int, float]]:
    changes = {
        "climate": FAILURE_CLIMATE,
        "sources.s.region": "hills",
        "collection_points.cp.region": "hills",
        "hubs.dc.region": "city",
        "legs.road.transit_time_h": {"dist": "uniform", "low": 10, "high": 30},
        "legs.road.reefer_failure": failure,
        "horizon_days": 2,
    }
    world = World(build_scenario(changes, base=BASE), seed)
    consumed: dict[int, float] = {}
    road = world.legs["road"]
    deliver = road.deliver

    def record(lots: list[Lot]) -> None:
        consumed.update((lot.id, lot.consumed) for lot in lots)
        deliver(lots)

    road.deliver = record
    world.run()
    return world, consumed


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_reefer_failure_adds_exactly_the_ambient_minus_setpoint_integral(seed: int) -> None:
    failure = {"probability_per_trip": 1.0, "duration_h": 4}
    world, with_failure = failure_world(failure, seed)
    _, without = failure_world(None, seed)
    assert with_failure.keys() == without.keys()
    assert with_failure
    # Reproduce the failure draws of the first trip (departs 06:00, no loading time).
    rng = stream(seed, "leg", "road", "reefer_failure")
    transit = stream(seed, "leg", "road", "transit").uniform(10, 30)
    depart, arrival = 6.0, 6.0 + transit
    rng.random()  # the probability draw
    start = depart + (arrival - depart) * rng.random()
    end = min(start + 4.0, arrival)
    ambient = world.context.ambient["hills" if start < (depart + arrival) / 2 else "city"]
    reefer = world.context.at_temperature(0.0)
    lot_id = min(with_failure)
    increase = ambient.consumed(0, start, end) - reefer.consumed(0, start, end)
    assert increase > 0
    assert with_failure[lot_id] - without[lot_id] == pytest.approx(increase, rel=1e-9)


def test_reefer_failure_with_probability_zero_changes_nothing() -> None:
    _, never = failure_world({"probability_per_trip": 0.0, "duration_h": 4}, 7)
    _, none = failure_world(None, 7)
    assert never == none


# -- costs and CO2 ---------------------------------------------------------------------


def test_costs_per_trip_km_kg_and_co2_per_tonne_km() -> None:
    s = scenario(
        leg={
            "vehicle_capacity_kg": 100,
            "distance_km": 250,
            "cost_cny_per_trip": 300,
            "cost_cny_per_km": 7,
            "cost_cny_per_kg": 0.5,
            "co2_kg_per_tonne_km": 0.12,
        },
        sources={
            "s": {
                "region": "here",
                "collection_point": "cp",
                "harvest_hour": 1,
                "supply": {"p": {"kg_per_day": 250}},
            },
        },
        top={"horizon_days": 1},
    )
    result = simulate(s, 0)
    # Three trips (100 + 100 + 50 kg) of 250 km.
    cost = 3 * (300 + 7 * 250) + 0.5 * 250
    tonne_km = 0.25 * 250
    assert result.by_leg["road"]["trips"] == 3
    assert result.by_leg["road"]["cost_cny"] == pytest.approx(cost)
    assert result.by_leg["road"]["tonne_km"] == pytest.approx(tonne_km)
    assert result.by_leg["road"]["co2_kg"] == pytest.approx(0.12 * tonne_km)
    assert result.kpis["transport_cost_cny"] == pytest.approx(cost)
    assert result.kpis["co2_kg"] == pytest.approx(0.12 * tonne_km)
    assert result.kpis["trips"] == 3
    assert result.daily["transport_cost_cny"] == pytest.approx([cost])


def test_utilisation_is_share_of_fleet_hours_on_trips() -> None:
    s = scenario(leg={"fleet": 2, "transit_time_h": 5}, top={"horizon_days": 2})
    result = simulate(s, 0)
    # Two round trips of 10 h (5 out, 5 back) by a fleet of 2 over 48 h.
    assert result.by_leg["road"]["utilisation"] == pytest.approx(2 * 10 / (2 * 48))


def test_inactive_month_holds_cargo() -> None:
    s = scenario(leg={"active_months": [2]}, top={"horizon_days": 3})
    assert flows(s, "depart") == []


def test_tight_cold_room_keeps_cargo_flowing() -> None:
    # 150 kg a day into a 100 kg cold room: 100 kg fit, 50 kg wait outside; the
    # vehicle loading the 100 kg frees the room, and the 50 kg must follow at once.
    s = scenario(
        leg=fot(50, 1000, vehicle_capacity_kg=100, transit_time_h=2),
        collection_points={"cp": {"region": "here", "cold_room_kg": 100, "setpoint_c": 0}},
        sources={
            "s": {
                "region": "here",
                "collection_point": "cp",
                "harvest_hour": 1,
                "supply": {"p": {"kg_per_day": 150}},
            },
        },
        top={"horizon_days": 5},
    )
    world = World(s, 0, record_flows=True)
    run_bounded(world)
    loaded: dict[float, float] = {}
    for f in world.ledger.flows:
        if f.kind == "depart":
            loaded[f.time_h] = loaded.get(f.time_h, 0.0) + f.kg
    assert loaded == {1.0 + 24 * d: pytest.approx(150.0) for d in range(5)}
    storage = world.storages["cp"]
    assert not storage.waiting
    assert storage.occupied_kg == pytest.approx(0.0)
