"""What the one- and two-objective optimisations share: replication blocks, budget share, ε.

Every phase draws from its own block of replication indices, disjoint from the
search's ``[0, n_s)`` and from each other's, so a decision never reuses the data that
chose what it decides about; :func:`default_tolerance` is the tolerance ε a
constraint gets when it states none.
"""

from __future__ import annotations

from fieldtotable.optimise.objectives import Constraint

__all__ = [
    "FEASIBILITY_START",
    "FINAL_START",
    "SEARCH_SHARE",
    "SELECTION_START",
    "default_tolerance",
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
