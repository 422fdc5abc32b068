"""The two-objective path of :func:`fieldtotable.optimise.optimise`: scenario in, Pareto set out.

:func:`optimise_pareto` checks the specification, opens the engine (and the run store
when ``out`` is given) and runs :func:`~fieldtotable.optimise.pareto.search_pareto` on
a :class:`~fieldtotable.optimise.simulation_sampler.SimulationSampler` whose rows hold
both objectives' KPIs, then the constraints'.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from fieldtotable.experiment.engine import Engine, check_seed
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.optimise.evaluations import Evaluations
from fieldtotable.optimise.objectives import Constraint, Objective, resolve_objective
from fieldtotable.optimise.optuna_support import require_optuna
from fieldtotable.optimise.pareto import search_pareto
from fieldtotable.optimise.pareto_result import ParetoResult
from fieldtotable.optimise.parsing import parse_constraint
from fieldtotable.optimise.simulation_sampler import SimulationSampler, open_optimisation_folder
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification import check_specification
from fieldtotable.optimise.specification_error import problem
from fieldtotable.optimise.variables import Variable
from fieldtotable.scenario.schema import Scenario

__all__ = ["optimise_pareto", "resolve_objectives"]


def resolve_objectives(
    objectives: Sequence[str | Objective], directions: str | Sequence[str | None] | None
) -> tuple[Objective, ...]:
    """Return the two objectives of a Pareto search, each direction resolved.

    Parameters
    ----------
    objectives
        Two KPI names or :class:`Objective` objects.
    directions
        ``None`` (each KPI's direction from the registry), or one direction per
        objective (``None`` entries take the registry's; ignored for an
        :class:`Objective`).

    Returns
    -------
    tuple of Objective
        The two objectives.

    Raises
    ------
    SpecificationError
        For a number of objectives other than two, directions that do not match them,
        or a KPI or direction :func:`resolve_objective` refuses.
    """
    if len(objectives) != 2:
        raise problem(
            "objective",
            f"give one objective, or two for a Pareto set (got {len(objectives)})",
        )
    if directions is None:
        directions = [None, None]
    if isinstance(directions, str) or len(directions) != 2:
        raise problem("direction", "give one direction per objective (or none)")
    return tuple(
        goal if isinstance(goal, Objective) else resolve_objective(goal, direction)
        for goal, direction in zip(objectives, directions, strict=True)
    )


def optimise_pareto(
    scenario: Scenario,
    variables: Mapping[str, Variable] | SearchSpace,
    objectives: Sequence[Objective],
    constraints: Sequence[str | Constraint] = (),
    budget: int = 400,
    seed: int = 0,
    executor: str = "serial",
    workers: int | None = None,
    out: str | os.PathLike[str] | None = None,
    alpha: float = 0.05,
    n0: int = 8,
    search_replications: int = 3,
    candidates: int = 8,
    final_replications: int = 20,
    progress: ProgressSetting = None,
) -> ParetoResult:
    """Return the Pareto set of ``scenario`` for two objectives under constraints.

    Parameters
    ----------
    scenario, variables, constraints, budget, seed, executor, workers, out, alpha, n0
        As for :func:`~fieldtotable.optimise.search.optimise`.
    progress
        A progress bar of the runs on stderr (see
        :func:`~fieldtotable.experiment.progress.progress_bar`).
    objectives
        The two objectives (see :func:`resolve_objectives`).
    search_replications, candidates, final_replications
        As for :func:`~fieldtotable.optimise.pareto.search_pareto`.

    Returns
    -------
    ParetoResult
        The front, the comparisons of its members, the claim and the runs.

    Raises
    ------
    SpecificationError
        For a bad variable, objective or constraint, before any run.
    FieldToTableError
        When Optuna is not installed.
    ValueError
        For a budget too small or another argument out of range.
    """
    require_optuna()
    seed = check_seed(seed)
    space = variables if isinstance(variables, SearchSpace) else SearchSpace(variables)
    bounds = tuple(
        bound if isinstance(bound, Constraint) else parse_constraint(bound) for bound in constraints
    )
    check_specification(scenario, space, objectives, bounds)
    specification = {
        "variables": list(space.to_texts()),
        "objectives": [str(goal) for goal in objectives],
        "constraints": [bound.to_text() for bound in bounds],
    }
    folder, store = open_optimisation_folder(out, scenario, seed, specification)
    try:
        with Engine(executor, workers, None, store, progress, "optimise") as engine:
            sampler = SimulationSampler(scenario, space, objectives, bounds, seed, engine)
            evaluations = Evaluations(sampler, space, objectives[0])
            return search_pareto(
                evaluations,
                objectives,
                bounds,
                budget=budget,
                seed=seed,
                alpha=alpha,
                n0=n0,
                search_replications=search_replications,
                candidates=candidates,
                final_replications=final_replications,
                journal=None if folder is None else folder / "optuna-journal.log",
            )
    finally:
        if store is not None:
            store.close()
