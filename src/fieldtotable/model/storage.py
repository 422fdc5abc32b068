"""Refrigerated storage with a capacity: cold rooms at collection points, hub stores.

Stock is kept per product in arrival order. What does not fit follows the node's
overload policy (:mod:`.overload`): it waits outside at ambient temperature, first
come first served; or it is turned away, and with back pressure legs into the node
load only what it can take (:meth:`Storage.room_kg`); or it goes to a rented overflow
store, whose lots are part of the stock. Lots leave by being loaded onto a leg or
picked for a market; expired lots are removed when met and by a daily inspection.
"""

from __future__ import annotations

import math
import operator
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence

from fieldtotable.model.context import Context
from fieldtotable.model.issue_order import arrival_order, consumed_now_order, issue_order_key
from fieldtotable.model.logged import RepeatingProfile, log_tables
from fieldtotable.model.lot import Lot
from fieldtotable.model.overload import OverflowStore, OverloadRules, PriorityKey
from fieldtotable.model.storage_overload import EPSILON_KG, OverloadHandling
from fieldtotable.model.thermal import Ambient, ConstantTemperature
from fieldtotable.scenario.schema import TemperatureClass
from fieldtotable.scenario.schema_logs import REPEAT_PERIOD_H, NodeTemperatureLog
from fieldtotable.scenario.schema_overload import Overload

# EPSILON_KG (stock below it is treated as empty) is defined with the overload handling,
# which needs it too; it stays part of this module's interface.
__all__ = ["EPSILON_KG", "Storage", "issue_order_key"]


_KG: Callable[[Lot], float] = operator.attrgetter("kg")


