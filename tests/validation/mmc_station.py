"""A pre-cooling station fed by a Poisson stream: the M/M/c queue of the validation tests.

A collection point whose pre-cooling has ``c`` units and exponential service times
(``time_h: {dist: gamma, mean: m, cv: 1}``), fed by a Poisson stream of lots, is an
M/M/c queue. :func:`simulate_station` runs one replication and measures it two ways:
the wait of every lot from the model's own record (``ledger.waits``), and the state
of the pre-coolers (units busy, lots queued) seen by an independent Poisson observer,
whose averages are time averages (Poisson arrivals see time averages, PASTA). The
Erlang-C formulas give the theory. Used by ``test_precooling_mmc.py`` and by
``benchmarks/validation.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.collection import CollectionPointProcess
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import COLLECTION
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.schema import CollectionPoint

ARRIVAL_RATE_PER_H = 1.0
UTILISATION = 0.7
FEED_H = 5000.0  # arrivals stop here; the queue then drains
WARMUP_H = 200.0  # waits of lots arriving before this, and states seen before it, are discarded
DRAIN_H = 200.0
OBSERVATIONS_PER_H = 2.0  # rate of the Poisson observer of the pre-coolers' state
DAYS = math.ceil((FEED_H + DRAIN_H) / 24) + 2


@dataclass(frozen=True)
class ErlangC:
    """Steady-state measures of an M/M/c queue (Erlang C).

    Attributes
    ----------
    utilisation
        ``rho = lambda / (c mu)``: the share of time a unit is busy.
    probability_of_waiting
        Erlang's C: the probability that an arriving lot finds every unit busy.
    mean_wait_h
        ``Wq = C / (c mu - lambda)``, hours.
    mean_in_queue
        ``Lq = C rho / (1 - rho)`` lots waiting.
    mean_in_system
        ``L = Lq + lambda / mu`` lots waiting or in service.
    """

    utilisation: float
    probability_of_waiting: float
    mean_wait_h: float
    mean_in_queue: float
    mean_in_system: float


def erlang_c(arrival_rate: float, service_mean: float, servers: int) -> ErlangC:
    """Return the Erlang-C measures of an M/M/c queue (``service_mean`` in hours)."""
    offered = arrival_rate * service_mean  # a = lambda / mu
    assert offered < servers
    rho = offered / servers
    top = offered**servers / math.factorial(servers) / (1 - rho)
    bottom = sum(offered**k / math.factorial(k) for k in range(servers)) + top
    waiting = top / bottom
    mean_in_queue = waiting * rho / (1 - rho)
    return ErlangC(
        utilisation=rho,
        probability_of_waiting=waiting,
        mean_wait_h=waiting / (servers / service_mean - arrival_rate),
        mean_in_queue=mean_in_queue,
        mean_in_system=mean_in_queue + offered,
    )


@dataclass(frozen=True)
class StationRun:
    """What one replication of the station measured.

    Attributes
    ----------
    mean_wait_h
        Mean wait in queue of the lots that arrived after the warm-up, from
        ``ledger.waits``.
    utilisation
        Mean share of the units busy, seen by the Poisson observer.
    mean_in_queue, mean_in_system
        Mean lots queued, and queued or in service, seen by the observer.
    """

    mean_wait_h: float
    utilisation: float
    mean_in_queue: float
    mean_in_system: float


def simulate_station(servers: int, service_mean: float, seed: int) -> StationRun:
    """Run one replication of the M/M/c pre-cooling station."""
    env = simpy.Environment()
    kinetics = [Kinetics(1e5, 0.0, q10=2.0)]  # nothing spoils
    ledger = Ledger(["p"], [], DAYS)
    ambient = Ambient(np.full(24 * (DAYS + 2), 10.0), kinetics)
    context = Context(
        env,
        ledger,
        Calendar(dt.date(2023, 1, 1), DAYS + 2),
        kinetics,
        {"field": ambient},
        DAYS * 24.0,
    )
    config = CollectionPoint.model_validate(
        {
            "region": "field",
            "cold_room_kg": 1e9,
            "setpoint_c": 2.0,
            "precooling": {
                "units": servers,
                "time_h": {"dist": "gamma", "mean": service_mean, "cv": 1.0},
            },
        }
    )
    storage = Storage(context, "cp", ambient, 2.0, 1e9, "wait", COLLECTION, 1)
    point = CollectionPointProcess(context, "cp", config, storage, seed)
    arrivals: list[float] = []
    busy: list[int] = []
    queued: list[int] = []
    rng = np.random.default_rng([seed, 7919])
    observer_rng = np.random.default_rng([seed, 104729])

    def feeder() -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(rng.exponential(1 / ARRIVAL_RATE_PER_H))
            if env.now >= FEED_H:
                return
            arrivals.append(env.now)
            point.receive([context.new_lot(0, 0, 10.0, 1.0, ambient, COLLECTION)])

    def observer() -> Generator[simpy.Event, Any, None]:
        # Looks at the pre-coolers at Poisson times while the stream is stationary.
        while True:
            yield env.timeout(observer_rng.exponential(1 / OBSERVATIONS_PER_H))
            if env.now >= FEED_H:
                return
            if env.now >= WARMUP_H:
                busy.append(point.busy_units)
                queued.append(len(point.queue))

    env.process(feeder())
    env.process(observer())
    env.run(until=FEED_H + DRAIN_H)
    waits = ledger.waits["cp.precooling"]
    # Served first come first served: the i-th wait belongs to the i-th arrival.
    assert len(waits) == len(arrivals)
    assert math.isclose(storage.occupied_kg, 10.0 * len(arrivals), rel_tol=1e-9)
    kept = [w for a, w in zip(arrivals, waits, strict=True) if a >= WARMUP_H]
    in_service = np.asarray(busy, dtype=float)
    in_queue = np.asarray(queued, dtype=float)
    return StationRun(
        mean_wait_h=float(np.mean(kept)),
        utilisation=float(in_service.mean() / servers),
        mean_in_queue=float(in_queue.mean()),
        mean_in_system=float((in_service + in_queue).mean()),
    )
