"""Overload policies of one storage in isolation: exact kg refused, overflowed, waiting."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import simpy

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import COLLECTION, HUB, Lot
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.schema import Overflow, Overload, RefuseUpstream, WaitAmbient

# Shelf life 10 d at 0 °C, Q10 = 2: 1/240 per hour at 0 °C, 1/120 at 10 °C (outside).
KINETICS = Kinetics(10.0, 0.0, q10=2.0)
OUTSIDE_RATE = 1 / 120


def make_context() -> Context:
    env = simpy.Environment()
    ledger = Ledger(["p0"], [], 20)
    ambient = Ambient(np.full(24 * 22, 10.0), [KINETICS])
    return Context(
        env, ledger, Calendar(dt.date(2023, 1, 2), 22), [KINETICS], {"here": ambient}, 480.0
    )


def overflow(
    capacity_kg: float = 50.0, then: str = "wait_ambient", handling_h: float = 0.0
) -> Overflow:
    return Overflow.model_validate(
        {
            "policy": "overflow",
            "capacity_kg": capacity_kg,
            "setpoint_c": 0.0,
            "rent_cny_per_kg_day": 0.01,
            "handling_h": handling_h,
            "then": then,
        }
    )


def make_storage(overload: Overload | str, stage: int = COLLECTION) -> tuple[Context, Storage]:
    context = make_context()
    storage = Storage(context, "room", context.ambient["here"], 0.0, 100.0, overload, stage, 1)
    return context, storage


def deliver(context: Context, storage: Storage, kg: float) -> Lot:
    lot = context.new_lot(0, 0, kg, 1.0, context.ambient["here"], COLLECTION, "farm", "harvest")
    storage.receive(lot)
    return lot


def stock_by_activity(storage: Storage) -> dict[str, float]:
    held: dict[str, float] = {}
    for lot in [*storage.stock[0], *storage.waiting]:
        held[lot.activity] = held.get(lot.activity, 0.0) + lot.kg
    return held


def test_refuse_upstream_admits_the_part_that_fits_and_refuses_the_rest() -> None:
    context, storage = make_storage(RefuseUpstream(policy="refuse_upstream"), HUB)
    deliver(context, storage, 80.0)
    deliver(context, storage, 30.0)
    assert stock_by_activity(storage) == {"cold_store": pytest.approx(100.0)}
    assert context.ledger.losses == {("refused", HUB, "room", "store_full"): [pytest.approx(10.0)]}
    assert storage.stats()["refused_kg"] == pytest.approx(10.0)
    assert not storage.waiting


def test_the_old_refuse_turns_the_whole_lot_away() -> None:
    context, storage = make_storage("refuse", HUB)
    deliver(context, storage, 80.0)
    deliver(context, storage, 30.0)
    assert stock_by_activity(storage) == {"cold_store": 80.0}
    assert context.ledger.losses == {("refused", HUB, "room", "store_full"): [30.0]}


def test_wait_ambient_keeps_the_rest_waiting_outside() -> None:
    context, storage = make_storage(WaitAmbient(policy="wait_ambient"))
    deliver(context, storage, 80.0)
    deliver(context, storage, 30.0)
    assert stock_by_activity(storage) == pytest.approx(
        {"cold_store": 100.0, "waiting_outside": 10.0}
    )
    assert context.ledger.losses == {}
    assert storage.stats()["overflow_kg"] == pytest.approx(10.0)


def test_overflow_takes_what_does_not_fit_and_the_rest_waits() -> None:
    context, storage = make_storage(overflow(50.0))
    deliver(context, storage, 80.0)
    deliver(context, storage, 100.0)  # 20 into the room, 50 into the overflow store, 30 wait
    assert stock_by_activity(storage) == pytest.approx(
        {"cold_store": 100.0, "overflow_store": 50.0, "waiting_outside": 30.0}
    )
    stats = storage.stats()
    assert stats["overflow_store_kg"] == pytest.approx(50.0)
    assert stats["peak_overflow_store_kg"] == pytest.approx(50.0)
    assert storage.held_kg == pytest.approx(180.0)
    # Taking 60 kg from the room lets the 30 waiting in.
    taken = storage.take(0, 60.0, "FIFO")
    assert sum(lot.kg for lot in taken) == pytest.approx(60.0)
    assert stock_by_activity(storage) == pytest.approx({"cold_store": 70.0, "overflow_store": 50.0})
    assert storage.occupied_kg == pytest.approx(70.0)
    assert storage.overflow is not None
    assert storage.overflow.occupied_kg == pytest.approx(50.0)


def test_lots_leave_the_overflow_store_and_free_its_space() -> None:
    context, storage = make_storage(overflow(50.0))
    deliver(context, storage, 100.0)
    deliver(context, storage, 50.0)  # all into the overflow store
    taken = storage.take_oldest([0], 150.0)
    assert sum(lot.kg for lot in taken) == pytest.approx(150.0)
    assert storage.overflow is not None
    assert storage.overflow.occupied_kg == 0.0
    assert storage.overflow.stock_kg == [0.0]
    assert storage.overflow.lot_ids == set()
    assert storage.occupied_kg == 0.0


def test_overflow_then_refuse_books_the_rest_as_refused_because_the_overflow_is_full() -> None:
    context, storage = make_storage(overflow(50.0, then="refuse_upstream"))
    deliver(context, storage, 80.0)
    deliver(context, storage, 100.0)
    assert stock_by_activity(storage) == pytest.approx(
        {"cold_store": 100.0, "overflow_store": 50.0}
    )
    assert context.ledger.losses == {
        ("refused", COLLECTION, "room", "overflow_full"): [pytest.approx(30.0)]
    }
    # Back pressure counts the overflow store's space too.
    assert storage.room_kg() == 0.0


def test_a_lot_moved_to_the_overflow_store_waits_outside_for_its_handling_hours() -> None:
    context, storage = make_storage(overflow(50.0, handling_h=6.0))
    deliver(context, storage, 100.0)
    lot = deliver(context, storage, 40.0)
    assert lot.activity == "overflow_handling"
    assert storage.stock[0][-1] is not lot  # not yet in stock: cannot be loaded
    assert storage.held_kg == pytest.approx(140.0)
    context.env.run(until=10.0)
    assert lot.activity == "overflow_store"
    lot.advance(10.0)
    assert lot.consumed == pytest.approx(6.0 * OUTSIDE_RATE + 4.0 / 240)


def test_the_overflow_store_books_its_kg_hours_apart() -> None:
    context, storage = make_storage(overflow(50.0))
    deliver(context, storage, 100.0)
    deliver(context, storage, 50.0)
    context.env.run(until=24.0)
    storage.close_day(0)
    tables = context.ledger.place_table("room")
    assert tables["held_kg_h"][0][0] == pytest.approx(100.0 * 24)
    assert tables["overflow_held_kg_h"][0][0] == pytest.approx(50.0 * 24)
    assert tables["received_kg"][0][0] == pytest.approx(150.0)
    assert tables["overflow_received_kg"][0][0] == pytest.approx(50.0)


def test_back_pressure_room_counts_the_kg_on_their_way() -> None:
    context, storage = make_storage(RefuseUpstream(policy="refuse_upstream"))
    woken: list[float] = []
    storage.on_space = lambda: woken.append(context.env.now)
    deliver(context, storage, 30.0)
    assert storage.room_kg() == pytest.approx(70.0)
    coming = context.new_lot(0, 0, 50.0, 1.0, context.ambient["here"], COLLECTION)
    storage.expect(coming)
    assert storage.room_kg() == pytest.approx(20.0)
    storage.forget(coming)  # it spoiled on the way
    assert storage.room_kg() == pytest.approx(70.0)
    assert woken == [0.0]
    storage.expect(coming)
    storage.receive(coming)  # the reservation becomes stock
    assert storage.incoming_kg == 0.0
    assert storage.room_kg() == pytest.approx(20.0)


def test_a_store_without_back_pressure_has_unlimited_room() -> None:
    _context, storage = make_storage(WaitAmbient(policy="wait_ambient"))
    assert storage.room_kg() == float("inf")
