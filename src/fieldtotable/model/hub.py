"""Hubs and distribution centres: dock exposure, handling, then storage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Self

from fieldtotable.model.context import Context
from fieldtotable.model.lot import HUB, Lot
from fieldtotable.model.overload import node_priority
from fieldtotable.model.storage import Storage
from fieldtotable.scenario.schema import Hub

if TYPE_CHECKING:
    from fieldtotable.model.kinds import BuildSetup


class HubProcess:
    """Receives vehicles: lots stand on the dock at ambient, are handled, then stored.

    Parameters
    ----------
    context
        Shared run state.
    node_id, config
        The hub's id and scenario entry.
    storage
        Its refrigerated store.
    final_products
        Product indices for which this hub supplies markets (its arrivals are the
        "arrivals in Shanghai" series).
    """

    holds_stock = True  # places and stores keep a daily stock series

    def __init__(
        self,
        context: Context,
        node_id: str,
        config: Hub,
        storage: Storage,
        final_products: frozenset[int],
    ) -> None:
        self.context = context
        self.node_id = node_id
        self.storage = storage
        self.ambient = context.ambient[config.region]
        self.cold_for = context.held_at(config.setpoint_c, config.class_setpoints_c)
        self.dock_h = config.dock_exposure_h
        self.handling_h = config.handling_time_h
        self.final_products = final_products

    @classmethod
    def build(cls, node_id: str, config: Hub, setup: BuildSetup) -> Self:
        """Build a hub and its store (see :class:`~.kinds.NodeProcess`)."""
        context = setup.context
        storage = Storage(
            context, node_id, context.ambient[config.region], config.setpoint_c,
            config.storage_kg, config.overload, HUB, len(setup.product_index),
            config.class_setpoints_c, node_priority(config, context, setup.product_index),
            config.temperature_log,
        )  # fmt: skip
        return cls(
            context, node_id, config, storage, setup.market_products.get(node_id, frozenset())
        )

    def stats(self) -> dict[str, float]:
        """Return peak stock, capacity, the kg that found the store full and their fate."""
        return self.storage.stats()

    def end_of_day(self) -> float:
        """Inspect the store for expired lots; return the kg held."""
        self.storage.inspect()
        return self.storage.held_kg

    def receive(self, lots: Sequence[Lot]) -> None:
        """Unload ``lots`` from a vehicle now."""
        context = self.context
        now = context.env.now
        handling = context.handling
        unload = handling.unload if handling.breaks_unloading else None
        ambient, node_id, final_products = self.ambient, self.node_id, self.final_products
        for lot in lots:
            lot.place(ambient, now, HUB, node_id, "dock")
            if unload is not None:
                unload(lot, now)
            if lot.product in final_products:
                context.ledger.add("arrived_at_market_hub", now, lot.product, lot.kg)
        if self.dock_h + self.handling_h <= 0:
            self._store(lots, now)
            return
        done = context.env.timeout(self.dock_h + self.handling_h)
        done.callbacks.append(lambda _event: self._store(lots, now + self.dock_h))

    def _store(self, lots: Sequence[Lot], dock_end_h: float) -> None:
        context = self.context
        cold_for, node_id = self.cold_for, self.node_id
        for lot in lots:
            # Handled inside, at the setpoint.
            lot.place(cold_for[lot.product], dock_end_h, HUB, node_id, "handling")
            if not context.spoil_if_expired(lot, node_id):
                self.storage.receive(lot)
            else:
                self.storage.forget(lot)
