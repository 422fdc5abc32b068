"""The world: a scenario and a seed turned into connected SimPy components."""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import operator
import threading
from collections.abc import Generator, Iterator
from typing import Any

import simpy

from fieldtotable.model.budget import overrun_error, run_until
from fieldtotable.model.context import Context, replication_seed
from fieldtotable.model.handling import Handling
from fieldtotable.model.kinds import BuildSetup, NodeProcess, PlaceProcess
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.nodes import node_kind
from fieldtotable.model.prepared import prepared
from fieldtotable.model.routing import market_hubs
from fieldtotable.model.storage import Storage
from fieldtotable.model.switching import RouteSwitchRule
from fieldtotable.model.thermal import Ambient, hourly_temperatures
from fieldtotable.model.transport import LegProcess
from fieldtotable.model.weather import WeatherYear, apply_weather, draw_weather
from fieldtotable.scenario.nodes import markets, places
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.work import MIN_EVENT_BUDGET, WorkEstimate

_KG = operator.attrgetter("kg")

#: Generation-1 collections between two full garbage collections during a run (the
#: interpreter's default is 10); see :meth:`World.run`.
FULL_GC_EVERY = 1000

_gc_lock = threading.Lock()
_gc_runs = 0
_gc_saved: tuple[int, ...] = ()


@contextlib.contextmanager
def _spaced_full_collections() -> Iterator[None]:
    """Space out full garbage collections; the first run in sets it, the last out restores."""
    global _gc_runs, _gc_saved  # noqa: PLW0603 -- one setting per process, shared by threads
    with _gc_lock:
        if _gc_runs == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(_gc_saved[0], _gc_saved[1], max(_gc_saved[2], FULL_GC_EVERY))
        _gc_runs += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_runs -= 1
            if _gc_runs == 0:
                gc.set_threshold(*_gc_saved)


def events_processed(env: simpy.Environment) -> int:
    """Events ``env`` has processed so far, read from SimPy's own counters.

    SimPy numbers every event it schedules; the processed ones are those no longer
    in its queue. Reading the counters costs nothing during the run (overriding
    ``step`` to count would slow every event).
    """
    scheduled = next(env._eid) - 1
    env._eid = itertools.count(scheduled + 1)
    return scheduled - len(env._queue)


def _wake(legs: tuple[LegProcess, ...]) -> None:
    """Tell legs into a store with back pressure that it has space again."""
    for leg in legs:
        leg.destination_freed()


