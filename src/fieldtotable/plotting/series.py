"""Daily series of a run: flows, spoilage by stage, stock at every node."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib import dates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fieldtotable.model.lot import STAGES
from fieldtotable.plotting import _style
from fieldtotable.scenario.nodes import places

#: matplotlib.dates, typed loosely (its locators and formatters carry no annotations).
mdates: Any = dates

if TYPE_CHECKING:
    from fieldtotable.results import RunResult
    from fieldtotable.scenario.schema import Scenario

__all__ = ["SMOOTHING_DAYS", "Panel", "daily_series", "series_panels"]

#: Window of the centred moving mean drawn over each daily series, days.
SMOOTHING_DAYS = 7

#: A node's capacity is drawn (dotted) when its stock reaches this share of it.
CAPACITY_SHOWN = 0.8

_SPOILAGE_LABELS = {
    "collection": "at collection",
    "transit": "in transit",
    "hub": "at hubs",
    "market": "at markets",
}


@dataclass(frozen=True)
class Panel:
    """One panel of :func:`daily_series`.

    Attributes
    ----------
    title
        The panel's heading.
    unit
        The unit of its values (``kg/d`` for flows, ``kg`` for stock).
    series
        (key of ``result.daily``, legend label, colour) of every line.
    """

    title: str
    unit: str
    series: tuple[tuple[str, str, str], ...]


def _at_field_end(result: RunResult, scenario: Scenario | None) -> dict[str, bool]:
    """Node id -> whether it is a place at the field end, for every stock series.

    A place no leg may end at (a collection point) is at the field end; hubs, other
    places and stores are downstream. Without the scenario, a place that reports a
    pre-cooling queue is taken for a collection point.
    """
    nodes = [key[6:-3] for key in result.daily if key.startswith("stock_") and key.endswith("_kg")]
    if scenario is not None:
        found = places(scenario)
        return {node: node in found and not found[node][0].receives_legs for node in nodes}
    return {node: "mean_precooling_wait_h" in result.by_node.get(node, {}) for node in nodes}


def _capacity(result: RunResult, node: str) -> float | None:
    if node in result.by_node:
        return result.by_node[node].get("capacity_kg")
    return result.by_market.get(node, {}).get("shelf_capacity_kg")


def series_panels(result: RunResult, scenario: Scenario | None = None) -> list[Panel]:
    """Return the panels of :func:`daily_series` and the series each one shows."""
    flows = (
        ("harvested_kg", "harvested", _style.COLOURS["harvested"]),
        ("arrived_at_market_hub_kg", "arrived at market hubs", _style.COLOURS["arrived"]),
        ("sold_kg", "sold", _style.COLOURS["sold"]),
    )
    spoilage = tuple(
        (f"spoiled_{stage}_kg", _SPOILAGE_LABELS.get(stage, stage), _style.COLOURS[stage])
        for stage in STAGES
        if f"spoiled_{stage}_kg" in result.daily
    )
    field_end = _at_field_end(result, scenario)

    def stock(names: Sequence[str], start: int) -> tuple[tuple[str, str, str], ...]:
        lines = []
        largest = max([_capacity(result, node) or 0.0 for node in names], default=0.0)
        for offset, node in enumerate(names):
            label = _style.node_label(node)
            capacity = _capacity(result, node)
            if capacity:
                label += f" (capacity {_style.kg_text(capacity, largest)})"
            lines.append((f"stock_{node}_kg", label, _style.cycle(start + offset)))
        return tuple(lines)

    points = [node for node, upstream in field_end.items() if upstream]
    others = [node for node, upstream in field_end.items() if not upstream]
    downstream = stock(others, len(points))
    if "in_transit_kg" in result.daily:
        downstream += (("in_transit_kg", "in transit (all legs)", _style.COLOURS["muted"]),)
    panels = [
        Panel("Flows", "kg/d", flows),
        Panel("Spoilage by stage", "kg/d", spoilage),
    ]
    if points:
        title = "Stock at collection points (end of day)"
        panels.append(Panel(title, "kg", stock(points, 0)))
    if downstream:
        title = "Stock at hubs and stores, and in transit (end of day)"
        panels.append(Panel(title, "kg", downstream))
    return panels


def _moving_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Centred moving mean; near the ends, the mean of the days available."""
    if len(values) < window or window < 2:
        return values.astype(float)
    kernel = np.ones(window)
    sums = np.convolve(values, kernel, mode="same")
    counts = np.convolve(np.ones(len(values)), kernel, mode="same")
    return np.asarray(sums / counts, dtype=float)


