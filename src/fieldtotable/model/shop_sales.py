"""A shop's customers served slot by slot: by catching up when the shop is touched, or by events.

The demand process is drawn as :mod:`.store_demand` states (per product and day, a
count of customers, a multinomial over the hour slots, a kg per customer), and each
slot's customers are served at the middle of the slot from the shelf in the issuing
order, expired stock cleared first. What differs is only *when the program does it*
(``StoreProcess.sales_scheme``):

``catch_up`` (the default)
    No event at all. Nothing outside the shop sees its shelf between the moments
    that touch it -- the daily review, a delivery, the end-of-day stock count -- and
    a lot on the shelf ages along a known path, so the slots are served when the
    next of those moments comes, each at its own slot time: sales, their prices and
    remaining shelf life, and spoilage are booked at the same times, with the same
    numbers and in the same order as if the shop had woken at every slot. Slots
    strictly before the moment are served first; a slot at the very same time is
    served after it (a review or delivery scheduled earlier goes first).
``sparse``
    A SimPy event at every slot with a customer or with expired stock on the shelf.
``every_slot``
    An event at every slot (the first scheme).

The three give the same results to the last bit (``tests/model/test_store_wakeups.py``);
the last two remain as references for that test.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import simpy

from fieldtotable.model.context import BLOCK_DAYS
from fieldtotable.model.lot import Lot
from fieldtotable.model.storage import EPSILON_KG
from fieldtotable.model.store_demand import (
    DemandDraws,
    first_slot_at_or_after,
    first_slot_of_day_at_or_after,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from fieldtotable.model.context import Context
    from fieldtotable.scenario.schema import Store


class LotSeller(Protocol):
    """What books a shop's sales (:class:`~.market.Seller`)."""

    def sell(self, lot: Lot, kg: float, time_h: float | None = None) -> None:
        """Sell ``kg`` of ``lot`` at ``time_h``."""


#: A day's plan: per product with customers, the kg wanted in each slot.
DayPlan = list[tuple[int, list[float]]]
SALES_SCHEMES = ("catch_up", "sparse", "every_slot")
__all__ = ["SALES_SCHEMES", "DayPlan", "LotSeller", "ShopSales"]


