"""Drawing the network map into one Axes: legs, supply lines, nodes, spoilage, labels."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from fieldtotable.plotting import _style
from fieldtotable.plotting._layout import DIRECTIONS, Label, NetworkLayout, layout, place_labels
from fieldtotable.scenario.kinds import node_schemas

if TYPE_CHECKING:
    from fieldtotable.results import RunResult
    from fieldtotable.scenario.schema import Scenario

Point = tuple[float, float]

#: Line widths of legs, points: the least and the most carried kg.
WIDTH_RANGE = (0.8, 9.0)
#: Area of the largest spoilage bubble, points squared.
BUBBLE_AREA = 1400.0
#: Legs shorter than this on the page (points) are drawn without an arrow head.
SHORT_LEG_PT = 30.0
#: Bend of an air leg's arc (matplotlib ``arc3`` radius), so it reads as a flight.
AIR_BEND = 0.25
#: Least room per longitude tick label on the page, inches.
LONGITUDE_TICK_IN = 0.95

NODE_STYLE = {
    "collection_point": ("^", "#E69F00", "collection point"),
    "hub": ("s", "#0072B2", "hub / DC"),
    "market": ("o", "#009E73", "market"),
}
"""Marker, colour and legend name of the built-in kinds of node."""
#: Marker and colour of a place of a kind added by code (its label names it).
OTHER_PLACE_STYLE = ("D", "#CC79A7")


def node_style(kind: str) -> tuple[str, str, str]:
    """Return marker, colour and legend name of a node kind (added kinds by their label)."""
    found = NODE_STYLE.get(kind)
    if found is not None:
        return found
    marker, colour = OTHER_PLACE_STYLE
    schema = node_schemas().get(kind)
    return marker, colour, kind if schema is None else schema.label


SUPPLY_COLOUR = "#777777"
SPOILAGE_COLOUR = "#D55E00"


def leg_width(kg: float, most: float) -> float:
    """Line width (points) of a leg carrying ``kg`` when the busiest leg carries ``most``."""
    low, high = WIDTH_RANGE
    if most <= 0 or kg <= 0:
        return low
    return low + (high - low) * math.sqrt(min(kg / most, 1.0))


def spoilage_by_place(result: RunResult) -> dict[str, float] | None:
    """Spoiled kg per node, leg or market after the warm-up, from the run's flow log.

    ``None`` when the run kept no flow log (``simulate(..., record_flows=True)``).
    """
    if result.flows is None:
        return None
    start = result.warmup_days * 24.0
    found: dict[str, float] = {}
    for flow in result.flows:
        if flow.kind == "spoil" and flow.time_h >= start:
            found[flow.place] = found.get(flow.place, 0.0) + flow.kg
    return found


@dataclass(frozen=True)
class Line:
    """A leg or a supply line as drawn: a quadratic curve ``a -> control -> b`` (data units)."""

    key: str
    a: Point
    control: Point
    b: Point
    width: float

    def at(self, t: float) -> Point:
        """Return the point a share ``t`` along the curve."""
        u = 1.0 - t
        return (
            u * u * self.a[0] + 2 * u * t * self.control[0] + t * t * self.b[0],
            u * u * self.a[1] + 2 * u * t * self.control[1] + t * t * self.b[1],
        )


@dataclass(frozen=True)
class MapData:
    """What the map shows, computed once for the main map and its detail panels."""

    scenario: Scenario
    layout: NetworkLayout
    widths: dict[str, float]  # leg id or "supply:<market>" -> line width
    carried: dict[str, float]
    spoiled: dict[str, float] | None
    most_spoiled: float
    lines: dict[str, Line]


def _curve(found: NetworkLayout, key: str, a: Point, b: Point, rad: float, width: float) -> Line:
    """Return the curve matplotlib's ``arc3`` draws, bent in distance-true units."""
    squeeze = 1.0 / found.aspect
    (x1, y1), (x2, y2) = (a[0] * squeeze, a[1]), (b[0] * squeeze, b[1])
    cx = (x1 + x2) / 2 + rad * (y2 - y1)
    cy = (y1 + y2) / 2 - rad * (x2 - x1)
    return Line(key, a, (cx / squeeze, cy), b, width)


