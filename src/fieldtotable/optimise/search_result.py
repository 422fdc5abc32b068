"""What :func:`~fieldtotable.optimise.search.optimise` returns, and its JSON.

:class:`OptimisationResult` holds the best configuration with estimates from fresh
replications only (:class:`Best`), the probability-of-correct-selection claim
(:class:`SelectionProbability`), the runs by phase and every configuration evaluated
(:class:`TrialRecord`); :meth:`OptimisationResult.to_json` is the object the command
line's ``--json`` prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from fieldtotable.experiment.tail_summary import TailRow
from fieldtotable.optimise.variables import ParameterValue

__all__ = [
    "Best",
    "ConstraintEstimate",
    "Estimate",
    "OptimisationResult",
    "RefusedConfiguration",
    "SelectionProbability",
    "SensitivityRecord",
    "TrialRecord",
    "estimate",
]


@dataclass(frozen=True)
class Estimate:
    """A mean with its Student-t confidence interval.

    Attributes
    ----------
    mean
        The sample mean.
    ci
        ``(low, high)`` at the stated confidence; NaN ends with fewer than two values.
    n
        The number of replications.
    """

    mean: float
    ci: tuple[float, float]
    n: int

    def to_json(self) -> dict[str, Any]:
        """Return ``{"mean", "ci", "n"}`` (NaN as ``None``)."""
        return {"mean": _number(self.mean), "ci": [_number(end) for end in self.ci], "n": self.n}


def estimate(values: npt.ArrayLike, confidence: float = 0.95) -> Estimate:
    """Return the mean of ``values`` with its Student-t interval.

    Parameters
    ----------
    values
        One value per replication (NaN values are left out).
    confidence
        The interval's confidence level.

    Returns
    -------
    Estimate
        The mean and the interval ``mean ± t·sd/√n``.
    """
    array = np.asarray(values, dtype=np.float64)
    array = array[~np.isnan(array)]
    n = int(array.size)
    if n == 0:
        return Estimate(math.nan, (math.nan, math.nan), 0)
    mean = float(array.mean())
    if n < 2:
        return Estimate(mean, (math.nan, math.nan), n)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1) * array.std(ddof=1) / math.sqrt(n))
    return Estimate(mean, (mean - half, mean + half), n)


@dataclass(frozen=True)
class ConstraintEstimate:
    """A constraint judged on the winner's final replications.

    Attributes
    ----------
    constraint
        The constraint's text (``spoilage_rate <= 0.08``).
    estimate
        The KPI's mean and confidence interval.
    probability_holds
        The share of final replications in which the KPI met the limit: an estimate
        of the probability that one run meets it.
    tolerance
        ε the feasibility check used.
    """

    constraint: str
    estimate: Estimate
    probability_holds: float
    tolerance: float

    def to_json(self) -> dict[str, Any]:
        """Return the constraint, its estimate and the probability it holds."""
        return {
            "constraint": self.constraint,
            **self.estimate.to_json(),
            "probability_holds": _number(self.probability_holds),
            "tolerance": self.tolerance,
        }


@dataclass(frozen=True)
class SelectionProbability:
    """The claim of the selection: a lower bound on the probability of correct selection.

    Attributes
    ----------
    bound
        1 - α1 - α2 (1 - α2 without constraints).
    claim
        The claim in one sentence, and what it does not cover.
    guarantee_holds
        False when a replication cap cut a phase short (the bound then does not apply).
    delta
        δ, the indifference zone in the objective's unit.
    finalists
        K, the number of configurations the claim is about.
    """

    bound: float
    claim: str
    guarantee_holds: bool
    delta: float
    finalists: int

    def to_json(self) -> dict[str, Any]:
        """Return every field by name."""
        return {
            "bound": self.bound,
            "claim": self.claim,
            "guarantee_holds": self.guarantee_holds,
            "delta": self.delta,
            "finalists": self.finalists,
        }


@dataclass(frozen=True)
class Best:
    """The configuration selected, estimated on fresh replications.

    Attributes
    ----------
    params
        Path -> value.
    objective
        The objective KPI's mean and confidence interval over the final block (not
        used to select it, so free of the winner's optimism).
    constraints
        Per constraint, its estimate on the final block.
    pcs
        The claim.
    tails
        Quantiles and CVaR of the objective and each constraint KPI over the final
        block, when asked for (``optimise(..., tails=TailRequest(...))``).
    """

    params: Mapping[str, ParameterValue]
    objective: Estimate
    constraints: tuple[ConstraintEstimate, ...]
    pcs: SelectionProbability
    tails: tuple[TailRow, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return ``params``, ``objective``, ``constraints``, ``pcs`` and ``tails``."""
        return {
            "params": dict(self.params),
            "objective": self.objective.to_json(),
            "constraints": [constraint.to_json() for constraint in self.constraints],
            "pcs": self.pcs.to_json(),
            "tails": [row.to_dict() for row in self.tails],
        }


