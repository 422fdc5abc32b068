"""A run's KPIs month by month or week by week: the within-run series that tails need.

"CVaR95 of monthly spoilage" and "the share of weeks with fill rate under 90 %" are
statistics of a KPI per period inside a run. :func:`period_series` computes them from
the run's daily series (``RunResult.daily``), over the measured days (after the
warm-up), keeping only *complete* periods so that every value covers the same length
of time:

* ``month``: calendar months (from the scenario's ``start_date``; without one, blocks
  of 30 days);
* ``week``: consecutive blocks of 7 days from the first measured day.

A ratio KPI is the ratio of its parts' sums over the period (monthly spoilage is the
month's spoiled kg over its harvested kg), not the mean of daily ratios; any daily
series (``sold_kg``, ``sold_value_cny``, ...) is summed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from fieldtotable.results.run import RunResult

__all__ = ["PERIODS", "RATIO_PARTS", "PeriodValue", "period_keys", "period_series"]

PERIODS = ("month", "week")
"""The periods a series can be cut into."""

RATIO_PARTS: dict[str, tuple[str, str]] = {
    "spoilage_rate": ("spoiled_kg", "harvested_kg"),
    "fill_rate": ("sold_kg", "demand_kg"),
}
"""Ratio KPIs with a period form: numerator and denominator daily series."""

_DAYS_PER_BLOCK = {"week": 7, "month": 30}


@dataclass(frozen=True)
class PeriodValue:
    """One period's value of a KPI.

    Attributes
    ----------
    label
        ``2023-07`` (month) or ``week 5`` (week, counted from the first measured day).
    first_day
        Index of the period's first day in the run's daily series.
    days
        Days in the period.
    value
        The KPI over the period (NaN for a ratio whose denominator is 0).
    """

    label: str
    first_day: int
    days: int
    value: float


def period_keys(run: RunResult) -> tuple[str, ...]:
    """Return the KPI keys :func:`period_series` accepts for ``run``.

    Parameters
    ----------
    run
        A finished run.

    Returns
    -------
    tuple of str
        The ratio KPIs of :data:`RATIO_PARTS` whose parts the run has, then every
        daily series.
    """
    ratios = [key for key, parts in RATIO_PARTS.items() if all(p in run.daily for p in parts)]
    return (*ratios, *run.daily)


def _blocks(run: RunResult, period: str) -> list[tuple[str, int, int]]:
    first, last = run.warmup_days, run.horizon_days
    if period == "month" and run.start_date is not None:
        blocks = []
        day = first
        while day < last:
            date = run.start_date + dt.timedelta(days=day)
            following = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            length = (following - date).days
            # A complete month starts on its first and ends inside the horizon.
            if date.day == 1 and day + length <= last:
                blocks.append((f"{date:%Y-%m}", day, length))
            day += length
        return blocks
    size = _DAYS_PER_BLOCK[period]
    name = "week" if period == "week" else "block"
    return [
        (f"{name} {number + 1}", start, size)
        for number, start in enumerate(range(first, last - size + 1, size))
    ]


def period_series(run: RunResult, key: str, period: str) -> list[PeriodValue]:
    """Return a KPI per complete month or week of a run's measured days.

    Parameters
    ----------
    run
        A finished run.
    key
        A ratio KPI of :data:`RATIO_PARTS` or a daily series of ``run.daily``.
    period
        ``month`` or ``week``.

    Returns
    -------
    list of PeriodValue
        One value per complete period, in time order (empty when none is complete).

    Raises
    ------
    ValueError
        If the period or the key is unknown.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be 'month' or 'week', got {period!r}")
    if key in RATIO_PARTS:
        numerator, denominator = RATIO_PARTS[key]
    elif key in run.daily:
        numerator, denominator = key, ""
    else:
        known = ", ".join(period_keys(run))
        raise ValueError(f"{key!r} has no {period}ly series (known: {known})")
    top = run.daily[numerator]
    bottom = run.daily[denominator] if denominator else None
    series = []
    for label, first_day, days in _blocks(run, period):
        total = math.fsum(top[first_day : first_day + days])
        if bottom is not None:
            base = math.fsum(bottom[first_day : first_day + days])
            total = total / base if base > 0 else math.nan
        series.append(PeriodValue(label, first_day, days, total))
    return series