class World:
    """All components of one replication, wired together.

    Parameters
    ----------
    scenario
        The channel configuration.
    replication
        Index of the replication within an experiment (see
        :func:`~fieldtotable.model.context.replication_seed`); ``None`` for a plain run.
    seed
        The replication's seed; every component draws from its own stream derived
        from it (see :func:`fieldtotable.model.context.stream`).
    record_flows
        Keep the per-movement flow log in the ledger.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 0,
        *,
        replication: int | None = None,
        record_flows: bool = False,
    ) -> None:
        # A world's tables are no garbage: full collections spaced out (see run()).
        with _spaced_full_collections():
            self._create(scenario, seed, replication, record_flows)

    def _create(
        self, scenario: Scenario, seed: int, replication: int | None, record_flows: bool
    ) -> None:
        self.scenario = scenario
        self.seed = replication_seed(seed, replication)
        parts = prepared(scenario)
        self.work: WorkEstimate | None = parts.work
        """The run's estimated work (:mod:`fieldtotable.scenario.work`)."""
        self._routing = parts.routing
        days = scenario.horizon_days
        self.env = simpy.Environment()
        self.product_ids = list(scenario.products)
        self.product_index = {pid: i for i, pid in enumerate(self.product_ids)}
        self.leg_ids = list(scenario.legs)
        self.ledger = Ledger(
            self.product_ids,
            self.leg_ids,
            days,
            warmup_days=scenario.warmup_days,
            record_flows=record_flows,
        )
        calendar = parts.calendar
        kinetics = parts.kinetics
        self.weather: dict[str, WeatherYear] = {
            region: draw_weather(
                climate.variation, region, scenario.start_date, calendar.month, self.seed
            )
            for region, climate in scenario.climate.items()
            if climate.variation is not None
        }
        """The weather each region with a declared variation drew (:mod:`.weather`)."""
        ambient = {}
        for region, climate in scenario.climate.items():
            if region not in self.weather:
                ambient[region] = parts.ambient[region]
                continue
            hourly = hourly_temperatures(
                climate.monthly_mean_c, climate.daily_range_c, calendar.month
            )
            hourly = apply_weather(hourly, self.weather[region], scenario.start_date)
            ambient[region] = Ambient(hourly, kinetics)
        self.context = Context(
            self.env,
            self.ledger,
            calendar,
            kinetics,
            ambient,
            days * 24.0,
            [p.temperature_class for p in scenario.products.values()],
            Handling.for_products(self.ledger, list(scenario.products.values()), kinetics),
        )
        self._build()

    def _build(self) -> None:
        scenario, context = self.scenario, self.context
        setup = BuildSetup(scenario, context, self.seed, self.product_index)
        final = market_hubs(scenario)
        all_places = places(scenario)
        setup.market_products = {
            node_id: frozenset(
                self.product_index[p] for p, nodes in final.items() if node_id in nodes
            )
            for node_id in all_places
        }
        # Places first (legs start and end at them, sources and markets name them),
        # then legs, sources and markets; the order fixes SimPy's tie-breaking.
        self.places: dict[str, PlaceProcess] = setup.places
        for node_id, (kind, config) in all_places.items():
            setup.places[node_id] = node_kind(kind.kind).process.build(node_id, config, setup)
        self.legs: dict[str, LegProcess] = {}
        wetness = {
            region: weather.wetness_by_day(len(context.calendar.month))
            for region, weather in self.weather.items()
        }
        for index, (leg_id, leg) in enumerate(scenario.legs.items()):
            origin, destination = self.places[leg.from_], self.places[leg.to]
            self.legs[leg_id] = LegProcess(
                context, leg_id, leg, index, origin.storage, origin.ambient,
                destination.ambient, destination.receive, self.seed, destination.storage,
                wetness_by_region=wetness,
            )  # fmt: skip
        self._wire_back_pressure()
        self._wire_routing()
        setup.source_index = {source_id: i for i, source_id in enumerate(scenario.sources)}
        source = node_kind("source").process
        self.sources: list[NodeProcess] = [
            source.build(source_id, config, setup) for source_id, config in scenario.sources.items()
        ]
        self.markets: dict[str, NodeProcess] = {
            market_id: node_kind(kind.kind).process.build(market_id, config, setup)
            for market_id, (kind, config) in markets(scenario).items()
        }
        # The nodes whose stock is recorded at the end of each day (places, stores).
        self.stock_series: dict[str, list[float]] = {
            node_id: [0.0] * scenario.horizon_days
            for node_id, process in [*self.places.items(), *self.markets.items()]
            if process.holds_stock
        }
        self.in_transit_series = [0.0] * scenario.horizon_days
        self.env.process(self._daily())
        self.env.process(self._month_starts())

    @property
    def storages(self) -> dict[str, Storage]:
        """The storage of every place, by id."""
        return {node_id: place.storage for node_id, place in self.places.items()}

    def _wire_back_pressure(self) -> None:
        """Let a store that takes only what fits wake the legs into it when space frees."""
        inbound: dict[str, list[LegProcess]] = {}
        for leg in self.legs.values():
            if leg.destination is not None:
                inbound.setdefault(leg.config.to, []).append(leg)
        for node_id, legs in inbound.items():
            self.places[node_id].storage.on_space = functools.partial(_wake, tuple(legs))

    def _wire_routing(self) -> None:
        table = self._routing
        for leg in self.legs.values():
            origin = leg.config.from_
            leg.products_by_month = {
                month: tuple(
                    self.product_index[p] for p, leg_id in table[month][origin].items()
                    if leg_id == leg.leg_id
                )
                for month in table
            }  # fmt: skip
        rules = self._wire_switches(table)
        for node_id, place in self.places.items():
            storage = place.storage
            # Only legs that wait for loads react to cargo (cargo_arrived); a node with
            # none keeps the storage's no-op on_stock, saving a call per lot admitted.
            by_product = {
                month: {
                    self.product_index[p]: self.legs[leg_id]
                    for p, leg_id in choices.items()
                    if self.legs[leg_id].min_load_kg is not None
                }
                for month, nodes in table.items()
                for choices in [nodes.get(node_id, {})]
            }
            waiting_switches = [
                rule
                for rule in rules
                if rule.origin is storage and rule.alternative.min_load_kg is not None
            ]
            if any(by_product.values()) or waiting_switches:
                storage.on_stock = functools.partial(
                    self._cargo_arrived, by_product, waiting_switches
                )

    def _wire_switches(self, table: dict[int, dict[str, dict[str, str]]]) -> list[RouteSwitchRule]:
        """Make the scenario's route switches live; give each to its alternative leg."""
        rules = []
        for switch in self.scenario.routing.switches:
            alternative = self.legs[switch.leg]
            origin = alternative.config.from_
            usual = {
                month: self.legs[leg_id]
                for month, nodes in table.items()
                if (leg_id := nodes.get(origin, {}).get(switch.product)) is not None
                and leg_id != switch.leg
            }
            rule = RouteSwitchRule(
                self.context, self.product_index[switch.product], alternative.origin, usual,
                switch.backlog_over_h, alternative,
            )  # fmt: skip
            alternative.switches.append(rule)
            rules.append(rule)
        return rules

    def _cargo_arrived(
        self,
        by_product: dict[int, dict[int, LegProcess]],
        switches: list[RouteSwitchRule],
        product: int,
    ) -> None:
        """Tell the leg that carries ``product`` onward this month that cargo is waiting.

        A waiting alternative leg of a route switch for ``product`` is told too while the
        switch is on.
        """
        leg = by_product[self.context.calendar.month_at(self.env.now)].get(product)
        if leg is not None:
            leg.cargo_arrived(product)
        for rule in switches:
            if rule.product == product and rule.active():
                rule.alternative.cargo_arrived(product)

    def _month_starts(self) -> Generator[simpy.Event, Any, None]:
        """Wake legs that wait for loads at each new month.

        Routing may now send them cargo that was already waiting (a scheduled leg
        looks at its stock at every departure anyway).
        """
        month = self.context.calendar.month
        waiting_legs = [leg for leg in self.legs.values() if leg.min_load_kg is not None]
        if not waiting_legs:
            return
        for day in range(1, self.scenario.horizon_days):
            if month[day] != month[day - 1]:
                yield self.env.timeout(day * 24 - self.env.now)
                for leg in waiting_legs:
                    leg.dispatch(force=False)

    def _daily(self) -> Generator[simpy.Event, Any, None]:
        """End of each day: inspect stores for expired stock, record stock levels."""
        env = self.env
        nodes = [*self.places.items(), *self.markets.items()]
        storages = [place.storage for place in self.places.values()]
        series = self.stock_series
        for day in range(self.scenario.horizon_days):
            yield env.timeout((day + 1) * 24 - env.now - 1e-6)
            for node_id, process in nodes:
                held = process.end_of_day()
                if held is not None:
                    series[node_id][day] = held
            for storage in storages:
                storage.close_day(day)
            placed = sum(series[n][day] for n in series)
            # map(attrgetter): the same sum in the same order as a generator, faster:
            # this walks every live lot once a day.
            self.in_transit_series[day] = max(
                sum(map(_KG, self.context.live.values())) - placed, 0.0
            )

    def run(self) -> None:
        """Run to the end of the horizon, then age every live lot to the end.

        A lot whose shelf life ran out is booked as spoiled; the others have the weight
        they lost settled (:mod:`~fieldtotable.model.handling`) and stay in the system.

        Full garbage collections are spaced out while the world is built and SimPy
        runs (the young generations are collected as usual; the setting is restored
        afterwards): a full collection scans every live lot, event and process, and a
        large run -- a thousand producers, a long horizon -- holds hundreds of
        thousands of them, almost none cyclic garbage, so that full collections took a
        quarter of its time; building the baseline's tables set one off in one run of
        twenty (70 ms). Results do not depend on it.

        Raises
        ------
        fieldtotable.errors.WorkLimitError
            If the run takes more events than its budget (ten times its estimate; see
            :mod:`fieldtotable.model.budget`).
        """
        horizon_h = self.context.horizon_h
        work = self.work
        budget = MIN_EVENT_BUDGET if work is None else work.event_budget
        with _spaced_full_collections():
            finished = run_until(self.env, horizon_h, budget)
        context = self.context
        if not finished:
            raise overrun_error(
                events=events_processed(self.env),
                estimate=0.0 if work is None else work.events,
                now_h=self.env.now,
                trips={leg_id: leg.trips for leg_id, leg in self.legs.items()},
                trips_per_day={} if work is None else work.trips_per_day,
                lots=context._next_id,
            )
        for lot in list(context.live.values()):
            lot.advance(horizon_h)
            if lot.is_spoiled:
                at = min(max(lot.expires_at_h, lot.harvested_h), horizon_h)
                context.discard_spoiled(lot, at, "end")
            elif lot.shrinkage is not None:
                # The weight lost where the lot is now: the kg left are in the system.
                lot.shrinkage.settle(lot, horizon_h)

    @property
    def in_system_kg(self) -> float:
        """Kg of every live lot (in storage, waiting, in vehicles, on shelves)."""
        return sum(lot.kg for lot in self.context.live.values())
