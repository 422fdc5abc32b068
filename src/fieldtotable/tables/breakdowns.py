"""Tables of the breakdowns whose keys the node kinds declare: places and markets.

The columns are the keys of the registry's ``by_node`` and ``by_market`` sections
(:func:`fieldtotable.results.section`) that the run holds, in registry order, headed
by their labels and units: a kind added by code shows its own statistics without this
module knowing it. Text and HTML tables share the cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from fieldtotable.results.fields import section
from fieldtotable.results.money import MARKET_MONEY_FIELDS
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.nodes import places
from fieldtotable.tables.format import display_unit, format_number, format_table, share

if TYPE_CHECKING:
    from fieldtotable.scenario.schema import Scenario

__all__ = [
    "breakdown_columns",
    "format_by_market",
    "format_by_node",
    "lower_first",
    "market_rows",
    "node_kind_label",
    "node_rows",
]


def breakdown_columns(
    name: str, entries: Mapping[str, Mapping[str, float]]
) -> list[tuple[str, str, str]]:
    """Return the keys some entry of a breakdown holds, with their headers and units.

    Parameters
    ----------
    name
        ``by_node`` or ``by_market``.
    entries
        The breakdown of a run (id -> key -> value).

    Returns
    -------
    list of (str, str, str)
        Key, header (label, a newline, the display unit) and display unit, in
        registry order; keys the registry does not define follow, headed by the key.
    """
    present = {key for values in entries.values() for key in values}
    fields = section(name)
    keys = [key for key in fields if key in present] + sorted(present - set(fields))
    columns = []
    for key in keys:
        found = fields.get(key)
        unit = display_unit(key, "" if found is None else found.unit)
        title = key if found is None else lower_first(found.title)
        columns.append((key, f"{title}\n{unit}", unit))
    return columns


def node_kind_label(node_id: str, scenario: Scenario | None) -> str:
    """Return the kind of a place in words (``collection point``, ``hub``, ...).

    Parameters
    ----------
    node_id
        A place's id.
    scenario
        The run's scenario; ``""`` without it (or for an id it does not hold).

    Returns
    -------
    str
        The kind's label.
    """
    if scenario is None:
        return ""
    found = places(scenario).get(node_id)
    return "" if found is None else found[0].label


def lower_first(text: str) -> str:
    """Return ``text`` with its first letter in lower case, unless it starts an acronym."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _cell(values: Mapping[str, float], key: str, unit: str) -> str:
    return format_number(values[key], unit) if key in values else ""


#: ``by_node`` statistics of overload policies, shown only when some place has one
#: (a channel whose stores all wait outside refuses and overflows nothing).
_SHOWN_WHEN_USED = frozenset({"refused_kg", "overflow_store_kg", "peak_overflow_store_kg"})


def _capacity_share(values: Mapping[str, float]) -> float:
    return share(values.get("peak_stock_kg"), values.get("capacity_kg"))


def node_rows(
    result: RunResult, scenario: Scenario | None = None
) -> tuple[list[str], list[list[str]]]:
    """Return the headers and formatted cells of one row per place (text and HTML share them).

    Parameters
    ----------
    result
        A finished run.
    scenario
        The run's scenario, for each place's kind.

    Returns
    -------
    tuple of (list of str, list of list of str)
        Headers (a name and, after a newline, a unit) and rows: node, kind and every
        statistic of the registry's ``by_node`` section that some place reports (a
        blank where a kind does not report it; the overload statistics only when
        some place's is not 0), with the peak stock as a share of the capacity after
        the capacity.
    """
    columns = [
        column
        for column in breakdown_columns("by_node", result.by_node)
        if column[0] not in _SHOWN_WHEN_USED
        or any(values.get(column[0]) for values in result.by_node.values())
    ]
    headers = ["node", "kind"]
    for key, header, _ in columns:
        headers.append(header)
        if key == "capacity_kg":
            headers.append("peak/capacity\n%")
    rows: list[list[str]] = []
    kinds = {} if scenario is None else places(scenario)
    for node_id, values in result.by_node.items():
        found = kinds.get(node_id)
        row = [node_id, "" if found is None else found[0].label]
        for key, _, unit in columns:
            row.append(_cell(values, key, unit))
            if key == "capacity_kg":
                row.append(format_number(_capacity_share(values), "%") if key in values else "")
        rows.append(row)
    return headers, rows


def format_by_node(
    result: RunResult, scenario: Scenario | None = None, *, width: int | None = None
) -> str:
    """Tabulate what each place reports: stock and congestion.

    Parameters
    ----------
    result
        A finished run.
    scenario
        The run's scenario, for each place's kind.
    width
        Columns to fit (``None``: no limit); headers break at spaces.

    Returns
    -------
    str
        The table of :func:`node_rows`.
    """
    headers, rows = node_rows(result, scenario)
    return format_table(headers, rows, align="ll" + "r" * (len(headers) - 2), width=width, wrap=[1])


_MONEY_KEYS = frozenset(found.key for found in MARKET_MONEY_FIELDS)


def market_rows(result: RunResult) -> tuple[list[str], list[list[str]]]:
    """Return the headers and formatted cells of one row per market (text and HTML share them).

    Parameters
    ----------
    result
        A finished run.

    Returns
    -------
    tuple of (list of str, list of list of str)
        Headers and rows: the market, then every key of the registry's ``by_market``
        section that some market holds (demand, sold and lost kg, fill rate, sales
        value; a store's peak shelf stock and shelf capacity, blank for order streams).
    """
    columns = [
        column
        for column in breakdown_columns("by_market", result.by_market)
        if column[0] not in _MONEY_KEYS  # in the P&L table (fieldtotable.tables.pnl)
    ]
    rows = [
        [
            market_id,
            *(
                format_number(values[key], unit) if key in values else ""
                for key, _, unit in columns
            ),
        ]
        for market_id, values in result.by_market.items()
    ]
    return ["market", *(header for _, header, _ in columns)], rows


def format_by_market(result: RunResult, *, width: int | None = None) -> str:
    """Tabulate demand, sales and fill rate at each market.

    Parameters
    ----------
    result
        A finished run.
    width
        Columns to fit (``None``: no limit); headers break at spaces.

    Returns
    -------
    str
        The table of :func:`market_rows`.
    """
    headers, rows = market_rows(result)
    return format_table(headers, rows, align="l" + "r" * (len(headers) - 1), width=width)
