"""Small valid scenarios for tests, built from data with dotted-path changes.

``build_scenario()`` is ``tests/data/small.yaml`` (two products, one collection point,
one hub, one leg, a store and orders; a 30-day run takes milliseconds). Changes name
what differs by dotted path, a value replacing what is there (a mapping as a whole)::

    build_scenario({"horizon_days": 10, "legs.cp_shanghai.fleet": 5})
    build_scenario({"markets.store.issuing": "FIFO", "products.matsutake.markdown": DELETE})
    build_scenario({"legs.air.products": ["fresh"]}, base=OWN_NETWORK)  # a test's own data

The ``make_scenario`` fixture (``tests/conftest.py``) returns :func:`build_scenario`;
modules that need it outside a fixture (module-level helpers, parametrisation)
import it from here. The changes are plain data edits, not
:func:`fieldtotable.apply_overrides` (which the override tests test): they can make
any data, and the scenario is validated once, as a file's would be.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from fieldtotable.scenario.loader import validate_scenario_data
from fieldtotable.scenario.schema import Scenario

SMALL_YAML = Path(__file__).resolve().parent / "data" / "small.yaml"

DELETE: Any = object()
"""A change's value that removes the key at its path."""


@functools.cache
def _small() -> dict[str, Any]:
    data = yaml.safe_load(SMALL_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def scenario_data(
    changes: Mapping[str, Any] | None = None, *, base: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return a fresh copy of ``base`` (default: ``small.yaml``) with ``changes`` made.

    Parameters
    ----------
    changes
        Dotted path -> new value (``DELETE`` removes the key). Every segment but the
        last must exist, so that a misspelt path fails here; the last may be new. A
        segment of digits indexes a list. Values are copied.
    base
        Scenario data to start from; it is not modified.

    Returns
    -------
    dict
        Plain data shaped like a scenario file (dates as :class:`datetime.date`).
    """
    data: dict[str, Any] = copy.deepcopy(dict(_small() if base is None else base))
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        node: Any = data
        for depth, segment in enumerate(parents):
            node = _child(node, segment, ".".join(parents[: depth + 1]))
        if not isinstance(node, dict | list):
            raise TypeError(f"{path}: {'.'.join(parents)} is a single value, not a section")
        key = int(last) if isinstance(node, list) else last
        if value is DELETE:
            del node[key]
        else:
            node[key] = copy.deepcopy(value)
    return data


def build_scenario(
    changes: Mapping[str, Any] | None = None, *, base: Mapping[str, Any] | None = None
) -> Scenario:
    """Return the validated scenario of :func:`scenario_data` ``(changes, base=base)``.

    Raises
    ------
    fieldtotable.ScenarioError
        If the changed data is not a valid scenario (every problem, without lines).
    """
    return validate_scenario_data(scenario_data(changes, base=base))


def _child(node: Any, segment: str, where: str) -> Any:
    if isinstance(node, list):
        return node[int(segment)]
    if not isinstance(node, dict):
        raise TypeError(f"{where}: the value above is a single value, not a section")
    if segment not in node:
        raise KeyError(f"{where}: no such key (known: {', '.join(map(str, node))})")
    return node[segment]
