"""Load and validate scenario files, reporting every problem with its line.

The pipeline is: safe YAML parsing with a line map (:mod:`.yaml_loader`), field
validation by the pydantic models (:mod:`.schema`), then cross-reference and flow
checks (:mod:`.network`). Each stage reports *all* its problems at once in a single
:class:`~fieldtotable.errors.ScenarioError`, each problem located by file, line and
field path (``scenario.yaml:42: legs.a.vehicle_capacity_kg: must be > 0 (got -5)``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import pathlib
import types
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.network import check_network
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.yaml_loader import (
    MAX_BYTES,
    LineMap,
    Path,
    format_path,
    line_for,
    parse_yaml,
)

__all__ = [
    "builtin_scenario",
    "builtin_scenario_names",
    "load_scenario",
    "parse_scenario",
    "validate_scenario_data",
]

_BUILTIN_PACKAGE = "fieldtotable.scenario"
_BUILTIN_DIR = "data"
_SYMBOLS = {
    "greater_than": (">", "gt"),
    "greater_than_equal": (">=", "ge"),
    "less_than": ("<", "lt"),
    "less_than_equal": ("<=", "le"),
}
_NO_INPUT_SHOWN = frozenset(
    {
        "missing",
        "extra_forbidden",
        "value_error",
        "assertion_error",
        "union_tag_invalid",
        "union_tag_not_found",
        "too_short",
        "too_long",
    }
)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read, parse and validate a scenario file.

    Parameters
    ----------
    path
        The YAML file (UTF-8, at most 5 MB).

    Returns
    -------
    Scenario
        The validated, frozen scenario.

    Raises
    ------
    ScenarioError
        If the file cannot be read, or with every problem found in it.
    """
    name = os.fspath(path)
    file = pathlib.Path(name)
    try:
        if file.is_dir():
            raise ScenarioError.single("is a directory, not a scenario file", file=name)
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError.single(
                f"file too large: {size} bytes, over {MAX_BYTES // (1024 * 1024)} MB; "
                "scenario files are small",
                file=name,
            )
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError.single("file not found", file=name) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError.single(
            f"not UTF-8 text (bad byte at offset {exc.start})", file=name
        ) from None
    except OSError as exc:
        raise ScenarioError.single(f"cannot read: {exc.strerror or exc}", file=name) from None
    return parse_scenario(text, filename=name)


def parse_scenario(text: str, filename: str = "<string>") -> Scenario:
    """Parse and validate scenario text.

    Parameters
    ----------
    text
        The scenario as YAML.
    filename
        Shown in error messages.

    Returns
    -------
    Scenario
        The validated, frozen scenario.

    Raises
    ------
    ScenarioError
        With every problem found, each with its line and field path.
    """
    data, lines = parse_yaml(text, filename)
    return validate_scenario_data(data, lines, filename)


def validate_scenario_data(
    data: Any, lines: LineMap | None = None, filename: str | None = None
) -> Scenario:
    """Validate plain scenario data (e.g. parsed YAML with overrides applied).

    Parameters
    ----------
    data
        A mapping shaped like a scenario file.
    lines
        The line map from :func:`~fieldtotable.scenario.yaml_loader.parse_yaml`, if
        the data came from a file; problems are then reported with lines.
    filename
        Shown in error messages.

    Returns
    -------
    Scenario
        The validated, frozen scenario.

    Raises
    ------
    ScenarioError
        With every field problem, or else every network problem.
    """
    lines = lines or {}
    if not isinstance(data, dict):
        found = "an empty document" if data is None else f"a {type(data).__name__}"
        raise ScenarioError.single(
            f"a scenario must be a mapping of sections (name, products, ...), found {found}",
            file=filename,
            line=lines.get(()),
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = _validation_problems(exc, data, lines, filename)
        raise ScenarioError(problems) from None
    network = check_network(scenario)
    if network:
        raise ScenarioError(
            _sorted(
                Problem(filename, line_for(lines, path), format_path(path), message)
                for path, message in network
            )
        )
    return scenario


def builtin_scenario_names() -> list[str]:
    """Return the names of the scenarios shipped with the package.

    Returns
    -------
    list of str
        Sorted names, usable with :func:`builtin_scenario`.
    """
    folder = _builtin_dir()
    if not folder.is_dir():
        return []
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml") and entry.is_file()
    )


def builtin_scenario(name: str = "baseline") -> Scenario:
    """Load a scenario shipped with the package.

    Parameters
    ----------
    name
        One of :func:`builtin_scenario_names`.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        If no built-in scenario has that name (the message lists those available).
    """
    names = builtin_scenario_names()
    if name not in names:
        available = ", ".join(names) if names else "none"
        raise ScenarioError.single(f"no built-in scenario {name!r} (available: {available})")
    text = _builtin_dir().joinpath(f"{name}.yaml").read_text(encoding="utf-8-sig")
    return parse_scenario(text, filename=f"<builtin>/{name}.yaml")


def _builtin_dir() -> Traversable:
    return resources.files(_BUILTIN_PACKAGE).joinpath(_BUILTIN_DIR)


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


# --- pydantic errors -> problems --------------------------------------------------


def _validation_problems(
    exc: ValidationError, data: Any, lines: LineMap, filename: str | None
) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path, shown, node = _locate(loc, data)
        message = _message(error, loc, node)
        if message is None:
            continue
        if error["type"] == "union_tag_invalid" and isinstance(node, dict):
            key = str(error.get("ctx", {}).get("discriminator", "")).strip("'")
            if key in node:
                path = shown = (*path, key)
        problems.append(Problem(filename, line_for(lines, path), format_path(shown), message))
    unique = list(dict.fromkeys(problems))
    return _sorted(unique) or [Problem(filename, None, "", str(exc))]


