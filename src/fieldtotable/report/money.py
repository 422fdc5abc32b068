"""The money sections of the run and replications reports, and what the others share.

The run and replications reports get the P&L waterfall, the P&L by market and by
product and the cost per kg sold by stage; the comparison and sweep reports build
theirs in :mod:`fieldtotable.report.experiment_money` from the pieces here (the
waterfall figure, the stages' note, the test for a scenario that prices only
transport).

Presentation only: every amount is a KPI or breakdown of the result, or a sum of them
(the stages, :mod:`fieldtotable.results.money_stages`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from fieldtotable.experiment.results import ExperimentResult
from fieldtotable.experiment.statistics import estimate
from fieldtotable.export.html import esc, estimate_text, html_table, interval_text
from fieldtotable.model.money import COST_LINES
from fieldtotable.report.common import value_text
from fieldtotable.report.page import Figures, FigureSpec, scroll
from fieldtotable.report.scenario_html import product_name
from fieldtotable.results.money import MARKET_MONEY_FIELDS
from fieldtotable.results.money_stages import COST_STAGE_LABELS, COST_STAGES, stage_costs
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.schema import Scenario
from fieldtotable.tables import display_unit, format_number

__all__ = [
    "STAGES_NOTE",
    "prices_only_transport",
    "replications_money",
    "run_money",
    "waterfall_figure",
]

PNL_KEYS = tuple(found.key for found in MARKET_MONEY_FIELDS)
"""The columns of the P&L tables: revenue, the cost lines, total cost, profit, margin."""

STAGES_NOTE = (
    '<p class="note">Stages: <strong>farm gate</strong> is what producers are paid for every '
    "kg harvested; <strong>collection</strong> handling (grading, pre-cooling; the hubs' "
    "small receiving cost is booked with it), packaging and the collection points' cold "
    "rooms, pre-coolers and staff; "
    "<strong>transport</strong> the trips and the vehicles' capital; <strong>hubs and "
    "storage</strong> the electricity and rent of every store and the hubs' capital and "
    "staff; <strong>market</strong> the shops' shelves and the markets' fixed costs. "
    "Yearly amounts are charged pro rata over the measured days.</p>"
)
"""What each stage of the cost per kg sold holds, as a note under its table."""


_SHORT = {
    "revenue_cny": "revenue",
    "purchase_cost_cny": "purchase",
    "handling_cost_cny": "handling",
    "storage_cost_cny": "storage",
    "packaging_cost_cny": "packaging",
    "capital_cost_cny": "capital",
    "fixed_cost_cny": "fixed",
    "transport_cost_cny": "transport",
    "total_cost_cny": "total cost",
    "profit_cny": "profit",
    "margin_rate": "margin",
}


def _headers() -> list[str]:
    return [
        f"{_SHORT.get(found.key, found.key)}\n{display_unit(found.key, found.unit)}"
        for found in MARKET_MONEY_FIELDS
    ]


def _cells(values: Mapping[str, float]) -> list[str]:
    return [
        format_number(values.get(found.key), display_unit(found.key, found.unit))
        for found in MARKET_MONEY_FIELDS
    ]


def pnl_table(
    entities: Mapping[str, Mapping[str, float]],
    channel: Mapping[str, float],
    first: str,
    name: Callable[[str], str] = str,
) -> str:
    """Return a P&L table: one row per market or product and a last row for the channel.

    Parameters
    ----------
    entities
        Per market or product id, its values of :data:`PNL_KEYS`.
    channel
        The channel's values of the same keys (its KPIs).
    first
        The first column's header (``market``, ``product``).
    name
        The display name of an id.
    """
    rows = [[esc(name(entity)), *map(esc, _cells(values))] for entity, values in entities.items()]
    rows.append(
        ["<strong>channel</strong>", *(f"<strong>{esc(c)}</strong>" for c in _cells(channel))]
    )
    headers = [first, *_headers()]
    return scroll(html_table(headers, rows, align="l" + "r" * len(PNL_KEYS), raw=True))


def prices_only_transport(kpis: Mapping[str, float]) -> bool:
    """Tell whether a run (or means of runs) has no cost line but transport.

    Parameters
    ----------
    kpis
        The KPIs of a run, or their means.

    Returns
    -------
    bool
        ``True`` when every cost line but ``transport_cost_cny`` is 0 (or absent): the
        scenario prices nothing but transport.
    """
    return all(kpis.get(line, 0.0) == 0 for line in COST_LINES if line != "transport_cost_cny")


def _summary(k: Mapping[str, float]) -> str:
    revenue = k.get("revenue_cny", math.nan)
    profit = k.get("profit_cny", math.nan)
    word = "a loss of" if profit < 0 else "a profit of"
    income = k.get("producer_income_cny", math.nan)
    share = income / revenue if revenue > 0 else math.nan
    text = (
        f"<p>Revenue {esc(value_text('revenue_cny', revenue))} CNY, total cost "
        f"{esc(value_text('total_cost_cny', k.get('total_cost_cny')))} CNY: {word} "
        f"<strong>{esc(value_text('profit_cny', abs(profit)))} CNY</strong> (margin "
        f"{esc(value_text('margin_rate', k.get('margin_rate')))}). Every kg sold cost "
        f"{esc(value_text('total_cost_per_kg_sold_cny', k.get('total_cost_per_kg_sold_cny')))}"
        " CNY to bring to market. "
    )
    if prices_only_transport(k):
        return text + (
            "The scenario prices nothing but transport (no farm-gate prices, handling, "
            "packaging, storage, capital or fixed costs), so its cost is the transport cost "
            "and its profit is revenue less transport; what producers receive is not "
            "measured.</p>"
        )
    return text + (
        f"Diqing's producers received {esc(value_text('producer_income_cny', income))} CNY "
        f"({esc(format_number(share, '%'))} of revenue); "
        f"{esc(value_text('spoilage_loss_cny', k.get('spoilage_loss_cny')))} CNY of cost was "
        "sunk into kg that spoiled.</p>"
    )


def _stage_table_run(result: RunResult, scenario: Scenario) -> str:
    stages = stage_costs(result, scenario)
    total = result.kpis["total_cost_cny"]
    sold = result.kpis["sold_kg"]

    def row(label: str, cost: float, per_kg: float) -> list[str]:
        return [
            label,
            format_number(cost, "CNY"),
            format_number(per_kg, "CNY/kg"),
            format_number(cost / total if total > 0 else math.nan, "%"),
        ]

    rows = [
        row(COST_STAGE_LABELS[s], stages[s], stages[s] / sold if sold > 0 else math.nan)
        for s in COST_STAGES
    ]
    rows.append(row("total", total, result.kpis["total_cost_per_kg_sold_cny"]))
    headers = ["stage", "cost\nCNY", "per kg sold\nCNY/kg", "of total cost\n%"]
    return scroll(html_table(headers, rows))


def waterfall_figure(
    fig: Figures,
    source: RunResult | ExperimentResult,
    scenario: Scenario,
    label: str | None = None,
) -> str:
    """Return the P&L waterfall of a run or of replications' means as a report figure.

    Parameters
    ----------
    fig
        The report's figure counter.
    source
        A run, or replications (the bars are their means).
    scenario
        Its scenario (for display names).
    label
        What the P&L is of (a configuration's name, a sweep point), for the title and
        caption; the whole channel when omitted.

    Returns
    -------
    str
        The ``<figure>`` (or the note that stands in for it).
    """
    means = "" if isinstance(source, RunResult) else " (means over the replications)"
    of = "" if label is None else f": {label}"
    return fig(
        FigureSpec(
            "pnl_waterfall",
            (source,),
            {"scenario": scenario, **({} if label is None else {"label": label})},
            f"From revenue to profit{of}{means}",
            "Revenue, then each cost line taken from it, and what is left: the profit (a "
            "loss points below 0). Labels give each amount and its share of revenue.",
        )
    )


def run_money(result: RunResult, scenario: Scenario, fig: Figures) -> str:
    """Return the body of a run report's section "Profit and loss".

    Parameters
    ----------
    result
        The run.
    scenario
        Its scenario (for the stages' capacities and the products' names).
    fig
        The report's figure counter.

    Returns
    -------
    str
        A summary sentence, the P&L waterfall, the P&L by market and by product (each
        with the channel's row) and the cost per kg sold by stage.
    """
    return (
        _summary(result.kpis)
        + waterfall_figure(fig, result, scenario)
        + "<h3>By market</h3>"
        + pnl_table(result.by_market, result.kpis, "market")
        + '<p class="note">Each product\'s costs go to the markets by the kg of it each sold; a '
        "market's own shelves and fixed costs stay with it.</p>"
        + "<h3>By product</h3>"
        + pnl_table(result.by_product, result.kpis, "product", lambda p: product_name(scenario, p))
        + '<p class="note">Each cost line reaches the products by the activity that causes it: '
        "purchase by kg harvested, handling and packaging by kg received, storage by kg-days "
        "held, transport and vehicles by kg carried, shelves and fixed costs by kg received "
        "or sold.</p>"
        + "<h3>Cost per kg sold, by stage</h3>"
        + _stage_table_run(result, scenario)
        + STAGES_NOTE
    )


def _estimate_rows(
    rows: Sequence[tuple[str, Sequence[float]]], unit: str, confidence: float
) -> list[list[str]]:
    out = []
    for label, values in rows:
        found = estimate(values, confidence)
        out.append([label, estimate_text(found, unit), interval_text(found, unit)])
    return out


def replications_money(result: ExperimentResult, scenario: Scenario, fig: Figures) -> str:
    """Return the body of a replications report's section "Profit and loss".

    Parameters
    ----------
    result
        The replications.
    scenario
        Their scenario.
    fig
        The report's figure counter.

    Returns
    -------
    str
        The P&L waterfall of the means, profit and margin by market with intervals, and
        the cost per kg sold by stage with intervals.
    """
    level = f"{result.confidence * 100:g}%"
    runs = result.runs
    means = {key: found.mean for key, found in result.kpis.items()}
    markets = list(runs[0].by_market)
    market_rows = []
    for market in markets:
        profit = estimate([r.by_market[market]["profit_cny"] for r in runs], result.confidence)
        margin = estimate([r.by_market[market]["margin_rate"] for r in runs], result.confidence)
        market_rows.append(
            [
                market,
                estimate_text(profit, "CNY"),
                interval_text(profit, "CNY"),
                estimate_text(margin, "%"),
            ]
        )
    market_table = scroll(
        html_table(["market", "profit\nCNY", f"{level} interval\nCNY", "margin\n%"], market_rows)
    )
    stages = [stage_costs(run, scenario) for run in runs]
    stage_rows = _estimate_rows(
        [
            (
                COST_STAGE_LABELS[stage],
                [
                    s[stage] / run.kpis["sold_kg"] if run.kpis["sold_kg"] > 0 else math.nan
                    for s, run in zip(stages, runs, strict=True)
                ],
            )
            for stage in COST_STAGES
        ]
        + [("total", [run.kpis["total_cost_per_kg_sold_cny"] for run in runs])],
        "CNY/kg",
        result.confidence,
    )
    stage_table = scroll(
        html_table(
            ["stage", "per kg sold, mean ± half-width\nCNY/kg", f"{level} interval\nCNY/kg"],
            stage_rows,
        )
    )
    return (
        _summary(means)
        + waterfall_figure(fig, result, scenario)
        + f"<h3>Profit by market</h3>{market_table}"
        + f"<h3>Cost per kg sold, by stage</h3>{stage_table}{STAGES_NOTE}"
    )
