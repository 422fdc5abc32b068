"""The seed-independent parts of a world, shared by the worlds of one scenario."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from fieldtotable import builtin_scenario, load_scenario, simulate
from fieldtotable.experiment.runs import RunSpec, run_one
from fieldtotable.model import prepared as prepared_module
from fieldtotable.model.prepared import RECENT, prepared, same_scenario
from fieldtotable.model.world import World
from fieldtotable.scenario import parse_scenario
from fieldtotable.scenario.hashing import scenario_hash

SMALL = Path(__file__).resolve().parents[1] / "data" / "small.yaml"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
MINIMAL = (Path(__file__).parents[2] / "scenarios" / "minimal.yaml").read_text(encoding="utf-8")


def _with_variation() -> Any:
    anchor = "    daily_range_c: 12 "
    assert MINIMAL.count(anchor) == 1
    variation = "    variation: {monthly_anomaly_sd_c: 2.0}\n"
    return parse_scenario(MINIMAL.replace(anchor, variation + anchor, 1), "weather.yaml")


def _result(scenario: Any, replication: int, seed: int = 5) -> dict[str, Any]:
    data: dict[str, Any] = simulate(scenario, seed, replication=replication).to_dict()
    data.pop("wall_time_s")
    return data


def _snapshot(parts: prepared_module.Prepared) -> bytes:
    """Everything in the shared parts, as bytes (a run must not change any of it)."""
    ambient = {
        region: ([bytes(t) for t in air.rates], [bytes(t) for t in air.cumulative])
        for region, air in parts.ambient.items()
    }
    calendar = (parts.calendar.month, parts.calendar.weekday)
    return pickle.dumps((parts.work, calendar, ambient, parts.routing))


def test_worlds_of_one_scenario_share_its_parts() -> None:
    scenario = load_scenario(SMALL)
    first, second = World(scenario, 0, replication=0), World(scenario, 0, replication=1)
    assert first.work is second.work
    assert first.context.calendar is second.context.calendar
    assert first.context.ambient == second.context.ambient  # the same objects, by identity
    assert all(
        first.context.ambient[region] is second.context.ambient[region]
        for region in first.context.ambient
    )
    # An equal copy is another scenario object: it gets parts of its own.
    copy = pickle.loads(pickle.dumps(scenario))
    assert World(copy, 0).work is not first.work


def test_shared_parts_give_the_same_results_as_fresh_ones() -> None:
    """A run on parts an earlier run used equals a run on parts built for it."""
    scenario = builtin_scenario("baseline_2023").with_horizon(60)
    parts = prepared(scenario)
    before = _snapshot(parts)
    warm = [_result(scenario, replication) for replication in (0, 1)]
    assert prepared(scenario) is parts
    assert _snapshot(parts) == before, "a run wrote to the shared parts"
    for replication, result in zip((0, 1), warm, strict=True):
        fresh = pickle.loads(pickle.dumps(scenario))  # new object: its parts built anew
        assert _result(fresh, replication) == result


def test_only_the_recent_scenarios_are_kept() -> None:
    scenarios = [load_scenario(SMALL) for _ in range(RECENT + 1)]
    parts = [prepared(scenario) for scenario in scenarios]
    assert prepared(scenarios[-1]) is parts[-1]
    assert prepared(scenarios[0]) is not parts[0]  # pushed out, built again


def test_a_region_with_a_weather_variation_gets_its_own_air_per_world() -> None:
    scenario = _with_variation()
    [region] = [r for r, climate in scenario.climate.items() if climate.variation is not None]
    assert region not in prepared(scenario).ambient
    first, second = World(scenario, 1, replication=0), World(scenario, 1, replication=1)
    assert first.context.ambient[region] is not second.context.ambient[region]
    assert bytes(first.context.ambient[region].rates[0]) != bytes(
        second.context.ambient[region].rates[0]
    )
    shared = [r for r in scenario.climate if r != region]
    assert all(first.context.ambient[r] is second.context.ambient[r] for r in shared)


def test_a_worker_keeps_the_first_copy_of_a_scenario_by_its_hash() -> None:
    scenario = load_scenario(SMALL)
    key = scenario_hash(scenario)
    copies = [pickle.loads(pickle.dumps(scenario)) for _ in range(3)]
    kept = same_scenario(key, copies[0])
    assert kept is copies[0]
    assert same_scenario(key, copies[1]) is copies[0]
    assert same_scenario("another hash", copies[2]) is copies[2]


@pytest.mark.python_model  # patches a call between two model modules
def test_run_one_uses_the_copy_it_has(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(SMALL).with_horizon(20)
    key = scenario_hash(scenario)
    seen: list[object] = []
    real = prepared_module.prepared

    def spy(this: Any) -> Any:
        seen.append(this)
        return real(this)

    monkeypatch.setattr("fieldtotable.model.world.prepared", spy)
    results = [
        run_one(pickle.loads(pickle.dumps(scenario)), RunSpec(0, "x", 3, replication, key))
        for replication in range(3)
    ]
    assert len(seen) == 3
    assert seen[1] is seen[0]
    assert seen[2] is seen[0]
    for replication, result in enumerate(results):
        data = result.to_dict()
        data.pop("wall_time_s")
        assert data == _result(scenario, replication, seed=3)


def test_a_scenario_changed_in_place_gets_parts_built_anew() -> None:
    """Never the stale parts: a run after an in-place change equals one in a fresh process."""
    scenario = load_scenario(SMALL).with_horizon(60)
    before = _result(scenario, 0)
    parts = prepared(scenario)
    region = next(iter(scenario.climate))
    climate = scenario.climate[region]
    warmer = tuple(t + 10 for t in climate.monthly_mean_c)
    scenario.climate[region] = climate.model_copy(update={"monthly_mean_c": warmer})
    after = _result(scenario, 0)
    assert prepared(scenario) is not parts
    fresh = pickle.loads(pickle.dumps(scenario))  # another object, as a new process sees it
    assert after == _result(fresh, 0)
    assert after != before, "the change must move the results, or this test proves nothing"


def test_a_change_deep_in_the_scenario_is_seen_and_an_unchanged_one_keeps_its_parts() -> None:
    scenario = load_scenario(SMALL)
    parts = prepared(scenario)
    assert prepared(scenario) is parts
    market = next(iter(scenario.markets.values()))
    product, demand = next(iter(market.demand.items()))
    market.demand[product] = demand.model_copy()  # an equal value, but another object
    rebuilt = prepared(scenario)
    assert rebuilt is not parts
    assert prepared(scenario) is rebuilt


def _every_container(value: Any, found: list[Any]) -> list[Any]:
    """Every dict and list in a scenario, walking every field of every model."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _every_container(getattr(value, name), found)
    elif isinstance(value, dict | list):
        found.append(value)
        for item in value.values() if isinstance(value, dict) else value:
            _every_container(item, found)
    elif isinstance(value, tuple):
        for item in value:
            _every_container(item, found)
    return found


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda path: path.stem)
def test_the_check_watches_every_dict_and_list_of_a_scenario(path: Path) -> None:
    """The walk skips the fields whose type holds no container; it must miss none."""
    scenario = load_scenario(path)
    watched = {id(container) for container, _ in prepared_module._Contents(scenario)._containers}
    assert watched == {id(container) for container in _every_container(scenario, [])}
