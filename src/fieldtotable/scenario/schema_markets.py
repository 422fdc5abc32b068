"""The ``markets`` section: stores (replenishment, walk-in demand) and order markets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, Strict, ValidationInfo, field_validator, model_validator

from fieldtotable.scenario.limits import (
    MAX_DAYS,
    MAX_PRICE_CNY_PER_KG,
    MAX_TARGET_DAYS,
    MIN_ORDER_EVERY_DAYS,
)
from fieldtotable.scenario.schema_money import (
    Capital,
    CnyPerYear,
    FreshnessStep,
    check_freshness_steps,
)
from fieldtotable.scenario.schema_parcel import ParcelDelivery
from fieldtotable.scenario.schema_types import (
    _ONES_7,
    _ONES_12,
    Frozen,
    HourOfDay,
    Hours,
    IssuingPolicy,
    Kg,
    Location,
    MonthlyFactors,
    NonNegativeDistribution,
    NonNegativeKg,
    TemperatureC,
    TemperatureClass,
    WeekdayFactors,
)


class OrderUpTo(Frozen):
    """Daily order raising shelf stock to ``target_days_of_demand`` of expected demand."""

    policy: Literal["order_up_to"]
    """``order_up_to``: order up to some days of expected demand."""
    at_hour: HourOfDay = 6.0
    """Hour of the day, h, of the daily order."""
    target_days_of_demand: Annotated[
        float, Strict(), Field(gt=0, le=MAX_TARGET_DAYS, allow_inf_nan=False)
    ]
    """Days of demand, d (at most 366): each order raises shelf stock plus stock on its way to this
    many days of the month's expected daily demand (customers x kg per customer x
    mean weekday factor x season x ``scale``)."""
    lead_time_h: Hours = 1.0
    """Hours from picking at the supplying hub to arrival on the shelf, h (at most
    8784); the goods are held at the store's setpoints on the way."""


class ReorderLevels(Frozen):
    """(s, S) levels of one product."""

    s_kg: NonNegativeKg
    """Reorder point, kg (multiplied by ``scale``; at most 1e12): an order is placed when shelf
    stock plus stock on its way is at or below it."""
    S_kg: Kg
    """Order-up-to level, kg (multiplied by ``scale``; at most 1e12), above ``s_kg``: the order
    raises shelf stock plus stock on its way to it."""

    @model_validator(mode="after")
    def _check(self) -> ReorderLevels:
        if self.s_kg >= self.S_kg:
            raise ValueError(f"s_kg ({self.s_kg}) must be < S_kg ({self.S_kg})")
        return self


class ReorderPoint(Frozen):
    """Daily review: when stock is at or below ``s_kg``, order up to ``S_kg``."""

    policy: Literal["s_S"]
    """``s_S``: order up to ``S_kg`` when stock falls to ``s_kg``."""
    at_hour: HourOfDay = 6.0
    """Hour of the day, h, of the daily review."""
    levels: dict[str, ReorderLevels] = Field(min_length=1)
    """Product id -> its (s, S) levels; every product in the store's ``demand``
    needs an entry."""
    lead_time_h: Hours = 1.0
    """Hours from picking at the supplying hub to arrival on the shelf, h (at most
    8784); the goods are held at the store's setpoints on the way."""


Replenishment = Annotated[OrderUpTo | ReorderPoint, Field(discriminator="policy")]

MarketPrice = Annotated[float, Strict(), Field(gt=0, le=MAX_PRICE_CNY_PER_KG, allow_inf_nan=False)]
"""A sale price, CNY/kg: > 0 and at most 1e6."""


class MarketMoney(Frozen):
    """What every market kind has of money: its prices, fixed cost, price by freshness."""

    prices_cny_per_kg: dict[str, MarketPrice] = Field(default_factory=dict)
    """Product id -> the price this market pays, CNY/kg (> 0, at most 1e6), before any
    markdown; products not listed sell at their ``price_cny_per_kg``."""
    fixed_cny_per_year: CnyPerYear = 0.0
    """Fixed cost (rent, staff, energy of the shop; sales staff, platform fees),
    CNY/year (0 to 1e12), pro rata over the measured days (``fixed_cost_cny``). 0 by
    default."""
    freshness_prices: tuple[FreshnessStep, ...] = ()
    """Price by freshness: steps of the labelled remaining fraction of shelf life
    (``remaining_at_least`` increasing) with a price factor each; a sale uses the factor
    of the last step whose bound it reaches (1 below the first), on top of any
    markdown. None by default."""

    @field_validator("freshness_prices")
    @classmethod
    def _steps_increase(cls, value: tuple[FreshnessStep, ...]) -> tuple[FreshnessStep, ...]:
        return check_freshness_steps(value)


