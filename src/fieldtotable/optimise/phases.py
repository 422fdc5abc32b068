"""What the one- and two-objective optimisations share: replication blocks, budget share, ε.

Every phase draws from its own block of replication indices, disjoint from the
search's ``[0, n_s)`` and from each other's, so a decision never reuses the data that
chose what it decides about; :func:`default_tolerance` is the tolerance ε a
constraint gets when it states none.
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldtotable.optimise.feasibility import StochasticConstraint
from fieldtotable.optimise.objectives import Constraint

__all__ = [
    "FEASIBILITY_START",
    "FINAL_START",
    "SEARCH_SHARE",
    "SELECTION_START",
    "default_tolerance",
    "stochastic_constraints",
]

FEASIBILITY_START = 1_000_000
"""First replication index of the feasibility check (Phase I)."""
SELECTION_START = 2_000_000
"""First replication index of Kim & Nelson (Phase II)."""
FINAL_START = 3_000_000
"""First replication index of the final estimates."""
SEARCH_SHARE = 0.6
"""The share of the budget the search may spend."""


def default_tolerance(bound: Constraint) -> float:
    """Return ε of a constraint: its own, else 5 % of ``|limit|``, else 0.01.

    Parameters
    ----------
    bound
        The constraint.

    Returns
    -------
    float
        The tolerance the feasibility check uses.
    """
    if bound.tolerance is not None:
        return bound.tolerance
    return 0.05 * abs(bound.limit) if bound.limit != 0 else 0.01


def stochastic_constraints(
    constraints: Sequence[Constraint], first_column: int
) -> tuple[StochasticConstraint, ...]:
    """Return the feasibility check's constraints, reading columns from ``first_column``.

    Parameters
    ----------
    constraints
        The constraints, in the sampler's column order.
    first_column
        The column of the first constraint KPI (after the objective or objectives).

    Returns
    -------
    tuple of StochasticConstraint
        Each with its limit, sense, name and tolerance (:func:`default_tolerance`).
    """
    return tuple(
        StochasticConstraint(
            column=first_column + index,
            limit=bound.limit,
            tolerance=default_tolerance(bound),
            sense=bound.sense,
            name=bound.kpi,
        )
        for index, bound in enumerate(constraints)
    )