def map_data(scenario: Scenario, result: RunResult | None) -> MapData:
    """Positions, line widths, curves and spoilage of a scenario (and a run of it)."""
    found = layout(scenario)
    carried: dict[str, float] = {}
    if result is not None:
        carried = {leg: values.get("kg_carried", 0.0) for leg, values in result.by_leg.items()}
        for market_id in scenario.markets:
            sold = result.by_market.get(market_id, {}).get("sold_kg", 0.0)
            carried[f"supply:{market_id}"] = sold
    most = max(carried.values(), default=0.0)
    keys = [*scenario.legs, *(f"supply:{m}" for m in scenario.markets)]
    widths = {key: leg_width(carried.get(key, 0.0), most) if result else 2.0 for key in keys}
    spoiled = None if result is None else spoilage_by_place(result)
    nodes = found.nodes
    lines: dict[str, Line] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for leg_id, leg in scenario.legs.items():
        if leg.from_ in nodes and leg.to in nodes:
            rad = AIR_BEND if leg.mode == "air" else 0.12 * seen[(leg.from_, leg.to)]
            seen[(leg.from_, leg.to)] += 1
            a, b = nodes[leg.from_], nodes[leg.to]
            lines[leg_id] = _curve(found, leg_id, (a.x, a.y), (b.x, b.y), rad, widths[leg_id])
    for market_id, market in scenario.markets.items():
        if market.supplied_by in nodes:
            a, b = nodes[market.supplied_by], nodes[market_id]
            key = f"supply:{market_id}"
            lines[key] = _curve(found, key, (a.x, a.y), (b.x, b.y), 0.0, widths[key])
    most_spoiled = max((spoiled or {}).values(), default=0.0)
    return MapData(scenario, found, widths, carried, spoiled, most_spoiled, lines)


def bubble_area(kg: float, most: float) -> float:
    """Marker area (points squared) of ``kg`` spoiled when the most at one place is ``most``."""
    return BUBBLE_AREA * kg / most if most > 0 else 0.0


def _bubble(ax: Axes, data: MapData, place: str, xy: Point) -> None:
    if data.spoiled and data.spoiled.get(place, 0.0) > 0:
        ax.scatter(
            xy[0],
            xy[1],
            s=bubble_area(data.spoiled[place], data.most_spoiled),
            color=SPOILAGE_COLOUR,
            alpha=0.35,
            linewidths=0,
            zorder=3,
            gid=f"spoilage:{place}",
        )


def draw_network(ax: Axes, data: MapData) -> None:
    """Draw legs (arrows), hub-to-market supply lines, nodes and spoilage bubbles."""
    for leg_id, leg in data.scenario.legs.items():
        line = data.lines.get(leg_id)
        if line is None:
            continue
        rad = AIR_BEND if leg.mode == "air" else 0.0
        ax.add_patch(
            FancyArrowPatch(
                line.a,
                line.b,
                connectionstyle=f"arc3,rad={rad}",
                arrowstyle="-|>,head_length=0.6,head_width=0.35",
                mutation_scale=5 + 1.4 * line.width,
                linewidth=line.width,
                color=_style.MODE_COLOURS.get(leg.mode, "#444444"),
                alpha=0.85,
                shrinkA=5,
                shrinkB=7,
                zorder=2,
                gid=f"leg:{leg_id}",
            )
        )
        _bubble(ax, data, leg_id, line.at(0.5))
    for market_id in data.scenario.markets:
        line = data.lines.get(f"supply:{market_id}")
        if line is not None:
            ax.plot(
                [line.a[0], line.b[0]],
                [line.a[1], line.b[1]],
                color=SUPPLY_COLOUR,
                linewidth=line.width,
                alpha=0.55,
                solid_capstyle="round",
                zorder=1,
                gid=line.key,
            )
    for node in data.layout.nodes.values():
        _bubble(ax, data, node.id, (node.x, node.y))
        marker, colour, _name = node_style(node.kind)
        ax.plot(
            [node.x],
            [node.y],
            marker=marker,
            markersize=9,
            color=colour,
            markeredgecolor="white",
            markeredgewidth=1.0,
            linestyle="none",
            zorder=5,
            gid=f"node:{node.id}",
        )


