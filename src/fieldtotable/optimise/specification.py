"""Every check of an optimisation's specification against its scenario, in one pass."""

from __future__ import annotations

from collections.abc import Iterable

from fieldtotable.errors import Problem
from fieldtotable.optimise.objectives import Constraint, Objective
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification_error import SpecificationError
from fieldtotable.scenario.schema import Scenario

__all__ = ["check_specification"]


def check_specification(
    scenario: Scenario,
    space: SearchSpace,
    objectives: Objective | Iterable[Objective],
    constraints: Iterable[Constraint] = (),
) -> None:
    """Check the variables, objectives and constraints on ``scenario`` before any run.

    Parameters
    ----------
    scenario
        The scenario the optimisation starts from.
    space
        The decision variables (see :meth:`SearchSpace.validate`).
    objectives
        One objective, or two for a Pareto front.
    constraints
        The constraints.

    Raises
    ------
    SpecificationError
        With every problem found, one line each: each variable that does not fit the
        scenario, each objective or constraint whose breakdown path names a product,
        leg or node the scenario lacks.
    """
    found: list[Problem] = space.problems(scenario)
    for objective in (objectives,) if isinstance(objectives, Objective) else objectives:
        found += objective.problems(scenario)
    for constraint in constraints:
        found += constraint.problems(scenario)
    if found:
        raise SpecificationError(found)
