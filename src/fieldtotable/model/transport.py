"""Cold-chain legs: a fleet, a dispatch policy, transit, failures and closures."""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import simpy
from simpy.events import URGENT

from fieldtotable.model.context import Context, Seed, stream
from fieldtotable.model.logged import LoggedTrip, log_tables
from fieldtotable.model.lot import TRANSIT, Lot
from fieldtotable.model.storage import EPSILON_KG, Storage
from fieldtotable.model.switching import RouteSwitchRule, clearing_rate_kg_per_h
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.distributions import make_block_sampler, make_sampler
from fieldtotable.scenario.schema import Closures, FullOrTimeoutDispatch, Leg

HOURS_PER_YEAR = 365.0 * 24
Failure = tuple[float, float, Ambient]
"""A reefer failure on a trip: its start and end, h, and the outdoor ambient it exposes."""


def sample_closures(
    closures: Closures | None,
    month_of_day: Sequence[int],
    rng: np.random.Generator,
    wetness_of_day: Sequence[float] | None = None,
) -> list[tuple[float, float]]:
    """Closure intervals over the horizon: Poisson starts in the closure months.

    ``per_year`` closures are spread evenly over the hours of the listed months, so
    the rate inside those months is ``per_year / (hours in those months per year)``;
    with ``month_weights``, in proportion to each month's weight. A day's rate is
    multiplied by its ``wetness_of_day`` factor when given (the drawn wetness of its
    year, :mod:`.weather`). Overlapping closures merge into one interval.
    """
    if closures is None or closures.per_year == 0:
        return []
    months = set(closures.months)
    duration = make_sampler(closures.duration_h, rng)
    mean_per_day = _closures_per_day(closures, months)
    intervals: list[tuple[float, float]] = []
    for day, month in enumerate(month_of_day):
        if month not in months:
            continue
        mean = mean_per_day[month]
        if wetness_of_day is not None:
            mean *= wetness_of_day[day]
        count = int(rng.poisson(mean))
        starts = sorted(day * 24 + 24 * rng.random(count))
        for start in starts:
            end = start + duration()
            if intervals and start <= intervals[-1][1]:
                intervals[-1] = (intervals[-1][0], max(intervals[-1][1], end))
            else:
                intervals.append((start, end))
    return intervals


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _closures_per_day(closures: Closures, months: set[int]) -> dict[int, float]:
    """Return the expected closure starts a day in each of ``months`` (before wetness)."""
    weights = closures.month_weights
    if weights is None:
        share = sum(_DAYS_IN_MONTH[m - 1] for m in months) / 365.0
        rate_per_h = closures.per_year / (HOURS_PER_YEAR * share)
        return dict.fromkeys(months, rate_per_h * 24)
    weighted_days = sum(weights[m - 1] * _DAYS_IN_MONTH[m - 1] for m in months)
    return {m: closures.per_year * weights[m - 1] / weighted_days for m in months}


