"""Which tail statistics to report, and their estimates for an experiment or comparison.

A :class:`TailRequest` names the statistics a planner asked for -- quantiles (P5 ...
P95), CVaR at a level in each KPI's bad direction, and the probability of meeting
targets (:class:`Target`, ``fill_rate >= 0.9``) -- over replications or over the
months or weeks of every replication. :func:`experiment_tails` estimates them for one
:class:`~fieldtotable.experiment.results.ExperimentResult`;
:func:`comparison_tails` adds, for each configuration against the baseline, the
paired differences of the quantiles and CVaR (common random numbers narrow them).
The command line's ``--quantiles``, ``--cvar``, ``--target`` and ``--period`` build
a request (see :mod:`fieldtotable.cli.tails`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from fieldtotable.experiment.compare import ComparisonResult
from fieldtotable.experiment.results import ExperimentResult
from fieldtotable.experiment.tails import TailEstimate
from fieldtotable.results.periods import PERIODS

__all__ = [
    "DEFAULT_TAIL_KPIS",
    "TailRequest",
    "TailRow",
    "Target",
    "comparison_tails",
    "experiment_tails",
]

DEFAULT_TAIL_KPIS = ("spoilage_rate", "fill_rate", "sold_value_cny")
"""The KPIs whose tails are reported when none is named (each has a monthly and a
weekly form too)."""

_TARGET = re.compile(r"^\s*(?P<kpi>[A-Za-z_][\w.\[\]-]*)\s*(?P<sense><=|>=)\s*(?P<limit>\S+)\s*$")


@dataclass(frozen=True)
class Target:
    """A target a replication (or a period) meets or not: ``fill_rate >= 0.9``.

    Attributes
    ----------
    kpi
        A KPI key or a dotted breakdown path.
    sense
        ``<=`` or ``>=``.
    limit
        The target's value, in the KPI's unit.
    """

    kpi: str
    sense: Literal["<=", ">="]
    limit: float

    @classmethod
    def parse(cls, text: str) -> Target:
        """Read ``KPI<=X`` or ``KPI>=X``.

        Parameters
        ----------
        text
            The target as typed (``'fill_rate>=0.9'``).

        Returns
        -------
        Target
            The target.

        Raises
        ------
        ValueError
            In one line, when the text does not parse or the limit is not a finite
            number (whether the KPI exists depends on the scenario: see
            :func:`~fieldtotable.results.paths.unknown_kpis`).
        """
        found = _TARGET.match(text)
        if found is None:
            raise ValueError(f"{text!r} is not KPI<=X or KPI>=X (e.g. 'fill_rate>=0.9')")
        try:
            limit = float(found["limit"])
        except ValueError:
            raise ValueError(f"{text!r}: the limit {found['limit']!r} is not a number") from None
        if not math.isfinite(limit):
            raise ValueError(f"{text!r}: the limit must be a finite number")
        sense: Literal["<=", ">="] = "<=" if found["sense"] == "<=" else ">="
        return cls(found["kpi"], sense, limit)

    def __str__(self) -> str:
        return f"{self.kpi} {self.sense} {self.limit:g}"


@dataclass(frozen=True)
class TailRequest:
    """The tail statistics to report.

    Attributes
    ----------
    quantiles
        Probabilities in (0, 1) (0.05 for P5).
    cvar_level
        CVaR's level in (0, 1), or ``None`` for no CVaR.
    targets
        Targets whose probability to estimate.
    period
        ``None`` (over replications), ``month`` or ``week`` (over every complete
        period of every replication).
    kpis
        The KPIs of the quantiles and CVaR (empty: :data:`DEFAULT_TAIL_KPIS`).
    """

    quantiles: tuple[float, ...] = ()
    cvar_level: float | None = None
    targets: tuple[Target, ...] = ()
    period: str | None = None
    kpis: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for probability in (
            *self.quantiles,
            *(() if self.cvar_level is None else (self.cvar_level,)),
        ):
            if not 0 < probability < 1:
                raise ValueError(
                    f"a quantile or CVaR level must lie in (0, 1), got {probability!r}"
                )
        if self.period is not None and self.period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {self.period!r}")

    @property
    def empty(self) -> bool:
        """Whether nothing is asked for."""
        return not (self.quantiles or self.cvar_level is not None or self.targets)

    @property
    def statistic_kpis(self) -> tuple[str, ...]:
        """The KPIs of the quantiles and CVaR."""
        return self.kpis or DEFAULT_TAIL_KPIS


@dataclass(frozen=True)
class TailRow:
    """The tail estimates of one KPI (or one target) in one configuration.

    Attributes
    ----------
    kpi
        The KPI, or the target's text for a probability.
    estimates
        In the request's order: quantiles, then CVaR (or the target's probability).
    target
        Whether the row is a target's probability.
    """

    kpi: str
    estimates: tuple[TailEstimate, ...]
    target: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"kpi", "target", "estimates": [{statistic, value, low, high, ...}]}``."""
        return {
            "kpi": self.kpi,
            "target": self.target,
            "estimates": [
                {
                    "statistic": found.statistic,
                    "value": _number(found.value),
                    "low": _number(found.low),
                    "high": _number(found.high),
                    "confidence": found.confidence,
                    "n": found.n,
                    "method": found.method,
                }
                for found in self.estimates
            ],
        }


