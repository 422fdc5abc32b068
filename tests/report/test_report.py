"""HTML reports: their content (KPI values, figures, scenario, assumptions) and that they
stand alone (no reference to anything outside the file)."""

from __future__ import annotations

import base64
import html
import re
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
from report_checks import DESIGN_KPIS, is_local, references

import fieldtotable
from fieldtotable import (
    KPI_DEFINITIONS,
    ComparisonResult,
    ExperimentResult,
    RunResult,
    Scenario,
    SweepResult,
)
from fieldtotable.experiment import scenario_hash
from fieldtotable.report import (
    comparison_report,
    experiment_report,
    run_report,
    sweep_report,
    write_report,
)
from fieldtotable.report import page as page_module
from fieldtotable.report.scenario_html import product_name
from fieldtotable.scenario import parse_scenario
from fieldtotable.tables import display_unit, format_comparison, format_estimate, format_number

QUESTION = "Does the small channel keep matsutake spoilage under 20 % in July?"
RUN_FIGURES = 5  # network map, spoilage waterfall, P&L waterfall, shelf life at sale, daily series


@pytest.fixture(scope="module")
def run_page(run: RunResult, scenario: Scenario) -> str:
    return run_report(run, scenario, question=QUESTION, command="fieldtotable report small.yaml")


@pytest.fixture(scope="module")
def comparison_page(comparison: ComparisonResult, configurations: dict[str, Scenario]) -> str:
    return comparison_report(comparison, configurations)


@pytest.fixture(scope="module")
def sweep_page(numeric_sweep: SweepResult, scenario: Scenario) -> str:
    return sweep_report(numeric_sweep, scenario)


@pytest.fixture(scope="module")
def experiment_page(experiment: ExperimentResult, scenario: Scenario) -> str:
    return experiment_report(experiment, scenario)


def section(page: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.DOTALL)
    assert match, f"no section {anchor}"
    return match.group(1)


def figures(page: str) -> list[str]:
    return re.findall(r'<figure class="chart[^"]*".*?</figure>', page, re.DOTALL)


def assert_every_figure_embedded(page: str, expected: int) -> None:
    found = figures(page)
    assert len(found) == expected
    for number, figure in enumerate(found, start=1):
        assert "missing" not in figure.split(">", 1)[0], figure[:300]
        assert figure.count("<svg") == 1 or figure.count("data:image/png;base64,") == 1
        assert f"Figure {number}." in figure  # numbered caption
    assert page.count("<svg") == expected


def assert_standalone(page: str) -> None:
    found = references(page)
    outside = [(tag, name, url) for tag, name, url in found.urls if not is_local(url)]
    assert outside == []
    assert not {"script", "iframe", "object", "embed", "frame", "base"} & set(found.tags)
    links = [url for tag, name, url in found.urls if tag == "link"]
    assert links == ["data:,"]  # only the empty favicon, so browsers ask for none
    assert "@font-face" not in page
    assert not re.search(r"(?i)\b(src|href)\s*=\s*['\"]?\s*(https?:|//|file:)", page)


# --- one run -------------------------------------------------------------------------------


def test_run_report_states_the_question(run_page: str, scenario: Scenario) -> None:
    assert html.escape(QUESTION) in run_page
    assert f"<title>{html.escape(scenario.name)}</title>" in run_page
    assert run_page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in run_page


def test_run_report_has_every_kpi_value_as_formatted(run_page: str, run: RunResult) -> None:
    table = section(run_page, "kpis")
    for key in KPI_DEFINITIONS:
        unit = display_unit(key)
        value = format_number(run.kpis[key], unit)
        row = re.search(
            rf"<code>{key}</code></td><td class=\"num\">([^<]*)</td><td>([^<]*)</td>", table
        )
        assert row, key
        assert row.group(1) == value
        assert row.group(2) == html.escape(unit)
    assert set(DESIGN_KPIS) <= set(KPI_DEFINITIONS)


def test_run_report_headline_and_breakdowns(
    run_page: str, run: RunResult, scenario: Scenario
) -> None:
    headline = section(run_page, "headline")
    assert format_number(run.kpis["sold_kg"], "kg") in headline
    assert format_number(run.kpis["spoilage_rate"], "%") in headline
    stages = section(run_page, "spoilage")
    for stage, kg in run.spoiled_kg_by_stage.items():
        assert f'<td>{stage}</td><td class="num">{format_number(kg, "kg")}</td>' in stages
    products = section(run_page, "products")
    for product, values in run.by_product.items():
        assert html.escape(product_name(scenario, product)) in products
        assert format_number(values["sold_kg"], "kg") in products
        assert format_number(values["spoilage_rate"], "%") in products
    legs = section(run_page, "legs")
    for leg, values in run.by_leg.items():
        assert f"<td>{leg}</td>" in legs
        assert format_number(values["cost_cny"], "CNY") in legs
    nodes = section(run_page, "nodes")
    for node, values in run.by_node.items():
        assert f"<td>{node}</td>" in nodes
        assert format_number(values["peak_stock_kg"], "kg") in nodes
    markets = section(run_page, "markets")
    for market, values in run.by_market.items():
        assert f"<td>{market}</td>" in markets
        assert format_number(values["fill_rate"], "%") in markets


