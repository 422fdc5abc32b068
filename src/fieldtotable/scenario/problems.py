"""Pydantic validation errors turned into located, readable problems.

:func:`validation_problems` maps each error of a
:class:`pydantic.ValidationError` onto the scenario data (the deepest node that is
present), asks a *locator* for the file and line of that node, and words the message
for people (``must be > 0 (got -5)``, ``unknown key; did you mean 'fleet'?``).
:func:`annotation_at`, :func:`strip_annotation` and :func:`union_member` walk the
schema's types along a field path; overrides use them to check paths.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
from collections.abc import Callable
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from fieldtotable.errors import Problem
from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.yaml_loader import Path, format_path

__all__ = [
    "Locator",
    "annotation_at",
    "sort_problems",
    "strip_annotation",
    "union_member",
    "validation_problems",
]

Locator = Callable[[Path], tuple[str | None, int | None]]
"""Path of a node in the scenario data -> (file, line) where it is written."""

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


def sort_problems(problems: list[Problem], first_file: str | None = None) -> list[Problem]:
    """Order problems by file (``first_file`` first, then the others by name) and line."""
    return sorted(
        problems,
        key=lambda p: (p.file != first_file, p.file or "", p.line is None, p.line or 0),
    )


def validation_problems(
    exc: ValidationError, data: Any, locate: Locator, first_file: str | None = None
) -> list[Problem]:
    """Turn a validation error of :class:`~fieldtotable.scenario.schema.Scenario` into problems.

    Parameters
    ----------
    exc
        The error raised by ``Scenario.model_validate(data)``.
    data
        The data validated (plain mappings and lists).
    locate
        Gives the file and line of a node of ``data`` (or of its nearest ancestor
        that has one).
    first_file
        The file whose problems are listed first (the one the user named).

    Returns
    -------
    list of Problem
        At least one; duplicates removed; ordered by file and line.
    """
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
        file, line = locate(path)
        problems.append(Problem(file, line, format_path(shown), message))
    unique = list(dict.fromkeys(problems))
    return sort_problems(unique, first_file) or [Problem(first_file, None, "", str(exc))]


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
    tagged: Any = None
    for index, segment in enumerate(loc):
        if (
            isinstance(node, dict)
            and node is not tagged
            and node.get("kind") == segment
            and index < len(loc) - 1
        ):
            tagged = node  # a discriminator tag (once per node), even where a field
            continue  # has its name: an orders market's field ``orders``
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
        annotation, _ = annotation_at(loc)
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
    _, field = annotation_at(loc)
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
    model, _ = annotation_at(loc[:-1])
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return "unknown key"
    allowed = [field.alias or name for name, field in model.model_fields.items()]
    # 0.65 keeps every one-letter slip in a name of 3+ letters ("mod" -> "mode",
    # 0.67) but not chance likeness ("scale" -> "value", 0.6).
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.65)
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    return f"unknown key (allowed: {', '.join(allowed)})"


def strip_annotation(annotation: Any) -> Any:
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


def union_member(union: Any, tag: str | int) -> Any:
    """Return the member of a discriminated union whose literal tag field equals ``tag``."""
    for member in get_args(union):
        model = strip_annotation(member)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for field in model.model_fields.values():
            if get_origin(field.annotation) is Literal and tag in get_args(field.annotation):
                return model
    return None


def annotation_at(loc: tuple[str | int, ...], root: Any = Scenario) -> tuple[Any, FieldInfo | None]:
    """Follow a pydantic ``loc`` through the schema's types, from ``root``.

    Returns the annotation reached (``None`` when the walk fails) and the model field
    last passed through, if the final segment named one.
    """
    current: Any = root
    field: FieldInfo | None = None
    for segment in loc:
        current = strip_annotation(current)
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
            current = union_member(current, segment)
            if current is None:
                return None, None
        else:
            return None, None
    return strip_annotation(current), field
