"""Tidy tables of results: one row per observation, one typed column per variable.

Every table is a :class:`Table`: a name, its columns with their types (``str``,
``int``, ``float``, ``bool``) and its rows as plain dicts. Column names carry their
unit wherever the value has one (``sold_kg``, ``sold_value_cny``, ``mean_field_to_market_h``);
rates and load factors are fractions (``spoilage_rate`` 0.106, not 10.6); a long
table of mixed quantities has a ``unit`` column instead. Undefined values (a rate
over zero kg) are NaN.

The builders read finished results and compute nothing about the channel.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from fieldtotable.results.fields import KPIS, REMAINING_BINS, section
from fieldtotable.results.money import MARKET_MONEY_FIELDS
from fieldtotable.results.money_stages import COST_STAGES, stage_costs
from fieldtotable.results.run import RunResult

__all__ = [
    "LABEL_COLUMNS",
    "PNL_COLUMNS",
    "RUN_TABLES",
    "RUN_TABLE_ROWS",
    "ColumnType",
    "Table",
    "float_columns",
    "make_table",
    "run_table_set",
]

ColumnType = Literal["str", "int", "float", "bool"]

RUN_TABLES = (
    "kpis",
    "by_product",
    "by_stage",
    "by_leg",
    "by_node",
    "by_market",
    "pnl_by_market",
    "pnl_by_product",
    "cost_by_stage",
    "daily",
    "remaining_at_sale",
    "losses",
)
"""The tables of a run, in order (see :func:`run_table_set`)."""

RUN_TABLE_ROWS: dict[str, str] = {
    "kpis": "KPI",
    "by_product": "product",
    "by_stage": "stage",
    "by_leg": "leg",
    "by_node": "collection point or hub",
    "by_market": "market",
    "pnl_by_market": "market: its profit and loss (the rows add up to the channel's KPIs)",
    "pnl_by_product": "product: its profit and loss (the rows add up to the channel's KPIs)",
    "cost_by_stage": "stage of the channel's cost, from farm gate to market (the rows add up"
    " to total_cost_cny)",
    "daily": "day of the horizon (warm-up included)",
    "remaining_at_sale": "product and bin of remaining shelf life",
    "losses": "fate, stage, node, reason and product of kg that left the channel unsold",
}
"""What one row of each run table stands for."""

LABEL_COLUMNS: dict[str, tuple[str, str]] = {
    "kpi": ("", "the KPI key"),
    "value": ("the row's `unit`", "the KPI's value"),
    "unit": ("", "the unit of the row's value"),
    "meaning": ("", "what the KPI measures"),
    "product": ("", "product id"),
    "stage": (
        "",
        "stage of the channel: where kg spoiled (collection, transit, hub, market; by_stage,"
        " losses) or where money was spent (farm_gate, collection, transport, hubs, market;"
        " cost_by_stage)",
    ),
    "spoiled_kg": ("kg", "kg spoiled at the stage (after the warm-up)"),
    "share_of_spoiled": ("fraction", "the stage's share of all spoiled kg"),
    "leg": ("", "leg id"),
    "node": (
        "",
        "collection point or hub id (by_node); in losses, the source, collection point,"
        " hub, leg or market where the kg were lost",
    ),
    "market": ("", "market id"),
    "day": ("d", "day index from 0 (day 0 starts at the scenario's start_date)"),
    "date": ("", "the day's calendar date, ISO 8601 (start_date + day); empty if unknown"),
    "measured": ("", "whether the day is after the warm-up"),
    "bin": ("", "bin index from 0"),
    "remaining_fraction_low": ("fraction", "lower bound of the bin (included)"),
    "remaining_fraction_high": ("fraction", "upper bound of the bin (excluded but for the last)"),
    "sold_kg": ("kg", "kg sold after the warm-up with a remaining fraction in the bin"),
    "fate": ("", "how the kg left the channel unsold: rejected, refused, damaged or spoiled"),
    "reason": (
        "",
        "why (graded_out, store_full, breakage_loading, breakage_unloading, breakage_picking,"
        " weight_loss, or what a spoiled lot was undergoing)",
    ),
    "kg": ("kg", "kg lost that way after the warm-up"),
    "cost_cny": ("CNY", "in cost_by_stage, the stage's cost after the warm-up"),
    "per_kg_sold_cny": ("CNY/kg", "the stage's cost per kg sold (NaN when nothing was sold)"),
    "share_of_total": ("fraction", "the stage's share of total_cost_cny"),
}
"""Unit and meaning of the columns of run tables that are not KPIs or breakdown keys
(in ``by_stage`` and ``remaining_at_sale``, ``spoiled_kg`` and ``sold_kg`` have the
meaning given here; in ``cost_by_stage``, ``cost_cny``)."""


@dataclass(frozen=True)
class Table:
    """One tidy table.

    Attributes
    ----------
    name
        Its name, also the stem of its file (``by_product`` -> ``by_product.csv``).
    columns
        Column names, in order.
    types
        Column name -> ``"str"``, ``"int"``, ``"float"`` or ``"bool"``.
    rows
        One dict per row, with every column as a key.
    """

    name: str
    columns: tuple[str, ...]
    types: dict[str, ColumnType]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def column(self, name: str) -> list[Any]:
        """Return the values of one column, in row order.

        Parameters
        ----------
        name
            A column name.

        Returns
        -------
        list
            The column's cells.
        """
        return [row[name] for row in self.rows]


def make_table(
    name: str, columns: Sequence[tuple[str, ColumnType]], rows: list[dict[str, Any]]
) -> Table:
    """Return a table of ``rows``, each cell coerced to its column's type.

    Parameters
    ----------
    name
        The table's name.
    columns
        (column name, type) pairs, in order; a row's missing keys become NaN
        (numbers) or ``""`` (text).
    rows
        The rows.
    """
    names = tuple(column for column, _ in columns)
    types = dict(columns)
    typed = [{column: _typed(row.get(column), types[column]) for column in names} for row in rows]
    return Table(name, names, types, typed)


def _typed(value: Any, kind: ColumnType) -> Any:
    """Coerce one cell to its column type (absent numbers become NaN, text '')."""
    if kind == "str":
        return "" if value is None else str(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return math.nan if value is None else float(value)


def float_columns(keys: Iterable[str]) -> list[tuple[str, ColumnType]]:
    """Return ``(key, "float")`` for every key."""
    return [(key, "float") for key in keys]


def _ordered(tables: Iterable[Mapping[str, float]], known: Sequence[str]) -> list[str]:
    """Known metrics first (those present), then any others in order of appearance."""
    present: dict[str, None] = {}
    for values in tables:
        present.update(dict.fromkeys(values))
    return [key for key in known if key in present] + [key for key in present if key not in known]


# --- one run ---------------------------------------------------------------------------


def _kpi_table(result: RunResult) -> Table:
    keys = [*KPIS, *(key for key in result.kpis if key not in KPIS)]
    rows = [
        {
            "kpi": key,
            "value": result.kpis.get(key),
            "unit": found.unit if found is not None else "",
            "meaning": found.definition if found is not None else "",
        }
        for key in keys
        for found in [KPIS.get(key)]
    ]
    columns: list[tuple[str, ColumnType]] = [
        ("kpi", "str"),
        ("value", "float"),
        ("unit", "str"),
        ("meaning", "str"),
    ]
    return make_table("kpis", columns, rows)


def _entity_table(
    name: str, label: str, data: Mapping[str, Mapping[str, float]], known: Sequence[str]
) -> Table:
    metrics = _ordered(data.values(), known)
    rows = [{label: entity, **values} for entity, values in data.items()]
    return make_table(name, [(label, "str"), *float_columns(metrics)], rows)


def _stage_table(result: RunResult) -> Table:
    total = math.fsum(result.spoiled_kg_by_stage.values())
    rows = [
        {
            "stage": stage,
            "spoiled_kg": kg,
            "share_of_spoiled": kg / total if total > 0 else math.nan,
        }
        for stage, kg in result.spoiled_kg_by_stage.items()
    ]
    columns: list[tuple[str, ColumnType]] = [
        ("stage", "str"),
        ("spoiled_kg", "float"),
        ("share_of_spoiled", "float"),
    ]
    return make_table("by_stage", columns, rows)


PNL_COLUMNS = tuple(found.key for found in MARKET_MONEY_FIELDS)
"""The money columns of the P&L tables: revenue, the seven cost lines, total cost,
profit and margin (the keys of the KPIs of the same names)."""


def _pnl_table(name: str, label: str, data: Mapping[str, Mapping[str, float]]) -> Table:
    rows = [
        {label: entity, **{key: values.get(key, math.nan) for key in PNL_COLUMNS}}
        for entity, values in data.items()
    ]
    return make_table(name, [(label, "str"), *float_columns(PNL_COLUMNS)], rows)


def _cost_stage_table(result: RunResult) -> Table:
    """Where the money went: the run's total cost by stage, per kg sold and as a share."""
    costs = stage_costs(result)
    total = result.kpis.get("total_cost_cny", math.nan)
    sold = result.kpis.get("sold_kg", math.nan)
    rows = [
        {
            "stage": stage,
            "cost_cny": costs[stage],
            "per_kg_sold_cny": costs[stage] / sold if sold > 0 else math.nan,
            "share_of_total": costs[stage] / total if total > 0 else math.nan,
        }
        for stage in COST_STAGES
    ]
    columns: list[tuple[str, ColumnType]] = [
        ("stage", "str"),
        *float_columns(("cost_cny", "per_kg_sold_cny", "share_of_total")),
    ]
    return make_table("cost_by_stage", columns, rows)


