"""The money KPIs (DESIGN.md section 5, "Money") and the P&L keys of ``by_market``.

The cost lines are priced per product after the run (:mod:`fieldtotable.model.money`
says how each line is charged and allocated); the registry computes the channel's
value of each line as the sum of the products' values, in product order, so that
``by_product`` adds up to it exactly. ``transport_cost_cny`` and ``revenue_cny`` keep
their channel values (the legs' trip costs, ``sold_value_cny``), to which the
products' values add up to rounding (relative 1e-12), as do the markets' P&L lines.
``total_cost_cny`` adds the lines in the fixed order of
:data:`~fieldtotable.model.money.COST_LINES`, and ``profit_cny = revenue_cny -
total_cost_cny``, both exactly as floats.

``revenue_cny`` is ``sold_value_cny`` under its P&L name: every sale is booked at the
market's price of the product (its ``prices_cny_per_kg``, else the product's
``price_cny_per_kg``), less any markdown, times any freshness factor; the two keys are
equal in every run.
"""

from __future__ import annotations

from fieldtotable.model.money import COST_LINES
from fieldtotable.results.field import KpiComputation, ResultField
from fieldtotable.results.measure import MeasuredRun

__all__ = ["MARKET_MONEY_FIELDS", "MONEY_KPIS", "total_cost"]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


def total_cost(lines: dict[str, float] | MeasuredRun) -> float:
    """Return the sum of the cost lines in the order of ``COST_LINES``.

    Parameters
    ----------
    lines
        A mapping holding every cost line, or a run view whose KPIs hold them.

    Returns
    -------
    float
        ``purchase + handling + storage + packaging + capital + fixed + transport``,
        added left to right.
    """
    get = lines.kpi if isinstance(lines, MeasuredRun) else lines.__getitem__
    total = 0.0
    for line in COST_LINES:
        total += get(line)
    return total


def _line(line: str) -> KpiComputation:
    return lambda run: run.money(line)


_LINE_DEFINITIONS = {
    "purchase_cost_cny": (
        "Purchase at the farm gate",
        "kg harvested x farm-gate price (the source's, else the product's), less the kg"
        " producers kept (refused at a collection point's gate)",
    ),
    "handling_cost_cny": (
        "Handling",
        "kg received into collection points' and hubs' stores x their handling cost per kg",
    ),
    "storage_cost_cny": (
        "Storage (energy, rent)",
        "electricity of the kg-days held (cooling-load law x price) plus rent of store"
        " capacity, pro rata",
    ),
    "packaging_cost_cny": (
        "Packaging",
        "kg received into collection points' stores x the product's packaging cost per kg;"
        " parcel boxes",
    ),
    "capital_cost_cny": (
        "Capital (annualised)",
        "annuity of cold rooms, pre-coolers, stores, vehicles and shop shelves, pro rata over"
        " the measured days",
    ),
    "fixed_cost_cny": (
        "Fixed costs",
        "fixed costs per year of places and markets (staff, shop rent), pro rata",
    ),
}

MONEY_KPIS: tuple[tuple[ResultField, KpiComputation], ...] = (
    (
        ResultField(
            "revenue_cny", "CNY",
            "sold_value_cny under its P&L name: sales at each market's prices, markdowns"
            " and freshness factors applied",
            label="Revenue", better="higher", per_product=True,
        ),
        lambda run: run.kpi("sold_value_cny"),
    ),
    *(
        (
            ResultField(
                line, "CNY", definition, label=label, better="lower", per_product=True
            ),
            _line(line),
        )
        for line, (label, definition) in _LINE_DEFINITIONS.items()
    ),
    (
        ResultField(
            "total_cost_cny", "CNY",
            "purchase + handling + storage + packaging + capital + fixed + transport cost",
            label="Total cost", better="lower", per_product=True,
        ),
        total_cost,
    ),
    (
        ResultField(
            "profit_cny", "CNY", "revenue_cny - total_cost_cny",
            label="Profit", better="higher", headline=True, sweep=True, per_product=True,
        ),
        lambda run: run.kpi("revenue_cny") - run.kpi("total_cost_cny"),
    ),
    (
        ResultField(
            "margin_rate", "fraction", "profit_cny / revenue_cny",
            label="Margin", better="higher", aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.kpi("profit_cny"), run.kpi("revenue_cny")),
    ),
    (
        ResultField(
            "total_cost_per_kg_sold_cny", "CNY/kg", "total_cost_cny / sold_kg",
            label="Total cost per kg sold", better="lower", aggregation="ratio",
            per_product=True,
        ),
        lambda run: _ratio(run.kpi("total_cost_cny"), run.kpi("sold_kg")),
    ),
    (
        ResultField(
            "spoilage_loss_cny", "CNY",
            "money sunk into spoiled kg: each at its product's mean purchase, handling,"
            " packaging and transport cost per kg up to the stage where it spoiled",
            label="Money lost to spoilage", better="lower", per_product=True,
        ),
        _line("spoilage_loss_cny"),
    ),
    (
        ResultField(
            "damage_loss_cny", "CNY",
            "money sunk into damaged kg (breakage, weight loss): each at its product's mean"
            " purchase, handling, packaging and transport cost per kg up to the stage where"
            " it was damaged",
            label="Money lost to damage", better="lower", per_product=True,
        ),
        _line("damage_loss_cny"),
    ),
    (
        ResultField(
            "producer_income_cny", "CNY",
            "what Diqing's producers receive: purchase_cost_cny (every kg the channel buys,"
            " at the farm-gate price) plus local_sales_value_cny (kg a full collection point"
            " refused, sold locally)",
            label="Producer income", better="higher", per_product=True,
        ),
        lambda run: run.kpi("purchase_cost_cny") + run.kpi("local_sales_value_cny"),
    ),
)  # fmt: skip

MARKET_MONEY_FIELDS = (
    ResultField(
        "revenue_cny", "CNY", "sold_value_cny of the market (its P&L name)",
        label="Revenue", better="higher",
    ),
    *(
        ResultField(
            line, "CNY",
            f"{line.removesuffix('_cny').replace('_', ' ')} allocated to the market: each"
            " product's by the market's share of its kg sold, plus the market's own",
            label=label, better="lower",
        )
        for line, (label, _definition) in _LINE_DEFINITIONS.items()
    ),
    ResultField(
        "transport_cost_cny", "CNY",
        "transport cost allocated to the market: each product's by the market's share of"
        " its kg sold, plus its parcels' courier fees",
        label="Transport cost", better="lower",
    ),
    ResultField(
        "total_cost_cny", "CNY", "the market's cost lines added in the channel's order",
        label="Total cost", better="lower",
    ),
    ResultField("profit_cny", "CNY", "revenue_cny - total_cost_cny", label="Profit",
                better="higher"),
    ResultField(
        "margin_rate", "fraction", "profit_cny / revenue_cny",
        label="Margin", better="higher", aggregation="ratio",
    ),
)  # fmt: skip
