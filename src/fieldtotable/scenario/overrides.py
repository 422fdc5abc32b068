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

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.scenario.field_paths import (
    PathError,
    assign_at_path,
    parse_override_path,
    show_value,
)
from fieldtotable.scenario.loader import validate_scenario_data
from fieldtotable.scenario.schema import Scenario
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


def override_label(path: str, value: Any) -> str:
    """Return how problems name the override ``path=value``: ``--set path=value``."""
    return f"{SET_LABEL} {path}={show_value(value)}"


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
            resolved = assign_at_path(data, segments, value)
        except PathError as exc:
            problems.append(Problem(label, None, format_path(exc.path), exc.message))
            continue
        applied.append((label, resolved))
    if problems:
        raise ScenarioError(problems)
    try:
        return validate_scenario_data(data)
    except ScenarioError as exc:
        raise ScenarioError(_blame(problem, applied) for problem in exc.problems) from None


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
