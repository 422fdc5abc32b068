"""Simulation optimisation: Optuna proposes, ranking and selection decides.

:func:`optimise` checks the specification, then runs :func:`search_and_select`
(docs/explanation/optimisation.md, and the recommended algorithm of the project's
optimisation notes):

1. **Search** on replication indices ``[0, n_s)``: Optuna's TPE (seeded, every default
   that Optuna 5 changed set explicitly) proposes configurations by ask-and-tell;
   each new one runs ``n_s`` replications, a repeated proposal is told its cached
   mean at no cost; the constraint slacks of the search means steer TPE.
2. **Finalists**: the K best configurations whose search means meet every
   constraint, padded with the least-violating ones.
3. **Selection** (:func:`~fieldtotable.optimise.selection.select_best_feasible`):
   Batur & Kim's feasibility check on the fresh block starting at 1,000,000, then
   Kim & Nelson on the fresh block starting at 2,000,000.
4. **Final**: ``n_f`` fresh replications of the winner (from 3,000,000) for means and
   Student-t intervals free of the selection's optimism.

Given two objectives, :func:`optimise` returns their Pareto set instead
(:func:`~fieldtotable.optimise.pareto_optimise.optimise_pareto`, NSGA-II).

Every configuration uses replication ``j`` with the same seed (common random
numbers). The budget caps the runs of all phases together: the search gets 60 %,
and the selection's blocks are cut so that its worst case fits in what is left after
the final block.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import overload

import numpy as np

from fieldtotable.experiment.engine import Engine, check_seed
from fieldtotable.optimise.evaluations import PHASES, Evaluations
from fieldtotable.optimise.feasibility import StochasticConstraint
from fieldtotable.optimise.objectives import Constraint, Objective, resolve_objective
from fieldtotable.optimise.optuna_support import (
    create_study,
    distributions,
    require_optuna,
    set_constraint_slacks,
)
from fieldtotable.optimise.pareto_optimise import optimise_pareto, resolve_objectives
from fieldtotable.optimise.pareto_result import DirectionSequence, ObjectiveSequence, ParetoResult
from fieldtotable.optimise.parsing import parse_constraint
from fieldtotable.optimise.phases import (
    FEASIBILITY_START,
    FINAL_START,
    SEARCH_SHARE,
    SELECTION_START,
)
from fieldtotable.optimise.phases import default_tolerance as _tolerance
from fieldtotable.optimise.sampling import Sampler
from fieldtotable.optimise.search_result import (
    Best,
    ConstraintEstimate,
    OptimisationResult,
    SelectionProbability,
    TrialRecord,
    estimate,
)
from fieldtotable.optimise.selection import select_best_feasible
from fieldtotable.optimise.simulation_sampler import SimulationSampler, open_run_store
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification import check_specification
from fieldtotable.optimise.specification_error import problem
from fieldtotable.optimise.variables import Variable
from fieldtotable.scenario.schema import Scenario

__all__ = ["FEASIBILITY_START", "FINAL_START", "SELECTION_START", "optimise", "search_and_select"]

MAX_REPEATS = 25
"""The search stops after this many proposals in a row that it had already seen."""


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
        constraint's tolerance ε defaults to 5 % of its limit (0.01 for a limit of 0).
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
        n_s, replications per configuration in the search.
    finalists
        K, the most configurations the selection compares; ``None``: 4. With two
        objectives, the most candidates judged on fresh replications; ``None``: 8.
    final_replications
        n_f, fresh replications of the winner for its reported estimates (≥ 2).

    Returns
    -------
    OptimisationResult or ParetoResult
        The best configuration (or none shown feasible), the claim, the runs by phase
        and every configuration evaluated; with two objectives, the Pareto set.

    Raises
    ------
    SpecificationError
        For a bad variable, objective or constraint, before any run (three or more
        objectives, or ``delta`` with two, included).
    FieldToTableError
        When Optuna is not installed.
    ValueError
        For a budget too small or another argument out of range.
    """
    if isinstance(objective, list | tuple):
        if delta is not None:
            raise problem("delta", "δ applies to one objective; a Pareto set has none")
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
    folder = None if out is None else Path(out)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    specification = {
        "variables": list(space.to_texts()),
        "objective": str(goal),
        "constraints": [bound.to_text() for bound in bounds],
    }
    store = (
        None
        if folder is None
        else open_run_store(str(folder / "runs"), scenario, seed, specification)
    )
    try:
        with Engine(executor, workers, None, store, False, "optimise") as engine:
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
            )
    finally:
        if store is not None:
            store.close()


