"""The decisions between the search and the selection, and the arguments' checks.

:func:`choose_finalists` picks the configurations the selection compares,
:func:`cut_blocks` sizes the selection's blocks to the budget, :func:`default_delta`
gives δ when the planner gives none (ε's default is
:func:`~fieldtotable.optimise.phases.default_tolerance`), and
:func:`check_arguments` refuses settings out of range (see
:func:`~fieldtotable.optimise.decide.search_and_select`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from fieldtotable.optimise.objectives import Constraint

__all__ = [
    "check_arguments",
    "choose_finalists",
    "cut_blocks",
    "default_delta",
]


def choose_finalists(
    means: Mapping[str, np.ndarray], constraints: Sequence[Constraint], sign: float, count: int
) -> list[str]:
    """Return the best ``count`` configurations meeting every constraint, padded.

    Parameters
    ----------
    means
        Configuration key -> its search means (objective, then constraint KPIs).
    constraints
        The constraints, in the columns' order.
    sign
        1 when maximising, -1 when minimising.
    count
        K, the most finalists.

    Returns
    -------
    list of str
        The keys whose means meet every constraint, best first, then the least
        violating others, ``count`` at most.
    """

    def violation(key: str) -> float:
        slacks = [bound.slack(float(means[key][1 + i])) for i, bound in enumerate(constraints)]
        return sum(math.inf if math.isnan(s) else max(s, 0.0) for s in slacks)

    def score(key: str) -> float:
        value = float(means[key][0]) * sign
        return -math.inf if math.isnan(value) else value

    feasible = sorted((k for k in means if violation(k) == 0), key=score, reverse=True)
    others = sorted((k for k in means if violation(k) > 0), key=lambda k: (violation(k), -score(k)))
    return (feasible + others)[:count]


def cut_blocks(
    chosen: list[str], remaining: int, n0: int, constrained: bool
) -> tuple[list[str], int, int]:
    """Cut the finalists and the phases' blocks so the selection's worst case fits.

    Parameters
    ----------
    chosen
        The finalists, best first.
    remaining
        The runs the budget has left for the selection.
    n0
        The first stage of each phase.
    constrained
        Whether there are constraints (a feasibility phase that samples).

    Returns
    -------
    tuple
        The finalists kept, the feasibility block's length and the selection's.

    Raises
    ------
    ValueError
        When even one finalist's first stage does not fit.
    """
    for count in range(len(chosen), 0, -1):
        if count == 1:
            feasibility, selection = (remaining if constrained else n0), n0
        elif constrained:
            feasibility = selection = remaining // (2 * count)
        else:
            feasibility, selection = n0, remaining // count
        if min(feasibility, selection) >= n0:
            return chosen[:count], feasibility, selection
    raise ValueError(
        f"the budget left after the search ({remaining} runs) cannot pay for the "
        f"feasibility check of one finalist (n0 = {n0}); raise the budget"
    )


def default_delta(search_objective: np.ndarray) -> float:
    """Return δ's default: 1 % of |mean|, else half the standard deviation, else 1.0.

    Parameters
    ----------
    search_objective
        The best-looking finalist's search values of the objective.

    Returns
    -------
    float
        δ > 0.
    """
    mean = float(np.nanmean(search_objective))
    if math.isfinite(mean) and mean != 0.0:
        return 0.01 * abs(mean)
    spread = float(np.nanstd(search_objective, ddof=1)) if search_objective.size > 1 else 0.0
    return spread / 2 if math.isfinite(spread) and spread > 0 else 1.0


def check_arguments(
    budget: int,
    alpha: float,
    n0: int,
    search_replications: int,
    finalists: int,
    final: int,
    batch: int,
) -> None:
    """Refuse a setting of :func:`~fieldtotable.optimise.decide.search_and_select` out of range.

    Parameters
    ----------
    budget, alpha, n0, search_replications, finalists, final, batch
        The settings.

    Raises
    ------
    ValueError
        Naming the first setting out of range.
    """
    for name, value, least in (
        ("budget", budget, 1),
        ("n0", n0, 2),
        ("search_replications", search_replications, 1),
        ("finalists", finalists, 1),
        ("final_replications", final, 2),
        ("batch", batch, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, not {value!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 0.5:
        # Kim & Nelson comparing two systems needs α2 < 0.5.
        raise ValueError(f"alpha must lie strictly between 0 and 0.5, not {alpha!r}")
