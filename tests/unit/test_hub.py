"""Hubs in isolation: dock exposure at ambient, handling at the setpoint, storage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
import simpy

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.hub import HubProcess
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import HUB, TRANSIT, Lot
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.schema import Hub

# Shelf life 10 d at 0 °C, Q10 = 2: 1/240 per hour at 0 °C, 1/120 at 10 °C (ambient).
KIN = Kinetics(10.0, 0.0, q10=2.0)
R_COLD = 1 / 240
R_WARM = 1 / 120


def make_context() -> Context:
    env = simpy.Environment()
    ledger = Ledger(["p", "ice"], [], 10, record_flows=True)
    kinetics = [KIN, KIN]
    ambient = Ambient(np.full(24 * 12, 10.0), kinetics)
    return Context(
        env,
        ledger,
        Calendar(dt.date(2023, 1, 2), 12),
        kinetics,
        {"city": ambient},
        240.0,
        ["chilled", "frozen"],
    )


def make_hub(
    ctx: Context, final: frozenset[int] = frozenset({0}), **config: Any
) -> tuple[HubProcess, Storage]:
    data = {"region": "city", "storage_kg": 1e6, "setpoint_c": 0.0, **config}
    hub = Hub.model_validate(data)
    storage = Storage(
        ctx,
        "dc",
        ctx.ambient["city"],
        hub.setpoint_c,
        hub.storage_kg,
        hub.overload,
        HUB,
        2,
        hub.class_setpoints_c,
    )
    return HubProcess(ctx, "dc", hub, storage, final), storage


def unloaded(ctx: Context, kg: float, product: int = 0, limit: float = 1.0) -> Lot:
    """A lot that came in a reefer at 0 °C since 0 h."""
    return ctx.new_lot(product, 0, kg, limit, ctx.at_temperature(0.0), TRANSIT)


def test_dock_then_handling_then_storage() -> None:
    ctx = make_context()
    hub, storage = make_hub(ctx, dock_exposure_h=0.5, handling_time_h=2)
    lot = unloaded(ctx, 40.0)
    ctx.env.run(until=10.0)
    hub.receive([lot])
    assert lot.stage == HUB
    assert lot.environment is ctx.ambient["city"]
    ctx.env.run(until=12.4)
    assert storage.stock[0] == []  # still being handled
    ctx.env.run(until=12.6)
    assert storage.stock[0] == [lot]
    assert lot.arrived_h == 12.5
    assert lot.environment is storage.cold
    lot.advance(20.0)
    # 0-10 h reefer (0 °C), 10-10.5 h dock (10 °C), 10.5-20 h inside at 0 °C.
    assert lot.consumed == pytest.approx(10 * R_COLD + 0.5 * R_WARM + 9.5 * R_COLD, rel=1e-12)


def test_without_dock_or_handling_lots_are_stored_at_once() -> None:
    ctx = make_context()
    hub, storage = make_hub(ctx, dock_exposure_h=0, handling_time_h=0)
    ctx.env.run(until=5.0)
    lots = [unloaded(ctx, 10.0), unloaded(ctx, 20.0)]
    hub.receive(lots)
    assert storage.stock[0] == lots
    assert storage.occupied_kg == 30.0
    assert all(lot.arrived_h == 5.0 for lot in lots)


def test_arrivals_counted_for_final_products_only() -> None:
    ctx = make_context()
    hub, _ = make_hub(ctx, final=frozenset({0}))
    ctx.env.run(until=30.0)
    hub.receive([unloaded(ctx, 10.0, 0), unloaded(ctx, 7.0, 1), unloaded(ctx, 3.0, 0)])
    arrived = np.asarray(ctx.ledger.daily["arrived_at_market_hub"])
    assert arrived[0, 1] == pytest.approx(13.0)
    assert arrived[1].sum() == 0.0
    assert arrived.sum() == pytest.approx(13.0)


def test_lot_expiring_on_the_dock_is_spoiled_at_the_hub() -> None:
    ctx = make_context()
    hub, storage = make_hub(ctx, dock_exposure_h=2, handling_time_h=1)
    # limit 0.05: 10 h in the reefer use 10/240 = 0.0417; 1 h on the dock uses 1/120 more.
    lot = unloaded(ctx, 9.0, limit=0.05)
    ctx.env.run(until=10.0)
    hub.receive([lot])
    ctx.env.run(until=20.0)
    assert lot.id not in ctx.live
    assert storage.occupied_kg == 0.0
    (flow,) = [f for f in ctx.ledger.flows if f.kind == "spoil"]
    assert flow.place == "dc"
    # It ran out at 11 h on the dock; it is found at the end of the dock stretch (12 h)
    # and booked no earlier than it happened, no later than the dock ended.
    expired_h = 10.0 + (0.05 - 10 / 240) * 120
    assert expired_h == pytest.approx(11.0)
    assert expired_h - 1e-9 <= flow.time_h <= 12.0 + 1e-9
    assert np.asarray(ctx.ledger.spoiled)[HUB].sum() == pytest.approx(9.0)


def test_class_chamber_holds_frozen_products_at_its_setpoint() -> None:
    ctx = make_context()
    hub, storage = make_hub(
        ctx, dock_exposure_h=0, handling_time_h=0, class_setpoints_c={"frozen": -18}
    )
    chilled, frozen = unloaded(ctx, 5.0, 0), unloaded(ctx, 5.0, 1)
    hub.receive([chilled, frozen])
    assert storage.stock == [[chilled], [frozen]]
    assert chilled.environment.temperature_at(0.0) == 0.0
    assert frozen.environment.temperature_at(0.0) == -18.0
    ctx.env.run(until=24.0)
    frozen.advance(24.0)
    assert frozen.consumed == pytest.approx(24 * KIN.rate_per_h_scalar(-18.0), rel=1e-12)