@dataclass(frozen=True)
class TrialRecord:
    """One configuration evaluated, with every replication it got.

    Attributes
    ----------
    params
        Path -> value.
    proposals
        How many times the search proposed it (repeats are served from the cache).
    replications
        How many replications it got, all phases together (for a neighbour of the
        best, its sensitivity runs too).
    search
        The objective's estimate on the search block (what the search saw).
    objective
        The objective's estimate over all its replications.
    constraint_means
        Each constraint KPI's mean over all its replications.
    finalist
        Whether it went on to the selection.
    search_constraint_means
        Each constraint KPI's mean on the search block (what the search judged its
        feasibility by).
    """

    params: Mapping[str, ParameterValue]
    proposals: int
    replications: int
    search: Estimate
    objective: Estimate
    constraint_means: tuple[float, ...]
    finalist: bool
    search_constraint_means: tuple[float, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return every field by name."""
        return {
            "params": dict(self.params),
            "proposals": self.proposals,
            "replications": self.replications,
            "search": self.search.to_json(),
            "objective": self.objective.to_json(),
            "constraint_means": [_number(value) for value in self.constraint_means],
            "finalist": self.finalist,
            "search_constraint_means": [_number(v) for v in self.search_constraint_means],
        }


@dataclass(frozen=True)
class SensitivityRecord:
    """One neighbour of the best: one variable changed, every other held at the best.

    Attributes
    ----------
    variable
        The path of the variable changed.
    best_value
        Its value in the best configuration.
    value
        Its value in this neighbour.
    objective
        The objective KPI's mean and Student-t interval on the best's final block.
    difference
        The neighbour's objective minus the best's, paired replication by replication
        on the same indices (common random numbers): the mean difference and its
        Student-t interval, in the objective's unit and sign (negative: lower than
        the best, which is worse when maximising).
    constraint_means
        Each constraint KPI's mean over the same block, in the order of the
        constraints.
    meets_constraints
        Whether every one of those means meets its constraint (a judgement on means,
        without the feasibility check's statistical guarantee).
    """

    variable: str
    best_value: ParameterValue
    value: ParameterValue
    objective: Estimate
    difference: Estimate
    constraint_means: tuple[float, ...]
    meets_constraints: bool

    def to_json(self) -> dict[str, Any]:
        """Return every field by name (estimates as ``{"mean", "ci", "n"}``)."""
        return {
            "variable": self.variable,
            "best_value": self.best_value,
            "value": self.value,
            "objective": self.objective.to_json(),
            "difference": self.difference.to_json(),
            "constraint_means": [_number(mean) for mean in self.constraint_means],
            "meets_constraints": self.meets_constraints,
        }


@dataclass(frozen=True)
class RefusedConfiguration:
    """A configuration the search proposed whose values the scenario refuses together.

    Attributes
    ----------
    params
        Path -> value.
    reason
        The scenario's problems in one line.
    """

    params: Mapping[str, ParameterValue]
    reason: str

    def to_json(self) -> dict[str, Any]:
        """Return ``{"params", "reason"}``."""
        return {"params": dict(self.params), "reason": self.reason}


@dataclass(frozen=True)
class OptimisationResult:
    """What an optimisation found, what it cost, and what it claims.

    Attributes
    ----------
    objective
        ``maximise KPI`` or ``minimise KPI``.
    constraints
        The constraints' texts.
    best
        The selected configuration, or ``None`` when no finalist was shown feasible.
    claim
        The claim in one sentence (also in ``best.pcs`` when there is a best).
    runs
        Simulation runs by phase (``search``, ``feasibility``, ``selection``,
        ``final``, ``sensitivity``) and ``total``, the runs of the first four (the
        decision's), ``<= budget``; ``sensitivity`` runs are outside the budget.
    budget
        The budget given.
    trials
        Every configuration evaluated, in the order first proposed.
    settings
        α, n0, the search replications, K, the final replications, δ and the seed.
    sensitivity
        The best's one-at-a-time neighbours compared with it (empty unless asked
        for, or when there is no best).
    refused
        Configurations proposed whose values the scenario refuses together (never
        run; Optuna is told they failed).
    """

    objective: str
    constraints: tuple[str, ...]
    best: Best | None
    claim: str
    runs: Mapping[str, int]
    budget: int
    trials: tuple[TrialRecord, ...]
    settings: Mapping[str, Any]
    sensitivity: tuple[SensitivityRecord, ...] = ()
    refused: tuple[RefusedConfiguration, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-compatible object the command line's ``--json`` prints.

        Returns
        -------
        dict
            ``best`` (``params``, ``objective.mean``, ``objective.ci``,
            ``constraints``, ``pcs``) or ``None``, ``claim``, ``runs``, ``budget``,
            ``trials``, ``objective``, ``constraints``, ``settings``,
            ``sensitivity`` and ``refused``.
        """
        return {
            "objective": self.objective,
            "constraints": list(self.constraints),
            "best": None if self.best is None else self.best.to_json(),
            "claim": self.claim,
            "runs": dict(self.runs),
            "budget": self.budget,
            "trials": [trial.to_json() for trial in self.trials],
            "settings": dict(self.settings),
            "sensitivity": [record.to_json() for record in self.sensitivity],
            "refused": [configuration.to_json() for configuration in self.refused],
        }


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
