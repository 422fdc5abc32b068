"""Comparison figures: configurations side by side with CIs and paired differences."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from fieldtotable.plotting import _style
from fieldtotable.plotting._ticks import NumberFormatter, is_zero, zero_span_limits
from fieldtotable.results.fields import field_of, headline_kpis
from fieldtotable.results.paths import kpi_unit
from fieldtotable.tables.breakdowns import lower_first
from fieldtotable.tables.format import format_change

if TYPE_CHECKING:
    from fieldtotable.experiment.compare import ComparisonResult
    from fieldtotable.experiment.statistics import Difference, Estimate

__all__ = ["comparison_chart", "kpi_axis_label", "kpi_formatter", "kpi_name"]

_SUFFIXES = ("_kg_per_day", "_cny_per_kg", "_cny", "_kg", "_h", "_d")


def kpi_name(key: str) -> str:
    """Return a KPI key or breakdown path in words (``by_product.x.sold_kg``: ``x: sold``).

    The registry's label with its first letter in lower case (axis labels and titles
    read as running text); a key the registry does not know loses its unit ending.
    """
    part, _, rest = key.partition(".")
    if part == "spoiled_kg_by_stage":
        return f"spoiled ({rest})"
    if rest:
        entity, _, metric = rest.rpartition(".")
        found = field_of(key)
        name = lower_first(found.title) if found is not None and found.label else _words(metric)
        return f"{_style.node_label(entity)}: {name}"
    found = field_of(key)
    if found is not None and found.label:
        return lower_first(found.label)
    return _words(key)


def _words(key: str) -> str:
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            key = key.removesuffix(suffix)
            break
    return key.replace("_", " ")


def _is_fraction(key: str) -> bool:
    return kpi_unit(key) == "fraction"


def kpi_axis_label(key: str, *, difference: bool = False) -> str:
    """Axis label of a KPI with its unit in brackets (fractions shown as %)."""
    unit = kpi_unit(key)
    if unit == "fraction":
        unit = "percentage points" if difference else "%"
    elif unit == "count":
        unit = "number"
    elif not unit:
        unit = "as recorded"
    name = kpi_name(key)
    return f"{'Δ ' if difference else ''}{name} [{unit}]"


def kpi_formatter(key: str, *, difference: bool = False, scale: float = 0.0) -> Formatter:
    """Return the tick formatter of a KPI axis (fractions as %, differences signed).

    Parameters
    ----------
    key
        The KPI key or breakdown path.
    difference
        The axis shows differences: positive ticks get a ``+``, fractions are in
        percentage points (no ``%``).
    scale
        The magnitude of the KPI (a difference's baseline mean): ticks within a
        relative epsilon of 0 are written ``0``.

    Returns
    -------
    matplotlib.ticker.Formatter
        A :class:`~fieldtotable.plotting._ticks.NumberFormatter`: adjacent labels
        always differ, and none reads ``-0``.
    """
    if _is_fraction(key):
        return NumberFormatter(
            percent=True, signed=difference, scale=scale, suffix="" if difference else None
        )
    return NumberFormatter(signed=difference, scale=scale)


def _all_zero(differences: Sequence[Difference], scale: float) -> bool:
    """Tell whether every difference (mean and interval) is 0 up to noise."""
    values = [v for d in differences for v in (d.mean, d.low, d.high) if math.isfinite(v)]
    return all(is_zero(v, scale) for v in values)


def _chosen_kpis(available: Sequence[str], kpis: Sequence[str] | None) -> list[str]:
    if kpis is not None:
        missing = [key for key in kpis if key not in available]
        if missing:
            raise KeyError(f"KPIs not in the comparison: {', '.join(missing)}")
        return list(kpis)
    chosen = [key for key in headline_kpis() if key in available]
    return chosen or list(available)[:6]


def _interval(
    ax: Axes, y: float, found: Estimate | Difference, colour: str, gid: str, filled: bool
) -> None:
    if math.isfinite(found.low) and math.isfinite(found.high):
        ax.hlines(y, found.low, found.high, colors=colour, linewidth=2.2, gid=f"ci:{gid}")
    ax.plot(
        [found.mean],
        [y],
        marker="o",
        markersize=6.5,
        color=colour,
        markerfacecolor=colour if filled else "white",
        markeredgewidth=1.6,
        linestyle="none",
        zorder=3,
        gid=f"mean:{gid}",
    )


def _comparison_grid(comparison: ComparisonResult, keys: list[str]) -> Figure:
    names = list(comparison.names)
    figure = _style.new_figure(11.5, 1.0 + (0.45 * len(names) + 0.75) * len(keys))
    grid = figure.subplots(len(keys), 2, squeeze=False, sharey=True)
    rows = {name: len(names) - 1 - i for i, name in enumerate(names)}
    for (left, right), key in zip(grid, keys, strict=True):
        for index, name in enumerate(names):
            colour = _style.cycle(index)
            found = comparison.results[name].kpis[key]
            _interval(left, rows[name], found, colour, f"{key}:{name}", True)
            if name == comparison.baseline:
                right.annotate(
                    "baseline",
                    xy=(0, rows[name]),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=_style.NOTE_SIZE,
                    color=_style.COLOURS["muted"],
                )
                continue
            diff = comparison.differences[name][key]
            _interval(right, rows[name], diff, colour, f"diff:{key}:{name}", diff.significant)
            if math.isfinite(diff.relative):
                text = format_change(diff.relative, space=" ")
                if math.isfinite(diff.p_value):
                    text += f"  (p = {diff.p_value:.2g})"
                right.annotate(
                    text,
                    xy=(1, rows[name]),
                    xycoords=("axes fraction", "data"),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=_style.NOTE_SIZE,
                    color=colour,
                )
        right.axvline(0, color=_style.COLOURS["muted"], linewidth=0.9)
        left.set_yticks(list(rows.values()), [_style.display_text(n) for n in rows])
        left.set_ylim(-0.6, len(names) - 0.4)
        left.set_title(kpi_name(key), fontsize=_style.LABEL_SIZE + 1, loc="left", fontweight="bold")
        left.set_xlabel(kpi_axis_label(key), fontsize=_style.LABEL_SIZE - 0.5)
        right.set_xlabel(
            kpi_axis_label(key, difference=True) + f", vs {comparison.baseline}",
            fontsize=_style.LABEL_SIZE - 0.5,
        )
        scale = abs(comparison.results[comparison.baseline].kpis[key].mean)
        left.xaxis.set_major_formatter(kpi_formatter(key))
        right.xaxis.set_major_formatter(kpi_formatter(key, difference=True, scale=scale))
        for ax in (left, right):
            _style.style_axes(ax, grid="x")
            ax.margins(x=0.12)
        diffs = [d[key] for n, d in comparison.differences.items()]
        if _all_zero(diffs, scale):
            # No difference at all: a symmetric axis around 0, not one of rounding noise.
            low, high = zero_span_limits(scale, fraction=_is_fraction(key))
            right.set_xlim(low, high)
            right.set_xticks([low, 0.0, high])
    return figure


def _comparison_forest(ax: Axes, comparison: ComparisonResult, keys: list[str]) -> None:
    """All KPIs in one Axes: relative paired differences to the baseline, in %."""
    others = [name for name in comparison.names if name != comparison.baseline]
    labels: list[str] = []
    row = 0
    for key in reversed(keys):
        for index, name in enumerate(reversed(others)):
            diff = comparison.differences[name][key]
            base = abs(diff.baseline_mean)
            scale = 100.0 / base if base > 0 else math.nan
            colour = _style.cycle(comparison.names.index(name))
            if math.isfinite(scale):
                if math.isfinite(diff.half_width):
                    ax.hlines(
                        row,
                        diff.low * scale,
                        diff.high * scale,
                        colors=colour,
                        linewidth=2.2,
                        gid=f"ci:diff:{key}:{name}",
                    )
                ax.plot(
                    [diff.mean * scale],
                    [row],
                    marker="o",
                    color=colour,
                    markerfacecolor=colour if diff.significant else "white",
                    markeredgewidth=1.6,
                    linestyle="none",
                    gid=f"mean:diff:{key}:{name}",
                )
            labels.append(
                f"{kpi_name(key)} · {_style.display_text(name)}"
                if index or len(others) > 1
                else kpi_name(key)
            )
            row += 1
    ax.axvline(0, color=_style.COLOURS["muted"], linewidth=0.9)
    ax.xaxis.set_major_formatter(NumberFormatter(signed=True, scale=100.0))
    shown = [d[key] for d in comparison.differences.values() for key in keys if key in d]
    if all(
        _all_zero([diff], abs(diff.baseline_mean)) or not abs(diff.baseline_mean) > 0
        for diff in shown
    ):
        ax.set_xlim(-1.0, 1.0)
        ax.set_xticks([-1.0, 0.0, 1.0])
    ax.set_yticks(range(row), labels, fontsize=_style.TICK_SIZE)
    ax.set_xlabel(
        f"difference to {comparison.baseline} [% of the baseline mean]", fontsize=_style.LABEL_SIZE
    )
    _style.style_axes(ax, grid="x")


def comparison_chart(
    comparison: ComparisonResult,
    *,
    kpis: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw configurations side by side: KPI means with CIs, and paired differences.

    Parameters
    ----------
    comparison
        The result of :func:`fieldtotable.compare`.
    kpis
        KPI keys to show (default: the registry's headline KPIs,
        :func:`~fieldtotable.results.fields.headline_kpis`, that the comparison holds).
    ax
        Axes to draw into: then one forest plot of every KPI's paired difference to
        the baseline, relative to the baseline mean (%). Without it, a new figure
        with one row per KPI: the mean and confidence interval of every
        configuration (left) and its paired difference to the baseline (right).

    Returns
    -------
    matplotlib.figure.Figure
        The figure. Intervals are line collections with gid ``ci:<kpi>:<name>``
        (``ci:diff:<kpi>:<name>`` for differences) spanning ``low .. high``; means
        are markers ``mean:...`` (hollow when a difference is not significant).

    Raises
    ------
    KeyError
        If a KPI is not in the comparison.
    """
    base = comparison.results[comparison.baseline]
    keys = _chosen_kpis(list(base.kpis), kpis)
    subtitle = (
        f"{comparison.n} replications per configuration · {100 * comparison.confidence:.0f} % "
        "confidence intervals (Student t) · differences paired replication by replication "
        "(common random numbers) · hollow: not significant"
    )
    if ax is None:
        subtitle += (
            "\nmargin: the difference relative to the baseline mean (p-value of the paired t-test)"
        )
    if ax is None:
        figure = _comparison_grid(comparison, keys)
        _style.set_figure_title(
            figure, f"Configurations compared with {comparison.baseline}", subtitle
        )
    else:
        figure = _style.root_figure(ax)
        _comparison_forest(ax, comparison, keys)
        _style.set_title(
            ax, f"Configurations compared with {comparison.baseline}", subtitle, wrap=80
        )
    _style.apply_fonts(figure)
    return figure
