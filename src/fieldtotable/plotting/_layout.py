"""Where the network map puts each node: coordinates, or a layered layout; clusters."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from fieldtotable.scenario.nodes import places
from fieldtotable.scenario.schema import Location, Scenario

__all__ = ["MapNode", "NetworkLayout", "clusters", "layout"]

#: Nodes closer than this share of the map's larger span form a cluster (detail panel).
CLUSTER_SHARE = 0.06


@dataclass(frozen=True)
class MapNode:
    """A node of the map.

    Attributes
    ----------
    id
        Node id.
    kind
        The place's kind (``collection_point``, ``hub``, an added kind) or ``market``.
    region
        Its climate region (``""`` for an order market without one).
    x, y
        Position: longitude and latitude (degrees), or layout units.
    """

    id: str
    kind: str
    region: str
    x: float
    y: float


@dataclass(frozen=True)
class NetworkLayout:
    """The nodes of a scenario placed on the map.

    Attributes
    ----------
    nodes
        Node id -> its place.
    geographic
        Whether the positions are longitude/latitude (every node has a ``location``).
    missing
        Nodes without a ``location`` (why the layout is not geographic).
    """

    nodes: dict[str, MapNode]
    geographic: bool
    missing: tuple[str, ...]

    @property
    def aspect(self) -> float:
        """Data aspect ratio that keeps distances true (1 / cos latitude) or 1."""
        if not self.geographic or not self.nodes:
            return 1.0
        latitude = sum(node.y for node in self.nodes.values()) / len(self.nodes)
        return 1.0 / max(math.cos(math.radians(latitude)), 0.1)


def _lon_lat(where: Location | None) -> tuple[float, float] | None:
    return None if where is None else (where.lon, where.lat)


def _entries(scenario: Scenario) -> list[tuple[str, str, str, tuple[float, float] | None]]:
    entries: list[tuple[str, str, str, tuple[float, float] | None]] = [
        (node_id, kind.kind, config.region, _lon_lat(config.location))
        for node_id, (kind, config) in places(scenario).items()
    ]
    for node_id, market in scenario.markets.items():
        entries.append((node_id, "market", market.region or "", _lon_lat(market.location)))
    return entries


def _layered(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Positions from a layered (multipartite) layout of the legs and market supply."""
    graph = nx.DiGraph()
    for node_id in [*places(scenario), *scenario.markets]:
        graph.add_node(node_id)
    for leg in scenario.legs.values():
        graph.add_edge(leg.from_, leg.to)
    for market_id, market in scenario.markets.items():
        graph.add_edge(market.supplied_by, market_id)
    layers: dict[str, int] = {}
    try:
        for depth, generation in enumerate(nx.topological_generations(graph)):
            for node_id in generation:
                layers[node_id] = depth
    except nx.NetworkXUnfeasible:  # a cycle: the scenario would not load, but draw anyway
        layers = dict.fromkeys(graph, 0)
    last = max(layers.values(), default=0)
    # layers as ordered lists (networkx's own grouping is a set: its order, hence the
    # drawing, would change from one process to the next); the scenario's first node
    # of a layer on top
    subsets: dict[int, list[str]] = {}
    for node_id in graph:
        layer = last + 1 if node_id in scenario.markets else layers[node_id]
        subsets.setdefault(layer, []).insert(0, node_id)
    positions = nx.multipartite_layout(graph, subset_key=subsets, align="vertical", scale=1.0)
    return {node: (float(xy[0]), float(xy[1])) for node, xy in positions.items()}


def layout(scenario: Scenario) -> NetworkLayout:
    """Place every place (collection point, hub, added kind) and market of the scenario.

    Geographic (longitude, latitude) when every node has a ``location``; otherwise a
    layered layout (collection points left, markets right) from networkx.
    """
    entries = _entries(scenario)
    missing = tuple(node_id for node_id, _kind, _region, where in entries if where is None)
    placed = _layered(scenario) if missing else {}
    nodes = {}
    for node_id, kind, region, where in entries:
        x, y = where if where is not None and not missing else placed[node_id]
        nodes[node_id] = MapNode(node_id, kind, region, x, y)
    return NetworkLayout(nodes, geographic=not missing, missing=missing)


