"""Search, select and estimate: the one-objective method on any configuration sampler.

:func:`search_and_select` runs the four phases of :func:`~fieldtotable.optimise.search.
optimise` on an :class:`~fieldtotable.optimise.evaluations.Evaluations` cache, so the
same code serves the simulation and the synthetic samplers of the tests:

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
   Kim & Nelson on the fresh block starting at 2,000,000 (it gets what Phase I left).
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

import numpy as np

from fieldtotable.experiment.tail_summary import TailRequest
from fieldtotable.optimise.evaluations import PHASES, Evaluations
from fieldtotable.optimise.finalists import (
    check_arguments,
    choose_finalists,
    cut_blocks,
    default_delta,
)
from fieldtotable.optimise.objectives import Constraint
from fieldtotable.optimise.phases import (
    FEASIBILITY_START,
    FINAL_START,
    SEARCH_SHARE,
    SELECTION_START,
    stochastic_constraints,
)
from fieldtotable.optimise.sampling import Sampler
from fieldtotable.optimise.screening import SearchHistory, TrialProgress, run_search
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
from fieldtotable.optimise.winner_tails import check_winner_tails, winner_tails

__all__ = ["ADAPTIVE_FACTOR", "search_and_select"]

ADAPTIVE_FACTOR = 4
"""By default a configuration may get up to this many times its screening replications
in the search (see :mod:`~fieldtotable.optimise.screening`)."""


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
    tails: TailRequest | None = None,
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
    sensitivity, tails
        As for :func:`~fieldtotable.optimise.search.optimise`.

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
    check_winner_tails(tails)
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
    stochastic = stochastic_constraints(constraints, first_column=1)
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
            tails=() if tails is None else winner_tails(rows, objective, constraints, tails, seed),
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
