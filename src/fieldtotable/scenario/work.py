"""How much work a run of a scenario will be, estimated from its fields before it starts.

Each field has bounds (:mod:`.limits`), but products of fields that pass one by one
can still ask for a run of hours or for memory beyond any machine: a thousand tiny
vehicles shuttling a harvest, ten thousand departures a day on each of a hundred
legs, a store of a million customers a day in each of fifty products over ten years.
A run's cost follows its events (DESIGN.md section 7), so the events are estimated
here, month by month over the horizon, with the same rules as the model:

* a source makes a harvest and a delivery a day, and one lot per product in season;
  a lot that is pre-cooled adds :data:`EVENTS_PER_PRECOOLED_LOT`;
* a scheduled leg wakes at each departure hour, every day;
* a leg makes at most ``kg / vehicle_capacity_kg`` full trips a day, plus one partial
  trip per departure (scheduled) or per lot admitted at its origin
  (``full_or_timeout``: a partial load empties the origin), and at most
  ``fleet x 24 / (loading_h + 2 x transit_time_h)`` trips a day; each trip is
  :data:`EVENTS_PER_TRIP` events. The kg and lots reaching a leg's origin are those of
  every source upstream whose products the leg carries (a leg on every path is
  counted on each, so the estimate is an upper bound), one more lot per trip (a
  split);
* a store serves once per open hour and is replenished once a day; an order stream
  places one order every ``every_days``.

Some of these units of work no longer take an event of their own -- a shop serves its
hour slots when its shelf is next touched, a pre-cooling is one timeout with a
callback -- but they cost about as much work, so they are still counted as events:
the estimate stays an upper bound of the events (the 2023 baseline year: estimated
at 48,000, it takes about 25,000).

The run then stops with an error (:class:`~fieldtotable.errors.WorkLimitError`) if
it processes :data:`EVENT_BUDGET_FACTOR` times its estimate (see
:mod:`fieldtotable.model.world`), so that an estimate that misses something still
cannot run for ever. Besides events, the estimate counts the customers drawn (one
array entry each), the entries of the daily series and the paths routing compares.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DAILY_ROWS_PER_LEG",
    "DAILY_ROWS_PER_MARKET",
    "DAILY_ROWS_PER_PRODUCT",
    "EVENTS_PER_PRECOOLED_LOT",
    "EVENTS_PER_TRIP",
    "EVENT_BUDGET_FACTOR",
    "MAX_CUSTOMERS_OVER_HORIZON",
    "MAX_DAILY_SERIES_ENTRIES",
    "MAX_ESTIMATED_EVENTS",
    "MAX_ROUTE_PATHS",
    "MIN_EVENT_BUDGET",
    "WorkEstimate",
    "estimate_work",
    "work_problems",
]

Loc = tuple[str | int, ...]

MAX_ESTIMATED_EVENTS = 30_000_000
"""Most events a run may be estimated to take. The model processes about 100,000
events a second (``benchmarks/perf``: the 2023 baseline year was 42,000 events in
0.4 s; it is now about 25,000 in 0.45 s, the same work in fewer events), so this is
about five minutes. The baseline at ``scale`` 100 for a year is
estimated at about 60,000; a thousand producers for ten years at about 7 million."""
EVENT_BUDGET_FACTOR = 10
"""A run stops with an error once it has processed this many times its estimated
events (the estimate is an upper bound for every scenario shipped; the factor covers
what it cannot see, such as a transit time much shorter than its expected value)."""
MIN_EVENT_BUDGET = 1_000_000
"""The smallest event budget of a run (a few seconds), whatever its estimate."""
EVENTS_PER_TRIP = 6
"""Events of one trip: its process, loading, arrival, the empty return, the hub's dock
and handling, and a dispatch timer."""
EVENTS_PER_PRECOOLED_LOT = 4
"""Work of one lot's pre-cooling, counted as events: queueing, the unit taken, the
cooling, the end (a process, a resource request and a timeout before the pre-coolers
became counters; one timeout now)."""
MAX_CUSTOMERS_OVER_HORIZON = 1e10
"""Most customers drawn over a run, all stores and products together (each is one
random draw, about 5 ns: under a minute). The 2023 baseline at ``scale`` 1000 for ten
years draws 2.4e9."""
MAX_DAILY_SERIES_ENTRIES = 10_000_000
"""Most entries of the daily series a run keeps: days x (products x
:data:`DAILY_ROWS_PER_PRODUCT` + legs x :data:`DAILY_ROWS_PER_LEG` + markets x
:data:`DAILY_ROWS_PER_MARKET` + nodes holding stock); up to 32 bytes each while the
run lasts, so at most about 320 MB. The baseline over ten years: 1,250,000."""
DAILY_ROWS_PER_PRODUCT = 32
"""Daily series per product: the ledger's 24 quantities, spoilage and damage at 4 stages."""
DAILY_ROWS_PER_LEG = 6
"""Daily series per leg: trips, kg carried, tonne-km, cost, CO2, kg rerouted onto it."""
DAILY_ROWS_PER_MARKET = 4
"""Daily series per market: demand, sold, lost sales, sales value."""
MAX_ROUTE_PATHS = 20_000
"""Most paths routing compares: simple paths from every node to every hub supplying a
market, times products (routing ranks each path for each product and month, about
10 microseconds each). Parallel legs multiply paths: 15 hubs in a row joined by two
legs each give 65,000 paths per product. The baseline: 243."""


