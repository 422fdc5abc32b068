"""Order streams: recurring orders filled straight from the supplying hub's stock."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Self

import simpy

from fieldtotable.model.context import Context, Seed, stream
from fieldtotable.model.market import Seller
from fieldtotable.model.parcel import ParcelCourier
from fieldtotable.model.storage import EPSILON_KG, Storage
from fieldtotable.scenario.distributions import make_block_sampler
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
        for event in config.events:
            day = (event.date - context.calendar.start_date).days
            wanted = {product_index[p]: kg * scale for p, kg in event.kg.items()}
            context.env.process(self._event(day * 24 + event.at_hour, wanted))
        for product_id, order in config.orders.items():
            # The stream draws only the order sizes: drawn in blocks, the same numbers.
            rng = stream(seed, "market", market_id, product_id)
            orders = OrderStreamTask(
                self,
                product_index[product_id],
                make_block_sampler(order.kg, rng),
                order.first_day * 24 + order.at_hour,
                order.every_days * 24,
                tuple(factor * scale for factor in order.season),
            )
            context.timetable.start(orders.next_h, orders)

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

    def _event(self, at_h: float, wanted: dict[int, float]) -> Generator[simpy.Event, Any, None]:
        """Place a one-off order (``events``) at ``at_h``; count it apart too."""
        context = self.context
        if at_h >= context.horizon_h:
            return
        yield context.env.timeout(at_h - context.env.now)
        ledger = context.ledger
        for product, kg in wanted.items():
            unmet = self._fill(product, kg)
            ledger.add("event_demand", context.env.now, product, kg)
            if unmet > 0:
                ledger.add("event_lost_sales", context.env.now, product, unmet)

    def _fill(self, product: int, wanted: float) -> float:
        """Fill an order of ``wanted`` kg from the hub's stock now; return the kg unmet (lost)."""
        context = self.context
        env = context.env
        ledger = context.ledger
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
            return wanted - sold
        return 0.0


class OrderStreamTask:
    """One recurring order stream of an :class:`OrdersProcess` (a :class:`~.timetable.Task`).

    Parameters
    ----------
    orders
        The market that fills the orders.
    product
        The product's index.
    kg
        Draws an order's kg at season factor 1.
    first_h, every_h
        The first order's time and the hours between orders.
    season
        The month factors, times the scenario's scale.
    """

    def __init__(
        self,
        orders: OrdersProcess,
        product: int,
        kg: Callable[[], float],
        first_h: float,
        every_h: float,
        season: tuple[float, ...],
    ) -> None:
        self.orders = orders
        self.product = product
        self.kg = kg
        self.next_h = first_h
        self.every_h = every_h
        self.season = season

    def __call__(self, now: float) -> float:
        """Place the order due at ``now``; return the next one's time."""
        orders = self.orders
        wanted = self.kg() * self.season[orders.context.calendar.month_at(now) - 1]
        self.next_h += self.every_h
        if wanted > 0:
            orders._fill(self.product, wanted)
        return self.next_h
