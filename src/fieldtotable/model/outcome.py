"""What a finished run leaves behind: the ledger and every component's statistics.

:func:`outcome` reads a world after :meth:`~fieldtotable.model.world.World.run` into
plain data, so that the results layer builds its record without knowing which kinds
of node the run had: each node reports its own statistics
(:meth:`~fieldtotable.model.kinds.NodeProcess.stats`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fieldtotable.model.ledger import Ledger
from fieldtotable.model.money import Money, money
from fieldtotable.model.world import World, events_processed

__all__ = ["Outcome", "outcome"]


@dataclass(frozen=True)
class Outcome:
    """The end state of one run, as plain data.

    Attributes
    ----------
    ledger
        The run's ledger (its mass balance already checked by :func:`outcome`).
    in_system_by_product
        Kg of live lots at the end, per product index.
    by_node
        Per place id, its statistics.
    by_market
        Per market id, its kind's statistics (a store's shelves; nothing for orders).
    by_leg
        Per leg id: ``utilisation`` (whole horizon) and ``closed_h`` (after the warm-up).
    leg_capacity_kg
        Per leg id, its vehicles' capacity.
    stock_series
        Per node holding stock, its kg at the end of each day.
    in_transit_series
        Kg held at no node at the end of each day.
    events_processed
        SimPy events processed.
    money
        Every cost line per product and per market over the measured days
        (:mod:`fieldtotable.model.money`).
    """

    ledger: Ledger
    in_system_by_product: np.ndarray
    by_node: dict[str, dict[str, float]]
    by_market: dict[str, dict[str, float]]
    by_leg: dict[str, dict[str, float]]
    leg_capacity_kg: dict[str, float]
    stock_series: dict[str, list[float]]
    in_transit_series: list[float]
    events_processed: int
    money: Money


def outcome(world: World) -> Outcome:
    """Check the mass balance of a finished run and read its end state.

    Parameters
    ----------
    world
        A world whose :meth:`~fieldtotable.model.world.World.run` has returned.

    Returns
    -------
    Outcome
        The ledger and the statistics of every node and leg.

    Raises
    ------
    fieldtotable.errors.MassBalanceError
        If the kilograms harvested are not all accounted for.
    """
    ledger = world.ledger
    in_system = np.zeros(len(world.product_ids))
    for lot in world.context.live.values():
        in_system[lot.product] += lot.kg
    ledger.check_mass_balance(float(in_system.sum()))
    horizon_h = world.context.horizon_h
    warmup_h = world.scenario.warmup_days * 24.0
    return Outcome(
        ledger=ledger,
        in_system_by_product=in_system,
        by_node={node_id: place.stats() for node_id, place in world.places.items()},
        by_market={market_id: market.stats() for market_id, market in world.markets.items()},
        by_leg={
            leg_id: {
                "utilisation": leg.busy_hours_until(horizon_h) / (leg.config.fleet * horizon_h),
                "closed_h": leg.closed_hours_between(warmup_h, horizon_h),
            }
            for leg_id, leg in world.legs.items()
        },
        leg_capacity_kg={leg_id: leg.capacity_kg for leg_id, leg in world.legs.items()},
        stock_series=world.stock_series,
        in_transit_series=world.in_transit_series,
        events_processed=events_processed(world.env),
        money=money(world),
    )
