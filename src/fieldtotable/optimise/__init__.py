"""Optimisation: which configuration of a scenario is best, under constraints.

The specification of an optimisation: decision variables (:class:`Integer`,
:class:`Real`, :class:`Choice`) by field path in a :class:`SearchSpace`, the
objective (:class:`Objective`, any KPI of the result-field registry) and the
constraints (:class:`Constraint`, ``"spoilage_rate <= 0.08"``), with the command
line's texts read by :func:`parse_variable` and :func:`parse_constraint`;
:func:`check_specification` checks them all against a scenario before any run. Every
bad input raises a :class:`SpecificationError`, one line per problem.

The statistical core, ranking and selection with common random numbers: Kim &
Nelson's fully sequential selection of the best (:func:`kim_nelson`), Batur & Kim's
feasibility check of stochastic constraints (:func:`feasibility_check`), and the two
phases together (:func:`select_best_feasible`), each drawing from a :class:`Sampler`
on caller-given blocks of replication indices. See docs/explanation/optimisation.md.

The search (:func:`optimise`, returning an :class:`OptimisationResult`): Optuna's TPE
proposes configurations, each simulated with common random numbers; the finalists
are settled by the two phases above on fresh replications, and the winner is
estimated on a final fresh block. Given two objectives, :func:`optimise` returns a
:class:`ParetoResult` instead: NSGA-II proposes, and the Pareto set is decided on
fresh replications (:mod:`fieldtotable.optimise.pareto`). Optuna is optional: ``pip
install 'fieldtotable[optimise]'``.
"""

from fieldtotable.optimise.feasibility import (
    FeasibilityResult,
    StochasticConstraint,
    SystemFeasibility,
    feasibility_check,
)
from fieldtotable.optimise.kim_nelson import Elimination, KimNelsonResult, kim_nelson
from fieldtotable.optimise.objectives import (
    DIRECTIONS,
    SENSES,
    Constraint,
    Direction,
    Objective,
    Sense,
    resolve_objective,
)
from fieldtotable.optimise.pareto_result import ParetoComparison, ParetoMember, ParetoResult
from fieldtotable.optimise.parsing import (
    format_variable,
    parse_constraint,
    parse_constraints,
    parse_variable,
)
from fieldtotable.optimise.sampling import Sampler
from fieldtotable.optimise.search import optimise
from fieldtotable.optimise.search_result import OptimisationResult
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
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification import check_specification
from fieldtotable.optimise.specification_error import SpecificationError
from fieldtotable.optimise.variables import (
    Choice,
    ChoiceValue,
    Integer,
    ParameterValue,
    Real,
    Variable,
)

__all__ = [
    "DIRECTIONS",
    "SENSES",
    "BestFeasibleResult",
    "Choice",
    "ChoiceValue",
    "Constraint",
    "Direction",
    "Elimination",
    "FeasibilityResult",
    "Integer",
    "KimNelsonResult",
    "Objective",
    "OptimisationResult",
    "ParameterValue",
    "ParetoComparison",
    "ParetoMember",
    "ParetoResult",
    "Real",
    "Sampler",
    "SearchSpace",
    "SelectionClaim",
    "Sense",
    "SpecificationError",
    "StochasticConstraint",
    "SystemFeasibility",
    "Variable",
    "bonferroni_beta",
    "check_specification",
    "feasibility_check",
    "feasibility_eta",
    "format_variable",
    "kim_nelson",
    "kim_nelson_eta",
    "kim_nelson_h_squared",
    "optimise",
    "parse_constraint",
    "parse_constraints",
    "parse_variable",
    "resolve_objective",
    "select_best_feasible",
]
