"""Handling losses: breakage per handling event and weight loss, booked as ``damaged``."""

from __future__ import annotations

import collections
import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
import simpy

from fieldtotable import ScenarioError, simulate
from fieldtotable.kinetics import Kinetics
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.handling import Handling, Shrinkage, weight_loss_exponent
from fieldtotable.model.ledger import LOSS_FATES, Ledger
from fieldtotable.model.lot import COLLECTION, HUB, MARKET, TRANSIT, Lot
from fieldtotable.model.thermal import Ambient
from nan_aware import same
from scenario_builders import DELETE, build_scenario

GAS_CONSTANT = 8.314


def shelf_life_days(kinetics: dict[str, float], temp_c: float) -> float:
    """The shelf life at ``temp_c`` by the product's law, written out here (not the library's)."""
    if "q10" in kinetics:
        return kinetics["days"] / kinetics["q10"] ** ((temp_c - kinetics["ref_c"]) / 10)
    ea = kinetics["ea_kj_mol"] * 1000
    rate = math.exp(-ea / GAS_CONSTANT * (1 / (temp_c + 273.15) - 1 / (kinetics["ref_c"] + 273.15)))
    return kinetics["days"] / rate


def kept_share(
    kinetics: dict[str, float], per_day: float, temp_w_c: float, hours: float, at_c: float
) -> float:
    """Share of the kg kept after ``hours`` at ``at_c``: the per-day loss scaled by the law."""
    days_at_w = hours / 24 * shelf_life_days(kinetics, temp_w_c) / shelf_life_days(kinetics, at_c)
    return (1 - per_day) ** days_at_w


Q10_LAW = {"days": 10.0, "ref_c": 0.0, "q10": 2.0}
ARRHENIUS_LAW = {"days": 8.0, "ref_c": 2.0, "ea_kj_mol": 90.0}


def library_kinetics(law: dict[str, float]) -> Kinetics:
    if "q10" in law:
        return Kinetics(law["days"], law["ref_c"], q10=law["q10"])
    return Kinetics(law["days"], law["ref_c"], activation_energy_kj_mol=law["ea_kj_mol"])


def make_context(
    law: dict[str, float], per_day: float, temp_w_c: float, hourly_c: np.ndarray | None = None
) -> Context:
    """One product losing ``per_day`` at ``temp_w_c``; the region's air is ``hourly_c``."""
    env = simpy.Environment()
    ledger = Ledger(["p"], [], 30, record_flows=True)
    kinetics = [library_kinetics(law)]
    shrinkage = Shrinkage(weight_loss_exponent(per_day, temp_w_c, kinetics[0]), ledger)
    air = hourly_c if hourly_c is not None else np.full(24 * 32, 10.0)
    return Context(
        env,
        ledger,
        Calendar(dt.date(2023, 1, 2), 32),
        kinetics,
        {"air": Ambient(air, kinetics)},
        720.0,
        handling=Handling(ledger, [0.0], [0.0], [0.0], [shrinkage]),
    )


def advance_to(context: Context, time_h: float) -> None:
    context.env.run(until=time_h)


def damaged_by_node(context: Context) -> dict[tuple[int, str], float]:
    return {
        (stage, node): kg[0]
        for (fate, stage, node, reason), kg in context.ledger.losses.items()
        if fate == "damaged" and reason == "weight_loss"
    }


# -- weight loss against its closed form ----------------------------------------------------


@pytest.mark.parametrize("law", [Q10_LAW, ARRHENIUS_LAW], ids=["q10", "arrhenius"])
@pytest.mark.parametrize(("temp_c", "temp_w_c"), [(10.0, 0.0), (0.0, 0.0), (-2.0, 5.0)])
def test_weight_loss_at_constant_temperature_is_its_closed_form(
    law: dict[str, float], temp_c: float, temp_w_c: float
) -> None:
    context = make_context(law, 0.01, temp_w_c)
    lot = context.new_lot(0, 0, 100.0, 10.0, context.at_temperature(temp_c), COLLECTION, "room")
    advance_to(context, 72.0)
    lot.place(context.at_temperature(0.0), 72.0, HUB, "next")
    expected = 100.0 * kept_share(law, 0.01, temp_w_c, 72.0, temp_c)
    assert lot.kg == pytest.approx(expected, rel=1e-12)
    # Booked where the weight was lost, before the lot moved.
    assert damaged_by_node(context) == {(COLLECTION, "room"): pytest.approx(100.0 - expected)}