def _locate(loc: tuple[str | int, ...], data: Any) -> tuple[Path, Path, Any]:
    """Map a pydantic ``loc`` onto the data.

    Returns the path of the deepest node present in the data, the path to show
    (that plus a missing final key), and the node at the present path. Segments
    absent from the data (discriminator tags, fields filled by model validators)
    are dropped.
    """
    node = data
    path: list[str | int] = []
    shown_tail: list[str | int] = []
    for index, segment in enumerate(loc):
        if _has(node, segment):
            path.append(segment)
            node = node[segment]
        elif (
            index == len(loc) - 1
            and isinstance(node, dict)
            and isinstance(segment, str)
            and not segment.startswith("[")
        ):
            shown_tail.append(segment)
    return tuple(path), (*path, *shown_tail), node


def _has(node: Any, segment: str | int) -> bool:
    if isinstance(node, dict):
        return isinstance(segment, str) and segment in node
    if isinstance(node, list):
        return isinstance(segment, int) and 0 <= segment < len(node)
    return False


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _show(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _message(error: ErrorDetails, loc: tuple[str | int, ...], node: Any) -> str | None:
    """Return a short message for a pydantic error, or None to drop a spurious one."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in _SYMBOLS:
        symbol, name = _SYMBOLS[kind]
        message = f"must be {symbol} {_number(ctx.get(name))}"
    elif kind in ("too_short", "too_long"):
        actual = len(node) if isinstance(node, list | dict) else ctx.get("actual_length")
        low = ctx.get("min_length")
        if (
            kind == "too_short"
            and isinstance(actual, int)
            and isinstance(low, int)
            and actual >= low
        ):
            return None  # pydantic counts only valid items; the item errors say why
        message = _length_message(loc, kind, ctx, actual)
    elif kind == "missing":
        message = "required key missing"
    elif kind == "extra_forbidden":
        message = _unknown_key_message(loc)
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        annotation, _ = _annotation_at(loc)
        if annotation is Distribution:
            message = "must be a number or a distribution like {dist: uniform, low: 1, high: 3}"
        else:
            message = "must be a mapping (key: value entries)"
    elif kind in ("list_type", "tuple_type"):
        message = "must be a list"
    elif kind == "union_tag_invalid":
        message = f"must be one of {ctx.get('expected_tags')} (got {_show(ctx.get('tag'))})"
    elif kind == "union_tag_not_found":
        message = f"needs a {ctx.get('discriminator')} key"
    elif message.startswith("Input should be"):
        message = "must be" + message.removeprefix("Input should be")
    value = error.get("input")
    if kind not in _NO_INPUT_SHOWN and not isinstance(value, dict | list | tuple):
        message += f" (got {_show(value)})"
    return message


def _length_message(loc: tuple[str | int, ...], kind: str, ctx: dict[str, Any], actual: Any) -> str:
    low, high = ctx.get("min_length"), ctx.get("max_length")
    _, field = _annotation_at(loc)
    if field is not None:
        for meta in field.metadata:
            if isinstance(meta, MinLen):
                low = meta.min_length
            elif isinstance(meta, MaxLen):
                high = meta.max_length
    if low is not None and low == high:
        bound = f"exactly {low}"
    elif kind == "too_short":
        bound = f"at least {low}"
    else:
        bound = f"at most {high}"
    return f"must have {bound} items, found {actual}"


def _unknown_key_message(loc: tuple[str | int, ...]) -> str:
    key = str(loc[-1]) if loc else ""
    model, _ = _annotation_at(loc[:-1])
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return "unknown key"
    allowed = [field.alias or name for name, field in model.model_fields.items()]
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    return f"unknown key (allowed: {', '.join(allowed)})"


def _strip(annotation: Any) -> Any:
    """Remove ``Annotated`` wrappers and ``| None`` from an annotation."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _union_member(union: Any, tag: str | int) -> Any:
    """Return the member of a discriminated union whose literal tag field equals ``tag``."""
    for member in get_args(union):
        model = _strip(member)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for field in model.model_fields.values():
            if get_origin(field.annotation) is Literal and tag in get_args(field.annotation):
                return model
    return None


def _annotation_at(loc: tuple[str | int, ...]) -> tuple[Any, FieldInfo | None]:
    """Follow a pydantic ``loc`` through the schema's types.

    Returns the annotation reached (``None`` when the walk fails) and the model field
    last passed through, if the final segment named one.
    """
    current: Any = Scenario
    field: FieldInfo | None = None
    for segment in loc:
        current = _strip(current)
        field = None
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (
                    info
                    for name, info in current.model_fields.items()
                    if segment in (name, info.alias)
                ),
                None,
            )
            if field is None:
                return None, None
            current = field.annotation
        elif origin is dict:
            current = get_args(current)[1]
        elif origin in (tuple, list):
            args = get_args(current)
            if origin is list or (len(args) == 2 and args[1] is Ellipsis):
                current = args[0]
            elif isinstance(segment, int) and 0 <= segment < len(args):
                current = args[segment]
            else:
                return None, None
        elif origin in (Union, types.UnionType):
            current = _union_member(current, segment)
            if current is None:
                return None, None
        else:
            return None, None
    return _strip(current), field
