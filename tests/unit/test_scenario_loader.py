"""Scenario loading: every problem reported with file, line and field path."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml

from fieldtotable.errors import (
    FieldToTableError,
    MassBalanceError,
    Problem,
    ScenarioError,
    SimulationError,
)
from fieldtotable.scenario import (
    Scenario,
    builtin_scenario,
    builtin_scenario_names,
    load_scenario,
    parse_scenario,
)
from fieldtotable.scenario.schema import Leg
from fieldtotable.scenario.yaml_loader import MAX_BYTES
from yaml_budget import NodeBudget

VALID = """\
name: test channel
start_date: 2023-01-01
horizon_days: 30
climate:
  highland: [-3.8, -1.6, 1.7, 5.2, 9.6, 12.6, 13.2, 12.5, 11.1, 6.5, 0.8, -2.9]
  city: [4.2, 4.0, 11.4, 15.9, 21.6, 24.0, 30.2, 28.4, 25.6, 20.7, 13.1, 7.5]
products:
  mushroom:
    temperature_class: chilled
    shelf_life_days: 5
    ref_temp_c: 2
    q10: 2.5
    price_cny_per_kg: 500
sources:
  pickers:
    region: highland
    collection_point: cp
    supply:
      mushroom:
        kg_per_day: {dist: lognormal, mean: 120, cv: 0.5}
        season: [0, 0, 0, 0, 0, 0.2, 0.8, 1.0, 0.7, 0.3, 0, 0]
collection_points:
  cp:
    region: highland
    cold_room_kg: 20000
    setpoint_c: 2
hubs:
  dc: {region: city, storage_kg: 60000, setpoint_c: 2}
legs:
  road:
    from: cp
    to: dc
    mode: reefer_truck
    distance_km: 2500
    transit_time_h: {dist: triangular, low: 40, mode: 48, high: 60}
    fleet: 2
    vehicle_capacity_kg: 15000
    dispatch: {policy: scheduled, departures_h: [18]}
    setpoint_c: 2
markets:
  store:
    kind: store
    region: city
    supplied_by: dc
    setpoint_c: 4
    shelf_capacity_kg: 800
    replenishment: {policy: order_up_to, target_days_of_demand: 2}
    demand:
      mushroom:
        customers_per_day: {dist: poisson, mean: 40}
        kg_per_customer: {dist: uniform, low: 0.25, high: 1.0}