def merge_intervals(
    interval_lists: Iterable[Sequence[tuple[float, float]]],
) -> list[tuple[float, float]]:
    """Union of several lists of intervals, as sorted, disjoint intervals."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(interval for intervals in interval_lists for interval in intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def closed_hours(intervals: Iterable[tuple[float, float]], start_h: float, end_h: float) -> float:
    """Hours of ``[start_h, end_h]`` covered by disjoint closure ``intervals``."""
    return sum(max(0.0, min(end, end_h) - max(start, start_h)) for start, end in intervals)


def open_after(
    intervals: Sequence[tuple[float, float]], starts: Sequence[float], t: float
) -> float:
    """Earliest time >= ``t`` at which the leg is not closed."""
    index = bisect.bisect_right(starts, t) - 1
    if index >= 0 and intervals[index][1] > t:
        return intervals[index][1]
    return t


def travel_end(
    intervals: Sequence[tuple[float, float]], starts: Sequence[float], depart: float, moving: float
) -> float:
    """Arrival time of a trip needing ``moving`` hours of movement, stopped by closures."""
    t = depart
    index = bisect.bisect_right(starts, t)
    remaining = moving
    while index < len(intervals) and intervals[index][0] < t + remaining:
        start, end = intervals[index]
        remaining -= start - t
        t = end
        index += 1
    return t + remaining


class LegProcess:
    """One leg: vehicles carry lots from an origin storage to a destination.

    Parameters
    ----------
    context
        Shared run state.
    leg_id, config
        The leg's id and scenario entry.
    index
        Leg index in the ledger.
    origin
        Storage the cargo waits in.
    origin_ambient, destination_ambient
        Outdoor environments at both ends (loading; reefer failures).
    deliver
        Called with the lots at arrival.
    seed
        The replication's seed.
    destination
        The destination's storage, when it takes only what fits (back pressure): the
        leg then loads no more than :meth:`~.storage.Storage.room_kg` and reserves
        the space of what it loads.
    wetness_by_region
        The drawn wetness factor of each tabulated day, per region with a climate
        variation: closures naming a ``wetness_region`` scale their rate by it.
    """

    def __init__(
        self,
        context: Context,
        leg_id: str,
        config: Leg,
        index: int,
        origin: Storage,
        origin_ambient: Ambient,
        destination_ambient: Ambient,
        deliver: Callable[[list[Lot]], None],
        seed: Seed,
        destination: Storage | None = None,
        *,
        wetness_by_region: Mapping[str, Sequence[float]] | None = None,
    ) -> None:
        self.context = context
        self.leg_id = leg_id
        self.config = config
        self.index = index
        self.origin = origin
        self.origin_ambient = origin_ambient
        self.destination_ambient = destination_ambient
        self.deliver = deliver
        self.destination = (
            destination if destination is not None and destination.back_pressure else None
        )
        self.reefer_for = context.held_at(config.setpoint_c, config.class_setpoints_c)
        log = config.temperature_log
        self.log_tables = (
            log_tables(context.kinetics, log.elapsed_h, log.temp_c) if log is not None else None
        )
        """The leg's temperature log tabulated per product, replayed for every trip."""
        self.logged = [
            log is not None and temperature_class not in config.class_setpoints_c
            for temperature_class in context.temperature_classes
        ]
        """Per product: whether it rides at the log (not in a class chamber)."""
        self.available = config.fleet
        self.capacity_kg = config.vehicle_capacity_kg
        rng = stream(seed, "leg", leg_id, "transit")
        self.transit_hours = make_block_sampler(config.transit_time_h, rng)
        self.failure_rng = stream(seed, "leg", leg_id, "reefer_failure")
        failure = config.reefer_failure
        self.failure_hours = (
            make_sampler(failure.duration_h, self.failure_rng) if failure is not None else None
        )
        self.closures = merge_intervals(
            sample_closures(
                closures,
                context.calendar.month,
                # The first process keeps the key it had when legs took only one.
                stream(seed, "leg", leg_id, "closures", *([str(index)] if index else [])),
                None
                if closures.wetness_region is None or wetness_by_region is None
                else wetness_by_region.get(closures.wetness_region),
            )
            for index, closures in enumerate(config.closures)
        )
        self.closure_starts = [start for start, _ in self.closures]
        self.active_months = frozenset(config.active_months)
        self.products_by_month: dict[int, tuple[int, ...]] = {}
        """Products routed over this leg from its origin, per month (set by the world)."""
        self.switches: list[RouteSwitchRule] = []
        """Route switches that make this leg the alternative (set by the world)."""
        self.clearing_rate_kg_per_h = clearing_rate_kg_per_h(config)
        """Kg per hour this leg can carry away at most (route switches' backlog)."""
        self.timeout_pending = False
        self.trips = 0
        self.busy_hours = 0.0
        """Vehicle hours of finished round trips."""
        self.out_since: dict[int, float] = {}
        """Loading time of each vehicle still away, by trip number."""
        dispatch = config.dispatch
        if isinstance(dispatch, FullOrTimeoutDispatch):
            self.min_load_kg: float | None = dispatch.min_load_kg
            self.max_wait_h = dispatch.max_wait_h
        else:
            self.min_load_kg = None
            self.max_wait_h = math.inf
            context.env.process(self._schedule(dispatch.departures_h))

    # -- dispatch ---------------------------------------------------------------
    def routed_products_now(self) -> tuple[int, ...]:
        """Products routed over this leg from its origin this month (switches aside)."""
        return self.products_by_month.get(self.context.calendar.month_at(self.context.env.now), ())

    def products_now(self) -> tuple[int, ...]:
        """Products this leg carries from its origin now: this month's, and switched ones."""
        return self._products_in(self.context.calendar.month_at(self.context.env.now))

    def _products_in(self, month: int) -> tuple[int, ...]:
        """:meth:`products_now`, the month known (now's)."""
        routed = self.products_by_month.get(month, ())
        if not self.switches:
            return routed
        return routed + self.switched_products(routed)

    def switched_products(self, routed: tuple[int, ...]) -> tuple[int, ...]:
        """Products not routed over this leg that a route switch sends over it now."""
        return tuple(
            rule.product for rule in self.switches if rule.product not in routed and rule.active()
        )

    def _schedule(self, departures_h: Sequence[float]) -> Generator[simpy.Event, Any, None]:
        env = self.context.env
        hours = sorted(departures_h)
        day = 0
        while True:
            for hour in hours:
                at = day * 24 + hour
                if at >= self.context.horizon_h:
                    return
                yield env.timeout(at - env.now)
                self.dispatch(force=True)
            day += 1

    def cargo_arrived(self, _product: int) -> None:
        """React to cargo for this leg admitted at the origin (full-or-timeout legs)."""
        if self.min_load_kg is not None:
            self.dispatch(force=False)

    def dispatch(self, *, force: bool) -> None:
        """Send vehicles while cargo and vehicles are available.

        ``force`` (a scheduled departure or an expired wait) sends partial loads;
        otherwise a vehicle leaves only with ``min_load_kg``.
        """
        context = self.context
        env = context.env
        month = context.calendar.month_at(env.now)
        if month not in self.active_months:
            return
        products = self._products_in(month)
        if not products:
            return
        destination = self.destination
        rerouted = self._rerouted(products)
        blocked = False
        while self.available > 0:
            waiting = self.origin.kg_of(products)
            if waiting <= EPSILON_KG:
                break
            load_kg = self.capacity_kg
            if destination is not None:
                # Back pressure: load only what the destination can take; the rest stays
                # here, and the destination's freed space wakes the leg (destination_freed).
                room = destination.room_kg()
                blocked = room <= EPSILON_KG
                if blocked:
                    break
                waiting = min(waiting, room)
                load_kg = min(load_kg, room)
            if not force and waiting < min(self.min_load_kg or 0.0, self.capacity_kg):
                self._arm_timeout(products)
                break
            # Reserve the vehicle before loading: loading frees cold-room space, which
            # admits waiting lots and can re-enter dispatch() through on_stock.
            self.available -= 1
            lots = self.origin.take_oldest(products, load_kg)
            if not lots:
                self.available += 1
                break
            if destination is not None:
                for lot in lots:
                    destination.expect(lot)
            self._start_trip(lots, rerouted)
            force = force and self.min_load_kg is None
        if (
            self.min_load_kg is not None
            and not blocked
            and not self.timeout_pending  # _arm_timeout()'s own checks, before counting kg
            and self.available > 0
            and self.origin.kg_of(products) > EPSILON_KG
        ):
            self._arm_timeout(products)

    def _rerouted(self, products: tuple[int, ...]) -> frozenset[int]:
        """Of ``products``, those a route switch sends over this leg (not routed over it)."""
        if not self.switches:
            return frozenset()
        return frozenset(products).difference(self.routed_products_now())

    def destination_freed(self) -> None:
        """React to space freed at a destination with back pressure (full-or-timeout legs).

        A scheduled leg waits for its next departure.
        """
        if self.min_load_kg is None or self.available <= 0:
            return
        oldest = self.origin.oldest_arrival_h(self.products_now())
        self.dispatch(force=oldest + self.max_wait_h <= self.context.env.now + 1e-9)

    def _arm_timeout(self, products: Sequence[int]) -> None:
        # With every vehicle away the returning vehicle dispatches; a timer now would
        # fire at once, find no vehicle and re-arm at the same instant for ever.
        if self.timeout_pending or self.available <= 0:
            return
        oldest = self.origin.oldest_arrival_h(products)
        if not math.isfinite(oldest):
            return
        self.timeout_pending = True
        delay = max(oldest + self.max_wait_h - self.context.env.now, 0.0)
        self.context.env.timeout(delay).callbacks.append(self._timeout_fired)

    def _timeout_fired(self, _event: simpy.Event) -> None:
        self.timeout_pending = False
        products = self.products_now()
        if self.origin.oldest_arrival_h(products) + self.max_wait_h <= self.context.env.now + 1e-9:
            self.dispatch(force=True)
        else:
            self.dispatch(force=False)

    def closed_hours_between(self, start_h: float, end_h: float) -> float:
        """Hours between two clock times during which the leg was closed."""
        return closed_hours(self.closures, start_h, end_h)

    def busy_hours_until(self, time_h: float) -> float:
        """Vehicle hours spent on trips up to ``time_h``, trips under way included."""
        return self.busy_hours + sum(time_h - start for start in self.out_since.values())

    # -- the trip ---------------------------------------------------------------
    # A trip is a chain of methods linked by timeout callbacks, not a SimPy process (no
    # process-end event, no generator). Loading still waits for an URGENT event, as the
    # process's body waited for its Initialize: same-time ties, and so results, stay as
    # they were (loading at once changed them).
    def _start_trip(self, lots: list[Lot], rerouted: frozenset[int]) -> None:
        """Load ``lots`` at an URGENT event now, after those already scheduled."""
        env = self.context.env
        loading = simpy.Event(env)
        loading._ok = True
        loading._value = None
        loading.callbacks.append(functools.partial(self._load, lots, rerouted))
        env.schedule(loading, URGENT)

    def _load(self, lots: list[Lot], rerouted: frozenset[int], _event: simpy.Event) -> None:
        """Load the lots and book the trip (``rerouted``: products switched onto the leg)."""
        context = self.context
        env = context.env
        config = self.config
        ledger = context.ledger
        loaded_at = env.now
        kg = 0.0
        day = ledger.day(loaded_at)
        carried = ledger.leg_product_kg[self.index]
        handling = context.handling
        load = handling.load if handling.breaks_loading else None
        leg_id = self.leg_id
        origin_ambient = self.origin_ambient
        record_flows = ledger.record_flows  # the flow log's calls, skipped when it is off
        for lot in lots:
            lot.place(origin_ambient, loaded_at, TRANSIT, leg_id, "loading")
            if load is not None:
                load(lot, loaded_at)  # what loading breaks does not travel
            kg += lot.kg
            carried[lot.product][day] += lot.kg
            if record_flows:
                ledger.movement(loaded_at, "depart", lot.product, lot.kg, leg_id, lot.id)
        # The trip is booked when the vehicle is loaded, so that trips still on the
        # road when the run ends count in cost, CO2 and trips.
        tonne_km = kg / 1000.0 * config.distance_km
        cost = (
            config.cost_cny_per_trip
            + config.cost_cny_per_km * config.distance_km
            + config.cost_cny_per_kg * kg
        )
        co2 = tonne_km * config.co2_kg_per_tonne_km + config.distance_km * config.co2_kg_per_km
        ledger.trip(
            loaded_at, self.index, kg, tonne_km, cost, co2,
            rerouted_kg=sum(lot.kg for lot in lots if lot.product in rerouted) if rerouted else 0,
        )  # fmt: skip
        self.trips += 1
        trip = self.trips
        self.out_since[trip] = loaded_at
        if config.loading_h:
            loaded = env.timeout(config.loading_h)
            loaded.callbacks.append(functools.partial(self._depart, lots, trip))
        else:
            self._depart(lots, trip)

    def _depart(self, lots: list[Lot], trip: int, _event: simpy.Event | None = None) -> None:
        """Leave when the leg is open; draw the transit time and any reefer failure."""
        env = self.context.env
        depart = open_after(self.closures, self.closure_starts, env.now)
        # Held departures wait in the reefer; a logged trip's hour 0 is its departure.
        logged = LoggedTrip(self.log_tables, depart) if self.log_tables is not None else None
        now = env.now
        reefer_for = self.reefer_for
        leg_id = self.leg_id
        for lot in lots:
            product = lot.product
            reefer = logged if logged is not None and self.logged[product] else None
            lot.place(reefer or reefer_for[product], now, TRANSIT, leg_id, "in_transit")
        arrival = travel_end(self.closures, self.closure_starts, depart, self.transit_hours())
        failure = self._failure(depart, arrival)
        arrived = env.timeout(arrival - env.now)
        arrived.callbacks.append(functools.partial(self._arrive, lots, trip, arrival, failure))

    def _arrive(
        self, lots: list[Lot], trip: int, arrival: float, failure: Failure | None, _: simpy.Event
    ) -> None:
        """Unload: age the lots over the transit, deliver the sound ones, turn back."""
        context = self.context
        env = context.env
        ledger = context.ledger
        record_flows = ledger.record_flows
        leg_id = self.leg_id
        arrived: list[Lot] = []
        for lot in lots:
            lot.advance(arrival)
            if failure is not None:
                start, end, ambient = failure
                spoiled_before = lot.is_spoiled
                lot.add_exposure(ambient, start, end)
                if lot.is_spoiled and not spoiled_before:
                    lot.activity = "reefer_failure"
            if not context.spoil_if_expired(lot, leg_id):
                if record_flows:
                    ledger.movement(arrival, "arrive", lot.product, lot.kg, leg_id, lot.id)
                arrived.append(lot)
            elif self.destination is not None:
                self.destination.forget(lot)
        if arrived:
            self.deliver(arrived)
        # The vehicle returns empty; closures hold it too.
        back = travel_end(self.closures, self.closure_starts, env.now, self.transit_hours())
        env.timeout(back - env.now).callbacks.append(functools.partial(self._returned, trip))

    def _returned(self, trip: int, _event: simpy.Event) -> None:
        """Free the vehicle; a full-or-timeout leg looks for cargo at once."""
        self.busy_hours += self.context.env.now - self.out_since.pop(trip)
        self.available += 1
        if self.min_load_kg is not None:
            self.dispatch(force=False)

    def _failure(self, depart: float, arrival: float) -> Failure | None:
        """Draw whether the reefer fails between departure and arrival, and when."""
        failure = self.config.reefer_failure
        if failure is None or self.failure_hours is None:
            return None
        if self.failure_rng.random() >= failure.probability_per_trip:
            return None
        start = depart + (arrival - depart) * self.failure_rng.random()
        end = min(start + self.failure_hours(), arrival)
        # The first half of the route lies in the origin's climate, the second in the destination's.
        ambient = (
            self.origin_ambient if start < (depart + arrival) / 2 else self.destination_ambient
        )
        return start, end, ambient
