"""Money of a finished run: each cost line per product, and the P&L of each market.

The ledger records activity (kg harvested per source, kg received and kg-hours held
per place, kg loaded per leg, kg and value sold per market, all by product and day);
this module prices it with the scenario's money fields after the run, over the
measured days (after ``warmup_days``), so that the hot loop carries no money.

Cost lines and how each reaches the products (activity-based allocation):

``purchase_cost_cny``
    kg harvested x farm-gate price (the source's, else the product's), less the kg a
    collection point refused at its gate, which the producers keep (``overload:
    {policy: refuse_upstream}``): the channel does not buy them.
``handling_cost_cny``
    kg received into a place's store x its handling cost of the product; plus kg moved
    into a rented overflow store x its extra handling cost.
``packaging_cost_cny``
    kg received into collection points' stores x the product's packaging cost; a
    parcel market's boxes (booked per product as they are packed) to that market.
``storage_cost_cny``
    electricity: kg-days held x the cooling-load law at the chamber's setpoint and
    the region's monthly mean x the region's electricity price, per product; rent
    (per kg of capacity and year) by kg-days held at that place; a rented overflow
    store's rent, kg-days held there x its price per kg and day (which includes its
    energy), per product.
``capital_cost_cny``
    annuity of each capacity, pro rata over the measured days: a cold room or store
    by kg-days held there, pre-cooling units by kg received at the collection point,
    a fleet by kg carried on its leg (kg-km: the leg's distance is fixed), a shop's
    shelves by kg sold there.
``fixed_cost_cny``
    per year, pro rata: a place's by kg received there, a market's by kg sold there.
``transport_cost_cny``
    each leg's trip costs by kg carried on the leg; a parcel market's courier fees
    (booked per product as they are paid) to that market.

An amount whose activity is zero over the measured days (a cold room that held
nothing) goes to the products in proportion to their kg harvested (equally if none
was). Each product's costs then go to the markets in proportion to the kg of it
each sold (a product nobody sold: to the markets by their kg sold of everything,
equally if nothing was sold); a market's own capital and fixed cost go to that
market. So spoiled, unsold and lost kg are paid by the product they belong to and
the markets that sell it. ``spoilage_loss_cny`` values each spoiled kg at the
product's mean variable cost per kg sunk by the stage where it spoiled;
``damage_loss_cny`` values each damaged kg (breakage, weight loss) alike, by the
stage where it was damaged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from fieldtotable.model.lot import STAGES
from fieldtotable.scenario.nodes import markets, places
from fieldtotable.scenario.schema_money import capital_recovery_factor, per_product
from fieldtotable.scenario.schema_overload import Overflow

if TYPE_CHECKING:
    from fieldtotable.model.world import World
    from fieldtotable.scenario.schema import Scenario
    from fieldtotable.scenario.schema_money import Capital

__all__ = ["COST_LINES", "DAYS_PER_YEAR", "Money", "annual_charge", "money"]

COST_LINES = (
    "purchase_cost_cny",
    "handling_cost_cny",
    "storage_cost_cny",
    "packaging_cost_cny",
    "capital_cost_cny",
    "fixed_cost_cny",
    "transport_cost_cny",
)
"""The cost lines, in the order ``total_cost_cny`` adds them."""

DAYS_PER_YEAR = 365.0
"""Days of a year when yearly costs are charged pro rata."""


@dataclass(frozen=True)
class Money:
    """The money of one run over its measured days, as plain data.

    Attributes
    ----------
    by_product
        Per cost line of :data:`COST_LINES`, ``spoilage_loss_cny`` and
        ``overflow_cost_cny`` (the part of the storage and handling lines paid for
        overflow stores), ``damage_loss_cny``, CNY per product index.
    by_market
        Per market id, each cost line of :data:`COST_LINES` (CNY) allocated to it.
    """

    by_product: dict[str, list[float]]
    by_market: dict[str, dict[str, float]]


def _shares(weights: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Return ``weights`` normalised to 1, else ``fallback``'s, else equal shares."""
    for candidate in (weights, fallback):
        total = float(candidate.sum())
        if total > 0:
            return np.asarray(candidate / total)
    return np.full(len(weights), 1.0 / len(weights))


