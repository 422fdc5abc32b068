"""Money in the reports and exports: the P&L sections hold the result's numbers, and add up."""

from __future__ import annotations

import html
import math
import re

import pytest
from test_report import assert_every_figure_embedded, section

from fieldtotable import (
    ExperimentResult,
    RunResult,
    Scenario,
    apply_overrides,
    builtin_scenario,
    compare,
    replicate,
    simulate,
)
from fieldtotable.export import run_table_set
from fieldtotable.export.experiment_tables import experiment_table_set
from fieldtotable.export.tables import PNL_COLUMNS
from fieldtotable.model.money import COST_LINES, DAYS_PER_YEAR
from fieldtotable.report import comparison_report, experiment_report, run_report
from fieldtotable.results.money_stages import COST_STAGES, cost_by_stage, cost_per_kg_by_stage
from fieldtotable.scenario.schema_money import capital_recovery_factor
from fieldtotable.tables import format_number


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return builtin_scenario("baseline")


@pytest.fixture(scope="module")
def year_page(baseline_year_run: RunResult, baseline: Scenario) -> str:
    return run_report(baseline_year_run, baseline)


@pytest.fixture(scope="module")
def month(baseline: Scenario) -> Scenario:
    return baseline.with_horizon(30)


@pytest.fixture(scope="module")
def month_replications(month: Scenario) -> ExperimentResult:
    return replicate(month, n=3, seed=0, executor="serial")


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


# --- cost by stage ---------------------------------------------------------------------


def test_stages_add_up_to_the_total(baseline_year_run: RunResult, baseline: Scenario) -> None:
    run = baseline_year_run
    stages = cost_by_stage(run, baseline)
    assert list(stages) == list(COST_STAGES)
    assert math.fsum(stages.values()) == pytest.approx(run.kpis["total_cost_cny"], rel=1e-12)
    per_kg = cost_per_kg_by_stage(run, baseline)
    assert math.fsum(per_kg.values()) == pytest.approx(
        run.kpis["total_cost_per_kg_sold_cny"], rel=1e-12
    )
    assert stages["farm_gate"] == run.kpis["purchase_cost_cny"]
    assert all(cost > 0 for cost in stages.values())


def test_collection_holds_the_collection_points_capital(
    baseline_year_run: RunResult, baseline: Scenario
) -> None:
    """The remainder of capital and fixed costs is what the collection points cost."""
    run = baseline_year_run
    rate = baseline.finance.discount_rate
    expected = 0.0
    for point in baseline.collection_points.values():
        if point.cold_room_capital is not None:
            capital = point.cold_room_capital
            crf = capital_recovery_factor(rate, capital.life_years)
            expected += point.cold_room_kg * capital.price_cny_per_unit * crf
        if point.precooling.capital is not None:
            capital = point.precooling.capital
            crf = capital_recovery_factor(rate, capital.life_years)
            expected += point.precooling.units * capital.price_cny_per_unit * crf
        expected += point.fixed_cny_per_year
    years = (run.horizon_days - run.warmup_days) / DAYS_PER_YEAR
    k = run.kpis
    collection = cost_by_stage(run, baseline)["collection"]
    assert collection - k["handling_cost_cny"] - k["packaging_cost_cny"] == pytest.approx(
        expected * years, rel=1e-9
    )


def test_a_bigger_hub_costs_the_hubs_stage_only(baseline: Scenario) -> None:
    short = baseline.with_horizon(20)
    bigger = apply_overrides(short, {"hubs.shanghai_dc.storage_kg": 400_000})
    before = cost_by_stage(simulate(short, seed=0), short)
    after = cost_by_stage(simulate(bigger, seed=0), bigger)
    assert after["hubs"] > before["hubs"]  # rent of the larger store
    for stage in ("farm_gate", "transport", "market"):
        assert after[stage] == pytest.approx(before[stage], rel=0.05)


# --- the run report --------------------------------------------------------------------


def test_run_report_money_section(year_page: str, baseline_year_run: RunResult) -> None:
    k = baseline_year_run.kpis
    money = section(year_page, "money")
    words = text_of(money)
    for key in ("revenue_cny", "total_cost_cny", "profit_cny", "producer_income_cny"):
        assert format_number(k[key], "CNY") in words, key
    assert format_number(k["total_cost_per_kg_sold_cny"], "CNY/kg") in words
    assert "From revenue to profit" in money
    assert money.count("<figure") == 1
    assert "By market" in money
    assert "By product" in money
    for market, values in baseline_year_run.by_market.items():
        assert market in words
        assert format_number(values["profit_cny"], "CNY") in words
    assert "Nixi chicken" in words  # products by display name


