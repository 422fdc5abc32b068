"""Tail statistics of a KPI over replications: quantiles, CVaR, the chance of a target.

A mean hides the bad years. These estimators describe the tail of a KPI's
distribution over replications, each with a confidence interval:

- :func:`quantile_estimate`: the ``probability`` quantile (P5 ... P95), with a
  percentile-bootstrap interval;
- :func:`cvar_estimate`: the conditional value at risk at level ``level`` in the KPI's
  bad direction -- the mean of the worst ``1 - level`` share of outcomes -- by the
  Rockafellar-Uryasev formula, with a percentile-bootstrap interval;
- :func:`target_probability`: the share of replications that meet a target
  (``fill_rate >= 0.9``), with a Wilson score interval;
- :func:`paired_tail_difference`: the difference of a tail statistic between two
  configurations run with common random numbers, resampling replications *jointly*
  so that the pairing narrows the interval.

Bootstraps draw from their own :class:`numpy.random.Generator`, seeded from a
:class:`numpy.random.SeedSequence` of the caller's seed: the same values and seed give
the same interval. Everything here is vectorised over the resamples.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from fieldtotable.experiment.statistics import check_confidence

__all__ = [
    "DEFAULT_RESAMPLES",
    "BadDirection",
    "TailEstimate",
    "clustered_tail",
    "cvar_estimate",
    "paired_tail_difference",
    "quantile_estimate",
    "target_probability",
]

BadDirection = Literal["higher", "lower"]
"""Which side of a KPI is bad: ``higher`` for spoilage or cost, ``lower`` for fill rate
or profit."""

DEFAULT_RESAMPLES = 2000
"""Bootstrap resamples of an interval: enough for the 2.5 % and 97.5 % percentiles to
move by well under their own sampling error."""

_Statistic = Callable[[NDArray[np.float64]], NDArray[np.float64]]


@dataclass(frozen=True)
class TailEstimate:
    """A tail statistic with its confidence interval.

    Attributes
    ----------
    statistic
        What was estimated: ``P95``, ``CVaR95 (higher is bad)``, ``P(fill_rate >= 0.9)``
        or such a label with ``difference of`` in front.
    value
        The estimate from all the values.
    low, high
        The interval's ends.
    confidence
        The interval's level.
    n
        Replications used (NaN values are left out).
    method
        ``percentile bootstrap (B resamples)`` or ``Wilson score``.
    """

    statistic: str
    value: float
    low: float
    high: float
    confidence: float
    n: int
    method: str


def _clean(values: Sequence[float], name: str = "values") -> NDArray[np.float64]:
    array: NDArray[np.float64] = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return array[~np.isnan(array)]


def _check_probability(probability: float, name: str) -> None:
    if not 0.0 < probability < 1.0:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive), got {probability!r}")


def _check_resamples(resamples: int) -> None:
    if resamples < 100:
        raise ValueError(f"resamples must be at least 100, got {resamples!r}")


def _quantile_rows(probability: float) -> _Statistic:
    def statistic(rows: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(np.quantile(rows, probability, axis=-1), dtype=float)

    return statistic


def _cvar_rows(level: float, bad: BadDirection) -> _Statistic:
    sign = 1.0 if bad == "higher" else -1.0

    def statistic(rows: NDArray[np.float64]) -> NDArray[np.float64]:
        losses = sign * rows
        # Rockafellar-Uryasev: CVaR = VaR + E[(X - VaR)+] / (1 - level), with VaR the
        # empirical level-quantile (inverted CDF): exact for the empirical distribution.
        var = np.quantile(losses, level, axis=-1, method="inverted_cdf", keepdims=True)
        excess = np.maximum(losses - var, 0.0).mean(axis=-1, keepdims=True)
        return np.asarray(sign * (var + excess / (1.0 - level))[..., 0], dtype=float)

    return statistic


def _bootstrap(
    samples: Sequence[NDArray[np.float64]],
    statistic: Callable[..., NDArray[np.float64]],
    confidence: float,
    resamples: int,
    seed: int,
) -> tuple[float, float]:
    """Percentile interval of ``statistic`` over joint resamples of the replications.

    Each sample's first axis is the replication; a 2-D sample (replications x
    periods) is resampled by whole rows.
    """
    size = len(samples[0])
    generator = np.random.default_rng(np.random.SeedSequence(seed))
    # One index matrix for every series: replication j is resampled in all of them
    # together, which keeps common random numbers paired.
    indices = generator.integers(0, size, size=(resamples, size))
    values = statistic(*(sample[indices] for sample in samples))
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high)


def _level_label(level: float) -> str:
    return f"{level * 100:g}"


def quantile_estimate(
    values: Sequence[float],
    probability: float,
    *,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> TailEstimate:
    """Estimate a quantile of a KPI over replications, with a bootstrap interval.

    Parameters
    ----------
    values
        The KPI of each replication (NaN values are left out).
    probability
        The quantile's probability, in (0, 1): 0.95 for P95.
    confidence
        Level of the interval.
    resamples
        Bootstrap resamples (at least 100).
    seed
        Seed of the bootstrap's random stream.

    Returns
    -------
    TailEstimate
        The sample quantile (linear interpolation, numpy's default) and its
        percentile-bootstrap interval; NaN throughout when fewer than two values.
    """
    _check_probability(probability, "probability")
    check_confidence(confidence)
    _check_resamples(resamples)
    data = _clean(values)
    label = f"P{_level_label(probability)}"
    return _estimate(label, [data], _quantile_rows(probability), confidence, resamples, seed)


def cvar_estimate(
    values: Sequence[float],
    level: float,
    bad: BadDirection,
    *,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> TailEstimate:
    """Estimate the conditional value at risk of a KPI in its bad direction.

    Parameters
    ----------
    values
        The KPI of each replication (NaN values are left out).
    level
        In (0, 1): 0.95 averages the worst 5 % of outcomes.
    bad
        ``higher`` (spoilage, cost: the worst are the largest) or ``lower`` (fill
        rate, profit: the worst are the smallest).
    confidence, resamples, seed
        The bootstrap interval (see :func:`quantile_estimate`).

    Returns
    -------
    TailEstimate
        The Rockafellar-Uryasev estimate (for ``higher``: VaR + mean excess over VaR /
        (1 - level), VaR the empirical ``level`` quantile; mirrored for ``lower``) and
        its percentile-bootstrap interval.
    """
    _check_probability(level, "level")
    if bad not in ("higher", "lower"):
        raise ValueError(f"bad must be 'higher' or 'lower', got {bad!r}")
    check_confidence(confidence)
    _check_resamples(resamples)
    data = _clean(values)
    label = f"CVaR{_level_label(level)} ({bad} is bad)"
    return _estimate(label, [data], _cvar_rows(level, bad), confidence, resamples, seed)


def _estimate(
    label: str,
    samples: list[NDArray[np.float64]],
    statistic: _Statistic,
    confidence: float,
    resamples: int,
    seed: int,
) -> TailEstimate:
    method = f"percentile bootstrap ({resamples} resamples)"
    size = len(samples[0])
    if size < 2:
        nan = math.nan
        return TailEstimate(label, nan, nan, nan, confidence, size, method)
    value = float(statistic(samples[0]))
    low, high = _bootstrap(samples, statistic, confidence, resamples, seed)
    return TailEstimate(label, value, low, high, confidence, size, method)


def paired_tail_difference(
    values: Sequence[float],
    baseline: Sequence[float],
    statistic: Literal["quantile", "cvar"],
    level: float,
    *,
    bad: BadDirection = "higher",
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> TailEstimate:
    """Estimate a tail statistic of ``values`` minus that of ``baseline``, paired.

    Parameters
    ----------
    values, baseline
        The KPI of the same replications (same indices, common random numbers) in two
        configurations; a replication with NaN in either is left out of both.
    statistic
        ``quantile`` (at probability ``level``) or ``cvar`` (at ``level``, in the
        ``bad`` direction).
    level
        The probability or CVaR level, in (0, 1).
    bad
        The bad direction (used by ``cvar``).
    confidence, resamples, seed
        The bootstrap interval: replications are resampled jointly in both series.

    Returns
    -------
    TailEstimate
        The difference of the two statistics and its paired percentile-bootstrap
        interval.
    """
    _check_probability(level, "level")
    check_confidence(confidence)
    _check_resamples(resamples)
    first, second = np.asarray(values, dtype=float), np.asarray(baseline, dtype=float)
    if first.shape != second.shape or first.ndim != 1:
        raise ValueError("values and baseline must be one-dimensional and of equal length")
    keep = ~(np.isnan(first) | np.isnan(second))
    first, second = first[keep], second[keep]
    if statistic == "quantile":
        rows = _quantile_rows(level)
        label = f"difference of P{_level_label(level)}"
    elif statistic == "cvar":
        rows = _cvar_rows(level, bad)
        label = f"difference of CVaR{_level_label(level)} ({bad} is bad)"
    else:
        raise ValueError(f"statistic must be 'quantile' or 'cvar', got {statistic!r}")

    def difference(one: NDArray[np.float64], other: NDArray[np.float64]) -> NDArray[np.float64]:
        return rows(one) - rows(other)

    method = f"paired percentile bootstrap ({resamples} resamples)"
    if len(first) < 2:
        return TailEstimate(label, math.nan, math.nan, math.nan, confidence, len(first), method)
    value = float(difference(first, second))
    low, high = _bootstrap([first, second], difference, confidence, resamples, seed)
    return TailEstimate(label, value, low, high, confidence, len(first), method)


def target_probability(
    values: Sequence[float],
    sense: Literal["<=", ">="],
    limit: float,
    *,
    confidence: float = 0.95,
    name: str = "KPI",
) -> TailEstimate:
    """Estimate the chance that a replication meets a target, with a Wilson interval.

    Parameters
    ----------
    values
        The KPI of each replication (NaN values are left out: they meet nothing).
    sense, limit
        The target: ``value <= limit`` or ``value >= limit``.
    confidence
        Level of the interval.
    name
        The KPI's name, for the label (``P(fill_rate >= 0.9)``).

    Returns
    -------
    TailEstimate
        The share of replications meeting the target and its Wilson score interval,
        which stays inside [0, 1] and is not degenerate at 0 or n successes.
    """
    check_confidence(confidence)
    if sense not in ("<=", ">="):
        raise ValueError(f"sense must be '<=' or '>=', got {sense!r}")
    data = _clean(values)
    label = f"P({name} {sense} {limit:g})"
    size = len(data)
    if size == 0:
        return TailEstimate(label, math.nan, math.nan, math.nan, confidence, 0, "Wilson score")
    met = int(np.count_nonzero(data <= limit if sense == "<=" else data >= limit))
    share = met / size
    z = _normal_quantile(0.5 + confidence / 2.0)
    centre = (share + z * z / (2 * size)) / (1 + z * z / size)
    spread = z / (1 + z * z / size) * math.sqrt(share * (1 - share) / size + z * z / (4 * size**2))
    return TailEstimate(
        label,
        share,
        max(0.0, centre - spread),
        min(1.0, centre + spread),
        confidence,
        size,
        "Wilson score",
    )


def _normal_quantile(probability: float) -> float:
    from scipy.stats import norm  # noqa: PLC0415 -- scipy is imported only when needed

    return float(norm.ppf(probability))


def clustered_tail(
    matrix: Sequence[Sequence[float]] | NDArray[np.float64],
    statistic: Literal["quantile", "cvar", "share"],
    *,
    level: float = 0.95,
    bad: BadDirection = "higher",
    sense: Literal["<=", ">="] = ">=",
    limit: float = 0.0,
    label: str = "",
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> TailEstimate:
    """Estimate a tail statistic of within-run periods, resampling whole replications.

    Parameters
    ----------
    matrix
        One row per replication, one column per period (a month, a week); a column
        with NaN in any row (a period with nothing to divide by) is left out.
    statistic
        ``quantile`` (at probability ``level``), ``cvar`` (at ``level``, on the
        ``bad`` side) or ``share`` (of periods meeting ``value sense limit``).
    level, bad
        As for :func:`quantile_estimate` and :func:`cvar_estimate`.
    sense, limit
        The target of ``share``.
    label
        Name of the statistic in the result.
    confidence, resamples, seed
        The interval: replications (rows) are resampled whole, because the periods of
        one run are not independent of each other (a bad season spans months).

    Returns
    -------
    TailEstimate
        The statistic over all periods of all replications and its cluster-bootstrap
        interval; ``n`` is the number of replications.
    """
    check_confidence(confidence)
    _check_resamples(resamples)
    values = np.asarray(matrix, dtype=float)
    if values.ndim != 2:
        raise ValueError("matrix must have one row per replication and one column per period")
    values = values[:, ~np.any(np.isnan(values), axis=0)]
    if statistic == "quantile":
        _check_probability(level, "level")
        rows = _quantile_rows(level)
    elif statistic == "cvar":
        _check_probability(level, "level")
        rows = _cvar_rows(level, bad)
    elif statistic == "share":
        if sense not in ("<=", ">="):
            raise ValueError(f"sense must be '<=' or '>=', got {sense!r}")

        def rows(flat: NDArray[np.float64]) -> NDArray[np.float64]:
            met = flat <= limit if sense == "<=" else flat >= limit
            return np.asarray(met.mean(axis=-1), dtype=float)

    else:
        raise ValueError(f"statistic must be 'quantile', 'cvar' or 'share', got {statistic!r}")
    method = f"cluster bootstrap over replications ({resamples} resamples)"
    count, periods = values.shape
    if count < 2 or periods == 0:
        return TailEstimate(label, math.nan, math.nan, math.nan, confidence, count, method)

    def flattened(resampled: NDArray[np.float64]) -> NDArray[np.float64]:
        # (resamples, replications, periods) -> one row of periods per resample.
        return rows(resampled.reshape(resampled.shape[0], -1))

    low, high = _bootstrap([values], flattened, confidence, resamples, seed)
    value = float(rows(values.reshape(1, -1))[0])
    return TailEstimate(label, value, low, high, confidence, count, method)