def annual_charge(capital: Capital | None, units: float, rate: float) -> float:
    """Return the yearly charge of ``units`` of a capacity (0 without capital).

    Parameters
    ----------
    capital
        The capacity's purchase price per unit and life, or ``None``.
    units
        Units of capacity (kg of a room, vehicles, pre-cooling units).
    rate
        The discount rate of the annuity.

    Returns
    -------
    float
        ``units x price x capital_recovery_factor(rate, life)``, CNY per year.
    """
    if capital is None:
        return 0.0
    return units * capital.price_cny_per_unit * capital_recovery_factor(rate, capital.life_years)


def _outdoor(scenario: Scenario, days: int) -> dict[str, np.ndarray]:
    """Monthly mean air temperature of each region on each day, °C."""
    months = np.asarray(
        [(scenario.start_date + dt.timedelta(days=d)).month - 1 for d in range(days)]
    )
    return {
        region: np.asarray(climate.monthly_mean_c)[months]
        for region, climate in scenario.climate.items()
    }


class _Book:
    """Cost lines per product (``upstream``) and per market and product (``own``)."""

    def __init__(self, products: int, market_ids: Sequence[str], fallback: np.ndarray) -> None:
        self.upstream = {line: np.zeros(products) for line in COST_LINES}
        self.own = {
            market: {line: np.zeros(products) for line in COST_LINES} for market in market_ids
        }
        self.fallback = fallback
        self.overflow_cost = np.zeros(products)
        """Rent and extra handling of overflow stores per product (inside the lines)."""

    def charge(self, line: str, amount: float, weights: np.ndarray) -> None:
        """Charge ``amount`` to the products by ``weights`` (fallback if all zero)."""
        if amount:
            self.upstream[line] += amount * _shares(weights, self.fallback)

    def charge_market(self, market: str, line: str, amount: float, weights: np.ndarray) -> None:
        """Charge a market's own ``amount`` to its products by ``weights``."""
        if amount:
            self.own[market][line] += amount * _shares(weights, self.fallback)


def money(world: World) -> Money:
    """Price the activity of a finished run (see the module docstring).

    Parameters
    ----------
    world
        A world whose :meth:`~fieldtotable.model.world.World.run` has returned.

    Returns
    -------
    Money
        Every cost line per product and per market, over the measured days.
    """
    scenario, ledger = world.scenario, world.ledger
    days, warmup = scenario.horizon_days, scenario.warmup_days
    measured = slice(warmup, days)
    years = (days - warmup) / DAYS_PER_YEAR
    rate = scenario.finance.discount_rate
    product_ids = list(scenario.products)
    count = len(product_ids)

    def window(table: Sequence[Sequence[float]]) -> np.ndarray:
        values: np.ndarray = np.asarray(table, dtype=float).reshape(count, days)
        return np.asarray(values[:, measured].sum(axis=1))

    harvested = window(ledger.daily["harvested"])
    market_ids = list(markets(scenario))
    book = _Book(count, market_ids, harvested)

    _purchase(scenario, ledger.harvested_by_source, measured, book)
    _purchase(scenario, ledger.kept_by_source, measured, book, sign=-1.0)
    received_at_cps = _places(world, window, measured, years, book)
    for index, leg in enumerate(scenario.legs.values()):
        carried = window(ledger.leg_product_kg[index])
        cost = float(sum(ledger.leg_daily["cost_cny"][index][warmup:]))
        book.charge("transport_cost_cny", cost, carried)
        annual = annual_charge(leg.vehicle_capital, float(leg.fleet), rate)
        book.charge("capital_cost_cny", annual * years, carried)
    packaging = np.asarray([product.packaging_cny_per_kg for product in scenario.products.values()])
    book.upstream["packaging_cost_cny"] += received_at_cps * packaging

    sold_by_market: dict[str, np.ndarray] = {}
    for market_id, (_kind, config) in markets(scenario).items():
        sold = window(ledger.market_product_table(market_id)[0])
        sold_by_market[market_id] = sold
        shelf_kg = getattr(config, "shelf_capacity_kg", 0.0)
        annual = annual_charge(getattr(config, "shelf_capital", None), shelf_kg, rate)
        book.charge_market(market_id, "capital_cost_cny", annual * years, sold)
        book.charge_market(market_id, "fixed_cost_cny", config.fixed_cny_per_year * years, sold)
        # Costs the market paid per product during the run (parcels' courier and box).
        for line, table in ledger.market_costs.get(market_id, {}).items():
            book.own[market_id][line] += window(table)

    by_product = {
        line: (book.upstream[line] + sum(own[line] for own in book.own.values())).tolist()
        for line in COST_LINES
    }
    sunk = _sunk_cost_per_kg(world, window, by_product, harvested, received_at_cps)
    by_product["spoilage_loss_cny"] = _loss(world.ledger.spoiled, warmup, sunk)
    by_product["damage_loss_cny"] = _loss(world.ledger.damaged, warmup, sunk)
    by_product["overflow_cost_cny"] = book.overflow_cost.tolist()
    return Money(by_product, _by_market(book, sold_by_market))


