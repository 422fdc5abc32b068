"""Reports of comparisons (configurations side by side) and of parameter sweeps."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fieldtotable.experiment.compare import ComparisonResult
from fieldtotable.experiment.statistics import estimate
from fieldtotable.experiment.sweep import SweepResult
from fieldtotable.export.html import (
    comparison_rows,
    esc,
    estimate_text,
    experiment_rows,
    html_table,
    interval_text,
    kpi_label,
    kpi_unit_shown,
    parameter_text,
    sweep_rows,
)
from fieldtotable.report.common import (
    assumptions,
    footer,
    period,
    reproduce,
    version,
)
from fieldtotable.report.distributions import distributions_section
from fieldtotable.report.experiment_money import comparison_money, sweep_money
from fieldtotable.report.page import FigureFormat, Figures, FigureSpec, Section, page, scroll
from fieldtotable.report.scenario_html import scenario_differences, scenario_summary
from fieldtotable.results.fields import KPIS, field_of, headline_kpis, sweep_kpis
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario
from fieldtotable.tables import format_number

__all__ = ["comparison_report", "sweep_report"]


def _better(key: str) -> str | None:
    """Return ``higher``, ``lower`` or ``None``: which direction of a KPI is better."""
    found = field_of(key)
    return None if found is None else found.better


def _level(confidence: float) -> str:
    return f"{confidence * 100:g}%"


def _verdict(key: str, mean: float, significant: bool) -> str:
    if not significant:
        return '<span class="note">not distinguishable from 0 at this n</span>'
    direction = _better(key)
    better = (direction == "lower" and mean < 0) or (direction == "higher" and mean > 0)
    worse = (direction == "lower" and mean > 0) or (direction == "higher" and mean < 0)
    if better:
        return '<strong class="up">better</strong>'
    if worse:
        return '<strong class="down">worse</strong>'
    return "<strong>a real difference</strong>"


def _findings(comparison: ComparisonResult) -> str:
    base = comparison.results[comparison.baseline]
    level = _level(comparison.confidence)
    parts = []
    for name in comparison.names:
        if name == comparison.baseline:
            continue
        items = []
        for key in headline_kpis():
            diff = comparison.differences[name].get(key)
            if diff is None:
                continue
            unit = kpi_unit_shown(key)
            before = format_number(base.kpis[key].mean, unit)
            after = format_number(comparison.results[name].kpis[key].mean, unit)
            items.append(
                f"<li><strong>{esc(kpi_label(key))}</strong>: {esc(before)} → {esc(after)}"
                f"{'' if unit == '%' else ' ' + esc(unit)} "
                f"({esc(estimate_text(diff, unit))}, {level} interval "
                f"{esc(interval_text(diff, unit))}): {_verdict(key, diff.mean, diff.significant)}"
                "</li>"
            )
        count = len(comparison.significant(name))
        parts.append(
            f"<h3>{esc(name)} against {esc(comparison.baseline)}</h3>"
            f'<ul class="findings">{"".join(items)}</ul>'
            f'<p class="note">{count} of {len(comparison.differences[name])} KPIs differ '
            f"significantly ({level} paired intervals on common random numbers; no "
            "adjustment for looking at many KPIs at once).</p>"
        )
    return "".join(parts)


def _configurations(comparison: ComparisonResult, scenarios: Mapping[str, Scenario]) -> str:
    base = scenarios[comparison.baseline]
    rows = [
        [
            esc(name) + (" <em>(baseline)</em>" if name == comparison.baseline else ""),
            esc(scenarios[name].name),
            esc(period(scenarios[name])),
            f"<code>{esc(comparison.results[name].scenario_hash[:16])}…</code>",
        ]
        for name in comparison.names
    ]
    headers = ["configuration", "scenario", "period", "scenario sha256"]
    parts = [scroll(html_table(headers, rows, align="llll", raw=True))]
    for name in comparison.names:
        if name == comparison.baseline:
            continue
        diffs = scenario_differences(base, scenarios[name])
        title = f"What {name} changes against {comparison.baseline}"
        if diffs:
            table = html_table(["field", comparison.baseline, name], diffs, align="lll")
            parts.append(f"<h3>{esc(title)}</h3>{scroll(table)}")
        else:
            parts.append(f"<h3>{esc(title)}</h3><p>Nothing but the name.</p>")
    parts.append(
        f"<details><summary>The baseline scenario, {esc(comparison.baseline)}, in detail"
        f"</summary>{scenario_summary(base, level=4)}</details>"
    )
    return "".join(parts)


def _stage_table(comparison: ComparisonResult) -> str:
    first = comparison.results[comparison.baseline].runs
    stages = list(first[0].spoiled_kg_by_stage) if first else []
    rows = []
    for stage in stages:
        row = [stage]
        for name in comparison.names:
            values = [
                r.spoiled_kg_by_stage.get(stage, math.nan) for r in comparison.results[name].runs
            ]
            row.append(estimate_text(estimate(values, comparison.confidence), "kg"))
        rows.append(row)
    headers = ["stage", *(f"{name}\nkg" for name in comparison.names)]
    return scroll(html_table(headers, rows))


def _file_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_") or "scenario"


def _experiment_flags(keys: Sequence[str], confidence: float) -> list[str]:
    flags = []
    if list(keys) != list(KPIS):
        for key in keys:
            flags += ["--kpi", key]
    if confidence != 0.95:
        flags += ["--confidence", f"{confidence:g}"]
    return flags


def comparison_report(
    comparison: ComparisonResult,
    scenarios: Mapping[str, Scenario],
    *,
    question: str | None = None,
    command: str | None = None,
    figures: FigureFormat = "svg",
) -> str:
    """Return a self-contained HTML report of a comparison.

    Parameters
    ----------
    comparison
        The comparison (from :func:`fieldtotable.compare`).
    scenarios
        Configuration name -> the scenario run under that name.
    question, command, figures
        As for :func:`~fieldtotable.report.run_report`.

    Returns
    -------
    str
        One HTML document: the differences that matter against the baseline, what
        each configuration changes, every KPI side by side with confidence intervals,
        the comparison chart, money (the money KPIs' paired differences, a P&L
        waterfall per configuration, the cost per kg sold by stage with paired
        differences), spoilage by stage, assumptions and how to reproduce.
    """
    missing = [name for name in comparison.names if name not in scenarios]
    if missing:
        raise ValueError(f"no scenario given for configuration(s): {', '.join(missing)}")
    level = _level(comparison.confidence)
    others = [name for name in comparison.names if name != comparison.baseline]
    draw = Figures(figures)
    chart = draw(
        FigureSpec(
            "comparison_chart",
            (comparison,),
            {},
            "Configurations side by side",
            f"The main KPIs of each configuration with their {level} confidence intervals, "
            "and the paired difference of each to the baseline.",
        )
    )
    headers, rows = comparison_rows(comparison)
    table = scroll(html_table(headers, rows, align="ll" + "r" * (len(headers) - 2), raw=True))
    details = "".join(
        f"<details><summary>{esc(name)}: every KPI with its interval and spread</summary>"
        + scroll(
            html_table(
                ["KPI", "unit", "mean ± half-width", f"{level} interval", "sd"],
                experiment_rows(comparison.results[name]),
                align="llrrr",
                raw=True,
            )
        )
        + "</details>"
        for name in comparison.names
    )
    files = [
        (f"{_file_name(n)}.yaml", scenarios[n], comparison.results[n].scenario_hash)
        for n in comparison.names
    ]
    replay = ["fieldtotable", "compare", *(f for f, _, _ in files)]
    replay += ["-n", str(comparison.n), "--seed", str(comparison.seed)]
    replay += ["--baseline", _file_name(comparison.baseline)]
    replay += _experiment_flags(
        list(comparison.results[comparison.baseline].kpis), comparison.confidence
    )
    replay += ["--report", "comparison.html"]
    loads = ", ".join(
        f'"{n}": load_scenario("{f}")' for n, (f, _, _) in zip(comparison.names, files, strict=True)
    )
    python = (
        "from fieldtotable import compare, load_scenario\n"
        f"result = compare({{{loads}}}, n={comparison.n}, seed={comparison.seed}, "
        f'baseline="{comparison.baseline}")'
    )
    sections = [
        Section("findings", "What changes", _findings(comparison)),
        Section("configurations", "The configurations", _configurations(comparison, scenarios)),
        Section(
            "kpis",
            "All KPIs side by side",
            f"<p>Mean ± half-width of the {level} confidence interval over {comparison.n} "
            f"replications; the last column{'s give' if len(others) > 1 else ' gives'} the paired "
            "difference to the baseline, <strong>*</strong> where its interval excludes 0. "
            "Differences of rates are in percentage points (pp).</p>" + table + chart + details,
        ),
        Section(
            "distributions",
            "Distributions and tails",
            distributions_section(comparison.results, draw),
        ),
        Section("money", "Money", comparison_money(comparison, scenarios, draw)),
        Section("spoilage", "Where spoilage happens", _stage_table(comparison)),
        Section(
            "assumptions",
            "Assumptions",
            assumptions(
                [(n, scenarios[n], comparison.results[n].scenario_hash) for n in comparison.names],
                seeds=f"{comparison.seed}; replication i of every configuration uses seed "
                f"{comparison.seed}, replication i",
                replications=f"{comparison.n} per configuration",
                statistics=[
                    (
                        "Random numbers",
                        "Common random numbers: each component draws from its own random "
                        "stream, so configurations see the same harvests, demand and transit "
                        "times wherever they share components.",
                    ),
                    (
                        "Differences",
                        f"Paired differences, replication by replication, with {level} "
                        "Student-t intervals; no adjustment for testing many KPIs at once.",
                    ),
                ],
            ),
        ),
        Section(
            "reproduce",
            "Reproduce",
            reproduce(command=command, replay=replay, python=python, files=files),
        ),
    ]
    meta = esc(
        f"{len(comparison.names)} configurations · baseline {comparison.baseline} · "
        f"{comparison.n} replications each · seed {comparison.seed} · fieldtotable {version()}"
    )
    verb = "does" if len(others) == 1 else "do"
    question = question or (
        f"How {verb} {', '.join(others)} compare with {comparison.baseline} in sales, "
        "spoilage, cost and freshness at sale, and which differences are real rather than "
        "chance?"
    )
    return page(
        title=f"{' vs '.join(comparison.names)}",
        kicker="fieldtotable · comparison report",
        question=question,
        meta=meta,
        sections=sections,
        footer=footer([comparison.results[n].scenario_hash for n in comparison.names]),
    )


def _best(sweep: SweepResult, keys: Sequence[str]) -> str:
    items = []
    for key in keys:
        direction = _better(key)
        if direction is None:
            continue
        points = [p for p in sweep.points if not math.isnan(p.result.kpis[key].mean)]
        if not points:
            continue
        lower = direction == "lower"
        best = min(points, key=lambda p: p.result.kpis[key].mean * (1 if lower else -1))
        unit = kpi_unit_shown(key)
        items.append(
            f"<li><strong>{esc(kpi_label(key))}</strong> is {'lowest' if lower else 'highest'} "
            f"at point {best.index} ({esc(best.label)}): "
            f"{esc(estimate_text(best.result.kpis[key], unit))}"
            f"{'' if unit == '%' else ' ' + esc(unit)}</li>"
        )
    return (
        f'<ul class="findings">{"".join(items)}</ul><p class="note">Where the intervals of two '
        "points overlap, more replications are needed to tell them apart.</p>"
    )


def _grid(sweep: SweepResult) -> dict[str, list[Any]] | None:
    """Return the full-factorial grid behind the sweep, or ``None`` if it is not one."""
    grid: dict[str, list[Any]] = {}
    for name in sweep.parameters:
        seen: dict[str, Any] = {}
        for point in sweep.points:
            if name not in point.overrides:
                return None
            value = point.overrides[name]
            seen.setdefault(json.dumps(value, sort_keys=True, default=str), value)
        grid[name] = list(seen.values())
    size = math.prod(len(values) for values in grid.values())
    return grid if size == len(sweep.points) else None


def sweep_report(
    sweep: SweepResult,
    scenario: Scenario,
    *,
    question: str | None = None,
    command: str | None = None,
    figures: FigureFormat = "svg",
    kpis: Sequence[str] | None = None,
) -> str:
    """Return a self-contained HTML report of a parameter sweep.

    Parameters
    ----------
    sweep
        The sweep (from :func:`fieldtotable.sweep`).
    scenario
        The base scenario the grid's values were applied to.
    question, command, figures
        As for :func:`~fieldtotable.report.run_report`.
    kpis
        KPIs to tabulate and chart (default: sold kg, spoilage rate, fill rate,
        shelf life left at sale, cost per kg sold, those the sweep has).

    Returns
    -------
    str
        One HTML document: the best point per KPI, a table of the points, a chart
        per KPI, money (profit per point, the P&L waterfalls of the most profitable
        and the base point, the cost per kg sold by stage per point; left out when
        the scenario prices nothing but transport), every KPI of every point, the
        base scenario, assumptions and how to reproduce.
    """
    keys = [k for k in (kpis or sweep_kpis()) if k in sweep.kpis] or list(sweep.kpis)[:5]
    level = _level(sweep.confidence)
    draw = Figures(figures)
    charts = (
        '<div class="grid">'
        + "".join(
            draw(
                FigureSpec(
                    "sweep_chart",
                    (sweep, key),
                    {},
                    f"{kpi_label(key)} across the grid",
                    f"Mean with its {level} confidence interval at each point of the sweep.",
                )
            )
            for key in keys
        )
        + "</div>"
    )
    headers, rows = sweep_rows(sweep, keys)
    table = scroll(
        html_table(headers, rows, align="r" + "l" * len(sweep.parameters) + "r" * len(keys))
    )
    every = "".join(
        f"<details><summary>Point {p.index}: {esc(p.label)}</summary>"
        + scroll(
            html_table(
                ["KPI", "unit", "mean ± half-width", f"{level} interval", "sd"],
                experiment_rows(p.result),
                align="llrrr",
                raw=True,
            )
        )
        + "</details>"
        for p in sweep.points
    )
    grid = _grid(sweep)
    digest = scenario_hash(scenario)
    grid_rows = [
        [name, ", ".join(parameter_text(name, v) for v in values)]
        for name, values in (grid or {}).items()
    ]
    grid_html = scroll(html_table(["parameter", "values"], grid_rows, align="ll")) if grid else ""
    replay = ["fieldtotable", "sweep", "scenario.yaml"]
    for name, values in (grid or {}).items():
        replay += ["--grid", f"{name}={','.join(parameter_text(name, v) for v in values)}"]
    replay += ["-n", str(sweep.n), "--seed", str(sweep.seed)]
    replay += [*_experiment_flags(list(sweep.kpis), sweep.confidence), "--report", "sweep.html"]
    spec = repr(grid) if grid else repr([p.overrides for p in sweep.points])
    python = (
        "from fieldtotable import load_scenario, sweep\n"
        f'result = sweep(load_scenario("scenario.yaml"), {spec}, n={sweep.n}, seed={sweep.seed})'
    )
    hashes = [p.result.scenario_hash for p in sweep.points]
    sections = [
        Section("findings", "Key figures", _best(sweep, keys) + table),
        Section("charts", "Charts", charts),
        *(
            [Section("money", "Money", money)]
            if (money := sweep_money(sweep, scenario, draw, keys))
            else []
        ),
        Section("points", "Every KPI of every point", every),
        Section("scenario", "The base scenario", grid_html + scenario_summary(scenario)),
        Section(
            "assumptions",
            "Assumptions",
            assumptions(
                [("", scenario, digest)],
                seeds=f"{sweep.seed}; replication i of every point uses seed {sweep.seed}, "
                "replication i (common random numbers across points)",
                replications=f"{sweep.n} per point, {len(sweep.points)} points",
                statistics=[
                    ("Intervals", f"{level} Student-t confidence intervals of each point's mean.")
                ],
            ),
        ),
        Section(
            "reproduce",
            "Reproduce",
            reproduce(
                command=command,
                replay=replay if grid else None,
                python=python,
                files=[("scenario.yaml", scenario, digest)],
            ),
        ),
    ]
    meta = esc(
        f"{len(sweep.points)} points \N{MULTIPLICATION SIGN} {sweep.n} replications · "
        f"seed {sweep.seed} · "
        f"{period(scenario)} · fieldtotable {version()}"
    )
    question = question or (
        f"How do sales, spoilage, cost and freshness at sale change as "
        f"{' and '.join(sweep.parameters)} "
        f"{'varies' if len(sweep.parameters) == 1 else 'vary together'}?"
    )
    return page(
        title=f"Sweep of {scenario.name}",
        kicker="fieldtotable · sweep report",
        question=question,
        meta=meta,
        sections=sections,
        footer=footer(sorted(set(hashes), key=hashes.index)[:3]),
    )
