"""A shop's customers: their daily counts, and the hour slots at which the shop wakes.

The demand process (unchanged by the event scheme): each product's customers of a day
are one draw of ``customers_per_day`` (scaled by the weekday, the month and the
scenario's scale), spread over the opening-hour slots by one multinomial draw (slot
weights = slot lengths; for a Poisson count this is a Poisson process over the
opening hours), each customer's kg one draw of ``kg_per_customer``. All of it comes
from the stream ``market, <id>, <product>``, drawn :data:`~.context.BLOCK_DAYS` days at a time
(:class:`DemandDraws`): the days' counts in one vector, their slots in one
multinomial, their customers' kg in one vector. The draws of a day are independent
of those of other days whatever the block, so the block changes which numbers a
seed gives, not the process; a block of one day is the first scheme, draw for draw
(``tests/model/test_demand_blocks.py``).

The event scheme (:class:`~.market.StoreProcess`): the shop wakes at the middle of a
slot only when the slot has work -- a customer of some product, or stock on the shelf
that has expired by then (:func:`first_slot_at_or_after`). An empty slot without
expired stock did nothing under the hour-by-hour scheme, so skipping it changes no
draw and no booking: a shop's event cost follows its customers.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from fieldtotable.errors import ScenarioError
from fieldtotable.model.context import BLOCK_DAYS, Calendar, DayBlocks
from fieldtotable.scenario.distributions import make_vector_sampler
from fieldtotable.scenario.limits import MAX_CUSTOMERS_DRAWN

#: Most customers whose kg are drawn in one vector (days with more are drawn alone).
CHUNK_CUSTOMERS = 1 << 20
#: A chunk's customers of a product up to which a constant kg per customer is summed in
#: Python, not NumPy (same numbers; a few list operations cost less than NumPy's calls).
FEW_CUSTOMERS = 64


def expected_daily_kg(demand: Any, scale: float) -> list[float]:
    """Return the expected kg per day in each month (weekday factors averaged)."""
    base = demand.customers_per_day.expected * demand.kg_per_customer.expected
    weekday_mean = sum(demand.weekday_factors) / 7
    return [base * weekday_mean * factor * scale for factor in demand.season]


def slot_midpoints(slots: Sequence[tuple[float, float]]) -> list[float]:
    """Return the hour of day at the middle of each slot (the time its customers are served)."""
    return [(start + end) / 2 for start, end in slots]


def first_slot_at_or_after(time_h: float, midpoints: Sequence[float]) -> float:
    """Return the first slot middle at or after ``time_h`` (hours since the start).

    The time is computed as ``day * 24 + midpoint``, the expression the shop's sales
    process uses, so that comparisons with its wake-up times are exact.
    """
    day = max(math.floor(time_h / 24) - 1, 0)  # one day early: rounding at midnight
    while True:
        for midpoint in midpoints:
            at = day * 24 + midpoint
            if at >= time_h:
                return at
        day += 1


def first_slot_of_day_at_or_after(time_h: float, base: float, midpoints: Sequence[float]) -> int:
    """Return the index of the first slot of the day starting at ``base`` whose middle is >= time_h.

    ``len(midpoints)`` when no slot of that day is. The times compared are
    ``base + midpoint``, as everywhere a slot's time is computed.
    """
    index = bisect.bisect_left(midpoints, time_h - base)
    # time_h - base can round the other way than base + midpoint: settle both ways.
    while index > 0 and base + midpoints[index - 1] >= time_h:
        index -= 1
    while index < len(midpoints) and base + midpoints[index] < time_h:
        index += 1
    return index


#: A day's draw: the kg wanted in each slot, and the slots with kg (``None``: no customer).
DayDraw = tuple[list[float], list[int]] | None


class DemandDraws(DayBlocks[DayDraw]):
    """One product's customers at a shop, drawn :data:`~.context.BLOCK_DAYS` days at a time.

    For a block of days, in this order on the stream: the days' counts (one vector,
    then one vector of uniforms for rounding unless the count is Poisson), their
    spread over the slots (one multinomial with a row per day), and their customers'
    kg, day after day (vectors of up to :data:`CHUNK_CUSTOMERS`). Days of a block
    past the horizon get counts and slots but no kg (they come last on the stream), so
    a shorter horizon sees the same demand on its days. A slot's kg is the difference
    of the running sums of the vector at its end and at the previous busy slot's end
    (``np.cumsum`` adds left to right, as :func:`itertools.accumulate` does for a
    constant kg).

    Parameters
    ----------
    product
        The product's index.
    demand
        Its scenario entry (``customers_per_day``, ``kg_per_customer``, factors).
    rng
        The stream ``market, <id>, <product>``.
    scale
        The scenario's scale.
    calendar
        The run's calendar (days past it are dated from its start).
    slot_shares
        Each slot's share of the opening hours (the multinomial's probabilities).
    opening_h, horizon_h
        The first slot's start in a day, and the run's end: a day is served when
        ``day * 24 + opening_h < horizon_h``.
    path
        The demand's path in the scenario (for the error of an impossible draw).
    block_days
        Days drawn at a time (1: the per-day scheme, for tests).
    """

    def __init__(
        self,
        product: int,
        demand: Any,
        rng: np.random.Generator,
        *,
        scale: float,
        calendar: Calendar,
        slot_shares: np.ndarray,
        opening_h: float,
        horizon_h: float,
        path: str,
        block_days: int = BLOCK_DAYS,
    ) -> None:
        super().__init__(calendar, block_days)
        self.product = product
        self.demand = demand
        self.rng = rng
        self.scale = scale
        self.slot_shares = slot_shares
        self.slots = len(slot_shares)
        self.opening_h = opening_h
        self.horizon_h = horizon_h
        self.path = path
        counts = demand.customers_per_day
        self.poisson_mean = float(counts.expected) if counts.dist == "poisson" else None
        # Poisson counts are drawn with their day's mean directly: no sampler needed.
        self.count_values = (
            None if self.poisson_mean is not None else make_vector_sampler(counts, rng)
        )
        self.kg_values = make_vector_sampler(demand.kg_per_customer, rng)
        kg = demand.kg_per_customer
        self.constant_kg = max(float(kg.value), 0.0) if kg.dist == "constant" else None

    def _factors(self, days: range) -> list[float]:
        """Return the days' demand factors: weekday x season x the scenario's scale."""
        calendar = self.calendar
        months, weekdays = calendar.month, calendar.weekday
        weekday_factors, season, scale = self.demand.weekday_factors, self.demand.season, self.scale
        factors = []
        for day in days:
            if day < len(months):  # calendar.month_and_weekday(), inlined
                month, weekday = months[day], weekdays[day]
            else:
                month, weekday = calendar.month_and_weekday(day)
            factors.append(weekday_factors[weekday] * season[month - 1] * scale)
        return factors

    def _counts(self, factors: list[float]) -> list[int]:
        """Draw the days' customer counts (a Poisson mean scaled exactly, others rounded)."""
        if self.poisson_mean is not None:
            mean = self.poisson_mean
            means = [mean * factor if factor > 0 else 0.0 for factor in factors]
            counts: list[int] = self.rng.poisson(means).tolist()
            return counts
        assert self.count_values is not None  # built for every count that is not Poisson
        values = self.count_values(len(factors)).tolist()
        uniforms = self.rng.random(len(factors)).tolist()
        counts = []
        for value, factor, uniform in zip(values, factors, uniforms, strict=True):
            scaled = value * factor
            whole = math.floor(scaled)
            counts.append(whole + int(uniform < scaled - whole))  # unbiased rounding
        return counts

    def _draw_block(self, first_day: int) -> list[DayDraw]:
        """Return the draws of the block of days starting at ``first_day``."""
        days = range(first_day, first_day + self.block_days)
        counts = self._counts(self._factors(days))
        served = 0  # the block's days that are served (the others draw no kg)
        for day in days:
            if not day * 24 + self.opening_h < self.horizon_h:
                break
            if counts[served] > MAX_CUSTOMERS_DRAWN:
                raise self._too_many(counts[served], day)
            served += 1
        rows = self.rng.multinomial(counts, self.slot_shares)  # a row per day
        drawn: list[DayDraw] = [None] * len(counts)
        start = 0
        while start < served:
            end, total = start + 1, counts[start]
            while end < served and total + counts[end] <= CHUNK_CUSTOMERS:
                total += counts[end]
                end += 1
            if total:
                self._fill(drawn, rows, start, end, total)
            start = end
        return drawn

    def _fill(
        self,
        drawn: list[DayDraw],
        rows: np.ndarray,
        start: int,
        end: int,
        total: int,
    ) -> None:
        """Draw the kg of the block's days ``start:end`` (``total`` customers) into ``drawn``.

        ``rows`` is the block's multinomial draw, a row of customers per slot for each day.
        """
        # The busy slots, day by day and slot by slot: the order of the kg vector.
        chunk = rows[start:end]
        days, slots = chunk.nonzero()
        ends = chunk[days, slots].cumsum() - 1  # each one's last customer
        constant_kg = self.constant_kg
        if constant_kg is not None and total <= FEW_CUSTOMERS:
            # A constant kg draws nothing: the running sums NumPy would give, added here.
            running = list(itertools.accumulate([constant_kg] * total, initial=0.0))
            sums = [running[last + 1] for last in ends.tolist()]
        else:
            draws = self.kg_values(total) if constant_kg is None else np.full(total, constant_kg)
            sums = draws.cumsum().take(ends).tolist()
        slot_count = self.slots
        day_of_slot = -1
        slot_kg: list[float] = []
        busy: list[int] = []
        previous = 0.0
        # Only busy slots are visited: a shop with few customers costs few steps here.
        for day, slot, running_kg in zip(days.tolist(), slots.tolist(), sums, strict=True):
            if day != day_of_slot:  # the day's first busy slot
                day_of_slot = day
                slot_kg = [0.0] * slot_count
                busy = []
                drawn[start + day] = (slot_kg, busy)
            # The slot's kg: its running sum less the previous busy slot's.
            kg = running_kg - previous
            previous = running_kg
            slot_kg[slot] = kg
            if kg > 0:
                busy.append(slot)

    def _too_many(self, customers: int, day: int) -> Exception:
        """Return the error for a day's draw of more customers than memory allows."""
        return ScenarioError.single(
            f"drew {customers:,} customers on day {day}, more than {MAX_CUSTOMERS_DRAWN:,} "
            "(each is one array entry); lower the mean or the spread",
            path=f"{self.path}.customers_per_day",
        )