def _purchase(
    scenario: Scenario,
    harvested_by_source: Mapping[tuple[str, int], list[float]],
    measured: slice,
    book: _Book,
    *,
    sign: float = 1.0,
) -> None:
    """Charge kg harvested at each source's farm-gate price (``sign`` -1: credit kg kept)."""
    product_ids = list(scenario.products)
    for (source_id, product), kg_by_day in harvested_by_source.items():
        product_id = product_ids[product]
        supply = scenario.sources[source_id].supply[product_id]
        price = supply.farm_gate_price_cny_per_kg
        if price is None:
            price = scenario.products[product_id].farm_gate_price_cny_per_kg
        book.upstream["purchase_cost_cny"][product] += (
            sign * price * float(sum(kg_by_day[measured]))
        )


def _places(world: World, window: Any, measured: slice, years: float, book: _Book) -> np.ndarray:
    """Charge every place's handling, storage, capital and fixed cost; return kg into CPs."""
    scenario, ledger = world.scenario, world.ledger
    finance = scenario.finance
    product_ids = list(scenario.products)
    count = len(product_ids)
    outdoor = _outdoor(scenario, scenario.horizon_days)
    received_at_cps = np.zeros(count)
    for node_id, (kind, config) in places(scenario).items():
        tables = ledger.place_table(node_id)
        held_kg_h = np.asarray(tables["held_kg_h"], dtype=float).reshape(count, -1)[:, measured]
        held = held_kg_h.sum(axis=1)
        received = window(tables["received_kg"])
        if kind.kind == "collection_point":
            received_at_cps += received
        handling = getattr(config, "handling_cny_per_kg", 0.0)
        book.upstream["handling_cost_cny"] += received * np.asarray(
            [per_product(handling, product_id) for product_id in product_ids]
        )
        # Electricity of the kg-days held, by chamber setpoint and the day's outdoor mean.
        price = finance.electricity_price(config.region)
        if price:
            storage = world.places[node_id].storage
            air = outdoor[config.region][measured].tolist()
            by_setpoint: dict[float, np.ndarray] = {}  # products of one chamber share it
            for product in range(count):
                setpoint = storage.cold_for[product].temp_c
                kwh_per_kg_day = by_setpoint.get(setpoint)
                if kwh_per_kg_day is None:
                    by_air = {t: finance.cooling.kwh_per_kg_day(setpoint, t) for t in set(air)}
                    kwh_per_kg_day = np.asarray([by_air[t] for t in air])
                    by_setpoint[setpoint] = kwh_per_kg_day
                energy = float(held_kg_h[product] @ kwh_per_kg_day) / 24.0
                book.upstream["storage_cost_cny"][product] += energy * price
        capacity_kg = world.places[node_id].storage.capacity_kg
        rent = getattr(config, "rent_cny_per_kg_year", 0.0) * capacity_kg * years
        book.charge("storage_cost_cny", rent, held)
        for name in ("cold_room_capital", "storage_capital"):
            annual = annual_charge(getattr(config, name, None), capacity_kg, finance.discount_rate)
            book.charge("capital_cost_cny", annual * years, held)
        precooling = getattr(config, "precooling", None)
        if precooling is not None:
            annual = annual_charge(
                precooling.capital, float(precooling.units), finance.discount_rate
            )
            book.charge("capital_cost_cny", annual * years, received)
        book.charge("fixed_cost_cny", getattr(config, "fixed_cny_per_year", 0.0) * years, received)
        overflow = getattr(config, "overload", None)
        if isinstance(overflow, Overflow):
            held_overflow_kg_h = window(tables["overflow_held_kg_h"])
            moved_in = window(tables["overflow_received_kg"])
            rent = held_overflow_kg_h / 24.0 * overflow.rent_cny_per_kg_day
            handling = moved_in * overflow.handling_cny_per_kg
            book.upstream["storage_cost_cny"] += rent
            book.upstream["handling_cost_cny"] += handling
            book.overflow_cost += rent + handling
    return received_at_cps


