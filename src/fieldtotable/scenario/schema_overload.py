"""What a full store does, and in which order a node serves its lots.

Every collection point and hub has an ``overload`` policy, discriminated on
``policy`` like a leg's dispatch policy:

``wait_ambient``
    What does not fit waits outside at the region's air temperature and enters, first
    come first served, as space frees.
``refuse_upstream``
    The node accepts only what fits. Legs into it load only what it can take (its
    free capacity less the kg already on their way to it), so goods stay upstream in
    cold storage; at a collection point the producers' deliveries that do not fit
    are refused, and the producers keep them (sold locally at the product's
    ``local_price_cny_per_kg``, or lost).
``overflow``
    What does not fit in the node's own store goes to a rented overflow cold store
    with its own capacity, setpoint, rent and extra handling; when that is full too,
    ``then`` applies (``wait_ambient`` or ``refuse_upstream``).

and a ``priority``, discriminated on ``order``: the lots the pre-coolers take next
and the lots loaded onto vehicles first are the earliest arrivals (``arrival``, the
default), those with the least remaining shelf life (``least_shelf_life``), or those
of the products listed first (``products``).

The older ``on_full: wait | refuse`` still loads (:func:`overload_from_on_full`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, Strict

from fieldtotable.scenario.limits import MAX_OVERFLOW_RENT_CNY_PER_KG_DAY
from fieldtotable.scenario.schema_money import CnyPerKg
from fieldtotable.scenario.schema_types import Frozen, Hours, Kg, TemperatureC

__all__ = [
    "ArrivalPriority",
    "LeastShelfLifePriority",
    "Overflow",
    "Overload",
    "Priority",
    "ProductPriority",
    "RefuseUpstream",
    "WaitAmbient",
    "overload_from_on_full",
]

RentPerKgDay = Annotated[
    float, Strict(), Field(ge=0, le=MAX_OVERFLOW_RENT_CNY_PER_KG_DAY, allow_inf_nan=False)
]
"""Rent of stored goods, CNY per kg and day: 0 to 1e4."""


class WaitAmbient(Frozen):
    """Lots that do not fit wait outside, first come first served."""

    policy: Literal["wait_ambient"]
    """``wait_ambient``: what does not fit waits outside at the region's air
    temperature and enters, first come first served, as space frees (a lot that
    partly fits is split). Nothing is refused."""


class RefuseUpstream(Frozen):
    """The node accepts only what fits; the rest stays upstream."""

    policy: Literal["refuse_upstream"]
    """``refuse_upstream``: the node stops accepting when full."""
    back_pressure: bool = True
    """``true`` (the default): legs into the node load only what it can take (free
    capacity less the kg already on their way to it), so goods stay upstream in cold
    storage; at a collection point the part of a producer's delivery that does not fit
    is refused at the gate (before grading) and the producer keeps it (sold locally at
    the product's ``local_price_cny_per_kg``, else lost); the channel does not pay for
    it. ``false``: what arrives and does not fit is turned away whole at the door and
    lost (``refused_kg``, paid for): the behaviour of the deprecated ``on_full:
    refuse``."""


class Overflow(Frozen):
    """A rented overflow cold store takes what does not fit; when it is full, ``then``."""

    policy: Literal["overflow"]
    """``overflow``: rent an overflow cold store."""
    capacity_kg: Kg
    """Capacity of the overflow store, kg (> 0, at most 1e12)."""
    setpoint_c: TemperatureC
    """Temperature of the overflow store, °C, for every product (-60 to 60)."""
    rent_cny_per_kg_day: RentPerKgDay = 0.0
    """Rent, CNY per kg held and day (0 to 1e4; a pallet of ~500 kg at 2-3 CNY a day is
    about 0.005), charged on the kg-days held there (``storage_cost_cny``). The
    overflow store's price includes its energy. 0 by default."""
    handling_cny_per_kg: CnyPerKg = 0.0
    """Extra handling, CNY per kg moved into the overflow store (0 to 1e6; shuttle,
    put-away): ``handling_cost_cny``, on top of the node's own handling. 0 by
    default."""
    handling_h: Hours = 0.0
    """Hours a lot spends being moved into the overflow store, h (0 to 8784), at the
    region's air temperature; it can be loaded onto a vehicle only after that. 0 by
    default."""
    then: Literal["wait_ambient", "refuse_upstream"] = "wait_ambient"
    """What happens when the overflow store is full too: ``wait_ambient`` (the rest
    waits outside and enters the node's store or the overflow store, whichever frees
    space first) or ``refuse_upstream`` (back pressure on the node's store and the
    overflow store together; at a collection point producers keep what does not fit;
    the refusals are booked under the reason ``overflow_full``)."""


Overload = Annotated[WaitAmbient | RefuseUpstream | Overflow, Field(discriminator="policy")]
"""A node's overload policy, discriminated on ``policy``."""


class ArrivalPriority(Frozen):
    """Earliest arrival first."""

    order: Literal["arrival"]
    """``arrival``: the pre-coolers take the lots in the order they arrived; vehicles
    load the lots that arrived in the store earliest."""


class LeastShelfLifePriority(Frozen):
    """The lot with the least remaining shelf life first."""

    order: Literal["least_shelf_life"]
    """``least_shelf_life``: the pre-coolers take, and vehicles load first, the lot
    with the fewest hours of nominal (labelled) shelf life left if it were held at the
    node's cold-room setpoint for its product: ``(1 - consumed) x SL(setpoint)``.
    Comparable across products (a matsutake lot 3 days from expiry goes before honey
    with two years left); ties go to the earliest arrival."""


class ProductPriority(Frozen):
    """Products in a stated order."""

    order: Literal["products"]
    """``products``: the pre-coolers take, and vehicles load first, lots of the
    product listed first in ``products``; products not listed come after the listed
    ones; within a product, earliest arrival first."""
    products: tuple[str, ...] = Field(min_length=1)
    """Product ids (keys of ``products``), most urgent first; each at most once."""


Priority = Annotated[
    ArrivalPriority | LeastShelfLifePriority | ProductPriority, Field(discriminator="order")
]
"""In which order a node's pre-coolers and departing vehicles serve its lots."""

_ON_FULL: dict[str, dict[str, object]] = {
    "wait": {"policy": "wait_ambient"},
    "refuse": {"policy": "refuse_upstream", "back_pressure": False},
}


def overload_from_on_full(data: Any) -> Any:
    """Map a node's deprecated ``on_full`` to the ``overload`` it means (a before-validator).

    ``on_full: wait`` is ``overload: {policy: wait_ambient}``; ``on_full: refuse`` is
    ``overload: {policy: refuse_upstream, back_pressure: false}`` (turned away whole
    at the door, as before). An unknown ``on_full`` is left for the field to report.

    Parameters
    ----------
    data
        The node's entry as read from the file.

    Returns
    -------
    Any
        The entry with ``overload`` set from ``on_full`` (and ``on_full`` cleared).

    Raises
    ------
    ValueError
        If the entry gives both ``on_full`` and ``overload``.
    """
    if not isinstance(data, Mapping) or data.get("on_full") is None:
        return data
    on_full = data["on_full"]
    if not isinstance(on_full, str) or on_full not in _ON_FULL:
        return data
    if data.get("overload") is not None:
        raise ValueError("give overload, or the deprecated on_full, not both")
    return {**data, "on_full": None, "overload": _ON_FULL[on_full].copy()}
