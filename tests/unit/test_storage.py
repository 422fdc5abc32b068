"""Refrigerated storage in isolation: capacity, waiting at ambient, refusal, pick order."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import simpy

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import COLLECTION, HUB, Lot
from fieldtotable.model.storage import Storage, issue_order_key
from fieldtotable.model.thermal import Ambient

# Shelf life 10 d at 0 °C, Q10 = 2: 1/240 per hour in the cold room (0 °C),
# 1/120 per hour outside (10 °C).
KIN = Kinetics(10.0, 0.0, q10=2.0)
R_COLD = 1 / 240
R_WARM = 1 / 120


def make_context(products: int = 1) -> Context:
    env = simpy.Environment()
    names = [f"p{i}" for i in range(products)]
    ledger = Ledger(names, [], 20, record_flows=True)
    kinetics = [KIN] * products
    ambient = Ambient(np.full(24 * 22, 10.0), kinetics)
    return Context(
        env, ledger, Calendar(dt.date(2023, 1, 2), 22), kinetics, {"here": ambient}, 480.0
    )


def make_storage(
    ctx: Context, capacity_kg: float = 100.0, on_full: str = "wait", products: int = 1
) -> Storage:
    return Storage(ctx, "cp", ctx.ambient["here"], 0.0, capacity_kg, on_full, COLLECTION, products)


def at(ctx: Context, time_h: float) -> None:
    if time_h > ctx.env.now:
        ctx.env.run(until=time_h)


def arrive(ctx: Context, storage: Storage, kg: float, product: int = 0, limit: float = 1.0) -> Lot:
    """A fresh lot harvested now, standing outside, delivered to the door now."""
    lot = ctx.new_lot(product, 0, kg, limit, ctx.ambient["here"], COLLECTION)
    storage.receive(lot)
    return lot


def test_admitted_lot_is_placed_in_the_cold() -> None:
    ctx = make_context()
    storage = make_storage(ctx)
    notified: list[int] = []
    storage.on_stock = notified.append
    lot = arrive(ctx, storage, 60.0)
    assert lot.environment is storage.cold
    assert storage.stock[0] == [lot]
    assert storage.stock_kg[0] == storage.occupied_kg == storage.held_kg == 60.0
    assert notified == [0]
    at(ctx, 24.0)
    lot.advance(24.0)
    assert lot.consumed == pytest.approx(24 * R_COLD, rel=1e-12)


def test_overflow_waits_at_ambient_and_is_admitted_when_space_frees() -> None:
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=100.0)
    a = arrive(ctx, storage, 80.0)
    at(ctx, 2.0)
    b = arrive(ctx, storage, 50.0)
    # 20 kg fit (split off as a new lot), 30 kg wait outside.
    assert storage.occupied_kg == pytest.approx(100.0)
    assert [x.kg for x in storage.stock[0]] == pytest.approx([80.0, 20.0])
    assert list(storage.waiting) == [b]
    assert b.kg == pytest.approx(30.0)
    assert b.environment is storage.ambient
    assert storage.held_kg == pytest.approx(130.0)
    assert ctx.ledger.overflow_kg == {"cp": pytest.approx(30.0)}  # the part left outside
    part = storage.stock[0][1]
    assert part.id != b.id

    at(ctx, 5.0)
    picked = storage.take(0, 50.0, "FIFO")
    assert [x.kg for x in picked] == pytest.approx([50.0])
    assert picked[0].id != a.id  # split off the first lot
    assert a.kg == pytest.approx(30.0)
    # The waiting lot came in the moment space freed.
    assert not storage.waiting
    assert b in storage.stock[0]
    assert b.arrived_h == 5.0
    assert b.environment is storage.cold
    assert storage.occupied_kg == pytest.approx(80.0)
    assert storage.peak_occupied_kg == pytest.approx(100.0)

    at(ctx, 10.0)
    b.advance(10.0)
    part.advance(10.0)
    assert b.consumed == pytest.approx(3 * R_WARM + 5 * R_COLD, rel=1e-12)  # 2-5 h outside
    assert part.consumed == pytest.approx(8 * R_COLD, rel=1e-12)  # in since 2 h


def test_waiting_is_first_come_first_served() -> None:
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=100.0)
    arrive(ctx, storage, 100.0)
    at(ctx, 1.0)
    b = arrive(ctx, storage, 40.0)
    at(ctx, 2.0)
    c = arrive(ctx, storage, 10.0)
    assert list(storage.waiting) == [b, c]
    assert ctx.ledger.overflow_kg["cp"] == pytest.approx(50.0)
    at(ctx, 3.0)
    storage.take(0, 45.0, "FIFO")
    # b (40 kg) in whole, then 5 kg of c; the rest of c keeps waiting.
    assert b in storage.stock[0]
    assert list(storage.waiting) == [c]
    assert c.kg == pytest.approx(5.0)
    assert storage.occupied_kg == pytest.approx(100.0)
    assert [x.arrived_h for x in storage.stock[0]] == [0.0, 3.0, 3.0]


def test_small_lot_does_not_jump_the_queue() -> None:
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=100.0)
    arrive(ctx, storage, 95.0)
    big = arrive(ctx, storage, 30.0)  # 5 kg in, 25 kg waiting
    small = arrive(ctx, storage, 1.0)  # there is no space and someone is waiting
    assert list(storage.waiting) == [big, small]


def test_refuse_when_full_books_refused_kg() -> None:
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=100.0, on_full="refuse")
    arrive(ctx, storage, 80.0)
    at(ctx, 30.0)
    b = arrive(ctx, storage, 50.0)
    assert b.id not in ctx.live
    assert not storage.waiting
    assert storage.occupied_kg == pytest.approx(80.0)
    refused = np.asarray(ctx.ledger.daily["refused"])
    assert refused[0, 1] == pytest.approx(50.0)
    assert refused.sum() == pytest.approx(50.0)
    (flow,) = [f for f in ctx.ledger.flows if f.kind == "refuse"]
    assert (flow.time_h, flow.kg, flow.place, flow.lot) == (30.0, 50.0, "cp", b.id)
    # A lot that fits is still admitted.
    c = arrive(ctx, storage, 20.0)
    assert c in storage.stock[0]


def three_lots(ctx: Context, storage: Storage) -> tuple[Lot, Lot, Lot]:
    """l1 fresh at 0 h; l2 harvested at 0 h but left outside until 10 h; l3 fresh at 20 h."""
    l1 = arrive(ctx, storage, 100.0)
    l2 = ctx.new_lot(0, 0, 100.0, 1.0, ctx.ambient["here"], COLLECTION)
    at(ctx, 10.0)
    storage.receive(l2)
    at(ctx, 20.0)
    l3 = arrive(ctx, storage, 100.0)
    at(ctx, 30.0)
    return l1, l2, l3


@pytest.mark.parametrize(
    ("issuing", "order"),
    [("FIFO", (0, 1, 2)), ("LIFO", (2, 1, 0)), ("FEFO", (1, 0, 2))],
)
def test_pick_order(issuing: str, order: tuple[int, int, int]) -> None:
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=1000.0)
    lots = three_lots(ctx, storage)
    picked = storage.take(0, 250.0, issuing)
    first, second, third = (lots[i] for i in order)
    assert picked[:2] == [first, second]
    assert picked[2].id not in {x.id for x in lots}  # 50 kg split off the third
    assert [x.kg for x in picked] == pytest.approx([100.0, 100.0, 50.0])
    assert third.kg == pytest.approx(50.0)
    assert storage.stock[0] == [third]
    assert storage.stock_kg[0] == pytest.approx(50.0)
    assert storage.occupied_kg == pytest.approx(50.0)
    # Picked lots are brought up to date.
    assert all(x.updated_h == 30.0 for x in picked)
    # The split part has the third lot's quality state.
    assert picked[2].consumed == third.consumed or third.updated_h != 30.0


def test_fefo_key_ranks_by_consumed_fraction_without_bringing_lots_forward() -> None:
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=1000.0)
    l1, l2, l3 = three_lots(ctx, storage)
    # Lots were last updated at different times (0, 10, 20 h): the key must still
    # rank them by their consumed fraction now.
    assert (l1.updated_h, l2.updated_h, l3.updated_h) == (0.0, 10.0, 20.0)
    fefo = sorted([l3, l1, l2], key=issue_order_key("FEFO", storage.cold))
    lifo = sorted([l1, l2, l3], key=issue_order_key("LIFO", storage.cold))
    fifo = sorted([l3, l1, l2], key=issue_order_key("FIFO", storage.cold))
    for lot in (l1, l2, l3):
        lot.advance(30.0)
    assert l2.consumed > l1.consumed > l3.consumed
    assert fefo == [l2, l1, l3]
    assert lifo == [l3, l2, l1]
    assert fifo == [l1, l2, l3]


def test_take_nothing() -> None:
    ctx = make_context()
    storage = make_storage(ctx)
    assert storage.take(0, 10.0, "FIFO") == []
    arrive(ctx, storage, 10.0)
    assert storage.take(0, 0.0, "FIFO") == []
    assert storage.occupied_kg == 10.0


def test_expired_lot_met_at_pick_is_spoiled_not_picked() -> None:
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=1000.0)
    old = arrive(ctx, storage, 40.0, limit=0.1)  # expires after 24 h in the cold
    assert old.expires_at_h == pytest.approx(24.0)
    at(ctx, 10.0)
    fresh = arrive(ctx, storage, 60.0)
    at(ctx, 30.0)
    picked = storage.take(0, 50.0, "FIFO")
    assert [x.kg for x in picked] == pytest.approx([50.0])
    assert picked[0].id != old.id
    assert old.id not in ctx.live
    assert fresh.kg == pytest.approx(10.0)
    assert storage.occupied_kg == pytest.approx(10.0)
    spoiled = np.asarray(ctx.ledger.spoiled)
    assert spoiled[COLLECTION, 0, 1] == pytest.approx(40.0)  # hour 24 falls on day 1
    assert spoiled.sum() == pytest.approx(40.0)
    (flow,) = [f for f in ctx.ledger.flows if f.kind == "spoil"]
    assert flow.time_h == pytest.approx(24.0)
    assert flow.place == "cp"


def test_inspection_removes_expired_stock_and_admits_waiting() -> None:
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=100.0)
    old = arrive(ctx, storage, 100.0, limit=0.1)  # expires at 24 h
    at(ctx, 1.0)
    waiting_old = arrive(ctx, storage, 10.0, limit=0.05)  # outside: expires at 1 + 6 h
    waiting_ok = arrive(ctx, storage, 30.0)
    assert list(storage.waiting) == [waiting_old, waiting_ok]
    at(ctx, 23.0)
    storage.inspect()
    assert waiting_old.id not in ctx.live  # spoiled while waiting
    assert old in storage.stock[0]  # not yet expired
    assert list(storage.waiting) == [waiting_ok]
    at(ctx, 25.0)
    storage.inspect()
    assert old.id not in ctx.live
    assert not storage.waiting
    assert storage.stock[0] == [waiting_ok]
    assert storage.occupied_kg == pytest.approx(30.0)
    times = sorted((f.time_h, f.kg) for f in ctx.ledger.flows if f.kind == "spoil")
    assert times == [(pytest.approx(7.0), 10.0), (pytest.approx(24.0), 100.0)]


def test_take_oldest_across_products_in_arrival_order() -> None:
    ctx = make_context(products=2)
    storage = make_storage(ctx, capacity_kg=1000.0, products=2)
    lots = []
    for time_h, product in [(0.0, 0), (1.0, 1), (2.0, 0), (3.0, 1)]:
        at(ctx, time_h)
        lots.append(arrive(ctx, storage, 100.0, product=product))
    at(ctx, 5.0)
    picked = storage.take_oldest([0, 1], 250.0)
    assert picked[:2] == lots[:2]
    assert picked[2].product == 0
    assert [x.kg for x in picked] == pytest.approx([100.0, 100.0, 50.0])
    assert storage.kg_of([0, 1]) == pytest.approx(150.0)
    assert storage.oldest_arrival_h([0, 1]) == 2.0
    assert storage.oldest_arrival_h([1]) == 3.0
    rest = storage.take_oldest([1], 1000.0)
    assert rest == [lots[3]]
    assert storage.oldest_arrival_h([1]) == float("inf")


def test_take_oldest_only_named_products() -> None:
    ctx = make_context(products=2)
    storage = make_storage(ctx, capacity_kg=1000.0, products=2)
    arrive(ctx, storage, 10.0, product=1)
    b = arrive(ctx, storage, 20.0, product=0)
    assert storage.take_oldest([0], 100.0) == [b]
    assert storage.kg_of([1]) == pytest.approx(10.0)


def test_nothing_waits_outside_while_the_cold_room_has_room() -> None:
    """A store emptied by a re-entrant pick (a vehicle loading on admission) takes the rest."""
    ctx = make_context()
    storage = make_storage(ctx, capacity_kg=100.0)
    loaded: list[Lot] = []

    def load_everything(product: int) -> None:
        loaded.extend(storage.take_oldest([product], 1e9))

    storage.on_stock = load_everything
    arrive(ctx, storage, 150.0)
    assert sum(x.kg for x in loaded) == pytest.approx(150.0)
    assert not storage.waiting
    assert storage.occupied_kg == pytest.approx(0.0)
    # And the next lot is not stuck behind a queue either.
    arrive(ctx, storage, 30.0)
    assert sum(x.kg for x in loaded) == pytest.approx(180.0)
    assert not storage.waiting


def test_hub_stage_is_booked_for_hub_storage() -> None:
    ctx = make_context()
    storage = Storage(ctx, "dc", ctx.ambient["here"], 0.0, 100.0, "wait", HUB, 1)
    lot = ctx.new_lot(0, 0, 10.0, 0.01, ctx.ambient["here"], COLLECTION)
    storage.receive(lot)
    assert lot.stage == HUB
    at(ctx, 100.0)
    storage.inspect()
    assert np.asarray(ctx.ledger.spoiled)[HUB].sum() == pytest.approx(10.0)
