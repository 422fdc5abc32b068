"""The order in which a store issues its lots: FEFO, FIFO or LIFO sort keys."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

from fieldtotable.model.logged import RepeatingProfile
from fieldtotable.model.lot import Lot
from fieldtotable.model.thermal import ConstantTemperature

__all__ = ["arrival_order", "consumed_now_order", "issue_order_key"]


def issue_order_key(
    issuing: str,
    place: ConstantTemperature | Sequence[ConstantTemperature | RepeatingProfile],
) -> Callable[[Lot], float]:
    """Sort key putting the lot to issue first at the front, for lots held in ``place``.

    FEFO issues the lot closest to its nominal (labelled) expiry: the largest
    consumed fraction now. Every lot of a product in ``place`` ages at the same rate,
    so the order by ``consumed - rate * updated_h`` is the order by consumed fraction
    at any common time, and no lot needs bringing forward to sort. In a room
    replaying a temperature profile the same holds with the profile's integral from
    hour 0 in place of ``rate * updated_h``. FIFO issues the earliest arrival, LIFO
    the latest.
    """
    if issuing == "FEFO":
        if isinstance(place, ConstantTemperature):
            rates = place.rates
            return lambda lot: rates[lot.product] * lot.updated_h - lot.consumed
        return _chamber_order(place)  # one environment per product index
    if issuing == "LIFO":
        return lambda lot: -lot.arrived_h
    return lambda lot: lot.arrived_h


def _chamber_order(
    place: Sequence[ConstantTemperature | RepeatingProfile],
) -> Callable[[Lot], float]:
    """FEFO key for a store whose products age at setpoints or along a profile."""
    rates: list[float] = []
    rooms: list[RepeatingProfile | None] = []
    for product, environment in enumerate(place):
        if isinstance(environment, ConstantTemperature):
            rates.append(environment.rates[product])
            rooms.append(None)
        elif environment.tables[product].is_flat:
            rates.append(environment.tables[product].first_rate)
            rooms.append(None)
        else:
            rates.append(0.0)
            rooms.append(environment)
    if not any(rooms):
        return lambda lot: rates[lot.product] * lot.updated_h - lot.consumed

    def key(lot: Lot) -> float:
        room = rooms[lot.product]
        if room is None:
            return rates[lot.product] * lot.updated_h - lot.consumed
        return room.integral(lot.product, lot.updated_h) - lot.consumed

    return key


arrival_order: Callable[[Lot], float] = operator.attrgetter("arrived_h")
"""Sort key of arrival order (earliest first)."""


def consumed_now_order(now: float) -> Callable[[Lot], float]:
    """FEFO order of lots held at different temperatures: largest consumed fraction now."""
    return lambda lot: -lot.consumed - lot.environment.consumed(lot.product, lot.updated_h, now)
