"""Limits on what a scenario's fields give together: dates, customers per day, table sizes.

Each field of a scenario has its own bounds (:mod:`.limits`); a few quantities the
model derives from several fields need a check of their own, so that a scenario that
passes validation cannot run past the calendar's end (9999-12-31) or ask for arrays
that do not fit in memory:

* the calendar: ``start_date`` plus ``horizon_days`` (and the few days the model
  tabulates past the horizon) must end by 9999-12-31;
* customers: a store's expected customers per day for one product at the peak
  (mean x largest weekday factor x largest season factor x ``scale``) at most
  :data:`~.limits.MAX_CUSTOMERS_PER_DAY` (each customer's kg is one array entry);
* ambient tables: the model tabulates the shelf-life rate of every product in every
  climate region for every hour of the horizon; at most
  :data:`MAX_AMBIENT_TABLE_ENTRIES` entries;
* work: the events, customers, daily series and routes a run would take, estimated
  by :mod:`.work`, within its limits (a run of minutes, not hours).

:func:`size_problems` returns what is wrong as ``(loc, message, value)`` triples; the
:class:`~fieldtotable.scenario.schema.Scenario` model reports each one at its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fieldtotable.scenario.limits import MAX_CUSTOMERS_PER_DAY
from fieldtotable.scenario.work import work_problems

__all__ = [
    "CALENDAR_MARGIN_DAYS",
    "MAX_AMBIENT_TABLE_ENTRIES",
    "date_problem",
    "last_start_date",
    "size_problems",
]

CALENDAR_MARGIN_DAYS = 7
"""Days past the horizon the calendar must still reach (the model tabulates two)."""
MAX_AMBIENT_TABLE_ENTRIES = 20_000_000
"""Most products x climate regions x hours of the horizon (16 bytes an entry)."""

Loc = tuple[str | int, ...]


def last_start_date(horizon_days: int) -> dt.date:
    """Return the latest ``start_date`` a run of ``horizon_days`` days may have.

    Parameters
    ----------
    horizon_days
        Days simulated.

    Returns
    -------
    datetime.date
        9999-12-31 less the horizon and :data:`CALENDAR_MARGIN_DAYS`.
    """
    return dt.date.max - dt.timedelta(days=horizon_days + CALENDAR_MARGIN_DAYS)


def date_problem(start_date: dt.date, horizon_days: int) -> str | None:
    """Return what is wrong with a run of ``horizon_days`` from ``start_date``, or None.

    Parameters
    ----------
    start_date
        Date of day 0.
    horizon_days
        Days simulated.

    Returns
    -------
    str or None
        A message for ``start_date``, or ``None`` when the calendar reaches far enough.
    """
    latest = last_start_date(horizon_days)
    if start_date <= latest:
        return None
    return (
        f"must be {latest.isoformat()} or earlier for a horizon of {horizon_days} days "
        "(dates end at 9999-12-31)"
    )


def _customer_problems(markets: Mapping[str, Any], scale: float) -> list[tuple[Loc, str, Any]]:
    problems: list[tuple[Loc, str, Any]] = []
    for market_id, market in markets.items():
        demand = getattr(market, "demand", None)
        if getattr(market, "kind", None) != "store" or not isinstance(demand, Mapping):
            continue
        for product_id, entry in demand.items():
            mean = entry.customers_per_day.expected
            weekday, season = max(entry.weekday_factors), max(entry.season)
            peak = mean * weekday * season * scale
            if peak > MAX_CUSTOMERS_PER_DAY:
                problems.append(
                    (
                        ("markets", market_id, "demand", product_id, "customers_per_day"),
                        f"must expect at most {MAX_CUSTOMERS_PER_DAY:g} customers a day at "
                        f"the peak (mean {mean:g} x weekday factor {weekday:g} x season "
                        f"factor {season:g} x scale {scale:g})",
                        float(f"{peak:.4g}"),
                    )
                )
    return problems


def size_problems(scenario: Any) -> list[tuple[Loc, str, Any]]:
    """Return the limits a validated scenario's fields break together.

    Parameters
    ----------
    scenario
        A :class:`~fieldtotable.scenario.schema.Scenario` whose fields are each valid.

    Returns
    -------
    list of (loc, message, value)
        The field path to report at, what is wrong, and the value to show (``None``
        for none); empty when all is well.
    """
    problems: list[tuple[Loc, str, Any]] = []
    message = date_problem(scenario.start_date, scenario.horizon_days)
    if message is not None:
        problems.append((("start_date",), message, scenario.start_date))
    problems += _customer_problems(scenario.markets, scenario.scale)
    hours = (scenario.horizon_days + 2) * 24
    entries = len(scenario.products) * len(scenario.climate) * hours
    if entries > MAX_AMBIENT_TABLE_ENTRIES:
        problems.append(
            (
                ("climate",),
                f"too many regions for the run: products x climate regions x hours "
                f"({len(scenario.products)} x {len(scenario.climate)} x {hours}) must be at "
                f"most {MAX_AMBIENT_TABLE_ENTRIES:g} shelf-life table entries; remove "
                "unused regions or shorten the horizon",
                entries,
            )
        )
    if not problems:
        problems += work_problems(scenario)
    return problems
