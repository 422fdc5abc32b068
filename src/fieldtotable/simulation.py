"""``simulate``: one replication of a scenario, from seed to checked result."""

from __future__ import annotations

import dataclasses
import time

from fieldtotable.model.context import replication_seed
from fieldtotable.model.outcome import outcome
from fieldtotable.model.parameter_draws import apply_parameters, draw_parameters
from fieldtotable.model.world import World
from fieldtotable.results.build import build_result
from fieldtotable.results.money_stages import cost_by_stage
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.schema import Scenario


def simulate(
    scenario: Scenario,
    seed: int = 0,
    *,
    replication: int | None = None,
    record_flows: bool = False,
) -> RunResult:
    """Run one replication of ``scenario``.

    A scenario with uncertain parameters (``uncertain:``) first draws them, from
    streams of their own keyed by the replication's seed and each parameter's path
    (:mod:`fieldtotable.model.parameter_draws`); the run is that of the scenario with
    the drawn values, which :attr:`RunResult.parameters` records.

    Parameters
    ----------
    scenario
        The channel configuration (see :func:`fieldtotable.load_scenario`).
    seed
        Seed of the run. The same scenario, seed and replication give identical
        results, whichever process or machine runs them.
    replication
        Index of the replication within an experiment seeded with ``seed``: its
        streams are those of ``SeedSequence(seed).spawn(...)[replication]``. With
        ``None`` (a single run) the streams derive from ``seed`` alone.
    record_flows
        Keep the per-movement flow log in :attr:`RunResult.flows` (costs memory).

    Returns
    -------
    RunResult
        KPIs, breakdowns and daily series.

    Raises
    ------
    fieldtotable.errors.MassBalanceError
        If the kilograms harvested are not all accounted for (a defect, never noise).
    """
    started = time.perf_counter()
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    if replication is not None and (
        isinstance(replication, bool) or not isinstance(replication, int) or replication < 0
    ):
        raise ValueError(f"replication must be a non-negative integer or None, not {replication!r}")
    parameters = draw_parameters(scenario, replication_seed(seed, replication))
    scenario = apply_parameters(scenario, parameters)
    world = World(scenario, seed, replication=replication, record_flows=record_flows)
    world.run()
    result = build_result(
        scenario_name=scenario.name,
        seed=seed,
        replication=replication,
        warmup_days=scenario.warmup_days,
        start_date=scenario.start_date,
        outcome=outcome(world),
        wall_time_s=time.perf_counter() - started,
    )
    # The stage split reads the scenario's capacities and yearly costs, which the
    # ledger does not keep; done here, the result carries it wherever it goes.
    return dataclasses.replace(
        result,
        cost_cny_by_stage=cost_by_stage(result, scenario),
        weather={
            region: weather.record(scenario.horizon_days)
            for region, weather in world.weather.items()
        },
        parameters=parameters,
    )
