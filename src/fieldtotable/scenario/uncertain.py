"""Uncertain parameters: checking the ``uncertain:`` section against the scenario.

:func:`uncertain_problems` checks, when a scenario is loaded, that each prior's path
names a number the scenario sets and that the field accepts every value the prior
can draw; the loader reports each problem at the prior's line. Drawing the values and
putting them in place is :mod:`fieldtotable.model.parameter_draws`.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from pydantic import ValidationError

from fieldtotable.scenario.field_paths import PathError, assign_at_path, parse_override_path
from fieldtotable.scenario.network import check_network
from fieldtotable.scenario.problems import validation_problems
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.schema_uncertain import Prior
from fieldtotable.scenario.yaml_loader import Path, format_path

__all__ = ["SECTION", "uncertain_problems", "whole_values"]

SECTION = "uncertain"
"""The name of the section of priors (and the first key of their streams)."""


def uncertain_problems(scenario: Scenario) -> list[tuple[Path, str]]:
    """Check every prior's path and range against the scenario.

    Parameters
    ----------
    scenario
        A scenario whose fields are valid.

    Returns
    -------
    list of (path, message)
        One problem per prior at fault, at ``("uncertain", key)``: a malformed or
        unknown path (with a "did you mean"), a field that is not a number the
        scenario sets, a whole-number field without a discrete prior of whole
        numbers, or a value the prior can draw that the field refuses.
    """
    if not scenario.uncertain:
        return []
    data = scenario.model_dump(by_alias=True)
    del data["uncertain"]
    problems: list[tuple[Path, str]] = []
    for key, prior in scenario.uncertain.items():
        message = _prior_problem(data, key, prior)
        if message is not None:
            problems.append((("uncertain", key), message))
    return problems


# --- checking one prior ----------------------------------------------------------------


def _prior_problem(data: dict[str, Any], key: str, prior: Prior) -> str | None:
    try:
        segments = parse_override_path(key)
    except ValueError as exc:
        return f"{exc}"
    if segments[0] == SECTION:
        return "a prior cannot be put on another prior"
    trial = copy.deepcopy(data)
    try:
        resolved = assign_at_path(trial, segments, math.nan)
    except PathError as exc:
        shown = format_path(exc.path)
        return exc.message if shown == key else f"{shown}: {exc.message}"
    current = _value_at(data, resolved)
    if isinstance(current, bool) or not isinstance(current, int | float):
        shown = "nothing" if current is None else f"{type(current).__name__} {current!r}"
        if isinstance(current, dict) and "dist" in current:
            numbers = ", ".join(k for k, v in current.items() if isinstance(v, int | float))
            return f"is a distribution; put the prior on one of its numbers ({numbers})"
        if isinstance(current, dict | list):
            shown = f"a {'mapping' if isinstance(current, dict) else 'list'}"
        return f"is not a number the scenario sets (it holds {shown}); priors go on numbers"
    whole = isinstance(current, int)
    if whole and not whole_values(prior):
        return "is a whole number: give it a discrete prior of whole numbers"
    for value in prior.extremes():
        refusal = _refusal(data, segments, int(value) if whole else value)
        if refusal is not None:
            return f"the prior can draw {value:g}, which is refused: {refusal}"
    return None


def _refusal(data: dict[str, Any], segments: tuple[str | int, ...], value: float) -> str | None:
    """Return why the scenario refuses ``value`` at ``segments`` (``None`` if it accepts it)."""
    trial = copy.deepcopy(data)
    assign_at_path(trial, segments, value)
    try:
        scenario = Scenario.model_validate(trial)
    except ValidationError as exc:
        first = validation_problems(exc, trial, lambda _path: (None, None))[0]
        return f"{first.path}: {first.message}" if first.path else first.message
    network = check_network(scenario)
    if network:
        path, message = network[0]
        return f"{format_path(path)}: {message}"
    return None


def whole_values(prior: Prior) -> bool:
    """Whether ``prior`` is discrete over whole numbers (its draws are then ints).

    Parameters
    ----------
    prior
        A prior.

    Returns
    -------
    bool
        ``True`` for a ``discrete`` prior whose values are all whole numbers.
    """
    return prior.dist == "discrete" and all(value == int(value) for value in prior.values or ())


def _value_at(data: dict[str, Any], path: Path) -> Any:
    """Return the value at a resolved ``path`` of the dumped scenario."""
    node: Any = data
    for segment in path:
        try:
            node = node[segment]
        except (KeyError, IndexError, TypeError):
            return None
    return node
