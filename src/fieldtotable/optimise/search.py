"""Simulation optimisation: Optuna proposes, ranking and selection decides.

:func:`optimise` checks the specification, then runs :func:`search_and_select`
(docs/explanation/optimisation.md, and the recommended algorithm of the project's
optimisation notes):

1. **Search** (:func:`~fieldtotable.optimise.screening.run_search`) on replication
   indices from 0: Optuna's TPE (seeded, every default that Optuna 5 changed set
   explicitly) proposes configurations by ask-and-tell; each new one is screened
   with ``n_s`` replications and gets more, up to a cap, while it could still be the
   best or is near a constraint; a repeated proposal is told its cached mean at no
   cost; the constraint slacks of the search means steer TPE.
2. **Finalists**: the K best configurations whose search means meet every
   constraint, padded with the least-violating ones.
3. **Selection** (:func:`~fieldtotable.optimise.selection.select_best_feasible`):
   Batur & Kim's feasibility check on the fresh block starting at 1,000,000, then
   Kim & Nelson on the fresh block starting at 2,000,000.
4. **Final**: ``n_f`` fresh replications of the winner (from 3,000,000) for means and
   Student-t intervals free of the selection's optimism.

Every configuration uses replication ``j`` with the same seed (common random
numbers). The budget caps the runs of all phases together: the search gets 60 %,
and the selection's blocks are cut so that its worst case fits in what is left after
the final block.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from fieldtotable.experiment.engine import Engine, check_seed
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.optimise.evaluations import PHASES, Evaluations
from fieldtotable.optimise.feasibility import StochasticConstraint
from fieldtotable.optimise.finalists import (
    check_arguments,
    choose_finalists,
    cut_blocks,
    default_delta,
    default_tolerance,
)
from fieldtotable.optimise.objectives import Constraint, Objective, resolve_objective
from fieldtotable.optimise.optuna_support import require_optuna
from fieldtotable.optimise.parsing import parse_constraint
from fieldtotable.optimise.sampling import Sampler
from fieldtotable.optimise.screening import (
    SearchHistory,
    TrialProgress,
    best_so_far,
    run_search,
)
from fieldtotable.optimise.search_result import (
    Best,
    ConstraintEstimate,
    OptimisationResult,
    RefusedConfiguration,
    SelectionProbability,
    SensitivityRecord,
    TrialRecord,
    estimate,
)
from fieldtotable.optimise.selection import select_best_feasible
from fieldtotable.optimise.sensitivity import sensitivity_around
from fieldtotable.optimise.simulation_sampler import SimulationSampler, open_run_store
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification import check_specification
from fieldtotable.optimise.variables import Variable
from fieldtotable.scenario.schema import Scenario

__all__ = ["FEASIBILITY_START", "FINAL_START", "SELECTION_START", "optimise", "search_and_select"]

FEASIBILITY_START = 1_000_000
"""First replication index of the feasibility check (Phase I)."""
SELECTION_START = 2_000_000
"""First replication index of Kim & Nelson (Phase II)."""
FINAL_START = 3_000_000
"""First replication index of the winner's final estimate."""
SEARCH_SHARE = 0.6
"""The share of the budget the search may spend."""
ADAPTIVE_FACTOR = 4
"""By default a configuration may get up to this many times its screening replications
in the search (see :mod:`~fieldtotable.optimise.screening`)."""


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
    finalists: int = 4,
    final_replications: int = 20,
    max_search_replications: int | None = None,
    batch: int = 1,
    progress: ProgressSetting = None,
    sensitivity: bool = False,
) -> OptimisationResult:
    """Return the best configuration of ``scenario`` under constraints, and how sure.

    Parameters
    ----------
    scenario
        The base scenario.
    variables
        Field path -> :class:`Integer`, :class:`Real` or :class:`Choice`.
    objective
        A KPI of the registry (or an :class:`Objective`).
    direction
        ``maximise`` or ``minimise``; ``None`` takes the registry's.
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
        n_s, the screening replications of each new configuration in the search (and
        the step in which more are added).
    finalists
        K, the most configurations the selection compares.
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

    Returns
    -------
    OptimisationResult
        The best configuration (or none shown feasible), the claim, the runs by phase
        and every configuration evaluated.

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
                finalists=finalists,
                final_replications=final_replications,
                journal=None if folder is None else folder / "optuna-journal.log",
                max_search_replications=max_search_replications,
                batch=batch,
                on_trial=lambda found: engine.note(best_so_far(found)),
                sensitivity=sensitivity,
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
    max_search_replications: int | None = None,
    on_trial: Callable[[TrialProgress], None] | None = None,
    batch: int = 1,
    sensitivity: bool = False,
) -> OptimisationResult:
    """Search, select and estimate, drawing every row from ``evaluations``.

    Parameters
    ----------
    evaluations
        The cache over the sampler (a simulation, or a synthetic one in tests).
    constraints, budget, delta, seed, alpha, n0, search_replications, finalists
        As for :func:`optimise`.
    final_replications, max_search_replications, batch
        As for :func:`optimise`.
    journal
        Optuna's journal file, or ``None``.
    on_trial
        Called after every proposal of the search with a
        :class:`~fieldtotable.optimise.screening.TrialProgress`.
    sensitivity
        As for :func:`optimise`.

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
    check_arguments(budget, alpha, n0, search_replications, finalists, final_replications, batch)
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
    most = (
        ADAPTIVE_FACTOR * search_replications
        if max_search_replications is None
        else max_search_replications
    )
    if isinstance(most, bool) or not isinstance(most, int) or most < search_replications:
        raise ValueError(
            f"max_search_replications must be a whole number >= search_replications "
            f"({search_replications}), not {most!r}"
        )
    history = run_search(
        evaluations,
        constraints,
        search_replications,
        most,
        search_cap,
        seed,
        journal,
        on_trial,
        batch,
    )
    if not history.evaluated:
        reason = next(iter(history.refused.values()), "no configuration was proposed")
        raise ValueError(f"the scenario refused every configuration proposed ({reason})")
    means = {
        key: evaluations.sample([key], history.block(key), "search")[0].mean(axis=0)
        for key in history.evaluated
    }
    sign = 1.0 if objective.direction == "maximise" else -1.0
    chosen = choose_finalists(means, constraints, sign, finalists)
    remaining = budget - evaluations.total_runs - final_replications
    chosen, feasibility_length, selection_length = cut_blocks(
        chosen, remaining, n0, bool(constraints)
    )
    top = evaluations.sample([chosen[0]], history.block(chosen[0]), "search")[0][:, 0]
    delta = default_delta(top) if delta is None else float(delta)
    stochastic = tuple(
        StochasticConstraint(
            column=1 + index,
            limit=bound.limit,
            tolerance=default_tolerance(bound),
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
        selection_streams=lambda feasible: range(
            SELECTION_START,
            SELECTION_START
            # Phase II gets what Phase I left: never less than its worst-case share.
            + max(
                selection_length,
                (budget - evaluations.total_runs - final_replications) // len(feasible),
            ),
        ),
    )
    parameters = selection.claim_parameters
    claim = selection.claim
    best = None
    around: tuple[SensitivityRecord, ...] = ()
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
        if sensitivity:
            final = range(FINAL_START, FINAL_START + final_replications)
            around = sensitivity_around(evaluations, winner, constraints, final)
    runs = {phase: evaluations.runs[phase] for phase in PHASES}
    runs["total"] = evaluations.total_runs
    return OptimisationResult(
        objective=str(objective),
        constraints=tuple(bound.to_text() for bound in constraints),
        best=best,
        claim=claim,
        runs=runs,
        budget=budget,
        trials=_records(evaluations, history, set(chosen)),
        sensitivity=around,
        refused=tuple(
            RefusedConfiguration(evaluations.configurations[key], reason)
            for key, reason in history.refused.items()
        ),
        settings={
            "alpha": alpha,
            "n0": n0,
            "search_replications": search_replications,
            "max_search_replications": most,
            "batch": batch,
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


def _records(
    evaluations: Evaluations, history: SearchHistory, finalists: set[str]
) -> tuple[TrialRecord, ...]:
    records = []
    for key in history.evaluated:
        count = history.proposals[key]
        indices = evaluations.replications_of(key)
        rows = np.array([evaluations.rows[key][index] for index in indices])
        search = evaluations.sample([key], history.block(key), "search")[0]
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
                search_constraint_means=tuple(
                    float(np.nanmean(search[:, c])) for c in range(1, search.shape[1])
                ),
            )
        )
    return tuple(records)