def _x_axis(days: int, scenario: Scenario | None) -> tuple[np.ndarray, bool]:
    """X values of the days: matplotlib dates from the scenario's start, else day numbers."""
    if scenario is None:
        return np.arange(days, dtype=float), False
    start = mdates.date2num(dt.datetime.combine(scenario.start_date, dt.time()))
    return start + np.arange(days, dtype=float), True


def _date_ticks(ax: Axes, days: int) -> None:
    if days > 120:
        ax.xaxis.set_major_locator(mdates.MonthLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonthday=15))
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=10))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))


def daily_series(
    result: RunResult,
    scenario: Scenario | None = None,
    *,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Draw the daily series of a run, one panel per kind, on a calendar axis.

    Panels (see :func:`series_panels`): flows (harvested, arrived at the hubs that
    supply markets, i.e. Shanghai, sold), spoilage by stage, stock at the collection
    points, stock at the hubs and stores plus what is in transit. Each series is
    drawn as it is (a thin line, gid ``daily:<key>``, whose y values are
    ``result.daily[key]``) and as a centred :data:`SMOOTHING_DAYS`-day mean (gid
    ``smooth:<key>``) that shows the season.

    Parameters
    ----------
    result
        A run.
    scenario
        The run's scenario: gives the calendar (month ticks from its
        ``start_date``; day numbers without it), node kinds and product names.
    axes
        One Axes per panel to draw into (as many as :func:`series_panels` returns);
        a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Raises
    ------
    ValueError
        If ``axes`` does not hold one Axes per panel.
    """
    panels = series_panels(result, scenario)
    if axes is None:
        figure = _style.new_figure(11.0, 2.6 * len(panels) + 0.8)
        grid = figure.subplots(len(panels), 1, sharex=True, squeeze=False)
        panel_axes = [row[0] for row in grid]
    else:
        panel_axes = list(axes)
        if len(panel_axes) != len(panels):
            raise ValueError(f"daily_series draws {len(panels)} panels; got {len(panel_axes)} Axes")
        figure = _style.root_figure(panel_axes[0])
    days = result.horizon_days
    x, calendar = _x_axis(days, scenario)
    for ax, panel in zip(panel_axes, panels, strict=True):
        for key, label, colour in panel.series:
            values = np.asarray(result.daily[key], dtype=float)
            ax.plot(x, values, color=colour, linewidth=0.5, alpha=0.3, gid=f"daily:{key}")
            ax.plot(
                x,
                _moving_mean(values, SMOOTHING_DAYS),
                color=colour,
                linewidth=1.8,
                label=label,
                gid=f"smooth:{key}",
            )
            node = key[6:-3] if key.startswith("stock_") else ""
            capacity = _capacity(result, node) if node else None
            if capacity and values.max(initial=0.0) >= CAPACITY_SHOWN * capacity:
                ax.axhline(
                    capacity,
                    color=colour,
                    linewidth=1.0,
                    linestyle=(0, (1, 1.5)),
                    gid=f"capacity:{node}",
                )
        if result.warmup_days:
            ax.axvspan(
                x[0], x[min(result.warmup_days, days - 1)], color="#EEEEEE", zorder=0, gid="warmup"
            )
        quantity = "stock" if panel.unit == "kg" else "flow"
        ax.set_ylabel(f"{quantity} [{panel.unit}]", fontsize=_style.LABEL_SIZE)
        ax.set_title(panel.title, fontsize=_style.LABEL_SIZE + 1, loc="left", fontweight="bold")
        ax.yaxis.set_major_formatter(_style.compact_formatter())
        ax.set_ylim(bottom=0)
        ax.set_xlim(x[0], x[-1] + 1)
        _style.style_axes(ax, grid="both")
        _style.legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
        if calendar:
            _date_ticks(ax, days)
    bottom = panel_axes[-1]
    if calendar and scenario is not None:
        end = scenario.start_date + dt.timedelta(days=days - 1)
        years = f"{scenario.start_date.year}"
        if end.year != scenario.start_date.year:
            years += f"-{end.year}"
        bottom.set_xlabel(f"date (daily, {years})", fontsize=_style.LABEL_SIZE)
    else:
        bottom.set_xlabel("day of the run [d]", fontsize=_style.LABEL_SIZE)
    subtitle = (
        f"{result.scenario_name} · seed {result.seed} · thin: daily values, "
        f"thick: {SMOOTHING_DAYS}-day mean\nstock includes lots waiting outside a full store; "
        "dotted: a store's capacity, where stock comes near it"
    )
    if result.warmup_days:
        subtitle += f" · grey: {result.warmup_days}-day warm-up (not measured)"
    if axes is None:
        _style.set_figure_title(figure, "Daily flows, spoilage and stock", subtitle)
    else:
        _style.set_title(panel_axes[0], "Daily flows, spoilage and stock", subtitle)
    _style.apply_fonts(figure)
    return figure