def test_run_report_summarises_the_scenario(run_page: str, scenario: Scenario) -> None:
    summary = section(run_page, "scenario")
    for product in scenario.products:
        assert html.escape(product_name(scenario, product)) in summary
    for node in [*scenario.collection_points, *scenario.hubs, *scenario.sources, *scenario.markets]:
        assert f"<td>{node}</td>" in summary
    for leg_id, leg in scenario.legs.items():
        assert (
            f"<td>{leg_id}</td><td>{leg.from_} → {leg.to}</td><td>{leg.mode.replace('_', ' ')}</td>"
            in summary
        )
    assert f"{scenario.warmup_days} days left out of the KPIs" in summary


def test_run_report_embeds_every_figure(run_page: str) -> None:
    assert_every_figure_embedded(run_page, RUN_FIGURES)
    captions = re.findall(r"<figcaption><strong>(Figure \d+\. [^<]*)</strong>", run_page)
    assert len(captions) == RUN_FIGURES


def test_png_figures_are_embedded_images(run: RunResult, scenario: Scenario) -> None:
    page = run_report(run, scenario, figures="png")
    assert len(figures(page)) == RUN_FIGURES
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == RUN_FIGURES
    for data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert "<svg" not in page
    assert_standalone(page)


def test_run_report_refers_to_nothing_outside(run_page: str) -> None:
    assert_standalone(run_page)


def test_run_report_says_how_to_reproduce(
    run_page: str, run: RunResult, scenario: Scenario
) -> None:
    assumptions = section(run_page, "assumptions")
    digest = scenario_hash(scenario)
    assert digest in assumptions
    assert f"<dt>Seed</dt><dd>{run.seed}</dd>" in assumptions
    assert fieldtotable.__version__ in assumptions
    assert f"{scenario.horizon_days} days, warm-up {scenario.warmup_days}" in assumptions
    again = section(run_page, "reproduce")
    assert "fieldtotable report small.yaml" in again
    assert f"fieldtotable report scenario.yaml --seed {run.seed} -o report.html" in again
    yaml_text = re.search(r"<details><summary>scenario.yaml.*?<pre>(.*?)</pre>", again, re.DOTALL)
    assert yaml_text
    resolved = parse_scenario(html.unescape(yaml_text.group(1)))
    assert scenario_hash(resolved) == digest
    assert fieldtotable.simulate(resolved, seed=run.seed) == run


