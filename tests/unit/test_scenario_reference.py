"""The scenario format reference (docs/scenario-format.md): complete, current, true."""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import jsonschema
import pytest
import yaml
from pydantic import BaseModel
from tools.reference_pages.scenario_page import (
    DOC_PATH,
    EXAMPLE_HEADING,
    EXAMPLE_SCENARIO,
    EXTENDS_EXAMPLE,
    NO_UNIT,
    REGENERATE_COMMAND,
    SET_EXAMPLES,
    field_type,
    field_unit,
    scenario_format_markdown,
    scenario_models,
)

import fieldtotable
from fieldtotable.scenario import parse_assignments, scenario_json_schema
from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.schema import Hub, Leg, Product, Scenario, Source, Store

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / DOC_PATH
REGENERATE = f"{DOC_PATH} is out of date; regenerate it with\n  {REGENERATE_COMMAND}"


def models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """Every pydantic model inside a type annotation (unions, mappings, tuples)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    if get_origin(annotation) in (Annotated, Union, types.UnionType, dict, tuple):
        for arg in get_args(annotation):
            yield from models_in(arg)


def all_models() -> list[type[BaseModel]]:
    """Every model reachable from Scenario, walked independently of the reference."""
    found: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = [Scenario]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.append(model)
        for field in model.model_fields.values():
            pending.extend(models_in(field.annotation))
    return found


MODELS = all_models()
FIELDS = [
    (model, name) for model in MODELS for name in model.model_fields
]  # every field of every model


def field_id(item: tuple[type[BaseModel], str]) -> str:
    return f"{item[0].__name__}.{item[1]}"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def model_section(doc: str, model: type[BaseModel]) -> str:
    """The part of the reference under the model's heading."""
    match = re.search(rf"^### {model.__name__}\n(.*?)(?=^##)", doc + "\n##", re.S | re.M)
    assert match is not None, f"no section '### {model.__name__}' in {DOC_PATH}"
    return match.group(1)


def row(doc: str, model: type[BaseModel], name: str) -> list[str]:
    """The cells of a field's row in its model's table."""
    key = model.model_fields[name].alias or name
    section = model_section(doc, model)
    lines = [line for line in section.splitlines() if line.startswith(f"| `{key}` |")]
    assert len(lines) == 1, f"{model.__name__}.{key}: expected one table row, found {lines}"
    cells = re.split(r"(?<!\\)\|", lines[0].strip())[1:-1]
    return [cell.strip() for cell in cells]


# --- (a) the file is what the models say -------------------------------------------


def test_doc_is_up_to_date(doc: str) -> None:
    assert doc == scenario_format_markdown(), REGENERATE


def test_generation_is_deterministic() -> None:
    assert scenario_format_markdown() == scenario_format_markdown()


# --- (b) every field is documented --------------------------------------------------


def test_the_walk_finds_the_models() -> None:
    assert {Scenario, Product, Source, Hub, Leg, Store, Distribution} <= set(MODELS)
    assert set(scenario_models()) == set(MODELS)
    assert len(FIELDS) > 100


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_model_has_a_section(doc: str, model: type[BaseModel]) -> None:
    model_section(doc, model)
    assert (model.__doc__ or "").strip(), f"{model.__name__} has no docstring"


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[field_id(f) for f in FIELDS])
def test_every_field_is_documented(doc: str, model: type[BaseModel], name: str) -> None:
    description = model.model_fields[name].description
    assert description is not None, f"{model.__name__}.{name} has no attribute docstring"
    assert description.strip(), f"{model.__name__}.{name} has an empty docstring"
    _key, kind, unit, default, required, meaning = row(doc, model, name)
    assert kind
    assert unit
    assert default
    assert required in ("yes", "no")
    assert meaning, f"{model.__name__}.{name}: empty meaning in {DOC_PATH}"
    assert (required == "yes") == model.model_fields[name].is_required()


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[field_id(f) for f in FIELDS])
def test_every_quantity_has_a_unit(model: type[BaseModel], name: str) -> None:
    kind = field_type(model, name)
    if model is Distribution and name == "dist":
        return
    if re.search(r"\b(number|integer|numbers|integers)\b|distribution", kind):
        assert field_unit(model, name) != NO_UNIT, f"{model.__name__}.{name} ({kind})"


