"""Plain-text tables of experiment results: estimates, paired differences, sweeps.

Presentation only. Every interval is shown as ``mean ± half-width`` and
``[low, high]``, in the KPI's display unit (rates as percentages); units are in the
headers; a significant difference is marked ``*``. With ``width`` (the command line
passes :data:`~fieldtotable.tables.format.TERMINAL_WIDTH` unless ``--wide``) the
tables fit that many columns: prose lines wrap, headers break, a table of
replications leaves out its ``[low, high]`` column and a comparison its intervals
(``mean ± half-width`` says the same), the configurations' half-widths and its
separate ``*`` column, only where needed; a sweep too wide is split into parts that
repeat the point's values. Every KPI keeps its row and every point its numbers::

    from fieldtotable.experiment import replicate
    from fieldtotable.tables import format_experiment

    print(format_experiment(replicate(scenario, n=30)))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fieldtotable.experiment.compare import ComparisonResult
from fieldtotable.experiment.results import ExperimentResult
from fieldtotable.experiment.statistics import Difference, Estimate
from fieldtotable.experiment.sweep import SweepResult
from fieldtotable.results.fields import sweep_kpis
from fieldtotable.results.paths import kpi_unit
from fieldtotable.scenario.overrides import SET_LABEL, override_label
from fieldtotable.tables.format import (
    MISSING,
    display_unit,
    format_change,
    format_number,
    format_table,
    split_columns,
    widest,
    wrap_text,
)

__all__ = [
    "SIGNIFICANT",
    "format_comparison",
    "format_estimate",
    "format_experiment",
    "format_interval",
    "format_sweep",
]

SIGNIFICANT = "*"
"""Marks a difference whose confidence interval excludes 0."""


def _title(text: str) -> str:
    return f"{text}\n{'=' * len(text)}"


def _percent(confidence: float) -> str:
    return f"{confidence * 100:g}%"


def _points(value: float) -> str:
    """Return a difference of rates in percentage points, without the unit."""
    return format_number(value * 100, "kg")  # one decimal, thousands separators


def _number(value: float, unit: str, *, difference: bool = False) -> str:
    """Format a number; a difference gets its sign, and rates are in percentage points."""
    if difference and unit == "%":
        text = _points(value)
        text = text if text == MISSING else f"{text} pp"
    else:
        text = format_number(value, unit)
    if difference and value > 0 and any(c in "123456789" for c in text):
        text = f"+{text}"
    return text


def format_estimate(found: Estimate | Difference, unit: str) -> str:
    """Return ``mean ± half-width`` in a display unit (``n/a`` parts when undefined).

    Parameters
    ----------
    found
        An estimate, or a difference: then positive means get a ``+`` and rates are
        shown in percentage points (``+1.2 pp``).
    unit
        A display unit (see :func:`fieldtotable.tables.format.display_unit`).

    Returns
    -------
    str
        ``mean ± half-width``, e.g. ``12.3 ± 0.4`` or ``+1.2 pp ± 0.3 pp``.
    """
    difference = isinstance(found, Difference)
    mean = _number(found.mean, unit, difference=difference)
    half = _number(found.half_width, unit, difference=difference).lstrip("+")
    return f"{mean} ± {half}"


def format_interval(found: Estimate | Difference, unit: str) -> str:
    """Return ``[low, high]`` in a display unit (percentage points for differences of rates).

    Parameters
    ----------
    found
        An estimate or a difference.
    unit
        A display unit (see :func:`fieldtotable.tables.format.display_unit`).

    Returns
    -------
    str
        ``[low, high]``; a difference of rates as ``[low, high] pp``.
    """
    if isinstance(found, Difference) and unit == "%":
        return f"[{_points(found.low)}, {_points(found.high)}] pp"
    return f"[{format_number(found.low, unit)}, {format_number(found.high, unit)}]"


def _keys(available: Sequence[str], kpis: Sequence[str] | None) -> list[str]:
    if kpis is None:
        return list(available)
    return [key for key in kpis if key in available]


def _unit(key: str) -> str:
    return display_unit(key, kpi_unit(key) or None)


def format_experiment(
    result: ExperimentResult, kpis: Sequence[str] | None = None, *, width: int | None = None
) -> str:
    """Tabulate the estimates of a :func:`~fieldtotable.experiment.replicate` result.

    Parameters
    ----------
    result
        The replications.
    kpis
        KPIs to show, in order (default: all of the result's).
    width
        Columns to fit (``None``: no limit). Lines of prose wrap; when the table does
        not fit, its interval column ``[low, high]`` is left out (``mean ±
        half-width`` says the same) and a line says so.

    Returns
    -------
    str
        A title, a line on ``n``, seed and confidence, and one row per KPI: unit,
        ``mean ± half-width``, interval and standard deviation.
    """
    level = _percent(result.confidence)
    lines = [
        _title(f"Replications: {result.scenario_name}"),
        f"  n = {result.n} replications, seed {result.seed}; {level} confidence "
        "intervals (Student t)",
    ]
    if result.stopping is not None:
        rule = result.stopping.rule
        outcome = "reached" if result.stopping.reached else f"not reached by the cap n={rule.n_max}"
        lines.append(
            f"  n chosen sequentially: half-width <= {rule.relative_half_width:.1%} of the mean "
            f"for {', '.join(rule.kpis)}: {outcome}"
        )
    rows = []
    for key in _keys(list(result.kpis), kpis):
        found = result.kpis[key]
        unit = _unit(key)
        missing = f" ({found.missing} n/a)" if found.missing else ""
        rows.append(
            [
                key,
                unit,
                format_estimate(found, unit),
                format_interval(found, unit) + missing,
                format_number(found.sd, unit),
            ]
        )
    headers = ["KPI", "unit", "mean ± half-width", f"{level} CI [low, high]", "sd"]
    table = format_table(headers, rows, align="llrrr", width=width)
    if width is not None and widest(table) > width:
        # The interval is mean ± half-width written out: the column to leave out.
        narrow = [[key, unit, estimate, sd] for key, unit, estimate, _, sd in rows]
        table = format_table([*headers[:3], headers[4]], narrow, align="llrr", width=width)
        lines.append(f"  --wide adds the column {level} CI [low, high]")
    lines = [wrap_text(line, width, indent="    ") for line in lines]
    lines += ["", table]
    return "\n".join(lines)


def _comparison_table(
    result: ComparisonResult, name: str, keys: Sequence[str]
) -> tuple[str, list[list[str]]]:
    """Return a comparison's title and its rows, the wide table's cells."""
    base = result.results[result.baseline]
    other = result.results[name]
    rows = []
    for key in keys:
        unit = _unit(key)
        diff = result.differences[name][key]
        relative = format_change(diff.relative)
        rows.append(
            [
                key,
                unit,
                format_estimate(base.kpis[key], unit),
                format_estimate(other.kpis[key], unit),
                format_estimate(diff, unit),
                format_interval(diff, unit),
                relative,
                SIGNIFICANT if diff.significant else "",
            ]
        )
    return f"{name} - {result.baseline}", rows


def _narrow_comparison(result: ComparisonResult, name: str, keys: Sequence[str], width: int) -> str:
    """Return the comparison table without intervals, half-widths of means and ``*`` column.

    The two configurations' columns hold their means, headed by their names.
    """
    base = result.results[result.baseline]
    other = result.results[name]
    rows = []
    for key in keys:
        unit = _unit(key)
        diff = result.differences[name][key]
        mark = f" {SIGNIFICANT}" if diff.significant else "  "
        rows.append(
            [
                key,
                unit,
                format_number(base.kpis[key].mean, unit),
                format_number(other.kpis[key].mean, unit),
                format_estimate(diff, unit),
                format_change(diff.relative) + mark,
            ]
        )
    headers = [
        "KPI",
        "unit",
        # The names alone: a long name breaks after its "_" into up to three lines.
        result.baseline,
        name,
        "difference\n± half-width",
        "change  ",
    ]
    return format_table(headers, rows, align="llrrrr", width=width)


def format_comparison(
    result: ComparisonResult, kpis: Sequence[str] | None = None, *, width: int | None = None
) -> str:
    """Tabulate a :func:`~fieldtotable.experiment.compare` result.

    One table per configuration other than the baseline: per KPI its unit, both
    means ``± half-width``, the paired difference ``± half-width`` with its interval,
    the relative change, and ``*`` when the difference is significant.

    Parameters
    ----------
    result
        The comparison.
    kpis
        KPIs to show, in order (default: all of the result's).
    width
        Columns to fit (``None``: no limit). Lines of prose wrap; a table that does
        not fit shows the two means without their half-widths, the difference ``±
        half-width`` without its interval (which says the same) and ``*`` after the
        change, and a line says what ``--wide`` adds.

    Returns
    -------
    str
        The tables and a legend.
    """
    level = _percent(result.confidence)
    base = result.results[result.baseline]
    keys = _keys(list(base.kpis), kpis)
    lines = [
        _title(f"Comparison with {result.baseline}"),
        wrap_text(
            f"  n = {result.n} replications per configuration, seed {result.seed}, common "
            f"random numbers; {level} confidence intervals (Student t) of paired differences",
            width,
            indent="    ",
        ),
    ]
    narrowed = False
    for name in result.names:
        if name == result.baseline:
            continue
        title, rows = _comparison_table(result, name, keys)
        headers = [
            "KPI",
            "unit",
            f"{result.baseline}\nmean ± half-width",
            f"{name}\nmean ± half-width",
            "difference\n± half-width",
            f"{level} CI of the\ndifference",
            "change",
            "",
        ]
        table = format_table(headers, rows, align="llrrrrrl", width=width)
        if width is not None and widest(table) > width:
            table = _narrow_comparison(result, name, keys, width)
            narrowed = True
        lines += ["", wrap_text(f"  {title}", width, indent="    "), table]
    legend = [
        f"  {SIGNIFICANT} the {level} confidence interval of the difference excludes 0 "
        "(no adjustment for the number of KPIs compared)"
    ]
    if narrowed:
        legend.append(
            f"  --wide adds the half-widths of the means and the {level} CI of each difference"
        )
    lines += ["", *(wrap_text(line, width, indent="    ") for line in legend)]
    return "\n".join(lines)


def _value(path: str, value: Any) -> str:
    return override_label(path, value).removeprefix(f"{SET_LABEL} {path}=")


def format_sweep(
    result: SweepResult, kpis: Sequence[str] | None = None, *, width: int | None = None
) -> str:
    """Tabulate a :func:`~fieldtotable.experiment.sweep` result, one row per point.

    Parameters
    ----------
    result
        The sweep.
    kpis
        KPIs to show (default: the registry's sweep KPIs,
        :func:`~fieldtotable.results.fields.sweep_kpis`, that the result holds).
    width
        Columns to fit (``None``: no limit). Lines of prose wrap, headers break (KPI
        keys and field paths after a ``_`` or ``.``), and a table still too wide is
        split into parts, each repeating the point and its values.

    Returns
    -------
    str
        A title, a line on ``n``, seed and confidence, and per point its parameter
        values and each KPI's ``mean ± half-width`` (units in the headers).
    """
    level = _percent(result.confidence)
    keys = _keys(result.kpis, sweep_kpis() if kpis is None else kpis)
    lines = [
        _title(f"Sweep: {result.scenario_name}"),
        wrap_text(
            f"  {len(result.points)} points x {result.n} replications, seed {result.seed}, "
            f"common random numbers; mean ± half-width of {level} confidence intervals "
            "(Student t)",
            width,
            indent="    ",
        ),
    ]
    headers = ["point", *result.parameters, *(f"{key}\n({_unit(key)})" for key in keys)]
    rows = [
        [
            str(point.index),
            *(
                _value(path, point.overrides[path]) if path in point.overrides else "-"
                for path in result.parameters
            ),
            *(format_estimate(point.result.kpis[key], _unit(key)) for key in keys),
        ]
        for point in result.points
    ]
    align = "r" + "l" * len(result.parameters) + "r" * len(keys)
    parts = split_columns(headers, rows, keep=1 + len(result.parameters), width=width, align=align)
    for part_headers, part_rows, part_align in parts:
        lines += ["", format_table(part_headers, part_rows, align=part_align, width=width)]
    return "\n".join(lines)