def test_text_is_escaped(
    run: RunResult, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without figures (their drawing is checked above): the text around them is the same.
    monkeypatch.setattr(page_module, "plotting_module", lambda: None)
    page = run_report(run, scenario, question="<script>alert(1)</script> & more")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_a_missing_figure_leaves_a_visible_note(
    run: RunResult, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = page_module.plotting_module()
    assert real is not None
    partial = SimpleNamespace(
        save_svg=real.save_svg,
        spoilage_waterfall=real.spoilage_waterfall,
    )
    monkeypatch.setattr(page_module, "plotting_module", lambda: partial)
    page = run_report(run, scenario)
    found = figures(page)
    assert len(found) == RUN_FIGURES
    missing = [f for f in found if 'class="chart missing"' in f]
    assert len(missing) == RUN_FIGURES - 1
    assert all("Figure not included" in f and "has no " in f for f in missing)
    assert page.count("<svg") == 1
    assert "Figure 1. Where the harvest goes." in page  # numbers skip the missing ones
    monkeypatch.setattr(page_module, "plotting_module", lambda: None)
    assert "plotting module (fieldtotable.plotting) is not available" in run_report(run, scenario)


def test_a_failing_figure_leaves_a_note_and_a_warning(
    run: RunResult, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = page_module.plotting_module()

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("no bars today")

    partial = SimpleNamespace(
        save_svg=real.save_svg,
        network_map=real.network_map,
        spoilage_waterfall=broken,
        pnl_waterfall=real.pnl_waterfall,
        shelf_life_at_sale=real.shelf_life_at_sale,
        daily_series=real.daily_series,
    )
    monkeypatch.setattr(page_module, "plotting_module", lambda: partial)
    with pytest.warns(RuntimeWarning, match=r"spoilage_waterfall\(\) could not be drawn"):
        page = run_report(run, scenario)
    assert "spoilage_waterfall() failed (ValueError: no bars today)" in page
    assert page.count("<svg") == RUN_FIGURES - 1
    numbers = re.findall(r"<strong>Figure (\d+)\.", page)
    assert numbers == ["1", "2", "3", "4"]
    assert_standalone(page)


def test_write_report(run_page: str, tmp_path: Path) -> None:
    path = write_report(run_page, tmp_path / "report.html")
    assert path.read_text(encoding="utf-8") == run_page


# --- experiments -----------------------------------------------------------------------------


def test_experiment_report(experiment_page: str, experiment: ExperimentResult) -> None:
    table = section(experiment_page, "kpis")
    for key, found in experiment.kpis.items():
        assert html.escape(format_estimate(found, display_unit(key))) in table, key
    assert f"{experiment.n} independent replications" in section(experiment_page, "assumptions")
    # P&L waterfall of the means, and a distribution (ECDF) per headline KPI.
    assert_every_figure_embedded(experiment_page, 6)
    distributions = section(experiment_page, "distributions")
    for statistic in ("P5", "P50", "P95", "CVaR95"):
        assert statistic in distributions
    for kpi in ("spoilage_rate", "fill_rate", "sold_value_cny"):
        assert f"{kpi}: every replication" in distributions
    assert_standalone(experiment_page)


def test_comparison_report_has_every_estimate_and_difference(
    comparison_page: str, comparison: ComparisonResult
) -> None:
    table = section(comparison_page, "kpis")
    for name, result in comparison.results.items():
        for key, found in result.kpis.items():
            assert html.escape(format_estimate(found, display_unit(key))) in table, (name, key)
    for key, diff in comparison.differences["more trucks"].items():
        assert html.escape(format_estimate(diff, display_unit(key))) in table, key
    findings = section(comparison_page, "findings")
    assert "more trucks against base" in findings
    assert "interval" in findings


def test_comparison_report_shows_what_differs(comparison_page: str) -> None:
    configurations = section(comparison_page, "configurations")
    assert "<td>legs.cp_shanghai.fleet</td><td>3</td><td>5</td>" in configurations
    assumptions = section(comparison_page, "assumptions")
    assert "Common random numbers" in assumptions
    again = section(comparison_page, "reproduce")
    assert "fieldtotable compare base.yaml more_trucks.yaml -n 3 --seed 2 --baseline base" in again
    assert again.count("<details>") == 2


def test_comparison_report_embeds_its_chart(comparison_page: str) -> None:
    # The chart, a P&L waterfall per configuration and three distributions (ECDF).
    assert_every_figure_embedded(comparison_page, 6)
    assert section(comparison_page, "distributions").count("<tr>") >= 3 * 3
    assert_standalone(comparison_page)


def test_comparison_report_needs_every_scenario(
    comparison: ComparisonResult, configurations: dict[str, Scenario]
) -> None:
    with pytest.raises(ValueError, match="more trucks"):
        comparison_report(comparison, {"base": configurations["base"]})


def test_sweep_report(sweep_page: str, numeric_sweep: SweepResult) -> None:
    points = section(sweep_page, "findings")
    for point in numeric_sweep.points:
        for key in ("sold_kg", "spoilage_rate", "fill_rate"):
            assert html.escape(format_estimate(point.result.kpis[key], display_unit(key))) in points
    every = section(sweep_page, "points")
    assert every.count("<details>") == len(numeric_sweep.points)
    again = html.unescape(section(sweep_page, "reproduce"))
    assert "--grid legs.cp_shanghai.fleet=1,3 --grid scale=1,2 -n 2 --seed 0" in again
    assert_every_figure_embedded(sweep_page, 6)  # one per sweep KPI (profit_cny added)
    assert_standalone(sweep_page)


def test_sweep_report_reproduces_list_values(swept: SweepResult, scenario: Scenario) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a figure that failed to draw warns: fail then
        page = sweep_report(swept, scenario)
    assert "could not be drawn" not in page
    again = html.unescape(section(page, "reproduce"))
    assert "--grid 'legs.cp_shanghai.dispatch.departures_h=[18],[6, 18]' --grid scale=1,2" in again
    assert "'legs.cp_shanghai.dispatch.departures_h': [[18], [6, 18]]" in again


def _fact_titles(page: str) -> list[str]:
    return re.findall(r"<dt>([^<]*)</dt>", section(page, "assumptions"))


@pytest.mark.parametrize("page", ["comparison_page", "experiment_page", "sweep_page", "run_page"])
def test_assumption_rows_have_distinct_titles(page: str, request: pytest.FixtureRequest) -> None:
    titles = _fact_titles(request.getfixturevalue(page))
    assert titles
    assert len(titles) == len(set(titles)), titles
    assert "Statistics" not in titles


def test_comparison_with_itself_shows_plain_zeros(
    configurations: dict[str, Scenario],
) -> None:
    """Every paired difference is exactly 0: no sign on 0, no noise, no negative zero."""
    same = {"base": configurations["base"], "again": configurations["base"]}
    comparison = fieldtotable.compare(same, n=2, seed=0, executor="serial")
    page = comparison_report(comparison, same, figures="svg")
    # What a reader sees: the page without its drawings, and the figures' texts
    # (matplotlib writes each text into the SVG as a comment).
    drawn = re.findall(r"<!-- (.*?) -->", page)
    assert "0" in drawn
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.DOTALL) + "\n".join(drawn)
    for bad in ("-0.0", "+0.0", "e-17", "e-16", "e-18", "\N{MINUS SIGN}0.0"):
        assert bad not in page, bad
    text = format_comparison(comparison)
    assert " 0.0%" in text
    assert "+0.0%" not in text
    assert "-0.0%" not in text
