"""The report of one run."""

from __future__ import annotations

import math

from fieldtotable.export.html import esc, html_table, kpi_label
from fieldtotable.report.common import (
    assumptions,
    footer,
    headline_cards,
    period,
    reproduce,
    value_text,
    version,
)
from fieldtotable.report.money import run_money
from fieldtotable.report.page import FigureFormat, Figures, FigureSpec, Section, page, scroll
from fieldtotable.report.scenario_html import product_name, scenario_summary
from fieldtotable.results.fields import KPIS, headline_kpis
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario
from fieldtotable.tables import display_unit, format_number, market_rows, node_rows

__all__ = ["default_question", "run_report"]


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole > 0 else math.nan


def _pct(part: float, whole: float) -> str:
    return format_number(_ratio(part, whole), "%")


def _summary_sentence(result: RunResult, scenario: Scenario) -> str:
    k = result.kpis
    harvested = k["harvested_kg"]
    stages = result.spoiled_kg_by_stage
    worst = max(stages, key=lambda s: stages[s]) if stages and max(stages.values()) > 0 else None
    where = f", most of it at the {worst} stage" if worst else ""
    return (
        f"<p>Of {format_number(harvested, 'kg')} kg harvested, "
        f"{_pct(k['sold_kg'], harvested)} was sold, {_pct(k['spoiled_kg'], harvested)} "
        f"spoiled{esc(where)}, {_pct(k['rejected_kg'], harvested)} was rejected at grading and "
        f"{_pct(k['in_system_kg_end'], harvested)} was still in the channel at the end. "
        f"Customers and orders asked for {format_number(k['demand_kg'], 'kg')} kg: "
        f"{value_text('fill_rate', k['fill_rate'])} of it was met."
        f"{_worst_product(result, scenario)}</p>"
    )


def _worst_product(result: RunResult, scenario: Scenario) -> str:
    rates = {
        product: values.get("spoilage_rate", math.nan)
        for product, values in result.by_product.items()
    }
    rates = {product: rate for product, rate in rates.items() if rate > 0}
    if not rates:
        return ""
    worst = max(rates, key=lambda product: rates[product])
    return (
        f" The product that spoils most is <strong>{esc(product_name(scenario, worst))}</strong>: "
        f"{format_number(rates[worst], '%')} of its harvest."
    )


def _profit_note(k: dict[str, float]) -> str:
    """Margin, and what producers received when the scenario pays them at all."""
    note = f"margin {value_text('margin_rate', k.get('margin_rate'))}"
    income = k.get("producer_income_cny", 0.0)
    if income > 0:
        note += f"; producers received {value_text('producer_income_cny', income)} CNY"
    return note


def _headline(result: RunResult, scenario: Scenario) -> str:
    k = result.kpis
    days_left = k.get("mean_remaining_shelf_life_at_sale_d")
    notes = {
        "sold_kg": f"{value_text('throughput_kg_per_day', k['throughput_kg_per_day'])} kg/d",
        "sold_value_cny": "",
        "spoilage_rate": f"{value_text('spoiled_kg', k['spoiled_kg'])} kg spoiled",
        "fill_rate": f"{value_text('lost_sales_kg', k['lost_sales_kg'])} kg of demand lost",
        "mean_remaining_fraction_at_sale": (
            value_text("mean_remaining_shelf_life_at_sale_d", days_left) + " d on average, by kg"
        ),
        "mean_field_to_market_h": "harvest to market, by kg",
        "cost_per_kg_sold_cny": (
            f"{value_text('transport_cost_cny', k['transport_cost_cny'])} CNY transport in all"
        ),
        "co2_kg": f"{value_text('trips', k['trips'])} vehicle trips",
        "profit_cny": _profit_note(k),
    }
    cards = {key: (value_text(key, k.get(key)), notes.get(key, "")) for key in headline_kpis()}
    return headline_cards(cards) + _summary_sentence(result, scenario)


