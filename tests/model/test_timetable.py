"""A timetable runs periodic tasks in the order that one SimPy process each would."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.model.timetable import Timetable

HORIZON_H = 200.0

# Task schedules: a first time and a period, on a half-hour grid (exact in floats, so
# that a shared timeout lands at each task's own time to the last bit).
schedules = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 96)).map(lambda s: (s[0] / 2, s[1] / 2)),
    min_size=1,
    max_size=8,
)


def _separate_processes(tasks: list[tuple[float, float]]) -> list[tuple[float, int]]:
    """Firings of the tasks as one SimPy process each (the scheme the timetable replaces)."""
    env = simpy.Environment()
    fired: list[tuple[float, int]] = []

    def process(index: int, first_h: float, every_h: float) -> Generator[simpy.Event, Any, None]:
        at = first_h
        while at < HORIZON_H:
            yield env.timeout(at - env.now)
            fired.append((env.now, index))
            at += every_h

    for index, (first_h, every_h) in enumerate(tasks):
        env.process(process(index, first_h, every_h))
    env.run(until=HORIZON_H)
    return fired


def _timetable(tasks: list[tuple[float, float]]) -> tuple[list[tuple[float, int]], int]:
    """Firings of the same tasks on one timetable, and the events SimPy processed."""
    env = simpy.Environment()
    timetable = Timetable(env, HORIZON_H)
    fired: list[tuple[float, int]] = []

    def task(index: int, every_h: float) -> Any:
        def fire(now: float) -> float:
            fired.append((now, index))
            return now + every_h

        return fire

    for index, (first_h, every_h) in enumerate(tasks):
        timetable.start(first_h, task(index, every_h))
    env.run(until=HORIZON_H)
    return fired, len(fired)


@settings(max_examples=150, deadline=None)
@given(tasks=schedules)
def test_tasks_fire_when_and_in_the_order_separate_processes_would(
    tasks: list[tuple[float, float]],
) -> None:
    fired, _count = _timetable(tasks)
    assert fired == _separate_processes(tasks)


def test_tasks_due_together_share_one_timeout() -> None:
    env = simpy.Environment()
    timetable = Timetable(env, 48.0)
    fired: list[tuple[float, str]] = []

    def daily(name: str) -> Any:
        def fire(now: float) -> float:
            fired.append((now, name))
            return now + 24.0

        return fire

    for name in ("a", "b", "c"):
        timetable.start(6.0, daily(name))
    env.run()
    assert fired == [(6.0, "a"), (6.0, "b"), (6.0, "c"), (30.0, "a"), (30.0, "b"), (30.0, "c")]
    # Three start-up processes (each schedules its start and its end) and one timeout per
    # distinct time (6 and 30 h), instead of one per task and time: SimPy's event counter.
    assert next(env._eid) == 3 * 2 + 2


def test_a_task_stops_when_it_returns_none_or_reaches_the_horizon() -> None:
    env = simpy.Environment()
    timetable = Timetable(env, 10.0)
    fired: list[float] = []

    def once(now: float) -> None:
        fired.append(now)

    def every_four(now: float) -> float:
        fired.append(now)
        return now + 4.0

    timetable.start(1.0, once)
    timetable.start(2.0, every_four)
    timetable.start(10.0, once)  # at the horizon: never runs
    env.run()
    assert fired == [1.0, 2.0, 6.0]


def test_a_task_added_later_joins_the_tasks_already_due_at_its_time() -> None:
    env = simpy.Environment()
    timetable = Timetable(env, 100.0)
    fired: list[str] = []

    def early(_now: float) -> None:
        fired.append("early")

    def late(_now: float) -> None:
        fired.append("late")

    timetable.start(5.0, early)

    def adder(_now: float) -> None:
        timetable.add(5.0, late)  # scheduled after "early": runs after it, in one group

    timetable.start(1.0, adder)
    env.run()
    assert fired == ["early", "late"]
