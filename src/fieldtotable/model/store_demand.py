"""A shop's customers: their daily counts, and the hour slots at which the shop wakes.

The demand process (unchanged by the event scheme): each product's customers of a day
are one draw of ``customers_per_day`` (scaled by the weekday, the month and the
scenario's scale), spread over the opening-hour slots by one multinomial draw (slot
weights = slot lengths; for a Poisson count this is a Poisson process over the
opening hours), each customer's kg drawn once per day in one vector draw. All of it
comes from the stream ``market, <id>, <product>``, once per day.

The event scheme (:class:`~.market.StoreProcess`): the shop wakes at the middle of a
slot only when the slot has work -- a customer of some product, or stock on the shelf
that has expired by then (:func:`first_slot_at_or_after`). An empty slot without
expired stock did nothing under the hour-by-hour scheme, so skipping it changes no
draw and no booking: a shop's event cost follows its customers.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fieldtotable.scenario.distributions import Distribution, make_sampler


def expected_daily_kg(demand: Any, scale: float) -> list[float]:
    """Return the expected kg per day in each month (weekday factors averaged)."""
    base = demand.customers_per_day.expected * demand.kg_per_customer.expected
    weekday_mean = sum(demand.weekday_factors) / 7
    return [base * weekday_mean * factor * scale for factor in demand.season]


def count_sampler(distribution: Distribution, rng: np.random.Generator) -> Callable[[float], int]:
    """Integer customer counts scaled by a factor (Poisson scaled exactly)."""
    if distribution.dist == "poisson":
        mean = distribution.expected
        return lambda factor: int(rng.poisson(mean * factor)) if factor > 0 else 0
    draw = make_sampler(distribution, rng)

    def count(factor: float) -> int:
        value = draw() * factor
        whole = math.floor(value)
        return whole + int(rng.random() < value - whole)  # unbiased rounding

    return count


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