def test_at_its_own_temperature_the_loss_is_the_share_per_day_compounded() -> None:
    context = make_context(Q10_LAW, 0.02, 7.0)
    lot = context.new_lot(0, 0, 50.0, 10.0, context.at_temperature(7.0), COLLECTION, "room")
    advance_to(context, 48.0)
    lot.place(context.at_temperature(7.0), 48.0, HUB, "next")
    assert lot.kg == pytest.approx(50.0 * 0.98 * 0.98, rel=1e-12)


@pytest.mark.parametrize("law", [Q10_LAW, ARRHENIUS_LAW], ids=["q10", "arrhenius"])
def test_weight_loss_over_a_piecewise_constant_history(law: dict[str, float]) -> None:
    # Air at 5 °C on day 0, 15 °C on day 1, 25 °C from day 2 on.
    air = np.concatenate([np.full(24, 5.0), np.full(24, 15.0), np.full(24 * 30, 25.0)])
    context = make_context(law, 0.03, 2.0, air)
    ambient = context.ambient["air"]
    lot = context.new_lot(0, 0, 80.0, 10.0, ambient, COLLECTION, "field")
    advance_to(context, 40.0)  # 24 h at 5 °C, 16 h at 15 °C
    lot.place(context.at_temperature(0.0), 40.0, TRANSIT, "truck")
    advance_to(context, 52.0)  # 12 h at 0 °C
    lot.place(ambient, 52.0, HUB, "dock")
    advance_to(context, 55.5)  # 3.5 h at 25 °C
    lot.place(context.at_temperature(4.0), 55.5, MARKET, "shop")
    field = kept_share(law, 0.03, 2.0, 24.0, 5.0) * kept_share(law, 0.03, 2.0, 16.0, 15.0)
    truck = kept_share(law, 0.03, 2.0, 12.0, 0.0)
    dock = kept_share(law, 0.03, 2.0, 3.5, 25.0)
    assert lot.kg == pytest.approx(80.0 * field * truck * dock, rel=1e-12)
    assert damaged_by_node(context) == {
        (COLLECTION, "field"): pytest.approx(80.0 * (1 - field), rel=1e-12),
        (TRANSIT, "truck"): pytest.approx(80.0 * field * (1 - truck), rel=1e-12),
        (HUB, "dock"): pytest.approx(80.0 * field * truck * (1 - dock), rel=1e-12),
    }


def test_settling_often_or_once_loses_the_same_kg() -> None:
    air = np.concatenate([np.full(30, 3.0), np.full(24 * 31, 21.0)])
    context = make_context(Q10_LAW, 0.05, 0.0, air)
    ambient = context.ambient["air"]
    often = context.new_lot(0, 0, 10.0, 10.0, ambient, COLLECTION, "a")
    once = context.new_lot(0, 0, 10.0, 10.0, ambient, COLLECTION, "a")
    for hour in np.arange(0.5, 60.0, 0.5):
        advance_to(context, float(hour))
        often.place(ambient, float(hour), COLLECTION, "a")
    once.place(ambient, context.env.now, COLLECTION, "a")
    assert often.kg == pytest.approx(once.kg, rel=1e-12)
    assert once.kg < 10.0 * 0.95**2  # more than two days' loss at 0 °C: it was warm


def test_a_split_lot_loses_what_the_whole_would_have() -> None:
    context = make_context(Q10_LAW, 0.04, 0.0)
    room = context.at_temperature(6.0)
    whole = context.new_lot(0, 0, 30.0, 10.0, room, COLLECTION, "a")
    split = context.new_lot(0, 0, 30.0, 10.0, room, COLLECTION, "a")
    advance_to(context, 20.0)
    part = context.split(split, 12.0)  # not settled at the split
    advance_to(context, 50.0)
    for lot in (whole, split, part):
        lot.place(room, 50.0, HUB, "b")
    assert part.kg + split.kg == pytest.approx(whole.kg, rel=1e-12)
    assert part.kg / split.kg == pytest.approx(12.0 / 18.0, rel=1e-12)


def test_weight_loss_stops_when_the_lot_spoils_and_the_rest_is_spoiled() -> None:
    context = make_context(Q10_LAW, 0.01, 0.0)
    room = context.at_temperature(10.0)  # 5 d of shelf life: spoils at 120 h
    lot = context.new_lot(0, 0, 100.0, 1.0, room, HUB, "dc", "cold_store")
    advance_to(context, 200.0)
    assert context.spoil_if_expired(lot, "dc")
    # All of the nominal shelf life used up: 10 days' worth at 0 °C.
    kept = 100.0 * 0.99**10
    assert context.ledger.losses == {
        ("damaged", HUB, "dc", "weight_loss"): [pytest.approx(100.0 - kept, rel=1e-12)],
        ("spoiled", HUB, "dc", "cold_store"): [pytest.approx(kept, rel=1e-12)],
    }
    assert [flow.time_h for flow in context.ledger.flows] == [120.0, 120.0]


