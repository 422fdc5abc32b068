"""What a world takes from its scenario alone, worked out once per scenario.

An experiment runs many replications of each configuration, and a worker process
runs them one after another. The calendar, the shelf-life kinetics, the climate
tables of the regions without a weather variation, the routing table and the work
estimate depend on the scenario only, never on the seed, so the worlds of one
scenario share them: :func:`prepared` keeps the last :data:`RECENT` scenarios' parts,
by identity. A scenario's models are frozen, but its mappings (products, climate,
legs, ...) are plain dicts that a user can change in place; the library never does
(it derives new scenarios with ``apply_overrides`` or ``model_copy``), and the kept
parts are checked against what the scenario's mappings held when they were built
(:class:`_Contents`): a scenario changed in place since gets parts built anew, never
the stale ones. A worker of a process pool
sees one object per scenario because :func:`fieldtotable.experiment.runs.run_one`
keeps the ones it was sent by their hash (:func:`same_scenario`).

Nothing here is written to after it is built: worlds only read these parts (a region
with a weather variation gets its own climate table in each world). Results are the
same whether a part was built for this world or an earlier one.
"""

from __future__ import annotations

import itertools
import threading
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.context import Calendar
from fieldtotable.model.routing import RoutingTable, routing_table
from fieldtotable.model.thermal import Ambient, hourly_temperatures
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.work import WorkEstimate, estimate_work

__all__ = ["CLIMATE_MARGIN_DAYS", "RECENT", "Prepared", "prepared", "same_scenario"]

#: Days of climate tabulated beyond the horizon (lots are never aged past the end).
CLIMATE_MARGIN_DAYS = 2

#: Scenarios whose parts are kept (a sweep's worker goes through its points in order).
RECENT = 2

_lock = threading.Lock()
_recent: list[tuple[Scenario, _Contents, Prepared]] = []
_by_hash: list[tuple[str, Scenario]] = []


@dataclass(frozen=True)
class Prepared:
    """The seed-independent parts of the worlds of one scenario.

    Attributes
    ----------
    work
        The run's estimated work (:mod:`fieldtotable.scenario.work`).
    calendar
        Month and weekday of every day of the horizon and its margin.
    kinetics
        Shelf-life kinetics, one per product index.
    ambient
        Outdoor air of every climate region without a weather variation.
    routing
        Next leg per month, node and product (:func:`~.routing.routing_table`).
    """

    work: WorkEstimate | None
    calendar: Calendar
    kinetics: tuple[Kinetics, ...]
    ambient: dict[str, Ambient]
    routing: RoutingTable


class _Contents:
    """What a scenario's mutable containers held when its parts were built.

    Every dict and list in the scenario's tree of (frozen) models, with its items as
    they were. The items are kept by reference, so :meth:`unchanged` compares
    identities without any risk of an ``id`` reused by a new object. Building this
    walks the tree once, skipping the fields whose type holds no container (0.1 ms
    for the baseline); checking it looks at the containers only (a few dozen,
    microseconds).
    """

    def __init__(self, scenario: Scenario) -> None:
        self._containers: list[tuple[Any, tuple[Any, ...]]] = []
        self._walk(scenario)

    def _walk(self, value: Any) -> None:
        if isinstance(value, BaseModel):
            for name in _nesting_fields(type(value)):
                self._walk(getattr(value, name))
        elif isinstance(value, dict | list):
            self._containers.append((value, _items(value)))
            for item in value.values() if isinstance(value, dict) else value:
                self._walk(item)
        elif isinstance(value, tuple):
            for item in value:
                self._walk(item)

    def unchanged(self) -> bool:
        """Return True when every container still holds the very same items, in order."""
        for container, items in self._containers:
            now = _items(container)
            if len(now) != len(items) or any(a is not b for a, b in zip(now, items, strict=True)):
                return False
        return True


_NESTING_FIELDS: dict[type, tuple[str, ...]] = {}


def _nesting_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Return the fields of ``model`` whose type can hold a dict, a list or a model."""
    names = _NESTING_FIELDS.get(model)
    if names is None:
        names = tuple(
            name for name, field in model.model_fields.items() if _may_nest(field.annotation)
        )
        _NESTING_FIELDS[model] = names
    return names


def _may_nest(annotation: Any) -> bool:
    """Return True when a value of this type can be or contain a dict, a list or a model."""
    if annotation is Any:
        return True
    if isinstance(annotation, type) and typing.get_origin(annotation) is None:
        return issubclass(annotation, BaseModel | dict | list)
    origin = typing.get_origin(annotation)
    if origin is dict or origin is list:
        return True
    return any(_may_nest(argument) for argument in typing.get_args(annotation))


def _items(container: dict[Any, Any] | list[Any]) -> tuple[Any, ...]:
    """Return a dict's keys and values in order, or a list's items."""
    if isinstance(container, dict):
        return tuple(itertools.chain.from_iterable(container.items()))
    return tuple(container)


def _prepare(scenario: Scenario) -> Prepared:
    calendar = Calendar(scenario.start_date, scenario.horizon_days + CLIMATE_MARGIN_DAYS)
    kinetics = tuple(
        Kinetics(p.shelf_life_days, p.ref_temp_c, p.q10, p.activation_energy_kj_mol)
        for p in scenario.products.values()
    )
    ambient = {
        region: Ambient(
            hourly_temperatures(climate.monthly_mean_c, climate.daily_range_c, calendar.month),
            kinetics,
        )
        for region, climate in scenario.climate.items()
        if climate.variation is None
    }
    return Prepared(estimate_work(scenario), calendar, kinetics, ambient, routing_table(scenario))


def prepared(scenario: Scenario) -> Prepared:
    """Return the seed-independent parts of ``scenario``'s worlds (built on first use).

    Parameters
    ----------
    scenario
        The configuration.

    Returns
    -------
    Prepared
        Shared by every world of this scenario object while it is among the
        :data:`RECENT` last ones asked for.
    """
    with _lock:
        for known, contents, parts in _recent:
            if known is scenario and contents.unchanged():
                return parts
    contents = _Contents(scenario)
    parts = _prepare(scenario)
    with _lock:
        # A scenario changed in place since its parts were built loses its old entry.
        _recent[:] = [entry for entry in _recent if entry[0] is not scenario]
        _recent.insert(0, (scenario, contents, parts))
        del _recent[RECENT:]
    return parts


def same_scenario(scenario_hash: str, scenario: Scenario) -> Scenario:
    """Return the scenario with this hash seen last in this process, or keep ``scenario``.

    A process pool unpickles a new copy of the scenario with every run; swapping in
    the copy already seen lets :func:`prepared` find its parts.

    Parameters
    ----------
    scenario_hash
        :func:`~fieldtotable.scenario.hashing.scenario_hash` of ``scenario``.
    scenario
        The copy just received.

    Returns
    -------
    Scenario
        An equal scenario (the same object for the same hash).
    """
    with _lock:
        for known_hash, known in _by_hash:
            if known_hash == scenario_hash:
                return known
        _by_hash.insert(0, (scenario_hash, scenario))
        del _by_hash[RECENT:]
    return scenario
