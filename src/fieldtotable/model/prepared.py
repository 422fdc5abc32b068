"""What a world takes from its scenario alone, worked out once per scenario.

An experiment runs many replications of each configuration, and a worker process
runs them one after another. The calendar, the shelf-life kinetics, the climate
tables of the regions without a weather variation, the routing table and the work
estimate depend on the scenario only, never on the seed, so the worlds of one
scenario share them: :func:`prepared` keeps the last :data:`RECENT` scenarios' parts
(by identity: a scenario is immutable; one whose dicts were changed in place after a
run would find the parts of before, which is why the library only ever derives new
scenarios, with ``apply_overrides`` or ``model_copy``). A worker of a process pool
sees one object per scenario because :func:`fieldtotable.experiment.runs.run_one`
keeps the ones it was sent by their hash (:func:`same_scenario`).

Nothing here is written to after it is built: worlds only read these parts (a region
with a weather variation gets its own climate table in each world). Results are the
same whether a part was built for this world or an earlier one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

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
_recent: list[tuple[Scenario, Prepared]] = []
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
        for known, parts in _recent:
            if known is scenario:
                return parts
    parts = _prepare(scenario)
    with _lock:
        _recent.insert(0, (scenario, parts))
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