def test_a_lot_moved_without_time_passing_loses_nothing() -> None:
    context = make_context(Q10_LAW, 0.2, 0.0)
    lot = context.new_lot(0, 0, 5.0, 1.0, context.at_temperature(3.0), COLLECTION, "a")
    lot.place(context.at_temperature(3.0), 0.0, TRANSIT, "b")
    assert lot.kg == 5.0
    assert context.ledger.losses == {}


def test_a_product_without_weight_loss_keeps_its_kg() -> None:
    env = simpy.Environment()
    ledger = Ledger(["p"], [], 5)
    kinetics = [library_kinetics(Q10_LAW)]
    context = Context(
        env, ledger, Calendar(dt.date(2023, 1, 2), 7), kinetics, {}, 120.0
    )  # no handling given: no losses
    lot = context.new_lot(0, 0, 5.0, 1.0, context.at_temperature(20.0), COLLECTION, "a")
    assert lot.shrinkage is None
    env.run(until=48.0)
    lot.place(context.at_temperature(0.0), 48.0, TRANSIT, "b")
    assert lot.kg == 5.0
    assert ledger.losses == {}


# -- breakage on a tiny channel, event by event ----------------------------------------------

# One 100 kg lot of chilled yak meat, harvested at 0 h, at the collection point at 1 h,
# loaded at 2 h, on the dock at 4 h, in store at 4.5 h, picked for one order at 6 h.
ONE_LOT: dict[str, Any] = {
    "horizon_days": 1,
    "products.matsutake": DELETE,
    "sources.pickers.harvest_hour": 0,
    "sources.pickers.hours_to_collection": {"dist": "constant", "value": 1},
    "sources.pickers.supply": {
        "yak_meat_chilled": {"kg_per_day": {"dist": "constant", "value": 100}}
    },
    "collection_points.cp.grading_reject_fraction": 0.0,
    "collection_points.cp.precooling": {"classes": []},
    "hubs.shanghai_dc.handling_time_h": 0,
    "hubs.shanghai_dc.dock_exposure_h": 0.5,
    "legs.cp_shanghai.dispatch": {"policy": "scheduled", "departures_h": [2]},
    "legs.cp_shanghai.transit_time_h": {"dist": "constant", "value": 1},
    "legs.cp_shanghai.reefer_failure": DELETE,
    "legs.cp_shanghai.closures": DELETE,
    "markets.store": DELETE,
    "markets.institutions.orders": {
        "yak_meat_chilled": {
            "every_days": 7,
            "at_hour": 6,
            "kg": {"dist": "constant", "value": 1000},
        }
    },
}


def one_lot(**products: Any) -> dict[str, Any]:
    return {**ONE_LOT, **{f"products.yak_meat_chilled.{k}": v for k, v in products.items()}}


def test_each_handling_event_breaks_its_share_of_the_kg_handled() -> None:
    scenario = build_scenario(
        one_lot(breakage={"loading": 0.02, "unloading": 0.01, "picking": 0.005})
    )
    result = simulate(scenario, seed=0)
    loaded = 100.0 * 0.02
    unloaded = 100.0 * 0.98 * 0.01
    picked = 100.0 * 0.98 * 0.99 * 0.005
    assert {(loss.stage, loss.node, loss.reason): loss.kg for loss in result.losses} == {
        ("transit", "cp_shanghai", "breakage_loading"): pytest.approx(loaded, rel=1e-12),
        ("hub", "shanghai_dc", "breakage_unloading"): pytest.approx(unloaded, rel=1e-12),
        ("hub", "shanghai_dc", "breakage_picking"): pytest.approx(picked, rel=1e-12),
    }
    kpis = result.kpis
    assert kpis["harvested_kg"] == 100.0
    assert kpis["damaged_kg"] == pytest.approx(loaded + unloaded + picked, rel=1e-12)
    assert kpis["damaged_rate"] == pytest.approx(kpis["damaged_kg"] / 100.0, rel=1e-12)
    # The damaged kg are not sold and are not spoilage: the order gets the rest.
    assert kpis["sold_kg"] == pytest.approx(100.0 * 0.98 * 0.99 * 0.995, rel=1e-12)
    assert kpis["spoiled_kg"] == 0.0
    assert kpis["in_system_kg_end"] == 0.0
    values = result.by_product["yak_meat_chilled"]
    assert values["damaged_kg_transit"] == pytest.approx(loaded, rel=1e-12)
    assert values["damaged_kg_hub"] == pytest.approx(unloaded + picked, rel=1e-12)
    assert values["damaged_kg_collection"] == values["damaged_kg_market"] == 0.0
    assert sum(result.daily["damaged_kg"]) == pytest.approx(kpis["damaged_kg"], rel=1e-12)
    # The leg carries what loading left.
    assert result.by_leg["cp_shanghai"]["kg_carried"] == pytest.approx(98.0, rel=1e-12)


