"""Changing a scenario by field path: ``legs.kunming_shanghai.fleet=4``.

:func:`apply_overrides` returns a copy of a scenario with some values replaced,
re-validated and network-checked; the command line's ``--set PATH=VALUE`` and the
parameter grids of experiment sweeps both use it::

    apply_overrides(scenario, {"legs.kunming_shanghai.fleet": 4, "scale": 2})

A path is dotted: section names and model fields are keys, node and product ids
are mapping keys, list items are integer indices (``departures_h.0`` or
``departures_h[0]``); a key holding odd characters is written ``['odd key']``.
Every segment but the last must exist (a misspelt one is reported with a "did you
mean"); the last may add a new entry to a mapping of ids or classes
(``routing.prefer_modes.honey=[rail_reefer]``), or set a whole model at once
(``legs.a.dispatch={policy: full_or_timeout, min_load_kg: 12000, max_wait_h: 24}``).

Every problem names the override at fault, as the file part of its
:class:`~fieldtotable.errors.Problem`: ``--set legs.x.fleet=0: must be >= 1 (got 0)``.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal, get_args, get_origin

import numpy as np
import yaml
from pydantic import BaseModel

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.scenario.loader import validate_scenario_data
from fieldtotable.scenario.problems import strip_annotation
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.yaml_core import CoreSafeDumper
from fieldtotable.scenario.yaml_loader import Path, format_path, parse_yaml

__all__ = [
    "SET_LABEL",
    "apply_overrides",
    "override_label",
    "parse_assignment",
    "parse_assignments",
    "parse_override_path",
]

SET_LABEL = "--set"
"""How problems name an override: ``--set PATH=VALUE``."""

_NAME = re.compile(r"""[^.\[\]'"\s=]+""")
_BRACKET = re.compile(r"""\[(?:(?P<index>\d+)|(?P<q>['"])(?P<quoted>.+?)(?P=q))\]""")
_MAX_SHOWN = 60


class _PathError(Exception):
    """A path segment that does not exist; ``path`` is where the walk stopped."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def override_label(path: str, value: Any) -> str:
    """Return how problems name the override ``path=value``: ``--set path=value``."""
    return f"{SET_LABEL} {path}={_show_value(value)}"


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


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE`` and read VALUE as YAML (safe: plain data only).

    Parameters
    ----------
    text
        ``legs.kunming_shanghai.fleet=4``; VALUE is a YAML scalar or flow value:
        ``4`` -> 4, ``2.5`` -> 2.5, ``[18, 6]`` -> [18, 6], ``FIFO`` -> "FIFO",
        ``{dist: uniform, low: 2, high: 8}`` -> a mapping, ``null`` -> None.

    Returns
    -------
    tuple of (str, Any)
        The path (stripped) and the value.

    Raises
    ------
    ScenarioError
        If there is no ``=``, the path is malformed, the value is missing, or the
        value is not valid (safe) YAML; the problem is named ``--set TEXT``.
    """
    label = f"{SET_LABEL} {text}"
    path, equals, raw = text.partition("=")
    path = path.strip()
    if not equals or not path:
        raise ScenarioError.single(
            "expected PATH=VALUE, e.g. legs.kunming_shanghai.fleet=4", file=label
        )
    try:
        parse_override_path(path)
    except ValueError as exc:
        raise ScenarioError.single(str(exc), file=label) from None
    if not raw.strip():
        raise ScenarioError.single("no value after '=' (write null to clear a field)", file=label)
    try:
        value, _ = parse_yaml(raw, label)
    except ScenarioError as exc:
        raise ScenarioError(Problem(label, None, "", p.message) for p in exc.problems) from None
    return path, value


def parse_assignments(texts: Iterable[str]) -> dict[str, Any]:
    """Parse several ``PATH=VALUE`` texts (later ones win for the same path).

    Parameters
    ----------
    texts
        Assignments such as ``legs.kunming_shanghai.fleet=4``; each value is YAML.

    Returns
    -------
    dict of str to Any
        Field path to value, ready for :func:`apply_overrides`.

    Raises
    ------
    ScenarioError
        With the problems of every text that cannot be parsed.
    """
    overrides: dict[str, Any] = {}
    problems: list[Problem] = []
    for text in texts:
        try:
            path, value = parse_assignment(text)
        except ScenarioError as exc:
            problems += exc.problems
        else:
            overrides.pop(path, None)
            overrides[path] = value
    if problems:
        raise ScenarioError(problems)
    return overrides


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """Return ``scenario`` with the values at the given paths replaced.

    Parameters
    ----------
    scenario
        The scenario to start from; it is not changed.
    overrides
        Dotted path -> new value, applied in order (``{"legs.a.fleet": 4,
        "scale": 2}``). Values are plain data as in a scenario file: numbers,
        strings, lists, mappings, dates; numpy scalars are accepted.

    Returns
    -------
    Scenario
        The changed scenario, validated and network-checked (``scenario`` itself
        when ``overrides`` is empty).

    Raises
    ------
    ScenarioError
        With every problem found: a malformed path, a path segment that does not
        exist (with a "did you mean" from the keys or fields there), a value the
        schema or the network check refuses. Each problem's ``file`` names the
        override, ``--set PATH=VALUE``; its ``path`` is the field at fault when
        that is not the override's own path.
    """
    if not overrides:
        return scenario
    data: dict[str, Any] = scenario.model_dump(by_alias=True)
    problems: list[Problem] = []
    applied: list[tuple[str, Path]] = []
    for path_text, raw_value in overrides.items():
        value = _plain(raw_value)
        label = override_label(path_text, value)
        try:
            segments = parse_override_path(path_text)
        except ValueError as exc:
            problems.append(Problem(label, None, "", str(exc)))
            continue
        try:
            resolved = _assign(data, segments, value)
        except _PathError as exc:
            problems.append(Problem(label, None, format_path(exc.path), exc.message))
            continue
        applied.append((label, resolved))
    if problems:
        raise ScenarioError(problems)
    try:
        return validate_scenario_data(data)
    except ScenarioError as exc:
        raise ScenarioError(_blame(problem, applied) for problem in exc.problems) from None


# --- walking the data along a path -------------------------------------------------


def _assign(data: dict[str, Any], segments: tuple[str | int, ...], value: Any) -> Path:
    """Set ``value`` at ``segments`` in ``data``; return the path as resolved."""
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
            raise _PathError(
                tuple(done),
                f"is a single value ({_show_value(child)}); it has no field "
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
            raise _PathError(done, f"is a list; index it with a number, not {segment!r}")
        if not 0 <= index < len(container):
            count = f"{len(container)} item" + ("" if len(container) == 1 else "s")
            raise _PathError(done, f"has {count}; index {index} is out of range")
        return index, _item_type(annotation, index)
    name = str(segment)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {
            info.alias or field: (field, info) for field, info in annotation.model_fields.items()
        }
        by_name = {field: alias for alias, (field, _) in fields.items()}
        alias = name if name in fields else by_name.get(name)
        if alias is None:
            raise _PathError((*done, name), _unknown(name, list(fields), "field"))
        return alias, fields[alias][1].annotation
    if name in container or last:
        value_type = get_args(annotation)[1] if get_origin(annotation) is dict else Any
        return name, value_type
    raise _PathError((*done, name), _unknown(name, list(container), "key"))


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


# --- naming overrides in problems ----------------------------------------------------


def _blame(problem: Problem, applied: list[tuple[str, Path]]) -> Problem:
    """Name the override responsible for a validation problem.

    The override that set the node holding the problem (the longest such path)
    is blamed; else the overrides that changed something inside the node where the
    problem is; else all of them.
    """
    where = problem.path
    above = [(label, format_path(path)) for label, path in applied]
    holding = [(label, shown) for label, shown in above if _inside(where, shown)]
    if holding:
        label, shown = max(holding, key=lambda item: len(item[1]))
        return Problem(label, None, "" if where == shown else where, problem.message)
    inside = [label for label, shown in above if _inside(shown, where)] or [
        label for label, _ in above
    ]
    return Problem(", ".join(inside), None, where, problem.message)


def _inside(path: str, node: str) -> bool:
    """Whether the formatted ``path`` is ``node`` or lies inside it."""
    if not node or path == node:
        return True
    return path.startswith(node) and path[len(node)] in ".["


def _plain(value: Any) -> Any:
    """Turn numpy scalars and arrays (from sweep grids) into plain Python values."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _show_segment(segment: str | int) -> str:
    return f"[{segment}]" if isinstance(segment, int) else repr(segment)


def _show_value(value: Any) -> str:
    """Write a value compactly, as it would be typed after ``--set PATH=``."""
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
