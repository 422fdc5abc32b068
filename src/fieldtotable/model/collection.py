"""The field end: sources that harvest daily, collection points that grade and cool."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, Self

import numpy as np
import simpy

from fieldtotable.errors import SimulationError
from fieldtotable.model.context import BLOCK_DAYS, Calendar, Context, DayBlocks, Seed, stream
from fieldtotable.model.lot import COLLECTION, Lot
from fieldtotable.model.overload import PriorityKey, node_priority
from fieldtotable.model.storage import EPSILON_KG, Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.distributions import (
    Distribution,
    make_block_sampler,
    make_vector_sampler,
)
from fieldtotable.scenario.schema import CollectionPoint, Source

if TYPE_CHECKING:
    from fieldtotable.model.kinds import BuildSetup

ShelfLifeCv = Sequence[float]


def _arrive(deliver: Callable[[list[Lot]], None], lots: list[Lot], _event: simpy.Event) -> None:
    deliver(lots)


class HarvestDraws(DayBlocks[tuple[float, float] | None]):
    """One product's harvests at a source, drawn ``block_days`` days at a time.

    For the days of a block in season (in order on the stream ``source, <id>,
    <product>``): their ``kg_per_day`` draws in one vector, then their lots'
    relative shelf lives (lognormal, mean 1) in another. Days out of season draw
    nothing, so a block of one day is the per-day scheme, draw for draw
    (``tests/model/test_demand_blocks.py``).

    Parameters
    ----------
    product
        The product's index.
    kg_per_day
        The supply's distribution of kg a day.
    rng
        The supply's stream.
    season
        Its month factors, times the scenario's scale.
    shelf_life_cv
        The product's lot-to-lot shelf-life CV.
    calendar
        The run's calendar.
    block_days
        Days drawn at a time.
    """

    def __init__(
        self,
        product: int,
        kg_per_day: Distribution,
        rng: np.random.Generator,
        season: tuple[float, ...],
        shelf_life_cv: float,
        calendar: Calendar,
        block_days: int,
    ) -> None:
        super().__init__(calendar, block_days)
        self.product = product
        self.rng = rng
        self.kg_values = make_vector_sampler(kg_per_day, rng)
        self.season = season
        self.sigma = math.sqrt(math.log1p(shelf_life_cv * shelf_life_cv))

    def _draw_block(self, first_day: int) -> list[tuple[float, float] | None]:
        """Return the block's harvests: kg and relative shelf life (``None``: out of season)."""
        season = self.season
        factors = [
            season[self.calendar.month_and_weekday(day)[0] - 1]
            for day in range(first_day, first_day + self.block_days)
        ]
        in_season = sum(1 for factor in factors if factor > 0)
        values = self.kg_values(in_season).tolist()
        sigma = self.sigma
        # Lognormal with mean 1: the lot's shelf life relative to nominal.
        limits = (
            self.rng.lognormal(-sigma * sigma / 2, sigma, in_season).tolist()
            if sigma
            else [1.0] * in_season
        )
        drawn: list[tuple[float, float] | None] = []
        index = 0
        for factor in factors:
            if factor > 0:
                drawn.append((values[index] * factor, limits[index]))
                index += 1
            else:
                drawn.append(None)
        return drawn