def test_weight_loss_of_the_lot_is_booked_stage_by_stage() -> None:
    # Yak meat keeps 40 d at -1 °C with Q10 3; 1 %/day at -1 °C.
    scenario = build_scenario(one_lot(weight_loss={"per_day": 0.01}))
    result = simulate(scenario, seed=0)
    by_stage = {loss.stage: loss.kg for loss in result.losses}
    assert set(by_stage) == {"collection", "transit", "hub"}
    assert all(loss.reason == "weight_loss" for loss in result.losses)
    kpis = result.kpis
    assert kpis["sold_kg"] + kpis["damaged_kg"] == pytest.approx(100.0, rel=1e-12)
    # 6 h from harvest to the order, at most at 13 °C Shangri-La air (field): the lot
    # loses between 6 h at its setpoints and 6 h at the warmest air.
    assert 100.0 * (1 - 0.99 ** (6 / 24)) < kpis["damaged_kg"] < 100.0 * (1 - 0.99 ** (6 / 24 * 5))


def test_damage_is_never_sold_nor_counted_as_spoilage() -> None:
    # The small channel over a month, with every kind of handling loss.
    changes = {
        "products.matsutake.breakage": {"loading": 0.03, "unloading": 0.02, "picking": 0.01},
        "products.matsutake.weight_loss": {"per_day": 0.02, "temp_c": 2},
        "products.yak_meat_chilled.weight_loss": {"per_day": 0.001},
    }
    plain = simulate(build_scenario(), seed=4)
    damaged = simulate(build_scenario(changes), seed=4, record_flows=True)
    k = damaged.kpis
    assert k["damaged_kg"] > 0
    balance = k["rejected_kg"] + k["refused_kg"] + k["damaged_kg"] + k["spoiled_kg"]
    assert balance + k["sold_kg"] + k["in_system_kg_end"] == pytest.approx(
        k["harvested_kg"], rel=1e-9
    )
    # The same harvest, less sold: the damaged kg never reach a customer.
    assert k["harvested_kg"] == plain.kpis["harvested_kg"]
    assert k["sold_kg"] < plain.kpis["sold_kg"]
    assert damaged.flows is not None
    damage_flows = [flow for flow in damaged.flows if flow.kind == "damage"]
    assert sum(flow.kg for flow in damage_flows) == pytest.approx(k["damaged_kg"], rel=1e-12)
    assert not [flow for flow in damaged.flows if flow.kind == "spoil" and flow.kg < 0]
    reasons = {(loss.stage, loss.reason) for loss in damaged.losses if loss.fate == "damaged"}
    assert {
        ("transit", "breakage_loading"),
        ("hub", "breakage_unloading"),
        ("hub", "breakage_picking"),
        ("collection", "weight_loss"),
        ("transit", "weight_loss"),
        ("hub", "weight_loss"),
        ("market", "weight_loss"),  # on the shop's shelf, settled at each sale
    } <= reasons


@pytest.mark.parametrize("warmup_days", [0, 9])
def test_the_losses_table_adds_up_to_the_kpis_by_fate_and_stage(warmup_days: int) -> None:
    scenario = build_scenario(
        {
            "warmup_days": warmup_days,
            "products.matsutake.breakage": {"loading": 0.01, "picking": 0.02},
            "products.matsutake.weight_loss": {"per_day": 0.01},
            "products.yak_meat_chilled.breakage": {"unloading": 0.004},
        }
    )
    result = simulate(scenario, seed=2)
    by_fate: dict[str, float] = collections.defaultdict(float)
    by_stage: dict[tuple[str, str], float] = collections.defaultdict(float)
    for loss in result.losses:
        by_fate[loss.fate] += loss.kg
        if loss.fate == "damaged":
            by_stage[loss.product, loss.stage] += loss.kg
    for fate in LOSS_FATES:
        assert by_fate[fate] == pytest.approx(result.kpis[f"{fate}_kg"], rel=1e-9, abs=1e-9)
    assert by_fate["damaged"] > 0
    for product, values in result.by_product.items():
        for stage in ("collection", "transit", "hub", "market"):
            assert by_stage[product, stage] == pytest.approx(
                values[f"damaged_kg_{stage}"], rel=1e-9, abs=1e-9
            )
    measured = sum(result.daily["damaged_kg"][warmup_days:])
    assert measured == pytest.approx(result.kpis["damaged_kg"], rel=1e-9)
    # With a warm-up, the measured days balance with the stock at its end.
    k = result.kpis
    out = sum(k[f"{fate}_kg"] for fate in LOSS_FATES) + k["sold_kg"] + k["in_system_kg_end"]
    assert k["in_system_kg_warmup_end"] + k["harvested_kg"] == pytest.approx(out, rel=1e-9)