class StoreDemand(Frozen):
    """Walk-in demand for one product at a store."""

    customers_per_day: NonNegativeDistribution
    """Customers per day wanting the product at weekday and season factor 1 and
    ``scale`` 1 (a distribution, drawn once a day). A Poisson count is scaled
    exactly; any other draw is multiplied by the factors and rounded at random to a
    whole number. The day's customers arrive at random over the opening hours. At the
    peak (mean x largest weekday factor x largest season factor x ``scale``) at most
    1e6 customers a day."""
    kg_per_customer: NonNegativeDistribution
    """Kg each customer wants (a distribution, drawn per customer); what the shelf
    cannot supply is lost (``lost_sales_kg``)."""
    weekday_factors: WeekdayFactors = _ONES_7
    """Seven factors, Monday to Sunday (dimensionless, 0 to 1000), multiplying the
    day's customers."""
    season: MonthlyFactors = _ONES_12
    """Twelve monthly factors, January to December (dimensionless, 0 to 1000),
    multiplying the day's customers."""


class Store(MarketMoney):
    """A shop with opening hours, shelf stock and walk-in customers."""

    kind: Literal["store"]
    """``store``: a shop with walk-in customers."""
    region: str
    """Climate region (a key of ``climate``). Checked, but not used by the model: the
    store holds its stock at its setpoints."""
    location: Location | None = None
    """Position on a map (``{lon: .., lat: ..}``, degrees), used by the network map
    figure only; no effect on the simulation. Nodes without one are laid out
    automatically."""
    supplied_by: str
    """The hub (a key of ``hubs``) that replenishes the store."""
    open_hours: tuple[HourOfDay, Annotated[float, Strict(), Field(gt=0, le=24)]] = (9.0, 21.0)
    """Opening and closing hour of the day, h, opening first. Customers arrive over
    these hours and are served at the middle of each clock hour (or part of one)."""
    setpoint_c: TemperatureC
    """Shelf temperature, °C, for products whose temperature class has no entry in
    ``class_setpoints_c``; the remaining shelf life at sale is measured at it."""
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class, °C (e.g.
    ``frozen: -18``); products of a class not listed are held at ``setpoint_c``."""
    shelf_capacity_kg: Kg
    """Shelf capacity, kg (not multiplied by ``scale``; at most 1e12): shelf stock plus stock on
    its way may not exceed it; replenishment orders that would are cut in
    proportion."""
    issuing: IssuingPolicy = "FEFO"
    """Order in which stock is sold from the shelf and picked at the supplying hub:
    ``FEFO`` (the lot with the largest consumed fraction of its nominal shelf life
    first), ``FIFO`` (earliest arrival first) or ``LIFO`` (latest arrival first)."""
    replenishment: Replenishment
    """Daily replenishment from the supplying hub: up to some days of demand
    (``policy: order_up_to``) or by (s, S) levels (``policy: s_S``). What the hub
    lacks is not backordered: the next day's order starts afresh."""
    demand: dict[str, StoreDemand] = Field(min_length=1)
    """Product id -> walk-in demand for that product; at least one."""
    shelf_capital: Capital | None = None
    """Price and life of the shop's counters and fittings per kg of
    ``shelf_capacity_kg`` (``capital_cost_cny``). No capital when omitted."""

    def demand_by_product(self) -> tuple[str, Mapping[str, StoreDemand]]:
        """Return the field that holds the store's demand and its products' entries.

        Returns
        -------
        tuple of (str, mapping)
            ``("demand", self.demand)``.
        """
        return "demand", self.demand

    # Field validators, not a model validator, so that a problem is reported at the
    # field's own line rather than at the market's.
    @field_validator("open_hours")
    @classmethod
    def _opening_before_closing(cls, value: tuple[float, float]) -> tuple[float, float]:
        if value[0] >= value[1]:
            raise ValueError(f"opening must be before closing (got {value[0]:g} to {value[1]:g})")
        return value

    @field_validator("demand")
    @classmethod
    def _levels_for_every_product(
        cls, demand: dict[str, StoreDemand], info: ValidationInfo
    ) -> dict[str, StoreDemand]:
        replenishment = info.data.get("replenishment")
        if isinstance(replenishment, ReorderPoint):
            missing = sorted(set(demand) - set(replenishment.levels))
            if missing:
                raise ValueError(f"replenishment.levels has no entry for {', '.join(missing)}")
        return demand


