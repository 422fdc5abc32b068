"""The field end: sources that harvest daily, collection points that grade and cool."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import simpy

from fieldtotable.errors import SimulationError
from fieldtotable.model.context import Context, Seed, stream
from fieldtotable.model.lot import COLLECTION, Lot
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.distributions import make_sampler
from fieldtotable.scenario.schema import CollectionPoint, Source

if TYPE_CHECKING:
    from fieldtotable.model.kinds import BuildSetup

ShelfLifeCv = Sequence[float]


def _arrive(deliver: Callable[[list[Lot]], None], lots: list[Lot], _event: simpy.Event) -> None:
    deliver(lots)


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
        self.travel_hours = make_sampler(
            config.hours_to_collection, stream(seed, "source", source_id, "travel")
        )
        self.supplies: list[tuple[int, Callable[[], float], tuple[float, ...], np.random.Generator]]
        self.supplies = []
        self.shelf_life_sigma: dict[int, float] = {}
        for product_id, supply in config.supply.items():
            product = product_index[product_id]
            rng = stream(seed, "source", source_id, product_id)
            sampler = make_sampler(supply.kg_per_day, rng)
            season = tuple(factor * scale for factor in supply.season)
            self.supplies.append((product, sampler, season, rng))
            cv = shelf_life_cv[product]
            self.shelf_life_sigma[product] = math.sqrt(math.log1p(cv * cv))
        context.env.process(self.run())

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

    def run(self) -> Generator[simpy.Event, Any, None]:
        """Harvest once a day until the end of the horizon."""
        context = self.context
        env = context.env
        ledger = context.ledger
        day = 0
        while True:
            harvest_at = day * 24 + self.harvest_hour
            if harvest_at >= context.horizon_h:
                return
            yield env.timeout(harvest_at - env.now)
            month = context.calendar.month[day]
            lots = []
            for product, sampler, season, rng in self.supplies:
                factor = season[month - 1]
                if factor <= 0:
                    continue
                kg = sampler() * factor
                if not math.isfinite(kg):  # the schema's bounds keep every draw finite
                    raise SimulationError(
                        f"sources.{self.source_id}.supply.{ledger.products[product]}.kg_per_day: "
                        f"drew {kg!r} kg"
                    )
                sigma = self.shelf_life_sigma[product]
                # Lognormal with mean 1: the lot's shelf life relative to nominal.
                limit = float(rng.lognormal(-sigma * sigma / 2, sigma)) if sigma else 1.0
                if kg <= 0:
                    continue
                lot = context.new_lot(
                    product, self.index, kg, limit, self.ambient, COLLECTION,
                    self.source_id, "field_to_collection",
                )  # fmt: skip
                ledger.harvest(env.now, product, kg, self.source_id, lot.id)
                lots.append(lot)
            if lots:
                arrival = env.timeout(self.travel_hours())
                arrival.callbacks.append(functools.partial(_arrive, self.deliver, lots))
            day += 1


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
    """

    holds_stock = True  # places and stores keep a daily stock series

    def __init__(
        self,
        context: Context,
        node_id: str,
        config: CollectionPoint,
        storage: Storage,
        seed: Seed,
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
        self.precool_hours = make_sampler(
            precooling.time_h, stream(seed, "collection_point", node_id, "precooling")
        )
        self.precool_rate = precooling.capacity_kg_per_h
        self.needs_precooling = (
            precooling.capacity_kg_per_h is not None or precooling.time_h.expected > 0
        )
        self.precooler = simpy.Resource(context.env, capacity=precooling.units)
        self.wait_key = f"{node_id}.precooling"

    @classmethod
    def build(cls, node_id: str, config: CollectionPoint, setup: BuildSetup) -> Self:
        """Build a collection point and its cold room (see :class:`~.kinds.NodeProcess`)."""
        context = setup.context
        storage = Storage(
            context, node_id, context.ambient[config.region], config.setpoint_c,
            config.cold_room_kg, config.on_full, COLLECTION, len(setup.product_index),
            config.class_setpoints_c,
        )  # fmt: skip
        return cls(context, node_id, config, storage, setup.seed)

    def stats(self) -> dict[str, float]:
        """Return peak stock, capacity, overflow and the pre-cooling queue's statistics."""
        ledger = self.context.ledger
        waits = ledger.waits.get(self.wait_key, [])
        return {
            "peak_stock_kg": self.storage.peak_occupied_kg,
            "capacity_kg": self.storage.capacity_kg,
            "overflow_kg": ledger.overflow_kg.get(self.node_id, 0.0),
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
        for lot in lots:
            if context.spoil_if_expired(lot, self.node_id):
                continue
            reject_fraction = self.reject_fraction[lot.product]
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
            if precooled:
                context.env.process(self._precool(lot))
            else:
                self.storage.receive(lot)

    def _precool(self, lot: Lot) -> Generator[simpy.Event, Any, None]:
        context = self.context
        env = context.env
        queued_at = env.now
        with self.precooler.request() as request:
            yield request
            context.ledger.wait(self.wait_key, env.now - queued_at)
            if context.spoil_if_expired(lot, self.node_id):
                return
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
            yield env.timeout(hours)
        if not context.spoil_if_expired(lot, self.node_id):
            self.storage.receive(lot)
