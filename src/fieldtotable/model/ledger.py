"""The ledger: every kilogram that enters, leaves or is lost, by product and day.

Components write to the ledger; nothing reads it during a run. The hot path keeps
plain nested lists (``[product][day]``), which are several times faster to update
than numpy arrays element by element; :meth:`Ledger.arrays` hands numpy arrays to
:mod:`fieldtotable.results`. The optional flow log records one tuple per movement.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from fieldtotable.errors import MassBalanceError
from fieldtotable.model.ledger_fields import (
    DAILY_QUANTITIES,
    LEG_QUANTITIES,
    LOSS_FATES,
    MARKET_QUANTITIES,
    PLACE_QUANTITIES,
    REMAINING_BINS,
    Flow,
    LossKey,
)
from fieldtotable.model.lot import COLLECTION, STAGES

#: A market's kg sold and sales value by day, and each by product and day.
SaleTables = tuple[list[float], list[float], list[list[float]], list[list[float]]]

__all__ = [
    "DAILY_QUANTITIES",
    "LEG_QUANTITIES",
    "LOSS_FATES",
    "MARKET_QUANTITIES",
    "PLACE_QUANTITIES",
    "REMAINING_BINS",
    "Flow",
    "Ledger",
    "LossKey",
]


class Ledger:
    """Accumulates the flows of one run.

    Parameters
    ----------
    products
        Product ids in index order.
    legs
        Leg ids in index order.
    horizon_days
        Length of the run; flows are binned by day.
    record_flows
        Keep the per-movement flow log (off for experiments: it costs memory).
    """

    def __init__(
        self,
        products: Sequence[str],
        legs: Sequence[str],
        horizon_days: int,
        *,
        warmup_days: int = 0,
        record_flows: bool = False,
    ) -> None:
        self.products = tuple(products)
        self.legs = tuple(legs)
        self.horizon_days = horizon_days
        self.warmup_h = warmup_days * 24.0
        self.record_flows = record_flows
        self.flows: list[Flow] = []
        days = horizon_days

        def table(rows: int) -> list[list[float]]:
            return [[0.0] * days for _ in range(rows)]

        self.daily: dict[str, list[list[float]]] = {
            name: table(len(products)) for name in DAILY_QUANTITIES
        }
        self.spoiled = [table(len(products)) for _ in STAGES]
        self.damaged = [table(len(products)) for _ in STAGES]
        """Kg destroyed by handling or lost as weight, by stage, product and day."""
        self.leg_daily: dict[str, list[list[float]]] = {
            name: table(len(legs)) for name in LEG_QUANTITIES
        }
        # Hot-path aliases.
        self._harvested = self.daily["harvested"]
        self._sold = self.daily["sold"]
        self._sold_value = self.daily["sold_value_cny"]
        self._remaining_days = self.daily["remaining_shelf_life_kg_d"]
        self._remaining_fraction = self.daily["remaining_fraction_kg"]
        self._markdown_sold = self.daily["markdown_sold"]
        self._demand = self.daily["demand"]
        self._lost_sales = self.daily["lost_sales"]
        self._delivered = self.daily["delivered_to_market"]
        self._field_to_market = self.daily["field_to_market_kg_h"]
        self.remaining_at_sale = [[0.0] * REMAINING_BINS for _ in products]
        """Per product, kg sold after the warm-up in :data:`REMAINING_BINS` equal bins of
        the labelled remaining fraction of shelf life (binned as sales happen, so that
        memory does not grow with the number of sales)."""
        self.sales: list[tuple[float, int, float, float]] = []
        """With ``record_flows``, one entry per lot piece sold: (time_h, product, kg,
        remaining shelf life d); empty otherwise."""
        self.sale_labelled_fractions: list[float] = []
        """With ``record_flows``, per entry of :attr:`sales`: the nominal (labelled)
        remaining fraction of shelf life, ``1 - consumed``, that markdown rules look at."""
        self.waits: dict[str, list[float]] = {}
        """Hours each lot waited for a constrained resource, keyed by resource id."""
        self.overflow_kg: dict[str, float] = {}
        """Kg that found storage full and had to wait, by node id."""
        self.market_daily: dict[str, dict[str, list[float]]] = {}
        """Per market id, each of :data:`MARKET_QUANTITIES` by day."""
        self.leg_product_kg = [table(len(products)) for _ in legs]
        """Per leg index, kg loaded onto its vehicles by product and day."""
        self.place_daily: dict[str, dict[str, list[list[float]]]] = {}
        """Per place id, each of :data:`PLACE_QUANTITIES` by product and day."""
        self.harvested_by_source: dict[tuple[str, int], list[float]] = {}
        """Per (source id, product index) that harvested, kg by day."""
        self.kept_by_source: dict[tuple[str, int], list[float]] = {}
        """Per (source id, product index), kg by day that a collection point refused at
        its gate and the producers kept (not bought by the channel)."""
        self.market_product_daily: dict[str, tuple[list[list[float]], list[list[float]]]] = {}
        """Per market id, (kg sold, sales value CNY), each by product and day."""
        self.market_costs: dict[str, dict[str, list[list[float]]]] = {}
        """Per market id and cost line, the market's own costs paid during the run
        (:meth:`charge_market`), CNY by product and day."""
        self.losses: dict[LossKey, list[float]] = {}
        """Kg lost after the warm-up, by product index, per (fate, stage index, node,
        reason): the fate is one of :data:`LOSS_FATES`; the node is the id of the
        source, collection point, hub, leg or market where the loss happened; the
        reason says why (``graded_out``, ``store_full``, ``breakage_loading``,
        ``breakage_unloading``, ``breakage_picking``, ``weight_loss``, or for
        spoilage what the lot was undergoing when its shelf life ran out:
        ``cold_store``, ``waiting_outside``, ``in_transit`` ...)."""

    def charge_market(
        self, market: str, line: str, time_h: float, product: int, cny: float
    ) -> None:
        """Book a market's own cost of one product (a parcel's courier fee and box).

        Parameters
        ----------
        market
            The market's id.
        line
            The cost line (:data:`fieldtotable.model.money.COST_LINES`).
        time_h
            When it was paid.
        product
            The product index it was paid for.
        cny
            The amount, CNY.
        """
        lines = self.market_costs.get(market)
        if lines is None:
            lines = self.market_costs[market] = {}
        table = lines.get(line)
        if table is None:
            table = lines[line] = [[0.0] * self.horizon_days for _ in self.products]
        table[product][self.day(time_h)] += cny

    def market_table(self, market: str) -> dict[str, list[float]]:
        """Return the daily table of one market (each of :data:`MARKET_QUANTITIES`)."""
        table = self.market_daily.get(market)
        if table is None:
            table = {name: [0.0] * self.horizon_days for name in MARKET_QUANTITIES}
            self.market_daily[market] = table
        return table

    def place_table(self, place: str) -> dict[str, list[list[float]]]:
        """Return the tables of one place (each of :data:`PLACE_QUANTITIES`)."""
        tables = self.place_daily.get(place)
        if tables is None:
            days, products = self.horizon_days, len(self.products)
            tables = {name: [[0.0] * days for _ in range(products)] for name in PLACE_QUANTITIES}
            self.place_daily[place] = tables
        return tables

    def market_product_table(self, market: str) -> tuple[list[list[float]], list[list[float]]]:
        """Return one market's kg sold and sales value, each by product and day."""
        tables = self.market_product_daily.get(market)
        if tables is None:
            days, products = self.horizon_days, len(self.products)
            tables = (
                [[0.0] * days for _ in range(products)],
                [[0.0] * days for _ in range(products)],
            )
            self.market_product_daily[market] = tables
        return tables

    def demand(self, time_h: float, product: int, kg: float, market: str) -> None:
        """Record demand at a market (walk-in customers or an order)."""
        day = int(time_h // 24)
        if day >= self.horizon_days:
            day = self.horizon_days - 1
        self._demand[product][day] += kg
        self.market_table(market)["demand"][day] += kg

    def lost_sale(self, time_h: float, product: int, kg: float, market: str) -> None:
        """Record demand a market could not meet from stock."""
        day = int(time_h // 24)
        if day >= self.horizon_days:
            day = self.horizon_days - 1
        self._lost_sales[product][day] += kg
        self.market_table(market)["lost_sales"][day] += kg

    def day(self, time_h: float) -> int:
        """Day bin of a clock time (the end of the horizon falls in the last day)."""
        day = int(time_h // 24)
        return day if day < self.horizon_days else self.horizon_days - 1

    def _log(self, time_h: float, kind: str, product: int, kg: float, place: str, lot: int) -> None:
        self.flows.append(Flow(time_h, kind, self.products[product], kg, place, lot))

    def harvest(self, time_h: float, product: int, kg: float, place: str, lot: int) -> None:
        """Record kg entering the system at a source."""
        day = self.day(time_h)
        self._harvested[product][day] += kg
        by_source = self.harvested_by_source.get((place, product))
        if by_source is None:
            by_source = self.harvested_by_source[place, product] = [0.0] * self.horizon_days
        by_source[day] += kg
        if self.record_flows:
            self._log(time_h, "harvest", product, kg, place, lot)

    def add(self, quantity: str, time_h: float, product: int, amount: float) -> None:
        """Add ``amount`` to a per-product daily quantity."""
        self.daily[quantity][product][self.day(time_h)] += amount

    def lose(
        self, time_h: float, fate: str, stage: int, node: str, reason: str, product: int, kg: float
    ) -> None:
        """Book kg lost at ``time_h`` in :attr:`losses` (nothing during the warm-up).

        The fate's own daily table is written by :meth:`reject`, :meth:`refuse`,
        :meth:`damage` and :meth:`spoil`, which call this; a new fate adds its table
        and calls this.
        """
        if time_h < self.warmup_h:
            return
        key = (fate, stage, node, reason)
        row = self.losses.get(key)
        if row is None:
            row = self.losses[key] = [0.0] * len(self.products)
        row[product] += kg

    def reject(self, time_h: float, product: int, kg: float, place: str, lot: int) -> None:
        """Record kg removed at grading."""
        self.daily["rejected"][product][self.day(time_h)] += kg
        self.lose(time_h, "rejected", COLLECTION, place, "graded_out", product, kg)
        if self.record_flows:
            self._log(time_h, "reject", product, kg, place, lot)

    def refuse(
        self,
        time_h: float,
        product: int,
        kg: float,
        place: str,
        lot: int,
        *,
        stage: int = COLLECTION,
        reason: str = "store_full",
    ) -> None:
        """Record kg turned away at ``place`` (a full store set to refuse, by default)."""
        self.daily["refused"][product][self.day(time_h)] += kg
        self.lose(time_h, "refused", stage, place, reason, product, kg)
        if self.record_flows:
            self._log(time_h, "refuse", product, kg, place, lot)

    def keep(
        self, time_h: float, source: str, product: int, kg: float, local_price_cny_per_kg: float
    ) -> None:
        """Record kg refused at a collection point's gate that the producers keep.

        Book the refusal itself with :meth:`refuse`. The producers sell the kg locally at
        ``local_price_cny_per_kg`` (0: they are lost to them).
        """
        day = self.day(time_h)
        self.daily["kept_by_producers"][product][day] += kg
        if local_price_cny_per_kg > 0:
            self.daily["sold_locally"][product][day] += kg
            self.daily["local_sales_value_cny"][product][day] += kg * local_price_cny_per_kg
        kept = self.kept_by_source.get((source, product))
        if kept is None:
            kept = self.kept_by_source[source, product] = [0.0] * self.horizon_days
        kept[day] += kg

    def damage(
        self,
        time_h: float,
        stage: int,
        node: str,
        reason: str,
        product: int,
        kg: float,
        lot: int,
    ) -> None:
        """Record kg destroyed by handling or lost as weight at ``node``, at stage ``stage``.

        ``reason`` is one of the reasons of :mod:`fieldtotable.model.handling`
        (``breakage_loading``, ``weight_loss`` ...).
        """
        # self.day() and self.lose(), inlined: lots of products that lose weight book
        # damage each time they move.
        day = int(time_h // 24)
        if day >= self.horizon_days:
            day = self.horizon_days - 1
        self.damaged[stage][product][day] += kg
        if time_h >= self.warmup_h:
            key = ("damaged", stage, node, reason)
            row = self.losses.get(key)
            if row is None:
                row = self.losses[key] = [0.0] * len(self.products)
            row[product] += kg
        if self.record_flows:
            self._log(time_h, "damage", product, kg, node, lot)

    def spoil(
        self,
        time_h: float,
        stage: int,
        product: int,
        kg: float,
        place: str,
        lot: int,
        *,
        node: str = "",
        reason: str = "",
    ) -> None:
        """Record kg discarded because its shelf life ran out.

        ``place`` is where the spoilage was found (the flow log's place); ``node``
        and ``reason``, where it happened and what the lot was undergoing
        (:attr:`losses`; ``place`` and ``unknown`` when not given).
        """
        self.spoiled[stage][product][self.day(time_h)] += kg
        self.lose(time_h, "spoiled", stage, node or place, reason or "unknown", product, kg)
        if self.record_flows:
            self._log(time_h, "spoil", product, kg, place, lot)

    def sell(
        self,
        time_h: float,
        product: int,
        kg: float,
        value_cny: float,
        remaining_days: float,
        remaining_fraction: float,
        *,
        markdown: bool,
        place: str,
        lot: int,
        labelled_fraction: float = math.nan,
    ) -> None:
        """Record a sale (or an order filled) of one lot piece."""
        tables = self.sale_tables(place)
        self.sell_piece(
            time_h, product, kg, value_cny, remaining_days, remaining_fraction,
            markdown, labelled_fraction, tables, place, lot,
        )  # fmt: skip

    def sale_tables(self, place: str) -> SaleTables:
        """Return the per-market tables a sale at ``place`` books into (:meth:`sell_piece`)."""
        table = self.market_table(place)
        by_product = self.market_product_table(place)
        return table["sold"], table["sold_value_cny"], by_product[0], by_product[1]

    def sell_piece(
        self, time_h: float, product: int, kg: float, value_cny: float,
        remaining_days: float, remaining_fraction: float, markdown: bool,
        labelled_fraction: float, tables: SaleTables, place: str, lot: int,
    ) -> None:  # fmt: skip
        """Record a sale like :meth:`sell`, positional, the market's tables looked up once.

        ``tables`` is :meth:`sale_tables` of ``place``; one call per lot piece sold.
        """
        day = int(time_h // 24)  # self.day(), inlined
        if day >= self.horizon_days:
            day = self.horizon_days - 1
        self._sold[product][day] += kg
        self._sold_value[product][day] += value_cny
        self._remaining_days[product][day] += kg * remaining_days
        self._remaining_fraction[product][day] += kg * remaining_fraction
        if markdown:
            self._markdown_sold[product][day] += kg
        sold, sold_value, kg_by_product, value_by_product = tables
        sold[day] += kg
        sold_value[day] += value_cny
        kg_by_product[product][day] += kg
        value_by_product[product][day] += value_cny
        if time_h >= self.warmup_h and math.isfinite(labelled_fraction):
            # int() truncates toward zero, as numpy's astype(int) did when this was
            # binned after the run; the sums are added in the same order.
            index = int(labelled_fraction * REMAINING_BINS)
            # Comparisons, not min(): this runs on every piece sold.
            index = 0 if index < 0 else index if index < REMAINING_BINS else REMAINING_BINS - 1
            self.remaining_at_sale[product][index] += kg
        if self.record_flows:
            self.sales.append((time_h, product, kg, remaining_days))
            self.sale_labelled_fractions.append(labelled_fraction)
            self._log(time_h, "sell", product, kg, place, lot)

    def deliver(
        self,
        time_h: float,
        product: int,
        kg: float,
        hours_since_harvest: float,
        place: str,
        lot: int,
    ) -> None:
        """Record kg reaching a market (store shelf or order), with its age."""
        day = self.day(time_h)
        self._delivered[product][day] += kg
        self._field_to_market[product][day] += kg * hours_since_harvest
        if self.record_flows:
            self._log(time_h, "deliver", product, kg, place, lot)

    def trip(
        self,
        time_h: float,
        leg: int,
        kg: float,
        tonne_km: float,
        cost_cny: float,
        co2_kg: float,
        *,
        rerouted_kg: float = 0.0,
    ) -> None:
        """Record one vehicle trip on a leg.

        ``rerouted_kg`` is the part of its kg that a route switch sent over it.
        """
        day = self.day(time_h)
        daily = self.leg_daily
        daily["trips"][leg][day] += 1
        daily["kg_carried"][leg][day] += kg
        daily["tonne_km"][leg][day] += tonne_km
        daily["cost_cny"][leg][day] += cost_cny
        daily["co2_kg"][leg][day] += co2_kg
        if rerouted_kg:
            daily["rerouted_kg"][leg][day] += rerouted_kg

    def movement(
        self, time_h: float, kind: str, product: int, kg: float, place: str, lot: int
    ) -> None:
        """Log a movement (departure, arrival) when the flow log is on."""
        if self.record_flows:
            self._log(time_h, kind, product, kg, place, lot)

    def wait(self, resource: str, hours: float) -> None:
        """Record one wait for a constrained resource."""
        self.waits.setdefault(resource, []).append(hours)

    def overflow(self, node: str, kg: float) -> None:
        """Record kg that found a storage full."""
        self.overflow_kg[node] = self.overflow_kg.get(node, 0.0) + kg

    def arrays(self) -> dict[str, np.ndarray]:
        """Every daily table as a numpy array (product x day, or stage x product x day)."""
        out = {name: np.asarray(values, dtype=float) for name, values in self.daily.items()}
        out["spoiled"] = np.asarray(self.spoiled, dtype=float)
        out["damaged"] = np.asarray(self.damaged, dtype=float)
        for name, values in self.leg_daily.items():
            out[f"leg_{name}"] = np.asarray(values, dtype=float).reshape(len(self.legs), -1)
        return out

    def check_mass_balance(self, in_system_kg: float, *, rtol: float = 1e-6) -> None:
        """Raise :class:`MassBalanceError` unless every kg harvested is accounted for.

        ``harvested = rejected + refused + damaged + spoiled + sold + in_system`` over
        the whole horizon (``refused`` is zero unless a store refuses: its ``overload``
        policy; ``damaged`` unless products have handling losses). A NaN or an infinity
        in any of them fails the check.
        """

        # The tables it needs as arrays(), not all of them: the same arrays, the same sums.
        def total(values: list[list[float]] | list[list[list[float]]]) -> float:
            return float(np.asarray(values, dtype=float).sum())

        daily = self.daily
        harvested = total(daily["harvested"])
        accounted = (
            total(daily["rejected"])
            + total(daily["refused"])
            + total(self.damaged)
            + total(self.spoiled)
            + total(daily["sold"])
            + in_system_kg
        )
        # Written so that a NaN (which compares False with everything) fails it too.
        if not abs(harvested - accounted) <= rtol * max(harvested, 1.0):
            raise MassBalanceError(
                f"mass balance violated: harvested {harvested:.6f} kg but rejected + refused"
                f" + damaged + spoiled + sold + in system = {accounted:.6f} kg"
            )