class ShopSales:
    """The sales half of :class:`~.market.StoreProcess` (which sets these attributes)."""

    sales_scheme: ClassVar[str] = "catch_up"
    """How slots are served (see the module); the other schemes exist for tests."""
    demand_block_days: ClassVar[int] = BLOCK_DAYS
    """Days of demand drawn at a time (:class:`~.store_demand.DemandDraws`; 1, the
    per-day scheme, exists for tests)."""

    context: Context
    market_id: str
    config: Store
    seller: LotSeller
    scale: float
    shelf: list[list[Lot]]
    shelf_kg: list[float]
    next_expiry_h: float
    wake_h: float
    sort_key: Callable[[Lot], float]
    slots: list[tuple[float, float]]
    slot_midpoints: list[float]
    demand_draws: list[DemandDraws]

    def _start_sales(self) -> None:
        """Look up the ledger's tables and start serving (a process unless catching up)."""
        ledger = self.context.ledger
        market_table = ledger.market_table(self.market_id)
        self._books = (
            ledger.daily["demand"], ledger.daily["lost_sales"],
            market_table["demand"], market_table["lost_sales"], ledger.horizon_days - 1,
        )  # fmt: skip
        self.catching_up = self.sales_scheme == "catch_up"
        self.sorts_shelf = self.config.issuing != "FIFO"  # FIFO: the shelf is in order
        # Catch-up state: the day being served, its plan, busy slots and next slot.
        self._day = 0
        self._plan: DayPlan | None = None
        self._busy: list[int] = []
        self._next_busy = 0
        self._next_slot = 0
        self._sales_over = False
        if not self.catching_up:
            self.context.env.process(self._sales())

    # -- the day's demand ---------------------------------------------------------
    def _draw_day(self, day: int) -> tuple[DayPlan, list[int]]:
        """Return day ``day``'s plan (the kg wanted per product and slot) and busy slots."""
        plan: DayPlan = []
        busy: set[int] = set()
        for draws in self.demand_draws:
            drawn = draws.day(day)
            if drawn is not None:
                slot_kg, busy_slots = drawn
                plan.append((draws.product, slot_kg))
                busy.update(busy_slots)
        return plan, sorted(busy)

    # -- catching up --------------------------------------------------------------
    def catch_up(self, until_h: float) -> None:
        """Serve every slot with work whose middle is before ``until_h`` (catch-up scheme).

        Called before anything reads or changes the shelf; does nothing in the other
        schemes.
        """
        if not self.catching_up or self._sales_over:
            return
        horizon_h = self.context.horizon_h
        midpoints = self.slot_midpoints
        slots = len(midpoints)
        last_midpoint = midpoints[-1]
        opening = self.slots[0][0]
        # The state in locals while serving, stored back on the way out.
        day, plan, busy, pointer, next_slot = (
            self._day, self._plan, self._busy, self._next_busy, self._next_slot
        )  # fmt: skip
        try:
            while True:
                base = day * 24
                if plan is None:
                    if base + opening >= horizon_h:
                        self._sales_over = True
                        return
                    plan, busy = self._draw_day(day)
                    busy.append(slots)  # a sentinel: no length checks below
                    pointer = next_slot = 0
                while True:
                    # The next slot with work: the next busy one, or an earlier one at or
                    # after the shelf's first expiry (it only clears expired stock).
                    slot = busy[pointer]
                    expiry = self.next_expiry_h
                    if expiry < base + 24:
                        first = first_slot_of_day_at_or_after(expiry, base, midpoints)
                        if first < slot:
                            slot = first if first > next_slot else next_slot
                    if slot >= slots:
                        if not base + last_midpoint < until_h:
                            return  # the day's last slots are ahead: a delivery may bring work
                        break
                    at = base + midpoints[slot]
                    if at >= horizon_h:
                        self._sales_over = True
                        return
                    if not at < until_h:
                        return
                    self._serve_slot(at, slot, plan)
                    next_slot = slot + 1
                    if busy[pointer] == slot:
                        pointer += 1
                day += 1
                plan = None
        finally:
            self._day, self._plan, self._busy, self._next_busy, self._next_slot = (
                day, plan, busy, pointer, next_slot
            )  # fmt: skip

    # -- the event schemes ----------------------------------------------------------
    def _sales(self) -> Generator[simpy.Event, Any, None]:
        """Serve the slots by waking at them (``sparse`` and ``every_slot`` schemes)."""
        context = self.context
        env = context.env
        every_slot = self.sales_scheme == "every_slot"
        day = 0
        while True:
            if day * 24 + self.slots[0][0] >= context.horizon_h:
                self.wake_h = float("inf")
                return
            plan, busy = self._draw_day(day)
            busy_slots = set(busy)
            for slot, midpoint in enumerate(self.slot_midpoints):
                at = day * 24 + midpoint
                if at >= context.horizon_h:
                    self.wake_h = float("inf")
                    return
                if slot not in busy_slots and at < self.next_expiry_h and not every_slot:
                    continue  # nothing to sell, nothing expired: no event
                self.wake_h = at
                yield env.timeout(at - env.now)
                self._serve_slot(env.now, slot, plan)
            day += 1

    def _clear_at_slot(self, expires_h: float) -> None:
        """Clear expired stock at the first slot after ``expires_h`` if the shop sleeps past it.

        The ``sparse`` scheme decides which slots to wake at when it draws a day; a lot
        that arrives later and expires before the next wake-up needs a timer.
        """
        at = first_slot_at_or_after(expires_h, self.slot_midpoints)
        if at < self.wake_h and at < self.context.horizon_h:
            timer = self.context.env.timeout(at - self.context.env.now)
            timer.callbacks.append(lambda _event: self._remove_expired(at))

    # -- one slot -----------------------------------------------------------------
    def _serve_slot(self, now: float, slot: int, plan: DayPlan) -> None:
        """Clear expired stock, then serve the slot's customers of every product at ``now``."""
        if not now < self.next_expiry_h:  # what _remove_expired() checks first
            self._remove_expired(now)
        demand_kg, lost_sales_kg, market_demand, market_lost_sales, last_day = self._books
        # ledger.demand() and ledger.lost_sale(), inlined: this loop runs per product
        # and busy slot, the most frequent model step of a run.
        day = int(now // 24)
        ledger_day = day if day <= last_day else last_day  # min(), without the call
        serve = self._serve
        for product, wanted_by_slot in plan:
            wanted = wanted_by_slot[slot]
            if wanted <= 0:
                continue
            demand_kg[product][ledger_day] += wanted
            market_demand[ledger_day] += wanted
            sold = serve(product, wanted, now)
            if wanted - sold > EPSILON_KG:
                lost_sales_kg[product][ledger_day] += wanted - sold
                market_lost_sales[ledger_day] += wanted - sold

    def _remove_expired(self, now: float) -> None:
        """Take every lot whose shelf life ran out by ``now`` off the shelf, as spoiled."""
        if now < self.next_expiry_h:
            return
        context = self.context
        next_expiry = float("inf")
        for product, lots in enumerate(self.shelf):
            if lots and any(lot.expires_at_h <= now for lot in lots):
                kept = [
                    lot for lot in lots if not context.spoil_if_expired(lot, self.market_id, now)
                ]
                self.shelf_kg[product] = sum(lot.kg for lot in kept)
                lots[:] = kept
            for lot in lots:
                next_expiry = min(next_expiry, lot.expires_at_h)
        self.next_expiry_h = next_expiry

    def _serve(self, product: int, wanted: float, now: float) -> float:
        """Sell up to ``wanted`` kg from the shelf at ``now`` in issuing order; return kg sold."""
        lots = self.shelf[product]
        if not lots:
            return 0.0
        if len(lots) > 1 and self.sorts_shelf:
            lots.sort(key=self.sort_key)
        sold = 0.0
        emptied = 0
        sell = self.seller.sell
        live = self.context.live
        for lot in lots:
            rest = wanted - sold
            take = rest if rest < lot.kg else lot.kg  # min(lot.kg, rest)
            if take <= EPSILON_KG:
                break
            if now > lot.updated_h:  # lot.advance(now), inlined
                lot.consumed += lot.environment.consumed(lot.product, lot.updated_h, now)
                lot.updated_h = now
            if lot.shrinkage is not None:  # the weight lost on the shelf, before it is sold
                self.shelf_kg[product] -= lot.shrinkage.settle(lot, now)
                take = rest if rest < lot.kg else lot.kg
            sell(lot, take, now)
            sold += take
            lot.kg -= take
            if lot.kg <= EPSILON_KG:
                emptied += 1
                del live[lot.id]  # context.remove(lot)
            else:
                break
        del lots[:emptied]
        left = self.shelf_kg[product] - sold
        self.shelf_kg[product] = 0.0 if left < 0.0 else left  # max(left, 0.0), without the call
        return sold
