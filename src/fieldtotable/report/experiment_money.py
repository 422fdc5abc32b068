"""The money sections of the comparison and sweep reports.

A comparison's section "Money" sets the configurations side by side: the paired
differences of the money KPIs, a P&L waterfall per configuration, and the cost per kg
sold by stage of each with its paired difference to the baseline. A sweep's section
"Money" gives profit at every point with its interval, the P&L waterfalls of the most
profitable point and of the base scenario's point, and the cost per kg sold by stage
at every point; a sweep of a scenario that prices nothing but transport has none.

Presentation only: every amount is a KPI of the runs or their stage split
(:func:`~fieldtotable.results.money_stages.stage_costs_per_kg`), summarised with the
experiments' own estimators.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from fieldtotable.experiment.compare import ComparisonResult
from fieldtotable.experiment.results import ExperimentResult
from fieldtotable.experiment.statistics import Difference, Estimate, estimate, paired_difference
from fieldtotable.experiment.sweep import SweepPoint, SweepResult
from fieldtotable.export.html import esc, estimate_text, html_table, interval_text, kpi_label
from fieldtotable.report.money import STAGES_NOTE, prices_only_transport, waterfall_figure
from fieldtotable.report.page import Figures, FigureSpec, scroll
from fieldtotable.results.money_stages import COST_STAGE_LABELS, COST_STAGES, stage_costs_per_kg
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.overrides import apply_overrides
from fieldtotable.scenario.schema import Scenario
from fieldtotable.tables import display_unit, format_number

__all__ = ["MONEY_SUMMARY_KPIS", "comparison_money", "stage_values", "sweep_money"]

MONEY_SUMMARY_KPIS = (
    "revenue_cny",
    "total_cost_cny",
    "profit_cny",
    "margin_rate",
    "total_cost_per_kg_sold_cny",
    "producer_income_cny",
    "spoilage_loss_cny",
)
"""The money KPIs a comparison's money section sets side by side."""

_PER_KG = "CNY/kg"
_TOTAL = "total"
"""The stage tables' last row: ``total_cost_per_kg_sold_cny``."""


def stage_values(result: ExperimentResult, scenario: Scenario | None) -> dict[str, list[float]]:
    """Return, per stage and for the total, the cost per kg sold of every replication.

    Parameters
    ----------
    result
        The replications.
    scenario
        Their scenario, for runs stored before they kept their stage split.

    Returns
    -------
    dict of str to list of float
        Per stage of :data:`~fieldtotable.results.money_stages.COST_STAGES`, then
        ``"total"`` (``total_cost_per_kg_sold_cny``), one value per replication.
    """
    per_run = [stage_costs_per_kg(run, scenario) for run in result.runs]
    values = {stage: [stages[stage] for stages in per_run] for stage in COST_STAGES}
    values[_TOTAL] = [run.kpis["total_cost_per_kg_sold_cny"] for run in result.runs]
    return values


def _stage_label(stage: str) -> str:
    return COST_STAGE_LABELS.get(stage, stage)


def _run_mean(result: ExperimentResult, key: str) -> float:
    """Return the mean over the runs of a KPI, whether or not the experiment summarised it."""
    values = [run.kpis.get(key, math.nan) for run in result.runs]
    return math.fsum(values) / len(values) if values else math.nan


def _run_estimate(result: ExperimentResult, key: str) -> Estimate:
    return estimate([run.kpis.get(key, math.nan) for run in result.runs], result.confidence)


# --- comparisons --------------------------------------------------------------------------


def _differences_table(comparison: ComparisonResult, name: str, level: str) -> str:
    base = comparison.results[comparison.baseline]
    rows = []
    for key in MONEY_SUMMARY_KPIS:
        diff = comparison.differences[name].get(key)
        if diff is None or key not in base.kpis:
            continue
        unit = display_unit(key)
        mark = " *" if diff.significant else ""
        rows.append(
            [
                kpi_label(key),
                unit,
                format_number(base.kpis[key].mean, unit),
                format_number(comparison.results[name].kpis[key].mean, unit),
                estimate_text(diff, unit) + mark,
                interval_text(diff, unit),
            ]
        )
    if not rows:
        return ""
    headers = [
        "KPI",
        "unit",
        f"{comparison.baseline}\nmean",
        f"{name}\nmean",
        "difference\n± half-width",
        f"{level} interval",
    ]
    return f"<h3>{esc(name)} against {esc(comparison.baseline)}</h3>" + scroll(
        html_table(headers, rows, align="llrrrr")
    )


