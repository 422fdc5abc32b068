"""The Pareto front's pieces: dominance, non-dominated ranks, paired comparisons.

Every function here works on larger-is-better means (an objective to minimise is
negated first, by the caller's signs); NaN counts as the worst value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from fieldtotable.optimise.objectives import Constraint
from fieldtotable.optimise.pareto_result import ComparisonVerdict, ParetoComparison
from fieldtotable.optimise.search_result import estimate

__all__ = ["compare", "dominates", "non_dominated", "order_candidates"]

Array = npt.NDArray[np.float64]


def order_candidates(
    means: Mapping[str, Array], signs: Array, constraints: Sequence[Constraint]
) -> list[str]:
    """Return the keys meeting every constraint by non-dominated rank, then the others.

    Parameters
    ----------
    means
        Key -> search means: the two objectives' KPIs, then the constraints'.
    signs
        Per objective, 1 to maximise and -1 to minimise.
    constraints
        The constraints, in the order of their columns (from column 2).

    Returns
    -------
    list of str
        The keys whose means meet every constraint, the non-dominated ones first,
        then those only they dominate, and so on (within a rank, in the order of
        ``means``); then the others by total violation, least first.
    """

    def violation(key: str) -> float:
        slacks = [bound.slack(float(means[key][2 + i])) for i, bound in enumerate(constraints)]
        return sum(math.inf if math.isnan(s) else max(s, 0.0) for s in slacks)

    signed = {key: means[key][:2] * signs for key in means}
    remaining = [key for key in means if violation(key) == 0]
    ordered: list[str] = []
    while remaining:
        front = non_dominated(remaining, signed)
        ordered += front
        remaining = [key for key in remaining if key not in front]
    others = sorted((key for key in means if violation(key) > 0), key=violation)
    return ordered + others


def non_dominated(keys: Sequence[str], signed: Mapping[str, Array]) -> list[str]:
    """Return the keys whose means no other key's means dominate.

    Parameters
    ----------
    keys
        The keys to compare, in the order to keep.
    signed
        Key -> larger-is-better means of the objectives.

    Returns
    -------
    list of str
        The non-dominated keys, in the order of ``keys``.
    """
    return [
        key
        for key in keys
        if not any(dominates(signed[other], signed[key]) for other in keys if other != key)
    ]


def dominates(first: Array, second: Array) -> bool:
    """Return whether ``first`` dominates ``second``.

    Parameters
    ----------
    first, second
        Larger-is-better values of the objectives (NaN: the worst value).

    Returns
    -------
    bool
        True when ``first`` is no worse in every objective and better in one.
    """
    first_values = np.where(np.isnan(first), -np.inf, first)
    second_values = np.where(np.isnan(second), -np.inf, second)
    return bool((first_values >= second_values).all() and (first_values > second_values).any())


def compare(
    first: int, second: int, first_rows: Array, second_rows: Array, signs: Array, alpha: float
) -> ParetoComparison:
    """Return two front members compared on their paired differences.

    Parameters
    ----------
    first, second
        The members' positions on the front.
    first_rows, second_rows
        Their final rows (the same replication indices, so paired by common random
        numbers): the two objectives' KPIs first.
    signs
        Per objective, 1 to maximise and -1 to minimise.
    alpha
        1 - the confidence of each difference's Student-t interval.

    Returns
    -------
    ParetoComparison
        Per objective, the mean and interval of first minus second (positive favours
        the first), and the verdict they support.
    """
    differences = tuple(
        estimate((first_rows[:, column] - second_rows[:, column]) * signs[column], 1 - alpha)
        for column in range(2)
    )
    first_better = [difference.ci[0] > 0 for difference in differences]
    second_better = [difference.ci[1] < 0 for difference in differences]
    verdict: ComparisonVerdict = "not shown"
    if any(first_better) and any(second_better):
        verdict = "trade-off"
    elif any(first_better) and all(difference.mean >= 0 for difference in differences):
        verdict = "first dominates"
    elif any(second_better) and all(difference.mean <= 0 for difference in differences):
        verdict = "second dominates"
    return ParetoComparison(first, second, differences, verdict)
