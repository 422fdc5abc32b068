"""Sources and collection points in isolation: harvest, grading, pre-cooling queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
import simpy

from fieldtotable import simulate
from fieldtotable.kinetics import Kinetics
from fieldtotable.model.collection import CollectionPointProcess
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import COLLECTION, Lot
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.model.world import World
from fieldtotable.scenario.schema import CollectionPoint
from scenario_builders import build_scenario

# Shelf life 10 d at 0 °C, Q10 = 2.
KIN = Kinetics(10.0, 0.0, q10=2.0)
R_COLD = 1 / 240  # 0 °C
R_WARM = 1 / 120  # 10 °C


def rate(temp_c: float) -> float:
    return KIN.rate_per_h_scalar(temp_c)


# -- components built directly ---------------------------------------------------------


def make_context(temps: np.ndarray | None = None) -> Context:
    env = simpy.Environment()
    ledger = Ledger(["p"], [], 10, record_flows=True)
    hourly = np.full(24 * 12, 10.0) if temps is None else temps
    ambient = Ambient(hourly, [KIN])
    return Context(env, ledger, Calendar(dt.date(2023, 1, 2), 12), [KIN], {"here": ambient}, 240.0)


def make_point(ctx: Context, **config: Any) -> tuple[CollectionPointProcess, Storage]:
    data = {"region": "here", "cold_room_kg": 1e6, "setpoint_c": 0.0, **config}
    cp = CollectionPoint.model_validate(data)
    storage = Storage(
        ctx, "cp", ctx.ambient["here"], cp.setpoint_c, cp.cold_room_kg, cp.overload, COLLECTION, 1
    )
    return CollectionPointProcess(ctx, "cp", cp, storage, 0), storage


def field_lots(ctx: Context, *kgs: float, limit: float = 1.0) -> list[Lot]:
    return [ctx.new_lot(0, 0, kg, limit, ctx.ambient["here"], COLLECTION) for kg in kgs]


def admitted_at(storage: Storage) -> list[tuple[float, float]]:
    return [(lot.arrived_h, lot.kg) for lot in storage.stock[0]]


def test_precooling_queue_one_unit_finishes_at_3_6_9() -> None:
    ctx = make_context()
    point, storage = make_point(ctx, precooling={"units": 1, "time_h": 3})
    point.receive(field_lots(ctx, 10.0, 20.0, 30.0))
    ctx.env.run(until=20.0)
    assert admitted_at(storage) == [(3.0, 10.0), (6.0, 20.0), (9.0, 30.0)]
    assert ctx.ledger.waits["cp.precooling"] == [0.0, 3.0, 6.0]


def test_precooling_queue_two_units() -> None:
    ctx = make_context()
    point, storage = make_point(ctx, precooling={"units": 2, "time_h": 3})
    point.receive(field_lots(ctx, 10.0, 20.0, 30.0))
    ctx.env.run(until=20.0)
    assert admitted_at(storage) == [(3.0, 10.0), (3.0, 20.0), (6.0, 30.0)]
    assert ctx.ledger.waits["cp.precooling"] == [0.0, 0.0, 3.0]


def test_precooling_throughput_adds_kg_over_capacity() -> None:
    ctx = make_context()
    point, storage = make_point(ctx, precooling={"capacity_kg_per_h": 100, "time_h": 1})
    point.receive(field_lots(ctx, 200.0, 50.0))
    ctx.env.run(until=20.0)
    # 1 h + 2 h for the first; the second starts at 3 h and needs 1 h + 0.5 h.
    assert admitted_at(storage) == [(3.0, 200.0), (4.5, 50.0)]


def test_precooling_ages_at_the_mean_of_ambient_and_setpoint() -> None:
    temps = np.full(24 * 12, 10.0)
    temps[5:] = 30.0  # hot from 05:00
    ctx = make_context(temps)
    point, storage = make_point(ctx, precooling={"units": 1, "time_h": 2})
    (a, b) = field_lots(ctx, 10.0, 10.0)
    ctx.env.run(until=4.0)
    point.receive([a, b])
    ctx.env.run(until=30.0)
    for lot in (a, b):
        lot.advance(30.0)
    # a: outside 0-4 h (10 °C), cooled 4-6 h at (10 + 0)/2 = 5 °C, cold room 6-30 h.
    expected_a = 4 * R_WARM + 2 * rate(5.0) + 24 * R_COLD
    # b: outside 0-5 h at 10 °C and 5-6 h at 30 °C, cooled 6-8 h at 15 °C, then cold.
    expected_b = 5 * R_WARM + 1 * rate(30.0) + 2 * rate(15.0) + 22 * R_COLD
    assert admitted_at(storage) == [(6.0, 10.0), (8.0, 10.0)]
    assert a.consumed == pytest.approx(expected_a, rel=1e-12)
    assert b.consumed == pytest.approx(expected_b, rel=1e-12)


def test_no_precooling_goes_straight_to_the_cold_room() -> None:
    ctx = make_context()
    point, storage = make_point(ctx)
    assert not point.needs_precooling
    lots = field_lots(ctx, 10.0)
    point.receive(lots)
    assert storage.stock[0] == lots
    assert "cp.precooling" not in ctx.ledger.waits


def test_grading_rejects_a_fraction() -> None:
    ctx = make_context()
    point, storage = make_point(ctx, grading_reject_fraction=0.25)
    ctx.env.run(until=7.0)
    (lot,) = field_lots(ctx, 80.0)
    point.receive([lot])
    assert lot.kg == pytest.approx(60.0)
    assert storage.occupied_kg == pytest.approx(60.0)
    rejects = [f for f in ctx.ledger.flows if f.kind == "reject"]
    assert [(f.time_h, f.kg, f.place, f.lot) for f in rejects] == [(7.0, 20.0, "cp", lot.id)]


def test_grading_everything_removes_the_lot() -> None:
    ctx = make_context()
    point, storage = make_point(ctx, grading_reject_fraction=1.0)
    (lot,) = field_lots(ctx, 80.0)
    point.receive([lot])
    assert lot.id not in ctx.live
    assert storage.occupied_kg == 0.0
    assert np.asarray(ctx.ledger.daily["rejected"]).sum() == pytest.approx(80.0)


def test_lot_spoiled_before_arrival_is_discarded_at_the_point() -> None:
    ctx = make_context()
    point, storage = make_point(ctx, precooling={"units": 1, "time_h": 3})
    (lot,) = field_lots(ctx, 5.0, limit=0.01)  # 1.2 h of shelf life at 10 °C
    ctx.env.run(until=3.0)
    point.receive([lot])
    assert lot.id not in ctx.live
    assert storage.occupied_kg == 0.0
    (flow,) = [f for f in ctx.ledger.flows if f.kind == "spoil"]
    assert flow.time_h == pytest.approx(1.2)
    assert np.asarray(ctx.ledger.spoiled)[COLLECTION].sum() == pytest.approx(5.0)


def test_lot_spoiled_in_the_queue_does_not_occupy_the_unit() -> None:
    ctx = make_context()
    point, storage = make_point(ctx, precooling={"units": 1, "time_h": 3})
    (first,) = field_lots(ctx, 10.0)
    (doomed,) = field_lots(ctx, 10.0, limit=0.02)  # 2.4 h at 10 °C: spoils in the queue
    (last,) = field_lots(ctx, 10.0)
    point.receive([first, doomed, last])
    ctx.env.run(until=20.0)
    assert admitted_at(storage) == [(3.0, 10.0), (6.0, 10.0)]
    assert storage.stock[0][1] is last
    assert doomed.id not in ctx.live
    (flow,) = [f for f in ctx.ledger.flows if f.kind == "spoil"]
    assert (flow.time_h, flow.lot) == (pytest.approx(2.4), doomed.id)
    assert ctx.ledger.waits["cp.precooling"] == [0.0, 3.0, 3.0]


# -- sources, through small scenarios ---------------------------------------------------

BASE: dict[str, Any] = {
    "name": "collection test",
    "start_date": "2023-01-30",  # two days of January, then February
    "horizon_days": 4,
    "climate": {"here": [10.0] * 12},
    "products": {
        "p": {
            "temperature_class": "chilled",
            "shelf_life_days": 10,
            "ref_temp_c": 0,
            "q10": 2,
            "price_cny_per_kg": 100,
        },
        "q": {
            "temperature_class": "chilled",
            "shelf_life_days": 10,
            "ref_temp_c": 0,
            "q10": 2,
            "price_cny_per_kg": 100,
        },
    },
    "sources": {
        "s": {
            "region": "here",
            "collection_point": "cp",
            "harvest_hour": 13,
            "hours_to_collection": 5,
            "supply": {
                "p": {"kg_per_day": 100},
                "q": {"kg_per_day": 40, "season": [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]},
            },
        }
    },
    "collection_points": {
        "cp": {
            "region": "here",
            "cold_room_kg": 1e6,
            "setpoint_c": 0,
            "grading_reject_fraction": 0.1,
        }
    },
    "hubs": {"dc": {"region": "here", "storage_kg": 1e6, "setpoint_c": 0}},
    "legs": {
        "road": {
            "from": "cp",
            "to": "dc",
            "mode": "reefer_truck",
            "distance_km": 100,
            "transit_time_h": 10,
            "vehicle_capacity_kg": 1000,
            "setpoint_c": 0,
            "dispatch": {"policy": "scheduled", "departures_h": [23]},
        }
    },
    "markets": {
        "buyers": {
            "kind": "orders",
            "supplied_by": "dc",
            "orders": {"p": {"every_days": 1, "kg": 0}, "q": {"every_days": 1, "kg": 0}},
        }
    },
}


def test_daily_harvest_season_and_scale() -> None:
    result = simulate(build_scenario({"scale": 1.5}, base=BASE), 0, record_flows=True)
    assert result.flows is not None
    harvests = [(f.time_h, f.product, f.kg) for f in result.flows if f.kind == "harvest"]
    # q is out of season in February (days 2 and 3).
    assert harvests == [
        (13.0, "p", 150.0),
        (13.0, "q", 60.0),
        (37.0, "p", 150.0),
        (37.0, "q", 60.0),
        (61.0, "p", 150.0),
        (85.0, "p", 150.0),
    ]
    rejects = [(f.time_h, f.product, f.kg) for f in result.flows if f.kind == "reject"]
    assert rejects[:2] == [(18.0, "p", pytest.approx(15.0)), (18.0, "q", pytest.approx(6.0))]
    assert result.kpis["harvested_kg"] == pytest.approx(4 * 150 + 2 * 60)
    assert result.kpis["rejected_kg"] == pytest.approx(0.1 * (4 * 150 + 2 * 60))
    assert result.by_product["q"]["harvested_kg"] == pytest.approx(120.0)


def test_field_heat_on_the_way_to_the_collection_point() -> None:
    world = World(build_scenario(base=BASE), 0)
    world.env.run(until=20.0)
    storage = world.storages["cp"]
    p_lot = storage.stock[0][0]
    p_lot.advance(20.0)
    # Harvested 13:00, 5 h at 10 °C to the point (18:00), then 2 h in the cold room.
    assert p_lot.harvested_h == 13.0
    assert p_lot.arrived_h == 18.0
    assert p_lot.consumed == pytest.approx(5 * R_WARM + 2 * R_COLD, rel=1e-12)
    assert p_lot.kg == pytest.approx(90.0)


@pytest.mark.python_model
def test_shelf_life_variability_samples_lot_limits() -> None:
    changes = {"horizon_days": 200, "start_date": "2023-03-01", "products.p.shelf_life_cv": 0.3}
    world = World(build_scenario(changes, base=BASE), 3, record_flows=True)
    limits: list[float] = []
    original = world.context.new_lot

    def spy(*args: Any, **kwargs: Any) -> Lot:
        lot = original(*args, **kwargs)
        if lot.product == 0:
            limits.append(lot.limit)
        return lot

    world.context.new_lot = spy  # type: ignore[method-assign]
    world.run()
    assert len(limits) == 200
    assert np.mean(limits) == pytest.approx(1.0, abs=0.06)
    assert np.std(limits) / np.mean(limits) == pytest.approx(0.3, abs=0.06)
    assert world.ledger.products == ("p", "q")
