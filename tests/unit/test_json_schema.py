"""The JSON Schema of scenario files: shipped copies, bundled scenarios, shorthands."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from fieldtotable.scenario import builtin_scenario, dump_scenario, scenario_json_schema
from scenario_builders import scenario_data

ROOT = Path(__file__).resolve().parents[2]
REPO_COPY = ROOT / "schema" / "scenario.schema.json"
PACKAGE_COPY = resources.files("fieldtotable").joinpath("schema/scenario.schema.json")
REGENERATE = (
    "the shipped JSON Schema is out of date; regenerate both copies with\n"
    "  fieldtotable schema > schema/scenario.schema.json\n"
    "  fieldtotable schema > src/fieldtotable/schema/scenario.schema.json"
)
SCHEMA_COMMENT = re.compile(r"^# yaml-language-server: \$schema=(?P<ref>\S+)\s*$")


def bundled() -> list[tuple[str, Path]]:
    """The scenario library: ``scenarios/``, which the wheel ships as package data."""
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    return [(f"scenarios/{path.name}", path) for path in files]


BUNDLED = bundled()


def as_json(data: Any) -> Any:
    """The data as an editor sees it: dates are strings."""
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(as_json(data))]


# --- the shipped copies ------------------------------------------------------------


def test_shipped_copies_are_up_to_date() -> None:
    expected = json.dumps(scenario_json_schema(), indent=2) + "\n"
    assert REPO_COPY.read_text(encoding="utf-8") == expected, REGENERATE
    assert PACKAGE_COPY.read_text(encoding="utf-8") == expected, REGENERATE


def test_schema_header() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]
    assert "scenario" in schema["title"]
    assert scenario_json_schema() == schema
    assert scenario_json_schema() is not schema


# --- bundled scenarios -------------------------------------------------------------


def test_there_are_bundled_scenarios() -> None:
    assert any(name == "scenarios/baseline.yaml" for name, _ in BUNDLED)


@pytest.mark.parametrize(("name", "path"), BUNDLED, ids=[name for name, _ in BUNDLED])
def test_bundled_scenario_validates(
    validator: jsonschema.Draft202012Validator, name: str, path: Path
) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert errors(validator, data) == []


@pytest.mark.parametrize(("name", "path"), BUNDLED, ids=[name for name, _ in BUNDLED])
def test_bundled_scenario_names_its_schema(name: str, path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_COMMENT.match(first)
    assert match is not None, (
        f"{name} must start with '# yaml-language-server: $schema=<relative path to "
        "scenario.schema.json>'"
    )
    target = (path.parent / match["ref"]).resolve()
    assert target.name == "scenario.schema.json"
    assert target.is_file(), f"{name}: {match['ref']} does not exist"


def test_small_test_scenario_and_show_output_validate(
    validator: jsonschema.Draft202012Validator,
) -> None:
    small = ROOT / "tests" / "data" / "small.yaml"
    assert errors(validator, yaml.safe_load(small.read_text(encoding="utf-8"))) == []
    shown = dump_scenario(builtin_scenario())
    assert errors(validator, yaml.safe_load(shown)) == []


# --- what the schema accepts and refuses ------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("legs.cp_shanghai.transit_time_h", 48),  # a bare number is a constant
        ("legs.cp_shanghai.transit_time_h", {"dist": "constant", "value": 48}),
        ("climate.shanghai", [5.0] * 12),  # a list is the monthly means
        ("climate.shanghai", {"monthly_mean_c": [5.0] * 12, "daily_range_c": 6}),
        ("legs.cp_shanghai.closures", {"per_year": 2, "duration_h": 24}),  # one closure
        ("legs.cp_shanghai.closures", [{"per_year": 2, "duration_h": 24}]),
        ("collection_points.cp.class_setpoints_c", {"frozen": -18}),
        ("collection_points.cp.grading_reject_fraction", {"matsutake": 0.1}),
        (
            "legs.cp_shanghai.dispatch",
            {"policy": "full_or_timeout", "min_load_kg": 9, "max_wait_h": 2},
        ),
    ],
)
def test_accepted(validator: jsonschema.Draft202012Validator, path: str, value: Any) -> None:
    assert errors(validator, scenario_data({path: value})) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("legs.cp_shanghai.fleet", 0),
        ("legs.cp_shanghai.colour", "red"),
        ("legs.cp_shanghai.transit_time_h", "48 hours"),
        ("legs.cp_shanghai.transit_time_h", {"dist": "weibull"}),
        ("climate.shanghai", [5.0] * 11),
        ("collection_points.cp.class_setpoints_c", {"deep_frozen": -30}),
        ("legs.cp_shanghai.dispatch", {"policy": "whenever"}),
        ("markets.store.issuing", "RANDOM"),
    ],
)
def test_refused(validator: jsonschema.Draft202012Validator, path: str, value: Any) -> None:
    assert errors(validator, scenario_data({path: value}))


def test_a_variant_needs_only_what_changes(validator: jsonschema.Draft202012Validator) -> None:
    variant = {
        "extends": "baseline_2023.yaml",
        "scale": 2,
        "legs": {"kunming_shanghai": {"fleet": 4, "dispatch": {"departures_h": [6, 18]}}},
        "products": {"matsutake": {"q10": 2.2}},
    }
    assert errors(validator, variant) == []
    assert errors(validator, {**variant, "scale": 0})
    assert errors(validator, {**variant, "legs": {"kunming_shanghai": {"flet": 4}}})
    assert errors(validator, {**variant, "extends": ""})
    without = {key: value for key, value in variant.items() if key != "extends"}
    assert errors(validator, without)  # not a variant: name, products, ... are required
    # A complete scenario may extend another one too.
    assert errors(validator, scenario_data({"extends": "base.yaml"})) == []
