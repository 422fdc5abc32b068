"""The Shanghai end: the direct-sale store, and the seller that books every market's sales.

Order streams are in :mod:`.orders`.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import simpy

from fieldtotable.model.context import Context, Seed, stream
from fieldtotable.model.ledger import SaleTables
from fieldtotable.model.lot import MARKET, Lot
from fieldtotable.model.shop_sales import ShopSales
from fieldtotable.model.storage import Storage, issue_order_key
from fieldtotable.model.store_demand import DemandDraws, expected_daily_kg, slot_midpoints
from fieldtotable.model.thermal import ConstantTemperature
from fieldtotable.scenario.schema import (
    FreshnessStep,
    Markdown,
    Market,
    OrderUpTo,
    Product,
    Store,
)

if TYPE_CHECKING:
    from fieldtotable.model.kinds import BuildSetup


class Seller:
    """Books sales: price, markdown and remaining shelf life of each lot piece sold.

    Parameters
    ----------
    context
        Shared run state.
    market_id
        Id of the market (in the flow log).
    prices, markdowns
        Price (CNY/kg) and markdown rule per product index.
    display
        Environment (or one per product index) whose temperature defines the
        remaining shelf life at sale.
    freshness
        The market's price by freshness (steps of the labelled remaining fraction);
        none by default.
    """

    def __init__(
        self,
        context: Context,
        market_id: str,
        prices: Sequence[float],
        markdowns: Sequence[Markdown | None],
        display: ConstantTemperature | Sequence[ConstantTemperature],
        freshness: Sequence[FreshnessStep] = (),
    ) -> None:
        self.context = context
        self.ledger = context.ledger
        self.env = context.env
        self.market_id = market_id
        self.sale_tables: SaleTables | None = None
        self.prices = prices
        self.markdowns = markdowns
        self.display_rates = (
            display.rates
            if isinstance(display, ConstantTemperature)
            else [environment.rates[p] for p, environment in enumerate(display)]
        )
        self.freshness_bounds = [step.remaining_at_least for step in freshness]
        self.freshness_factors = [1.0, *(step.factor for step in freshness)]

    @classmethod
    def for_market(
        cls,
        context: Context,
        market_id: str,
        config: Market,
        products: Mapping[str, Product],
        display: ConstantTemperature | Sequence[ConstantTemperature],
    ) -> Self:
        """Make the seller of a market: its prices, the products' markdowns, its freshness prices.

        Parameters
        ----------
        context
            Shared run state.
        market_id, config
            The market's id and scenario entry.
        products
            The scenario's products, in product index order.
        display
            Where the remaining shelf life at sale is measured (see the class).

        Returns
        -------
        Seller
            The market's seller.
        """
        return cls(
            context,
            market_id,
            market_prices(config, products),
            [product.markdown for product in products.values()],
            display,
            config.freshness_prices,
        )

    def quote(self, lot: Lot) -> tuple[float, bool]:
        """Return the price per kg of ``lot`` now, and whether it is marked down.

        The rule of :meth:`sell` (the market's price, the product's markdown, the
        freshness factor of the labelled remaining fraction), for a sale booked later
        at the price of now: a parcel is paid when it is ordered.
        """
        product = lot.product
        price = self.prices[product]
        markdown = self.markdowns[product]
        labelled = lot.remaining_fraction()
        marked_down = markdown is not None and labelled < markdown.below_remaining_fraction
        if marked_down and markdown is not None:
            price *= 1.0 - markdown.discount
        if self.freshness_bounds:
            price *= self.freshness_factors[bisect.bisect_right(self.freshness_bounds, labelled)]
        return price, marked_down

    def sell(self, lot: Lot, kg: float, time_h: float | None = None) -> None:
        """Sell ``kg`` of ``lot`` at ``time_h`` (default: now; the lot is up to date then)."""
        product = lot.product
        price = self.prices[product]
        markdown = self.markdowns[product]
        # lot.remaining_fraction(), inlined, and max(1 - consumed, 0) without the call.
        labelled = 0.0 if lot.consumed > 1.0 else 1.0 - lot.consumed
        marked_down = markdown is not None and labelled < markdown.below_remaining_fraction
        if marked_down and markdown is not None:
            price *= 1.0 - markdown.discount
        if self.freshness_bounds:
            price *= self.freshness_factors[bisect.bisect_right(self.freshness_bounds, labelled)]
        remaining = lot.limit - lot.consumed
        tables = self.sale_tables
        if tables is None:  # on the first sale, as Ledger.sell() creates them
            tables = self.sale_tables = self.ledger.sale_tables(self.market_id)
        self.ledger.sell_piece(
            self.env.now if time_h is None else time_h, product, kg, kg * price,
            remaining / self.display_rates[product] / 24.0, remaining / lot.limit,
            marked_down, labelled, tables, self.market_id, lot.id,
        )  # fmt: skip


def market_prices(config: Market, products: Mapping[str, Product]) -> list[float]:
    """Return a market's price of each product (index order), CNY/kg, before markdowns.

    Parameters
    ----------
    config
        The market's scenario entry (its ``prices_cny_per_kg``).
    products
        The scenario's products (their ``price_cny_per_kg``).

    Returns
    -------
    list of float
        The market's own price where it has one, else the product's.
    """
    own = config.prices_cny_per_kg
    return [own.get(key, product.price_cny_per_kg) for key, product in products.items()]


class StoreProcess(ShopSales):
    """A shop: daily replenishment from its DC, customers in opening hours.

    Customers of a product arrive as a Poisson process over the opening hours (the
    day's count is drawn, then spread over the hours by a multinomial draw, which is
    the same process). Each hour's customers are served at the middle of the hour
    from shelf stock in the issuing order; what the shelf cannot supply is lost. The
    shop wakes only at slots with customers or with expired stock to clear (see
    :mod:`.store_demand`), so a shop with few customers costs few events.

    Parameters
    ----------
    context
        Shared run state.
    market_id, config
        The store's id and scenario entry.
    supplier
        The DC's storage.
    product_index
        Product id to index.
    seller
        Books the sales.
    scale
        The scenario's supply and demand scale.
    seed
        The replication's seed.
    """

    holds_stock = True  # places and stores keep a daily stock series

    def __init__(
        self,
        context: Context,
        market_id: str,
        config: Store,
        supplier: Storage,
        product_index: dict[str, int],
        seller: Seller,
        scale: float,
        seed: Seed,
    ) -> None:
        self.context = context
        self.market_id = market_id
        self.node_id = market_id
        self.config = config
        self.supplier = supplier
        self.seller = seller
        self.scale = scale
        self.chiller_for = context.held_at(config.setpoint_c, config.class_setpoints_c)
        products = len(context.kinetics)
        self.shelf: list[list[Lot]] = [[] for _ in range(products)]
        self.shelf_kg = [0.0] * products
        self.in_transit_kg = [0.0] * products
        self.peak_shelf_kg = 0.0
        self.next_expiry_h = float("inf")
        """Earliest expiry on the shelf: no inspection is needed before it."""
        self.sort_key = issue_order_key(config.issuing, self.chiller_for)
        opening, closing = config.open_hours
        edges = [opening, *range(math.floor(opening) + 1, math.ceil(closing)), closing]
        self.slots = [(a, b) for a, b in itertools.pairwise(edges) if b > a]
        weights = np.asarray([b - a for a, b in self.slots])
        self.slot_shares = weights / weights.sum()
        self.demands = [
            (product_index[product_id], expected_daily_kg(demand, scale))
            for product_id, demand in config.demand.items()
        ]
        """Per product with demand: its index and expected kg a day in each month."""
        self.demand_draws = [
            DemandDraws(
                product_index[product_id],
                demand,
                stream(seed, "market", market_id, product_id),
                scale=scale,
                calendar=context.calendar,
                slot_shares=self.slot_shares,
                opening_h=opening,
                horizon_h=context.horizon_h,
                path=f"markets.{market_id}.demand.{product_id}",
                block_days=self.demand_block_days,
            )
            for product_id, demand in config.demand.items()
        ]
        self.slot_midpoints = slot_midpoints(self.slots)
        self.wake_h = float("inf")
        """When the sales process wakes next (event schemes: a delivery may need a timer)."""
        self._start_sales()
        context.env.process(self._replenish())

    @classmethod
    def build(cls, node_id: str, config: Store, setup: BuildSetup) -> Self:
        """Build a store supplied by its place (see :class:`~.kinds.NodeProcess`)."""
        context, scenario = setup.context, setup.scenario
        display = context.held_at(config.setpoint_c, config.class_setpoints_c)
        seller = Seller.for_market(context, node_id, config, scenario.products, display)
        supplier = setup.places[config.supplied_by].storage
        return cls(
            context, node_id, config, supplier, setup.product_index, seller, scenario.scale,
            setup.seed,
        )  # fmt: skip

    def stats(self) -> dict[str, float]:
        """Return the peak kg on the shelves and the shelf capacity."""
        return {
            "peak_shelf_kg": self.peak_shelf_kg,
            "shelf_capacity_kg": self.config.shelf_capacity_kg,
        }

    def end_of_day(self) -> float:
        """Return the kg on the shelf and on the way to it (expiry is checked at sales)."""
        self.catch_up(self.context.env.now)
        return self.held_kg

    # -- replenishment ------------------------------------------------------------
    def _order_quantities(self, month: int) -> dict[int, float]:
        replenishment = self.config.replenishment
        wanted: dict[int, float] = {}
        for product, expected in self.demands:
            on_hand = self.shelf_kg[product] + self.in_transit_kg[product]
            if isinstance(replenishment, OrderUpTo):
                target = replenishment.target_days_of_demand * expected[month - 1]
                wanted[product] = max(target - on_hand, 0.0)
            else:
                levels = replenishment.levels[self.context.ledger.products[product]]
                s_kg, big_s_kg = levels.s_kg * self.scale, levels.S_kg * self.scale
                wanted[product] = big_s_kg - on_hand if on_hand <= s_kg else 0.0
        room = self.config.shelf_capacity_kg - sum(self.shelf_kg) - sum(self.in_transit_kg)
        total = sum(wanted.values())
        if total > room and total > 0:  # room can be a hair below 0 on a full shelf
            share = max(room, 0.0) / total
            wanted = {product: kg * share for product, kg in wanted.items()}
        return wanted

    def _replenish(self) -> Generator[simpy.Event, Any, None]:
        context = self.context
        env = context.env
        replenishment = self.config.replenishment
        day = 0
        while True:
            at = day * 24 + replenishment.at_hour
            if at >= context.horizon_h:
                return
            yield env.timeout(at - env.now)
            self.catch_up(env.now)
            self._remove_expired(env.now)
            delivered: list[Lot] = []  # one van for every product: one event
            for product, kg in self._order_quantities(context.calendar.month[day]).items():
                lots = self.supplier.take(product, kg, self.config.issuing)
                for lot in lots:
                    # The van runs at shop temperature.
                    lot.place(
                        self.chiller_for[product], env.now, MARKET, self.market_id, "delivery_van"
                    )
                    self.in_transit_kg[product] += lot.kg
                delivered += lots
            if delivered:
                delivery = env.timeout(replenishment.lead_time_h)
                delivery.callbacks.append(functools.partial(self._receive, delivered))
            day += 1

    def _receive(self, lots: list[Lot], _event: simpy.Event) -> None:
        context = self.context
        now = context.env.now
        self.catch_up(now)
        for lot in lots:
            self.in_transit_kg[lot.product] -= lot.kg
            if context.spoil_if_expired(lot, self.market_id):
                continue
            lot.place(self.chiller_for[lot.product], now, MARKET, self.market_id, "on_shelf")
            context.ledger.deliver(
                now, lot.product, lot.kg, now - lot.harvested_h, self.market_id, lot.id
            )
            self.shelf[lot.product].append(lot)
            self.shelf_kg[lot.product] += lot.kg
            self.peak_shelf_kg = max(self.peak_shelf_kg, sum(self.shelf_kg))
            self.next_expiry_h = min(self.next_expiry_h, lot.expires_at_h)
            if lot.expires_at_h < self.wake_h and not self.catching_up:
                self._clear_at_slot(lot.expires_at_h)

    @property
    def held_kg(self) -> float:
        """Kg on the shelf and on the way to it."""
        # A float start: with the default int 0 the sum's type is int | float, and
        # the compiled build (mypyc) raised a TypeError on it here.
        return sum(self.shelf_kg, 0.0) + sum(self.in_transit_kg, 0.0)
