"""Hubs and distribution centres: dock exposure, handling, then storage."""

from __future__ import annotations

from collections.abc import Sequence

from fieldtotable.model.context import Context
from fieldtotable.model.lot import HUB, Lot
from fieldtotable.model.storage import Storage
from fieldtotable.scenario.schema import Hub


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

    def receive(self, lots: Sequence[Lot]) -> None:
        """Unload ``lots`` from a vehicle now."""
        context = self.context
        now = context.env.now
        for lot in lots:
            lot.place(self.ambient, now, HUB)
            if lot.product in self.final_products:
                context.ledger.add("arrived_at_market_hub", now, lot.product, lot.kg)
        if self.dock_h + self.handling_h <= 0:
            self._store(lots, now)
            return
        done = context.env.timeout(self.dock_h + self.handling_h)
        done.callbacks.append(lambda _event: self._store(lots, now + self.dock_h))

    def _store(self, lots: Sequence[Lot], dock_end_h: float) -> None:
        context = self.context
        for lot in lots:
            lot.place(
                self.cold_for[lot.product], dock_end_h, HUB
            )  # handled inside, at the setpoint
            if not context.spoil_if_expired(lot, self.node_id):
                self.storage.receive(lot)
