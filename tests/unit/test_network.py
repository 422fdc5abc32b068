"""Network checks and graph building on scenarios built from plain data."""

from __future__ import annotations

import copy
from typing import Any

import networkx as nx
import pytest

from fieldtotable.errors import ScenarioError
from fieldtotable.scenario.network import build_graph, check_network
from fieldtotable.scenario.schema import Scenario

MONTHS = [10.0] * 12


def leg(origin: str, to: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "from": origin,
        "to": to,
        "mode": "reefer_truck",
        "distance_km": 100,
        "transit_time_h": {"dist": "triangular", "low": 8, "mode": 9, "high": 13},
        "vehicle_capacity_kg": 15000,
        "dispatch": {"policy": "scheduled", "departures_h": [18]},
        "setpoint_c": 2,
        "loading_h": 1,
    }
    data.update(extra)
    return data


def hub(region: str = "city") -> dict[str, Any]:
    return {"region": region, "storage_kg": 60000, "setpoint_c": 2}


def store(supplied_by: str = "dc", products: tuple[str, ...] = ("mushroom",)) -> dict[str, Any]:
    demand = {"customers_per_day": {"dist": "poisson", "mean": 40}, "kg_per_customer": 0.5}
    return {
        "kind": "store",
        "region": "city",
        "supplied_by": supplied_by,
        "setpoint_c": 4,
        "shelf_capacity_kg": 800,
        "replenishment": {"policy": "order_up_to", "target_days_of_demand": 2},
        "demand": {product: dict(demand) for product in products},
    }