def test_run_report_stage_table(
    year_page: str, baseline_year_run: RunResult, baseline: Scenario
) -> None:
    words = text_of(section(year_page, "money"))
    per_kg = cost_per_kg_by_stage(baseline_year_run, baseline)
    for stage, value in per_kg.items():
        assert format_number(value, "CNY/kg") in words, stage
    total = format_number(baseline_year_run.kpis["total_cost_per_kg_sold_cny"], "CNY/kg")
    cost = format_number(baseline_year_run.kpis["total_cost_cny"], "CNY")
    assert re.search(rf"total\s+{re.escape(cost)}\s+{re.escape(total)}", words)


def test_headline_card_names_margin_and_producers(
    year_page: str, baseline_year_run: RunResult
) -> None:
    cards = text_of(section(year_page, "headline"))
    income = format_number(baseline_year_run.kpis["producer_income_cny"], "CNY")
    assert f"producers received {income} CNY" in cards


def test_a_scenario_without_money_reads_well(run: RunResult, scenario: Scenario) -> None:
    page = run_report(run, scenario)
    money = section(page, "money")
    words = text_of(re.sub(r"<figure.*?</figure>", "", money, flags=re.DOTALL))
    assert "prices nothing but transport" in words
    assert "producers received" not in words
    assert not re.search(r"(?<![\d.])-0(?:\.0+)?(?![.\d])", words)  # no negative zero
    assert "nan" not in words.lower()
    assert "n/a" not in words
    assert "From revenue to" in money


# --- replications and comparisons ------------------------------------------------------


def test_replications_report_money(month_replications: ExperimentResult, month: Scenario) -> None:
    page = experiment_report(month_replications, month)
    assert_every_figure_embedded(page, 6)  # three of them distributions
    money = section(page, "money")
    assert "means over the replications" in money
    words = text_of(money)
    profit = month_replications.kpis["profit_cny"].mean
    assert format_number(abs(profit), "CNY") in words
    assert "Profit by market" in words
    assert "Cost per kg sold, by stage" in words
    assert "± " in words


def test_comparison_report_money(month: Scenario) -> None:
    configurations = {
        "base": month,
        "dearer fuel": apply_overrides(month, {"legs.shangrila_kunming.cost_cny_per_km": 20}),
    }
    comparison = compare(configurations, n=3, seed=0, executor="serial")
    page = comparison_report(comparison, configurations)
    words = text_of(section(page, "money"))
    diff = comparison.differences["dearer fuel"]["profit_cny"]
    assert diff.mean < 0
    assert diff.significant
    assert "dearer fuel against base" in words
    assert re.search(r"Profit\s+CNY\s+[\d,]+\s+[\d,]+\s+-[\d,]+ ± [\d,]+ \*", words)


# --- exports ---------------------------------------------------------------------------


def test_pnl_tables_add_up(baseline_year_run: RunResult) -> None:
    run = baseline_year_run
    tables = run_table_set(run)
    for name, label, entities in (
        ("pnl_by_market", "market", run.by_market),
        ("pnl_by_product", "product", run.by_product),
    ):
        table = tables[name]
        assert table.columns == (label, *PNL_COLUMNS)
        assert table.column(label) == list(entities)
        for key in (*COST_LINES, "revenue_cny", "total_cost_cny", "profit_cny"):
            assert math.fsum(table.column(key)) == pytest.approx(run.kpis[key], rel=1e-9), key
        for row in table.rows:
            costs = math.fsum(row[line] for line in COST_LINES)
            assert row["total_cost_cny"] == pytest.approx(costs, rel=1e-12)
            assert row["profit_cny"] == pytest.approx(row["revenue_cny"] - costs, abs=1e-6)


def test_experiment_summary_has_the_money_kpis(month_replications: ExperimentResult) -> None:
    summary = experiment_table_set(month_replications)["summary"]
    units = dict(zip(summary.column("kpi"), summary.column("unit"), strict=True))
    assert units["profit_cny"] == "CNY"
    assert units["total_cost_per_kg_sold_cny"] == "CNY/kg"
    assert units["producer_income_cny"] == "CNY"
    assert units["margin_rate"] == "fraction"
    runs = experiment_table_set(month_replications, runs=True)
    assert len(runs["runs_pnl_by_market"].rows) == 3 * len(month_replications.runs[0].by_market)