def search_and_select(
    evaluations: Evaluations,
    constraints: Sequence[Constraint],
    budget: int,
    delta: float | None,
    seed: int,
    alpha: float,
    n0: int,
    search_replications: int,
    finalists: int,
    final_replications: int,
    journal: str | os.PathLike[str] | None = None,
) -> OptimisationResult:
    """Search, select and estimate, drawing every row from ``evaluations``.

    Parameters
    ----------
    evaluations
        The cache over the sampler (a simulation, or a synthetic one in tests).
    constraints, budget, delta, seed, alpha, n0, search_replications, finalists
        As for :func:`optimise`.
    final_replications
        As for :func:`optimise`.
    journal
        Optuna's journal file, or ``None``.

    Returns
    -------
    OptimisationResult
        As for :func:`optimise`.

    Raises
    ------
    ValueError
        For an argument out of range or a budget too small for one search batch, the
        feasibility check of one finalist and the final block.
    """
    _check_arguments(budget, alpha, n0, search_replications, finalists, final_replications)
    search_cap = int(budget * SEARCH_SHARE)
    minimum_search = math.ceil(search_replications / SEARCH_SHARE)
    least = search_replications + final_replications + (n0 if constraints else 0)
    if search_cap < search_replications or budget < least:
        raise ValueError(
            f"budget {budget} is too small: at least {max(least, minimum_search)} "
            f"runs are needed (one search batch of {search_replications}, "
            f"{'n0 = ' + str(n0) + ' for the feasibility check, ' if constraints else ''}"
            f"and {final_replications} final replications)"
        )
    space, objective = evaluations.space, evaluations.objective
    search_block = range(search_replications)
    proposals = _search(evaluations, constraints, search_block, search_cap, seed, journal)
    means = {
        key: evaluations.sample([key], search_block, "search")[0].mean(axis=0) for key in proposals
    }
    sign = 1.0 if objective.direction == "maximise" else -1.0
    chosen = _finalists(means, constraints, sign, finalists)
    remaining = budget - evaluations.total_runs - final_replications
    chosen, feasibility_length, selection_length = _blocks(chosen, remaining, n0, bool(constraints))
    top = evaluations.sample([chosen[0]], search_block, "search")[0][:, 0]
    delta = _default_delta(top) if delta is None else float(delta)
    stochastic = tuple(
        StochasticConstraint(
            column=1 + index,
            limit=bound.limit,
            tolerance=_tolerance(bound),
            sense=bound.sense,
            name=bound.kpi,
        )
        for index, bound in enumerate(constraints)
    )
    systems = [evaluations.system(key) for key in chosen]
    selection = select_best_feasible(
        _phase_sampler(evaluations),
        systems,
        stochastic,
        n0=n0,
        delta=delta,
        alpha_feasibility=alpha / 2,
        # Without constraints Phase I judges nothing, so Phase II gets all of α.
        alpha_selection=alpha / 2 if constraints else alpha,
        feasibility_streams=range(FEASIBILITY_START, FEASIBILITY_START + feasibility_length),
        selection_streams=range(SELECTION_START, SELECTION_START + selection_length),
    )
    parameters = selection.claim_parameters
    claim = selection.claim
    best = None
    if selection.selected is not None:
        winner = evaluations.systems[selection.selected]
        claim = _name_the_winner(claim, selection.selected, evaluations.configurations[winner])
        rows = evaluations.sample(
            [winner], range(FINAL_START, FINAL_START + final_replications), "final"
        )[0]
        best = Best(
            params=evaluations.configurations[winner],
            objective=estimate(rows[:, 0]),
            constraints=tuple(
                ConstraintEstimate(
                    constraint=bound.to_text(),
                    estimate=estimate(rows[:, 1 + index]),
                    probability_holds=float(np.mean([bound.holds(v) for v in rows[:, 1 + index]])),
                    tolerance=stochastic[index].tolerance,
                )
                for index, bound in enumerate(constraints)
            ),
            pcs=SelectionProbability(
                bound=parameters.probability_bound,
                claim=claim,
                guarantee_holds=parameters.guarantee_holds,
                delta=delta,
                finalists=parameters.finalists,
            ),
        )
    runs = {phase: evaluations.runs[phase] for phase in PHASES}
    runs["total"] = sum(runs.values())
    return OptimisationResult(
        objective=str(objective),
        constraints=tuple(bound.to_text() for bound in constraints),
        best=best,
        claim=claim,
        runs=runs,
        budget=budget,
        trials=_records(evaluations, proposals, search_block, set(chosen)),
        settings={
            "alpha": alpha,
            "n0": n0,
            "search_replications": search_replications,
            "finalists": len(chosen),
            "final_replications": final_replications,
            "delta": delta,
            "seed": seed,
            "variables": list(space.to_texts()),
        },
    )