def _daily_table(result: RunResult) -> Table:
    keys = list(result.daily)
    days = max((len(series) for series in result.daily.values()), default=0)
    start = result.start_date
    rows = [
        {
            "day": day,
            "date": "" if start is None else (start + dt.timedelta(days=day)).isoformat(),
            "measured": day >= result.warmup_days,
            **{
                key: series[day] if day < len(series) else math.nan
                for key, series in result.daily.items()
            },
        }
        for day in range(days)
    ]
    columns: list[tuple[str, ColumnType]] = [
        ("day", "int"),
        ("date", "str"),
        ("measured", "bool"),
        *float_columns(keys),
    ]
    return make_table("daily", columns, rows)


def _remaining_table(result: RunResult) -> Table:
    rows = []
    for product, counts in result.remaining_at_sale.items():
        width = 1.0 / len(counts) if counts else 1.0 / REMAINING_BINS
        for index, kg in enumerate(counts):
            rows.append(
                {
                    "product": product,
                    "bin": index,
                    "remaining_fraction_low": index * width,
                    "remaining_fraction_high": (index + 1) * width,
                    "sold_kg": kg,
                }
            )
    columns: list[tuple[str, ColumnType]] = [
        ("product", "str"),
        ("bin", "int"),
        ("remaining_fraction_low", "float"),
        ("remaining_fraction_high", "float"),
        ("sold_kg", "float"),
    ]
    return make_table("remaining_at_sale", columns, rows)


