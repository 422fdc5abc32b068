"""The search: Optuna proposes, each configuration is screened, contenders get more.

:func:`run_search` asks Optuna's TPE for one configuration at a time and simulates it
on the search block of replication indices (common random numbers: index ``j`` is the
same random streams for every configuration). Replications are **allocated
adaptively**:

1. **Screen**: a new configuration runs ``screening`` replications, indices
   ``[0, screening)``.
2. **Add where the answer is still open**: while its status is uncertain it runs
   ``screening`` more (the next indices), up to ``most``. Its status is uncertain
   when it is not clearly infeasible and it is not clearly worse than the incumbent
   (the best configuration whose search means meet every constraint), and either
   its paired difference with the incumbent or one of its constraint slacks has a
   confidence interval that still contains 0. The incumbent is brought to the same
   indices first, so the comparison is paired and the incumbent's estimate sharpens
   as the search goes on.
3. **Tell** Optuna the mean over all the configuration's search replications, with
   the constraint slacks of its means (they steer TPE; feasibility is decided later,
   on fresh replications).

A repeated proposal is told its cached mean at no cost. The intervals are two-sided
Student-t at :data:`SCREENING_CONFIDENCE` on the configuration's own replications:
they decide where to spend runs, never what is returned.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from fieldtotable.optimise.evaluations import Evaluations
from fieldtotable.optimise.objectives import Constraint
from fieldtotable.optimise.optuna_support import (
    create_study,
    distributions,
    require_optuna,
    set_constraint_slacks,
)
from fieldtotable.optimise.variables import ParameterValue

__all__ = [
    "MAX_REPEATS",
    "SCREENING_CONFIDENCE",
    "SearchHistory",
    "TrialProgress",
    "best_so_far",
    "run_search",
]

SCREENING_CONFIDENCE = 0.9
"""Two-sided confidence of the intervals that decide whether to add replications."""
MAX_REPEATS = 25
"""The search stops after this many proposals in a row that it had already seen."""


@dataclass(frozen=True)
class TrialProgress:
    """What the search knows after one proposal (passed to the progress callback).

    Attributes
    ----------
    trial
        The proposal's number, from 0.
    params
        The configuration proposed.
    mean
        Its objective's search mean.
    replications
        Its search replications.
    best_params
        The incumbent (best on search means meeting every constraint), or ``None``.
    best_mean
        The incumbent's search mean (NaN when there is none).
    runs
        Search runs used so far.
    """

    trial: int
    params: Mapping[str, ParameterValue]
    mean: float
    replications: int
    best_params: Mapping[str, ParameterValue] | None
    best_mean: float
    runs: int


@dataclass
class SearchHistory:
    """What the search evaluated.

    Attributes
    ----------
    proposals
        Configuration key -> times proposed, in the order first proposed.
    replications
        Configuration key -> its search replications ``n`` (indices ``[0, n)``).
    order
        Every proposal's key in order (repeats included).
    refused
        Configuration key -> why the scenario refuses its values together (such
        configurations are proposed but never run).
    """

    proposals: dict[str, int] = field(default_factory=dict)
    replications: dict[str, int] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def evaluated(self) -> list[str]:
        """Return the keys that ran, in the order first proposed."""
        return [key for key in self.proposals if key not in self.refused]

    def block(self, key: str) -> range:
        """Return the search indices of ``key``."""
        return range(self.replications[key])


def run_search(
    evaluations: Evaluations,
    constraints: Sequence[Constraint],
    screening: int,
    most: int,
    cap: int,
    seed: int,
    journal: str | os.PathLike[str] | None = None,
    on_trial: Callable[[TrialProgress], None] | None = None,
    batch: int = 1,
) -> SearchHistory:
    """Run the ask-and-tell search with adaptive replications.

    Parameters
    ----------
    evaluations
        The cache over the sampler; new runs are charged to ``search``.
    constraints
        The constraints (their slacks steer TPE and the allocation).
    screening
        Replications of a new configuration, and the step of each addition.
    most
        The most search replications of one configuration (``>= screening``).
    cap
        The most search runs in all.
    seed
        TPE's seed.
    journal
        Optuna's journal file, or ``None``.
    on_trial
        Called after every proposal with a :class:`TrialProgress`.
    batch
        Proposals asked of Optuna before any is told: their screening (and each
        round of additions) runs as one batch, in parallel on a parallel executor.
        With more than one, TPE's constant liar keeps a batch's proposals apart. The
        result depends on ``batch``, never on the executor.

    Returns
    -------
    SearchHistory
        The proposals and each configuration's search replications.
    """
    optuna = require_optuna()
    study = create_study(evaluations.objective, seed, journal, constant_liar=batch > 1)
    proposed = distributions(evaluations.space)
    grid = evaluations.space.grid_size
    sign = 1.0 if evaluations.objective.direction == "maximise" else -1.0
    history = SearchHistory()
    allocation = _Allocation(evaluations, constraints, history, sign, cap)
    repeats = 0
    while evaluations.runs["search"] + screening <= cap and repeats < MAX_REPEATS:
        if grid is not None and len(history.proposals) >= grid:
            break  # every configuration has been seen
        asked: list[tuple[Any, str]] = []
        fresh: list[str] = []
        while len(asked) < batch and allocation.affordable((len(fresh) + 1) * screening):
            trial = study.ask(proposed)
            key = evaluations.register(trial.params)
            asked.append((trial, key))
            if key not in history.replications and key not in fresh:
                reason = evaluations.refusal(key)
                if reason is None:
                    fresh.append(key)
                else:
                    history.refused[key] = reason
        allocation.screen(fresh, screening, most)
        for trial, key in asked:
            repeats = repeats + 1 if key in history.proposals else 0
            history.proposals[key] = history.proposals.get(key, 0) + 1
            history.order.append(key)
            if key in history.refused:
                # Values the scenario refuses together: no run, and TPE learns to avoid them.
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
                continue
            means = allocation.means(key)
            set_constraint_slacks(
                trial, [bound.slack(float(means[1 + i])) for i, bound in enumerate(constraints)]
            )
            if math.isnan(means[0]):
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
            else:
                study.tell(trial, float(means[0]))
            if on_trial is not None:
                on_trial(allocation.progress(key))
    return history


class _Allocation:
    """Screening and adding replications during the search."""

    def __init__(
        self,
        evaluations: Evaluations,
        constraints: Sequence[Constraint],
        history: SearchHistory,
        sign: float,
        cap: int,
    ) -> None:
        self.evaluations = evaluations
        self.constraints = constraints
        self.history = history
        self.sign = sign
        self.cap = cap

    def rows(self, key: str, count: int | None = None) -> npt.NDArray[np.float64]:
        """Return ``key``'s search rows over ``[0, count)`` (default: all it has)."""
        block = range(self.history.replications[key] if count is None else count)
        return self.evaluations.sample([key], block, "search")[0]

    def means(self, key: str) -> npt.NDArray[np.float64]:
        """Return ``key``'s search means (objective, then constraint KPIs)."""
        return np.asarray(self.rows(key).mean(axis=0), dtype=np.float64)

    def meets_on_means(self, key: str) -> bool:
        """Return whether ``key``'s search means meet every constraint."""
        means = self.means(key)
        return not math.isnan(means[0]) and all(
            bound.holds(float(means[1 + i])) for i, bound in enumerate(self.constraints)
        )

    def incumbent(self, other_than: str | None = None) -> str | None:
        """Return the best configuration on search means meeting every constraint."""
        best, best_score = None, -math.inf
        for key in self.history.replications:
            if key == other_than or not self.meets_on_means(key):
                continue
            score = self.sign * float(self.means(key)[0])
            if score > best_score:
                best, best_score = key, score
        return best

    def affordable(self, runs: int) -> bool:
        """Return whether ``runs`` more search runs fit the cap."""
        return self.evaluations.runs["search"] + runs <= self.cap

    def screen(self, keys: Sequence[str], screening: int, most: int) -> None:
        """Screen new configurations together, then add where each is still uncertain.

        Each round adds ``screening`` replications to every configuration of ``keys``
        whose status is open (and brings its incumbent to the same indices), all
        in one batch of runs; it stops when none is open, the next round would pass
        ``most`` or the cap, or nothing is left.
        """
        for key in keys:
            self.history.replications[key] = screening
        self._simulate(dict.fromkeys(keys, screening))
        pending = list(keys)
        while pending:
            wanted: dict[str, int] = {}
            for key in pending:
                count = self.history.replications[key]
                if count + screening > most:
                    continue
                incumbent = self.incumbent(other_than=key)
                if not self._uncertain(key, incumbent, count):
                    continue
                for needed in (key, incumbent):
                    if needed is not None and self.history.replications[needed] < count + screening:
                        wanted[needed] = max(wanted.get(needed, 0), count + screening)
            added = sum(target - self.history.replications[key] for key, target in wanted.items())
            if not wanted or not self.affordable(added):
                return
            self.history.replications.update(wanted)
            self._simulate(wanted)
            pending = [key for key in pending if key in wanted]

    def _simulate(self, targets: Mapping[str, int]) -> None:
        """Run what is missing of each configuration's ``[0, target)``, span by span."""
        by_target: dict[int, list[str]] = {}
        for key, target in targets.items():
            by_target.setdefault(target, []).append(key)
        for target, keys in sorted(by_target.items()):
            self.evaluations.sample(keys, range(target), "search")

    def progress(self, key: str) -> TrialProgress:
        """Return what the search knows after proposing ``key``."""
        incumbent = self.incumbent()
        return TrialProgress(
            trial=len(self.history.order) - 1,
            params=self.evaluations.configurations[key],
            mean=float(self.means(key)[0]),
            replications=self.history.replications[key],
            best_params=None if incumbent is None else self.evaluations.configurations[incumbent],
            best_mean=math.nan if incumbent is None else float(self.means(incumbent)[0]),
            runs=self.evaluations.runs["search"],
        )

    def _uncertain(self, key: str, incumbent: str | None, count: int) -> bool:
        """Return whether more replications of ``key`` could change what is decided."""
        rows = self.rows(key)
        if np.isnan(rows[:, 0]).any():
            return False  # an undefined objective: no replication will define it
        open_constraint = False
        for index, bound in enumerate(self.constraints):
            slacks = np.array([bound.slack(float(value)) for value in rows[:, 1 + index]])
            if np.isnan(slacks).any():
                return False  # an undefined KPI meets no constraint
            low, high = _interval(slacks)
            if low > 0:
                return False  # clearly infeasible
            open_constraint = open_constraint or high > 0
        if incumbent is None:
            return open_constraint
        # Paired on the indices both have (the incumbent may have fewer than ``key``).
        common = min(count, self.history.replications[incumbent])
        difference = self.sign * (rows[:common, 0] - self.rows(incumbent)[:common, 0])
        low, high = _interval(difference)
        if high < 0:
            return False  # clearly worse than the incumbent
        return open_constraint or low <= 0


def _interval(values: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Return the Student-t interval of the mean at :data:`SCREENING_CONFIDENCE`."""
    mean = float(np.mean(values))
    if values.size < 2:
        return -math.inf, math.inf
    spread = float(np.std(values, ddof=1))
    if not math.isfinite(spread):
        return -math.inf, math.inf
    half = float(stats.t.ppf(0.5 + SCREENING_CONFIDENCE / 2, values.size - 1)) * spread
    half /= math.sqrt(values.size)
    return mean - half, mean + half


def best_so_far(found: TrialProgress) -> str:
    """Return the progress bar's note after a proposal: the best so far, or none yet.

    Parameters
    ----------
    found
        What the search knows after the proposal.

    Returns
    -------
    str
        ``trial 12, best so far 1.23e+06 (legs.a.fleet=3)``, or ``trial 12, none
        feasible yet``.
    """
    if found.best_params is None:
        return f"trial {found.trial + 1}, none feasible yet"
    values = ", ".join(f"{path}={value}" for path, value in found.best_params.items())
    return f"trial {found.trial + 1}, best so far {found.best_mean:.4g} ({values})"
