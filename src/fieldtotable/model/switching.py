"""Capacity-aware routing: a product moves to another leg while its usual leg is backed up.

Routing (:mod:`.routing`) fixes, month by month, which leg carries each product onward
from each node. A route switch (``routing.switches``) lets an alternative leg from the
same node take the product as well while the usual leg's backlog -- the kg waiting for
it divided by the kg per hour it can carry away -- is above a threshold. The rule is
evaluated when the alternative leg dispatches and when the product arrives at the node,
never by a timer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from fieldtotable.scenario.schema import FullOrTimeoutDispatch, Leg

if TYPE_CHECKING:
    from fieldtotable.model.context import Context


class SwitchedLeg(Protocol):
    """What a rule needs of a leg (:class:`~fieldtotable.model.transport.LegProcess`)."""

    clearing_rate_kg_per_h: float
    min_load_kg: float | None

    def routed_products_now(self) -> tuple[int, ...]:
        """Products routed over the leg from its origin this month (switches aside)."""

    def cargo_arrived(self, product: int) -> None:
        """React to cargo for the leg admitted at its origin."""


class WaitingStock(Protocol):
    """What a rule needs of the origin's storage (:class:`~fieldtotable.model.storage.Storage`)."""

    def kg_of(self, products: Iterable[int]) -> float:
        """Kg in stock of ``products``."""


def clearing_rate_kg_per_h(leg: Leg) -> float:
    """Kg per hour a leg can carry away from its origin at most.

    Its fleet's vehicles, full, once per round trip of twice the expected transit time
    plus loading; a scheduled leg also no more than one full vehicle per departure.

    Parameters
    ----------
    leg
        The leg's scenario entry.

    Returns
    -------
    float
        The rate in kg/h (> 0).
    """
    round_trip_h = 2 * leg.transit_time_h.expected + leg.loading_h
    rate = leg.fleet * leg.vehicle_capacity_kg / max(round_trip_h, 1e-9)
    if not isinstance(leg.dispatch, FullOrTimeoutDispatch):
        departures_per_h = len(leg.dispatch.departures_h) / 24
        rate = min(rate, departures_per_h * leg.vehicle_capacity_kg)
    return rate


class RouteSwitchRule:
    """One ``routing.switches`` entry, live in a run.

    Parameters
    ----------
    context
        Shared run state (for the clock and calendar).
    product
        The product's index.
    origin
        The storage the product waits in (the alternative leg's origin).
    usual_by_month
        Month -> the leg that carries the product onward from the origin that month
        (absent: none does).
    backlog_over_h
        The threshold of the usual leg's backlog, hours.
    alternative
        The leg that takes the product while the rule is on.
    """

    def __init__(
        self,
        context: Context,
        product: int,
        origin: WaitingStock,
        usual_by_month: Mapping[int, SwitchedLeg],
        backlog_over_h: float,
        alternative: SwitchedLeg,
    ) -> None:
        self.context = context
        self.product = product
        self.origin = origin
        self.usual_by_month = dict(usual_by_month)
        self.backlog_over_h = backlog_over_h
        self.alternative = alternative

    def backlog_h(self) -> float:
        """Return the usual leg's backlog now: kg waiting for it / its clearing rate (h).

        The kg waiting are those of the products routed over it, not of any switched
        onto it: two legs that are each other's alternative then do not ask each other
        in turn.
        """
        context = self.context
        usual = self.usual_by_month.get(context.calendar.month_at(context.env.now))
        if usual is None:
            return 0.0
        return self.origin.kg_of(usual.routed_products_now()) / usual.clearing_rate_kg_per_h

    def active(self) -> bool:
        """Tell whether the alternative leg takes the product now."""
        return self.backlog_h() > self.backlog_over_h