class Storage(OverloadHandling):
    """A refrigerated store with a capacity in kg.

    Parameters
    ----------
    context
        Shared run state.
    node_id
        Id of the node (used in the ledger).
    ambient
        Outdoor environment of the node's region (where overflow waits).
    setpoint_c
        Storage temperature.
    capacity_kg
        Storage capacity.
    overload
        The node's overload policy (``overload`` entry), or the older words
        ``"wait"`` / ``"refuse"``.
    stage
        Stage index for spoilage attribution.
    products
        Number of products.
    class_setpoints_c
        Setpoints of class chambers (``frozen: -18``); others at ``setpoint_c``.
    priority
        Order in which vehicles load lots (:func:`~.overload.priority_key`); ``None``:
        earliest arrival first.
    """

    def __init__(
        self,
        context: Context,
        node_id: str,
        ambient: Ambient,
        setpoint_c: float,
        capacity_kg: float,
        overload: Overload | str,
        stage: int,
        products: int,
        class_setpoints_c: Mapping[TemperatureClass, float] | None = None,
        priority: PriorityKey | None = None,
        temperature_log: NodeTemperatureLog | None = None,
    ) -> None:
        self.context = context
        self.node_id = node_id
        self.ambient = ambient
        self.cold = context.at_temperature(setpoint_c)
        self.cold_for = context.held_at(setpoint_c, class_setpoints_c)[:products]
        """The setpoint of each product's chamber (cooling costs, pre-cooling, packing)."""
        self.store_for: Sequence[ConstantTemperature | RepeatingProfile] = self.cold_for
        """Where each product's lots are stored: their chamber, or the room's logged profile."""
        if temperature_log is not None:
            # The profile replaces setpoint_c; class chambers keep their own setpoints.
            profile = RepeatingProfile(
                log_tables(context.kinetics, temperature_log.elapsed_h, temperature_log.temp_c),
                REPEAT_PERIOD_H[temperature_log.repeat],
            )
            chambers = class_setpoints_c or {}
            self.store_for = [
                self.cold_for[product] if temperature_class in chambers else profile
                for product, temperature_class in enumerate(context.temperature_classes[:products])
            ]
        self.capacity_kg = capacity_kg
        self.rules = rules = OverloadRules.of(overload)
        self.refuse_when_full = rules.refuse_at_door
        self.back_pressure = rules.back_pressure
        self.overflow = (
            None
            if rules.overflow is None
            else OverflowStore(
                rules.overflow, context.at_temperature(rules.overflow.setpoint_c), products
            )
        )
        self.priority = priority
        self.incoming_kg = 0.0
        """Kg on their way into the store (loaded for it, or accepted at a collection
        point's gate and not yet cooled): the space they will take (back pressure only)."""
        self._expected: dict[int, float] = {}
        self.refused_kg = 0.0
        """Kg turned away at the door (whole horizon)."""
        self.on_space: Callable[[], None] = lambda: None
        """Called when space frees in a store with back pressure (legs into it load)."""
        self.stage = stage
        self.stock: list[list[Lot]] = [[] for _ in range(products)]
        self.stock_kg = [0.0] * products
        self.occupied_kg = 0.0
        self.waiting: deque[Lot] = deque()
        self.peak_occupied_kg = 0.0
        self.on_stock: Callable[[int], None] = lambda _product: None
        """Called with the product index whenever stock of it is admitted."""
        self._order_keys: dict[str, Callable[[Lot], float]] = {}
        # What the money KPIs price (kg-hours held, kg received), per product since
        # the last close_day(); plain lists, updated where stock_kg changes.
        self._held_kg_h = [0.0] * products
        self._held_since = [0.0] * products
        self._received_kg = [0.0] * products

    # -- arrivals ---------------------------------------------------------------
    def receive(self, lot: Lot) -> None:
        """Take in a lot arriving at the door now."""
        if lot.shrinkage is not None:  # its kg as they are now decide what fits
            lot.settle_weight(self.context.env.now)
        if self._expected:
            self._settle(lot)
        free = self.capacity_kg - self.occupied_kg
        if not self.waiting and lot.kg <= free + EPSILON_KG:
            self._received_kg[lot.product] += lot.kg
            self._admit(lot)
            return
        context = self.context
        if self.rules.whole_lot:
            self._refuse(lot)
            return
        if self.overflow is not None or self.refuse_when_full:
            self._receive_overloaded(lot, free)
            return
        self._received_kg[lot.product] += lot.kg
        part = context.split(lot, free) if not self.waiting and free > EPSILON_KG else None
        context.ledger.overflow(self.node_id, lot.kg)
        lot.place(self.ambient, context.env.now, self.stage, self.node_id, "waiting_outside")
        # Queue the rest before admitting the part that fits: admitting can re-enter
        # (a vehicle loads at once) and the space that frees must go to this lot.
        self.waiting.append(lot)
        if part is not None:
            self._admit(part)

    def _admit(self, lot: Lot, *, overflow: bool = False) -> None:
        now = self.context.env.now
        product = lot.product
        if overflow:
            store = self.overflow
            assert store is not None
            lot.place(store.environment, now, self.stage, self.node_id, "overflow_store")
            self._hold(product, now)
            store.lot_ids.add(lot.id)
            store.stock_kg[product] += lot.kg
            self.stock[product].append(lot)
            self.stock_kg[product] += lot.kg
            self.on_stock(product)
            return
        lot.place(self.store_for[product], now, self.stage, self.node_id, "cold_store")
        self.stock[product].append(lot)
        stock_kg = self.stock_kg
        if self.overflow is None:
            self._held_kg_h[product] += stock_kg[product] * (now - self._held_since[product])
            self._held_since[product] = now
        else:
            self._hold(product, now)
        stock_kg[product] += lot.kg
        self.occupied_kg += lot.kg
        if self.occupied_kg > self.peak_occupied_kg:  # noqa: PLR1730 -- max(), without the call
            self.peak_occupied_kg = self.occupied_kg
        self.on_stock(product)

    def _released(self, kg: float, overflow_kg: float = 0.0) -> None:
        """Free ``kg`` of the store and ``overflow_kg`` of the overflow store; let lots in."""
        occupied_kg = self.occupied_kg - kg
        self.occupied_kg = 0.0 if occupied_kg < 0.0 else occupied_kg  # max(), without the call
        overflow = self.overflow
        if overflow is not None:
            overflow.occupied_kg = max(overflow.occupied_kg - overflow_kg, 0.0)
        waiting = self.waiting
        context = self.context
        while waiting:
            lot = waiting[0]
            if context.spoil_if_expired(lot, self.node_id):
                waiting.popleft()
                continue
            if lot.shrinkage is not None:
                lot.settle_weight(context.env.now)
            free = self.capacity_kg - self.occupied_kg
            if lot.kg <= free + EPSILON_KG:
                waiting.popleft()
                self._admit(lot)
                continue
            if free > EPSILON_KG:
                self._admit(context.split(lot, free))
            if overflow is None or overflow.free_kg <= EPSILON_KG:
                break
            if lot.kg <= overflow.free_kg + EPSILON_KG:
                waiting.popleft()
                self._to_overflow(lot)
            else:
                self._to_overflow(context.split(lot, overflow.free_kg))
        if self.back_pressure and (kg > 0 or overflow_kg > 0):
            self.on_space()

    # -- departures -------------------------------------------------------------
    def take(self, product: int, kg: float, issuing: str) -> list[Lot]:
        """Pick up to ``kg`` of ``product`` in ``issuing`` order (splitting the last lot).

        The lots picked lose the weight they lost in store and what picking breaks
        (:meth:`~fieldtotable.model.handling.Handling.pick`): they bring a little less.
        """
        lots = self.stock[product]
        if not lots or kg <= EPSILON_KG:
            return []
        if issuing == "FIFO":
            return self._picked(self._take_front(lots, kg))
        key = self._order_keys.get(issuing)
        if key is None:
            key = self._order_keys[issuing] = issue_order_key(issuing, self.store_for)
        if self.overflow is not None and issuing == "FEFO":
            # Lots in the overflow store age at another temperature: compare them now.
            key = consumed_now_order(self.context.env.now)
        keys = list(map(key, lots))
        if all(map(operator.le, keys, keys[1:])):
            # Already in issuing order (the usual case): a stable sort would move
            # nothing, and the lots left stay in arrival order.
            return self._picked(self._take_front(lots, kg))
        lots.sort(key=key)
        picked = self._take_front(lots, kg)
        # Back to arrival order, which loading vehicles (take_oldest) relies on.
        lots.sort(key=arrival_order)
        return self._picked(picked)

    def _picked(self, lots: list[Lot]) -> list[Lot]:
        """Return lots picked for a market, less what they lost in store and in picking."""
        self.context.handling.pick(lots, self.context.env.now)
        return lots

    def _take_front(self, lots: list[Lot], kg: float) -> list[Lot]:
        """Take up to ``kg`` from the front of one product's stock list."""
        context = self.context
        product = lots[0].product
        overflow = self.overflow
        in_overflow = overflow.lot_ids if overflow is not None else None
        picked: list[Lot] = []
        wanted = kg
        removed_kg = 0.0
        removed_overflow_kg = 0.0
        index = 0
        node_id = self.node_id
        now = context.env.now
        while index < len(lots) and wanted > EPSILON_KG:
            lot = lots[index]
            from_overflow = in_overflow is not None and lot.id in in_overflow
            # The expiry compared first: spoil_if_expired() is a call, and most lots are fresh.
            if lot.expires_at_h <= now and context.spoil_if_expired(lot, node_id):
                removed_kg += lot.kg
                if from_overflow:
                    removed_overflow_kg += lot.kg
                index += 1
                continue
            if lot.kg <= wanted + EPSILON_KG:
                picked.append(lot)
                wanted -= lot.kg
                removed_kg += lot.kg
                if from_overflow:
                    removed_overflow_kg += lot.kg
                index += 1
            else:
                picked.append(context.split(lot, wanted))
                removed_kg += wanted
                if from_overflow:
                    removed_overflow_kg += wanted
                wanted = 0.0
        if in_overflow:
            in_overflow.difference_update(lot.id for lot in lots[:index])
        del lots[:index]
        for lot in picked:
            lot.advance(now)
        if removed_kg:
            self._remove_kg(product, removed_kg, removed_overflow_kg, now)
        return picked

    def _remove_kg(self, product: int, kg: float, overflow_kg: float, now: float) -> None:
        """Book ``kg`` of ``product`` gone from stock (``overflow_kg`` of them from overflow)."""
        overflow = self.overflow
        if overflow is None:
            self._held_kg_h[product] += self.stock_kg[product] * (now - self._held_since[product])
            self._held_since[product] = now
            self.stock_kg[product] -= kg
            self._released(kg)
            return
        self._hold(product, now)
        self.stock_kg[product] -= kg
        overflow.stock_kg[product] -= overflow_kg
        self._released(kg - overflow_kg, overflow_kg)

    def take_oldest(self, products: Iterable[int], kg: float) -> list[Lot]:
        """Pick up to ``kg`` across ``products`` for a vehicle: earliest arrival first.

        A node with a ``priority`` loads in that order instead (:meth:`_take_by_priority`).
        """
        if self.priority is not None:
            return self._take_by_priority(products, kg, self.priority)
        stock = self.stock
        picked: list[Lot] = []
        wanted = kg
        candidates = [p for p in dict.fromkeys(products) if stock[p]]  # each product once
        while wanted > EPSILON_KG and candidates:
            if len(candidates) == 1:  # nothing to interleave
                product = candidates[0]
                bound = math.inf
            else:
                heads = [stock[p][0].arrived_h for p in candidates]
                position = heads.index(min(heads))  # the first of the earliest
                product = candidates[position]
                del heads[position]
                bound = min(heads)  # the next product's head
            lots = stock[product]
            # Take the run of this product's lots that arrived before the next product's head.
            run_kg = 0.0
            for lot in lots:
                if lot.arrived_h > bound or run_kg >= wanted:
                    break
                run_kg += lot.kg
            # A run below the kg resolution (lots of a few micrograms) is taken whole:
            # asking _take_front for under EPSILON_KG takes nothing, and this loop and the
            # leg's dispatch would then retry it for ever.
            take = min(max(run_kg, 2 * EPSILON_KG), wanted) if run_kg > 0 else wanted
            got = self._take_front(lots, take)
            picked.extend(got)
            wanted -= sum(map(_KG, got))  # the same sum, in the same order, as a generator
            candidates = [p for p in candidates if stock[p]]
        return picked

    def oldest_arrival_h(self, products: Iterable[int]) -> float:
        """Arrival time of the oldest lot in stock among ``products`` (inf if none)."""
        heads = [self.stock[p][0].arrived_h for p in products if self.stock[p]]
        return min(heads) if heads else float("inf")

    def kg_of(self, products: Iterable[int]) -> float:
        """Kg in stock of ``products``."""
        return sum(map(self.stock_kg.__getitem__, products))

    # -- inspection -------------------------------------------------------------
    def inspect(self) -> None:
        """Daily inspection: remove every expired lot in stock or waiting."""
        context = self.context
        self._hold_until(context.env.now)
        overflow = self.overflow
        freed = 0.0
        freed_overflow = 0.0
        node_id = self.node_id
        now = context.env.now
        for lots in self.stock:
            # Most days nothing in a product's stock has expired: one pass, no calls.
            if not lots or all(lot.expires_at_h > now for lot in lots):
                continue
            kept = []
            for lot in lots:
                if context.spoil_if_expired(lot, node_id):
                    self.stock_kg[lot.product] -= lot.kg
                    if overflow is not None and lot.id in overflow.lot_ids:
                        overflow.lot_ids.discard(lot.id)
                        overflow.stock_kg[lot.product] -= lot.kg
                        freed_overflow += lot.kg
                    else:
                        freed += lot.kg
                else:
                    kept.append(lot)
            if len(kept) < len(lots):
                lots[:] = kept
        if self.waiting:
            self.waiting = deque(
                lot for lot in self.waiting if not context.spoil_if_expired(lot, node_id)
            )
        if freed or freed_overflow:
            self._released(freed, freed_overflow)

    # -- what the money KPIs price ------------------------------------------------
    def _hold_until(self, now: float) -> None:
        """Bring the kg-hours held of every product up to ``now``."""
        if self.overflow is not None:
            for product in range(len(self.stock_kg)):
                self._hold(product, now)
            return
        held_since = zip(self._held_kg_h, self.stock_kg, self._held_since, strict=True)
        self._held_kg_h = [held + kg * (now - since) for held, kg, since in held_since]
        self._held_since = [now] * len(self.stock_kg)

    def close_day(self, day: int) -> None:
        """Book the day's kg-hours held and kg received in the ledger; start afresh.

        Parameters
        ----------
        day
            The day ending now (the world calls this at the end of every day).
        """
        self._hold_until(self.context.env.now)
        tables = self.context.ledger.place_table(self.node_id)
        held, received = tables["held_kg_h"], tables["received_kg"]
        # Products that held or received nothing are skipped: adding 0 changes no cell.
        for product, kg_h in enumerate(self._held_kg_h):
            if kg_h:
                # A stock emptied by subtraction can sit a rounding error below 0 kg; it
                # held nothing, and must not price as a negative cost.
                held[product][day] += max(kg_h, 0.0)
        for product, kg in enumerate(self._received_kg):
            if kg:
                received[product][day] += kg
        count = len(self._held_kg_h)
        self._held_kg_h = [0.0] * count
        self._received_kg = [0.0] * count
        overflow = self.overflow
        if overflow is not None:
            held, received = tables["overflow_held_kg_h"], tables["overflow_received_kg"]
            for product, kg_h in enumerate(overflow.held_kg_h):
                held[product][day] += max(kg_h, 0.0)
                received[product][day] += overflow.received_kg[product]
            overflow.held_kg_h = [0.0] * count
            overflow.received_kg = [0.0] * count

    def stats(self) -> dict[str, float]:
        """Return the store's ``by_node`` statistics (whole horizon).

        Returns
        -------
        dict of str to float
            ``peak_stock_kg``, ``capacity_kg``, ``overflow_kg`` (kg that found the
            store full), ``refused_kg`` (turned away at the door, or at a collection
            point's gate), ``overflow_store_kg`` (moved into the rented overflow store)
            and ``peak_overflow_store_kg``.
        """
        overflow = self.overflow
        return {
            "peak_stock_kg": self.peak_occupied_kg,
            "capacity_kg": self.capacity_kg,
            "overflow_kg": self.context.ledger.overflow_kg.get(self.node_id, 0.0),
            "refused_kg": self.refused_kg,
            "overflow_store_kg": overflow.moved_in_kg if overflow is not None else 0.0,
            "peak_overflow_store_kg": overflow.peak_occupied_kg if overflow is not None else 0.0,
        }

    @property
    def held_kg(self) -> float:
        """Kg at this node: in storage (and its overflow store) plus waiting outside."""
        held = self.occupied_kg + sum(lot.kg for lot in self.waiting)
        if self.overflow is not None:
            held += self.overflow.occupied_kg
        return held
