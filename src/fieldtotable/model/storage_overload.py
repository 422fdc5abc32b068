"""What a storage does when it is full: refuse, back pressure, an overflow store; priority.

:class:`OverloadHandling` is the part of :class:`~.storage.Storage` that carries out
a node's overload policy (:mod:`.overload`) and its priority order for loading
vehicles, kept apart so that the storage's plain path reads on its own.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable, Iterable

import simpy

from fieldtotable.model.context import Context
from fieldtotable.model.lot import Lot
from fieldtotable.model.overload import OverflowStore, OverloadRules, PriorityKey
from fieldtotable.model.thermal import Ambient

__all__ = ["EPSILON_KG", "OverloadHandling"]

#: Stock below this many kg is treated as empty (guards float residue of splits).
EPSILON_KG = 1e-9


class OverloadHandling:
    """Overload policies and priority loading of a :class:`~.storage.Storage` (a mixin)."""

    context: Context
    node_id: str
    ambient: Ambient
    stage: int
    capacity_kg: float
    occupied_kg: float
    rules: OverloadRules
    refuse_when_full: bool
    back_pressure: bool
    overflow: OverflowStore | None
    waiting: deque[Lot]
    incoming_kg: float
    _expected: dict[int, float]
    refused_kg: float
    on_space: Callable[[], None]
    stock: list[list[Lot]]
    stock_kg: list[float]
    _received_kg: list[float]
    _held_kg_h: list[float]
    _held_since: list[float]

    # Defined by Storage. Real methods, not declarations under TYPE_CHECKING: a
    # compiled build (mypyc) needs every method of a class in its body.
    def _admit(self, lot: Lot, *, overflow: bool = False) -> None:
        raise NotImplementedError

    def _released(self, kg: float, overflow_kg: float = 0.0) -> None:
        raise NotImplementedError

    def _remove_kg(self, product: int, kg: float, overflow_kg: float, now: float) -> None:
        raise NotImplementedError

    def _receive_overloaded(self, lot: Lot, free: float) -> None:
        """Split a lot that does not fit between the store, the overflow store and the rest.

        The rest is refused (a policy that refuses) or waits outside. The parts are
        placed before any is admitted: admitting can re-enter (a vehicle loads at once).
        """
        context = self.context
        self._received_kg[lot.product] += lot.kg
        main_part = None
        overflow_part = None
        rest: Lot | None = lot
        if not self.waiting:
            if free > EPSILON_KG:
                main_part = context.split(lot, free)
            overflow = self.overflow
            if overflow is not None:
                room = overflow.free_kg
                if lot.kg <= room + EPSILON_KG:
                    overflow_part, rest = lot, None
                elif room > EPSILON_KG:
                    overflow_part = context.split(lot, room)
        if rest is not None:
            context.ledger.overflow(self.node_id, rest.kg)
            if self.refuse_when_full:
                self._received_kg[rest.product] -= rest.kg
                self._refuse(rest)
            else:
                rest.place(
                    self.ambient, context.env.now, self.stage, self.node_id, "waiting_outside"
                )
                self.waiting.append(rest)
        if overflow_part is not None:
            context.ledger.overflow(self.node_id, overflow_part.kg)
            self._to_overflow(overflow_part)
        if main_part is not None:
            self._admit(main_part)

    def _refuse(self, lot: Lot) -> None:
        """Turn ``lot`` away at the door."""
        context = self.context
        context.ledger.refuse(
            context.env.now, lot.product, lot.kg, self.node_id, lot.id,
            stage=self.stage, reason=self.rules.reason,
        )  # fmt: skip
        self.refused_kg += lot.kg
        context.remove(lot)

    def _to_overflow(self, lot: Lot) -> None:
        """Move a lot into the overflow store (after its handling hours)."""
        overflow = self.overflow
        assert overflow is not None
        context = self.context
        now = context.env.now
        overflow.take_space(lot.kg)
        overflow.moved_in_kg += lot.kg
        overflow.received_kg[lot.product] += lot.kg
        context.ledger.add("overflow_in", now, lot.product, lot.kg)
        if overflow.handling_h <= 0:
            self._admit(lot, overflow=True)
            return
        lot.place(self.ambient, now, self.stage, self.node_id, "overflow_handling")
        overflow.moving[lot.id] = lot
        moved = context.env.timeout(overflow.handling_h)
        moved.callbacks.append(functools.partial(self._overflow_reached, lot))

    def _overflow_reached(self, lot: Lot, _event: simpy.Event) -> None:
        overflow = self.overflow
        assert overflow is not None
        del overflow.moving[lot.id]
        if self.context.spoil_if_expired(lot, self.node_id):
            self._released(0.0, lot.kg)
            return
        self._admit(lot, overflow=True)

    # -- back pressure ------------------------------------------------------------
    def room_kg(self) -> float:
        """Return the kg the node can still accept (infinite without back pressure).

        Returns
        -------
        float
            Free space of the store (and of its overflow store) less the kg already
            on their way into it.
        """
        if not self.back_pressure:
            return math.inf
        room = self.capacity_kg - self.occupied_kg - self.incoming_kg
        if self.overflow is not None:
            room += self.overflow.free_kg
        return max(room, 0.0)

    def expect(self, lot: Lot) -> None:
        """Reserve space for ``lot``, now on its way here (back pressure)."""
        self._expected[lot.id] = lot.kg
        self.incoming_kg += lot.kg

    def forget(self, lot: Lot) -> None:
        """Release the space reserved for ``lot``, which will not arrive (it spoiled)."""
        if lot.id in self._expected:
            self._settle(lot)
            self.on_space()

    def _settle(self, lot: Lot) -> None:
        kg = self._expected.pop(lot.id, None)
        if kg is not None:
            # Exactly 0 once nothing is expected: no float residue of the sums is left.
            self.incoming_kg = self.incoming_kg - kg if self._expected else 0.0

    def _hold(self, product: int, now: float) -> None:
        """Bring the kg-hours held of ``product`` up to ``now``, store and overflow store apart."""
        overflow = self.overflow
        assert overflow is not None
        hours = now - self._held_since[product]
        in_overflow = overflow.stock_kg[product]
        self._held_kg_h[product] += (self.stock_kg[product] - in_overflow) * hours
        overflow.held_kg_h[product] += in_overflow * hours
        self._held_since[product] = now

    def _take_by_priority(
        self, products: Iterable[int], kg: float, priority: PriorityKey
    ) -> list[Lot]:
        """Pick up to ``kg`` across ``products`` in ``priority`` order (splitting the last lot)."""
        context = self.context
        now = context.env.now
        in_overflow = self.overflow.lot_ids if self.overflow is not None else set()
        ranked = sorted(
            (lot for product in products for lot in self.stock[product]),
            key=lambda lot: priority(lot, now),
        )
        picked: list[Lot] = []
        gone: set[int] = set()
        removed = [0.0] * len(self.stock)
        removed_overflow = [0.0] * len(self.stock)
        wanted = kg
        for lot in ranked:
            if wanted <= EPSILON_KG:
                break
            product = lot.product
            taken = lot.kg
            if context.spoil_if_expired(lot, self.node_id):
                gone.add(lot.id)
            elif lot.kg <= wanted + EPSILON_KG:
                picked.append(lot)
                gone.add(lot.id)
                wanted -= lot.kg
            else:
                taken = wanted
                picked.append(context.split(lot, wanted))
                wanted = 0.0
            removed[product] += taken
            if lot.id in in_overflow:
                removed_overflow[product] += taken
        in_overflow.difference_update(gone)
        for product, kg_gone in enumerate(removed):
            if kg_gone:
                lots = self.stock[product]
                lots[:] = [lot for lot in lots if lot.id not in gone]
        for lot in picked:
            lot.advance(now)
        for product, kg_gone in enumerate(removed):
            if kg_gone:
                if self.overflow is None:
                    self._remove_kg(product, kg_gone, 0.0, now)
                else:
                    self._remove_kg(product, kg_gone, removed_overflow[product], now)
        return picked
