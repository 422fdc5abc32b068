"""Batur & Kim's (2010) sequential feasibility check of stochastic constraints.

A constraint bounds the mean of one sampler output, E[Y] ≤ q, with a tolerance ε > 0:
a system is *desirable* when E[Y] ≤ q - ε, *unacceptable* when E[Y] ≥ q + ε, and
either answer is correct in between. After n0 replications, with S² the sample
variance of Y over them, the check declares the constraint

    feasible    when Σ_{j≤r}(Y_j - q) ≤ -R(r),
    infeasible  when Σ_{j≤r}(Y_j - q) ≥ R(r),   R(r) = max{0, η(n0-1)S²/ε - εr/2},

and otherwise runs one more replication. With η = ½[(2β)^(-2/(n0-1)) - 1], each
check errs (feasible when unacceptable, or infeasible when desirable) with probability
at most β. A system is feasible only when all its constraints are; its sampling stops
at the first constraint declared infeasible. A ``>=`` constraint is negated inside
(E[-Y] ≤ -q), so callers state limits the way they read.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from fieldtotable.optimise.kim_nelson import check_systems
from fieldtotable.optimise.sampling import Sampler, draw
from fieldtotable.optimise.selection_constants import (
    check_count,
    check_positive,
    feasibility_eta,
)

__all__ = [
    "FeasibilityResult",
    "StochasticConstraint",
    "SystemFeasibility",
    "Verdict",
    "feasibility_check",
]

Verdict = Literal["feasible", "infeasible", "undecided"]

# Verdict codes in the arrays of the sequential loop.
_UNDECIDED, _FEASIBLE, _INFEASIBLE = 0, 1, -1
_VERDICTS: dict[int, Verdict] = {
    _UNDECIDED: "undecided",
    _FEASIBLE: "feasible",
    _INFEASIBLE: "infeasible",
}


@dataclass(frozen=True)
class StochasticConstraint:
    """A limit on the mean of one sampler output, judged with a tolerance.

    Attributes
    ----------
    column
        The sampler's output column (1 to s; column 0 is the objective).
    limit
        q, the limit on the mean.
    tolerance
        ε > 0, in the output's unit: means within ε of the limit may be declared
        either way; a mean at least ε inside is declared feasible, and one at least
        ε beyond infeasible, each with probability at least 1 - β.
    sense
        ``"<="`` for E[Y] ≤ q, ``">="`` for E[Y] ≥ q (checked as E[-Y] ≤ -q).
    name
        What the output is, for messages and the claim (e.g. ``"fill_rate"``);
        empty: ``"column <column>"``.
    """

    column: int
    limit: float
    tolerance: float
    sense: Literal["<=", ">="] = "<="
    name: str = ""

    def __post_init__(self) -> None:
        if (
            isinstance(self.column, bool)
            or not isinstance(self.column, numbers.Integral)
            or self.column < 1
        ):
            raise ValueError(
                f"a constraint's column must be an integer of at least 1 (column 0 is the "
                f"objective), not {self.column!r}"
            )
        if (
            isinstance(self.limit, bool)
            or not isinstance(self.limit, numbers.Real)
            or not math.isfinite(self.limit)
        ):
            raise ValueError(f"a constraint's limit must be a finite number, not {self.limit!r}")
        check_positive("tolerance", self.tolerance)
        if self.sense not in ("<=", ">="):
            raise ValueError(f"a constraint's sense must be '<=' or '>=', not {self.sense!r}")

    @property
    def label(self) -> str:
        """The name, or ``"column <column>"`` when none was given."""
        return self.name or f"column {self.column}"

    def excess(self, outputs: np.ndarray) -> np.ndarray:
        """Return Y - q in the ``<=`` form (q - Y for a ``>=`` constraint).

        Parameters
        ----------
        outputs
            The outputs of this constraint's column.

        Returns
        -------
        numpy.ndarray
            Positive where the output is beyond the limit.
        """
        return outputs - self.limit if self.sense == "<=" else self.limit - outputs

    def __str__(self) -> str:
        return f"{self.label} {self.sense} {self.limit:g} (tolerance {self.tolerance:g})"


@dataclass(frozen=True)
class SystemFeasibility:
    """The feasibility check of one system.

    Attributes
    ----------
    system
        The system.
    feasible
        True when every constraint was declared feasible.
    verdicts
        Per constraint, in the order given: ``"feasible"``, ``"infeasible"``, or
        ``"undecided"`` (sampling stopped first: another constraint was declared
        infeasible, or the replication cap was reached).
    replications
        Replications used (streams ``first_stream`` onwards).
    constraint_means
        Per constraint, the sample mean of its output over those replications, in the
        output's own sign. Biased by the sequential stopping; quote means from fresh
        replications.
    """

    system: int
    feasible: bool
    verdicts: tuple[Verdict, ...]
    replications: int
    constraint_means: tuple[float, ...]


@dataclass(frozen=True)
class FeasibilityResult:
    """What :func:`feasibility_check` declared, and what it cost.

    Attributes
    ----------
    systems
        The systems checked, in the order given.
    constraints
        The constraints, in the order given.
    checks
        Each system's check, by system.
    feasible
        The systems declared feasible, in the order given.
    total_runs
        Replications of all systems together.
    n0
        The first-stage sample size.
    beta
        The error allowed to each (system, constraint) check (0 when there were no
        constraints to check).
    eta
        η = ½[(2β)^(-2/(n0-1)) - 1] (0 when there were no constraints to check).
    first_stream
        The first replication index used.
    budget_exhausted
        True when the replication cap left some system undecided (it is then not
        declared feasible, and a desirable system may have been missed).
    """

    systems: tuple[int, ...]
    constraints: tuple[StochasticConstraint, ...]
    checks: Mapping[int, SystemFeasibility]
    feasible: tuple[int, ...]
    total_runs: int
    n0: int
    beta: float
    eta: float
    first_stream: int
    budget_exhausted: bool


def feasibility_check(
    sample: Sampler,
    systems: Sequence[int],
    constraints: Sequence[StochasticConstraint],
    n0: int,
    beta: float,
    first_stream: int,
    max_replications: int | None = None,
) -> FeasibilityResult:
    """Declare each system feasible or not (Batur & Kim, common random numbers).

    All undecided systems run each step's replication on the same index, so a caller
    can batch them; a system stops as soon as one constraint is declared infeasible
    or all are declared feasible.

    Parameters
    ----------
    sample
        The sampler; the constraints' columns are read.
    systems
        At least one system identifier, all different.
    constraints
        At least one constraint.
    n0
        First-stage replications per system, at least 2.
    beta
        The error allowed to each (system, constraint) check, in (0, 0.5); for an
        error α1 over all of them use ``bonferroni_beta(α1, k, s)`` = α1/(k·s).
    first_stream
        The first replication index of this check's block; every system uses
        ``first_stream``, ``first_stream + 1``, ... and each (system, index) is
        asked for at most once.
    max_replications
        A cap on the replications per system (at least ``n0``): a system still
        undecided there is not declared feasible and ``budget_exhausted`` is set.
        None: no cap (each check ends by itself, by ⌈2η(n0-1)S²/ε²⌉ replications).

    Returns
    -------
    FeasibilityResult
        The verdicts and the replications used.

    Raises
    ------
    ValueError
        When an argument is out of range or the sampler returns a malformed array.
    """
    identifiers = check_systems(systems, minimum=1)
    bounds = tuple(constraints)
    if not bounds:
        raise ValueError("at least one constraint needed")
    for bound in bounds:
        if not isinstance(bound, StochasticConstraint):
            raise ValueError(f"constraints must be StochasticConstraint, not {bound!r}")
    check_count("n0", n0, 2)
    eta = feasibility_eta(beta, n0)
    check_count("first_stream", first_stream, 0)
    if max_replications is not None:
        check_count("max_replications", max_replications, n0)

    columns = 1 + max(bound.column for bound in bounds)
    tolerance = np.array([bound.tolerance for bound in bounds])

    def excesses(system: int, indices: range) -> np.ndarray:
        outputs = draw(sample, system, indices, columns)
        return np.stack([bound.excess(outputs[:, bound.column]) for bound in bounds], axis=1)

    first_stage = np.stack(
        [excesses(system, range(first_stream, first_stream + n0)) for system in identifiers]
    )  # (system, replication, constraint)
    variance = first_stage.var(axis=1, ddof=1)
    # R(r) = max{0, η(n0-1)S²/ε - εr/2}: the half-width of the continuation region.
    region_start = eta * (n0 - 1) * variance / tolerance
    sums = first_stage.sum(axis=1)  # Σ(Y_j - q), (system, constraint)
    verdicts = np.full(sums.shape, _UNDECIDED)
    active = np.ones(len(identifiers), dtype=bool)
    replications = np.full(len(identifiers), n0)
    budget_exhausted = False
    step = n0
    while True:
        half_width = np.maximum(0.0, region_start - tolerance * step / 2.0)
        open_check = active[:, np.newaxis] & (verdicts == _UNDECIDED)
        # Infeasible first: at a closed region (R = 0) a sum of exactly 0 means a
        # mean exactly at the limit, which is not shown to be inside it.
        verdicts[open_check & (sums >= half_width)] = _INFEASIBLE
        verdicts[open_check & (sums <= -half_width) & (verdicts == _UNDECIDED)] = _FEASIBLE
        decided = (verdicts == _INFEASIBLE).any(axis=1) | (verdicts == _FEASIBLE).all(axis=1)
        active &= ~decided
        live = np.flatnonzero(active)
        if len(live) == 0:
            break
        if max_replications is not None and step >= max_replications:
            budget_exhausted = True
            break
        for live_index in live:
            next_index = range(first_stream + step, first_stream + step + 1)
            sums[live_index] += excesses(identifiers[live_index], next_index)[0]
        step += 1
        replications[live] = step

    checks: dict[int, SystemFeasibility] = {}
    for index, system in enumerate(identifiers):
        mean_excess = sums[index] / replications[index]
        checks[system] = SystemFeasibility(
            system=system,
            feasible=bool((verdicts[index] == _FEASIBLE).all()),
            verdicts=tuple(_VERDICTS[int(code)] for code in verdicts[index]),
            replications=int(replications[index]),
            constraint_means=tuple(
                float(bound.limit + excess if bound.sense == "<=" else bound.limit - excess)
                for bound, excess in zip(bounds, mean_excess, strict=True)
            ),
        )
    return FeasibilityResult(
        systems=identifiers,
        constraints=bounds,
        checks=checks,
        feasible=tuple(system for system in identifiers if checks[system].feasible),
        total_runs=int(replications.sum()),
        n0=n0,
        beta=float(beta),
        eta=eta,
        first_stream=first_stream,
        budget_exhausted=budget_exhausted,
    )
