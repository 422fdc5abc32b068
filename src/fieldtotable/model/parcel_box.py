"""The thermal environment of a lot in a courier's passive box (one per parcel).

A box is packed at one moment and delivered at another; in between, its inside holds
the packing temperature while the ice lasts and then relaxes toward the outdoor air
(:mod:`fieldtotable.kinetics.passive_box`, which integrates the shelf life used up
exactly under the Q10 law and to a stated tolerance under the Arrhenius law). It offers
the interface of :mod:`~fieldtotable.model.thermal`'s environments.
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldtotable.kinetics import Kinetics
from fieldtotable.kinetics.passive_box import PassiveBox

__all__ = ["ParcelBox"]

#: Clock-time resolution of the moment a parcel's contents run out of shelf life, h.
EXPIRY_TOLERANCE_H = 1e-9


class ParcelBox:
    """One parcel's box, from packing to the customer's door.

    Parameters
    ----------
    box
        Packing and outdoor temperatures, time constant, ice hold.
    packed_h
        Clock time of packing, h.
    delivered_h
        Clock time of delivery, h (the lots leave the box then).
    kinetics
        One entry per product index.
    """

    __slots__ = ("box", "delivered_h", "kinetics", "packed_h")

    def __init__(
        self, box: PassiveBox, packed_h: float, delivered_h: float, kinetics: Sequence[Kinetics]
    ) -> None:
        self.box = box
        self.packed_h = packed_h
        self.delivered_h = delivered_h
        self.kinetics = kinetics

    def _since_packing(self, product: int, time_h: float) -> float:
        return self.box.consumed(self.kinetics[product], max(time_h - self.packed_h, 0.0))

    def consumed(self, product: int, start_h: float, end_h: float) -> float:
        """Fraction of shelf life consumed between two clock times."""
        if end_h <= start_h:
            return 0.0
        if start_h <= self.packed_h:  # the usual case: from packing on, one evaluation
            return self._since_packing(product, end_h)
        return self._since_packing(product, end_h) - self._since_packing(product, start_h)

    def time_to_consume(self, product: int, start_h: float, amount: float) -> float:
        """Clock time at which ``amount`` more of the shelf life is consumed.

        Solved for within the trip (``brentq`` to :data:`EXPIRY_TOLERANCE_H`); a lot
        that lasts the trip gets a time after delivery, extrapolated at the outdoor
        temperature (it leaves the box at delivery, so only "after" matters).
        """
        if amount <= 0:
            return start_h
        on_trip = self.consumed(product, start_h, self.delivered_h)
        if on_trip < amount:
            rate = self.kinetics[product].rate_per_h_scalar(self.box.outdoor_temp_c)
            return self.delivered_h + max((amount - on_trip) / rate, EXPIRY_TOLERANCE_H)
        if self.delivered_h - start_h <= EXPIRY_TOLERANCE_H:
            return self.delivered_h
        from scipy.optimize import brentq  # noqa: PLC0415 -- scipy.optimize takes ~0.3 s to import

        found: float = brentq(
            lambda time_h: self.consumed(product, start_h, time_h) - amount,
            start_h,
            self.delivered_h,
            xtol=EXPIRY_TOLERANCE_H,
            rtol=8.9e-16,
        )
        return min(found, self.delivered_h)

    def temperature_at(self, time_h: float) -> float:
        """Temperature inside the box at a clock time, °C."""
        return self.box.temperature_c(time_h - self.packed_h)

    @property
    def outdoor_temp_c(self) -> float:
        """Temperature of the air around the box, °C."""
        return self.box.outdoor_temp_c

    def __repr__(self) -> str:
        return (
            f"ParcelBox(packed_h={self.packed_h:g}, delivered_h={self.delivered_h:g}, "
            f"box={self.box!r})"
        )
