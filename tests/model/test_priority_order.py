"""Priority by perishability: the lot loaded or pre-cooled first has the least shelf life left."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.collection import CollectionPointProcess
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import COLLECTION, Lot
from fieldtotable.model.overload import priority_key
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.schema import (
    CollectionPoint,
    LeastShelfLifePriority,
    Overload,
    ProductPriority,
)

# Two products that age differently: a mushroom (5 d at 2 °C, Q10 2.5) and honey.
KINETICS = [Kinetics(5.0, 2.0, q10=2.5), Kinetics(700.0, 20.0, q10=1.5)]
SETPOINT_C = 2.0
LEAST = LeastShelfLifePriority(order="least_shelf_life")


def make_context() -> Context:
    ledger = Ledger(["mushroom", "honey"], [], 30)
    ambient = Ambient(np.full(24 * 32, 15.0), KINETICS)
    return Context(
        simpy.Environment(), ledger, Calendar(dt.date(2023, 7, 1), 32), KINETICS,
        {"here": ambient}, 720.0,
    )  # fmt: skip


def advance(context: Context, hours: float) -> None:
    """Run the clock ``hours`` on (nothing to do for a step below its resolution)."""
    until = context.env.now + hours
    if until > context.env.now:
        context.env.run(until=until)


def remaining_hours(context: Context, lot: Lot) -> float:
    """Labelled hours left if held at the setpoint, computed here from the kinetics."""
    now = context.env.now
    consumed = lot.consumed + lot.environment.consumed(lot.product, lot.updated_h, now)
    return (1.0 - consumed) / KINETICS[lot.product].rate_per_h_scalar(SETPOINT_C)


LOTS = st.lists(
    st.tuples(
        st.integers(0, 1),  # product
        st.floats(0.0, 0.95),  # consumed fraction on arrival
        st.floats(1.0, 500.0),  # kg
        st.floats(0.0, 48.0),  # hours after the previous arrival
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(lots=LOTS, load_kg=st.floats(0.5, 3000.0), wait_h=st.floats(0.0, 72.0))
def test_the_lot_loaded_first_has_the_least_remaining_shelf_life(
    lots: list[tuple[int, float, float, float]], load_kg: float, wait_h: float
) -> None:
    context = make_context()
    setpoint = context.held_at(SETPOINT_C)
    key = priority_key(LEAST, ["mushroom", "honey"], setpoint)
    overload: Overload | str = "wait"
    storage = Storage(
        context, "room", context.ambient["here"], SETPOINT_C, 1e9, overload, COLLECTION, 2,
        priority=key,
    )  # fmt: skip
    for product, consumed, kg, after_h in lots:
        advance(context, after_h)
        lot = context.new_lot(product, 0, kg, 100.0, context.ambient["here"], COLLECTION)
        lot.consumed = consumed
        storage.receive(lot)
    advance(context, wait_h)
    stock = [lot for lots_of in storage.stock for lot in lots_of]
    least = min(remaining_hours(context, lot) for lot in stock)
    picked = storage.take_oldest([0, 1], load_kg)
    assert picked
    assert at_most(remaining_hours(context, picked[0]), least)
    # And every lot loaded has no more shelf life left than any lot that stays.
    left = [remaining_hours(context, lot) for lots_of in storage.stock for lot in lots_of]
    for lot in picked:
        assert at_most(remaining_hours(context, lot), min(left, default=float("inf")))


def test_a_product_list_loads_the_listed_product_first_then_by_arrival() -> None:
    context = make_context()
    key = priority_key(
        ProductPriority(order="products", products=("honey",)), ["mushroom", "honey"],
        context.held_at(SETPOINT_C),
    )  # fmt: skip
    storage = Storage(
        context, "room", context.ambient["here"], SETPOINT_C, 1e9, "wait", COLLECTION, 2,
        priority=key,
    )  # fmt: skip
    for product in (0, 1, 0, 1):
        storage.receive(context.new_lot(product, 0, 10.0, 1.0, context.ambient["here"], COLLECTION))
        context.env.run(until=context.env.now + 1.0)
    picked = storage.take_oldest([0, 1], 30.0)
    assert [(lot.product, lot.arrived_h) for lot in picked] == [(1, 1.0), (1, 3.0), (0, 0.0)]


def _collection_point(context: Context, units: int) -> CollectionPointProcess:
    config = CollectionPoint.model_validate(
        {
            "region": "here",
            "precooling": {"units": units, "time_h": {"dist": "constant", "value": 2.0}},
            "cold_room_kg": 1e9,
            "setpoint_c": SETPOINT_C,
            "priority": {"order": "least_shelf_life"},
        }
    )
    key = priority_key(config.priority, ["mushroom", "honey"], context.held_at(SETPOINT_C))
    storage = Storage(
        context, "cp", context.ambient["here"], SETPOINT_C, 1e9, config.overload, COLLECTION, 2,
        priority=key,
    )  # fmt: skip
    return CollectionPointProcess(context, "cp", config, storage, 0, ["farm"], (), key)


class RecordingQueue(list[tuple[Lot, float]]):
    """A pre-cooling queue that records each pick: the lot's hours left, the least of the rest."""

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.picks: list[tuple[float, float]] = []

    def pop(self, index: Any = -1) -> tuple[Lot, float]:
        others = [
            remaining_hours(self.context, lot) for i, (lot, _) in enumerate(self) if i != index
        ]
        picked = remaining_hours(self.context, self[index][0])
        self.picks.append((picked, min(others, default=float("inf"))))
        return super().pop(index)


def at_most(value: float, bound: float) -> bool:
    return value <= bound + 1e-9 * max(1.0, abs(bound))


@pytest.mark.python_model
@settings(max_examples=40, deadline=None)
@given(lots=LOTS, units=st.integers(1, 3))
def test_the_lot_precooled_first_has_the_least_remaining_shelf_life(
    lots: list[tuple[int, float, float, float]], units: int
) -> None:
    context = make_context()
    point = _collection_point(context, units)
    queue = point.queue = RecordingQueue(context)
    for product, consumed, kg, after_h in lots:
        advance(context, after_h / 8)
        lot = context.new_lot(product, 0, kg, 100.0, context.ambient["here"], COLLECTION)
        lot.consumed = consumed
        point.receive([lot])
    context.env.run(until=700.0)
    assert len(queue.picks) == len(lots)  # every lot was pre-cooled
    assert sum(lot.kg for lots_of in point.storage.stock for lot in lots_of) == pytest.approx(
        sum(kg for _, _, kg, _ in lots)
    )
    for picked, least_of_the_others in queue.picks:
        assert at_most(picked, least_of_the_others)