def clusters(found: NetworkLayout, share: float = CLUSTER_SHARE) -> list[list[str]]:
    """Return the groups of two or more nodes that sit close together on a geographic map.

    Single-linkage: nodes closer than ``share`` of the map's larger span (in
    distance-true units) join a group. Groups are ordered west to east.
    """
    if not found.geographic or len(found.nodes) < 2:
        return []
    squeeze = 1.0 / found.aspect
    points = {n.id: (n.x * squeeze, n.y) for n in found.nodes.values()}
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    limit = share * max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    parent = {node: node for node in points}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    ids = list(points)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if math.dist(points[a], points[b]) < limit:
                parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for node in ids:
        groups.setdefault(root(node), []).append(node)
    found_groups = [group for group in groups.values() if len(group) > 1]
    return sorted(found_groups, key=lambda group: min(found.nodes[n].x for n in group))


def bounds(
    found: NetworkLayout, names: Sequence[str], pad: float, minimum: float
) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) around some nodes, padded by ``pad`` of the span (at least ``minimum``)."""
    xs = [found.nodes[n].x for n in names]
    ys = [found.nodes[n].y for n in names]
    width = max(max(xs) - min(xs), minimum)
    height = max(max(ys) - min(ys), minimum / found.aspect)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half_w, half_h = width * (0.5 + pad), height * (0.5 + pad)
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


# --------------------------------------------------------------------------------------
# label placement: a greedy search over candidate positions, in points
# --------------------------------------------------------------------------------------

Point = tuple[float, float]

#: Candidate directions of a node label, tried in this order of preference.
DIRECTIONS: tuple[Point, ...] = (
    (0.71, 0.71),
    (1.0, 0.0),
    (0.71, -0.71),
    (-0.71, 0.71),
    (-1.0, 0.0),
    (-0.71, -0.71),
    (0.0, 1.0),
    (0.0, -1.0),
)


@dataclass(frozen=True)
class Label:
    """A label to place.

    Attributes
    ----------
    text
        What it says.
    anchors
        Points (in points, on the page) it may be attached to, best first.
    directions
        Unit directions it may be pushed in from its anchor, best first.
    distance
        How far from the anchor, points.
    size
        Font size, points.
    """

    text: str
    anchors: tuple[Point, ...]
    directions: tuple[Point, ...]
    distance: float
    size: float


def _box(anchor: Point, direction: Point, distance: float, size: Point) -> tuple[float, ...]:
    """Return the box (x0, y0, x1, y1) of a label aligned away from its anchor."""
    dx, dy = direction
    x, y = anchor[0] + dx * distance, anchor[1] + dy * distance
    width, height = size
    x0 = x if dx > 0.35 else x - width if dx < -0.35 else x - width / 2
    y0 = y if dy > 0.35 else y - height if dy < -0.35 else y - height / 2
    return (x0, y0, x0 + width, y0 + height)


def _hits(box: tuple[float, ...], circle: tuple[float, float, float]) -> bool:
    x, y, radius = circle
    nearest_x = min(max(x, box[0]), box[2])
    nearest_y = min(max(y, box[1]), box[3])
    return (x - nearest_x) ** 2 + (y - nearest_y) ** 2 < radius**2


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0.0) * max(height, 0.0)


def place_labels(
    labels: Sequence[Label],
    obstacles: Sequence[tuple[float, float, float]],
    frame: tuple[float, float, float, float],
) -> list[tuple[Point, Point]]:
    """Choose, for each label in turn, the anchor and direction that hide the least.

    Parameters
    ----------
    labels
        The labels, most important first.
    obstacles
        Circles (x, y, radius) in points that labels should not cover: nodes and
        samples along lines.
    frame
        The visible area (x0, y0, x1, y1) in points.

    Returns
    -------
    list of (anchor, direction)
        Per label, where it goes.
    """
    placed: list[tuple[float, ...]] = []
    chosen: list[tuple[Point, Point]] = []
    for label in labels:
        size = (0.6 * label.size * len(label.text) + 4, 1.45 * label.size)
        best: tuple[float, Point, Point, tuple[float, ...]] | None = None
        for rank_a, anchor in enumerate(label.anchors):
            for rank_d, direction in enumerate(label.directions):
                box = _box(anchor, direction, label.distance, size)
                cost = 0.2 * rank_a + 0.1 * rank_d
                cost += 3.0 * sum(_hits(box, circle) for circle in obstacles)
                cost += sum(_overlap(box, other) for other in placed) / 4.0
                outside = (
                    max(frame[0] - box[0], 0.0)
                    + max(box[2] - frame[2], 0.0)
                    + max(frame[1] - box[1], 0.0)
                    + max(box[3] - frame[3], 0.0)
                )
                cost += 2.0 * outside
                if best is None or cost < best[0]:
                    best = (cost, anchor, direction, box)
        if best is None:  # no anchor or no direction given
            chosen.append(((0.0, 0.0), (1.0, 0.0)))
            continue
        placed.append(best[3])
        chosen.append((best[1], best[2]))
    return chosen
