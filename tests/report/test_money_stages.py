"""Cost by stage in runs, exports, and the money sections of comparison and sweep reports.

Small scenarios only (``money_*`` fixtures: ``small.yaml`` over 20 days with a price on
every cost line); the year-long baseline's stages are tested in test_report_money.py.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from pathlib import Path

import pytest
from test_report import section

from fieldtotable import ComparisonResult, RunResult, Scenario, SweepResult, compare, simulate
from fieldtotable.experiment.records import run_from_data, run_to_data
from fieldtotable.experiment.statistics import estimate
from fieldtotable.export import (
    comparison_table_set,
    experiment_table_set,
    read_csv_table,
    run_table_set,
    sweep_table_set,
    write_comparison,
    write_run,
)
from fieldtotable.export.html import estimate_text
from fieldtotable.report import comparison_report, sweep_report
from fieldtotable.report.experiment_money import sweep_money
from fieldtotable.report.page import Figures
from fieldtotable.results.money_stages import (
    COST_STAGE_LABELS,
    COST_STAGES,
    cost_by_stage,
    stage_costs,
    stage_costs_per_kg,
)
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.tables import format_number


@pytest.fixture(scope="module")
def money_run(money_scenario: Scenario) -> RunResult:
    return simulate(money_scenario, seed=0)


@pytest.fixture(scope="module")
def comparison_money_html(
    money_comparison: ComparisonResult, money_configurations: dict[str, Scenario]
) -> str:
    return section(comparison_report(money_comparison, money_configurations), "money")


@pytest.fixture(scope="module")
def sweep_page(money_sweep: SweepResult, money_scenario: Scenario) -> str:
    return sweep_report(money_sweep, money_scenario)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


def table_after(fragment: str, heading: str | None = None) -> list[list[str]]:
    """The body rows (cell texts) of the first table after the ``<h3>`` ``heading``
    (of the fragment without one)."""
    start = 0 if heading is None else fragment.index(f"<h3>{heading}</h3>")
    table = re.search(r"<table.*?</table>", fragment[start:], re.DOTALL)
    assert table, f"no table after {heading}"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.DOTALL)
    assert body
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.DOTALL)
    return [
        [text_of(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.DOTALL)] for r in rows
    ]


def number(cell: str) -> tuple[float, float]:
    """The mean of a ``mean ± half-width`` cell and half a unit of its last decimal."""
    mean = cell.split("±", maxsplit=1)[0].strip().rstrip("*").strip().replace(",", "")
    decimals = len(mean.partition(".")[2])
    return float(mean), 0.5 * 10.0**-decimals


def assert_stages_add_up(stage_cells: list[str], total_cell: str) -> None:
    """Stage means add up to the total mean, to the rounding of the cells."""
    values = [number(cell) for cell in stage_cells]
    total, total_rounding = number(total_cell)
    slack = math.fsum(r for _, r in values) + total_rounding + 1e-9
    assert math.fsum(v for v, _ in values) == pytest.approx(total, abs=slack)


# --- the run carries its stage split ----------------------------------------------------


def test_simulate_keeps_the_stage_split(money_run: RunResult, money_scenario: Scenario) -> None:
    split = money_run.cost_cny_by_stage
    assert list(split) == list(COST_STAGES)
    assert split == cost_by_stage(money_run, money_scenario)
    assert all(cost > 0 for cost in split.values())  # the fixture prices every stage
    total = money_run.kpis["total_cost_cny"]
    assert math.fsum(split.values()) == pytest.approx(total, rel=1e-9)


def test_the_split_round_trips_and_old_records_fall_back(
    money_run: RunResult, money_scenario: Scenario
) -> None:
    data = run_to_data(money_run)
    assert run_from_data(data) == money_run
    assert run_from_data(data).cost_cny_by_stage == money_run.cost_cny_by_stage
    del data["cost_cny_by_stage"]  # a record written before the field existed
    old = run_from_data(data)
    assert old.cost_cny_by_stage == {}
    assert stage_costs(old, money_scenario) == money_run.cost_cny_by_stage
    assert all(math.isnan(cost) for cost in stage_costs(old).values())
    assert "cost_cny_by_stage" in money_run.to_dict()


# --- exports ---------------------------------------------------------------------------


def test_run_export_cost_by_stage(money_run: RunResult, tmp_path: Path) -> None:
    table = run_table_set(money_run)["cost_by_stage"]
    assert table.columns == ("stage", "cost_cny", "per_kg_sold_cny", "share_of_total")
    assert table.column("stage") == list(COST_STAGES)
    k = money_run.kpis
    assert math.fsum(table.column("cost_cny")) == pytest.approx(k["total_cost_cny"], rel=1e-9)
    assert math.fsum(table.column("per_kg_sold_cny")) == pytest.approx(
        k["total_cost_per_kg_sold_cny"], rel=1e-9
    )
    assert math.fsum(table.column("share_of_total")) == pytest.approx(1.0, rel=1e-9)
    write_run(money_run, tmp_path, formats=("csv",))
    assert read_csv_table(tmp_path / "cost_by_stage.csv").rows == table.rows
    frame = money_run.to_pandas("cost_by_stage")
    assert list(frame["stage"]) == list(COST_STAGES)


def test_experiment_exports_cost_by_stage(
    money_comparison: ComparisonResult, money_sweep: SweepResult, tmp_path: Path
) -> None:
    base = money_comparison.results["base"]
    rows = experiment_table_set(base)["cost_by_stage"].rows
    assert [row["stage"] for row in rows] == list(COST_STAGES)
    per_kg = [stage_costs_per_kg(run) for run in base.runs]
    transport = estimate([values["transport"] for values in per_kg])
    assert rows[2]["mean"] == transport.mean
    assert rows[2]["half_width"] == transport.half_width
    assert {row["unit"] for row in rows} == {"CNY/kg"}

    table = comparison_table_set(money_comparison)["cost_by_stage"]
    for name, result in money_comparison.results.items():
        means = [row["mean"] for row in table.rows if row["configuration"] == name]
        assert len(means) == len(COST_STAGES)
        total = result.kpis["total_cost_per_kg_sold_cny"].mean
        assert math.fsum(means) == pytest.approx(total, rel=1e-9)
    write_comparison(money_comparison, tmp_path, formats=("csv",))
    assert len(read_csv_table(tmp_path / "cost_by_stage.csv").rows) == 2 * len(COST_STAGES)

    swept = sweep_table_set(money_sweep)["cost_by_stage"]
    assert swept.columns[:3] == ("point", "legs.cp_shanghai.fleet", "stage")
    for point in money_sweep.points:
        means = [row["mean"] for row in swept.rows if row["point"] == point.index]
        total = point.result.kpis["total_cost_per_kg_sold_cny"].mean
        assert math.fsum(means) == pytest.approx(total, rel=1e-9)


# --- the comparison report -------------------------------------------------------------


def test_comparison_report_has_a_waterfall_per_configuration(
    comparison_money_html: str, money_comparison: ComparisonResult
) -> None:
    figures = re.findall(r'<figure class="chart".*?</figure>', comparison_money_html, re.DOTALL)
    assert len(figures) == len(money_comparison.names)
    for name, figure in zip(money_comparison.names, figures, strict=True):
        assert f"From revenue to profit: {name} (means over the replications)" in figure
        assert figure.count("waterfall:revenue_cny") == 1  # a P&L waterfall's bars
        assert "waterfall:profit_cny" in figure


def test_comparison_report_stage_table(
    comparison_money_html: str, money_comparison: ComparisonResult
) -> None:
    rows = table_after(comparison_money_html, "Cost per kg sold, by stage")
    labels = [row[0] for row in rows]
    assert labels == [*(COST_STAGE_LABELS[s] for s in COST_STAGES), "total"]
    names = money_comparison.names
    for column, name in enumerate(names, start=1):
        cells = [row[column] for row in rows]
        assert_stages_add_up(cells[:-1], cells[-1])
        total = money_comparison.results[name].kpis["total_cost_per_kg_sold_cny"]
        assert cells[-1].startswith(format_number(total.mean, "CNY/kg") + " ± ")
    difference = money_comparison.differences["more trucks"]["total_cost_per_kg_sold_cny"]
    mark = " *" if difference.significant else ""
    assert rows[-1][len(names) + 1] == estimate_text(difference, "CNY/kg") + mark
    stage_diffs = [row[len(names) + 1] for row in rows]
    assert_stages_add_up(stage_diffs[:-1], stage_diffs[-1])


# --- the sweep report ------------------------------------------------------------------


def test_sweep_report_money_section(
    sweep_page: str, money_sweep: SweepResult, money_scenario: Scenario
) -> None:
    money = section(sweep_page, "money")
    assert '<a href="#money">Money</a>' in sweep_page
    means = {
        p.index: math.fsum(r.kpis["profit_cny"] for r in p.result.runs) / p.result.n
        for p in money_sweep.points
    }
    best = max(means, key=lambda index: means[index])
    # the grid's middle value, 3 trucks, is the base scenario's own
    assert money_sweep.points[1].result.scenario_hash == scenario_hash(money_scenario)
    caption = r"<figcaption><strong>Figure \d+\. From revenue to profit: (.*?) \(means"
    captions = re.findall(caption, money)
    assert captions[0].startswith(f"point {best} (")
    assert "the most profitable" in captions[0]
    assert any("point 1 (legs.cp_shanghai.fleet=3)" in c and "base scenario" in c for c in captions)
    assert len(captions) == (1 if best == 1 else 2)
    # profit is a sweep KPI, charted among the others: the money section does not repeat it
    assert len(re.findall(r"<figcaption><strong>Figure \d+\. Profit across", sweep_page)) == 1

    profit_rows = table_after(money)
    for row, point in zip(profit_rows, money_sweep.points, strict=True):
        found = estimate([r.kpis["profit_cny"] for r in point.result.runs])
        assert row[0] == str(point.index)
        assert row[2] == format_number(found.mean, "CNY") + " ± " + format_number(
            found.half_width, "CNY"
        )

    stage_rows = table_after(money, "Cost per kg sold, by stage")
    assert [row[0] for row in stage_rows] == [str(p.index) for p in money_sweep.points]
    for row, point in zip(stage_rows, money_sweep.points, strict=True):
        assert len(row) == 1 + len(COST_STAGES) + 1
        assert_stages_add_up(row[1:-1], row[-1])
        total = point.result.kpis["total_cost_per_kg_sold_cny"].mean
        assert row[-1].startswith(format_number(total, "CNY/kg") + " ± ")


def test_sweep_money_charts_profit_unless_the_report_does(
    money_sweep: SweepResult, money_scenario: Scenario
) -> None:
    alone = sweep_money(money_sweep, money_scenario, Figures(), charted=("sold_kg",))
    assert "Profit across the grid" in alone
    beside = sweep_money(money_sweep, money_scenario, Figures(), charted=("profit_cny",))
    assert "Profit across the grid" not in beside


def test_sweep_report_without_money_has_no_money_section(
    swept: SweepResult, scenario: Scenario
) -> None:
    page = sweep_report(swept, scenario)
    assert '<section id="money">' not in page
    assert '<a href="#money">' not in page
    assert sweep_money(swept, scenario, Figures()) == ""


def test_sweep_report_reads_old_runs_through_the_scenario(
    money_sweep: SweepResult, money_scenario: Scenario
) -> None:
    """Runs stored before they kept their split get it from the point's scenario."""
    point = money_sweep.points[0]
    old_runs = tuple(dataclasses.replace(run, cost_cny_by_stage={}) for run in point.result.runs)
    old = dataclasses.replace(point.result, runs=old_runs)
    old_sweep = dataclasses.replace(
        money_sweep, points=(dataclasses.replace(point, result=old), *money_sweep.points[1:])
    )
    heading = "Cost per kg sold, by stage"
    fresh = table_after(sweep_money(money_sweep, money_scenario, Figures()), heading)
    again = table_after(sweep_money(old_sweep, money_scenario, Figures()), heading)
    assert again == fresh
    assert all(cell != format_number(math.nan, "CNY/kg") for cell in again[0])


def test_comparison_of_other_kpis_still_shows_where_the_money_goes(
    money_configurations: dict[str, Scenario],
) -> None:
    """The waterfalls and stages come from the runs, whatever KPIs were summarised."""
    comparison = compare(money_configurations, n=2, seed=0, kpis=["sold_kg"], executor="serial")
    money = section(comparison_report(comparison, money_configurations), "money")
    assert "Paired differences" not in money  # no money KPI was summarised
    assert money.count("waterfall:revenue_cny") == len(comparison.names)
    rows = table_after(money, "Cost per kg sold, by stage")
    assert len(rows) == len(COST_STAGES) + 1