@dataclass
class WorkEstimate:
    """Estimated work of one run, with the share of the largest contributors.

    Attributes
    ----------
    events
        Estimated events over the horizon.
    customers
        Expected customers drawn over the horizon (all stores and products).
    by_item
        Field path -> (estimated events over the horizon, why): the contributors, each
        located at the field most responsible for it.
    trips_per_day
        Leg id -> estimated trips on the busiest day's month, for the run-time guard.
    """

    events: float = 0.0
    customers: float = 0.0
    by_item: dict[Loc, tuple[float, str]] = field(default_factory=dict)
    trips_per_day: dict[str, float] = field(default_factory=dict)

    def add(self, loc: Loc, events: float, why: str) -> None:
        """Add ``events`` to the total and to the item at ``loc`` (keeping the larger why)."""
        self.events += events
        before, reason = self.by_item.get(loc, (0.0, why))
        self.by_item[loc] = (before + events, reason if before >= events else why)

    def largest(self) -> tuple[Loc, tuple[float, str]]:
        """Return the contributor with the most events."""
        return max(self.by_item.items(), key=lambda item: item[1][0])

    @property
    def event_budget(self) -> int:
        """Events a run may process before it stops with an error."""
        return max(MIN_EVENT_BUDGET, math.ceil(EVENT_BUDGET_FACTOR * self.events))


def _days_per_month(start: dt.date, days: int) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    day, left = start, days
    while left > 0:
        if day.month == 12 and day.year == dt.MAXYEAR:  # the calendar's last month
            counts[12] += left
            break
        month_end = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        taken = min((month_end - day).days, left)
        counts[day.month] += taken
        day, left = month_end, left - taken
    return counts


def _topological(nodes: set[str], legs: Mapping[str, Any]) -> list[str] | None:
    """Nodes in an order where every leg goes forward, or None for a cycle."""
    incoming = dict.fromkeys(nodes, 0)
    out: dict[str, list[str]] = defaultdict(list)
    for leg in legs.values():
        incoming[leg.to] += 1
        out[leg.from_].append(leg.to)
    ready = sorted(node for node, count in incoming.items() if count == 0)
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for nxt in out[node]:
            incoming[nxt] -= 1
            if incoming[nxt] == 0:
                ready.append(nxt)
    return order if len(order) == len(nodes) else None


def _leg_trips(leg: Any, kg: float, lots: float) -> tuple[float, str]:
    """Trips a day of ``leg`` given ``kg`` and ``lots`` a day reaching it, and what binds."""
    departures = getattr(leg.dispatch, "departures_h", None)
    full = kg / leg.vehicle_capacity_kg
    if departures is not None:
        bounds = [
            (full + len(departures), "vehicle_capacity_kg"),
            (len(departures) * leg.fleet, "fleet"),
        ]
    else:
        bounds = [(full + lots, "vehicle_capacity_kg" if full >= lots else "dispatch")]
    cycle_h = leg.loading_h + 2 * leg.transit_time_h.expected
    if cycle_h > 0:
        bounds.append((leg.fleet * 24 / cycle_h, "fleet"))
    return min(bounds)