"""


def edit(old: str, new: str) -> str:
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def line_of(text: str, snippet: str) -> int:
    [number] = [i for i, line in enumerate(text.splitlines(), 1) if snippet in line]
    return number


def problems_of(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert all(p.file == "s.yaml" for p in caught.value.problems)
    return [(p.line, p.path, p.message) for p in caught.value.problems]


# --- valid scenarios ------------------------------------------------------------


def test_valid_scenario_loads() -> None:
    scenario = parse_scenario(VALID)
    assert isinstance(scenario, Scenario)
    assert scenario.legs["road"].from_ == "cp"
    assert scenario.legs["road"].dispatch.policy == "scheduled"
    assert scenario == parse_scenario(VALID)


def test_valid_scenario_round_trips_through_yaml() -> None:
    scenario = parse_scenario(VALID)
    dumped = yaml.safe_dump(scenario.model_dump(mode="json", by_alias=True), sort_keys=False)
    assert parse_scenario(dumped) == scenario


def test_load_scenario_from_file(tmp_path: Path) -> None:
    file = tmp_path / "s.yaml"
    file.write_text(VALID, encoding="utf-8")
    assert load_scenario(file) == parse_scenario(VALID)
    assert load_scenario(str(file)) == parse_scenario(VALID)


def test_file_problems_carry_the_file_name(tmp_path: Path) -> None:
    file = tmp_path / "s.yaml"
    file.write_text(edit("fleet: 2", "fleet: 0"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(file)
    assert str(caught.value) == f"{file}:36: legs.road.fleet: must be >= 1 (got 0)"


# --- field problems -----------------------------------------------------------------


def test_duplicate_key() -> None:
    text = edit("    fleet: 2\n", "    fleet: 2\n    fleet: 3\n")
    assert problems_of(text) == [
        (37, "legs.road.fleet", "duplicate key 'fleet' (first on line 36)")
    ]


def test_unknown_key_points_at_the_key() -> None:
    text = edit("fleet: 2", "flet: 2")
    assert problems_of(text) == [(36, "legs.road.flet", "unknown key; did you mean 'fleet'?")]


def test_unknown_key_without_close_match_lists_allowed_keys() -> None:
    text = edit("name: test channel\n", "name: test channel\nzzz: 1\n")
    [(line, path, message)] = problems_of(text)
    assert (line, path) == (2, "zzz")
    assert message.startswith("unknown key (allowed: name, description, start_date")


def test_negative_capacity() -> None:
    text = edit("vehicle_capacity_kg: 15000", "vehicle_capacity_kg: -5")
    assert problems_of(text) == [(37, "legs.road.vehicle_capacity_kg", "must be >= 10 (got -5)")]


def test_departure_hour_25() -> None:
    text = edit("departures_h: [18]", "departures_h: [25]")
    assert problems_of(text) == [
        (38, "legs.road.dispatch.departures_h[0]", "must be < 24 (got 25)")
    ]


def test_departure_hour_in_block_list_has_its_own_line() -> None:
    text = edit(
        "    dispatch: {policy: scheduled, departures_h: [18]}\n",
        "    dispatch:\n      policy: scheduled\n      departures_h:\n        - 6\n        - 25\n",
    )
    assert problems_of(text) == [
        (42, "legs.road.dispatch.departures_h[1]", "must be < 24 (got 25)")
    ]


def test_season_list_of_11() -> None:
    text = edit("0.7, 0.3, 0, 0]", "0.7, 0.3, 0]")
    assert problems_of(text) == [
        (21, "sources.pickers.supply.mushroom.season", "must have exactly 12 items, found 11")
    ]


def test_climate_list_of_11() -> None:
    text = edit("13.1, 7.5]", "13.1]")
    assert problems_of(text) == [(6, "climate.city", "must have exactly 12 items, found 11")]


@pytest.mark.parametrize(
    ("dist", "message"),
    [
        ("{dist: triangular, low: 40, high: 60}", "dist 'triangular' needs mode"),
        ("{dist: normal, mean: 48, cv: 0.1}", "dist 'normal' needs sd"),
        ("{dist: uniform, low: 60, high: 40}", "low (60.0) > high (40.0)"),
        ("{dist: weibull, mean: 3}", "must be 'constant', 'uniform', 'triangular', 'normal', "),
        ("fast", "must be a number or a distribution like {dist: uniform, low: 1, high: 3}"),
    ],
)
def test_wrong_distribution_parameters(dist: str, message: str) -> None:
    text = edit("{dist: triangular, low: 40, mode: 48, high: 60}", dist)
    [(line, path, found)] = problems_of(text)
    assert line == 35
    assert path.startswith("legs.road.transit_time_h")
    assert found.startswith(message)


def test_missing_key_points_at_its_parent() -> None:
    text = edit("    vehicle_capacity_kg: 15000\n", "")
    assert problems_of(text) == [(30, "legs.road.vehicle_capacity_kg", "required key missing")]


def test_bad_dispatch_policy_points_at_policy() -> None:
    text = edit("policy: scheduled", "policy: sometimes")
    assert problems_of(text) == [
        (
            38,
            "legs.road.dispatch.policy",
            "must be one of 'scheduled', 'full_or_timeout' (got 'sometimes')",
        )
    ]


def test_unknown_key_inside_discriminated_union() -> None:
    text = edit("departures_h: [18]", "departures_h: [18], every: 2")
    assert problems_of(text) == [
        (38, "legs.road.dispatch.every", "unknown key (allowed: policy, departures_h)")
    ]


def test_python_tag_refused() -> None:
    text = edit("fleet: 2", "fleet: !!python/object/apply:os.system [echo]")
    assert problems_of(text) == [
        (
            36,
            "legs.road.fleet",
            "tag !!python/object/apply:os.system is not allowed: scenarios are plain data",
        )
    ]


def test_syntax_error() -> None:
    text = edit("fleet: 2", "fleet: [2")
    [(line, path, message)] = problems_of(text)
    assert (line, path) == (37, "")
    assert message.startswith("YAML syntax error:")


def test_alias_bomb_refused_quickly(yaml_nodes: NodeBudget) -> None:
    bomb = "lol0: &l0 [a, a, a, a, a, a, a, a, a]\n" + "".join(
        f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10)
    )
    # Bounded work, not wall time: past the budget the node count fails the test.
    budget = yaml_nodes.allow_alias_budget(VALID + bomb)
    [(_, _, message)] = problems_of(VALID + bomb)
    assert 0 < yaml_nodes.built <= budget
    assert message.startswith("refused: more than")


def test_several_problems_in_one_pass() -> None:
    text = VALID.replace("horizon_days: 30", "horizon_days: 0")
    text = text.replace("fleet: 2", "fleet: 0\n    xyz: red")
    text = text.replace("vehicle_capacity_kg: 15000", "vehicle_capacity_kg: -5")
    text = text.replace("departures_h: [18]", "departures_h: [25]")
    assert problems_of(text) == [
        (3, "horizon_days", "must be >= 1 (got 0)"),
        (36, "legs.road.fleet", "must be >= 1 (got 0)"),
        (37, "legs.road.xyz", "unknown key (allowed: " + _leg_keys() + ")"),
        (38, "legs.road.vehicle_capacity_kg", "must be >= 10 (got -5)"),
        (39, "legs.road.dispatch.departures_h[0]", "must be < 24 (got 25)"),
    ]


def _leg_keys() -> str:
    return ", ".join(field.alias or name for name, field in Leg.model_fields.items())


def test_not_a_mapping() -> None:
    assert problems_of("- a\n- b\n") == [
        (1, "", "a scenario must be a mapping of sections (name, products, ...), found a list")
    ]
    assert problems_of("") == [
        (
            None,
            "",
            "a scenario must be a mapping of sections (name, products, ...), "
            "found an empty document",
        )
    ]


# --- network problems ---------------------------------------------------------------


def test_unknown_leg_node() -> None:
    text = edit("to: dc", "to: dcc")
    assert problems_of(text) == [(32, "legs.road.to", "unknown hub 'dcc' (known: dc)")]
    text = edit("from: cp", "from: cq")
    [(line, path, message)] = problems_of(text)
    assert (line, path) == (31, "legs.road.from")
    assert message.startswith("unknown node 'cq'")


def test_unknown_product_in_demand() -> None:
    text = edit("    demand:\n      mushroom:", "    demand:\n      mushrom:")
    assert problems_of(text) == [
        (49, "markets.store.demand.mushrom", "unknown product 'mushrom' (known: mushroom)")
    ]


def test_unreachable_market() -> None:
    text = edit("hubs:\n", "hubs:\n  far: {region: city, storage_kg: 10, setpoint_c: 2}\n")
    text = text.replace("supplied_by: dc", "supplied_by: far")
    assert problems_of(text) == [
        (
            19,
            "sources.pickers.supply.mushroom",
            "'mushroom' cannot reach any market selling it from collection point 'cp' "
            "(markets are supplied by far)",
        ),
        (
            50,
            "markets.store.demand.mushroom",
            "supplying hub 'far' cannot be reached from any collection point",
        ),
    ]


def test_leg_cycle() -> None:
    text = edit("hubs:\n", "hubs:\n  km: {region: city, storage_kg: 10, setpoint_c: 2}\n")
    loop = (
        "  {name}:\n    from: {a}\n    to: {b}\n    mode: van\n    distance_km: 5\n"
        "    transit_time_h: 1\n    vehicle_capacity_kg: 100\n"
        "    dispatch: {{policy: full_or_timeout, min_load_kg: 50, max_wait_h: 4}}\n"
        "    setpoint_c: 2\n"
    )
    text = text.replace(
        "markets:\n",
        loop.format(name="out", a="dc", b="km")
        + loop.format(name="back", a="km", b="dc")
        + "markets:\n",
    )
    [(line, path, message)] = problems_of(text)
    assert line == line_of(text, "  out:")
    assert path == "legs.out"
    assert message.startswith("legs form a cycle (")


# --- files and built-ins ------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(missing)
    assert caught.value.problems == (Problem(str(missing), None, "", "file not found"),)
    assert str(caught.value) == f"{missing}: file not found"


def test_directory_and_large_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a directory"):
        load_scenario(tmp_path)
    large = tmp_path / "large.yaml"
    large.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(ScenarioError, match="file too large"):
        load_scenario(large)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(binary)


def test_builtin_names_and_unknown_builtin() -> None:
    names = builtin_scenario_names()
    assert names == sorted(names)
    with pytest.raises(ScenarioError) as caught:
        builtin_scenario("no_such_scenario")
    message = str(caught.value)
    assert message.startswith("no built-in scenario 'no_such_scenario' (available: ")
    for name in names:
        assert name in message


def test_builtin_scenarios_load() -> None:
    for name in builtin_scenario_names():
        assert isinstance(builtin_scenario(name), Scenario)


# --- the error family ---------------------------------------------------------------


def test_problem_formatting() -> None:
    assert str(Problem("<string>", 12, "legs.a.fleet", "must be >= 1")) == (
        "<string>:12: legs.a.fleet: must be >= 1"
    )
    assert str(Problem("s.yaml", None, "", "file not found")) == "s.yaml: file not found"
    assert str(Problem(None, 3, "a", "bad")) == "line 3: a: bad"
    assert str(Problem(None, None, "", "bad")) == "bad"


def test_scenario_error_shape() -> None:
    first = Problem("s.yaml", 4, "legs", "x")
    error = ScenarioError([first, Problem("s.yaml", 9, "hubs", "y")])
    assert isinstance(error, FieldToTableError)
    assert (error.file, error.line, error.path) == ("s.yaml", 4, "legs")
    assert str(error) == "s.yaml:4: legs: x\ns.yaml:9: hubs: y"
    assert ScenarioError(first).problems == (first,)
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems
    with pytest.raises(ValueError, match="at least one problem"):
        ScenarioError([])
    assert issubclass(MassBalanceError, SimulationError)
    assert issubclass(SimulationError, FieldToTableError)