def _degrees(axis: str) -> FuncFormatter:
    positive, negative = ("E", "W") if axis == "x" else ("N", "S")
    return FuncFormatter(
        lambda value, _pos: f"{abs(value):g}°{positive if value >= 0 else negative}"
    )


def _fit(
    limits: tuple[float, float, float, float], aspect: float, ratio: float
) -> tuple[float, float, float, float]:
    """Widen ``limits`` so the drawn box (y stretched by ``aspect``) has width/height ``ratio``."""
    x0, x1, y0, y1 = limits
    width, height = x1 - x0, (y1 - y0) * aspect
    if width / height < ratio:
        grow = (height * ratio - width) / 2
        return x0 - grow, x1 + grow, y0, y1
    grow = (width / ratio - height) / 2 / aspect
    return x0, x1, y0 - grow, y1 + grow


def frame(
    ax: Axes, data: MapData, limits: tuple[float, float, float, float] | None, ratio: float
) -> None:
    """Set the view (distance-true, about ``ratio`` wide per unit high), ticks and labels."""
    if data.layout.geographic and limits is not None:
        x0, x1, y0, y1 = _fit(limits, data.layout.aspect, ratio)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(data.layout.aspect, adjustable="box")
        # room for the widest longitude label ("121.25°E") between ticks
        width_in = ax.get_position().width * _style.root_figure(ax).get_size_inches()[0]
        ax.xaxis.set_major_locator(
            MaxNLocator(nbins=max(2, int(width_in / LONGITUDE_TICK_IN)), steps=[1, 2, 2.5, 5, 10])
        )
        ax.xaxis.set_major_formatter(_degrees("x"))
        ax.yaxis.set_major_formatter(_degrees("y"))
        ax.set_xlabel("longitude [°E]", fontsize=_style.LABEL_SIZE)
        ax.set_ylabel("latitude [°N]", fontsize=_style.LABEL_SIZE)
        _style.style_axes(ax, grid="both")
    else:
        ax.margins(0.12)
        ax.autoscale_view()
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(
            "from field (left) to market (right) [layout units]", fontsize=_style.LABEL_SIZE
        )
        ax.set_ylabel("(schematic, no scale)", fontsize=_style.LABEL_SIZE)


def _scales(ax: Axes, data: MapData, reserve_in: float) -> tuple[float, float]:
    """Points per data unit along x and y, estimated from the Axes' place in the figure."""
    figure = _style.root_figure(ax)
    width_in, height_in = figure.get_size_inches()
    box = ax.get_position()
    box_w = max(box.width * width_in - reserve_in, 0.5) * 72
    box_h = max(box.height * height_in, 0.5) * 72
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    if data.layout.geographic:
        per_x = min(box_w / (x1 - x0), box_h / ((y1 - y0) * data.layout.aspect))
        return per_x, per_x * data.layout.aspect
    return box_w / (x1 - x0), box_h / (y1 - y0)