def estimate_work(scenario: Any) -> WorkEstimate | None:
    """Estimate the events, customers and trips of a run of ``scenario``.

    Parameters
    ----------
    scenario
        A :class:`~fieldtotable.scenario.schema.Scenario` whose fields are each valid.

    Returns
    -------
    WorkEstimate or None
        The estimate; ``None`` when the legs name unknown nodes or form a cycle (the
        network check reports those).
    """
    legs = scenario.legs
    nodes = set(scenario.collection_points) | set(scenario.hubs) | set(scenario.nodes)
    if any(leg.from_ not in nodes or leg.to not in nodes for leg in legs.values()):
        return None
    order = _topological(nodes, legs)
    if order is None:
        return None
    out_legs: dict[str, list[str]] = defaultdict(list)
    for leg_id, leg in legs.items():
        out_legs[leg.from_].append(leg_id)
    estimate = WorkEstimate()
    days = _days_per_month(scenario.start_date, scenario.horizon_days)
    scale = scenario.scale
    classes = {pid: p.temperature_class for pid, p in scenario.products.items()}
    estimate.add(("horizon_days",), 2.0 * scenario.horizon_days, "the daily bookkeeping")
    for month, count in days.items():
        # kg and lots a day of each product reaching each node this month.
        kg: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        lots: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for source in scenario.sources.values():
            in_season = [
                (pid, supply.kg_per_day.expected * supply.season[month - 1] * scale)
                for pid, supply in source.supply.items()
                if supply.season[month - 1] > 0
            ]
            point = scenario.collection_points.get(source.collection_point)
            precooling = None if point is None else point.precooling
            cooled = precooling is not None and (
                precooling.capacity_kg_per_h is not None or precooling.time_h.expected > 0
            )
            events = 1.0 + bool(in_season)
            for pid, kg_per_day in in_season:
                kg[source.collection_point][pid] += kg_per_day
                lots[source.collection_point][pid] += 1
                if cooled and precooling is not None and classes.get(pid) in precooling.classes:
                    events += EVENTS_PER_PRECOOLED_LOT
            estimate.add(("sources",), events * count, "harvests and lots")
        for node in order:
            for leg_id in out_legs[node]:
                leg = legs[leg_id]
                if month not in leg.active_months:
                    if hasattr(leg.dispatch, "departures_h"):
                        departures = len(leg.dispatch.departures_h) * count
                        estimate.add(("legs", leg_id, "dispatch"), departures, "departures")
                    continue
                carried = [pid for pid in kg[node] if leg.products is None or pid in leg.products]
                leg_kg = sum(kg[node][pid] for pid in carried)
                leg_lots = sum(lots[node][pid] for pid in carried)
                trips, binds = _leg_trips(leg, leg_kg, leg_lots)
                estimate.trips_per_day[leg_id] = max(estimate.trips_per_day.get(leg_id, 0), trips)
                why = (
                    f"{trips:,.0f} trips a day ({leg_kg:,.0f} kg a day in vehicles of "
                    f"{leg.vehicle_capacity_kg:g} kg, fleet {leg.fleet})"
                )
                departures = len(getattr(leg.dispatch, "departures_h", ()))
                if departures > trips:
                    binds, why = "dispatch", f"{departures:,} departures a day"
                estimate.add(
                    ("legs", leg_id, binds), (departures + EVENTS_PER_TRIP * trips) * count, why
                )
                for pid in carried:
                    kg[leg.to][pid] += kg[node][pid]
                    lots[leg.to][pid] += lots[node][pid] + trips / len(carried)
        for market_id, market in scenario.markets.items():
            if market.kind == "store":
                opening, closing = market.open_hours
                slots = math.ceil(closing) - math.floor(opening) + 1
                events = slots + 1 + len(market.demand)
                estimate.add(("markets", market_id), events * count, "sales and replenishment")
                for demand in market.demand.values():
                    weekday = sum(demand.weekday_factors) / 7
                    estimate.customers += (
                        demand.customers_per_day.expected
                        * weekday
                        * demand.season[month - 1]
                        * scale
                        * count
                    )
            elif market.kind == "orders":
                for pid, stream in market.orders.items():
                    estimate.add(
                        ("markets", market_id, "orders", pid, "every_days"),
                        count / stream.every_days,
                        f"an order every {stream.every_days:g} days",
                    )
                    if market.delivery is not None:  # one courier event per parcel
                        kg = stream.kg.expected * stream.season[month - 1] * scale
                        parcels = math.ceil(kg / market.delivery.parcel_kg)
                        estimate.add(
                            ("markets", market_id, "delivery", "parcel_kg"),
                            parcels * count / stream.every_days,
                            f"{parcels:,} parcels an order",
                        )
    return estimate


