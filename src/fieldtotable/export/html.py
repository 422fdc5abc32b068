"""Compact HTML tables of results: ``_repr_html_`` for Jupyter, and blocks of the report.

Presentation only: numbers are formatted as in the plain-text tables
(:func:`fieldtotable.tables.format.format_number`; rates as percentages, units in the
headers) and every text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fieldtotable.results.fields import KPIS, sweep_kpis
from fieldtotable.results.paths import kpi_unit
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.overrides import SET_LABEL, override_label
from fieldtotable.tables.experiments import format_estimate, format_interval
from fieldtotable.tables.format import display_unit, format_number

if TYPE_CHECKING:
    from fieldtotable.experiment.compare import ComparisonResult
    from fieldtotable.experiment.results import ExperimentResult
    from fieldtotable.experiment.statistics import Difference, Estimate
    from fieldtotable.experiment.sweep import SweepResult

__all__ = [
    "comparison_html",
    "esc",
    "estimate_text",
    "experiment_html",
    "html_table",
    "interval_text",
    "kpi_label",
    "kpi_unit_shown",
    "parameter_text",
    "run_html",
    "sweep_html",
]


def esc(text: object) -> str:
    """Return ``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def kpi_label(key: str) -> str:
    """Return a KPI's plain-language name: its registry label (the key when it has none)."""
    found = KPIS.get(key)
    return key if found is None else found.title


def kpi_unit_shown(key: str) -> str:
    """Return the unit a KPI is shown in (``%`` for rates; see ``display_unit``)."""
    return display_unit(key, kpi_unit(key) or None)


def estimate_text(found: Estimate | Difference, unit: str) -> str:
    """Return ``mean ± half-width`` as the text tables show it."""
    return format_estimate(found, unit)


