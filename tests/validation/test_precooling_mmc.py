"""Pre-cooling against queueing theory: Poisson arrivals, exponential service, c units.

A collection point whose pre-cooling has ``c`` units and exponential service times
(``time_h: {dist: gamma, mean: m, cv: 1}``), fed by a Poisson stream of lots, is an
M/M/c queue. The mean wait in queue measured by the model (``ledger.waits``) over
seeded replications must agree with the Erlang-C formula.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Generator
from typing import Any

import numpy as np
import pytest
import simpy
from scipy import stats

from fieldtotable.kinetics import Kinetics
from fieldtotable.ledger import Ledger
from fieldtotable.model.collection import CollectionPointProcess
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.lot import COLLECTION
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.schema import CollectionPoint

ARRIVAL_RATE_PER_H = 1.0
UTILISATION = 0.7
FEED_H = 5000.0  # arrivals stop here; the queue then drains
WARMUP_H = 200.0  # waits of lots arriving before this are discarded
DRAIN_H = 200.0
REPLICATIONS = 30
DAYS = math.ceil((FEED_H + DRAIN_H) / 24) + 2


def erlang_c_wait(arrival_rate: float, service_mean: float, servers: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    offered = arrival_rate * service_mean  # a = lambda / mu
    assert offered < servers
    top = offered**servers / math.factorial(servers) * servers / (servers - offered)
    bottom = sum(offered**k / math.factorial(k) for k in range(servers)) + top
    probability_of_waiting = top / bottom
    return probability_of_waiting / (servers / service_mean - arrival_rate)


def test_erlang_c_closed_forms() -> None:
    # M/M/1: Wq = rho / (mu - lambda).
    assert erlang_c_wait(1.0, 0.7, 1) == pytest.approx(0.7 / (1 / 0.7 - 1))
    # M/M/2 with a = 1.4: P(wait) = 0.98 * 2/0.6 / (1 + 1.4 + 0.98 * 2/0.6).
    p_wait = (0.98 * 2 / 0.6) / (2.4 + 0.98 * 2 / 0.6)
    assert erlang_c_wait(1.0, 1.4, 2) == pytest.approx(p_wait / (2 / 1.4 - 1))


def replication_mean_wait(servers: int, service_mean: float, seed: int) -> float:
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
    rng = np.random.default_rng([seed, 7919])

    def feeder() -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(rng.exponential(1 / ARRIVAL_RATE_PER_H))
            if env.now >= FEED_H:
                return
            arrivals.append(env.now)
            point.receive([context.new_lot(0, 0, 10.0, 1.0, ambient, COLLECTION)])

    env.process(feeder())
    env.run(until=FEED_H + DRAIN_H)
    waits = ledger.waits["cp.precooling"]
    # Served first come first served: the i-th wait belongs to the i-th arrival.
    assert len(waits) == len(arrivals)
    assert storage.occupied_kg == pytest.approx(10.0 * len(arrivals))
    kept = [w for a, w in zip(arrivals, waits, strict=True) if a >= WARMUP_H]
    return float(np.mean(kept))


@pytest.mark.parametrize("servers", [1, 2])
def test_mean_wait_in_queue_matches_erlang_c(servers: int) -> None:
    service_mean = UTILISATION * servers / ARRIVAL_RATE_PER_H
    theory = erlang_c_wait(ARRIVAL_RATE_PER_H, service_mean, servers)
    means = np.array(
        [replication_mean_wait(servers, service_mean, seed) for seed in range(REPLICATIONS)]
    )
    centre = means.mean()
    half_width = stats.t.ppf(0.975, REPLICATIONS - 1) * means.std(ddof=1) / math.sqrt(REPLICATIONS)
    assert half_width < 0.08 * theory  # the interval is narrow enough to mean something
    assert centre - half_width <= theory <= centre + half_width, (centre, half_width, theory)


def test_more_units_wait_less() -> None:
    one = np.mean([replication_mean_wait(1, 0.7, seed) for seed in range(3)])
    two = np.mean([replication_mean_wait(2, 0.7, seed) for seed in range(3)])
    assert two < one / 3  # M/M/2 at rho = 0.35 waits far less than M/M/1 at 0.7
