"""Order streams: recurring orders filled straight from the supplying hub's stock."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Self

import simpy

from fieldtotable.model.context import Context, Seed, stream
from fieldtotable.model.market import Seller
from fieldtotable.model.parcel import ParcelCourier
from fieldtotable.model.storage import EPSILON_KG, Storage
from fieldtotable.scenario.distributions import make_sampler
from fieldtotable.scenario.schema import Orders

if TYPE_CHECKING:
    from fieldtotable.model.kinds import BuildSetup

__all__ = ["OrdersProcess"]


class OrdersProcess:
    """Recurring orders filled from the supplying hub's stock; the unmet part is lost.

    Parameters
    ----------
    context
        Shared run state.
    market_id, config
        The market's id and scenario entry.
    supplier
        The supplying hub's storage.
    product_index
        Product id to index.
    seller
        Books the sales.
    scale
        The scenario's supply and demand scale.
    seed
        The replication's seed.
    """

    holds_stock = False  # no stock of its own: no daily stock series

    def __init__(
        self,
        context: Context,
        market_id: str,
        config: Orders,
        supplier: Storage,
        product_index: dict[str, int],
        seller: Seller,
        scale: float,
        seed: Seed,
    ) -> None:
        self.context = context
        self.market_id = market_id
        self.node_id = market_id
        self.supplier = supplier
        self.seller = seller
        self.issuing = config.issuing
        self.courier: ParcelCourier | None = None
        """Delivers the orders in parcels (``delivery``); ``None``: handed over at the hub."""
        for product_id, order in config.orders.items():
            rng = stream(seed, "market", market_id, product_id)
            context.env.process(
                self._stream(
                    product_index[product_id],
                    make_sampler(order.kg, rng),
                    order.first_day * 24 + order.at_hour,
                    order.every_days * 24,
                    tuple(factor * scale for factor in order.season),
                )
            )

    @classmethod
    def build(cls, node_id: str, config: Orders, setup: BuildSetup) -> Self:
        """Build an order market supplied by its place (see :class:`~.kinds.NodeProcess`)."""
        context, scenario = setup.context, setup.scenario
        supplier = setup.places[config.supplied_by].storage
        delivery = config.delivery
        # Shelf life left at sale: at the hub, or at the customer's refrigerator.
        display = (
            supplier.cold_for if delivery is None else context.at_temperature(delivery.home_temp_c)
        )
        seller = Seller.for_market(context, node_id, config, scenario.products, display)
        process = cls(
            context, node_id, config, supplier, setup.product_index, seller, scenario.scale,
            setup.seed,
        )  # fmt: skip
        if delivery is not None:
            region = delivery.outdoor_region or config.region
            assert region is not None  # the network check requires one
            process.courier = ParcelCourier(
                context, node_id, delivery, seller, supplier.cold_for,
                scenario.climate[region].monthly_mean_c, list(scenario.products), setup.seed,
            )  # fmt: skip
        return process

    def stats(self) -> dict[str, float]:
        """Return nothing beyond the market's sales (orders hold no stock)."""
        return {}

    def end_of_day(self) -> None:
        """Do nothing: orders are filled straight from the supplier's stock."""

    def _stream(
        self,
        product: int,
        kg: Callable[[], float],
        first_h: float,
        every_h: float,
        season: tuple[float, ...],
    ) -> Generator[simpy.Event, Any, None]:
        context = self.context
        env = context.env
        ledger = context.ledger
        at = first_h
        while at < context.horizon_h:
            yield env.timeout(at - env.now)
            wanted = kg() * season[context.calendar.month_at(env.now) - 1]
            at += every_h
            if wanted <= 0:
                continue
            ledger.demand(env.now, product, wanted, self.market_id)
            sold = 0.0
            lots = self.supplier.take(product, wanted, self.issuing)
            if self.courier is not None:
                sold = self.courier.ship(product, lots)
                lots = []
            for lot in lots:
                ledger.deliver(
                    env.now, product, lot.kg, env.now - lot.harvested_h, self.market_id, lot.id
                )
                self.seller.sell(lot, lot.kg)
                sold += lot.kg
                context.remove(lot)
            if wanted - sold > EPSILON_KG:
                ledger.lost_sale(env.now, product, wanted - sold, self.market_id)
