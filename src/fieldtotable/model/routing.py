"""Routing: which leg a lot of each product takes next from each node, month by month.

Lots are routed hop by hop when they leave a node, so a seasonal leg (air freight in
the matsutake season) takes over as soon as its season starts and lots fall back to
the road when it ends. Paths are ranked by expected hours (transit, loading, waiting
for the next scheduled departure, handling at the hubs on the way); under
``routing.prefer_modes`` a path using a preferred mode wins over any path without.
A leg with a ``products`` list carries only those products.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from fieldtotable.scenario.network import build_graph
from fieldtotable.scenario.nodes import places
from fieldtotable.scenario.schema import Scenario, ScheduledDispatch

#: ``table[month][node][product] -> leg id``; absent: the node is the product's last stop.
RoutingTable = dict[int, dict[str, dict[str, str]]]


def market_hubs(scenario: Scenario) -> dict[str, set[str]]:
    """Hubs that supply a market selling each product: each product's last stops.

    A market that takes from the stock passing through its hub (``passing_stock``,
    direct procurement at origin) does not make the hub a last stop: lots go on past
    it to the other markets, and the market picks from them while they wait there.
    """
    hubs: dict[str, set[str]] = {product: set() for product in scenario.products}
    for market in scenario.markets.values():
        if getattr(market, "passing_stock", False):
            continue
        for product in market.demand_by_product()[1]:
            hubs[product].add(market.supplied_by)
    return hubs


def carries(scenario: Scenario, leg_id: str, product: str) -> bool:
    """Tell whether a leg may carry a product (its ``products`` list, if any)."""
    allowed = scenario.legs[leg_id].products
    return allowed is None or product in allowed


def _leg_hours(scenario: Scenario, leg_id: str, nodes: Mapping[str, tuple[Any, Any]]) -> float:
    leg = scenario.legs[leg_id]
    hours = leg.transit_time_h.expected + leg.loading_h
    if isinstance(leg.dispatch, ScheduledDispatch):
        hours += 24 / len(leg.dispatch.departures_h) / 2  # mean wait for the next departure
    else:
        hours += leg.dispatch.max_wait_h / 2
    destination = nodes.get(leg.to)
    if destination is not None:
        hours += destination[1].routing_hours()
    return hours


def routing_table(scenario: Scenario) -> RoutingTable:
    """Next leg per month, node and product (see the module docstring)."""
    graph = build_graph(scenario)
    targets = market_hubs(scenario)
    nodes = places(scenario)
    hours = {leg_id: _leg_hours(scenario, leg_id, nodes) for leg_id in scenario.legs}
    table: RoutingTable = {}
    # Months whose active legs are the same route alike: each set is routed once.
    routed: dict[tuple[tuple[str, str, str], ...], dict[str, dict[str, str]]] = {}
    for month in range(1, 13):
        edges = tuple(
            (u, v, key)
            for u, v, key in graph.edges(keys=True)
            if month in scenario.legs[key].active_months
        )
        nodes_choices = routed.get(edges)
        if nodes_choices is None:
            nodes_choices = routed[edges] = _route_month(graph, edges, targets, hours, scenario)
        table[month] = {node: dict(choices) for node, choices in nodes_choices.items()}
    return table


def _route_month(
    graph: nx.MultiDiGraph,
    edges: tuple[tuple[str, str, str], ...],
    targets: dict[str, set[str]],
    hours: dict[str, float],
    scenario: Scenario,
) -> dict[str, dict[str, str]]:
    """Next leg per node and product while the legs ``edges`` of ``graph`` run."""
    active = nx.MultiDiGraph()
    active.add_nodes_from(graph.nodes)
    active.add_edges_from(edges)
    by_node: dict[str, dict[str, str]] = {}
    for node in graph.nodes:
        choices: dict[str, str] = {}
        for product, hubs in targets.items():
            if node in hubs:
                continue
            preferred: set[str] = set(scenario.routing.prefer_modes.get(product, ()))
            leg = _best_first_leg(active, node, hubs, hours, scenario, preferred, product)
            if leg is None:  # nothing runs this month: wait for the year-round best path
                leg = _best_first_leg(graph, node, hubs, hours, scenario, preferred, product)
            if leg is not None:
                choices[product] = leg
        by_node[node] = choices
    return by_node


def _best_first_leg(
    graph: nx.MultiDiGraph,
    node: str,
    hubs: set[str],
    hours: dict[str, float],
    scenario: Scenario,
    preferred: set[str],
    product: str,
) -> str | None:
    best: tuple[bool, float, tuple[str, ...]] | None = None
    for hub in sorted(hubs):
        if hub == node or hub not in graph or node not in graph:
            continue
        for path in nx.all_simple_edge_paths(graph, node, hub):
            legs = tuple(key for _u, _v, key in path)
            if not all(carries(scenario, leg, product) for leg in legs):
                continue
            uses_preferred = any(scenario.legs[leg].mode in preferred for leg in legs)
            score = (not uses_preferred, sum(hours[leg] for leg in legs), legs)
            if best is None or score < best:
                best = score
    return None if best is None else best[2][0]