BASE: dict[str, Any] = {
    "name": "net",
    "start_date": "2023-01-01",
    "horizon_days": 30,
    "climate": {"highland": MONTHS, "city": MONTHS},
    "products": {
        "mushroom": {
            "temperature_class": "chilled",
            "shelf_life_days": 5,
            "ref_temp_c": 2,
            "q10": 2.5,
            "price_cny_per_kg": 500,
        }
    },
    "sources": {
        "pickers": {
            "region": "highland",
            "collection_point": "cp",
            "supply": {"mushroom": {"kg_per_day": 100}},
        }
    },
    "collection_points": {"cp": {"region": "highland", "cold_room_kg": 20000, "setpoint_c": 2}},
    "hubs": {"dc": hub()},
    "legs": {"road": leg("cp", "dc")},
    "markets": {"store": store()},
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def problems(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    return check_network(Scenario.model_validate(data))


def test_valid_network_has_no_problems() -> None:
    assert problems(base()) == []


def test_build_graph() -> None:
    data = base()
    data["hubs"]["sh"] = hub()
    data["legs"]["air"] = leg("cp", "dc", mode="air", transit_time_h=3, loading_h=0.5)
    data["legs"]["on"] = leg("dc", "sh")
    data["markets"]["store"]["supplied_by"] = "sh"
    scenario = Scenario.model_validate(data)
    assert check_network(scenario) == []
    graph = build_graph(scenario)
    assert isinstance(graph, nx.DiGraph)
    assert dict(graph.nodes(data="kind")) == {"cp": "collection_point", "dc": "hub", "sh": "hub"}
    assert graph.nodes["cp"]["region"] == "highland"
    assert set(graph.edges(keys=True)) == {
        ("cp", "dc", "road"),
        ("cp", "dc", "air"),
        ("dc", "sh", "on"),
    }
    road = graph.edges["cp", "dc", "road"]
    assert road["leg"] == "road"
    assert road["mode"] == "reefer_truck"
    assert road["expected_h"] == pytest.approx(10.0 + 1.0)
    assert graph.edges["cp", "dc", "air"]["expected_h"] == pytest.approx(3.5)
    path = nx.shortest_path(graph, "cp", "sh", weight="expected_h")
    assert path == ["cp", "dc", "sh"]


def test_build_graph_refuses_unknown_nodes() -> None:
    data = base()
    data["legs"]["road"]["to"] = "nowhere"
    with pytest.raises(ScenarioError) as caught:
        build_graph(Scenario.model_validate(data))
    assert caught.value.path == "legs.road.to"


def test_unknown_collection_point() -> None:
    data = base()
    data["sources"]["pickers"]["collection_point"] = "cq"
    assert problems(data) == [
        (("sources", "pickers", "collection_point"), "unknown collection point 'cq' (known: cp)")
    ]


def test_regions_must_have_climate() -> None:
    data = base()
    data["sources"]["pickers"]["region"] = "moon"
    data["collection_points"]["cp"]["region"] = "moon"
    data["hubs"]["dc"]["region"] = "mars"
    data["markets"]["store"]["region"] = "venus"
    found = problems(data)
    assert [path for path, _ in found] == [
        ("sources", "pickers", "region"),
        ("collection_points", "cp", "region"),
        ("hubs", "dc", "region"),
        ("markets", "store", "region"),
    ]
    assert found[0][1] == "region 'moon' has no entry in climate (known: city, highland)"


def test_orders_market_may_omit_region() -> None:
    data = base()
    data["markets"]["buyers"] = {
        "kind": "orders",
        "supplied_by": "dc",
        "orders": {"mushroom": {"every_days": 7, "kg": 400}},
    }
    assert problems(data) == []


def test_leg_from_unknown_node() -> None:
    data = base()
    data["legs"]["road"]["from"] = "cpp"
    found = problems(data)
    assert found == [
        (
            ("legs", "road", "from"),
            "unknown node 'cpp'; a leg starts at a collection point or hub (known: cp, dc)",
        )
    ]


def test_leg_to_unknown_node_or_collection_point() -> None:
    data = base()
    data["collection_points"]["cp2"] = dict(data["collection_points"]["cp"])
    data["legs"]["road"]["to"] = "dcc"
    data["legs"]["back"] = leg("dc", "cp2")
    assert problems(data) == [
        (("legs", "road", "to"), "unknown hub 'dcc' (known: dc)"),
        (("legs", "back", "to"), "'cp2' is a collection point; a leg must end at a hub"),
    ]


def test_supplied_by_must_be_a_hub() -> None:
    data = base()
    data["markets"]["store"]["supplied_by"] = "cp"
    assert problems(data) == [
        (("markets", "store", "supplied_by"), "'cp' is not a hub (known: dc)")
    ]


def test_node_ids_must_differ() -> None:
    data = base()
    data["hubs"]["cp"] = hub()
    assert (("hubs", "cp"), "'cp' is also a collection point; node ids must differ") in problems(
        data
    )


def test_unknown_products_everywhere() -> None:
    data = base()
    data["sources"]["pickers"]["supply"]["yak"] = {"kg_per_day": 5}
    data["markets"]["store"]["demand"]["honey"] = data["markets"]["store"]["demand"]["mushroom"]
    data["markets"]["store"]["replenishment"] = {
        "policy": "s_S",
        "levels": {name: {"s_kg": 1, "S_kg": 2} for name in ("mushroom", "honey", "wine")},
    }
    data["markets"]["buyers"] = {
        "kind": "orders",
        "supplied_by": "dc",
        "orders": {"eggs": {"every_days": 7, "kg": 400}},
    }
    data["routing"] = {"prefer_modes": {"lily": ["air"]}}
    assert problems(data) == [
        (("sources", "pickers", "supply", "yak"), "unknown product 'yak' (known: mushroom)"),
        (("markets", "store", "demand", "honey"), "unknown product 'honey' (known: mushroom)"),
        (
            ("markets", "store", "replenishment", "levels", "honey"),
            "unknown product 'honey' (known: mushroom)",
        ),
        (
            ("markets", "store", "replenishment", "levels", "wine"),
            "unknown product 'wine' (known: mushroom)",
        ),
        (("markets", "buyers", "orders", "eggs"), "unknown product 'eggs' (known: mushroom)"),
        (("routing", "prefer_modes", "lily"), "unknown product 'lily' (known: mushroom)"),
    ]


def test_product_id_travel_is_reserved() -> None:
    # A source draws its harvest of product P from stream ("source", id, P) and its travel
    # times from ("source", id, "travel"): a product called "travel" would share them.
    data = base()
    data["products"]["travel"] = data["products"]["mushroom"]
    assert problems(data) == [
        (
            ("products", "travel"),
            "the product id 'travel' is reserved (a source's travel times draw from the "
            "random stream of that name); rename the product",
        )
    ]


def test_unreachable_market() -> None:
    data = base()
    data["hubs"]["far"] = hub()
    data["markets"]["store"]["supplied_by"] = "far"
    assert problems(data) == [
        (
            ("markets", "store", "demand", "mushroom"),
            "supplying hub 'far' cannot be reached from any collection point",
        ),
        (
            ("sources", "pickers", "supply", "mushroom"),
            "'mushroom' cannot reach any market selling it from collection point 'cp' "
            "(markets are supplied by far)",
        ),
    ]


def test_market_hub_reached_only_by_other_products() -> None:
    data = base()
    data["products"]["yak"] = dict(data["products"]["mushroom"])
    data["collection_points"]["cp2"] = dict(data["collection_points"]["cp"])
    data["sources"]["herders"] = {
        "region": "highland",
        "collection_point": "cp2",
        "supply": {"yak": {"kg_per_day": 50}},
    }
    data["markets"]["store"]["demand"]["yak"] = data["markets"]["store"]["demand"]["mushroom"]
    found = problems(data)
    assert found == [
        (
            ("markets", "store", "demand", "yak"),
            "supplying hub 'dc' cannot be reached from any collection point receiving 'yak' (cp2)",
        ),
        (
            ("sources", "herders", "supply", "yak"),
            "'yak' cannot reach any market selling it from collection point 'cp2' "
            "(markets are supplied by dc)",
        ),
    ]


def test_demand_without_supply_and_supply_without_market() -> None:
    data = base()
    data["products"]["yak"] = dict(data["products"]["mushroom"])
    data["markets"]["store"]["demand"] = {"yak": data["markets"]["store"]["demand"]["mushroom"]}
    assert problems(data) == [
        (("markets", "store", "demand", "yak"), "no source supplies 'yak'"),
        (("sources", "pickers", "supply", "mushroom"), "no market sells 'mushroom'"),
    ]


def test_name_problems_hide_flow_problems() -> None:
    data = base()
    data["legs"]["road"]["to"] = "dcc"
    assert problems(data) == [(("legs", "road", "to"), "unknown hub 'dcc' (known: dc)")]


def test_leg_cycle() -> None:
    data = base()
    data["hubs"]["km"] = hub()
    data["legs"]["loop_b"] = leg("km", "dc")
    data["legs"]["loop_a"] = leg("dc", "km")
    [(path, message)] = problems(data)
    assert path == ("legs", "loop_b")
    assert message.startswith("legs form a cycle (")
    assert "loop_a" in message
    assert "loop_b" in message
    assert message.endswith("a lot could circulate for ever")


def test_multi_hop_network_with_orders_is_valid() -> None:
    data = base()
    data["hubs"]["sh"] = hub()
    data["legs"]["long"] = leg("dc", "sh", mode="rail_reefer")
    data["markets"]["store"]["supplied_by"] = "sh"
    data["markets"]["buyers"] = {
        "kind": "orders",
        "supplied_by": "dc",
        "orders": {"mushroom": {"every_days": 7, "kg": 400}},
    }
    assert problems(data) == []
