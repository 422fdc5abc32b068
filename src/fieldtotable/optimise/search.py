"""Simulation optimisation: Optuna proposes, ranking and selection decides.

:func:`optimise` checks the specification, opens the engine (and the run store of
``out``) and runs :func:`~fieldtotable.optimise.decide.search_and_select`: a search
with adaptive replications, finalists, Batur & Kim's feasibility check and Kim &
Nelson's selection on fresh replications, and the winner's final estimate (see
docs/explanation/optimisation.md). Given two objectives, it returns their Pareto set
instead (:func:`~fieldtotable.optimise.pareto_optimise.optimise_pareto`, NSGA-II).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import overload

from fieldtotable.experiment.engine import Engine, check_seed
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.tail_summary import TailRequest
from fieldtotable.optimise.decide import search_and_select
from fieldtotable.optimise.evaluations import Evaluations
from fieldtotable.optimise.objectives import Constraint, Objective, resolve_objective
from fieldtotable.optimise.optuna_support import require_optuna
from fieldtotable.optimise.pareto_optimise import optimise_pareto, resolve_objectives
from fieldtotable.optimise.pareto_result import DirectionSequence, ObjectiveSequence, ParetoResult
from fieldtotable.optimise.parsing import parse_constraint
from fieldtotable.optimise.phases import FEASIBILITY_START, FINAL_START, SELECTION_START
from fieldtotable.optimise.screening import best_so_far
from fieldtotable.optimise.search_result import OptimisationResult
from fieldtotable.optimise.simulation_sampler import SimulationSampler, open_optimisation_folder
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification import check_specification
from fieldtotable.optimise.specification_error import problem
from fieldtotable.optimise.variables import Variable
from fieldtotable.scenario.schema import Scenario

__all__ = ["FEASIBILITY_START", "FINAL_START", "SELECTION_START", "optimise", "search_and_select"]


@overload
def optimise(
    scenario: Scenario,
    variables: Mapping[str, Variable] | SearchSpace,
    objective: str | Objective,
    direction: str | None = None,
    constraints: Sequence[str | Constraint] = (),
    budget: int = 400,
    delta: float | None = None,
    seed: int = 0,
    executor: str = "serial",
    workers: int | None = None,
    out: str | os.PathLike[str] | None = None,
    alpha: float = 0.05,
    n0: int = 8,
    search_replications: int = 3,
    finalists: int | None = None,
    final_replications: int = 20,
    max_search_replications: int | None = None,
    batch: int = 1,
    progress: ProgressSetting = None,
    sensitivity: bool = False,
    tails: TailRequest | None = None,
) -> OptimisationResult: ...


@overload
def optimise(
    scenario: Scenario,
    variables: Mapping[str, Variable] | SearchSpace,
    objective: ObjectiveSequence,
    direction: DirectionSequence | None = None,
    constraints: Sequence[str | Constraint] = (),
    budget: int = 400,
    delta: float | None = None,
    seed: int = 0,
    executor: str = "serial",
    workers: int | None = None,
    out: str | os.PathLike[str] | None = None,
    alpha: float = 0.05,
    n0: int = 8,
    search_replications: int = 3,
    finalists: int | None = None,
    final_replications: int = 20,
    max_search_replications: int | None = None,
    batch: int = 1,
    progress: ProgressSetting = None,
    sensitivity: bool = False,
    tails: TailRequest | None = None,
) -> ParetoResult: ...


def optimise(
    scenario: Scenario,
    variables: Mapping[str, Variable] | SearchSpace,
    objective: str | Objective | ObjectiveSequence,
    direction: str | DirectionSequence | None = None,
    constraints: Sequence[str | Constraint] = (),
    budget: int = 400,
    delta: float | None = None,
    seed: int = 0,
    executor: str = "serial",
    workers: int | None = None,
    out: str | os.PathLike[str] | None = None,
    alpha: float = 0.05,
    n0: int = 8,
    search_replications: int = 3,
    finalists: int | None = None,
    final_replications: int = 20,
    max_search_replications: int | None = None,
    batch: int = 1,
    progress: ProgressSetting = None,
    sensitivity: bool = False,
    tails: TailRequest | None = None,
) -> OptimisationResult | ParetoResult:
    """Return the best configuration of ``scenario`` under constraints, and how sure.

    Given two objectives (a list or tuple), return their Pareto set instead: see
    :func:`~fieldtotable.optimise.pareto.search_pareto`.

    Parameters
    ----------
    scenario
        The base scenario.
    variables
        Field path -> :class:`Integer`, :class:`Real` or :class:`Choice`.
    objective
        A KPI of the registry (or an :class:`Objective`); or a list or tuple of two,
        for a :class:`~fieldtotable.optimise.pareto_result.ParetoResult`.
    direction
        ``maximise`` or ``minimise``; ``None`` takes the registry's. With two
        objectives: ``None`` or one direction (or ``None``) per objective.
    constraints
        Texts (``"spoilage_rate <= 0.08"``) or :class:`Constraint` objects; a
        constraint's tolerance ε defaults to 5 % of how far its limit can move
        (:func:`~fieldtotable.optimise.phases.default_tolerance`: 0.005 for
        ``fill_rate >= 0.9``); ``'fill_rate >= 0.9 ± 0.002'`` states it.
    budget
        The most one-replication simulation runs all phases may use together.
    delta
        The indifference zone δ in the objective's unit; ``None``: 1 % of the absolute
        search mean of the best-looking finalist (half its search standard deviation
        when that mean is 0, and 1.0 when both are 0).
    seed
        The experiment's seed (also TPE's).
    executor, workers
        Where runs execute (``serial``, ``process``, ``dask``).
    out
        A folder for the Optuna journal (``optuna-journal.log``) and the run store
        (``runs/``); a rerun with the same arguments reads every stored run back and
        replays the search to the same result without simulating again.
    alpha
        α: half goes to the feasibility check (α1), half to the selection (α2); all
        of it to the selection when there are no constraints. Below 0.5.
    n0
        First-stage replications per finalist in each selection phase (≥ 2).
    search_replications
        n_s, the screening replications of each new configuration in the search (and
        the step in which more are added).
    finalists
        K, the most configurations the selection compares; ``None``: 4. With two
        objectives, the most candidates judged on fresh replications; ``None``: 8.
    final_replications
        n_f, fresh replications of the winner for its reported estimates (≥ 2).
    max_search_replications
        The most search replications of one configuration; ``None``:
        ``4 * search_replications``. Equal to ``search_replications``: no adaptive
        allocation (every configuration gets exactly n_s).
    batch
        Proposals the search asks of Optuna before telling any; their runs go to the
        executor together. Set it to about ``workers / search_replications`` on a
        parallel executor. The result depends on it (TPE sees the batch's results
        later) but never on the executor.
    progress
        A progress bar of the runs on stderr, with the best so far (see
        :func:`~fieldtotable.experiment.progress.progress_bar`; ``None``: when stderr
        is a terminal).
    sensitivity
        Also simulate the winner's one-at-a-time neighbours on its final block and
        compare each with it, paired (:mod:`~fieldtotable.optimise.sensitivity`):
        extra runs, charged to ``sensitivity`` and outside the budget.
    tails
        Quantiles and CVaR (:class:`~fieldtotable.experiment.tail_summary.TailRequest`,
        its ``quantiles`` and ``cvar_level``) of the objective and each constraint KPI
        over the winner's final replications, in ``best.tails``; no runs of their own.

    Returns
    -------
    OptimisationResult or ParetoResult
        The best configuration (or none shown feasible), the claim, the runs by phase
        and every configuration evaluated; with two objectives, the Pareto set.

    Raises
    ------
    SpecificationError
        For a bad variable, objective or constraint, before any run (three or more
        objectives; ``delta``, ``max_search_replications``, ``batch`` or
        ``sensitivity`` with two, included).
    FieldToTableError
        When Optuna is not installed.
    ValueError
        For a budget too small or another argument out of range.
    """
    if isinstance(objective, list | tuple):
        _check_one_objective_options(
            delta=delta is not None,
            max_search_replications=max_search_replications is not None,
            batch=batch != 1,
            sensitivity=sensitivity,
            tails=tails is not None,
        )
        return optimise_pareto(
            scenario,
            variables,
            resolve_objectives(objective, direction),
            constraints,
            budget=budget,
            seed=seed,
            executor=executor,
            workers=workers,
            out=out,
            alpha=alpha,
            n0=n0,
            search_replications=search_replications,
            candidates=8 if finalists is None else finalists,
            final_replications=final_replications,
            progress=progress,
        )
    if not (direction is None or isinstance(direction, str)):
        raise problem("direction", "give one direction for one objective")
    require_optuna()
    seed = check_seed(seed)
    space = variables if isinstance(variables, SearchSpace) else SearchSpace(variables)
    goal = (
        objective if isinstance(objective, Objective) else resolve_objective(objective, direction)
    )
    bounds = tuple(
        bound if isinstance(bound, Constraint) else parse_constraint(bound) for bound in constraints
    )
    check_specification(scenario, space, goal, bounds)
    specification = {
        "variables": list(space.to_texts()),
        "objective": str(goal),
        "constraints": [bound.to_text() for bound in bounds],
    }
    folder, store = open_optimisation_folder(out, scenario, seed, specification)
    try:
        with Engine(executor, workers, None, store, progress, "optimise") as engine:
            sampler = SimulationSampler(scenario, space, goal, bounds, seed, engine)
            evaluations = Evaluations(sampler, space, goal)
            return search_and_select(
                evaluations,
                bounds,
                budget=budget,
                delta=delta,
                seed=seed,
                alpha=alpha,
                n0=n0,
                search_replications=search_replications,
                finalists=4 if finalists is None else finalists,
                final_replications=final_replications,
                journal=None if folder is None else folder / "optuna-journal.log",
                max_search_replications=max_search_replications,
                batch=batch,
                on_trial=lambda found: engine.note(best_so_far(found)),
                sensitivity=sensitivity,
                tails=tails,
            )
    finally:
        if store is not None:
            store.close()


def _check_one_objective_options(**given: bool) -> None:
    """Refuse, before any run, the options that only one objective has."""
    for name, was_given in given.items():
        if was_given:
            what = "δ" if name == "delta" else name
            raise problem(name, f"{what} applies to one objective; a Pareto set has none")
