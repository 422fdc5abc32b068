"""What a KPI's computation sees of a run: its sums over the measured days.

The registry (:mod:`fieldtotable.results.fields`) computes every KPI from a
:class:`MeasuredRun`, once over all products and, for per-product KPIs, once per
product. The sums are those of the ledger's daily tables after ``warmup_days``; the
kg in the system at the end of the warm-up come from the days before it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["MeasuredRun"]


class MeasuredRun:
    """A run's sums over its measured days, for all products or for one.

    Parameters
    ----------
    sums
        The ledger's tables (:meth:`~fieldtotable.model.ledger.Ledger.arrays`) cut to
        the measured days: per-product quantities (product x day), ``spoiled`` and
        ``damaged`` (stage x product x day) and ``leg_<quantity>`` (leg x day).
    in_system_by_product
        Kg still in the system at the end, per product index.
    index
        The product index, or ``slice(None)`` for all products.
    days
        Measured days.
    kpis
        The KPIs computed so far for this view (filled in as the registry goes).
    warmup
        The same tables as ``sums`` cut to the warm-up days (``None``: no warm-up).
    money
        Each cost line's CNY per product index over the measured days
        (:attr:`fieldtotable.model.money.Money.by_product`).
    """

    def __init__(
        self,
        sums: Mapping[str, np.ndarray],
        in_system_by_product: np.ndarray,
        index: int | slice,
        days: int,
        kpis: Mapping[str, float],
        warmup: Mapping[str, np.ndarray] | None = None,
        money: Mapping[str, Sequence[float]] | None = None,
    ) -> None:
        self._sums = sums
        self._in_system = in_system_by_product
        self._index = index
        self.days = days
        """Measured days (the horizon less the warm-up)."""
        self._kpis = kpis
        self._warmup = warmup
        self._money = money or {}

    @property
    def is_channel(self) -> bool:
        """Whether this view is of all products (``False``: of one product)."""
        return isinstance(self._index, slice)

    def money(self, line: str) -> float:
        """Return a cost line over the measured days, for this product or all of them.

        Parameters
        ----------
        line
            A cost line of :data:`fieldtotable.model.money.COST_LINES`,
            ``spoilage_loss_cny`` or ``damage_loss_cny``.

        Returns
        -------
        float
            CNY: the product's amount, or the sum over products in product order
            (so that the products' amounts add up to it exactly); 0 for a run
            without money data.
        """
        values = self._money.get(line)
        if values is None:
            return 0.0
        if isinstance(self._index, slice):
            return float(sum(values))
        return float(values[self._index])

    def total(self, quantity: str) -> float:
        """Return a ledger quantity summed over the measured days (and the products).

        Parameters
        ----------
        quantity
            A per-product daily quantity of the ledger
            (:data:`~fieldtotable.model.ledger.DAILY_QUANTITIES`: ``sold``,
            ``demand``, ``remaining_shelf_life_kg_d``, ...).

        Returns
        -------
        float
            The sum.
        """
        return float(np.sum(self._sums[quantity][self._index]))

    def spoiled(self) -> float:
        """Return the kg spoiled over the measured days, every stage.

        Returns
        -------
        float
            Kg spoiled.
        """
        return float(np.sum(self._sums["spoiled"][:, self._index]))

    def damaged(self) -> float:
        """Return the kg damaged over the measured days (handling, weight loss), every stage.

        Returns
        -------
        float
            Kg damaged.
        """
        return float(np.sum(self._sums["damaged"][:, self._index]))

    def in_system(self) -> float:
        """Return the kg still in the system at the end of the horizon.

        Returns
        -------
        float
            Kg of live lots at the end.
        """
        return float(np.sum(self._in_system[self._index]))

    def in_system_at_warmup_end(self) -> float:
        """Return the kg in the system at the end of the warm-up, as the ledger dates flows.

        Harvested minus rejected, refused, damaged, spoiled and sold over the warm-up days,
        each flow counted on the day it happened (a lot found spoiled after the
        warm-up whose shelf life ran out during it counts as spoiled during the
        warm-up, and so not in the system at its end). With it the measured days
        balance: ``in_system_at_warmup_end + harvested = rejected + refused +
        damaged + spoiled + sold + in_system_end``, each measured after the warm-up.

        Returns
        -------
        float
            Kg; 0 without a warm-up.
        """
        if self._warmup is None:
            return 0.0
        index = self._index
        warmup = self._warmup
        harvested = float(np.sum(warmup["harvested"][index]))
        removed = (
            float(np.sum(warmup["rejected"][index]))
            + float(np.sum(warmup["refused"][index]))
            + float(np.sum(warmup["damaged"][:, index]))
            + float(np.sum(warmup["spoiled"][:, index]))
            + float(np.sum(warmup["sold"][index]))
        )
        return harvested - removed

    def legs(self, quantity: str) -> float:
        """Return a leg quantity summed over every leg and the measured days.

        Parameters
        ----------
        quantity
            ``trips``, ``kg_carried``, ``tonne_km``, ``cost_cny``, ``co2_kg`` or ``rerouted_kg``
            (:data:`~fieldtotable.model.ledger.LEG_QUANTITIES`).

        Returns
        -------
        float
            The sum (legs are not split by product).
        """
        return float(self._sums[f"leg_{quantity}"].sum())

    def kpi(self, key: str) -> float:
        """Return a KPI registered, and so computed, before the one being computed.

        Parameters
        ----------
        key
            The KPI's key.

        Returns
        -------
        float
            Its value in this view (all products, or this product).
        """
        return self._kpis[key]