def test_zero_handling_losses_change_nothing() -> None:
    said_nothing = simulate(build_scenario(), seed=5)
    said_zero = simulate(
        build_scenario(
            {
                "products.matsutake.breakage": {"loading": 0.0, "unloading": 0.0, "picking": 0.0},
                "products.matsutake.weight_loss": {"per_day": 0.0},
            }
        ),
        seed=5,
    )
    assert same(said_zero.kpis, said_nothing.kpis)
    assert said_zero.daily == said_nothing.daily
    assert said_zero.losses == said_nothing.losses
    assert said_nothing.kpis["damaged_kg"] == 0.0
    assert said_nothing.kpis["damage_loss_cny"] == 0.0
    assert not [loss for loss in said_nothing.losses if loss.fate == "damaged"]


def test_damage_loss_is_the_cost_sunk_in_the_damaged_kg() -> None:
    # Only a farm-gate price: every kg lost anywhere has sunk exactly that price.
    changes = one_lot(
        breakage={"loading": 0.02, "unloading": 0.01, "picking": 0.005},
        farm_gate_price_cny_per_kg=70.0,
    )
    free_road = {"legs.cp_shanghai.cost_cny_per_trip": 0, "legs.cp_shanghai.cost_cny_per_km": 0}
    result = simulate(build_scenario({**changes, **free_road}), seed=0)
    assert result.kpis["damage_loss_cny"] == pytest.approx(70.0 * result.kpis["damaged_kg"])
    assert result.kpis["spoilage_loss_cny"] == 0.0
    # A cost sunk, not a cost line: the total cost is the purchase of the harvest.
    assert result.kpis["total_cost_cny"] == pytest.approx(70.0 * 100.0, rel=1e-12)
    # On a paid road, a kg broken after the trip has sunk its share of the trip too.
    paid = simulate(build_scenario(changes), seed=0)
    arrived = 100.0 * 0.98 * 0.99  # what unloading left reached the market hub
    assert paid.kpis["arrived_at_market_hub_kg"] == pytest.approx(arrived, rel=1e-12)
    at_hub = paid.by_product["yak_meat_chilled"]["damaged_kg_hub"]
    trip_per_kg = paid.kpis["transport_cost_cny"] / arrived
    assert paid.kpis["damage_loss_cny"] == pytest.approx(
        70.0 * paid.kpis["damaged_kg"] + trip_per_kg * at_hub, rel=1e-12
    )


# -- the scenario fields -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("breakage", {"loading": 0.6}),
        ("breakage", {"picking": -0.01}),
        ("breakage", {"dropping": 0.01}),
        ("weight_loss", {"per_day": 0.51}),
        ("weight_loss", {"per_day": -0.1}),
        ("weight_loss", {"temp_c": 2}),
        ("weight_loss", {"per_day": 0.01, "temp_c": 61}),
    ],
)
def test_handling_losses_out_of_range_are_refused(field: str, value: dict[str, Any]) -> None:
    with pytest.raises(ScenarioError, match=f"products.matsutake.{field}"):
        build_scenario({f"products.matsutake.{field}": value})


def test_the_lot_carries_its_products_weight_loss() -> None:
    scenario = build_scenario({"products.matsutake.weight_loss": {"per_day": 0.01}})
    context = Context(
        simpy.Environment(),
        Ledger(list(scenario.products), [], 3),
        Calendar(dt.date(2023, 7, 1), 3),
        [library_kinetics(Q10_LAW)] * 2,
        {},
        72.0,
        handling=Handling.for_products(
            Ledger(list(scenario.products), [], 3),
            list(scenario.products.values()),
            [library_kinetics(Q10_LAW)] * 2,
        ),
    )
    matsutake = context.new_lot(0, 0, 1.0, 1.0, context.at_temperature(0.0), COLLECTION)
    yak = context.new_lot(1, 0, 1.0, 1.0, context.at_temperature(0.0), COLLECTION)
    assert isinstance(matsutake.shrinkage, Shrinkage)
    assert yak.shrinkage is None
    assert isinstance(matsutake.take(0.5, 99), Lot)