def _losses_table(result: RunResult) -> Table:
    columns: list[tuple[str, ColumnType]] = [
        ("fate", "str"),
        ("stage", "str"),
        ("node", "str"),
        ("reason", "str"),
        ("product", "str"),
        ("kg", "float"),
    ]
    rows = [
        {
            "fate": loss.fate,
            "stage": loss.stage,
            "node": loss.node,
            "reason": loss.reason,
            "product": loss.product,
            "kg": loss.kg,
        }
        for loss in result.losses
    ]
    return make_table("losses", columns, rows)


def run_table_set(result: RunResult) -> dict[str, Table]:
    """Return every table of a run, keyed by name, in the order of :data:`RUN_TABLES`.

    Parameters
    ----------
    result
        A finished run.

    Returns
    -------
    dict of str to Table
        ``kpis`` (``kpi``, ``value``, ``unit``, ``meaning``: every KPI of
        the registry, :data:`~fieldtotable.results.fields.KPIS`), ``by_product`` (``product``
        and its KPIs, ``spoiled_kg_<stage>``), ``by_stage`` (``stage``,
        ``spoiled_kg``, ``share_of_spoiled``), ``by_leg`` (``leg``, ``trips``,
        ``kg_carried``, ``mean_load_kg``, ``load_factor``, ``tonne_km``,
        ``cost_cny``, ``co2_kg``, ``utilisation``, ``closed_h``), ``by_node`` (``node``,
        ``peak_stock_kg``, ``capacity_kg``, ``overflow_kg``, and for collection
        points ``precooled_lots`` and ``mean_precooling_wait_h``; NaN for hubs),
        ``by_market`` (``market``, ``demand_kg``, ``sold_kg``, ``lost_sales_kg``,
        ``fill_rate``, ``sold_value_cny``, and for stores ``peak_shelf_kg`` and
        ``shelf_capacity_kg``), ``pnl_by_market`` and ``pnl_by_product`` (``market``
        or ``product``, then ``revenue_cny``, the seven cost lines, ``total_cost_cny``,
        ``profit_cny``, ``margin_rate``: the rows of each add up to the channel's
        KPIs, the margin aside), ``cost_by_stage`` (``stage``, ``cost_cny``,
        ``per_kg_sold_cny``, ``share_of_total``: :attr:`RunResult.cost_cny_by_stage`,
        whose rows add up to ``total_cost_cny``; NaN for a run stored before it was
        kept), ``daily`` (``day`` from 0, ``date``, ``measured``: after the
        warm-up, then every daily series) and ``remaining_at_sale`` (``product``,
        ``bin``, its ``remaining_fraction_low`` / ``_high`` bounds, ``sold_kg``) and
        ``losses`` (``fate``, ``stage``, ``node``, ``reason``, ``product``, ``kg``:
        :attr:`RunResult.losses`).
    """
    product_metrics = [
        *(key for key in section("by_product") if key != "spoiled_kg_<stage>"),
        *(f"spoiled_kg_{stage}" for stage in result.spoiled_kg_by_stage),
    ]
    tables = [
        _kpi_table(result),
        _entity_table("by_product", "product", result.by_product, product_metrics),
        _stage_table(result),
        _entity_table("by_leg", "leg", result.by_leg, list(section("by_leg"))),
        _entity_table("by_node", "node", result.by_node, list(section("by_node"))),
        _entity_table("by_market", "market", result.by_market, list(section("by_market"))),
        _pnl_table("pnl_by_market", "market", result.by_market),
        _pnl_table("pnl_by_product", "product", result.by_product),
        _cost_stage_table(result),
        _daily_table(result),
        _remaining_table(result),
        _losses_table(result),
    ]
    return {table.name: table for table in tables}
