"""The network map: nodes at their coordinates, legs by mode and kg carried, spoilage."""

from __future__ import annotations

import math
import textwrap
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
    node_style,
    spoilage_by_place,
)
from fieldtotable.plotting._mapgrid import EDGE, PAGE_WIDTH, Y_AXIS, map_grid
from fieldtotable.scenario.schema import Scenario

if TYPE_CHECKING:
    from fieldtotable.results import RunResult

__all__ = ["leg_width", "network_map", "spoilage_by_place"]

#: Inches of a given Axes' width the legend takes (right of the map).
_LEGEND_IN = 2.3
#: Width per unit height of the map's view when drawn into a given Axes.
_MAP_RATIO = 2.4


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
    kinds = dict.fromkeys([*NODE_STYLE, *(node.kind for node in data.layout.nodes.values())])
    for marker, colour, name in map(node_style, kinds):
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


def _subtitle(data: MapData, result: RunResult | None) -> str:
    subtitle = data.scenario.name
    if result is None:
        return subtitle + " · no run given: line widths not scaled"
    subtitle += f" · seed {result.seed} · line width: kg carried in the measured period"
    if data.spoiled is not None:
        subtitle += " · bubbles: kg spoiled there"
    return subtitle


def _titles(
    figure: Figure, ax: Axes, data: MapData, result: RunResult | None, top: float | None
) -> None:
    """Title the figure (``top``: where, as a figure fraction) or, if ``None``, the Axes."""
    title = "Channel network"
    if not data.layout.geographic:
        missing = ", ".join(data.layout.missing[:3])
        more = ", …" if len(data.layout.missing) > 3 else ""
        title += f" (schematic layout: no coordinates for {missing}{more})"
    if top is None:
        _style.set_title(ax, title, _subtitle(data, result), wrap=80)
    else:
        _style.set_figure_title(figure, title, _subtitle(data, result), y=top)


def _wrap(text: str, width_in: float) -> str:
    """Break ``text`` into lines of a note at most ``width_in`` inches wide."""
    per_line = max(int(width_in * 72 / (0.55 * _style.NOTE_SIZE)), 30)
    return "\n".join(textwrap.wrap(text, per_line))


def _view(data: MapData) -> tuple[float, float, float, float] | None:
    """Return the limits (x0, x1, y0, y1) around every node, before widening to the box."""
    return bounds(data.layout, list(data.layout.nodes), 0.08, 1.0) if data.layout.nodes else None


