"""Periodic tasks that share one SimPy timeout per distinct time.

A source harvests once a day and an order stream places an order every few days: as
a process each, every firing costs a SimPy timeout, a heap push and pop and a
generator resumption, and does only a few list operations. A :class:`Timetable`
schedules one timeout per distinct time and runs every task due then from its
callback.

The order is the one separate processes would have had. SimPy runs events of one
time in the order they were scheduled; a task is scheduled when it is added or has
just run, and the timeout of its next time is scheduled then unless a task already
scheduled one for that time, which it joins: tasks due together run in the order they
were scheduled. Only an *other* event scheduled between two tasks of a group, for
exactly their time, now runs after both instead of between them; tasks of one time
are normally scheduled together (sources harvesting at the same hour), and the
model's results are checked unchanged on every scenario of the repository
(``benchmarks/perf/fingerprint.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

#: A task: called with SimPy's current time, returns its next time (``None``: it is done).
Task = Callable[[float], float | None]


class Timetable:
    """Periodic tasks of one run, woken by one SimPy timeout per distinct time.

    Parameters
    ----------
    env
        The run's environment.
    horizon_h
        The end of the run: a task is not run at or after it.
    """

    def __init__(self, env: simpy.Environment, horizon_h: float) -> None:
        self.env = env
        self.horizon_h = horizon_h
        self._due: dict[float, list[Task]] = {}
        """Per time with a pending timeout, its tasks in the order they were scheduled."""

    def start(self, at_h: float, task: Task) -> None:
        """Add ``task`` when the run starts, as a process created now would first schedule it.

        SimPy starts processes in the order they were created; a task added this way
        takes the place among them that its own process had.
        """
        self.env.process(self._starting(at_h, task))

    def _starting(self, at_h: float, task: Task) -> Generator[simpy.Event, Any, None]:
        self.add(at_h, task)
        yield from ()

    def add(self, at_h: float, task: Task) -> None:
        """Run ``task`` at ``at_h``, then at each time it returns, up to the horizon."""
        if not at_h < self.horizon_h:
            return
        tasks = self._due.get(at_h)
        if tasks is not None:
            tasks.append(task)
            return
        self._due[at_h] = [task]
        timeout = self.env.timeout(at_h - self.env.now)
        timeout.callbacks.append(lambda _event: self._run(at_h))

    def _run(self, at_h: float) -> None:
        """Run the tasks due at ``at_h`` and schedule their next times."""
        now = self.env.now
        add = self.add
        for task in self._due.pop(at_h):
            next_h = task(now)
            if next_h is not None:
                add(next_h, task)
