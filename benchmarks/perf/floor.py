"""The floor of any SimPy model: bare SimPy, no model logic at all.

* :func:`bare_timeouts`: processes that only wait on timeouts;
* :func:`bare_queueing`: processes that queue for a ``simpy.Resource`` and hold it
  for a timeout -- the event mix of a logistics model (requests, releases,
  timeouts), still without model logic.

Both return ``(events, seconds)``; events are read from SimPy's own counters.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

import simpy

from fieldtotable.model.world import events_processed


def bare_timeouts(processes: int = 50, until: float = 20_000.0) -> tuple[int, float]:
    """Events and seconds of processes that only wait on timeouts."""

    def tick(env: simpy.Environment) -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(1.0)

    env = simpy.Environment()
    for _ in range(processes):
        env.process(tick(env))
    started = time.perf_counter()
    env.run(until=until)
    return events_processed(env), time.perf_counter() - started


def bare_queueing(customers: int = 20, until: float = 40_000.0) -> tuple[int, float]:
    """Events and seconds of processes queueing for a shared resource."""

    def customer(env: simpy.Environment, server: simpy.Resource) -> Generator[Any, Any, None]:
        while True:
            with server.request() as request:
                yield request
                yield env.timeout(1.0)
            yield env.timeout(2.0)

    env = simpy.Environment()
    server = simpy.Resource(env, capacity=4)
    for _ in range(customers):
        env.process(customer(env, server))
    started = time.perf_counter()
    env.run(until=until)
    return events_processed(env), time.perf_counter() - started
