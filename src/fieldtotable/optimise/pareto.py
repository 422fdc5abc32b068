"""Two objectives: NSGA-II proposes, fresh replications decide the Pareto set.

:func:`search_pareto` (called by :func:`~fieldtotable.optimise.search.optimise` when
it is given two objectives) runs four steps, every configuration using replication
``j`` with the same seed (common random numbers):

1. **Search** on replication indices ``[0, n_s)``: Optuna's NSGA-II (Deb et al. 2002;
   seeded, every setting explicit, see
   :func:`~fieldtotable.optimise.optuna_support.create_pareto_study`) proposes
   configurations by ask-and-tell; each new one runs ``n_s`` replications, a repeated
   proposal is told its cached means at no cost; the constraint slacks of the search
   means steer the sampler (constrained domination). NSGA-II rather than
   multi-objective TPE because the issue names it, it handles integer, real and
   categorical variables alike, and its constrained-domination rule is the one the
   candidates are chosen by; its population is small (20) so that a search of a few
   dozen configurations runs several generations rather than one random one.
2. **Candidates**: the configurations whose search means meet every constraint, in
   order of their non-dominated rank on the search means (the front first, then the
   front without it, ...), then the least-violating others; at most ``candidates``,
   and fewer when the budget left cannot pay for them.
3. **Constraints** of each candidate: Batur & Kim's feasibility check (block from
   :data:`~fieldtotable.optimise.phases.FEASIBILITY_START`, each check's error at most
   α/(k·s)) when the budget pays for ``n0`` replications of every candidate beyond
   the final block; otherwise a Bonferroni confidence interval on the final block
   (feasible when its far end is within the limit plus ε). Never one run.
4. **Final**: ``n_f`` fresh replications of every candidate (from
   :data:`~fieldtotable.optimise.phases.FINAL_START`, the same indices for all); the
   front is the feasible candidates no other feasible candidate dominates on these
   means, and each pair of its members is compared on its paired differences.

There is no probability-of-correct-selection guarantee for the set: see the claim.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from fieldtotable.optimise.evaluations import PHASES, Evaluations
from fieldtotable.optimise.feasibility import StochasticConstraint, feasibility_check
from fieldtotable.optimise.objectives import Constraint, Objective
from fieldtotable.optimise.optuna_support import (
    create_pareto_study,
    distributions,
    require_optuna,
    set_constraint_slacks,
)
from fieldtotable.optimise.pareto_front import compare, non_dominated, order_candidates
from fieldtotable.optimise.pareto_result import (
    ParetoMember,
    ParetoResult,
    ParetoTrialRecord,
)
from fieldtotable.optimise.phases import (
    FEASIBILITY_START,
    FINAL_START,
    SEARCH_SHARE,
    stochastic_constraints,
)
from fieldtotable.optimise.search_result import ConstraintEstimate, estimate
from fieldtotable.optimise.selection_constants import bonferroni_beta

__all__ = ["MAX_REPEATS", "ConstraintJudgement", "search_pareto"]

ConstraintJudgement = Literal["none", "batur-kim", "confidence interval"]
"""How the candidates' constraints were judged (``none``: there are none)."""

Array = npt.NDArray[np.float64]

MAX_REPEATS = 100
"""The search stops after this many proposals in a row that it had already seen.

More than the single-objective search's 25: NSGA-II's children often copy their
parents on a small discrete space, so a generation of 20 may hold few new
configurations; repeats cost no simulation, only Optuna's time.
"""