def _difference(values: Sequence[float], baseline: Sequence[float], confidence: float) -> str:
    """Return ``mean ± half-width`` of a paired difference, ``*`` where it excludes 0."""
    if len(values) != len(baseline):  # replications of unequal number cannot be paired
        return format_number(math.nan, _PER_KG)
    found: Difference = paired_difference(values, baseline, confidence)
    return estimate_text(found, _PER_KG) + (" *" if found.significant else "")


def _comparison_stage_table(comparison: ComparisonResult, scenarios: Mapping[str, Scenario]) -> str:
    confidence = comparison.confidence
    values = {
        name: stage_values(comparison.results[name], scenarios.get(name))
        for name in comparison.names
    }
    others = [name for name in comparison.names if name != comparison.baseline]
    base = values[comparison.baseline]
    rows = []
    for stage in (*COST_STAGES, _TOTAL):
        row = [_stage_label(stage)]
        row += [
            estimate_text(estimate(values[name][stage], confidence), _PER_KG)
            for name in comparison.names
        ]
        row += [_difference(values[name][stage], base[stage], confidence) for name in others]
        rows.append(row)
    headers = [
        "stage",
        *(f"{name}\nCNY/kg, mean ± half-width" for name in comparison.names),
        *(f"{name} - {comparison.baseline}\nCNY/kg, paired" for name in others),
    ]
    return scroll(html_table(headers, rows))


def comparison_money(
    comparison: ComparisonResult, scenarios: Mapping[str, Scenario], fig: Figures
) -> str:
    """Return the body of a comparison report's section "Money".

    Parameters
    ----------
    comparison
        The comparison.
    scenarios
        Configuration name -> its scenario (display names; the stage split of runs
        stored before they kept it).
    fig
        The report's figure counter.

    Returns
    -------
    str
        Per configuration other than the baseline, a table of the money KPIs of
        :data:`MONEY_SUMMARY_KPIS`: both means and the paired difference with its
        interval (``*`` where it excludes 0); a P&L waterfall of every configuration's
        means, side by side; and the cost per kg sold by stage of every configuration
        (mean ± half-width) with the paired difference of each to the baseline. The
        waterfalls and the stages come from the runs, so they are there even when
        the comparison summarised none of the money KPIs (``--kpi``); the first
        tables are then left out.
    """
    level = f"{comparison.confidence * 100:g}%"
    tables = "".join(
        _differences_table(comparison, name, level)
        for name in comparison.names
        if name != comparison.baseline
    )
    if tables:
        tables += (
            '<p class="note">Paired differences on common random numbers; <strong>*</strong> '
            f"where the {level} interval excludes 0.</p>"
        )
    waterfalls = "".join(
        waterfall_figure(fig, comparison.results[name], scenarios[name], name)
        for name in comparison.names
    )
    return (
        tables
        + "<h3>From revenue to profit, configuration by configuration</h3>"
        + f'<div class="grid">{waterfalls}</div>'
        + "<h3>Cost per kg sold, by stage</h3>"
        + f"<p>Mean ± half-width of the {level} confidence interval over {comparison.n} "
        "replications; the last columns give the paired difference to the baseline, "
        "<strong>*</strong> where its interval excludes 0. The stages add up to the "
        "total.</p>" + _comparison_stage_table(comparison, scenarios) + STAGES_NOTE
    )


# --- sweeps -------------------------------------------------------------------------------


def _prices_money(sweep: SweepResult) -> bool:
    """Whether any run of the sweep has a cost line other than transport."""
    return any(
        not prices_only_transport(run.kpis) for point in sweep.points for run in point.result.runs
    )


def _point_name(point: SweepPoint) -> str:
    return f"point {point.index} ({point.label})"


def _base_point(sweep: SweepResult, scenario: Scenario) -> SweepPoint | None:
    """Return the point that runs the base scenario as it is, if the grid holds its values."""
    digest = scenario_hash(scenario)
    return next((p for p in sweep.points if p.result.scenario_hash == digest), None)


def _point_scenario(point: SweepPoint, scenario: Scenario) -> Scenario | None:
    """Return the point's scenario where a run lacks its stage split (stored before it)."""
    if all(run.cost_cny_by_stage for run in point.result.runs):
        return None
    return apply_overrides(scenario, point.overrides)


