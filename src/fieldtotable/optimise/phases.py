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
from fieldtotable.results.paths import kpi_unit

__all__ = [
    "DEFAULT_TOLERANCE_SHARE",
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
DEFAULT_TOLERANCE_SHARE = 0.05
"""A constraint's default tolerance ε as a share of how far its limit can move."""


def default_tolerance(bound: Constraint) -> float:
    """Return ε of a constraint: its own, else 5 % of how far its limit can move.

    For a KPI that is a fraction (spoilage rate, fill rate), that is 5 % of the
    distance from the limit to the nearer end of [0, 1] -- 0.004 for spoilage <= 0.08,
    0.005 for fill >= 0.90 (5 % of the limit itself, 0.045, would let a channel
    filling 86 % pass as meeting 90 %) -- and 0.005 for a limit at 0 or 1; for any
    other KPI, 5 % of ``|limit|``, or 0.01 for a limit of 0.

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
    if kpi_unit(bound.kpi) == "fraction":
        room = min(abs(bound.limit), abs(1.0 - bound.limit))
        return DEFAULT_TOLERANCE_SHARE * room if room > 0 else 0.005
    return DEFAULT_TOLERANCE_SHARE * abs(bound.limit) if bound.limit != 0 else 0.01


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
