"""The parcel cold chain and direct procurement at origin, with exact outcomes."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
import simpy

import fieldtotable as ft
from fieldtotable.errors import ScenarioError
from fieldtotable.kinetics import Kinetics
from fieldtotable.kinetics.passive_box import PassiveBox
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import HUB
from fieldtotable.model.market import Seller
from fieldtotable.model.orders import OrdersProcess
from fieldtotable.model.parcel import ParcelCourier
from fieldtotable.model.routing import routing_table
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.results.money import total_cost
from fieldtotable.scenario.schema import Orders
from scenario_builders import build_scenario

KIN = Kinetics(10.0, 0.0, q10=2.0)  # 10 d at 0 °C
DAYS = 6
PRICE = 100.0
HOURS = 30.0  # courier time, constant
NETWORK_C = 20.0
BOX = PassiveBox(0.0, NETWORK_C, 10.0, 5.0)
DELIVERY: dict[str, Any] = {
    "parcel_kg": 4.0,
    "courier_time_h": {"dist": "constant", "value": HOURS},
    "time_constant_h": 10.0,
    "ice_hold_h": 5.0,
    "courier_network_temp_c": NETWORK_C,
    "courier_cny_per_parcel": 15.0,
    "courier_cny_per_extra_kg": 6.0,
    "box_cny_per_parcel": 9.0,
}


def run_one_order(kg: float, lots: list[tuple[float, float]]) -> tuple[Context, Ledger]:
    """One order of ``kg`` at 10:00 on day 0 from a DC holding ``(kg, consumed)`` lots."""
    env = simpy.Environment()
    ledger = Ledger(["p"], [], DAYS, record_flows=True)
    ambient = Ambient(np.full(24 * (DAYS + 2), 20.0), [KIN])
    context = Context(env, ledger, Calendar(dt.date(2023, 7, 3), DAYS + 2), [KIN],
                      {"city": ambient}, DAYS * 24.0)  # fmt: skip
    dc = Storage(context, "dc", ambient, 0.0, 1e6, "wait", HUB, 1)
    for lot_kg, consumed in lots:
        lot = context.new_lot(0, 0, lot_kg, 1.0, dc.cold, HUB)
        lot.consumed = consumed
        dc.receive(lot)
    stream = {"every_days": 100, "at_hour": 10, "kg": {"dist": "constant", "value": kg}}
    config = Orders.model_validate(
        {
            "kind": "orders", "supplied_by": "dc", "region": "city", "delivery": DELIVERY,
            "orders": {"p": stream},
        }
    )  # fmt: skip
    assert config.delivery is not None
    home = context.at_temperature(config.delivery.home_temp_c)
    seller = Seller(context, "web", [PRICE], [None], home)
    process = OrdersProcess(context, "web", config, dc, {"p": 0}, seller, 1.0, 0)
    process.courier = ParcelCourier(
        context, "web", config.delivery, seller, dc.cold_for, [20.0] * 12, ["p"], 0
    )
    env.run(until=DAYS * 24.0)
    return context, ledger


def test_parcels_are_packed_delivered_and_refunded_exactly() -> None:
    in_box = BOX.consumed(KIN, HOURS)
    assert 0.25 < in_box < 0.5  # the fresh lot arrives, the old one does not
    # FEFO picks the old lot (4 kg, 0.9 used) first, then 6 kg of the fresh one.
    context, ledger = run_one_order(10.0, [(20.0, 0.1), (4.0, 0.9)])
    sold = sum(ledger.daily["sold"][0])
    refunded = sum(ledger.daily["refunded"][0])
    assert sold == pytest.approx(6.0, rel=1e-12)
    assert refunded == pytest.approx(4.0, rel=1e-12)
    assert sum(ledger.daily["refunds_cny"][0]) == pytest.approx(4.0 * PRICE, rel=1e-12)
    assert sum(ledger.daily["sold_value_cny"][0]) == pytest.approx(6.0 * PRICE, rel=1e-12)
    # Three parcels of 10/3 kg: courier 15 + 6 per kg beyond the first, box 9 each.
    courier = 3 * (15.0 + 6.0 * (10.0 / 3.0 - 1.0))
    costs = ledger.market_costs["web"]
    assert sum(costs["transport_cost_cny"][0]) == pytest.approx(courier, rel=1e-12)
    assert sum(costs["packaging_cost_cny"][0]) == pytest.approx(27.0)
    assert sum(ledger.daily["courier_cost_cny"][0]) == pytest.approx(courier, rel=1e-12)
    # Remaining shelf life at the door, at the customer's 4 °C; the lots waited at the DC
    # (0 °C) from 00:00 to the order at 10:00.
    packed = 10.0
    at_dc = packed * KIN.rate_per_h_scalar(0.0)
    remaining_d = (1.0 - 0.1 - at_dc - in_box) / KIN.rate_per_h_scalar(4.0) / 24.0
    assert sum(ledger.daily["parcel_remaining_kg_d"][0]) == pytest.approx(6.0 * remaining_d)
    # The old lot's pieces spoiled in their boxes when the shelf life they had left at
    # packing was used up: booked there, at that moment.
    ((key, kg),) = [(key, row[0]) for key, row in ledger.losses.items()]
    assert key == ("spoiled", 3, "web", "parcel")
    assert kg == pytest.approx(4.0, rel=1e-12)
    spoil_times = [flow.time_h for flow in ledger.flows if flow.kind == "spoil"]
    assert len(spoil_times) == 2  # the old lot is in two parcels
    for time_h in spoil_times:
        assert packed < time_h < packed + HOURS
        assert BOX.consumed(KIN, time_h - packed) == pytest.approx(0.1 - at_dc, rel=1e-9)
    sales = [flow for flow in ledger.flows if flow.kind == "sell"]
    assert {flow.time_h for flow in sales} == {packed + HOURS}
    assert not context.live or sum(lot.kg for lot in context.live.values()) == pytest.approx(14.0)


def test_an_order_larger_than_the_stock_ships_what_there_is() -> None:
    _context, ledger = run_one_order(10.0, [(3.0, 0.0)])
    assert sum(ledger.daily["sold"][0]) == pytest.approx(3.0)
    assert sum(ledger.daily["lost_sales"][0]) == pytest.approx(7.0)
    assert sum(ledger.market_costs["web"]["packaging_cost_cny"][0]) == 9.0  # one parcel


def _parcel_scenario(**extra: Any) -> ft.Scenario:
    return build_scenario(
        {
            "markets.institutions.delivery": DELIVERY | extra,
            "markets.institutions.region": "shanghai",
        }
    )


def test_parcel_runs_balance_mass_and_money() -> None:
    result = ft.simulate(_parcel_scenario(), seed=0)  # checks the mass balance
    kpis = result.kpis
    assert kpis["refunded_kg"] > 0
    assert kpis["parcel_delivered_kg"] > 0
    parcel_losses = sum(loss.kg for loss in result.losses if loss.reason == "parcel")
    # Refunds are booked at the door; a parcel spoiled but still on its way at the end
    # is spoiled without a refund yet.
    assert kpis["refunded_kg"] <= parcel_losses + 1e-9
    assert all(loss.stage == "market" and loss.node == "institutions"
               for loss in result.losses if loss.reason == "parcel")  # fmt: skip
    assert kpis["total_cost_cny"] == total_cost(kpis)
    assert kpis["profit_cny"] == kpis["revenue_cny"] - kpis["total_cost_cny"]
    for line in ("transport_cost_cny", "packaging_cost_cny", "total_cost_cny", "revenue_cny"):
        by_market = sum(market[line] for market in result.by_market.values())
        by_product = sum(product[line] for product in result.by_product.values())
        assert by_market == pytest.approx(kpis[line], rel=1e-9)
        assert by_product == pytest.approx(kpis[line], rel=1e-9)
    for key in ("refunded_kg", "refunds_cny", "parcel_delivered_kg"):
        assert sum(p[key] for p in result.by_product.values()) == pytest.approx(kpis[key])
    # The courier fees are transport: the trips' cost alone is less.
    assert kpis["transport_cost_cny"] > sum(leg["cost_cny"] for leg in result.by_leg.values())


def test_a_colder_courier_network_refunds_less() -> None:
    cold = ft.simulate(_parcel_scenario(courier_network_temp_c=4.0), seed=0).kpis
    hot = ft.simulate(_parcel_scenario(courier_network_temp_c=30.0), seed=0).kpis
    assert cold["refunded_kg"] < hot["refunded_kg"]
    assert cold["mean_remaining_shelf_life_at_door_d"] > hot["mean_remaining_shelf_life_at_door_d"]


# -- direct procurement at origin -----------------------------------------------------

ORIGIN: dict[str, Any] = {
    "hubs.origin": {"region": "shangri_la", "handling_time_h": 1, "storage_kg": 60000,
                    "setpoint_c": 2},
    "legs.cp_shanghai.to": "origin",
    "legs.origin_shanghai": {
        "from": "origin", "to": "shanghai_dc", "mode": "reefer_truck", "distance_km": 3000,
        "transit_time_h": {"dist": "constant", "value": 48}, "fleet": 5,
        "vehicle_capacity_kg": 15000, "dispatch": {"policy": "scheduled", "departures_h": [12]},
        "setpoint_c": 2,
    },
    "legs.cp_shanghai.dispatch": {"policy": "scheduled", "departures_h": [20]},
    "legs.cp_shanghai.transit_time_h": {"dist": "constant", "value": 2},
    "markets.direct": {
        "kind": "orders", "region": "shanghai", "supplied_by": "origin", "passing_stock": True,
        "delivery": DELIVERY | {"courier_network_temp_c": 4.0},  # a cold-chain courier
        "orders": {"matsutake": {"every_days": 1, "at_hour": 9,
                                 "kg": {"dist": "constant", "value": 20}}},
    },
}  # fmt: skip


def test_origin_direct_takes_from_the_hub_while_the_rest_goes_on() -> None:
    scenario = build_scenario(ORIGIN)
    table = routing_table(scenario)
    # The origin hub is a waypoint for matsutake: lots go on to the Shanghai DC.
    assert table[7]["origin"]["matsutake"] == "origin_shanghai"
    result = ft.simulate(scenario, seed=0, record_flows=True)
    direct = result.by_market["direct"]
    assert direct["sold_kg"] > 0
    assert direct["demand_kg"] == pytest.approx(20.0 * 30)
    # Matsutake still reach the store and the institutions through the DC.
    assert result.by_market["store"]["sold_kg"] > 0
    assert result.by_leg["origin_shanghai"]["kg_carried"] > 0
    # The direct orders' lots were never in Shanghai: fresher at the door than at the store.
    assert result.flows is not None
    arrived = {flow.lot for flow in result.flows if flow.kind == "arrive"}
    sold_direct = [f for f in result.flows if f.kind == "sell" and f.place == "direct"]
    assert sold_direct
    # A direct parcel is cut from a lot picked at the hub, before any trunk trip.
    departed = {f.lot for f in result.flows if f.kind == "depart" and f.place == "origin_shanghai"}
    assert not {f.lot for f in sold_direct} & departed
    assert arrived  # the flow log holds the trips


def test_origin_direct_is_served_first_at_order_time() -> None:
    # Orders at 09:00 find the lots that came in overnight; the truck leaves at 12:00.
    scenario = build_scenario(ORIGIN)
    plenty = ft.simulate(scenario, seed=0).by_market["direct"]
    # Unmet: the first day, before any lot reaches the hub; thin harvests; closures.
    assert plenty["lost_sales_kg"] <= 0.3 * plenty["demand_kg"]
    late = build_scenario(ORIGIN | {"markets.direct.orders.matsutake.at_hour": 13})
    # At 13:00 the day's truck has loaded the hub's matsutake: nothing left to pick.
    late_direct = ft.simulate(late, seed=0).by_market["direct"]
    assert late_direct["lost_sales_kg"] > 0.9 * late_direct["demand_kg"]


def test_passing_stock_needs_a_market_beyond_the_hub() -> None:
    with pytest.raises(ScenarioError, match="no market beyond 'shanghai_dc' sells"):
        build_scenario({"markets.institutions.passing_stock": True,
                        "markets.store.demand.matsutake": None} | {
            "markets.store.demand": {"yak_meat_chilled": {
                "customers_per_day": {"dist": "poisson", "mean": 30},
                "kg_per_customer": {"dist": "uniform", "low": 0.5, "high": 2}}}})  # fmt: skip


def test_parcel_limits_are_checked() -> None:
    with pytest.raises(ScenarioError, match="parcel_kg"):
        _parcel_scenario(parcel_kg=0.01)
    with pytest.raises(ScenarioError, match="time_constant_h"):
        _parcel_scenario(time_constant_h=0.0)
    assert math.isfinite(_parcel_scenario().markets["institutions"].delivery.time_constant_h)