class OrderStream(Frozen):
    """Recurring orders of one product (institutional buyers, online shop)."""

    every_days: Annotated[
        float, Strict(), Field(ge=MIN_ORDER_EVERY_DAYS, le=MAX_DAYS, allow_inf_nan=False)
    ]
    """Days between orders, d (may be fractional): from 0.04 (about an hour) to
    3660."""
    kg: NonNegativeDistribution
    """Kg per order at season factor 1 and ``scale`` 1 (a distribution, drawn per
    order; normal draws are clipped at 0). What the hub's stock cannot fill at once
    is lost (``lost_sales_kg``)."""
    at_hour: HourOfDay = 10.0
    """Hour of the day, h, of the first order; later orders follow every
    ``every_days``."""
    first_day: Annotated[float, Strict(), Field(ge=0, le=MAX_DAYS, allow_inf_nan=False)] = 0.0
    """Day of the first order, days after ``start_date`` (may be fractional; at most
    3660)."""
    season: MonthlyFactors = _ONES_12
    """Twelve monthly factors, January to December (dimensionless, 0 to 1000),
    multiplying each order's kg."""


class EventOrder(Frozen):
    """A one-off order on a given date: an expo, a festival, a banquet.

    At ``at_hour`` of ``date`` the market asks its supplying hub for ``kg`` of each
    product (times the scenario's ``scale``), filled at once from stock like any order
    (by parcel if the market delivers by parcel); what the stock cannot fill is lost.
    Its demand and lost kg also count in ``event_demand_kg`` and
    ``event_lost_sales_kg``.
    """

    name: Annotated[str, Field(min_length=1, max_length=100)]
    """What the event is (shown nowhere but in the scenario; for the reader)."""
    date: dt.date
    """Day of the order (YYYY-MM-DD), within the horizon."""
    at_hour: HourOfDay = 10.0
    """Hour of the day of the order, h."""
    kg: dict[str, Kg] = Field(min_length=1)
    """Product id -> kg ordered at ``scale`` 1."""


class Orders(MarketMoney):
    """Order-driven demand filled from the supplying hub's stock."""

    kind: Literal["orders"]
    """``orders``: recurring orders (institutional buyers, online shop)."""
    region: str | None = None
    """Climate region (a key of ``climate``), optional. Checked when given, but not
    used by the model."""
    location: Location | None = None
    """Position on a map (``{lon: .., lat: ..}``, degrees), used by the network map
    figure only; no effect on the simulation. Nodes without one are laid out
    automatically."""
    supplied_by: str
    """The hub (a key of ``hubs``) whose stock fills the orders; the remaining shelf
    life at sale is measured at that hub's setpoints."""
    issuing: IssuingPolicy = "FEFO"
    """Order in which lots are picked at the hub: ``FEFO`` (the lot with the largest
    consumed fraction of its nominal shelf life first), ``FIFO`` (earliest arrival
    first) or ``LIFO`` (latest arrival first)."""
    orders: dict[str, OrderStream] = Field(min_length=1)
    """Product id -> order stream of that product; at least one."""
    events: tuple[EventOrder, ...] = ()
    """One-off orders on given dates (expos, festivals), besides the streams; none by
    default. Their products must be ones that reach the supplying hub (sold by a market
    it supplies)."""
    delivery: ParcelDelivery | None = None
    """Delivery of each order to the customer's door by a parcel cold chain (courier
    time, passive box, prices); without it an order is handed over at the supplying
    hub. Spoiled parcels are refunded."""
    passing_stock: bool = False
    """Take the orders from the stock passing through the supplying hub on its way on
    (direct procurement at origin): the hub stays a waypoint, routing sends the rest of
    each product on to the markets beyond it, and orders are served first from what is
    in its store when they come. ``false`` (the default): the supplying hub is the last
    stop of the products the market buys."""

    def demand_by_product(self) -> tuple[str, Mapping[str, OrderStream]]:
        """Return the field that holds the market's demand and its products' entries.

        Returns
        -------
        tuple of (str, mapping)
            ``("orders", self.orders)``.
        """
        return "orders", self.orders


Market = Annotated[Store | Orders, Field(discriminator="kind")]
