"""The run-time guard: a run stops with an error when it takes far more events than estimated.

:mod:`fieldtotable.scenario.work` estimates a run's events before it starts and
refuses a scenario whose estimate is too large. The estimate can miss what it cannot
see (a transit time far shorter than its expected value, an interplay of dispatch
rules), so the run itself is bounded too: :func:`run_until` steps SimPy as
``Environment.run(until=...)`` does -- the same events in the same order, the stop
event scheduled the same way -- but at most ``budget`` events, and
:func:`overrun_error` names what grew past its estimate.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import simpy
from simpy.core import EmptySchedule, StopSimulation
from simpy.events import URGENT

from fieldtotable.errors import Problem, WorkLimitError
from fieldtotable.scenario.work import EVENT_BUDGET_FACTOR

__all__ = ["overrun_error", "run_until"]


def run_until(env: simpy.Environment, until_h: float, budget: int) -> bool:
    """Run ``env`` up to ``until_h`` processing at most ``budget`` events.

    Parameters
    ----------
    env
        The environment (its clock before ``until_h``).
    until_h
        Clock time to stop at, h.
    budget
        Most events to process.

    Returns
    -------
    bool
        True when the clock reached ``until_h`` (or no event was left), False when the
        budget ran out first.
    """
    # As Environment.run(until): an URGENT event at ``until_h`` that stops the loop.
    stop = simpy.Event(env)
    stop._ok = True
    stop._value = None
    env.schedule(stop, URGENT, until_h - env.now)
    stop.callbacks.append(StopSimulation.callback)
    step = env.step
    try:
        # A bounded loop costs no more per event than SimPy's ``while True``.
        for _ in itertools.repeat(None, budget):
            step()
    except StopSimulation:
        return True
    except EmptySchedule:  # pragma: no cover -- the stop event is always scheduled
        return True
    return False


def overrun_error(
    *,
    events: int,
    estimate: float,
    now_h: float,
    trips: Mapping[str, int],
    trips_per_day: Mapping[str, float],
    lots: int,
) -> WorkLimitError:
    """Return the error of a run stopped at its event budget, naming what grew.

    Parameters
    ----------
    events
        Events processed.
    estimate
        Events estimated for the whole run.
    now_h
        Clock time reached, h.
    trips
        Trips made so far, by leg.
    trips_per_day
        Estimated trips a day, by leg (at the busiest month).
    lots
        Lots created so far.

    Returns
    -------
    WorkLimitError
        One problem, at the leg whose trips most exceed their estimate if any does.
    """
    days = max(now_h / 24.0, 1.0)
    worst, excess = "", 1.0
    for leg_id, made in trips.items():
        expected = max(trips_per_day.get(leg_id, 0.0) * days, 1.0)
        if made / expected > excess:
            worst, excess = leg_id, made / expected
    stopped = (
        f"run stopped at hour {now_h:,.1f} after {events:,} events, "
        f"{EVENT_BUDGET_FACTOR}x the {estimate:,.0f} estimated for the whole run"
    )
    if worst:
        grew = f"; leg {worst} made {trips[worst]:,} trips, {excess:,.0f}x its estimate"
        return WorkLimitError(Problem(None, None, f"legs.{worst}", stopped + grew))
    return WorkLimitError(Problem(None, None, "", f"{stopped}; {lots:,} lots created"))
