"""Simulation optimisation: ranking and selection with common random numbers.

The statistical core: Kim & Nelson's fully sequential selection of the best
(:func:`kim_nelson`), Batur & Kim's feasibility check of stochastic constraints
(:func:`feasibility_check`), and the two phases together (:func:`select_best_feasible`),
each drawing from a :class:`Sampler` on caller-given blocks of replication indices.
See docs/explanation/optimisation.md.
"""

from fieldtotable.optimise.feasibility import (
    FeasibilityResult,
    StochasticConstraint,
    SystemFeasibility,
    feasibility_check,
)
from fieldtotable.optimise.kim_nelson import Elimination, KimNelsonResult, kim_nelson
from fieldtotable.optimise.sampling import Sampler
from fieldtotable.optimise.selection import (
    BestFeasibleResult,
    SelectionClaim,
    select_best_feasible,
)
from fieldtotable.optimise.selection_constants import (
    bonferroni_beta,
    feasibility_eta,
    kim_nelson_eta,
    kim_nelson_h_squared,
)

__all__ = [
    "BestFeasibleResult",
    "Elimination",
    "FeasibilityResult",
    "KimNelsonResult",
    "Sampler",
    "SelectionClaim",
    "StochasticConstraint",
    "SystemFeasibility",
    "bonferroni_beta",
    "feasibility_check",
    "feasibility_eta",
    "kim_nelson",
    "kim_nelson_eta",
    "kim_nelson_h_squared",
    "select_best_feasible",
]
