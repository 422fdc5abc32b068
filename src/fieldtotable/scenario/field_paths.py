"""Field paths of a scenario: ``legs.kunming_shanghai.fleet``, parsed and walked.

A path is dotted: section names and model fields are keys, node and product ids are
mapping keys, list items are integer indices (``departures_h.0`` or
``departures_h[0]``); a key holding odd characters is written ``['odd key']``.
:func:`parse_override_path` splits one into segments; :func:`assign_at_path` walks
plain scenario data along it, checking every segment against the schema (a misspelt
one is reported with a "did you mean"), and sets a value there. ``--set`` overrides
(:mod:`fieldtotable.scenario.overrides`) and priors on uncertain parameters
(:mod:`fieldtotable.scenario.uncertain`) both name fields this way.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel

from fieldtotable.scenario.problems import strip_annotation
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.yaml_core import CoreSafeDumper
from fieldtotable.scenario.yaml_loader import Path

__all__ = ["PathError", "assign_at_path", "parse_override_path", "show_value"]

_NAME = re.compile(r"""[^.\[\]'"\s=]+""")
_BRACKET = re.compile(r"""\[(?:(?P<index>\d+)|(?P<q>['"])(?P<quoted>.+?)(?P=q))\]""")
_MAX_SHOWN = 60


class PathError(Exception):
    """A path segment that does not exist; ``path`` is where the walk stopped."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def parse_override_path(path: str) -> tuple[str | int, ...]:
    """Split a dotted override path into its segments.

    Parameters
    ----------
    path
        ``legs.kunming_shanghai.fleet``, ``legs.a.dispatch.departures_h[0]``,
        ``climate['odd region'].daily_range_c``.

    Returns
    -------
    tuple
        The segments: ``str`` for names (digits included: ``departures_h.0`` gives
        ``"0"``, which indexes a list), ``int`` for bracketed indices.

    Raises
    ------
    ValueError
        If the path is empty or malformed (the message says where).
    """
    text = path.strip()
    if not text:
        raise ValueError("empty path")
    segments: list[str | int] = []
    position = 0
    while position < len(text):
        bracket = _BRACKET.match(text, position)
        if bracket is not None and segments:
            index = bracket["index"]
            segments.append(int(index) if index is not None else bracket["quoted"])
            position = bracket.end()
            continue
        if segments:
            if text[position] != ".":
                raise ValueError(f"malformed path: expected '.' or '[' at {text[position:]!r}")
            position += 1
        name = _NAME.match(text, position)
        if name is None:
            rest = text[position:]
            raise ValueError(
                f"malformed path at {rest!r}" if rest else "malformed path: nothing after '.'"
            )
        segments.append(name.group())
        position = name.end()
    return tuple(segments)


def assign_at_path(data: dict[str, Any], segments: tuple[str | int, ...], value: Any) -> Path:
    """Set ``value`` at ``segments`` in ``data``; return the path as resolved.

    Parameters
    ----------
    data
        Plain scenario data (a model dump), changed in place.
    segments
        What :func:`parse_override_path` returned.
    value
        The value to set (copied).

    Returns
    -------
    tuple
        The path as resolved (aliases and list indices as in ``data``).

    Raises
    ------
    PathError
        If a segment does not exist (its message says so, with a "did you mean").
    """
    container: Any = data
    annotation: Any = Scenario
    done: list[str | int] = []
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        key, annotation = _step(container, annotation, segment, tuple(done), last)
        done.append(key)
        if last:
            container[key] = copy.deepcopy(value)
            break
        child = container[key]
        if isinstance(child, tuple):
            child = list(child)
        elif child is None and _is_mapping_type(annotation):
            child = {}
        if not isinstance(child, dict | list):
            raise PathError(
                tuple(done),
                f"is a single value ({show_value(child)}); it has no field "
                f"{_show_segment(segments[position + 1])}",
            )
        container[key] = child
        container = child
    return tuple(done)


def _step(
    container: Any, annotation: Any, segment: str | int, done: Path, last: bool
) -> tuple[str | int, Any]:
    """Check one segment; return the key to use in ``container`` and the type under it."""
    annotation = _member(strip_annotation(annotation), container)
    if isinstance(container, list):
        index = int(segment) if isinstance(segment, str) and segment.isdigit() else segment
        if not isinstance(index, int):
            raise PathError(done, f"is a list; index it with a number, not {segment!r}")
        if not 0 <= index < len(container):
            count = f"{len(container)} item" + ("" if len(container) == 1 else "s")
            raise PathError(done, f"has {count}; index {index} is out of range")
        return index, _item_type(annotation, index)
    name = str(segment)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {
            info.alias or field: (field, info) for field, info in annotation.model_fields.items()
        }
        by_name = {field: alias for alias, (field, _) in fields.items()}
        alias = name if name in fields else by_name.get(name)
        if alias is None:
            raise PathError((*done, name), _unknown(name, list(fields), "field"))
        return alias, fields[alias][1].annotation
    if name in container or last:
        value_type = get_args(annotation)[1] if get_origin(annotation) is dict else Any
        return name, value_type
    raise PathError((*done, name), _unknown(name, list(container), "key"))


def _member(annotation: Any, container: Any) -> Any:
    """Pick the member of a union that fits ``container`` (by tag for models)."""
    members = [strip_annotation(arg) for arg in get_args(annotation)]
    if get_origin(annotation) in (None, dict, list, tuple, Literal) or not members:
        return annotation
    for member in members:
        if isinstance(member, type) and issubclass(member, BaseModel):
            if isinstance(container, dict) and _tag_matches(member, container):
                return member
        elif (get_origin(member) is dict and isinstance(container, dict)) or (
            get_origin(member) in (list, tuple) and isinstance(container, list)
        ):
            return member
    models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
    return models[0] if len(models) == 1 and isinstance(container, dict) else annotation


def _tag_matches(model: type[BaseModel], container: dict[str, Any]) -> bool:
    for field, info in model.model_fields.items():
        if get_origin(info.annotation) is Literal:
            return container.get(info.alias or field) in get_args(info.annotation)
    return True


def _item_type(annotation: Any, index: int) -> Any:
    args = get_args(annotation)
    if get_origin(annotation) is list or (len(args) == 2 and args[1] is Ellipsis):
        return args[0]
    return args[index] if index < len(args) else Any


def _is_mapping_type(annotation: Any) -> bool:
    bare = strip_annotation(annotation)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return True
    return get_origin(bare) is dict


def _unknown(name: str, known: list[str], kind: str) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"unknown {kind}; did you mean {close[0]!r}?"
    listed = ", ".join(sorted(known)) if known else "none"
    return f"unknown {kind} (known: {listed})"


def _show_segment(segment: str | int) -> str:
    return f"[{segment}]" if isinstance(segment, int) else repr(segment)


def show_value(value: Any) -> str:
    """Write a value compactly, as it would be typed after ``--set PATH=``.

    Parameters
    ----------
    value
        Plain data.

    Returns
    -------
    str
        Flow-style YAML, at most 60 characters.
    """
    try:
        text = yaml.dump(
            value,
            Dumper=CoreSafeDumper,
            default_flow_style=True,
            allow_unicode=True,
            width=math.inf,
        )
    except yaml.YAMLError:
        text = repr(value)
    text = text.strip().removesuffix("...").strip()
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."
