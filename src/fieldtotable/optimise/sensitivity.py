"""How the objective changes one variable at a time around the best configuration.

::

    records = sensitivity_around(evaluations, best_key, constraints, final_block)

For each variable, the best's neighbours with every other variable held at the
best's value (:func:`neighbours`): an :class:`~fieldtotable.optimise.variables.Integer`
one below and one above, a :class:`~fieldtotable.optimise.variables.Real` 10 % of its
range below and above (clipped to the range), a
:class:`~fieldtotable.optimise.variables.Choice` every other value. Each neighbour is
simulated on the replication indices of the best's final block, so the best's runs are
reused and each neighbour's difference to the best is paired index by index (common
random numbers): its Student-t interval is the interval of the mean of the paired
differences, much narrower than that of two independent means. The runs are charged
to the ``sensitivity`` phase, outside the budget of the decision.

The look is local and one at a time: it says how steep the objective is around the
best along each variable, not whether a configuration further away, or one changing
two variables together, does better.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from fieldtotable.optimise.evaluations import Evaluations
from fieldtotable.optimise.objectives import Constraint
from fieldtotable.optimise.search_result import SensitivityRecord, estimate
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.variables import Choice, Integer, ParameterValue, Real

__all__ = ["REAL_STEP_SHARE", "SensitivityRecord", "neighbours", "sensitivity_around"]

REAL_STEP_SHARE = 0.1
"""A real variable's neighbours lie this share of its range below and above the best."""


def neighbours(
    space: SearchSpace, best: Mapping[str, ParameterValue]
) -> list[tuple[str, ParameterValue]]:
    """Return the one-at-a-time neighbours of ``best``: (variable, its new value).

    Parameters
    ----------
    space
        The decision variables.
    best
        The best configuration, normalised (path -> value).

    Returns
    -------
    list of (str, ParameterValue)
        In the space's order of variables, lower values first: an integer's value - 1
        and + 1, a real's value -/+ 10 % of its range (clipped to the range), a choice's
        other values in their order; a value outside the range, or equal to the
        best's (a real at its bound, a range of one value), is left out.
    """
    found: list[tuple[str, ParameterValue]] = []
    for path, variable in space.items():
        value = best[path]
        candidates: list[ParameterValue]
        if isinstance(variable, Integer):
            assert isinstance(value, int)
            candidates = [v for v in (value - 1, value + 1) if variable.low <= v <= variable.high]
        elif isinstance(variable, Real):
            assert isinstance(value, float)
            step = REAL_STEP_SHARE * (variable.high - variable.low)
            clipped = [
                min(max(value + sign * step, variable.low), variable.high) for sign in (-1, 1)
            ]
            candidates = [v for v in dict.fromkeys(clipped) if v != value]
        elif isinstance(variable, Choice):
            candidates = [
                v for v in variable.values if space.key({**best, path: v}) != space.key(best)
            ]
        found += [(path, candidate) for candidate in candidates]
    return found


def sensitivity_around(
    evaluations: Evaluations,
    best_key: str,
    constraints: Sequence[Constraint],
    replications: range,
) -> tuple[SensitivityRecord, ...]:
    """Simulate the neighbours of the best and compare each with it, paired.

    Parameters
    ----------
    evaluations
        The cache of every row simulated; the best's rows on ``replications`` are
        reused, and the neighbours' new runs are charged to ``sensitivity``.
    best_key
        The best configuration's key (registered in ``evaluations``).
    constraints
        The constraints, in the order of the sampler's columns 1 to s.
    replications
        The best's final block: every neighbour runs on these indices.

    Returns
    -------
    tuple of SensitivityRecord
        One per neighbour, in the order of :func:`neighbours`; a neighbour whose
        values the scenario refuses together is left out.
    """
    best = evaluations.configurations[best_key]
    around, keys = [], []
    for path, value in neighbours(evaluations.space, best):
        key = evaluations.register({**best, path: value})
        if evaluations.refusal(key) is None:  # the scenario refuses some combinations
            around.append((path, value))
            keys.append(key)
    best_rows = evaluations.sample([best_key], replications, "final")[0]
    all_rows = evaluations.sample(keys, replications, "sensitivity")
    records = []
    for (path, _), key, rows in zip(around, keys, all_rows, strict=True):
        means = tuple(float(np.nanmean(rows[:, 1 + index])) for index in range(len(constraints)))
        records.append(
            SensitivityRecord(
                variable=path,
                best_value=best[path],
                value=evaluations.configurations[key][path],
                objective=estimate(rows[:, 0]),
                difference=estimate(rows[:, 0] - best_rows[:, 0]),
                constraint_means=means,
                meets_constraints=all(
                    bound.holds(mean) for bound, mean in zip(constraints, means, strict=True)
                ),
            )
        )
    return tuple(records)
