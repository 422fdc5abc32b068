"""Overload policies in whole runs of a tiny channel, with hand-computed outcomes.

The channel: one producer harvests 100 kg of a product that keeps a year at midnight
every day and delivers it at once (no grading, no pre-cooling) to a collection point
whose cold room holds 250 kg; a leg takes it to a DC; nobody buys. Five days: 500 kg.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fieldtotable import RunResult, simulate
from fieldtotable.tables.breakdowns import node_rows
from scenario_builders import build_scenario

DAYS = 5

TINY: dict[str, Any] = {
    "name": "tiny overload channel",
    "start_date": dt.date(2023, 7, 1),
    "horizon_days": DAYS,
    "climate": {"here": [10.0] * 12},
    "products": {
        "roots": {
            "temperature_class": "chilled",
            "shelf_life_days": 365.0,
            "ref_temp_c": 0.0,
            "q10": 2.0,
            "price_cny_per_kg": 30.0,
            "farm_gate_price_cny_per_kg": 10.0,
        }
    },
    "sources": {
        "farm": {
            "region": "here",
            "collection_point": "cp",
            "harvest_hour": 0.0,
            "supply": {"roots": {"kg_per_day": {"dist": "constant", "value": 100.0}}},
        }
    },
    "collection_points": {
        "cp": {
            "region": "here",
            "cold_room_kg": 250.0,
            "setpoint_c": 0.0,
            "overload": {"policy": "wait_ambient"},
        }
    },
    "hubs": {
        "dc": {
            "region": "here",
            "storage_kg": 1e6,
            "setpoint_c": 0.0,
            "dock_exposure_h": 0.0,
            "handling_time_h": 0.0,
            "overload": {"policy": "wait_ambient"},
        }
    },
    "legs": {
        "road": {
            "from": "cp",
            "to": "dc",
            "mode": "reefer_truck",
            "distance_km": 100.0,
            "transit_time_h": {"dist": "constant", "value": 1.0},
            "fleet": 1,
            "vehicle_capacity_kg": 1000.0,
            "dispatch": {"policy": "scheduled", "departures_h": [12.0]},
            "setpoint_c": 0.0,
            "active_months": [1],  # no departure in July: the cold room only fills
        }
    },
    "markets": {
        "shop": {
            "kind": "store",
            "region": "here",
            "supplied_by": "dc",
            "setpoint_c": 0.0,
            "shelf_capacity_kg": 10.0,
            "replenishment": {"policy": "order_up_to", "target_days_of_demand": 1.0},
            "demand": {
                "roots": {
                    "customers_per_day": {"dist": "constant", "value": 0.0},
                    "kg_per_customer": {"dist": "constant", "value": 1.0},
                }
            },
        }
    },
}

OVERFLOW = {
    "policy": "overflow",
    "capacity_kg": 100.0,
    "setpoint_c": 2.0,
    "rent_cny_per_kg_day": 0.01,
    "handling_cny_per_kg": 0.5,
}


def run(changes: dict[str, Any]) -> RunResult:
    return simulate(build_scenario(changes, base=TINY), seed=1)


def losses(result: RunResult) -> dict[tuple[str, str, str], float]:
    return {(loss.fate, loss.node, loss.reason): loss.kg for loss in result.losses}


def test_wait_ambient_leaves_what_does_not_fit_outside() -> None:
    result = run({})
    # 250 kg fill the room by day 2; 50 of day 2's and all of days 3 and 4 wait outside.
    assert result.kpis["refused_kg"] == 0.0
    assert result.by_node["cp"]["overflow_kg"] == pytest.approx(250.0)
    assert result.kpis["in_system_kg_end"] == pytest.approx(500.0)
    assert result.kpis["purchase_cost_cny"] == pytest.approx(5000.0)


def test_refuse_upstream_at_a_collection_point_refuses_at_the_gate_and_producers_keep() -> None:
    result = run(
        {
            "collection_points.cp.overload": {"policy": "refuse_upstream"},
            "products.roots.local_price_cny_per_kg": 20.0,
        }
    )
    kpis = result.kpis
    assert kpis["refused_kg"] == pytest.approx(250.0)
    assert kpis["kept_by_producers_kg"] == pytest.approx(250.0)
    assert kpis["sold_locally_kg"] == pytest.approx(250.0)
    assert kpis["local_sales_value_cny"] == pytest.approx(5000.0)
    assert losses(result) == {("refused", "cp", "store_full"): pytest.approx(250.0)}
    assert result.by_node["cp"]["refused_kg"] == pytest.approx(250.0)
    # The channel buys only what it accepted; the producers also sell the rest locally.
    assert kpis["purchase_cost_cny"] == pytest.approx(2500.0)
    assert kpis["producer_income_cny"] == pytest.approx(7500.0)
    assert kpis["in_system_kg_end"] == pytest.approx(250.0)


def test_without_a_local_price_the_kept_kg_are_lost_to_the_producers() -> None:
    result = run({"collection_points.cp.overload": {"policy": "refuse_upstream"}})
    assert result.kpis["kept_by_producers_kg"] == pytest.approx(250.0)
    assert result.kpis["sold_locally_kg"] == 0.0
    assert result.kpis["producer_income_cny"] == pytest.approx(2500.0)


def test_overflow_then_wait_fills_the_overflow_store_then_waits() -> None:
    result = run({"collection_points.cp.overload": OVERFLOW})
    node = result.by_node["cp"]
    assert node["overflow_store_kg"] == pytest.approx(100.0)
    assert node["peak_overflow_store_kg"] == pytest.approx(100.0)
    assert result.kpis["overflow_store_kg"] == pytest.approx(100.0)
    assert result.kpis["refused_kg"] == 0.0
    assert result.daily["stock_cp_kg"][-1] == pytest.approx(500.0)
    # 50 kg in the overflow store from hour 48, 100 kg from hour 72 to the end (120 h):
    # 250 kg-days at 0.01 CNY, and 100 kg moved in at 0.5 CNY.
    assert result.kpis["overflow_cost_cny"] == pytest.approx(2.5 + 50.0, rel=1e-6)


def test_overflow_then_refuse_refuses_what_the_overflow_store_cannot_take() -> None:
    result = run({"collection_points.cp.overload": {**OVERFLOW, "then": "refuse_upstream"}})
    assert result.kpis["overflow_store_kg"] == pytest.approx(100.0)
    assert losses(result) == {("refused", "cp", "overflow_full"): pytest.approx(150.0)}
    assert result.kpis["kept_by_producers_kg"] == pytest.approx(150.0)
    assert result.kpis["in_system_kg_end"] == pytest.approx(350.0)


def test_overflow_costs_go_into_the_storage_and_handling_lines() -> None:
    plain = run({})
    overflowing = run({"collection_points.cp.overload": OVERFLOW})
    extra_storage = overflowing.kpis["storage_cost_cny"] - plain.kpis["storage_cost_cny"]
    extra_handling = overflowing.kpis["handling_cost_cny"] - plain.kpis["handling_cost_cny"]
    assert extra_storage == pytest.approx(2.5, rel=1e-6)
    assert extra_handling == pytest.approx(50.0)
    kpis = overflowing.kpis
    lines = ("purchase", "handling", "storage", "packaging", "capital", "fixed", "transport")
    total = 0.0
    for line in lines:
        total += kpis[f"{line}_cost_cny"]
    assert kpis["total_cost_cny"] == total


BACK_PRESSURE = {
    "legs.road.active_months": list(range(1, 13)),
    "collection_points.cp.cold_room_kg": 1e6,
    "hubs.dc.storage_kg": 150.0,
}


def test_back_pressure_keeps_goods_upstream_in_the_cold() -> None:
    result = run({**BACK_PRESSURE, "hubs.dc.overload": {"policy": "refuse_upstream"}})
    # Day 0 the truck takes 100 kg, day 1 the 50 that still fit, then nothing: the DC
    # is full and the rest stays in the collection point's cold room.
    assert result.by_leg["road"]["kg_carried"] == pytest.approx(150.0)
    assert result.daily["stock_dc_kg"][-1] == pytest.approx(150.0)
    assert result.daily["stock_cp_kg"][-1] == pytest.approx(350.0)
    assert result.by_node["dc"]["overflow_kg"] == 0.0
    assert result.kpis["refused_kg"] == 0.0


def test_without_back_pressure_the_goods_wait_outside_the_full_dc() -> None:
    result = run(BACK_PRESSURE)
    assert result.by_leg["road"]["kg_carried"] == pytest.approx(500.0)
    assert result.by_node["dc"]["overflow_kg"] == pytest.approx(350.0)
    assert result.daily["stock_cp_kg"][-1] == 0.0


def test_a_full_or_timeout_leg_is_woken_when_the_dc_frees_space() -> None:
    changes = {
        **BACK_PRESSURE,
        "hubs.dc.overload": {"policy": "refuse_upstream"},
        "legs.road.dispatch": {
            "policy": "full_or_timeout",
            "min_load_kg": 40.0,
            "max_wait_h": 1000.0,
        },
        "horizon_days": 20,
        "markets.orders": {
            "kind": "orders",
            "supplied_by": "dc",
            "orders": {"roots": {"every_days": 1.0, "kg": {"dist": "constant", "value": 60.0}}},
        },
    }
    result = run(changes)
    # Orders take 60 kg a day from the DC; back pressure refills it as space frees,
    # so every order after the first days is filled and the DC never overflows.
    assert result.by_node["dc"]["peak_stock_kg"] <= 150.0 + 1e-9
    assert result.by_node["dc"]["overflow_kg"] == 0.0
    assert result.by_market["orders"]["fill_rate"] == pytest.approx(1.0)


def test_the_node_table_shows_overload_columns_only_when_a_store_uses_them() -> None:
    overload_headers = {"refused\nkg", "overflowed\nkg", "peak in overflow\nkg"}
    quiet, _ = node_rows(run({}))
    overload = {**OVERFLOW, "then": "refuse_upstream"}
    busy, rows = node_rows(run({"collection_points.cp.overload": overload}))
    assert not overload_headers & set(quiet)
    assert overload_headers <= set(busy)
    assert rows[0][busy.index("refused\nkg")] == "150.0"