def search_pareto(
    evaluations: Evaluations,
    objectives: Sequence[Objective],
    constraints: Sequence[Constraint],
    budget: int,
    seed: int,
    alpha: float,
    n0: int,
    search_replications: int,
    candidates: int,
    final_replications: int,
    journal: str | os.PathLike[str] | None = None,
) -> ParetoResult:
    """Search for two objectives and return the Pareto set on fresh replications.

    Parameters
    ----------
    evaluations
        The cache over the sampler, whose rows hold the objectives' KPIs in order,
        then the constraints' KPIs.
    objectives
        Exactly two objectives.
    constraints
        The constraints (each with its tolerance ε, defaulting as for
        :func:`~fieldtotable.optimise.search.optimise`).
    budget
        The most one-replication runs all phases may use together.
    seed
        NSGA-II's seed.
    alpha
        The error of the feasibility checks together (α/(k·s) each), and
        1 - the confidence of the pairwise comparisons' intervals.
    n0
        First-stage replications of the feasibility check (≥ 2).
    search_replications
        n_s, replications per configuration in the search.
    candidates
        The most configurations judged on fresh replications.
    final_replications
        n_f, fresh replications of every candidate (≥ 2).
    journal
        Optuna's journal file, or ``None``.

    Returns
    -------
    ParetoResult
        The front, every candidate, the pairwise comparisons, the claim and the runs.

    Raises
    ------
    ValueError
        For an argument out of range, or a budget too small for one search batch and
        the final block of one candidate.
    """
    _check_arguments(budget, alpha, n0, search_replications, candidates, final_replications)
    if len(objectives) != 2:
        raise ValueError(f"search_pareto needs two objectives, not {len(objectives)}")
    # What one candidate needs after the search: its final block, and n0 for its check.
    reserve = final_replications + (n0 if constraints else 0)
    search_cap = min(int(budget * SEARCH_SHARE), budget - reserve)
    if search_cap < search_replications:
        least = max(search_replications + reserve, math.ceil(search_replications / SEARCH_SHARE))
        raise ValueError(
            f"budget {budget} is too small: at least {least} runs are needed (one search "
            f"batch of {search_replications}, {final_replications} final replications"
            f"{f' and n0 = {n0} for the feasibility check' if constraints else ''})"
        )
    signs = np.array([1.0 if goal.direction == "maximise" else -1.0 for goal in objectives])
    search_block = range(search_replications)
    proposals = _search(
        evaluations, objectives, constraints, search_block, search_cap, seed, journal
    )
    means = {
        key: evaluations.sample([key], search_block, "search")[0].mean(axis=0) for key in proposals
    }
    ordered = order_candidates(means, signs, constraints)[:candidates]
    remaining = budget - evaluations.total_runs
    chosen, judgement, feasibility_cap = _fit(
        ordered, remaining, n0, final_replications, bool(constraints)
    )
    stochastic = stochastic_constraints(constraints, first_column=2)
    beta = bonferroni_beta(alpha, len(chosen), len(constraints)) if constraints else alpha
    feasible = dict.fromkeys(chosen, True)
    undecided = 0  # candidates whose check its replication cap stopped undecided
    if judgement == "batur-kim":
        check = feasibility_check(
            evaluations.ranking_sampler("feasibility"),
            [evaluations.system(key) for key in chosen],
            stochastic,
            n0=n0,
            beta=beta,
            first_stream=FEASIBILITY_START,
            max_replications=feasibility_cap,
        )
        feasible = {key: check.checks[evaluations.system(key)].feasible for key in chosen}
        undecided = sum(
            "infeasible" not in check.checks[evaluations.system(key)].verdicts and not feasible[key]
            for key in chosen
        )
    final_block = range(FINAL_START, FINAL_START + final_replications)
    final = dict(zip(chosen, evaluations.sample(chosen, final_block, "final"), strict=True))
    if judgement == "confidence interval":
        feasible = {key: _meets_by_interval(final[key], stochastic, beta) for key in chosen}
    signed = {key: final[key][:, :2].mean(axis=0) * signs for key in chosen}
    front_keys = non_dominated([key for key in chosen if feasible[key]], signed)
    front_keys.sort(key=lambda key: -_finite_or_worst(float(signed[key][0])))
    members = {
        key: _member(
            evaluations, key, final[key], constraints, stochastic, feasible[key], key in front_keys
        )
        for key in chosen
    }
    comparisons = tuple(
        compare(first, second, final[front_keys[first]], final[front_keys[second]], signs, alpha)
        for first, second in itertools.combinations(range(len(front_keys)), 2)
    )
    runs = {phase: evaluations.runs[phase] for phase in PHASES}
    runs["total"] = sum(runs.values())
    return ParetoResult(
        objectives=tuple(str(goal) for goal in objectives),
        constraints=tuple(bound.to_text() for bound in constraints),
        front=tuple(members[key] for key in front_keys),
        candidates=tuple(members[key] for key in chosen),
        comparisons=comparisons,
        claim=_claim(
            len(front_keys), len(chosen), final_replications, judgement, beta, alpha, undecided
        ),
        runs=runs,
        budget=budget,
        trials=_records(evaluations, proposals, search_block, set(chosen), len(objectives)),
        settings={
            "alpha": alpha,
            "n0": n0,
            "search_replications": search_replications,
            "candidates": len(chosen),
            "final_replications": final_replications,
            "constraint_judgement": judgement,
            "beta": beta,
            "undecided": undecided,
            "seed": seed,
            "variables": list(evaluations.space.to_texts()),
        },
    )


def _search(
    evaluations: Evaluations,
    objectives: Sequence[Objective],
    constraints: Sequence[Constraint],
    block: range,
    cap: int,
    seed: int,
    journal: str | os.PathLike[str] | None,
) -> dict[str, int]:
    """Run the ask-and-tell search; return each configuration's key -> proposals."""
    optuna = require_optuna()
    study = create_pareto_study(objectives, seed, journal)
    proposed = distributions(evaluations.space)
    grid = evaluations.space.grid_size
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
            trial, [bound.slack(float(means[2 + i])) for i, bound in enumerate(constraints)]
        )
        if np.isnan(means[:2]).any():
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            study.tell(trial, [float(means[0]), float(means[1])])
        if repeats >= MAX_REPEATS:
            break
    return proposals


def _finite_or_worst(value: float) -> float:
    return -math.inf if math.isnan(value) else value


