"""Scenario YAML is read by the YAML 1.2 core schema: ``1e6`` is a number, ``1:30`` is not 90."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
import yaml

from fieldtotable.errors import ScenarioError
from fieldtotable.scenario import apply_overrides, load_scenario, parse_assignment
from fieldtotable.scenario.yaml_loader import parse_yaml
from scenario_builders import SMALL_YAML


def value_of(text: str) -> Any:
    data, _ = parse_yaml(f"a: {text}\n", "f.yaml")
    return data["a"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # floats of YAML 1.2 that YAML 1.1 (PyYAML) reads as strings
        ("1e6", 1e6),
        ("1E6", 1e6),
        ("-2.5e-3", -2.5e-3),
        ("+1e3", 1e3),
        (".5", 0.5),
        ("-.5", -0.5),
        ("1.", 1.0),
        ("1.0e+300", 1e300),
        # integers
        ("010", 10),  # decimal in YAML 1.2, octal 8 in YAML 1.1
        ("0o17", 15),
        ("0x1F", 31),
        ("+12", 12),
        ("-0", 0),
        # strings in YAML 1.2 that YAML 1.1 reads as numbers or booleans
        ("1:30", "1:30"),
        ("190:20:30", "190:20:30"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("yes", "yes"),
        ("No", "No"),
        ("on", "on"),
        ("OFF", "OFF"),
        ("y", "y"),
        # the core schema's booleans and nulls
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("", None),
        # explicit tags follow the same rules
        ("!!float 3", 3.0),
        ("!!int 0x10", 16),
        ("!!str 1e6", "1e6"),
    ],
)
def test_core_schema_scalars(text: str, expected: Any) -> None:
    value = value_of(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("text", "sign"), [(".inf", 1), ("-.Inf", -1), ("+.INF", 1)])
def test_infinities(text: str, sign: int) -> None:
    assert value_of(text) == sign * math.inf


def test_nan() -> None:
    assert math.isnan(value_of(".NaN"))


@pytest.mark.parametrize("text", ["!!int 1:30", "!!bool yes", "!!float 1_000", "!!null none"])
def test_explicit_tags_outside_the_core_schema_refused(text: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_yaml(f"a: {text}\n", "f.yaml")
    [problem] = info.value.problems
    assert (problem.line, problem.path) == (1, "a")
    assert problem.message.startswith("cannot read")


def test_dates_still_read() -> None:
    assert value_of("2023-07-01") == dt.date(2023, 7, 1)


def test_pyyaml_itself_untouched() -> None:
    """Only the package's own loader class changes; PyYAML's SafeLoader stays YAML 1.1."""
    assert yaml.safe_load("a: yes\nb: 1:30\n") == {"a": True, "b": 90}


def test_exponent_number_in_a_scenario_and_an_override(tmp_path: Any) -> None:
    text = SMALL_YAML.read_text(encoding="utf-8").replace(
        "cold_room_kg: 20000", "cold_room_kg: 2e4"
    )
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.collection_points["cp"].cold_room_kg == 2e4
    assert apply_overrides(scenario, dict([parse_assignment("scale=1.5e0")])).scale == 1.5


def test_sexagesimal_is_refused_by_a_number_field(tmp_path: Any) -> None:
    text = SMALL_YAML.read_text(encoding="utf-8").replace("harvest_hour: 13", "harvest_hour: 1:30")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert problem.path == "sources.pickers.harvest_hour"
    assert problem.message == "must be a valid number (got '1:30')"
