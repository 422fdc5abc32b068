"""Pre-cooling against queueing theory: Poisson arrivals, exponential service, c units.

A collection point whose pre-cooling has ``c`` units and exponential service times
(``time_h: {dist: gamma, mean: m, cv: 1}``), fed by a Poisson stream of lots, is an
M/M/c queue (see ``mmc_station.py``). Over seeded replications, the model's mean
wait in queue (``ledger.waits``) must agree with the Erlang-C formula, and the
pre-coolers' state seen by an independent Poisson observer must agree with the
utilisation ``rho = lambda / (c mu)``, the mean number queued ``Lq`` and the mean
number in the station ``L``: each theoretical value inside the 95 % interval of the
replications, and the interval narrow enough to mean something.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from mmc_station import ARRIVAL_RATE_PER_H, UTILISATION, StationRun, erlang_c, simulate_station
from scipy import stats

REPLICATIONS = 30
MEASURES = ("mean_wait_h", "utilisation", "mean_in_queue", "mean_in_system")
#: Largest accepted half-width of the interval, relative to the theoretical value.
#: 30 replications of 4,800 h give about 0.8 % for the utilisation, 3-4 % for L and
#: 5-6 % for the wait and Lq (heavier-tailed); a half-width over these limits would
#: make the check too loose to catch a 10 % error.
MAX_RELATIVE_HALF_WIDTH = {
    "mean_wait_h": 0.08,
    "utilisation": 0.02,
    "mean_in_queue": 0.10,
    "mean_in_system": 0.05,
}


def test_erlang_c_closed_forms() -> None:
    # M/M/1: Wq = rho / (mu - lambda), Lq = rho^2 / (1 - rho), L = rho / (1 - rho).
    one = erlang_c(1.0, 0.7, 1)
    assert one.mean_wait_h == pytest.approx(0.7 / (1 / 0.7 - 1))
    assert one.mean_in_queue == pytest.approx(0.49 / 0.3)
    assert one.mean_in_system == pytest.approx(0.7 / 0.3)
    assert one.probability_of_waiting == pytest.approx(0.7)
    # M/M/2 with a = 1.4: P(wait) = 0.98 * 2/0.6 / (1 + 1.4 + 0.98 * 2/0.6).
    two = erlang_c(1.0, 1.4, 2)
    p_wait = (0.98 * 2 / 0.6) / (2.4 + 0.98 * 2 / 0.6)
    assert two.probability_of_waiting == pytest.approx(p_wait)
    assert two.mean_wait_h == pytest.approx(p_wait / (2 / 1.4 - 1))
    assert two.utilisation == pytest.approx(0.7)
    # Little's law inside the theory: Lq = lambda Wq.
    assert two.mean_in_queue == pytest.approx(1.0 * two.mean_wait_h)


@functools.cache
def replications(servers: int) -> tuple[StationRun, ...]:
    """The 30 replications of the station with ``servers`` units at utilisation 0.7."""
    service_mean = UTILISATION * servers / ARRIVAL_RATE_PER_H
    return tuple(simulate_station(servers, service_mean, seed) for seed in range(REPLICATIONS))


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("servers", [1, 2])
def test_station_matches_erlang_c(servers: int, measure: str) -> None:
    service_mean = UTILISATION * servers / ARRIVAL_RATE_PER_H
    theory = getattr(erlang_c(ARRIVAL_RATE_PER_H, service_mean, servers), measure)
    values = np.array([getattr(run, measure) for run in replications(servers)])
    centre = values.mean()
    half_width = stats.t.ppf(0.975, REPLICATIONS - 1) * values.std(ddof=1) / math.sqrt(REPLICATIONS)
    assert half_width < MAX_RELATIVE_HALF_WIDTH[measure] * theory
    assert centre - half_width <= theory <= centre + half_width, (centre, half_width, theory)


def test_more_units_wait_less() -> None:
    # One unit at service mean 0.7 h is the station of replications(1): reuse seeds 0-2.
    assert UTILISATION * 1 / ARRIVAL_RATE_PER_H == 0.7
    one = np.mean([run.mean_wait_h for run in replications(1)[:3]])
    two = np.mean([simulate_station(2, 0.7, seed).mean_wait_h for seed in range(3)])
    assert two < one / 3  # M/M/2 at rho = 0.35 waits far less than M/M/1 at 0.7
