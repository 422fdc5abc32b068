"""Tail statistics of the selected configuration, over its final replications.

A mean with its interval says how the winner does on average; a planner also wants
its bad years. :func:`winner_tails` takes the winner's final block (fresh replications,
free of the selection's optimism) and estimates, for the objective and each constraint
KPI, the quantiles and the CVaR a :class:`~fieldtotable.experiment.tail_summary.
TailRequest` asks for, with the estimators of :mod:`fieldtotable.experiment.tails`.
The bad side of the objective is the one its direction avoids; a constraint's is the
side that breaks it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from fieldtotable.experiment.tail_summary import TailRequest, TailRow
from fieldtotable.experiment.tails import BadDirection, cvar_estimate, quantile_estimate
from fieldtotable.optimise.objectives import Constraint, Objective

__all__ = ["check_winner_tails", "winner_tails"]


def check_winner_tails(request: TailRequest | None) -> None:
    """Refuse what a winner's tails cannot give: periods and targets.

    Parameters
    ----------
    request
        The request, or ``None``.

    Raises
    ------
    ValueError
        For a period (only the KPI of each replication is kept) or targets (the
        constraints' own probabilities are reported already).
    """
    if request is None:
        return
    if request.period is not None:
        raise ValueError("tails of the winner are over its replications: no period")
    if request.targets:
        raise ValueError(
            "tails of the winner take no targets: each constraint already reports the "
            "share of replications meeting it"
        )


def winner_tails(
    rows: npt.NDArray[np.float64],
    objective: Objective,
    constraints: Sequence[Constraint],
    request: TailRequest,
    seed: int,
    confidence: float = 0.95,
) -> tuple[TailRow, ...]:
    """Estimate the requested quantiles and CVaR of the winner's KPIs.

    Parameters
    ----------
    rows
        The winner's final block: column 0 the objective as simulated (not negated),
        then one column per constraint KPI.
    objective, constraints
        What the columns are.
    request
        Its ``quantiles`` and ``cvar_level`` are used.
    seed
        The bootstrap's seed (the experiment's).
    confidence
        The intervals' level.

    Returns
    -------
    tuple of TailRow
        The objective's row, then one per constraint, each with the quantiles then
        the CVaR.
    """
    sides: list[BadDirection] = ["lower" if objective.direction == "maximise" else "higher"]
    sides += ["higher" if bound.sense == "<=" else "lower" for bound in constraints]
    kpis = [objective.kpi, *(bound.kpi for bound in constraints)]
    found = []
    for column, (kpi, side) in enumerate(zip(kpis, sides, strict=True)):
        values = rows[:, column].tolist()
        estimates = [
            quantile_estimate(values, probability, confidence=confidence, seed=seed)
            for probability in request.quantiles
        ]
        if request.cvar_level is not None:
            estimates.append(
                cvar_estimate(values, request.cvar_level, side, confidence=confidence, seed=seed)
            )
        found.append(TailRow(kpi, tuple(estimates)))
    return tuple(found)