def interval_text(found: Estimate | Difference, unit: str) -> str:
    """Return ``[low, high]`` as the text tables show it."""
    return format_interval(found, unit)


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: str | None = None,
    caption: str | None = None,
    css_class: str = "ftt",
    raw: bool = False,
) -> str:
    """Return an HTML table.

    Parameters
    ----------
    headers
        Column headers (text; a newline starts a second, smaller line for the unit).
    rows
        Rows of cells (text, escaped unless ``raw``).
    align
        One letter per column, ``l`` or ``r`` (default: first left, others right).
    caption
        Text above the table.
    css_class
        The table's class.
    raw
        Cells are already HTML (the caller escaped them).
    """
    align = align or "l" + "r" * (len(headers) - 1)

    def head(text: str) -> str:
        name, _, unit = text.partition("\n")
        return esc(name) + (f'<br><span class="unit">{esc(unit)}</span>' if unit else "")

    def cls(index: int) -> str:
        return ' class="num"' if align[index] == "r" else ""

    parts = [f'<table class="{esc(css_class)}">']
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    parts.append(
        "<thead><tr>"
        + "".join(f"<th{cls(i)}>{head(h)}</th>" for i, h in enumerate(headers))
        + "</tr></thead><tbody>"
    )
    for row in rows:
        cells = "".join(
            f"<td{cls(i)}>{cell if raw else esc(cell)}</td>" for i, cell in enumerate(row)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _key_cell(key: str) -> str:
    label = kpi_label(key)
    if label == key:
        return f"<code>{esc(key)}</code>"
    return f'{esc(label)} <code class="key">{esc(key)}</code>'


def run_html(result: RunResult) -> str:
    """Return a run's KPIs as a compact HTML table (``RunResult._repr_html_``)."""
    keys = [*KPIS, *(key for key in result.kpis if key not in KPIS)]
    rows = []
    for key in keys:
        unit = display_unit(key)
        rows.append([_key_cell(key), esc(format_number(result.kpis.get(key), unit)), esc(unit)])
    heading = (
        f"<p><strong>{esc(result.scenario_name)}</strong> &middot; seed {result.seed}"
        + ("" if result.replication is None else f" &middot; replication {result.replication}")
        + f" &middot; {result.horizon_days} days, warm-up {result.warmup_days}</p>"
    )
    table = html_table(["KPI", "value", "unit"], rows, align="lrl", raw=True)
    return f'<div class="fieldtotable">{heading}{table}</div>'


def experiment_rows(result: ExperimentResult) -> list[list[str]]:
    """Return one HTML row per KPI: name, unit, mean ± half-width, interval, sd."""
    rows = []
    for key, found in result.kpis.items():
        unit = kpi_unit_shown(key)
        rows.append(
            [
                _key_cell(key),
                esc(unit),
                esc(estimate_text(found, unit)),
                esc(interval_text(found, unit)),
                esc(format_number(found.sd, unit)),
            ]
        )
    return rows


def experiment_html(result: ExperimentResult) -> str:
    """Return replications' KPIs with their intervals (``ExperimentResult._repr_html_``)."""
    level = f"{result.confidence * 100:g}%"
    heading = (
        f"<p><strong>{esc(result.scenario_name)}</strong> &middot; {result.n} replications"
        f" &middot; seed {result.seed} &middot; {level} confidence intervals (Student t)</p>"
    )
    headers = ["KPI", "unit", "mean ± half-width", f"{level} interval", "sd"]
    table = html_table(headers, experiment_rows(result), align="llrrr", raw=True)
    return f'<div class="fieldtotable">{heading}{table}</div>'


def comparison_rows(comparison: ComparisonResult) -> tuple[list[str], list[list[str]]]:
    """Return headers and HTML rows of a comparison, one row per KPI.

    Each configuration's mean ± half-width, then each difference to the baseline
    (``*`` when its interval excludes 0).
    """
    others = [name for name in comparison.names if name != comparison.baseline]
    headers = [
        "KPI",
        "unit",
        *comparison.names,
        *(f"{name} minus {comparison.baseline}" for name in others),
    ]
    keys = list(comparison.results[comparison.baseline].kpis)
    rows = []
    for key in keys:
        unit = kpi_unit_shown(key)
        row = [_key_cell(key), esc(unit)]
        row += [esc(estimate_text(comparison.results[n].kpis[key], unit)) for n in comparison.names]
        for name in others:
            diff = comparison.differences[name][key]
            text = esc(estimate_text(diff, unit))
            row.append(f'<strong class="sig">{text}&nbsp;*</strong>' if diff.significant else text)
        rows.append(row)
    return headers, rows


def comparison_html(comparison: ComparisonResult) -> str:
    """Return a comparison side by side (``ComparisonResult._repr_html_``)."""
    level = f"{comparison.confidence * 100:g}%"
    heading = (
        f"<p><strong>Comparison</strong> of {len(comparison.names)} configurations &middot; "
        f"baseline {esc(comparison.baseline)} &middot; {comparison.n} replications each, "
        f"common random numbers &middot; seed {comparison.seed} &middot; mean ± half-width of "
        f"{level} intervals; * the difference's interval excludes 0</p>"
    )
    headers, rows = comparison_rows(comparison)
    align = "ll" + "r" * (len(headers) - 2)
    table = html_table(headers, rows, align=align, raw=True)
    return f'<div class="fieldtotable">{heading}{table}</div>'


def parameter_text(path: str, value: object) -> str:
    """Return a sweep parameter's value as ``--set`` would take it (``[6, 18]``, ``4``)."""
    return override_label(path, value).removeprefix(f"{SET_LABEL} {path}=")


def sweep_rows(sweep: SweepResult, kpis: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """Return headers and rows: per point, its parameter values and each KPI's mean ± half-width."""
    headers = [
        "point",
        *(path.replace(".", ".\N{ZERO WIDTH SPACE}") for path in sweep.parameters),
        *(f"{kpi_label(key)}\n{kpi_unit_shown(key)}" for key in kpis),
    ]
    rows = [
        [
            str(point.index),
            *(
                parameter_text(path, point.overrides[path]) if path in point.overrides else "-"
                for path in sweep.parameters
            ),
            *(estimate_text(point.result.kpis[key], kpi_unit_shown(key)) for key in kpis),
        ]
        for point in sweep.points
    ]
    return headers, rows


def sweep_html(sweep: SweepResult, kpis: Sequence[str] | None = None) -> str:
    """Return a sweep, one row per point (``SweepResult._repr_html_``)."""
    keys = [key for key in (sweep_kpis() if kpis is None else kpis) if key in sweep.kpis]
    level = f"{sweep.confidence * 100:g}%"
    heading = (
        f"<p><strong>Sweep</strong> of {esc(sweep.scenario_name)} &middot; {len(sweep.points)} "
        f"points &times; {sweep.n} replications &middot; seed {sweep.seed} &middot; mean ± "
        f"half-width of {level} intervals</p>"
    )
    headers, rows = sweep_rows(sweep, keys)
    align = "r" + "l" * len(sweep.parameters) + "r" * len(keys)
    return f'<div class="fieldtotable">{heading}{html_table(headers, rows, align=align)}</div>'