def _kpi_table(result: RunResult) -> str:
    keys = [*KPIS, *(key for key in result.kpis if key not in KPIS)]
    rows = []
    for key in keys:
        unit = display_unit(key)
        found = KPIS.get(key)
        meaning = "" if found is None else found.definition
        rows.append(
            [
                esc(kpi_label(key)),
                f"<code>{esc(key)}</code>",
                esc(format_number(result.kpis.get(key), unit)),
                esc(unit),
                f'<span class="meaning">{esc(meaning)}</span>',
            ]
        )
    headers = ["KPI", "key", "value", "unit", "meaning"]
    return scroll(html_table(headers, rows, align="llrll", raw=True))


def _stage_table(result: RunResult) -> str:
    harvested = result.kpis.get("harvested_kg", math.nan)
    total = sum(result.spoiled_kg_by_stage.values())
    rows = [
        [stage, format_number(kg, "kg"), _pct(kg, harvested), _pct(kg, total)]
        for stage, kg in result.spoiled_kg_by_stage.items()
    ]
    rows.append(["total", format_number(total, "kg"), _pct(total, harvested), _pct(total, total)])
    headers = ["stage", "spoiled\nkg", "of harvested\n%", "of all spoiled\n%"]
    return scroll(html_table(headers, rows))


_PRODUCT_COLUMNS = (
    ("harvested\nkg", "harvested_kg", "kg"),
    ("sold\nkg", "sold_kg", "kg"),
    ("spoiled\nkg", "spoiled_kg", "kg"),
    ("spoilage\n%", "spoilage_rate", "%"),
    ("fill rate\n%", "fill_rate", "%"),
    ("sales value\nCNY", "sold_value_cny", "CNY"),
    ("field to market\nh", "mean_field_to_market_h", "h"),
    ("shelf life left at sale\nd", "mean_remaining_shelf_life_at_sale_d", "d"),
)


def _product_table(result: RunResult, scenario: Scenario) -> str:
    rows = [
        [
            product_name(scenario, product_id),
            *(format_number(values.get(key), unit) for _, key, unit in _PRODUCT_COLUMNS),
        ]
        for product_id, values in result.by_product.items()
    ]
    headers = ["product", *(header for header, _, _ in _PRODUCT_COLUMNS)]
    return scroll(html_table(headers, rows))


def _leg_table(result: RunResult, scenario: Scenario) -> str:
    columns = (
        ("trips\ncount", "trips", "count"),
        ("carried\nkg", "kg_carried", "kg"),
        ("mean load\nkg", "mean_load_kg", "kg"),
        ("load factor\n%", "load_factor", "%"),
        ("fleet busy\n%", "utilisation", "%"),
        ("closed\nh", "closed_h", "h"),
        ("cost\nCNY", "cost_cny", "CNY"),
        ("CO\N{SUBSCRIPT TWO}\nkg", "co2_kg", "kg"),
    )
    rows = []
    for leg_id, values in result.by_leg.items():
        leg = scenario.legs.get(leg_id)
        route = f"{leg.from_} → {leg.to}" if leg is not None else ""
        mode = leg.mode.replace("_", " ") if leg is not None else ""
        rows.append(
            [leg_id, route, mode, *(format_number(values.get(k), u) for _, k, u in columns)]
        )
    headers = ["leg", "route", "mode", *(header for header, _, _ in columns)]
    return scroll(html_table(headers, rows, align="lll" + "r" * len(columns)))


def _node_table(result: RunResult, scenario: Scenario) -> str:
    headers, rows = node_rows(result, scenario)
    return scroll(html_table(headers, rows, align="ll" + "r" * (len(headers) - 2)))


def _market_table(result: RunResult) -> str:
    headers, rows = market_rows(result)
    return scroll(html_table(headers, rows))


def default_question(scenario: Scenario) -> str:
    """Return the question a report of one scenario answers when none is given."""
    return (
        f"How much does the channel “{scenario.name}” sell, how much spoils and where, "
        f"what does it cost and earn, and how fresh are the goods at sale over "
        f"{scenario.horizon_days} days?"
    )


