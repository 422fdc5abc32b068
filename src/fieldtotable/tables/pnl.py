"""The profit-and-loss of a run as a plain-text table: money lines down, markets across.

The lines are the money keys of the registry's ``by_market`` section
(:data:`~fieldtotable.results.money.MARKET_MONEY_FIELDS`: revenue, each cost line, total
cost, profit, margin); the columns are the markets and the channel (its KPIs of the
same keys). Presentation only: every number is already in the result.
"""

from __future__ import annotations

from fieldtotable.results.fields import KPIS
from fieldtotable.results.money import MARKET_MONEY_FIELDS
from fieldtotable.results.run import RunResult
from fieldtotable.tables.format import display_unit, format_number, format_table

__all__ = ["MONEY_KEYS", "format_pnl"]

MONEY_KEYS = frozenset(found.key for found in MARKET_MONEY_FIELDS)
"""The ``by_market`` keys this table shows (the by-market table leaves them out)."""


def format_pnl(result: RunResult, *, width: int | None = None) -> str:
    """Tabulate each market's P&L and the channel's.

    Parameters
    ----------
    result
        A finished run.
    width
        Columns to fit (``None``: no limit).

    Returns
    -------
    str
        One row per money line (revenue, the seven cost lines, total cost, profit,
        margin) with its unit, one column per market and a last column ``channel``.
    """
    markets = list(result.by_market)
    rows = []
    for found in MARKET_MONEY_FIELDS:
        unit = display_unit(found.key, found.unit)
        channel = result.kpis.get(found.key)
        rows.append(
            [
                found.key,
                unit,
                *(format_number(result.by_market[m].get(found.key), unit) for m in markets),
                format_number(channel, unit) if found.key in KPIS else "",
            ]
        )
    headers = ["line", "unit", *markets, "channel"]
    return format_table(headers, rows, align="ll" + "r" * (len(markets) + 1), width=width)
