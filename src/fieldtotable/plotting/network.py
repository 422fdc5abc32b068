"""The network map: nodes at their coordinates, legs by mode and kg carried, spoilage."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from fieldtotable.model.lot import STAGES
from fieldtotable.plotting import _style
from fieldtotable.plotting._layout import bounds, clusters
from fieldtotable.plotting._mapdraw import (
    NODE_STYLE,
    SPOILAGE_COLOUR,
    SUPPLY_COLOUR,
    MapData,
    bubble_area,
    draw_network,
    drop_short_heads,
    frame,
    label_network,
    leg_width,
    map_data,
    spoilage_by_place,
)

if TYPE_CHECKING:
    from fieldtotable.results import RunResult
    from fieldtotable.scenario.schema import Scenario

__all__ = ["leg_width", "network_map", "spoilage_by_place"]

#: Inches of the map's width the legend takes (right of the map).
_LEGEND_IN = 2.3


def _legend(ax: Axes, data: MapData, result: RunResult | None) -> None:
    handles: list[Any] = []
    for mode in sorted({leg.mode for leg in data.scenario.legs.values()}):
        colour = _style.MODE_COLOURS.get(mode, "#444444")
        handles.append(Line2D([], [], color=colour, lw=3, label=mode.replace("_", " ")))
    handles.append(Line2D([], [], color=SUPPLY_COLOUR, lw=3, alpha=0.55, label="hub → market"))
    most = max(data.carried.values(), default=0.0)
    if result is not None and most > 0:
        for share in (1.0, 0.25, 0.04):
            kg = most * share
            width = leg_width(kg, most)
            label = f"{_style.kg_text(kg, 1e4)} carried"
            handles.append(Line2D([], [], color="#555555", lw=width, label=label))
    for marker, colour, name in NODE_STYLE.values():
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                color=colour,
                linestyle="none",
                markersize=9,
                markeredgecolor="white",
                label=name,
            )
        )
    if data.spoiled and data.most_spoiled > 0:
        for share in (1.0, 0.2):
            kg = data.most_spoiled * share
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    color=SPOILAGE_COLOUR,
                    alpha=0.35,
                    markeredgewidth=0,
                    markersize=math.sqrt(bubble_area(kg, data.most_spoiled)),
                    label=f"{_style.kg_text(kg, 1e4)} spoiled",
                )
            )
    _style.legend(
        ax,
        handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0,
        labelspacing=1.1,
        handlelength=2.6,
    )


def _stage_note(result: RunResult) -> str:
    stages = ", ".join(
        f"{stage} {_style.kg_text(result.spoiled_kg_by_stage.get(stage, 0.0), 1e4)}"
        for stage in STAGES
    )
    return f"Spoiled by stage: {stages}. Spoilage per node needs simulate(..., record_flows=True)."


def _titles(
    figure: Figure, ax: Axes, data: MapData, result: RunResult | None, own_figure: bool
) -> None:
    title = "Channel network"
    if not data.layout.geographic:
        missing = ", ".join(data.layout.missing[:3])
        more = ", …" if len(data.layout.missing) > 3 else ""
        title += f" (schematic layout: no coordinates for {missing}{more})"
    subtitle = data.scenario.name
    if result is None:
        subtitle += " · no run given: line widths not scaled"
    else:
        subtitle += f" · seed {result.seed} · line width: kg carried in the measured period"
        if data.spoiled is not None:
            subtitle += " · bubbles: kg spoiled there"
    if own_figure:
        _style.set_figure_title(figure, title, subtitle)
    else:
        _style.set_title(ax, title, subtitle, wrap=80)


def network_map(
    scenario: Scenario,
    result: RunResult | None = None,
    *,
    ax: Axes | None = None,
) -> Figure:
    """Draw the channel: nodes, legs coloured by mode and as wide as the kg they carried.

    Nodes sit at their ``location`` (longitude, latitude) when every collection
    point, hub and market has one; otherwise at a layered networkx layout, and the
    title says so. With a result, legs (and hub-to-market supply lines) are as wide
    as the kg they carried (sold, for markets) and labelled with it; when the run
    kept its flow log (``record_flows=True``), red bubbles show the kg spoiled at
    each node and on each leg, else the spoilage by stage is written under the map.
    Nodes that crowd together on the map (a county's collection points, a city's
    markets) get a detail panel below it (only when ``ax`` is omitted).

    Parameters
    ----------
    scenario
        The channel to draw.
    result
        A run of that scenario, for kg carried and spoilage.
    ax
        Axes to draw into; a new figure (map and detail panels) when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. Artists carry gids: ``node:<id>`` (a marker at the node's
        position), ``leg:<id>`` (an arrow whose line width grows with the kg
        carried), ``supply:<market>``, ``spoilage:<place>``.
    """
    data = map_data(scenario, result)
    groups = clusters(data.layout) if ax is None else []
    own_figure = ax is None
    if ax is None:
        figure = _style.new_figure(12.5, 8.8 if groups else 6.2)
        if groups:
            grid = figure.add_gridspec(2, len(groups), height_ratios=[1.3, 1.0])
            main = figure.add_subplot(grid[0, :])
            details = [figure.add_subplot(grid[1, i]) for i in range(len(groups))]
        else:
            main, details = figure.add_subplot(), []
    else:
        figure, main, details = _style.root_figure(ax), ax, []

    draw_network(main, data)
    clustered = {node for group in groups for node in group}
    for index, group in enumerate(groups):
        x0, x1, y0, y1 = bounds(data.layout, group, 0.25, 0.15)
        main.add_patch(
            Rectangle(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                fill=False,
                edgecolor="#555555",
                linewidth=0.8,
                linestyle=(0, (3, 2)),
                zorder=1,
            )
        )
        main.annotate(
            chr(ord("A") + index),
            xy=(x0, y1),
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=_style.LABEL_SIZE,
            fontweight="bold",
            va="bottom",
        )
    frame(main, data, bounds(data.layout, list(data.layout.nodes), 0.08, 1.0), 2.4)
    drop_short_heads(main, data, reserve_in=_LEGEND_IN)
    between = {
        leg_id
        for leg_id, leg in scenario.legs.items()
        if not any(leg.from_ in group and leg.to in group for group in groups)
    }
    label_network(
        main,
        data,
        nodes=[node for node in data.layout.nodes if node not in clustered],
        legs=between if result is not None else set(),
        reserve_in=_LEGEND_IN,
    )
    _legend(main, data, result)
    for index, (panel, group) in enumerate(zip(details, groups, strict=True)):
        draw_network(panel, data)
        frame(panel, data, bounds(data.layout, group, 0.35, 0.25), 1.5)
        drop_short_heads(panel, data)
        within = {
            leg_id
            for leg_id, leg in scenario.legs.items()
            if leg.from_ in group and leg.to in group
        }
        label_network(panel, data, nodes=group, legs=within if result is not None else set())
        regions = _style.unique(
            _style.region_label(data.layout.nodes[n].region)
            for n in group
            if data.layout.nodes[n].region
        )
        panel.set_title(
            f"{chr(ord('A') + index)}: {' · '.join(regions)}",
            fontsize=_style.LABEL_SIZE + 1,
            loc="left",
            fontweight="bold",
        )
    _titles(figure, main, data, result, own_figure)
    if result is not None and data.spoiled is None:
        _style.note(details[0] if details else main, _stage_note(result), y=-0.16)
    _style.apply_fonts(figure)
    return figure
