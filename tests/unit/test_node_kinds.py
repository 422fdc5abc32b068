"""Node kinds behind one interface: a kind added by code, end to end.

The kind here is a *relay*: a place without storage limits that passes lots on after
a fixed delay. It is registered by a fixture and removed afterwards, so that no other
test sees it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, Self

import pytest
import yaml

import fieldtotable as ft
from fieldtotable.cli import main
from fieldtotable.errors import ScenarioError
from fieldtotable.model.kinds import BuildSetup, Metric
from fieldtotable.model.lot import HUB, Lot
from fieldtotable.model.nodes import node_kind, node_kinds, register_node_kind, unregister_node_kind
from fieldtotable.model.storage import Storage
from fieldtotable.results import section
from fieldtotable.scenario import dump_scenario, parse_scenario
from fieldtotable.scenario.kinds import node_schemas
from fieldtotable.scenario.nodes import places
from fieldtotable.scenario.schema import NodeConfig, NonNegativeFloat
from fieldtotable.tables import format_by_node, format_run

DATA = Path(__file__).resolve().parents[1] / "data"


class Relay(NodeConfig):
    """A place that passes lots on after a delay."""

    kind: Literal["relay"]
    delay_h: NonNegativeFloat = 1.0
    """Hours a lot spends here before a leg may load it, h."""


class RelayProcess:
    holds_stock = True

    def __init__(self, node_id: str, config: Relay, setup: BuildSetup) -> None:
        context = setup.context
        self.node_id = node_id
        self.context = context
        self.ambient = context.ambient[config.region]
        self.delay_h = config.delay_h
        self.storage = Storage(
            context, node_id, self.ambient, 2.0, float("inf"), "wait", HUB,
            len(setup.product_index),
        )  # fmt: skip
        self.received = 0

    @classmethod
    def build(cls, node_id: str, config: Relay, setup: BuildSetup) -> Self:
        return cls(node_id, config, setup)

    def receive(self, lots: Sequence[Lot]) -> None:
        self.received += len(lots)
        done = self.context.env.timeout(self.delay_h)
        done.callbacks.append(lambda _event: [self.storage.receive(lot) for lot in lots])

    def stats(self) -> dict[str, float]:
        return {"lots_relayed": float(self.received)}

    def end_of_day(self) -> float:
        self.storage.inspect()
        return self.storage.held_kg


@pytest.fixture
def relay() -> Iterator[None]:
    register_node_kind(
        "relay",
        schema=Relay,
        process=RelayProcess,
        label="relay station",
        metrics={"lots_relayed": Metric("count", "lots that passed the relay", "Relayed")},
    )
    yield
    unregister_node_kind("relay")


def small_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DATA / "small.yaml").read_text(encoding="utf-8"))
    return data


def via_relay(delay_h: float = 3.0) -> dict[str, Any]:
    """small.yaml with its one leg cut in two at a relay."""
    data = small_data()
    leg = data["legs"].pop("cp_shanghai")
    data["nodes"] = {"halfway": {"kind": "relay", "region": "shangri_la", "delay_h": delay_h}}
    data["legs"]["cp_halfway"] = {**leg, "to": "halfway", "distance_km": 1000}
    data["legs"]["halfway_shanghai"] = {**leg, "from": "halfway", "distance_km": 2000}
    return data


@pytest.mark.usefixtures("relay")
def test_a_registered_kind_runs_and_reports_everywhere() -> None:
    scenario = ft.Scenario.model_validate(via_relay())
    result = ft.simulate(scenario, seed=0)
    # Every lot sold crossed both legs, and so the relay.
    assert result.by_node["halfway"] == {
        "lots_relayed": pytest.approx(result.by_node["halfway"]["lots_relayed"])
    }
    assert result.by_node["halfway"]["lots_relayed"] > 0
    assert result.by_leg["halfway_shanghai"]["kg_carried"] > 0
    assert "stock_halfway_kg" in result.daily
    assert "lots_relayed" in section("by_node")
    assert section("by_node")["lots_relayed"].unit == "count"
    assert list(places(scenario)) == ["cp", "shanghai_dc", "halfway"]
    table = format_by_node(result, scenario)
    assert "relay station" in table
    assert "relayed" in table
    assert "halfway" in format_run(result, scenario)


@pytest.mark.usefixtures("relay")
def test_a_lot_leaves_the_relay_at_the_first_departure_after_its_delay() -> None:
    data = via_relay(7.5)
    for leg in data["legs"].values():  # a departure every hour and vehicles to spare
        leg["fleet"] = 40
        leg["dispatch"] = {"policy": "scheduled", "departures_h": list(range(24))}
        leg.pop("closures")
    run = ft.simulate(ft.Scenario.model_validate(data), seed=3, record_flows=True)
    assert run.flows is not None
    arrived = {f.lot: f.time_h for f in run.flows if f.kind == "arrive" and f.place == "cp_halfway"}
    left = {
        f.lot: f.time_h for f in run.flows if f.kind == "depart" and f.place == "halfway_shanghai"
    }
    assert len(left) > 20
    for lot, time_h in left.items():
        waited = time_h - arrived[lot]
        assert 7.5 <= waited <= 8.5 + 1e-9, (lot, waited)


@pytest.mark.usefixtures("relay")
def test_a_scenario_with_the_kind_is_written_and_read_back() -> None:
    scenario = ft.Scenario.model_validate(via_relay())
    text = dump_scenario(scenario)
    assert "kind: relay" in text
    again = parse_scenario(text)
    assert again == scenario
    assert isinstance(again.nodes["halfway"], Relay)
    assert ft.simulate(again, seed=1) == ft.simulate(scenario, seed=1)


@pytest.mark.usefixtures("relay")
def test_a_bad_field_of_the_kind_is_reported_at_its_line() -> None:
    data = via_relay()
    data["nodes"]["halfway"]["delay_h"] = -1
    data["nodes"]["halfway"]["colour"] = "red"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(yaml.safe_dump(data, sort_keys=False), filename="relay.yaml")
    lines = [str(problem) for problem in caught.value.problems]
    assert any("nodes.halfway.delay_h: must be >= 0" in line for line in lines), lines
    assert any("nodes.halfway.colour: unknown key" in line for line in lines), lines
    assert all(line.startswith("relay.yaml:") for line in lines), lines


def test_an_unknown_kind_is_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "relay.yaml").write_text(
        yaml.safe_dump(via_relay(), sort_keys=False), encoding="utf-8"
    )
    assert main(["validate", str(tmp_path / "relay.yaml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "nodes.halfway: unknown node kind 'relay' (known: none registered)" in err[0]
    assert err[0].startswith(f"{tmp_path / 'relay.yaml'}:")


def test_legs_and_markets_are_checked_against_what_the_kind_allows() -> None:
    register_node_kind(
        "relay", schema=Relay, process=RelayProcess, label="relay station", metrics={},
        receives_legs=False, sends_legs=False, supplies_markets=False,
    )  # fmt: skip
    try:
        data = via_relay()
        data["markets"]["store"]["supplied_by"] = "halfway"
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(yaml.safe_dump(data, sort_keys=False))
        found = "\n".join(str(problem) for problem in caught.value.problems)
        assert "legs.cp_halfway.to: 'halfway' is a relay station; a leg must end at a hub" in found
        assert "legs.halfway_shanghai.from: unknown node 'halfway'" in found
        assert "markets.store.supplied_by: 'halfway' is not a hub" in found
    finally:
        unregister_node_kind("relay")


@pytest.mark.usefixtures("relay")
def test_node_ids_must_differ_across_sections() -> None:
    data = via_relay()
    data["nodes"]["cp"] = data["nodes"].pop("halfway")
    with pytest.raises(ScenarioError, match=r"nodes.cp: 'cp' is also a collection point"):
        parse_scenario(yaml.safe_dump(data, sort_keys=False))


def test_registration_refuses_what_it_cannot_honour() -> None:
    with pytest.raises(ValueError, match="subclass of NodeConfig"):
        register_node_kind("x", schema=dict, process=RelayProcess, label="x", metrics={})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="already registered"):
        register_node_kind("hub", schema=Relay, process=RelayProcess, label="x", metrics={})
    with pytest.raises(ValueError, match="built-in"):
        unregister_node_kind("hub")
    assert "relay" not in node_kinds()
    assert "relay" not in node_schemas()


def test_the_built_in_kinds_are_registered_in_build_order() -> None:
    assert list(node_kinds()) == ["source", "collection_point", "hub", "store", "orders"]
    assert node_kind("hub").schema.supplies_markets
    assert not node_kind("collection_point").schema.receives_legs
    assert list(section("by_node")) == [
        "peak_stock_kg", "capacity_kg", "overflow_kg", "refused_kg", "overflow_store_kg",
        "peak_overflow_store_kg", "precooled_lots", "mean_precooling_wait_h",
    ]  # fmt: skip


def test_the_command_line_imports_plugins_named_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = tmp_path / "relay_plugin.py"
    plugin.write_text(
        "from fieldtotable.model.nodes import register_node_kind\n"
        "from test_node_kinds import Relay, RelayProcess\n"
        "register_node_kind('relay', schema=Relay, process=RelayProcess, label='relay', "
        "metrics={})\n",
        encoding="utf-8",
    )
    (tmp_path / "relay.yaml").write_text(
        yaml.safe_dump(via_relay(), sort_keys=False), encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("FIELDTOTABLE_PLUGINS", "relay_plugin")
    try:
        assert main(["run", str(tmp_path / "relay.yaml"), "--days", "10"]) == 0
        assert "halfway" in capsys.readouterr().out
    finally:
        unregister_node_kind("relay")
        monkeypatch.delitem(__import__("sys").modules, "relay_plugin", raising=False)


def test_a_plugin_that_cannot_be_imported_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FIELDTOTABLE_PLUGINS", "no_such_plugin_module")
    assert main(["validate", str(DATA / "small.yaml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "fieldtotable: plugin 'no_such_plugin_module' could not be imported: "
        "ModuleNotFoundError: No module named 'no_such_plugin_module'"
    ]