@pytest.mark.parametrize(
    ("model", "name", "unit"),
    [
        (Leg, "transit_time_h", "h"),
        (Leg, "vehicle_capacity_kg", "kg"),
        (Leg, "setpoint_c", "°C"),
        (Leg, "cost_cny_per_km", "CNY/km"),
        (Leg, "co2_kg_per_tonne_km", "kg/(t·km)"),
        (Leg, "distance_km", "km"),
        (Product, "shelf_life_days", "d"),
        (Product, "price_cny_per_kg", "CNY/kg"),
        (Product, "activation_energy_kj_mol", "kJ/mol"),
        (Source, "harvest_hour", "h (hour of day)"),
        (Store, "open_hours", "h (hour of day)"),
        (Hub, "region", NO_UNIT),
    ],
)
def test_units(model: type[BaseModel], name: str, unit: str) -> None:
    assert field_unit(model, name) == unit


def test_descriptions_reach_the_json_schema() -> None:
    generated = Scenario.model_json_schema(by_alias=True)
    defs = {**generated["$defs"], "Scenario": generated}
    for model in MODELS:
        for name, field in model.model_fields.items():
            key = field.alias or name
            prop = defs[model.__name__]["properties"][key]
            assert prop.get("description") == field.description, f"{model.__name__}.{key}"


def test_defaults_and_types_are_shown(doc: str) -> None:
    assert row(doc, Leg, "fleet")[1:5] == ["integer in [1, 10000]", "vehicles", "`1`", "no"]
    assert row(doc, Hub, "dock_exposure_h")[3] == "`0.5`"
    assert row(doc, Store, "issuing")[1] == "`FEFO`, `FIFO` or `LIFO`"
    assert row(doc, Leg, "from_")[0] == "`from`"  # the YAML key, not the Python name


# --- (c) the examples work ------------------------------------------------------------


def example_block(doc: str) -> str:
    heading = doc.index(EXAMPLE_HEADING)
    match = re.compile(r"```yaml\n(.*?)```", re.S).search(doc, heading)
    assert match is not None, f"no yaml block after {EXAMPLE_HEADING!r}"
    return match.group(1)


def test_example_parses(doc: str) -> None:
    text = example_block(doc)
    assert text == EXAMPLE_SCENARIO
    scenario = fieldtotable.parse_scenario(text, "example.yaml")
    assert set(scenario.model_fields_set) >= {
        "climate", "products", "sources", "collection_points", "hubs", "legs", "markets",
        "routing",
    }  # fmt: skip


def test_example_matches_the_json_schema(doc: str) -> None:
    schema = scenario_json_schema()
    data = yaml.safe_load(example_block(doc))
    data["start_date"] = str(data["start_date"])
    jsonschema.Draft202012Validator(schema).validate(data)


def test_set_examples_apply() -> None:
    scenario = fieldtotable.parse_scenario(EXAMPLE_SCENARIO, "example.yaml")
    changed = fieldtotable.apply_overrides(scenario, parse_assignments(SET_EXAMPLES))
    assert changed.legs["shangrila_shanghai"].fleet == 4
    assert changed.scale == 2
    for assignment in SET_EXAMPLES:
        assert f"--set '{assignment}'" in scenario_format_markdown()


def test_extends_example_resolves_in_the_scenarios_folder() -> None:
    if not (ROOT / "scenarios" / "baseline_2023.yaml").is_file():
        pytest.skip("scenarios/baseline_2023.yaml is not in this checkout")
    variant = fieldtotable.parse_scenario(EXTENDS_EXAMPLE, str(ROOT / "scenarios" / "variant.yaml"))
    assert variant.scale == 2
    assert variant.legs["kunming_shanghai"].fleet == 4