def _sunk_cost_per_kg(
    world: World,
    window: Any,
    by_product: Mapping[str, list[float]],
    harvested: np.ndarray,
    received_at_cps: np.ndarray,
) -> dict[str, np.ndarray]:
    """Return, per stage, the mean variable cost a kg lost there has sunk, per product.

    Per product: the purchase price per kg harvested in the field and at the
    collection point; plus handling and packaging per kg received at collection
    points in transit; plus transport and the hubs' handling per kg that reached
    the market hub at hubs and markets.
    """
    ledger = world.ledger

    def per_kg(amount: np.ndarray, kg: np.ndarray) -> np.ndarray:
        return np.asarray(np.divide(amount, kg, out=np.zeros_like(amount), where=kg > 0))

    purchase = per_kg(np.asarray(by_product["purchase_cost_cny"]), harvested)
    cp_handling = _cp_handling(world, window)
    cp_share = per_kg(np.asarray(by_product["packaging_cost_cny"]) + cp_handling, received_at_cps)
    hub_handling = np.asarray(by_product["handling_cost_cny"]) - cp_handling
    arrived = window(ledger.daily["arrived_at_market_hub"])
    downstream = per_kg(np.asarray(by_product["transport_cost_cny"]) + hub_handling, arrived)
    return {
        "collection": purchase,
        "transit": purchase + cp_share,
        "hub": purchase + cp_share + downstream,
        "market": purchase + cp_share + downstream,
    }


def _loss(
    lost_kg: Sequence[Sequence[Sequence[float]]], warmup: int, sunk: Mapping[str, np.ndarray]
) -> list[float]:
    """Value kg lost (stage x product x day) after the warm-up at the cost sunk by their stage."""
    by_stage = np.asarray(lost_kg, dtype=float)[:, :, warmup:].sum(axis=2)
    loss = np.zeros(by_stage.shape[1])
    for index, stage in enumerate(STAGES):
        loss += by_stage[index] * sunk[stage]
    return [float(value) for value in loss]


def _cp_handling(world: World, window: Any) -> np.ndarray:
    """Return the handling cost at collection points, per product."""
    scenario = world.scenario
    product_ids = list(scenario.products)
    total = np.zeros(len(product_ids))
    for node_id, (kind, config) in places(scenario).items():
        if kind.kind != "collection_point":
            continue
        received = window(world.ledger.place_table(node_id)["received_kg"])
        total += received * np.asarray(
            [per_product(config.handling_cny_per_kg, product_id) for product_id in product_ids]
        )
    return total


def _by_market(
    book: _Book, sold_by_market: Mapping[str, np.ndarray]
) -> dict[str, dict[str, float]]:
    """Each product's costs to the markets by their kg sold of it, plus each market's own."""
    market_ids = list(sold_by_market)
    if not market_ids:
        return {}
    sold = np.asarray([sold_by_market[m] for m in market_ids])  # market x product
    totals = sold.sum(axis=1)
    fallback = _shares(totals, np.ones(len(market_ids)))
    per_product_total = sold.sum(axis=0)
    shares = np.where(
        per_product_total > 0,
        np.divide(sold, per_product_total, out=np.zeros_like(sold), where=per_product_total > 0),
        fallback[:, None],
    )
    return {
        market: {
            line: float(shares[index] @ book.upstream[line] + book.own[market][line].sum())
            for line in COST_LINES
        }
        for index, market in enumerate(market_ids)
    }
