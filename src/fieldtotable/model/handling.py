"""Handling losses: kg destroyed when lots are handled, and weight lost as they age.

Both are booked as the fate ``damaged`` (:data:`~fieldtotable.model.ledger.LOSS_FATES`),
never as spoilage: the kg leave the channel, the rest of the lot goes on.

Breakage
    At each handling event -- loading onto a leg's vehicle, unloading at a hub's dock,
    picking from a store for a shop or an order -- a product's lot loses the share of
    its kg that the product's ``breakage`` gives for that event. The share is the
    expected one, not drawn: a lot is many eggs, and the model's granularity is the lot.

Weight loss (drip, moisture)
    A lot's kg shrink at a rate proportional to their own size, ``dm/dt = -k(T) m``,
    whose temperature dependence is the product's shelf-life law: ``k(T) / k(T_w) =
    SL(T_w) / SL(T)``. Then the kg left after any stretch depend only on the nominal
    shelf life ``consumed`` over it, whatever the temperature history::

        m_after = m_before * exp(-exponent * consumed),
        exponent = -ln(1 - per_day) * SL(T_w)  (SL in days)

    which is ``(1 - per_day) ** days`` at the weight loss's temperature ``T_w``. It is
    exact for any piecewise-constant history (the exponent sums over the pieces), and
    costs nothing per hour: the loss is settled from the lot's consumed fraction when
    the lot changes place (:meth:`~fieldtotable.model.lot.Lot.place`), is picked from
    a store, is sold from a shelf, spoils, or is still in the channel when the run
    ends. Settling more or less often gives the same kg (the factors multiply), and a
    split lot's parts shrink as the whole would have. Weight loss stops when the lot's
    shelf life runs out (what is left is spoiled).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from fieldtotable.kinetics import Kinetics

if TYPE_CHECKING:
    from fieldtotable.model.ledger import Ledger
    from fieldtotable.model.lot import Lot
    from fieldtotable.scenario.schema import Product

__all__ = [
    "BREAKAGE_LOADING",
    "BREAKAGE_PICKING",
    "BREAKAGE_UNLOADING",
    "WEIGHT_LOSS",
    "Handling",
    "Shrinkage",
    "weight_loss_exponent",
]

#: The reasons under which handling losses are booked (:attr:`Ledger.losses`).
BREAKAGE_LOADING = "breakage_loading"
BREAKAGE_UNLOADING = "breakage_unloading"
BREAKAGE_PICKING = "breakage_picking"
WEIGHT_LOSS = "weight_loss"


def weight_loss_exponent(per_day: float, temp_c: float, kinetics: Kinetics) -> float:
    """Return the exponent of a product's weight loss per unit of shelf life consumed.

    Parameters
    ----------
    per_day
        Share of the kg lost per day at ``temp_c`` (0 to < 1).
    temp_c
        The temperature at which ``per_day`` holds, °C.
    kinetics
        The product's shelf-life kinetics.

    Returns
    -------
    float
        ``-ln(1 - per_day) * SL(temp_c)`` with the shelf life in days: a lot that uses
        up the fraction ``c`` of its nominal shelf life keeps ``exp(-exponent * c)`` of
        its kg.
    """
    shelf_life_days = 1.0 / (24.0 * kinetics.rate_per_h_scalar(temp_c))
    return -math.log1p(-per_day) * shelf_life_days


class Shrinkage:
    """The weight loss of one product's lots, and the ledger it is booked in.

    Parameters
    ----------
    exponent
        See :func:`weight_loss_exponent` (> 0).
    ledger
        Where the kg lost are booked (fate ``damaged``, reason ``weight_loss``).
    """

    __slots__ = ("exponent", "ledger")

    def __init__(self, exponent: float, ledger: Ledger) -> None:
        self.exponent = exponent
        self.ledger = ledger

    def _lost(self, lot: Lot) -> float:
        """Return the kg lost since the lot was last weighed; mark it weighed now."""
        # Weight loss stops where the shelf life runs out: the rest is spoiled.
        consumed = lot.consumed if lot.consumed < lot.limit else lot.limit
        used = consumed - lot.weighed
        if used <= 0.0:
            return 0.0
        lot.weighed = consumed
        return lot.kg * -math.expm1(-self.exponent * used)

    def settle(self, lot: Lot, time_h: float) -> float:
        """Take the weight lost since the last settlement off the lot's kg and book it.

        It is booked at ``time_h`` to the stage and node the lot is at (where it lost
        the weight: callers settle before a lot changes place).

        Parameters
        ----------
        lot
            A lot of this product, brought up to date.
        time_h
            Clock time of the settlement.

        Returns
        -------
        float
            Kg lost (the lot's kg went down by as much).
        """
        # self._lost(lot), inlined: this runs on every move of a lot that loses weight.
        consumed = lot.consumed if lot.consumed < lot.limit else lot.limit
        used = consumed - lot.weighed
        if used <= 0.0:
            return 0.0
        lot.weighed = consumed
        lost = lot.kg * -math.expm1(-self.exponent * used)
        if lost > 0.0:
            lot.kg -= lost
            self.ledger.damage(time_h, lot.stage, lot.node, WEIGHT_LOSS, lot.product, lost, lot.id)
        return lost

    def settle_spoiled(self, lot: Lot, time_h: float) -> float:
        """Book the weight a spoiled lot lost before it spoiled, leaving its kg as they are.

        The store that held the lot still counts its kg, and takes them off when it
        removes the lot; the caller books the rest as spoiled.

        Parameters
        ----------
        lot
            A lot of this product whose shelf life ran out.
        time_h
            Clock time of the spoilage.

        Returns
        -------
        float
            Kg lost by weight loss (the spoiled kg are ``lot.kg`` less these).
        """
        lost = self._lost(lot)
        if lost > 0.0:
            self.ledger.damage(time_h, lot.stage, lot.node, WEIGHT_LOSS, lot.product, lost, lot.id)
        return lost


class Handling:
    """Every product's breakage at each handling event and its weight loss.

    Parameters
    ----------
    ledger
        Where the kg destroyed are booked.
    loading, unloading, picking
        Share of the kg destroyed by one event, per product index.
    shrinkage
        Weight loss per product index (``None``: the product loses no weight).
    """

    def __init__(
        self,
        ledger: Ledger,
        loading: Sequence[float],
        unloading: Sequence[float],
        picking: Sequence[float],
        shrinkage: Sequence[Shrinkage | None],
    ) -> None:
        self.ledger = ledger
        self.loading = list(loading)
        self.unloading = list(unloading)
        self.picking = list(picking)
        self.shrinkage = list(shrinkage)
        # Each event's hook does nothing at all when no product breaks there.
        self.breaks_loading = any(loading)
        self.breaks_unloading = any(unloading)
        self.changes_picked = any(picking) or any(s is not None for s in shrinkage)

    @classmethod
    def none(cls, ledger: Ledger, products: int) -> Handling:
        """Return the handling of a channel without handling losses."""
        zeros = [0.0] * products
        return cls(ledger, zeros, zeros, zeros, [None] * products)

    @classmethod
    def for_products(
        cls, ledger: Ledger, products: Sequence[Product], kinetics: Sequence[Kinetics]
    ) -> Handling:
        """Return the handling losses of a scenario's products (in product index order).

        Parameters
        ----------
        ledger
            Where the kg destroyed are booked.
        products
            The scenario's products.
        kinetics
            Their shelf-life kinetics, same order.
        """
        shrinkage: list[Shrinkage | None] = []
        for product, kinetic in zip(products, kinetics, strict=True):
            law = product.weight_loss
            if law is None or law.per_day == 0.0:
                shrinkage.append(None)
                continue
            temp_c = product.ref_temp_c if law.temp_c is None else law.temp_c
            shrinkage.append(Shrinkage(weight_loss_exponent(law.per_day, temp_c, kinetic), ledger))
        return cls(
            ledger,
            [product.breakage.loading for product in products],
            [product.breakage.unloading for product in products],
            [product.breakage.picking for product in products],
            shrinkage,
        )

    def _break(self, lot: Lot, fraction: float, reason: str, time_h: float) -> None:
        broken = lot.kg * fraction
        lot.kg -= broken
        self.ledger.damage(time_h, lot.stage, lot.node, reason, lot.product, broken, lot.id)

    def load(self, lot: Lot, time_h: float) -> None:
        """Break the share of ``lot`` that loading destroys (the lot is at the leg)."""
        if self.breaks_loading:
            fraction = self.loading[lot.product]
            if fraction:
                self._break(lot, fraction, BREAKAGE_LOADING, time_h)

    def unload(self, lot: Lot, time_h: float) -> None:
        """Break the share of ``lot`` that unloading destroys (the lot is on the dock)."""
        if self.breaks_unloading:
            fraction = self.unloading[lot.product]
            if fraction:
                self._break(lot, fraction, BREAKAGE_UNLOADING, time_h)

    def pick(self, lots: Iterable[Lot], time_h: float) -> None:
        """Settle the weight lost in store and break what picking destroys.

        The lots have just left the store they were picked from and are still booked
        to it (its stage and node), where both losses happened.
        """
        if not self.changes_picked:
            return
        picking = self.picking
        for lot in lots:
            shrinkage = lot.shrinkage
            if shrinkage is not None:
                shrinkage.settle(lot, time_h)
            fraction = picking[lot.product]
            if fraction:
                self._break(lot, fraction, BREAKAGE_PICKING, time_h)