def run_report(
    result: RunResult,
    scenario: Scenario,
    *,
    question: str | None = None,
    command: str | None = None,
    figures: FigureFormat = "svg",
) -> str:
    """Return a self-contained HTML report of one run.

    Parameters
    ----------
    result
        The run (from :func:`fieldtotable.simulate`).
    scenario
        The scenario that was run (as run: after ``--set`` and ``--days``).
    question
        The question the report answers (a default one names the scenario).
    command
        The command line that made the report, shown under "Reproduce".
    figures
        ``"svg"`` (inline vector figures) or ``"png"`` (base64 images).

    Returns
    -------
    str
        One HTML document: the question, headline figures, the scenario, every KPI,
        spoilage by stage, the profit and loss (by market, by product, cost per kg sold
        by stage), breakdowns by product, leg, node and market, the figures (network
        map, spoilage waterfall, P&L waterfall, remaining shelf life at sale, daily
        series), the assumptions and how to reproduce the numbers.
    """
    digest = scenario_hash(scenario)
    fig = Figures(figures)
    network = fig(
        FigureSpec(
            "network_map",
            (result,),
            {"scenario": scenario},
            "The channel",
            "Sources, collection points, hubs and markets, with the legs between them "
            "drawn by transport mode.",
        )
    )
    waterfall = fig(
        FigureSpec(
            "spoilage_waterfall",
            (result,),
            {"scenario": scenario},
            "Where the harvest goes",
            "From kg harvested, what is rejected, spoiled at each stage, sold, or still in "
            "the channel at the end of the horizon.",
        )
    )
    money = run_money(result, scenario, fig)
    freshness = fig(
        FigureSpec(
            "shelf_life_at_sale",
            (result,),
            {"scenario": scenario},
            "Freshness at sale",
            "Kg sold by the share of its shelf life still left at sale, per product; "
            "goods sold close to 0 % are near spoiling.",
        )
    )
    daily = fig(
        FigureSpec(
            "daily_series",
            (result,),
            {"scenario": scenario},
            "Day by day",
            "Daily flows through the channel, spoilage by stage and end-of-day stock at "
            "collection points, hubs and stores over the whole horizon (the warm-up, if "
            "any, is not part of the KPIs).",
        )
    )
    replication = "" if result.replication is None else f", replication {result.replication}"
    sections = [
        Section("headline", "Key figures", _headline(result, scenario)),
        Section("scenario", "The scenario", network + scenario_summary(scenario)),
        Section(
            "kpis",
            "All KPIs",
            "<p>Every KPI of the results contract, measured over the days after the "
            "warm-up. Rates are shares of kg.</p>" + _kpi_table(result),
        ),
        Section("spoilage", "Where spoilage happens", _stage_table(result) + waterfall),
        Section("money", "Profit and loss", money),
        Section("products", "By product", _product_table(result, scenario) + freshness),
        Section(
            "legs",
            "Transport legs",
            _leg_table(result, scenario)
            + '<p class="note">Load factor: mean load over vehicle capacity. Fleet busy: '
            "share of the fleet's hours spent on trips.</p>",
        ),
        Section("nodes", "Collection points and hubs", _node_table(result, scenario)),
        Section("markets", "Markets", _market_table(result)),
        Section("daily", "Day by day", daily),
        Section(
            "assumptions",
            "Assumptions",
            assumptions(
                [("", scenario, digest)],
                seeds=f"{result.seed}{replication}",
                replications="one run (a single sample: replicate to get confidence intervals)",
            ),
        ),
        Section("reproduce", "Reproduce", _run_reproduce(result, scenario, digest, command)),
    ]
    meta = esc(
        f"One run · seed {result.seed}{replication} · {period(scenario)} · fieldtotable {version()}"
    )
    return page(
        title=scenario.name,
        kicker="fieldtotable · simulation report",
        question=question or default_question(scenario),
        meta=meta,
        sections=sections,
        footer=footer([digest]),
    )


def _run_reproduce(result: RunResult, scenario: Scenario, digest: str, command: str | None) -> str:
    replay = ["fieldtotable", "report", "scenario.yaml", "--seed", str(result.seed)]
    replay += ["-o", "report.html"]
    extra = "" if result.replication is None else f", replication={result.replication}"
    python = (
        "from fieldtotable import load_scenario, simulate\n"
        f'result = simulate(load_scenario("scenario.yaml"), seed={result.seed}{extra})'
    )
    return reproduce(
        command=command,
        replay=replay,
        python=python,
        files=[("scenario.yaml", scenario, digest)],
    )
