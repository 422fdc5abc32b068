"""The transport network of a scenario: graph building and cross-reference checks.

The network's nodes are the places: collection points, hubs and the ``nodes`` of kinds
added by code; its edges are legs. Legs start at a collection point or a hub and end
at a hub (or at a place whose kind allows it); markets hang off hubs
(``supplied_by``). :func:`check_network` finds every reference to an unknown name and
every flow that cannot happen (a source whose product can reach no market selling it,
a market demand no source can supply, a cycle of legs), each reported with the field
path that the loader maps back to a line of the scenario file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import networkx as nx

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.scenario.kinds import PLACE_SECTIONS
from fieldtotable.scenario.nodes import places
from fieldtotable.scenario.schema import Scenario, Store
from fieldtotable.scenario.yaml_loader import Path, format_path

__all__ = ["NetworkProblem", "build_graph", "check_network"]

NetworkProblem = tuple[Path, str]
"""A field path (YAML keys, ``"from"`` not ``"from_"``) and what is wrong there."""


def build_graph(scenario: Scenario) -> nx.MultiDiGraph:
    """Return the scenario's transport network for routing.

    Parameters
    ----------
    scenario
        A scenario whose legs name known nodes (every scenario from
        :func:`~fieldtotable.scenario.load_scenario` does).

    Returns
    -------
    networkx.MultiDiGraph
        A directed graph (a ``MultiDiGraph`` is a ``DiGraph`` that allows several
        legs between the same two nodes, e.g. truck, rail and air). Node attributes:
        ``kind`` (``"collection_point"``, ``"hub"`` or an added kind) and ``region``. One edge per
        leg, keyed by the leg id, with attributes ``leg`` (the id), ``mode``,
        ``distance_km`` and ``expected_h`` (expected transit time + loading hours).
        Weighted shortest paths over ``expected_h`` use the fastest parallel leg.

    Raises
    ------
    ScenarioError
        If a leg starts or ends at an unknown node, or ends at a collection point.
    """
    problems: list[Problem] = []
    starts, ends, _ = _leg_ends(scenario)
    for leg_id, leg in scenario.legs.items():
        if leg.from_ not in starts:
            path: Path = ("legs", leg_id, "from")
            problems.append(Problem(None, None, format_path(path), f"unknown node {leg.from_!r}"))
        if leg.to not in ends:
            path = ("legs", leg_id, "to")
            problems.append(Problem(None, None, format_path(path), f"unknown hub {leg.to!r}"))
    if problems:
        raise ScenarioError(problems)
    return _graph(scenario)


def check_network(scenario: Scenario) -> list[NetworkProblem]:
    """Check the cross-references and flows of a scenario.

    Parameters
    ----------
    scenario
        A scenario that passed field validation.

    Returns
    -------
    list of (path, message)
        Every problem found: unknown collection points, regions, nodes, hubs and
        products; reserved product ids; legs ending anywhere but at a hub; node ids
        used twice; market demand that no source can reach and source products that
        reach no market selling them (checked only when every name is known, since they would
        mostly repeat a misspelt name); cycles of legs. Empty when the network
        makes sense.
    """
    problems = _check_names(scenario) + _check_products(scenario)
    graph = _graph(scenario)
    if not problems:
        # Flow problems that follow from a misspelt name would only repeat it.
        problems += _check_flows(scenario, graph)
    return problems + _check_cycles(scenario, graph)


def _leg_ends(scenario: Scenario) -> tuple[set[str], set[str], set[str]]:
    """Return the places legs may start at, end at, and that may supply markets."""
    found = places(scenario)
    return (
        {node_id for node_id, (kind, _) in found.items() if kind.sends_legs},
        {node_id for node_id, (kind, _) in found.items() if kind.receives_legs},
        {node_id for node_id, (kind, _) in found.items() if kind.supplies_markets},
    )


def _graph(scenario: Scenario) -> nx.MultiDiGraph:
    """Build the graph, leaving out legs that name unknown nodes."""
    graph = nx.MultiDiGraph()
    for node_id, (kind, config) in places(scenario).items():
        graph.add_node(node_id, kind=kind.kind, region=config.region)
    _, ends, _ = _leg_ends(scenario)
    for leg_id, leg in scenario.legs.items():
        if leg.from_ in graph and leg.to in ends:
            graph.add_edge(
                leg.from_,
                leg.to,
                key=leg_id,
                leg=leg_id,
                mode=leg.mode,
                distance_km=leg.distance_km,
                expected_h=leg.transit_time_h.expected + leg.loading_h,
            )
    return graph


def _known(names: Iterable[str]) -> str:
    listed = sorted(names)
    return ", ".join(listed) if listed else "none"


def _check_names(scenario: Scenario) -> list[NetworkProblem]:
    problems: list[NetworkProblem] = []
    regions = scenario.climate
    cps = scenario.collection_points
    all_places = places(scenario)
    starts, ends, suppliers = _leg_ends(scenario)

    def region(path: Path, name: str | None) -> None:
        if name is not None and name not in regions:
            problems.append(
                (path, f"region {name!r} has no entry in climate (known: {_known(regions)})")
            )

    for source_id, source in scenario.sources.items():
        region(("sources", source_id, "region"), source.region)
        if source.collection_point not in cps:
            problems.append(
                (
                    ("sources", source_id, "collection_point"),
                    f"unknown collection point {source.collection_point!r} (known: {_known(cps)})",
                )
            )
    seen: dict[str, str] = {}
    for section in PLACE_SECTIONS:
        for node_id, config in getattr(scenario, section).items():
            first = seen.setdefault(node_id, section)
            if first != section:
                other = all_places[node_id][0].label
                problems.append(
                    ((section, node_id), f"{node_id!r} is also a {other}; node ids must differ")
                )
            region((section, node_id, "region"), config.region)
    for leg_id, leg in scenario.legs.items():
        if leg.from_ not in starts:
            problems.append(
                (
                    ("legs", leg_id, "from"),
                    f"unknown node {leg.from_!r}; a leg starts at a collection point or hub "
                    f"(known: {_known(starts)})",
                )
            )
        if leg.to in all_places and leg.to not in ends:
            label = all_places[leg.to][0].label
            problems.append(
                (
                    ("legs", leg_id, "to"),
                    f"{leg.to!r} is a {label}; a leg must end at a hub",
                )
            )
        elif leg.to not in ends:
            problems.append(
                (("legs", leg_id, "to"), f"unknown hub {leg.to!r} (known: {_known(ends)})")
            )
        for index, closures in enumerate(leg.closures):
            closure_path: Path = ("legs", leg_id, "closures", index, "wetness_region")
            name = closures.wetness_region
            region(closure_path, name)
            if name in regions and regions[name].variation is None:
                problems.append(
                    (closure_path, f"region {name!r} has no climate variation to draw wetness from")
                )
    for index, switch in enumerate(scenario.routing.switches):
        if switch.leg not in scenario.legs:
            problems.append(
                (
                    ("routing", "switches", index, "leg"),
                    f"unknown leg {switch.leg!r} (known: {_known(scenario.legs)})",
                )
            )
    for name in scenario.finance.electricity_cny_per_kwh_by_region:
        region(("finance", "electricity_cny_per_kwh_by_region", name), name)
    for market_id, market in scenario.markets.items():
        region(("markets", market_id, "region"), market.region)
        delivery = getattr(market, "delivery", None)
        if delivery is not None:
            path = ("markets", market_id, "delivery", "outdoor_region")
            region(path, delivery.outdoor_region)
            if delivery.outdoor_region is None and market.region is None:
                problems.append((path, "give the region of the air around the parcels"))
        if market.supplied_by not in suppliers:
            problems.append(
                (
                    ("markets", market_id, "supplied_by"),
                    f"{market.supplied_by!r} is not a hub (known: {_known(suppliers)})",
                )
            )
    return problems


RESERVED_PRODUCT_IDS = frozenset({"travel"})
"""Product ids that would share a random stream with another draw of the same source
(a source draws its harvests per product id and its travel times under ``travel``)."""


def _check_products(scenario: Scenario) -> list[NetworkProblem]:
    products = scenario.products
    problems: list[NetworkProblem] = [
        (
            ("products", name),
            f"the product id {name!r} is reserved (a source's travel times draw from the "
            "random stream of that name); rename the product",
        )
        for name in products
        if name in RESERVED_PRODUCT_IDS
    ]

    def check(section: Path, names: Iterable[str]) -> None:
        # A mapping's problem points at the key; a list's at the item's index.
        keyed = isinstance(names, Mapping)
        problems.extend(
            (
                (*section, name if keyed else index),
                f"unknown product {name!r} (known: {_known(products)})",
            )
            for index, name in enumerate(names)
            if name not in products
        )

    for source_id, source in scenario.sources.items():
        check(("sources", source_id, "supply"), source.supply)
    for market_id, market in scenario.markets.items():
        if isinstance(market, Store):
            check(("markets", market_id, "demand"), market.demand)
            levels = getattr(market.replenishment, "levels", {})
            check(("markets", market_id, "replenishment", "levels"), levels)
        else:
            check(("markets", market_id, "orders"), market.orders)
            for index, event in enumerate(market.events):
                check(("markets", market_id, "events", index, "kg"), event.kg)
        check(("markets", market_id, "prices_cny_per_kg"), market.prices_cny_per_kg)
    check(("routing", "prefer_modes"), scenario.routing.prefer_modes)
    for index, switch in enumerate(scenario.routing.switches):
        if switch.product not in products:
            problems.append(
                (
                    ("routing", "switches", index, "product"),
                    f"unknown product {switch.product!r} (known: {_known(products)})",
                )
            )
    for leg_id, leg in scenario.legs.items():
        check(("legs", leg_id, "products"), leg.products or ())
    for cp_id, point in scenario.collection_points.items():
        if isinstance(point.grading_reject_fraction, dict):
            check(
                ("collection_points", cp_id, "grading_reject_fraction"),
                point.grading_reject_fraction,
            )
    for section in ("collection_points", "hubs"):
        for node_id, node in getattr(scenario, section).items():
            if isinstance(node.handling_cny_per_kg, dict):
                check((section, node_id, "handling_cny_per_kg"), node.handling_cny_per_kg)
            listed = getattr(node.priority, "products", ())
            check((section, node_id, "priority", "products"), listed)
            problems.extend(
                ((section, node_id, "priority", "products", index), f"{name!r} is listed twice")
                for index, name in enumerate(listed)
                if name in listed[:index]
            )
    return problems


def _check_cycles(scenario: Scenario, graph: nx.MultiDiGraph) -> list[NetworkProblem]:
    problems: list[NetworkProblem] = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        cycle = nx.find_cycle(graph.subgraph(component))
        legs = [str(key) for _, _, key in cycle]
        nodes = [str(cycle[0][0]), *(str(edge[1]) for edge in cycle)]
        first = min(legs, key=list(scenario.legs).index)
        problems.append(
            (
                ("legs", first),
                f"legs form a cycle ({' -> '.join(nodes)} via {', '.join(legs)}); "
                "a lot could circulate for ever",
            )
        )
    problems.sort(key=lambda problem: list(scenario.legs).index(str(problem[0][1])))
    return problems


def _carrying(scenario: Scenario, graph: nx.MultiDiGraph, product: str) -> nx.MultiDiGraph:
    """Return a view of ``graph`` with only the legs that may carry ``product``."""
    return nx.subgraph_view(
        graph,
        filter_edge=lambda _u, _v, key: product in (scenario.legs[key].products or [product]),
    )


def _sellers(scenario: Scenario) -> dict[str, list[str]]:
    """Product -> the hubs that supply a market selling it."""
    sellers: dict[str, list[str]] = {}
    for market in scenario.markets.values():
        for product in market.demand_by_product()[1]:
            sellers.setdefault(product, []).append(market.supplied_by)
    return sellers


def _check_passing_stock(scenario: Scenario, graph: nx.MultiDiGraph) -> list[NetworkProblem]:
    """Find passing-stock markets with no market beyond their hub selling a product.

    Otherwise the product's lots would stop at the hub with nowhere to go on to.
    """
    problems: list[NetworkProblem] = []
    last_stops: dict[str, set[str]] = {}
    for market in scenario.markets.values():
        if not getattr(market, "passing_stock", False):
            for product in market.demand_by_product()[1]:
                last_stops.setdefault(product, set()).add(market.supplied_by)
    for market_id, market in scenario.markets.items():
        if not getattr(market, "passing_stock", False) or market.supplied_by not in graph:
            continue
        _section, sold = market.demand_by_product()
        for product in sold:
            beyond = nx.descendants(_carrying(scenario, graph, product), market.supplied_by)
            if not beyond & last_stops.get(product, set()):
                problems.append(
                    (
                        ("markets", market_id, "passing_stock"),
                        f"no market beyond {market.supplied_by!r} sells {product!r}: the "
                        "stock would never pass on (set passing_stock: false)",
                    )
                )
    return problems


def _check_flows(scenario: Scenario, graph: nx.MultiDiGraph) -> list[NetworkProblem]:
    problems: list[NetworkProblem] = []
    reach: dict[str, set[str]] = {
        cp: set(nx.descendants(graph, cp)) for cp in scenario.collection_points
    }
    hubs = _leg_ends(scenario)[2]
    reached_hubs = set().union(*reach.values()) if reach else set()
    by_product: dict[str, dict[str, set[str]]] = {}

    def product_reach(product: str) -> dict[str, set[str]]:
        """Nodes reachable from each collection point over legs that carry ``product``."""
        if product not in by_product:
            view = _carrying(scenario, graph, product)
            by_product[product] = {cp: set(nx.descendants(view, cp)) for cp in reach}
        return by_product[product]

    # Collection points receiving each product.
    entry: dict[str, list[str]] = {}
    for source in scenario.sources.values():
        if source.collection_point in reach:
            for product in source.supply:
                entry.setdefault(product, []).append(source.collection_point)

    for market_id, market in scenario.markets.items():
        hub = market.supplied_by
        if hub not in hubs:
            continue  # reported by _check_names
        section, sold = market.demand_by_product()
        for product in sold:
            if product not in scenario.products:
                continue  # reported by _check_products
            path: Path = ("markets", market_id, section, product)
            points = sorted(set(entry.get(product, [])))
            if hub not in reached_hubs:
                problems.append(
                    (path, f"supplying hub {hub!r} cannot be reached from any collection point")
                )
            elif not points:
                problems.append((path, f"no source supplies {product!r}"))
            elif not any(hub in product_reach(product)[point] for point in points):
                problems.append(
                    (
                        path,
                        f"supplying hub {hub!r} cannot be reached from any collection point "
                        f"receiving {product!r} ({', '.join(points)})",
                    )
                )

    sellers = _sellers(scenario)
    problems += _check_switches(scenario, graph, sellers)
    problems += _check_events(scenario, sellers)
    problems.extend(_check_passing_stock(scenario, graph))
    for source_id, source in scenario.sources.items():
        point = source.collection_point
        if point not in reach:
            continue  # reported by _check_names
        for product in source.supply:
            if product not in scenario.products:
                continue
            path = ("sources", source_id, "supply", product)
            targets = [hub for hub in sellers.get(product, []) if hub in hubs]
            if not targets:
                problems.append((path, f"no market sells {product!r}"))
            elif not any(hub in product_reach(product)[point] for hub in targets):
                problems.append(
                    (
                        path,
                        f"{product!r} cannot reach any market selling it from collection "
                        f"point {point!r} (markets are supplied by {_known(set(targets))})",
                    )
                )
    return problems


def _check_switches(
    scenario: Scenario, graph: nx.MultiDiGraph, sellers: Mapping[str, Iterable[str]]
) -> list[NetworkProblem]:
    """Check that each route switch's leg can carry its product on to a market."""
    problems: list[NetworkProblem] = []
    for index, switch in enumerate(scenario.routing.switches):
        leg = scenario.legs[switch.leg]
        path: Path = ("routing", "switches", index)
        if leg.products is not None and switch.product not in leg.products:
            problems.append(
                (
                    (*path, "leg"),
                    f"leg {switch.leg!r} does not carry {switch.product!r} (its products: "
                    f"{', '.join(leg.products)})",
                )
            )
            continue
        view = _carrying(scenario, graph, switch.product)
        onward = {leg.to} | (set(nx.descendants(view, leg.to)) if leg.to in view else set())
        if not onward & set(sellers.get(switch.product, [])):
            problems.append(
                (
                    (*path, "leg"),
                    f"{switch.product!r} cannot reach a market selling it from {leg.to!r}, "
                    f"where leg {switch.leg!r} ends",
                )
            )
    return problems


def _check_events(scenario: Scenario, sellers: Mapping[str, Iterable[str]]) -> list[NetworkProblem]:
    """Check that event orders fall in the horizon and ask for goods that reach their hub."""
    problems: list[NetworkProblem] = []
    first = scenario.start_date
    last = first + dt.timedelta(days=scenario.horizon_days - 1)
    for market_id, market in scenario.markets.items():
        for index, event in enumerate(getattr(market, "events", ())):
            path: Path = ("markets", market_id, "events", index)
            if not first <= event.date <= last:
                problems.append(
                    (
                        (*path, "date"),
                        f"{event.date.isoformat()} is outside the horizon "
                        f"({first.isoformat()} to {last.isoformat()})",
                    )
                )
            problems.extend(
                (
                    (*path, "kg", product),
                    f"no market supplied by {market.supplied_by!r} sells {product!r}, so "
                    "routing never brings it there; add it to a market's orders or demand",
                )
                for product in event.kg
                if product in scenario.products
                and market.supplied_by not in sellers.get(product, [])
            )
    return problems