def _name_the_winner(claim: str, system: int, params: Mapping[str, object]) -> str:
    """Return the claim with the ranking procedures' system number replaced by its values."""
    named = "the configuration " + ", ".join(f"{path}={value}" for path, value in params.items())
    return claim.replace(f"system {system} was returned", f"{named} was returned").replace(
        f"System {system} is", named[0].upper() + named[1:] + " is"
    )


def _phase_sampler(evaluations: Evaluations) -> Sampler:
    """Return a sampler that charges the feasibility block to Phase I, others to II."""
    feasibility = evaluations.ranking_sampler("feasibility")
    selection = evaluations.ranking_sampler("selection")

    def sample(system: int, replications: range) -> np.ndarray:
        if replications.start < SELECTION_START:
            return np.asarray(feasibility(system, replications))
        return np.asarray(selection(system, replications))

    return sample


def _search(
    evaluations: Evaluations,
    constraints: Sequence[Constraint],
    block: range,
    cap: int,
    seed: int,
    journal: str | os.PathLike[str] | None,
) -> dict[str, int]:
    """Run the ask-and-tell search; return each configuration's key -> proposals."""
    optuna = require_optuna()
    study = create_study(evaluations.objective, seed, journal)
    space = evaluations.space
    proposed = distributions(space)
    grid = space.grid_size
    proposals: dict[str, int] = {}
    repeats = 0
    while evaluations.runs["search"] + len(block) <= cap:
        if grid is not None and len(proposals) >= grid:
            break  # every configuration has been seen
        trial = study.ask(proposed)
        key = evaluations.register(trial.params)
        repeats = repeats + 1 if key in proposals else 0
        proposals[key] = proposals.get(key, 0) + 1
        means = evaluations.sample([key], block, "search")[0].mean(axis=0)
        set_constraint_slacks(
            trial, [bound.slack(float(means[1 + i])) for i, bound in enumerate(constraints)]
        )
        if math.isnan(means[0]):
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            study.tell(trial, float(means[0]))
        if repeats >= MAX_REPEATS:
            break
    return proposals


def _finalists(
    means: Mapping[str, np.ndarray], constraints: Sequence[Constraint], sign: float, count: int
) -> list[str]:
    """Return the best ``count`` configurations meeting every constraint, padded."""

    def violation(key: str) -> float:
        slacks = [bound.slack(float(means[key][1 + i])) for i, bound in enumerate(constraints)]
        return sum(math.inf if math.isnan(s) else max(s, 0.0) for s in slacks)

    def score(key: str) -> float:
        value = float(means[key][0]) * sign
        return -math.inf if math.isnan(value) else value

    feasible = sorted((k for k in means if violation(k) == 0), key=score, reverse=True)
    others = sorted((k for k in means if violation(k) > 0), key=lambda k: (violation(k), -score(k)))
    return (feasible + others)[:count]


def _blocks(
    chosen: list[str], remaining: int, n0: int, constrained: bool
) -> tuple[list[str], int, int]:
    """Cut the finalists and the phases' blocks so the selection's worst case fits."""
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


def _default_delta(search_objective: np.ndarray) -> float:
    """δ's default: 1 % of |mean|, else half the standard deviation, else 1.0."""
    mean = float(np.nanmean(search_objective))
    if math.isfinite(mean) and mean != 0.0:
        return 0.01 * abs(mean)
    spread = float(np.nanstd(search_objective, ddof=1)) if search_objective.size > 1 else 0.0
    return spread / 2 if math.isfinite(spread) and spread > 0 else 1.0


def _records(
    evaluations: Evaluations, proposals: Mapping[str, int], block: range, finalists: set[str]
) -> tuple[TrialRecord, ...]:
    records = []
    for key, count in proposals.items():
        indices = evaluations.replications_of(key)
        rows = np.array([evaluations.rows[key][index] for index in indices])
        search = evaluations.sample([key], block, "search")[0]
        records.append(
            TrialRecord(
                params=evaluations.configurations[key],
                proposals=count,
                replications=len(indices),
                search=estimate(search[:, 0]),
                objective=estimate(rows[:, 0]),
                constraint_means=tuple(
                    float(np.nanmean(rows[:, c])) for c in range(1, rows.shape[1])
                ),
                finalist=key in finalists,
            )
        )
    return tuple(records)


def _check_arguments(
    budget: int, alpha: float, n0: int, search_replications: int, finalists: int, final: int
) -> None:
    for name, value, least in (
        ("budget", budget, 1),
        ("n0", n0, 2),
        ("search_replications", search_replications, 1),
        ("finalists", finalists, 1),
        ("final_replications", final, 2),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, not {value!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 0.5:
        # Kim & Nelson comparing two systems needs α2 < 0.5.
        raise ValueError(f"alpha must lie strictly between 0 and 0.5, not {alpha!r}")