class SourceProcess:
    """A producer harvesting every day at ``harvest_hour``.

    Each day, every product in season yields ``kg_per_day x season[month] x scale``
    kg as one lot. The day's lots travel together to the collection point, ageing at
    the region's ambient temperature ("field heat") for ``hours_to_collection``.

    Parameters
    ----------
    context
        Shared run state.
    source_id, config
        The source's id and scenario entry.
    index
        Source index (recorded on its lots).
    product_index
        Product id to index.
    shelf_life_cv
        Lot-to-lot shelf-life variability (lognormal CV) per product index.
    scale
        The scenario's supply and demand scale.
    seed
        The replication's seed.
    deliver
        Called with the day's lots when they reach the collection point.
    """

    holds_stock = False  # no stock of its own: no daily stock series
    harvest_block_days: ClassVar[int] = BLOCK_DAYS
    """Days of harvests drawn at a time (:class:`HarvestDraws`; 1, the per-day scheme,
    exists for tests)."""

    def __init__(
        self,
        context: Context,
        source_id: str,
        config: Source,
        index: int,
        product_index: dict[str, int],
        shelf_life_cv: ShelfLifeCv,
        scale: float,
        seed: Seed,
        deliver: Callable[[list[Lot]], None],
    ) -> None:
        self.context = context
        self.source_id = source_id
        self.node_id = source_id
        self.index = index
        self.ambient = context.ambient[config.region]
        self.harvest_hour = config.harvest_hour
        self.deliver = deliver
        self.travel_hours = make_block_sampler(
            config.hours_to_collection, stream(seed, "source", source_id, "travel")
        )
        self.supplies = [
            HarvestDraws(
                product_index[product_id],
                supply.kg_per_day,
                stream(seed, "source", source_id, product_id),
                tuple(factor * scale for factor in supply.season),
                shelf_life_cv[product_index[product_id]],
                context.calendar,
                self.harvest_block_days,
            )
            for product_id, supply in config.supply.items()
        ]
        self.day = 0
        """The next harvest's day."""
        context.timetable.start(self.harvest_hour, self._harvest)  # daily, from day 0

    @classmethod
    def build(cls, node_id: str, config: Source, setup: BuildSetup) -> Self:
        """Build a source delivering to its collection point (see :class:`~.kinds.NodeProcess`)."""
        scenario = setup.scenario
        return cls(
            setup.context,
            node_id,
            config,
            setup.source_index[node_id],
            setup.product_index,
            [product.shelf_life_cv for product in scenario.products.values()],
            scenario.scale,
            setup.seed,
            setup.places[config.collection_point].receive,
        )

    def stats(self) -> dict[str, float]:
        """Return nothing: a source's harvests are in the KPIs and the daily series."""
        return {}

    def end_of_day(self) -> None:
        """Do nothing: a source holds no stock."""

    def _harvest(self, now: float) -> float:
        """Harvest the day's lots and send them off; return the next harvest's time."""
        context = self.context
        ledger = context.ledger
        day = self.day
        lots = []
        for draws in self.supplies:
            drawn = draws.day(day)
            if drawn is None:  # out of season
                continue
            kg, limit = drawn
            product = draws.product
            if not math.isfinite(kg):  # the schema's bounds keep every draw finite
                raise SimulationError(
                    f"sources.{self.source_id}.supply.{ledger.products[product]}.kg_per_day: "
                    f"drew {kg!r} kg"
                )
            if kg <= 0:
                continue
            lot = context.new_lot(
                product, self.index, kg, limit, self.ambient, COLLECTION,
                self.source_id, "field_to_collection",
            )  # fmt: skip
            ledger.harvest(now, product, kg, self.source_id, lot.id)
            lots.append(lot)
        if lots:
            arrival = context.env.timeout(self.travel_hours())
            arrival.callbacks.append(functools.partial(_arrive, self.deliver, lots))
        self.day = day + 1
        return self.day * 24 + self.harvest_hour


