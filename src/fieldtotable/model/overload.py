"""What a full store does (its overload policy) and in which order it serves its lots.

:class:`OverloadRules` turns a node's ``overload`` entry (or the older ``on_full``
words) into the few flags the storage consults; :class:`OverflowStore` is the
state of a rented overflow cold store; :func:`priority_key` orders lots for the
pre-coolers and for loading vehicles (see :mod:`fieldtotable.scenario.schema_overload`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fieldtotable.model.lot import Lot
from fieldtotable.model.thermal import ConstantTemperature
from fieldtotable.scenario.schema_overload import (
    LeastShelfLifePriority,
    Overflow,
    Overload,
    Priority,
    ProductPriority,
    RefuseUpstream,
    WaitAmbient,
)

if TYPE_CHECKING:
    from fieldtotable.model.context import Context
    from fieldtotable.scenario.schema import CollectionPoint, Hub

__all__ = [
    "OverflowStore",
    "OverloadRules",
    "PriorityKey",
    "node_priority",
    "priority_key",
]

#: A lot's place in a priority order at a clock time: smaller goes first.
PriorityKey = Callable[[Lot, float], tuple[float, ...]]

_OLD_WORDS: dict[str, Overload] = {
    "wait": WaitAmbient(policy="wait_ambient"),
    "refuse": RefuseUpstream(policy="refuse_upstream", back_pressure=False),
}


@dataclass(frozen=True)
class OverloadRules:
    """What a storage does with a lot that does not fit, as flags.

    Attributes
    ----------
    refuse_at_door
        A lot that arrives and does not fit (nor in the overflow store) is turned away.
    whole_lot
        Turned away whole, even the part that would fit (the old ``on_full: refuse``).
    back_pressure
        Legs into the node load only what it can take; a collection point refuses at
        its gate what does not fit (the producers keep it).
    reason
        The reason refusals are booked under (``store_full``, ``overflow_full``).
    overflow
        The rented overflow store's settings, if any.
    """

    refuse_at_door: bool
    whole_lot: bool
    back_pressure: bool
    reason: str
    overflow: Overflow | None

    @classmethod
    def of(cls, overload: Overload | str) -> OverloadRules:
        """Return the rules of a node's ``overload`` (or of ``"wait"`` / ``"refuse"``).

        Parameters
        ----------
        overload
            The node's ``overload`` entry, or one of the older ``on_full`` words.

        Returns
        -------
        OverloadRules
            The flags the storage consults.
        """
        if isinstance(overload, str):
            overload = _OLD_WORDS[overload]
        if isinstance(overload, WaitAmbient):
            return cls(False, False, False, "store_full", None)
        if isinstance(overload, RefuseUpstream):
            pressure = overload.back_pressure
            return cls(True, not pressure, pressure, "store_full", None)
        refuse = overload.then == "refuse_upstream"
        return cls(refuse, False, refuse, "overflow_full", overload)


class OverflowStore:
    """The state of a rented overflow cold store attached to a node's storage.

    Parameters
    ----------
    settings
        The node's ``overload`` entry (``policy: overflow``).
    environment
        The store's temperature, as an environment.
    products
        Number of products.
    """

    def __init__(self, settings: Overflow, environment: ConstantTemperature, products: int) -> None:
        self.capacity_kg = settings.capacity_kg
        self.handling_h = settings.handling_h
        self.environment = environment
        self.occupied_kg = 0.0
        """Kg in the store or being moved into it (their space is taken)."""
        self.peak_occupied_kg = 0.0
        self.moved_in_kg = 0.0
        """Kg moved into the store over the whole horizon."""
        self.stock_kg = [0.0] * products
        """Kg of each product in the store (part of the storage's ``stock_kg``)."""
        self.lot_ids: set[int] = set()
        """Ids of the storage's stock lots that are in the overflow store."""
        self.moving: dict[int, Lot] = {}
        """Lots being moved into the store, by id."""
        self.held_kg_h = [0.0] * products
        self.received_kg = [0.0] * products

    @property
    def free_kg(self) -> float:
        """Kg of space left in the store."""
        return max(self.capacity_kg - self.occupied_kg, 0.0)

    def take_space(self, kg: float) -> None:
        """Occupy ``kg`` of space."""
        self.occupied_kg += kg
        self.peak_occupied_kg = max(self.peak_occupied_kg, self.occupied_kg)


def _remaining_hours(setpoint: Sequence[ConstantTemperature]) -> PriorityKey:
    """Order by the labelled hours left if held at the node's setpoint, then arrival."""

    def key(lot: Lot, now: float) -> tuple[float, ...]:
        consumed = lot.consumed
        if now > lot.updated_h:
            consumed += lot.environment.consumed(lot.product, lot.updated_h, now)
        hours = (1.0 - consumed) / setpoint[lot.product].rates[lot.product]
        return (hours, lot.arrived_h, float(lot.id))

    return key


def priority_key(
    priority: Priority | None,
    product_ids: Sequence[str],
    setpoint: Sequence[ConstantTemperature],
) -> PriorityKey | None:
    """Return the order of a node's ``priority``, or ``None`` for arrival order.

    Parameters
    ----------
    priority
        The node's ``priority`` entry (``None``: arrival order).
    product_ids
        Product ids in index order.
    setpoint
        The node's cold-room environment of each product index (where the remaining
        shelf life is measured).

    Returns
    -------
    PriorityKey or None
        ``key(lot, now)``: smaller goes first; ``None`` keeps arrival order.
    """
    if isinstance(priority, LeastShelfLifePriority):
        return _remaining_hours(setpoint)
    if isinstance(priority, ProductPriority):
        rank = {product: index for index, product in enumerate(priority.products)}
        ranks = [float(rank.get(product, len(rank))) for product in product_ids]
        return lambda lot, _now: (ranks[lot.product], lot.arrived_h, float(lot.id))
    return None


def node_priority(
    config: CollectionPoint | Hub, context: Context, product_index: Mapping[str, int]
) -> PriorityKey | None:
    """Return the priority order of a collection point's or hub's lots (``None``: arrival).

    Parameters
    ----------
    config
        The node's scenario entry (its ``priority``, setpoints).
    context
        Shared run state.
    product_index
        Product id to index.

    Returns
    -------
    PriorityKey or None
        See :func:`priority_key`.
    """
    return priority_key(
        config.priority,
        list(product_index),
        context.held_at(config.setpoint_c, config.class_setpoints_c)[: len(product_index)],
    )