def drop_short_heads(ax: Axes, data: MapData, *, reserve_in: float = 0.0) -> None:
    """Draw legs shorter than :data:`SHORT_LEG_PT` on the page without an arrow head.

    Call after :func:`frame`. On a geographic map a 15 km van leg is a few points
    long: its head would hide the leg.
    """
    per_x, per_y = _scales(ax, data, reserve_in)
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        line = data.lines.get(gid.removeprefix("leg:")) if gid.startswith("leg:") else None
        if line is None or not isinstance(patch, FancyArrowPatch):
            continue
        length = math.hypot((line.b[0] - line.a[0]) * per_x, (line.b[1] - line.a[1]) * per_y)
        if length < SHORT_LEG_PT:
            patch.set_arrowstyle("-")
            patch.shrinkA = patch.shrinkB = 1.0


def label_network(
    ax: Axes,
    data: MapData,
    *,
    nodes: list[str],
    legs: set[str],
    reserve_in: float = 0.0,
) -> None:
    """Label some nodes (name) and legs (kg carried) where they hide the least.

    Call after :func:`frame`: the view decides what is visible and how far apart
    things are on the page. ``reserve_in`` inches of the Axes' width go to a legend.
    """
    per_x, per_y = _scales(ax, data, reserve_in)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()

    def page(xy: Point) -> Point:
        return ((xy[0] - x0) * per_x, (xy[1] - y0) * per_y)

    obstacles = [(*page((n.x, n.y)), 7.0) for n in data.layout.nodes.values()]
    for drawn in data.lines.values():
        # a sample every few points along the line, so no label sits across it
        (ax_, ay_), (bx_, by_) = page(drawn.a), page(drawn.b)
        steps = min(max(24, int(math.hypot(bx_ - ax_, by_ - ay_) / 6.0)), 400)
        obstacles += [(*page(drawn.at(i / steps)), drawn.width / 2 + 1.5) for i in range(1, steps)]
    labels: list[Label] = []
    data_anchors: list[dict[Point, Point]] = []
    for name in nodes:
        node = data.layout.nodes[name]
        anchor = page((node.x, node.y))
        labels.append(Label(_style.node_label(name), (anchor,), DIRECTIONS, 8.0, 9.0))
        data_anchors.append({anchor: (node.x, node.y)})
    for leg_id in [leg for leg in data.scenario.legs if leg in legs]:  # a set: fix the order
        line = data.lines.get(leg_id)
        if line is None or leg_id not in data.carried:
            continue
        spots = {page(line.at(t)): line.at(t) for t in (0.5, 0.38, 0.62, 0.27, 0.73)}
        (ax_, ay_), (bx_, by_) = page(line.a), page(line.b)
        length = math.hypot(bx_ - ax_, by_ - ay_) or 1.0
        normal = ((by_ - ay_) / length, -(bx_ - ax_) / length)
        sides = (normal, (-normal[0], -normal[1]))
        if data.scenario.legs[leg_id].mode != "air":
            sides = sides[::-1]
        text = _style.kg_text(data.carried[leg_id], 1e4)
        if length < SHORT_LEG_PT:  # too short to see: say which leg it is
            text = f"{data.scenario.legs[leg_id].mode.replace('_', ' ')} {text}"
        labels.append(Label(text, tuple(spots), sides, 4 + line.width / 2, 8.5))
        data_anchors.append(spots)
    inset = 3.0  # points: labels keep off the Axes' edges
    frame_box = (inset, inset, (x1 - x0) * per_x - inset, (y1 - y0) * per_y - inset)
    for label, lookup, (anchor, direction) in zip(
        labels, data_anchors, place_labels(labels, obstacles, frame_box), strict=True
    ):
        dx, dy = direction
        ax.annotate(
            _style.display_text(label.text),
            xy=lookup.get(anchor, next(iter(lookup.values()))),
            xytext=(dx * label.distance, dy * label.distance),
            textcoords="offset points",
            ha="left" if dx > 0.35 else "right" if dx < -0.35 else "center",
            va="bottom" if dy > 0.35 else "top" if dy < -0.35 else "center",
            fontsize=label.size,
            color=_style.COLOURS["text"],
            zorder=6,
            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75},
            gid=f"label:{label.text}",
        )