def route_paths(scenario: Any) -> int | None:
    """Count the paths routing compares: node-to-market-hub simple paths x products.

    Returns
    -------
    int or None
        The count; ``None`` when the legs name unknown nodes or form a cycle.
    """
    nodes = set(scenario.collection_points) | set(scenario.hubs) | set(scenario.nodes)
    legs = scenario.legs
    if any(leg.from_ not in nodes or leg.to not in nodes for leg in legs.values()):
        return None
    order = _topological(nodes, legs)
    if order is None:
        return None
    targets: dict[str, int] = defaultdict(int)  # hub -> products sold from it
    for market in scenario.markets.values():
        targets[market.supplied_by] += len(market.demand_by_product()[1])
    ends: dict[str, list[str]] = defaultdict(list)
    for leg in legs.values():
        ends[leg.from_].append(leg.to)
    total = 0
    for hub, products in targets.items():
        paths = dict.fromkeys(nodes, 0)  # paths from each node to ``hub``
        paths[hub] = 1
        for node in reversed(order):
            paths[node] += sum(paths[end] for end in ends[node])
        total += products * (sum(paths.values()) - 1)
    return total


def daily_series_entries(scenario: Any) -> int:
    """Count the entries of the daily series a run keeps (see :data:`MAX_DAILY_SERIES_ENTRIES`)."""
    stores = sum(1 for market in scenario.markets.values() if market.kind == "store")
    places = len(scenario.collection_points) + len(scenario.hubs) + len(scenario.nodes)
    rows = (
        len(scenario.products) * DAILY_ROWS_PER_PRODUCT
        + len(scenario.legs) * DAILY_ROWS_PER_LEG
        + len(scenario.markets) * DAILY_ROWS_PER_MARKET
        + places
        + stores
        + 1
    )
    return int(rows * scenario.horizon_days)


def work_problems(scenario: Any) -> list[tuple[Loc, str, Any]]:
    """Return the work limits a validated scenario breaks (see the module docstring).

    Parameters
    ----------
    scenario
        A :class:`~fieldtotable.scenario.schema.Scenario` whose fields are each valid.

    Returns
    -------
    list of (loc, message, value)
        The field path to report at, what is wrong, and the value to show.
    """
    problems: list[tuple[Loc, str, Any]] = []
    paths = route_paths(scenario)
    if paths is not None and paths > MAX_ROUTE_PATHS:
        problems.append(
            (
                ("legs",),
                f"too many routes to compare: {paths:,} paths x products from the nodes to "
                f"the markets' hubs (at most {MAX_ROUTE_PATHS:,}); parallel legs multiply "
                "paths",
                None,
            )
        )
        return problems  # the estimate below walks the same legs
    entries = daily_series_entries(scenario)
    if entries > MAX_DAILY_SERIES_ENTRIES:
        problems.append(
            (
                ("horizon_days",),
                f"too long for so many products, legs and nodes: {entries:,} daily series "
                f"entries (at most {MAX_DAILY_SERIES_ENTRIES:,}); shorten the horizon",
                scenario.horizon_days,
            )
        )
    estimate = estimate_work(scenario)
    if estimate is None:
        return problems
    if estimate.customers > MAX_CUSTOMERS_OVER_HORIZON:
        problems.append(
            (
                ("markets",),
                f"too many customers for one run: {estimate.customers:.3g} expected over "
                f"{scenario.horizon_days} days, all stores and products (at most "
                f"{MAX_CUSTOMERS_OVER_HORIZON:g}); shorten the horizon or lower scale",
                None,
            )
        )
    if estimate.events > MAX_ESTIMATED_EVENTS:
        loc, (events, why) = estimate.largest()
        share = f"{events:,.0f} of them from {why}"
        problems.append(
            (
                loc,
                f"too much work for one run: about {estimate.events:,.0f} events over "
                f"{scenario.horizon_days} days (at most {MAX_ESTIMATED_EVENTS:,}), {share}",
                None,
            )
        )
    return problems