def _fit(
    ordered: list[str], remaining: int, n0: int, final_replications: int, constrained: bool
) -> tuple[list[str], ConstraintJudgement, int]:
    """Cut the candidates to the budget left; choose how constraints are judged.

    Returns the candidates, the judgement and, for Batur & Kim, the cap on its
    replications per candidate (what is left of each candidate's share after the
    final block).
    """
    for count in range(len(ordered), 0, -1):
        share = remaining // count
        if not constrained and share >= final_replications:
            return ordered[:count], "none", 0
        if constrained and share >= final_replications + n0:
            return ordered[:count], "batur-kim", share - final_replications
        if constrained and share >= final_replications:
            return ordered[:count], "confidence interval", 0
    raise ValueError(
        f"the budget left after the search ({remaining} runs) cannot pay for the "
        f"{final_replications} final replications of one candidate; raise the budget"
    )


def _meets_by_interval(
    rows: Array, constraints: Sequence[StochasticConstraint], beta: float
) -> bool:
    """Whether every constraint's interval (confidence 1 - β) ends within limit ± ε."""
    for bound in constraints:
        low, high = estimate(rows[:, bound.column], confidence=1 - beta).ci
        if math.isnan(low) or math.isnan(high):
            return False
        if bound.sense == "<=" and high > bound.limit + bound.tolerance:
            return False
        if bound.sense == ">=" and low < bound.limit - bound.tolerance:
            return False
    return True


def _member(
    evaluations: Evaluations,
    key: str,
    rows: Array,
    constraints: Sequence[Constraint],
    stochastic: Sequence[StochasticConstraint],
    feasible: bool,
    on_front: bool,
) -> ParetoMember:
    """Return one candidate's estimates on its final block."""
    return ParetoMember(
        params=evaluations.configurations[key],
        objectives=(estimate(rows[:, 0]), estimate(rows[:, 1])),
        constraints=tuple(
            ConstraintEstimate(
                constraint=bound.to_text(),
                estimate=estimate(rows[:, 2 + index]),
                probability_holds=float(np.mean([bound.holds(v) for v in rows[:, 2 + index]])),
                tolerance=stochastic[index].tolerance,
            )
            for index, bound in enumerate(constraints)
        ),
        feasible=feasible,
        on_front=on_front,
    )


def _claim(
    front: int,
    candidates: int,
    final_replications: int,
    judgement: ConstraintJudgement,
    beta: float,
    alpha: float,
    undecided: int,
) -> str:
    """Return the claim: what the front shows, and that no selection guarantee comes with it."""
    if judgement == "batur-kim":
        constraints = (
            f"Constraints were judged by Batur & Kim's feasibility check on fresh "
            f"replications, each check erring with probability at most {beta:.3g}"
            + (
                f"; {undecided} candidate(s) still undecided when the budget stopped their "
                f"check count as not feasible. "
                if undecided
                else ". "
            )
        )
    elif judgement == "confidence interval":
        constraints = (
            f"The budget did not pay for Batur & Kim's check, so each constraint was "
            f"judged by a {1 - beta:.4g} confidence interval on the final replications "
            f"(met when it ends within the limit plus its tolerance). "
        )
    else:
        constraints = ""
    found = (
        f"{front} of {candidates} candidates are on the front: no other feasible "
        f"candidate dominates their means over {final_replications} fresh replications. "
        if front
        else f"None of the {candidates} candidates was declared feasible, so the front is empty. "
    )
    return (
        found + constraints + "There is no probability-of-correct-selection guarantee for a "
        "Pareto set: a configuration the search did not propose, or ranked too low on its "
        "search means, cannot be on the front, and a member may be dominated in truth by "
        "less than the noise. The pairwise comparisons say which trade-offs are real "
        f"({1 - alpha:.0%} intervals on paired differences, one pair at a time)."
    )


def _records(
    evaluations: Evaluations,
    proposals: Mapping[str, int],
    block: range,
    candidates: set[str],
    objective_count: int,
) -> tuple[ParetoTrialRecord, ...]:
    records = []
    for key, count in proposals.items():
        search = evaluations.sample([key], block, "search")[0]
        records.append(
            ParetoTrialRecord(
                params=evaluations.configurations[key],
                proposals=count,
                replications=len(evaluations.replications_of(key)),
                search=tuple(estimate(search[:, column]) for column in range(objective_count)),
                constraint_means=tuple(
                    float(np.nanmean(search[:, column]))
                    for column in range(objective_count, search.shape[1])
                ),
                candidate=key in candidates,
            )
        )
    return tuple(records)


def _check_arguments(
    budget: int, alpha: float, n0: int, search_replications: int, candidates: int, final: int
) -> None:
    """Raise ``ValueError`` naming the first argument out of range."""
    for name, value, least in (
        ("budget", budget, 1),
        ("n0", n0, 2),
        ("search_replications", search_replications, 1),
        ("candidates", candidates, 1),
        ("final_replications", final, 2),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, not {value!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 0.5:
        raise ValueError(f"alpha must lie strictly between 0 and 0.5, not {alpha!r}")
