"""The scenario file format as a Markdown reference, generated from the models.

:func:`scenario_format_markdown` writes the text of ``docs/scenario-format.md`` from
the pydantic models of :mod:`fieldtotable.scenario.schema` and
:mod:`fieldtotable.scenario.distributions`: one table per model, with each field's
type (from the JSON Schema the models generate), unit (from the field name, see
:data:`SUFFIX_UNITS` and :data:`NAME_UNITS`), default, whether it is required, and
meaning (the field's docstring, which is also its ``description`` in the JSON
Schema). Nothing is written by hand twice, so the reference cannot drift from what
the loader accepts; a test checks that the file is up to date. Regenerate it with
:data:`REGENERATE_COMMAND`.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from tools.reference_pages.markdown import inline, table, wrap
from tools.reference_pages.scenario_text import (
    _DISTRIBUTION_UNITS,
    _INTRO,
    _KEY_NAMES,
    _KIND_MEANINGS,
    DOC_PATH,
    EXAMPLE_HEADING,
    EXAMPLE_SCENARIO,
    EXTENDS_EXAMPLE,
    NAME_UNITS,
    NO_UNIT,
    REGENERATE_COMMAND,
    SECTIONS,
    SET_EXAMPLES,
    SUFFIX_UNITS,
    Section,
)

from fieldtotable.scenario.distributions import _REQUIRED, Distribution, DistributionKind
from fieldtotable.scenario.schema import (
    Prior,
    Scenario,
)

__all__ = [
    "DOC_PATH",
    "EXAMPLE_HEADING",
    "EXAMPLE_SCENARIO",
    "EXTENDS_EXAMPLE",
    "NAME_UNITS",
    "NO_UNIT",
    "REGENERATE_COMMAND",
    "SECTIONS",
    "SET_EXAMPLES",
    "SUFFIX_UNITS",
    "Section",
    "field_type",
    "field_unit",
    "model_paths",
    "scenario_format_markdown",
    "scenario_models",
]


# --------------------------------------------------------------------------------------
# walking the models
# --------------------------------------------------------------------------------------


def _placements(annotation: Any, path: str, key: str) -> Iterator[tuple[type[BaseModel], str]]:
    """Models inside a field's annotation, each with the path where it sits."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, path
        return
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        yield from _placements(args[0], path, key)
    elif origin in (Union, types.UnionType):
        for arg in args:
            yield from _placements(arg, path, key)
    elif origin is dict:
        yield from _placements(args[1], f"{path}.<{_KEY_NAMES.get(key, 'key')}>", key)
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        yield from _placements(args[0], f"{path}[i]", key)


def _walk(
    model: type[BaseModel], prefix: str
) -> Iterator[tuple[type[BaseModel], str, type[BaseModel], str]]:
    """Yield (model, path, owner, field name) for every model below ``model``."""
    for name, field in model.model_fields.items():
        key = field.alias or name
        path = f"{prefix}.{key}" if prefix else key
        for sub, sub_path in _placements(field.annotation, path, key):
            yield sub, sub_path, model, name
            yield from _walk(sub, sub_path)


def scenario_models() -> list[type[BaseModel]]:
    """Every model of a scenario file, :class:`Scenario` first, in order of appearance."""
    models: list[type[BaseModel]] = [Scenario]
    for model, _path, _owner, _name in _walk(Scenario, ""):
        if model not in models:
            models.append(model)
    return models


def model_paths() -> dict[type[BaseModel], list[str]]:
    """Where each model appears in a scenario file (``legs.<leg>.dispatch``, ...)."""
    paths: dict[type[BaseModel], list[str]] = {Scenario: [""]}
    for model, path, _owner, _name in _walk(Scenario, ""):
        known = paths.setdefault(model, [])
        if path not in known:
            known.append(path)
    return paths


def _distribution_fields() -> list[tuple[str, str]]:
    """(path, unit) of every field that takes a distribution."""
    fields: dict[str, str] = {}
    for model, path, owner, name in _walk(Scenario, ""):
        if model is Distribution:
            fields.setdefault(path, field_unit(owner, name))
    return list(fields.items())


# --------------------------------------------------------------------------------------
# one field: unit, type, default, meaning
# --------------------------------------------------------------------------------------


def field_unit(model: type[BaseModel], name: str) -> str:
    """Return the unit of a field: from :data:`NAME_UNITS`, else its name's suffix.

    A field of a :class:`Distribution` (or of a :class:`Prior`) is in the unit of the
    field the distribution describes. :data:`NO_UNIT` when the field is not a quantity.
    """
    if model is Distribution or model is Prior:
        return _DISTRIBUTION_UNITS[name]
    if name in NAME_UNITS:
        return NAME_UNITS[name]
    for suffix, unit in SUFFIX_UNITS:
        if name.endswith(suffix):
            return unit
    return NO_UNIT