class CollectionPointProcess:
    """Grading, pre-cooling (a queue at ambient) and the cold room of a collection point.

    Parameters
    ----------
    context
        Shared run state.
    node_id, config
        The collection point's id and scenario entry.
    storage
        Its cold room.
    seed
        The replication's seed.
    source_ids
        Source ids in index order (whose producers keep what the gate refuses).
    local_prices
        Per product index, the producers' local price of refused kg, CNY/kg (0: lost).
    priority
        Order in which the pre-coolers take queued lots (``None``: arrival order).
    """

    holds_stock = True  # places and stores keep a daily stock series

    def __init__(
        self,
        context: Context,
        node_id: str,
        config: CollectionPoint,
        storage: Storage,
        seed: Seed,
        source_ids: Sequence[str] = (),
        local_prices: Sequence[float] = (),
        priority: PriorityKey | None = None,
    ) -> None:
        self.context = context
        self.node_id = node_id
        self.config = config
        self.storage = storage
        self.ambient: Ambient = context.ambient[config.region]
        grading = config.grading_reject_fraction
        self.reject_fraction = [
            grading.get(product_id, 0.0) if isinstance(grading, dict) else grading
            for product_id in context.ledger.products
        ]
        classes = set(config.precooling.classes)
        self.precooled = [c in classes for c in context.temperature_classes]
        precooling = config.precooling
        self.precool_hours = make_block_sampler(
            precooling.time_h, stream(seed, "collection_point", node_id, "precooling")
        )
        self.precool_rate = precooling.capacity_kg_per_h
        self.needs_precooling = (
            precooling.capacity_kg_per_h is not None or precooling.time_h.expected > 0
        )
        self.units = precooling.units
        self.wait_key = f"{node_id}.precooling"
        self.source_ids = tuple(source_ids)
        self.local_prices = tuple(local_prices) or (0.0,) * len(context.ledger.products)
        self.priority = priority
        self.free_units = precooling.units
        """Idle pre-coolers."""
        self.queue: list[tuple[Lot, float]] = []
        """Lots waiting for a pre-cooler and when they began, in arrival order."""

    @classmethod
    def build(cls, node_id: str, config: CollectionPoint, setup: BuildSetup) -> Self:
        """Build a collection point and its cold room (see :class:`~.kinds.NodeProcess`)."""
        context = setup.context
        priority = node_priority(config, context, setup.product_index)
        storage = Storage(
            context, node_id, context.ambient[config.region], config.setpoint_c,
            config.cold_room_kg, config.overload, COLLECTION, len(setup.product_index),
            config.class_setpoints_c, priority, config.temperature_log,
        )  # fmt: skip
        products = setup.scenario.products.values()
        return cls(
            context, node_id, config, storage, setup.seed, list(setup.scenario.sources),
            [product.local_price_cny_per_kg or 0.0 for product in products], priority,
        )  # fmt: skip

    def stats(self) -> dict[str, float]:
        """Return the storage's statistics and the pre-cooling queue's."""
        ledger = self.context.ledger
        waits = ledger.waits.get(self.wait_key, [])
        return {
            **self.storage.stats(),
            "precooled_lots": float(len(waits)),
            "mean_precooling_wait_h": float(np.mean(waits)) if waits else 0.0,
        }

    def end_of_day(self) -> float:
        """Inspect the cold room for expired lots; return the kg held."""
        self.storage.inspect()
        return self.storage.held_kg

    def receive(self, lots: Sequence[Lot]) -> None:
        """Lots arrive from the field now."""
        context = self.context
        now = context.env.now
        for delivered in lots:
            if context.spoil_if_expired(delivered, self.node_id):
                continue
            reject_fraction = self.reject_fraction[delivered.product]
            lot = (
                self._gate(delivered, reject_fraction) if self.storage.back_pressure else delivered
            )
            if lot is None:
                continue
            if reject_fraction:
                rejected = lot.kg * reject_fraction
                lot.kg -= rejected
                context.ledger.reject(now, lot.product, rejected, self.node_id, lot.id)
                if lot.kg <= 0:
                    context.remove(lot)
                    continue
            precooled = self.needs_precooling and self.precooled[lot.product]
            activity = "waiting_for_precooling" if precooled else "receiving"
            lot.place(self.ambient, now, COLLECTION, self.node_id, activity)
            if precooled and self.storage.back_pressure:
                self.storage.expect(lot)  # its cold-room space is taken from now on
            if precooled:
                self.queue.append((lot, now))
                self._start_precooling()
            else:
                self.storage.receive(lot)

    def _gate(self, lot: Lot, reject_fraction: float) -> Lot | None:
        """Refuse the part of a producer's delivery that will not fit (back pressure).

        The cold room (and its overflow store) can take :meth:`~.storage.Storage.room_kg`
        more kg, counting what is queued for or in pre-cooling; of a delivery, the gate
        accepts as much as will fit after grading. The producers keep the rest: they
        sell it locally at the product's local price, or lose it.

        Returns
        -------
        Lot or None
            The accepted part (``None`` if nothing is accepted).
        """
        context = self.context
        kept_share = 1.0 - reject_fraction
        room = self.storage.room_kg()
        accepted_kg = room / kept_share if kept_share > 0 else lot.kg
        if lot.kg <= accepted_kg + EPSILON_KG:
            return lot
        accepted = context.split(lot, accepted_kg) if accepted_kg > EPSILON_KG else None
        now = context.env.now
        ledger = context.ledger
        ledger.refuse(
            now, lot.product, lot.kg, self.node_id, lot.id,
            stage=COLLECTION, reason=self.storage.rules.reason,
        )  # fmt: skip
        ledger.keep(
            now, self.source_ids[lot.source], lot.product, lot.kg, self.local_prices[lot.product]
        )
        self.storage.refused_kg += lot.kg
        context.remove(lot)
        return accepted

    # -- pre-cooling ----------------------------------------------------------------
    @property
    def busy_units(self) -> int:
        """Pre-coolers treating a lot now."""
        return self.units - self.free_units

    def _start_precooling(self) -> None:
        """Give idle pre-coolers the queued lots: first come first served, or by priority.

        A pre-cooler is a counter, not a SimPy resource, and a treatment one timeout
        whose callback frees the unit (no process per lot): the same queue discipline
        for a fraction of the events.
        """
        context = self.context
        priority = self.priority
        queue = self.queue
        while self.free_units > 0 and queue:
            now = context.env.now
            position = 0  # first come, first served
            if priority is not None:
                position = min(range(len(queue)), key=lambda index: priority(queue[index][0], now))
            lot, queued_at = queue.pop(position)
            context.ledger.wait(self.wait_key, now - queued_at)
            if context.spoil_if_expired(lot, self.node_id):
                self.storage.forget(lot)
                continue
            self.free_units -= 1
            treated = context.env.timeout(self._treat(lot))
            treated.callbacks.append(functools.partial(self._treated, lot))

    def _treated(self, lot: Lot, _event: simpy.Event) -> None:
        """End a lot's treatment: free its pre-cooler, store the lot, start the next."""
        self.free_units += 1
        self._finish(lot)
        self._start_precooling()

    def _treat(self, lot: Lot) -> float:
        """Put ``lot`` in a pre-cooler now; return its treatment time, h."""
        context = self.context
        env = context.env
        hours = self.precool_hours()
        if self.precool_rate is not None:
            hours += lot.kg / self.precool_rate
        # While it cools, the product sits half-way between field and setpoint.
        mean_c = (
            self.ambient.temperature_at(env.now) + self.storage.cold_for[lot.product].temp_c
        ) / 2
        lot.place(
            context.at_temperature(round(mean_c, 1)), env.now, COLLECTION, self.node_id,
            "precooling",
        )  # fmt: skip
        return hours

    def _finish(self, lot: Lot) -> None:
        """Put a pre-cooled lot into the cold room (unless it spoiled meanwhile)."""
        if self.context.spoil_if_expired(lot, self.node_id):
            self.storage.forget(lot)
        else:
            self.storage.receive(lot)
