r"""Splitting a KPI's variance into parametric and stochastic parts (one-way ANOVA).

A nested design draws the uncertain parameters ``draws`` times and runs ``inner``
replications with each draw, each with its own random streams. With
:math:`y_{jr}` the KPI of replication :math:`r` of draw :math:`j`, the one-way
random-effects model :math:`y_{jr} = \mu + a_j + e_{jr}` has two variance components:
:math:`\sigma^2_a = \operatorname{Var} E[Y \mid \theta]`, the **parametric** part
(what the uncertain parameters cause), and :math:`\sigma^2_e = E \operatorname{Var}(Y
\mid \theta)`, the **stochastic** part (the model's own randomness). With the mean
squares between draws (``MSB``, ``draws - 1`` degrees of freedom) and within them
(``MSW``, ``draws (inner - 1)``), the unbiased estimators are

.. math::

    \hat\sigma^2_e = MSW, \qquad
    \hat\sigma^2_a = \max\left(0, \frac{MSB - MSW}{inner}\right).

The parametric share :math:`\rho = \sigma^2_a / (\sigma^2_a + \sigma^2_e)` (the
intraclass correlation) gets the exact interval of normal theory (Searle, Casella &
McCulloch, *Variance Components*, 1992, section 3.5): with :math:`F = MSB / MSW` and
:math:`F_L = F / F_{1-\alpha/2}`, :math:`F_U = F / F_{\alpha/2}` (quantiles of the
F distribution with those degrees of freedom), :math:`\rho \in [(F_L - 1) / (F_L +
inner - 1), (F_U - 1) / (F_U + inner - 1)]`, clipped to [0, 1]. Pure functions; no
SimPy, no pydantic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

__all__ = ["VarianceComponents", "one_way_components"]


@dataclass(frozen=True)
class VarianceComponents:
    """The variance of one KPI split into a parametric and a stochastic part.

    Attributes
    ----------
    draws, inner
        Parameter draws, and replications per draw.
    mean
        Mean over every run.
    total_variance
        ``parametric_variance + stochastic_variance``: the variance of one run's
        KPI when its parameters are drawn from the priors.
    parametric_variance
        Variance of the KPI's mean given the parameters, over the priors (0 when the
        estimate would be negative).
    stochastic_variance
        Mean variance of the KPI between runs with the same parameters.
    parametric_share
        ``parametric_variance / total_variance`` (NaN when the total is 0).
    parametric_share_ci
        Its confidence interval (exact for normally distributed effects and noise).
    confidence
        Confidence level of the interval.
    f_statistic
        ``MSB / MSW`` (``inf`` when runs with the same draw agree exactly).
    """

    draws: int
    inner: int
    mean: float
    total_variance: float
    parametric_variance: float
    stochastic_variance: float
    parametric_share: float
    parametric_share_ci: tuple[float, float]
    confidence: float
    f_statistic: float

    @property
    def stochastic_share(self) -> float:
        """``1 - parametric_share``: the part of the variance the model's randomness makes."""
        return 1.0 - self.parametric_share

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-compatible data (NaN and infinities become ``None``).

        Returns
        -------
        dict
            Every field by name, plus ``stochastic_share``.
        """
        data = {**asdict(self), "stochastic_share": self.stochastic_share}
        data["parametric_share_ci"] = list(self.parametric_share_ci)
        return {key: _finite_or_none(value) for key, value in data.items()}


def one_way_components(
    values: Sequence[Sequence[float]] | np.ndarray, confidence: float = 0.95
) -> VarianceComponents:
    """Estimate the variance components of a balanced nested design.

    Parameters
    ----------
    values
        ``values[j][r]``: the KPI of replication ``r`` of parameter draw ``j``;
        every draw has the same number of replications, at least 2, and there are
        at least 2 draws. Values must be finite.
    confidence
        Confidence level of the interval of the parametric share, in (0, 1).

    Returns
    -------
    VarianceComponents
        The split, with the interval of the parametric share.

    Raises
    ------
    ValueError
        If the design is not balanced, too small, or holds a value that is not finite.
    """
    balanced = "values must be a table: one row of replications per draw, all as long"
    try:
        table = np.asarray(values, dtype=float)
    except ValueError:
        raise ValueError(balanced) from None
    if table.ndim != 2:
        raise ValueError(balanced)
    draws, inner = table.shape
    if draws < 2 or inner < 2:
        raise ValueError(f"need at least 2 draws of 2 replications each, not {draws} x {inner}")
    if not np.all(np.isfinite(table)):
        raise ValueError("values must be finite")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, not {confidence!r}")
    draw_means = table.mean(axis=1)
    grand_mean = float(draw_means.mean())
    between_dof, within_dof = draws - 1, draws * (inner - 1)
    mean_square_between = inner * math.fsum((draw_means - grand_mean) ** 2) / between_dof
    mean_square_within = math.fsum(((table - draw_means[:, None]) ** 2).ravel()) / within_dof
    parametric = max(0.0, (mean_square_between - mean_square_within) / inner)
    stochastic = mean_square_within
    total = parametric + stochastic
    share = parametric / total if total > 0 else math.nan
    interval, f_statistic = _share_interval(
        mean_square_between, mean_square_within, between_dof, within_dof, inner, confidence
    )
    return VarianceComponents(
        draws=draws,
        inner=inner,
        mean=grand_mean,
        total_variance=total,
        parametric_variance=parametric,
        stochastic_variance=stochastic,
        parametric_share=share,
        parametric_share_ci=interval,
        confidence=confidence,
        f_statistic=f_statistic,
    )


def _share_interval(
    between: float,
    within: float,
    between_dof: int,
    within_dof: int,
    inner: int,
    confidence: float,
) -> tuple[tuple[float, float], float]:
    """Return the exact interval of the intraclass correlation, and ``MSB / MSW``."""
    if within == 0:
        return ((math.nan, math.nan) if between == 0 else (1.0, 1.0)), math.inf
    from scipy import stats  # noqa: PLC0415  # scipy.stats takes ~0.4 s to import

    f_statistic = between / within
    alpha = 1.0 - confidence
    upper_quantile = float(stats.f.ppf(1 - alpha / 2, between_dof, within_dof))
    lower_quantile = float(stats.f.ppf(alpha / 2, between_dof, within_dof))
    f_low, f_high = f_statistic / upper_quantile, f_statistic / lower_quantile

    def share(f: float) -> float:
        return min(1.0, max(0.0, (f - 1) / (f + inner - 1)))

    return (share(f_low), share(f_high)), f_statistic


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, list):
        return [_finite_or_none(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