def _json_defs() -> dict[str, dict[str, Any]]:
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    defs: dict[str, dict[str, Any]] = dict(schema.pop("$defs"))
    defs[Scenario.__name__] = schema
    return defs


def _anchor(model_name: str) -> str:
    return "model-" + re.sub(r"(?<!^)(?=[A-Z])", "-", model_name).lower()


def _number(value: float) -> str:
    return f"{value:g}"


def _bounds(node: dict[str, Any]) -> str:
    low = ("[", node["minimum"]) if "minimum" in node else None
    if "exclusiveMinimum" in node:
        low = ("(", node["exclusiveMinimum"])
    high = ("]", node["maximum"]) if "maximum" in node else None
    if "exclusiveMaximum" in node:
        high = (")", node["exclusiveMaximum"])
    if low and high:
        return f" in {low[0]}{_number(low[1])}, {_number(high[1])}{high[0]}"
    if low:
        return f" {'≥' if low[0] == '[' else '>'} {_number(low[1])}"
    if high:
        return f" {'≤' if high[0] == ']' else '<'} {_number(high[1])}"
    return ""


def _one_of(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


_PLURALS = {"number": "numbers", "integer": "integers", "string": "strings"}


def _plural(text: str) -> str:
    head, _, rest = text.partition(" ")
    if head in _PLURALS:
        return " ".join(filter(None, [_PLURALS[head], rest]))
    if " or " in text or ", " in text:
        return f"({text})"
    return text


def _json_type(node: dict[str, Any], key: str) -> str:
    """Describe a JSON Schema node in words (no ``|``: the text goes in a table)."""
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        if name == Distribution.__name__:
            return "[distribution](#section-distributions)"
        return f"[{name}](#{_anchor(name)})"
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return _one_of([f"`{value}`" for value in node["enum"]])
    for combinator in ("oneOf", "anyOf"):
        if combinator in node:
            members = [m for m in node[combinator] if m.get("type") != "null"]
            return " or ".join(_json_type(member, key) for member in members)
    kind = node.get("type")
    if kind in ("number", "integer"):
        return f"{kind}{_bounds(node)}"
    if kind == "string":
        return "date (YYYY-MM-DD)" if node.get("format") == "date" else "string"
    if kind == "array":
        if "prefixItems" in node:
            items = ", ".join(_json_type(item, key) for item in node["prefixItems"])
            return f"pair ({items})"
        item = _plural(_json_type(node.get("items", {}), key))
        low, high = node.get("minItems"), node.get("maxItems")
        if low is not None and low == high:
            return f"list of {low} {item}"
        return f"{'non-empty list' if low else 'list'} of {item}"
    if kind == "object":
        keys = node.get("propertyNames", {}).get("enum")
        key_text = _one_of([f"`{k}`" for k in keys]) if keys else _KEY_NAMES.get(key, "key")
        value = _json_type(node.get("additionalProperties", {}), key)
        mapping = "non-empty mapping" if node.get("minProperties") else "mapping"
        return f"{mapping} {key_text} → {value}"
    return "any value"


def field_type(model: type[BaseModel], name: str) -> str:
    """Return the type of a field in words, from the JSON Schema of the models."""
    field = model.model_fields[name]
    key = field.alias or name
    return _json_type(_json_defs()[model.__name__]["properties"][key], key)


def _value(value: Any) -> str:
    """Write a default value as YAML-ish text, without backticks."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, tuple | list):
        items = [_value(item) for item in value]
        whole = bool(value) and all(
            isinstance(item, int) and not isinstance(item, bool) for item in value
        )
        consecutive = whole and list(value) == list(range(value[0], value[0] + len(value)))
        if len(items) > 4 and consecutive:
            return f"[{items[0]}, {items[1]}, …, {items[-1]}]"
        return f"[{', '.join(items)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return NO_UNIT
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "none"
    if isinstance(value, Distribution):
        if value.dist == "constant" and value.value is not None:
            return f"`{_number(value.value)}`"
        return f"`{_value(value.model_dump(exclude_none=True))}`"
    if isinstance(value, BaseModel):
        return "all defaults"
    if isinstance(value, tuple) and len(value) > 4 and len(set(value)) == 1:
        return f"`{_value(value[0])}` each"
    return f"`{_value(value)}`"


def _markdown(text: str) -> str:
    """Docstring text (reStructuredText-ish) as one line of Markdown, arrows drawn."""
    return inline(text).replace(" -> ", " → ")


def _class_paragraphs(model: type[BaseModel]) -> list[str]:
    """Return the model's docstring up to its first numpy-style section, as Markdown."""
    paragraphs = inspect.cleandoc(model.__doc__ or "").split("\n\n")
    kept: list[str] = []
    for paragraph in paragraphs:
        lines = paragraph.splitlines()
        if len(lines) > 1 and set(lines[1].strip()) == {"-"}:
            break
        kept.append(_markdown(paragraph))
    return kept


# --------------------------------------------------------------------------------------
# the document
# --------------------------------------------------------------------------------------


def _intro() -> str:
    suffixes = "\n".join(f"| `{suffix}` | {unit} |" for suffix, unit in SUFFIX_UNITS)
    flags = [f"    --set '{assignment}'" for assignment in SET_EXAMPLES]
    command = " \\\n".join(["fieldtotable run example.yaml", *flags])
    contents = "\n".join(f"- [{s.title}](#section-{s.anchor})" for s in SECTIONS)
    replacements = {
        "@REGENERATE@": REGENERATE_COMMAND,
        "@SUFFIXES@": suffixes,
        "@EXTENDS@": EXTENDS_EXAMPLE.rstrip("\n"),
        "@SET@": command,
        "@EXAMPLE_HEADING@": EXAMPLE_HEADING,
        "@EXAMPLE@": EXAMPLE_SCENARIO.rstrip("\n"),
        "@CONTENTS@": contents,
    }
    text = _INTRO
    for token, value in replacements.items():
        text = text.replace(token, value)
    return text


def _model_block(
    model: type[BaseModel],
    paths: dict[type[BaseModel], list[str]],
    defs: dict[str, dict[str, Any]],
) -> list[str]:
    lines = [f'<a id="{_anchor(model.__name__)}"></a>', "", f"### {model.__name__}", ""]
    if model is not Scenario and model is not Distribution:
        where = ", ".join(f"`{path}`" for path in paths[model])
        lines += [f"At {where}.", ""]
    for paragraph in _class_paragraphs(model):
        lines += [wrap(paragraph), ""]
    properties = defs[model.__name__]["properties"]
    rows = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        rows.append(
            [
                f"`{key}`",
                _json_type(properties[key], key),
                field_unit(model, name),
                _default(field),
                "yes" if field.is_required() else "no",
                _markdown(field.description or ""),
            ]
        )
    lines += [*table(["field", "type", "unit", "default", "required", "meaning"], rows), ""]
    return lines


def _distributions_intro() -> list[str]:
    kinds = get_args(DistributionKind)
    if set(kinds) != set(_KIND_MEANINGS) or set(kinds) != set(_REQUIRED):
        raise RuntimeError("reference: document every distribution kind in _KIND_MEANINGS")
    lines = [
        wrap(
            "A random quantity: a mapping with `dist` and the parameters of its kind, or "
            "a bare number for a constant. The parameters are in the unit of the field "
            "the distribution belongs to. Draws below 0 are clipped to 0."
        ),
        "",
        "| `dist` | parameters | draws |",
        "|---|---|---|",
    ]
    for kind in kinds:
        parameters = [f"`{name}`" for name in _REQUIRED[kind]]
        if kind == "empirical":
            parameters.append("`weights` (optional)")
        lines.append(f"| `{kind}` | {', '.join(parameters)} | {_KIND_MEANINGS[kind]} |")
    lines += [
        "",
        "Fields that take a distribution:",
        "",
        "| field | unit |",
        "|---|---|",
    ]
    lines += [f"| `{path}` | {unit} |" for path, unit in _distribution_fields()]
    lines.append("")
    return lines


def scenario_format_markdown() -> str:
    """Return the reference of the scenario file format, as Markdown.

    Returns
    -------
    str
        The text of ``docs/scenario-format.md``: an introduction (file shape,
        units, distributions, ``extends`` and ``scale``, ``--set``, the ``$schema``
        comment, a complete example) and one table per model, section by section.
        The same models always give the same text.

    Raises
    ------
    RuntimeError
        If a model of the scenario file has no place in :data:`SECTIONS`, or a
        distribution kind is not described (the reference would be incomplete).
    """
    placed = [model for section in SECTIONS for model in section.models]
    models = scenario_models()
    if sorted(m.__name__ for m in placed) != sorted(m.__name__ for m in models):
        missing = sorted({m.__name__ for m in models} ^ {m.__name__ for m in placed})
        raise RuntimeError(f"reference: place every scenario model in SECTIONS ({missing})")
    paths = model_paths()
    defs = _json_defs()
    lines = [_intro()]
    for section in SECTIONS:
        lines += [f'<a id="section-{section.anchor}"></a>', "", f"## {section.title}", ""]
        if section.intro:
            lines += [wrap(section.intro), ""]
        if section.models == (Distribution,):
            lines += _distributions_intro()
        for model in section.models:
            lines += _model_block(model, paths, defs)
    return "\n".join(lines).rstrip("\n") + "\n"
