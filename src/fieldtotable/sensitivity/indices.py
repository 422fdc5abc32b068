"""The result of a global sensitivity analysis: indices per KPI and parameter.

A :class:`SensitivityResult` holds, per KPI, one :class:`SobolIndices` or
:class:`MorrisIndices` per parameter. Both have an ``importance`` (Sobol's total
index ``ST``, Morris's ``mu_star``) and its confidence half-width, which is what the
command line ranks by and what the report's tornado chart draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "KpiSensitivity",
    "MorrisIndices",
    "ParameterIndices",
    "SensitivityResult",
    "SobolIndices",
]


def _finite(value: float) -> float | None:
    """Return ``value`` as a float, or ``None`` when it is NaN or infinite (JSON has neither)."""
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class SobolIndices:
    """Sobol indices of one parameter for one KPI.

    Attributes
    ----------
    parameter
        The parameter's field path.
    s1, s1_conf
        First-order index (the share of the KPI's variance the parameter explains
        alone) and the half-width of its bootstrap confidence interval.
    st, st_conf
        Total-order index (its share including every interaction) and half-width.
    """

    parameter: str
    s1: float
    s1_conf: float
    st: float
    st_conf: float

    @property
    def importance(self) -> float:
        """What the parameter is ranked by: the total-order index ``ST``."""
        return self.st

    @property
    def importance_conf(self) -> float:
        """The half-width of the confidence interval of :attr:`importance`."""
        return self.st_conf

    def to_json(self) -> dict[str, Any]:
        """Return plain JSON-compatible data (NaN becomes ``None``).

        Returns
        -------
        dict
            ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.
        """
        return {
            "parameter": self.parameter,
            "S1": _finite(self.s1),
            "S1_conf": _finite(self.s1_conf),
            "ST": _finite(self.st),
            "ST_conf": _finite(self.st_conf),
        }


@dataclass(frozen=True)
class MorrisIndices:
    """Morris elementary-effect statistics of one parameter for one KPI.

    Attributes
    ----------
    parameter
        The parameter's field path.
    mu_star, mu_star_conf
        Mean absolute elementary effect (in the KPI's unit, for a step across the
        parameter's whole range) and the half-width of its bootstrap interval.
    mu
        Mean signed elementary effect (its sign says the direction of the effect).
    sigma
        Standard deviation of the elementary effects (large: interactions or a
        nonlinear effect).
    """

    parameter: str
    mu_star: float
    mu_star_conf: float
    mu: float
    sigma: float

    @property
    def importance(self) -> float:
        """What the parameter is ranked by: ``mu_star``."""
        return self.mu_star

    @property
    def importance_conf(self) -> float:
        """The half-width of the confidence interval of :attr:`importance`."""
        return self.mu_star_conf

    def to_json(self) -> dict[str, Any]:
        """Return plain JSON-compatible data (NaN becomes ``None``).

        Returns
        -------
        dict
            ``parameter``, ``mu_star``, ``mu_star_conf``, ``mu``, ``sigma``.
        """
        return {
            "parameter": self.parameter,
            "mu_star": _finite(self.mu_star),
            "mu_star_conf": _finite(self.mu_star_conf),
            "mu": _finite(self.mu),
            "sigma": _finite(self.sigma),
        }


ParameterIndices = SobolIndices | MorrisIndices
"""The indices of one parameter: Sobol's or Morris's."""


@dataclass(frozen=True)
class KpiSensitivity:
    """The indices of every parameter for one KPI.

    Attributes
    ----------
    kpi
        The KPI key or breakdown path.
    indices
        One entry per parameter, in the order the parameters were given.
    output_mean, output_sd
        Mean and standard deviation of the KPI over the sample points: a standard
        deviation of 0 means no parameter moved the KPI (every index is then 0).
    second_order
        Sobol's second-order indices ``{"A,B": (S2, S2_conf)}`` when computed.
    """

    kpi: str
    indices: tuple[ParameterIndices, ...]
    output_mean: float
    output_sd: float
    second_order: dict[str, tuple[float, float]] = field(default_factory=dict)

    def ranked(self) -> tuple[ParameterIndices, ...]:
        """Return the parameters, most important first (NaN last, ties in given order).

        Returns
        -------
        tuple
            :attr:`indices` sorted by decreasing ``importance``.
        """
        return tuple(
            sorted(
                self.indices,
                key=lambda found: (
                    -found.importance if math.isfinite(found.importance) else math.inf
                ),
            )
        )

    def to_json(self) -> dict[str, Any]:
        """Return plain JSON-compatible data.

        Returns
        -------
        dict
            ``kpi``, ``output_mean``, ``output_sd``, ``indices`` (in the parameters'
            order), ``ranking`` (parameter paths, most important first) and, when
            computed, ``second_order``.
        """
        data: dict[str, Any] = {
            "kpi": self.kpi,
            "output_mean": _finite(self.output_mean),
            "output_sd": _finite(self.output_sd),
            "indices": [found.to_json() for found in self.indices],
            "ranking": [found.parameter for found in self.ranked()],
        }
        if self.second_order:
            data["second_order"] = {
                pair: {"S2": _finite(value), "S2_conf": _finite(conf)}
                for pair, (value, conf) in self.second_order.items()
            }
        return data


@dataclass(frozen=True)
class SensitivityResult:
    """A global sensitivity analysis: indices of every KPI for every parameter.

    Attributes
    ----------
    method
        ``"sobol"`` or ``"morris"``.
    model
        What was analysed: the scenario's name, or a function's name.
    parameters
        Field path (or input name) -> ``(low, high)``, in order.
    kpis
        One :class:`KpiSensitivity` per KPI, in the order asked.
    n
        The base sample size (Sobol) or number of trajectories (Morris).
    seed
        The experiment's seed: it seeds SALib's sampling and bootstrap and every run.
    replications
        Replications averaged at every sample point (common random numbers:
        replication ``j`` of every point shares its random streams).
    evaluations
        Sample points evaluated (rows of the design).
    runs
        Simulation runs the analysis needed (distinct points times replications; the
        run store may have held some of them already).
    confidence
        Confidence level of the bootstrap intervals.
    second_order
        Whether Sobol's second-order indices were computed.
    levels
        Morris's grid levels (``None`` for Sobol).
    wall_time_s
        Seconds it took (not part of equality).
    """

    method: str
    model: str
    parameters: dict[str, tuple[float, float]]
    kpis: tuple[KpiSensitivity, ...]
    n: int
    seed: int
    replications: int
    evaluations: int
    runs: int
    confidence: float
    second_order: bool = False
    levels: int | None = None
    wall_time_s: float = field(default=0.0, compare=False)

    def kpi(self, key: str) -> KpiSensitivity:
        """Return the indices of one KPI.

        Parameters
        ----------
        key
            A KPI of :attr:`kpis`.

        Returns
        -------
        KpiSensitivity
            Its indices.

        Raises
        ------
        KeyError
            If the analysis has no such KPI.
        """
        for found in self.kpis:
            if found.kpi == key:
                return found
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        """Return plain JSON-compatible data (NaN becomes ``None``).

        Returns
        -------
        dict
            Every field; ``parameters`` as ``{path: [low, high]}``, ``kpis`` as a list
            of :meth:`KpiSensitivity.to_json`.
        """
        return {
            "method": self.method,
            "model": self.model,
            "parameters": {path: [low, high] for path, (low, high) in self.parameters.items()},
            "n": self.n,
            "seed": self.seed,
            "replications": self.replications,
            "evaluations": self.evaluations,
            "runs": self.runs,
            "confidence": self.confidence,
            "second_order": self.second_order,
            "levels": self.levels,
            "kpis": [found.to_json() for found in self.kpis],
            "wall_time_s": self.wall_time_s,
        }