def experiment_tails(result: ExperimentResult, request: TailRequest) -> list[TailRow]:
    """Estimate the requested tails of one experiment.

    Parameters
    ----------
    result
        The replications (with their runs).
    request
        What to estimate.

    Returns
    -------
    list of TailRow
        One per KPI with quantiles or CVaR, then one per target.

    Raises
    ------
    ValueError
        For a KPI without a period form when ``period`` is set, or a KPI with no bad
        direction for CVaR.
    """
    rows = []
    if request.quantiles or request.cvar_level is not None:
        for kpi in request.statistic_kpis:
            found = [
                result.quantile(kpi, probability, period=request.period)
                for probability in request.quantiles
            ]
            if request.cvar_level is not None:
                found.append(result.cvar(kpi, request.cvar_level, period=request.period))
            rows.append(TailRow(kpi, tuple(found)))
    for target in request.targets:
        chance = result.probability(target.kpi, target.sense, target.limit, period=request.period)
        rows.append(TailRow(str(target), (chance,), target=True))
    return rows


def comparison_tails(
    comparison: ComparisonResult, request: TailRequest
) -> tuple[dict[str, list[TailRow]], dict[str, list[TailRow]]]:
    """Estimate the requested tails of every configuration, and paired differences.

    Parameters
    ----------
    comparison
        The configurations, run with common random numbers.
    request
        What to estimate.

    Returns
    -------
    tuple of dict
        Per configuration its :func:`experiment_tails`; and per configuration other
        than the baseline, per KPI, the paired differences (configuration minus
        baseline) of its quantiles and CVaR over replications (none with a period:
        periods of different runs are not paired).
    """
    each = {name: experiment_tails(result, request) for name, result in comparison.results.items()}
    differences: dict[str, list[TailRow]] = {}
    if request.period is None and (request.quantiles or request.cvar_level is not None):
        for name in comparison.names:
            if name == comparison.baseline:
                continue
            rows = []
            for kpi in request.statistic_kpis:
                found = [
                    comparison.tail_difference(name, kpi, "quantile", probability)
                    for probability in request.quantiles
                ]
                if request.cvar_level is not None:
                    found.append(comparison.tail_difference(name, kpi, "cvar", request.cvar_level))
                rows.append(TailRow(kpi, tuple(found)))
            differences[name] = rows
    return each, differences


def tails_to_dict(
    rows: Sequence[TailRow] | Mapping[str, Sequence[TailRow]],
) -> list[dict[str, Any]] | dict[str, list[dict[str, Any]]]:
    """Return tail rows (or rows by configuration) as JSON-compatible data."""
    if isinstance(rows, Mapping):
        return {name: [row.to_dict() for row in found] for name, found in rows.items()}
    return [row.to_dict() for row in rows]


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
