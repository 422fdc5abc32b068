"""The JSON Schema of scenario files, for editors and other tools.

:func:`scenario_json_schema` derives it from the pydantic models (so it cannot
drift from what the loader accepts) and adds what the models read through
before-validators: a bare number where a distribution is expected, a list of 12
monthly means for a region's climate, one closure mapping for a list of closures,
one anomaly sd for all twelve months.

A file with a top-level ``extends`` is a *variant*: it holds only what differs
from its parent, so it is checked against a lenient copy of the schema (the
``Partial...`` definitions) in which no key is required.

Copies ship as ``schema/scenario.schema.json`` (for the scenarios in the
repository) and inside the package (for the built-in scenarios); a scenario file
points an editor at its copy with a first line like::

    # yaml-language-server: $schema=../schema/scenario.schema.json

Regenerate both copies with ``fieldtotable schema > schema/scenario.schema.json``
(and the same into ``src/fieldtotable/schema/``); a test checks them.
"""

from __future__ import annotations

import copy
from typing import Any

from fieldtotable.scenario.extends import EXTENDS_KEY
from fieldtotable.scenario.schema import Scenario

__all__ = ["SCHEMA_DIALECT", "SCHEMA_ID", "scenario_json_schema"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema version used."""
SCHEMA_ID = "urn:fieldtotable:scenario"
"""The schema's identifier."""

_DEFS = "#/$defs/"
_PARTIAL = "Partial"


def scenario_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a scenario file.

    Returns
    -------
    dict
        A fresh, JSON-serialisable schema: a complete scenario matches
        ``$defs/Scenario``; a file with ``extends`` matches the lenient
        ``$defs/PartialScenario``.
    """
    generated = Scenario.model_json_schema(mode="validation", by_alias=True)
    defs: dict[str, Any] = generated.pop("$defs")
    defs["Scenario"] = generated
    defs = {name: _accept_shorthands(schema) for name, schema in defs.items()}
    # A node's kind (registered by code, unknown to a schema file) adds its own fields.
    defs["NodeConfig"]["additionalProperties"] = True
    defs["Leg"]["properties"]["closures"] = {
        "anyOf": [{"$ref": _DEFS + "Closures"}, defs["Leg"]["properties"]["closures"]],
        "description": "One closure process, or a list of independent ones.",
    }
    _accept_log_paths(defs)
    anomaly_sd = defs["ClimateVariation"]["properties"]["monthly_anomaly_sd_c"]
    defs["ClimateVariation"]["properties"]["monthly_anomaly_sd_c"] = {
        "anyOf": [{key: anomaly_sd["items"][key] for key in ("type", "minimum", "maximum")},
                  {key: value for key, value in anomaly_sd.items() if key != "description"}],
        "description": anomaly_sd["description"],
    }  # fmt: skip
    extends = {
        "type": "string",
        "minLength": 1,
        "description": (
            "A scenario file this one modifies, relative to this file: mappings merge "
            "key by key, anything else replaces the parent's value."
        ),
    }
    defs["Scenario"]["properties"] = {EXTENDS_KEY: extends, **defs["Scenario"]["properties"]}
    partial = {_PARTIAL + name: _partial(schema) for name, schema in defs.items()}
    defs["Scenario"]["properties"].pop(EXTENDS_KEY)
    partial[_PARTIAL + "Scenario"]["required"] = [EXTENDS_KEY]
    title = defs["Scenario"].pop("title", "Scenario")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": f"fieldtotable {title.lower()} file",
        "description": (
            "A field-to-table channel scenario (fieldtotable). A file with a top-level "
            "'extends' holds only what differs from the scenario it extends."
        ),
        "if": {"type": "object", "required": [EXTENDS_KEY]},
        "then": {"$ref": _DEFS + _PARTIAL + "Scenario"},
        "else": {"$ref": _DEFS + "Scenario"},
        "$defs": {**defs, **partial},
    }


def _accept_log_paths(defs: dict[str, Any]) -> None:
    """Let a temperature log be a CSV path, as files give it (the loader reads the records).

    A leg's ``temperature_log`` is a path (or the records inline); a node's is
    ``{file, repeat}`` (or ``{repeat, elapsed_h, temp_c}``).
    """
    records = {"required": ["elapsed_h", "temp_c"]}
    for name, required in (("TemperatureLog", []), ("NodeTemperatureLog", ["repeat"])):
        defs[name]["required"] = required
        defs[name]["anyOf"] = [{"required": ["file"]}, records]
    log = defs["Leg"]["properties"]["temperature_log"]
    path = {
        "type": "string",
        "minLength": 1,
        "description": "a CSV file with the header elapsed_h,temp_c, relative to this file",
    }
    defs["Leg"]["properties"]["temperature_log"] = {
        "anyOf": [path, *log.pop("anyOf")],
        **log,
    }


def _accept_shorthands(node: Any) -> Any:
    """Let a distribution be a bare number and a region's climate a list of 12 means."""
    if isinstance(node, list):
        return [_accept_shorthands(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _accept_shorthands(value) for key, value in node.items()}
    target = result.get("$ref")
    if target == _DEFS + "Distribution":
        rest = {key: value for key, value in result.items() if key != "$ref"}
        shorthand = {"type": "number", "description": "a constant"}
        return {"anyOf": [shorthand, {"$ref": target}], **rest}
    if target == _DEFS + "RegionClimate":
        rest = {key: value for key, value in result.items() if key != "$ref"}
        monthly = {
            "type": "array",
            "items": {"type": "number", "minimum": -60, "maximum": 60},
            "minItems": 12,
            "maxItems": 12,
            "description": "monthly mean air temperature, January to December",
        }
        return {"anyOf": [monthly, {"$ref": target}], **rest}
    return result


def _partial(node: Any) -> Any:
    """Return the lenient twin of a definition: nothing required, refs to twins."""
    if isinstance(node, list):
        return [_partial(item) for item in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "required" and isinstance(value, list):
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith(_DEFS):
            result[key] = _DEFS + _PARTIAL + value.removeprefix(_DEFS)
        elif key == "oneOf":
            # Without required keys several members may fit; any one is enough.
            result["anyOf"] = _partial(value)
        elif key in ("discriminator", "default"):
            continue
        else:
            result[key] = _partial(value)
    return result
