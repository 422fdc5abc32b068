"""``simulate``: one replication of a scenario, from seed to checked result."""

from __future__ import annotations

import time

import numpy as np

from fieldtotable.model.world import World, events_processed
from fieldtotable.results.build import build_result
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
    world = World(scenario, seed, replication=replication, record_flows=record_flows)
    world.run()
    ledger = world.ledger
    in_system = np.zeros(len(world.product_ids))
    for lot in world.context.live.values():
        in_system[lot.product] += lot.kg
    ledger.check_mass_balance(float(in_system.sum()))
    horizon_h = world.context.horizon_h
    by_node: dict[str, dict[str, float]] = {}
    for node_id, storage in world.storages.items():
        stats = {
            "peak_stock_kg": storage.peak_occupied_kg,
            "capacity_kg": storage.capacity_kg,
            "overflow_kg": ledger.overflow_kg.get(node_id, 0.0),
        }
        if node_id in world.collection_points:
            waits = ledger.waits.get(f"{node_id}.precooling", [])
            stats["precooled_lots"] = float(len(waits))
            stats["mean_precooling_wait_h"] = float(np.mean(waits)) if waits else 0.0
        by_node[node_id] = stats
    return build_result(
        scenario_name=scenario.name,
        seed=seed,
        replication=replication,
        warmup_days=scenario.warmup_days,
        start_date=scenario.start_date,
        ledger=ledger,
        in_system_by_product=in_system,
        by_node=by_node,
        shelves={
            market_id: (store.peak_shelf_kg, store.config.shelf_capacity_kg)
            for market_id, store in world.stores.items()
        },
        markets=list(scenario.markets),
        fleet_hours={
            leg_id: leg.busy_hours_until(horizon_h) / (leg.config.fleet * horizon_h)
            for leg_id, leg in world.legs.items()
        },
        leg_capacity_kg={leg_id: leg.capacity_kg for leg_id, leg in world.legs.items()},
        closed_hours={
            leg_id: leg.closed_hours_between(scenario.warmup_days * 24.0, horizon_h)
            for leg_id, leg in world.legs.items()
        },
        stock_series=world.stock_series,
        in_transit_series=world.in_transit_series,
        events_processed=events_processed(world.env),
        wall_time_s=time.perf_counter() - started,
    )
