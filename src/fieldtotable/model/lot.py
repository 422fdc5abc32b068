"""The lot: one product from one source, harvested together, tracked as a whole."""

from __future__ import annotations

from typing import Protocol

from fieldtotable.model.thermal import ThermalEnvironment

#: Stages to which spoilage is attributed (DESIGN.md section 5).
STAGES = ("collection", "transit", "hub", "market")
COLLECTION, TRANSIT, HUB, MARKET = range(4)


class Shrinkage(Protocol):
    """A product's weight loss as a lot sees it (:class:`~.handling.Shrinkage`)."""

    def settle(self, lot: Lot, time_h: float) -> float:
        """Take the weight lost since the last settlement off the lot's kg; return the kg."""
        ...

    def settle_spoiled(self, lot: Lot, time_h: float) -> float:
        """Book the weight a spoiled lot lost before it spoiled; return the kg."""
        ...


class Lot:
    """A quantity of one product that moves and ages together.

    The quality state is the consumed fraction of shelf life, ``consumed``, valid at
    clock time ``updated_h`` in environment ``environment``. It is brought forward
    only when the lot changes place (:meth:`place`) or is inspected (:meth:`advance`),
    never by a timer. The lot is spoiled once ``consumed >= limit``, where ``limit``
    is the lot's sampled shelf-life variability factor (1.0 for a nominal lot).

    Attributes
    ----------
    expires_at_h
        Clock time at which the lot spoils if it stays where it is.
    arrived_h
        Clock time at which the lot entered its current place (FIFO/LIFO order).
    stage
        Index into :data:`STAGES` of the stage the lot is in.
    node
        Id of the node, leg or market the lot is at (where a loss is booked).
    activity
        What happens to the lot there (``cold_store``, ``waiting_outside``,
        ``in_transit`` ...): the reason a spoilage is booked under
        (:data:`~fieldtotable.model.ledger.LOSS_FATES`).
    shrinkage
        The product's weight loss (``None``: it loses none), settled by :meth:`place`.
    weighed
        The consumed fraction at which the weight loss was last settled.
    """

    __slots__ = (
        "activity",
        "arrived_h",
        "consumed",
        "environment",
        "expires_at_h",
        "harvested_h",
        "id",
        "kg",
        "limit",
        "node",
        "product",
        "shrinkage",
        "source",
        "stage",
        "updated_h",
        "weighed",
    )

    def __init__(
        self,
        lot_id: int,
        product: int,
        source: int,
        kg: float,
        limit: float,
        environment: ThermalEnvironment,
        time_h: float,
        stage: int,
        node: str = "",
        activity: str = "",
        shrinkage: Shrinkage | None = None,
        expires_at_h: float | None = None,
    ) -> None:
        self.id = lot_id
        self.product = product
        self.source = source
        self.kg = kg
        self.limit = limit
        self.consumed = 0.0
        self.environment = environment
        self.updated_h = time_h
        self.harvested_h = time_h
        self.arrived_h = time_h
        self.stage = stage
        self.node = node
        self.activity = activity
        self.shrinkage = shrinkage
        self.weighed = 0.0
        self.expires_at_h = (
            environment.time_to_consume(product, time_h, limit)
            if expires_at_h is None
            else expires_at_h
        )

    def advance(self, time_h: float) -> None:
        """Bring the quality state forward to ``time_h`` in the current environment.

        The kg stay as they are (a store counting them must not see them change): the
        weight lost is settled when the lot moves, is picked or sold, or spoils.
        """
        if time_h > self.updated_h:
            self.consumed += self.environment.consumed(self.product, self.updated_h, time_h)
            self.updated_h = time_h

    def settle_weight(self, time_h: float) -> None:
        """Bring a lot that loses weight up to ``time_h`` and take the weight lost off its kg.

        For a place that is about to count the lot's kg (and split it to fit): the kg
        then do not change when it is placed. Lots of products without weight loss are
        left as they are.
        """
        if self.shrinkage is not None:
            self.advance(time_h)
            self.shrinkage.settle(self, time_h)

    def place(
        self,
        environment: ThermalEnvironment,
        time_h: float,
        stage: int,
        node: str | None = None,
        activity: str | None = None,
    ) -> None:
        """Move the lot into ``environment`` at ``time_h`` (settling the time before).

        A lot that ran out of shelf life before the move keeps the stage, node,
        activity and the time at which that happened, so its spoilage is booked
        where it occurred. ``node`` and ``activity`` left out keep their values. The
        weight lost where the lot was is settled (booked there) before it moves.
        """
        if time_h > self.updated_h:  # advance(), inlined: the hottest call of a run
            self.consumed += self.environment.consumed(self.product, self.updated_h, time_h)
            self.updated_h = time_h
        if self.shrinkage is not None:
            self.shrinkage.settle(self, time_h)
        self.environment = environment
        self.arrived_h = time_h
        if self.consumed >= self.limit:
            return
        self.stage = stage
        if node is not None:
            self.node = node
        if activity is not None:
            self.activity = activity
        self.expires_at_h = environment.time_to_consume(
            self.product, time_h, self.limit - self.consumed
        )

    def add_exposure(self, environment: ThermalEnvironment, start_h: float, end_h: float) -> None:
        """Replace ``[start_h, end_h]`` of the current environment by ``environment``.

        Used for events inside a stretch already accounted for, such as a reefer
        failure during a trip: the interval is aged at the other environment instead.
        """
        self.consumed += environment.consumed(self.product, start_h, end_h)
        self.consumed -= self.environment.consumed(self.product, start_h, end_h)
        self.expires_at_h = self.environment.time_to_consume(
            self.product, self.updated_h, self.limit - self.consumed
        )

    @property
    def is_spoiled(self) -> bool:
        """True once the consumed fraction has reached the lot's limit."""
        return self.consumed >= self.limit

    def remaining_fraction(self) -> float:
        """Nominal remaining fraction of shelf life, as a date label would show it."""
        return max(1.0 - self.consumed, 0.0)

    def take(self, kg: float, new_id: int) -> Lot:
        """Split off ``kg`` as a new lot with the same quality state and history."""
        part = Lot(
            new_id, self.product, self.source, kg, self.limit, self.environment,
            self.updated_h, self.stage, self.node, self.activity, self.shrinkage,
            expires_at_h=self.expires_at_h,
        )  # fmt: skip
        part.consumed = self.consumed
        part.harvested_h = self.harvested_h
        part.arrived_h = self.arrived_h
        part.weighed = self.weighed
        self.kg -= kg
        return part

    def __repr__(self) -> str:
        return (
            f"Lot(id={self.id}, product={self.product}, kg={self.kg:.3f}, "
            f"consumed={self.consumed:.4f}, limit={self.limit:.3f}, stage={STAGES[self.stage]})"
        )