def _profit_table(sweep: SweepResult) -> str:
    level = f"{sweep.confidence * 100:g}%"
    rows = []
    for point in sweep.points:
        profit = _run_estimate(point.result, "profit_cny")
        margin = _run_estimate(point.result, "margin_rate")
        per_kg = _run_estimate(point.result, "total_cost_per_kg_sold_cny")
        rows.append(
            [
                str(point.index),
                point.label,
                estimate_text(profit, "CNY"),
                interval_text(profit, "CNY"),
                estimate_text(margin, "%"),
                estimate_text(per_kg, _PER_KG),
            ]
        )
    headers = [
        "point",
        "overrides",
        "profit\nCNY, mean ± half-width",
        f"{level} interval\nCNY",
        "margin\n%",
        "total cost per kg sold\nCNY/kg",
    ]
    return scroll(html_table(headers, rows, align="rlrrrr"))


def _sweep_stage_table(sweep: SweepResult, scenario: Scenario) -> str:
    rows = []
    for point in sweep.points:
        values = stage_values(point.result, _point_scenario(point, scenario))
        rows.append(
            [
                str(point.index),
                *(
                    estimate_text(estimate(values[stage], sweep.confidence), _PER_KG)
                    for stage in (*COST_STAGES, _TOTAL)
                ),
            ]
        )
    headers = [
        "point",
        *(f"{stage.replace('_', ' ')}\nCNY/kg" for stage in COST_STAGES),
        "total\nCNY/kg",
    ]
    return scroll(html_table(headers, rows))


def _waterfalls(sweep: SweepResult, scenario: Scenario, fig: Figures) -> str:
    best = max(sweep.points, key=lambda p: _run_mean(p.result, "profit_cny"))
    base = _base_point(sweep, scenario)
    label = f"{_point_name(best)}, the most profitable"
    if base is best:
        label += ", the base scenario's"
    figures = [waterfall_figure(fig, best.result, scenario, label)]
    if base is None:
        note = (
            "The grid does not hold the base scenario's own values, so there is no base "
            "point to set beside the most profitable one."
        )
    elif base is best:
        note = "The base scenario's point is the most profitable one."
    else:
        figures.append(
            waterfall_figure(fig, base.result, scenario, f"{_point_name(base)}, the base scenario")
        )
        note = "The most profitable point beside the point that runs the base scenario as it is."
    return f'<div class="grid">{"".join(figures)}</div><p class="note">{esc(note)}</p>'


def sweep_money(
    sweep: SweepResult, scenario: Scenario, fig: Figures, charted: Sequence[str] = ()
) -> str:
    """Return the body of a sweep report's section "Money", or ``""`` without money.

    Parameters
    ----------
    sweep
        The sweep.
    scenario
        The base scenario the grid's values were applied to.
    fig
        The report's figure counter.
    charted
        The KPIs the report already charts across the grid (profit is charted here
        unless it is among them).

    Returns
    -------
    str
        Profit, margin and total cost per kg sold at every point (mean ± half-width,
        profit with its interval); the chart of profit across the grid; the P&L
        waterfalls of the most profitable point and of the base scenario's point; the
        cost per kg sold by stage at every point. ``""`` when no run of the sweep has a
        cost line other than transport (the scenario prices nothing else).
    """
    if not sweep.points or not _prices_money(sweep):
        return ""
    level = f"{sweep.confidence * 100:g}%"
    chart = ""
    if "profit_cny" in sweep.kpis and "profit_cny" not in charted:
        chart = fig(
            FigureSpec(
                "sweep_chart",
                (sweep, "profit_cny"),
                {},
                "Profit across the grid",
                f"Mean profit with its {level} confidence interval at each point.",
            )
        )
    return (
        f"<p>Mean ± half-width of the {level} confidence interval over {sweep.n} "
        "replications per point.</p>"
        + _profit_table(sweep)
        + chart
        + "<h3>From revenue to profit</h3>"
        + _waterfalls(sweep, scenario, fig)
        + "<h3>Cost per kg sold, by stage</h3>"
        + '<p class="note">Mean ± half-width per point; the stages add up to the total.</p>'
        + _sweep_stage_table(sweep, scenario)
        + STAGES_NOTE
    )