def _draw_map(
    ax: Axes,
    data: MapData,
    result: RunResult | None,
    groups: list[list[str]],
) -> None:
    """Draw the whole network, frame the crowded groups (lettered) and add the legend."""
    draw_network(ax, data)
    for index, group in enumerate(groups):
        x0, x1, y0, y1 = bounds(data.layout, group, 0.25, 0.15)
        ax.add_patch(
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
        ax.annotate(
            chr(ord("A") + index),
            xy=(x0, y1),
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=_style.LABEL_SIZE,
            fontweight="bold",
            va="bottom",
        )
    _legend(ax, data, result)


def _label_map(
    ax: Axes,
    data: MapData,
    result: RunResult | None,
    groups: list[list[str]],
    *,
    reserve_in: float,
) -> None:
    """Label the map (after :func:`frame`): nodes and legs outside the detail panels."""
    drop_short_heads(ax, data, reserve_in=reserve_in)
    clustered = {node for group in groups for node in group}
    between = {
        leg_id
        for leg_id, leg in data.scenario.legs.items()
        if not any(leg.from_ in group and leg.to in group for group in groups)
    }
    label_network(
        ax,
        data,
        nodes=[node for node in data.layout.nodes if node not in clustered],
        legs=between if result is not None else set(),
        reserve_in=reserve_in,
    )


def _draw_detail(
    panel: Axes,
    data: MapData,
    result: RunResult | None,
    group: list[str],
    letter: str,
    ratio: float,
) -> None:
    """Draw a detail panel: the whole network, viewed around one crowded group."""
    draw_network(panel, data)
    frame(panel, data, bounds(data.layout, group, 0.35, 0.25), ratio)
    drop_short_heads(panel, data)
    within = {
        leg_id
        for leg_id, leg in data.scenario.legs.items()
        if leg.from_ in group and leg.to in group
    }
    label_network(panel, data, nodes=group, legs=within if result is not None else set())
    regions = _style.unique(
        _style.region_label(data.layout.nodes[n].region)
        for n in group
        if data.layout.nodes[n].region
    )
    panel.set_title(
        f"{letter}: {' · '.join(regions)}",
        fontsize=_style.LABEL_SIZE + 1,
        loc="left",
        fontweight="bold",
    )


def _checked_arguments(result: object, scenario: object) -> Scenario:
    """Return the scenario to draw, or raise ``TypeError`` for the old argument order."""
    if isinstance(result, Scenario):
        raise TypeError(
            "network_map takes the run first, like every figure: call "
            "network_map(result, scenario), or network_map(scenario=scenario) for the "
            "channel without a run (the order network_map(scenario, result) is gone)"
        )
    if not isinstance(scenario, Scenario):
        raise TypeError(
            "network_map needs the scenario: network_map(result, scenario) or "
            f"network_map(scenario=scenario), not scenario={type(scenario).__name__}"
        )
    return scenario


def network_map(
    result: RunResult | None = None,
    scenario: Scenario | None = None,
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

    Like every figure of a run, it takes the run first and its scenario second:
    ``network_map(result, scenario)``; ``network_map(scenario=scenario)`` draws the
    channel alone.

    Parameters
    ----------
    result
        A run of the scenario, for kg carried and spoilage; ``None`` for the
        channel alone.
    scenario
        The channel to draw (required).
    ax
        Axes to draw into; a new figure (map and detail panels) when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. Artists carry gids: ``node:<id>`` (a marker at the node's
        position), ``leg:<id>`` (an arrow whose line width grows with the kg
        carried), ``supply:<market>``, ``spoilage:<place>``.

    Raises
    ------
    TypeError
        If the scenario is missing, or the arguments come in the old order
        ``network_map(scenario, result)`` (the message gives the new one).
    """
    scenario = _checked_arguments(result, scenario)
    data = map_data(scenario, result)
    groups = clusters(data.layout) if ax is None else []
    note = _stage_note(result) if result is not None and data.spoiled is None else ""
    if ax is not None:
        figure = _style.root_figure(ax)
        _draw_map(ax, data, result, groups)
        frame(ax, data, _view(data), _MAP_RATIO)
        _label_map(ax, data, result, groups, reserve_in=_LEGEND_IN)
        _titles(figure, ax, data, result, None)
        if note:
            width_in = ax.get_position().width * figure.get_size_inches()[0]
            _style.note_under_axis(ax, _wrap(note, width_in))
        _style.apply_fonts(figure)
        return figure

    figure = Figure(figsize=(PAGE_WIDTH, 8.0), facecolor="white")  # no layout engine
    main = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    _draw_map(main, data, result, groups)
    legend = main.get_legend()
    extent = legend.get_window_extent() if legend is not None else None
    size = (0.0, 0.0) if extent is None else (extent.width / figure.dpi, extent.height / figure.dpi)
    view = _view(data)
    ratio = None
    if data.layout.geographic and view is not None:
        ratio = (view[1] - view[0]) / ((view[3] - view[2]) * data.layout.aspect)
    note = _wrap(note, PAGE_WIDTH - 2 * EDGE - Y_AXIS)
    grid = map_grid(
        ratio=ratio,
        details=len(groups),
        legend=(size[0] + 0.1, size[1]),
        title_lines=1 + len(_subtitle(data, result).splitlines()),
        note_lines=len(note.splitlines()) if note else 0,
    )
    figure.set_size_inches(grid.width, grid.height)
    main.set_position(grid.rect(grid.main))
    if legend is not None:
        legend.set_bbox_to_anchor(grid.fraction(grid.legend), transform=figure.transFigure)
    details = [figure.add_axes(grid.rect(box)) for box in grid.details]
    frame(main, data, view, grid.main.ratio)
    _label_map(main, data, result, groups, reserve_in=0.0)
    for index, (panel, group, box) in enumerate(zip(details, groups, grid.details, strict=True)):
        _draw_detail(panel, data, result, group, chr(ord("A") + index), box.ratio)
    _titles(figure, main, data, result, grid.title_top / grid.height)
    if note:
        x, y = grid.fraction(grid.note)
        (details[0] if details else main).text(
            x,
            y,
            note,
            transform=figure.transFigure,
            fontsize=_style.NOTE_SIZE,
            color=_style.COLOURS["muted"],
            ha="left",
            va="top",
        )
    _style.apply_fonts(figure)
    return figure
