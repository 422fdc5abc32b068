"""Statistics of replications: Student-t intervals, paired differences, sequential stopping.

Pure functions over plain sequences of floats, in replication order; no SimPy, no
pydantic. Sums use :func:`math.fsum` (exactly rounded, independent of order), so an
estimate depends only on the values, never on how they were computed.

Undefined values (NaN, e.g. a fill rate over zero demand) are left out of an
estimate and counted in its ``missing`` field; a paired difference leaves out every
replication where either side is undefined.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Difference",
    "Estimate",
    "StoppingRule",
    "check_confidence",
    "estimate",
    "next_batch",
    "paired_difference",
    "relative_half_width",
    "stopping_n",
    "t_quantile",
]


def _special() -> Any:
    """Return ``scipy.special``, imported on first use.

    Its ``stdtrit`` and ``stdtr`` are what ``scipy.stats.t.ppf`` and ``.sf`` compute,
    without importing ``scipy.stats`` (0.6 s, against 0.2 s).
    """
    from scipy import special  # noqa: PLC0415

    return special


@functools.lru_cache(maxsize=4096)
def t_quantile(confidence: float, dof: int) -> float:
    """Return the two-sided Student-t critical value ``t_{1-(1-confidence)/2, dof}``.

    Parameters
    ----------
    confidence
        Confidence level in (0, 1), e.g. 0.95.
    dof
        Degrees of freedom (``n - 1``), at least 1.

    Returns
    -------
    float
        The quantile (2.776 for 95 % and 4 degrees of freedom).
    """
    return float(_special().stdtrit(dof, 0.5 + confidence / 2.0))


def check_confidence(confidence: float) -> None:
    """Raise ``ValueError`` unless ``confidence`` lies strictly between 0 and 1."""
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not 0.0 < confidence < 1.0
    ):
        raise ValueError(f"confidence must lie strictly between 0 and 1, not {confidence!r}")


@dataclass(frozen=True)
class Estimate:
    """The mean of a KPI over replications, with a Student-t confidence interval.

    Attributes
    ----------
    n
        Replications with a defined value (those used).
    mean
        Sample mean.
    sd
        Sample standard deviation (``n - 1`` in the denominator); NaN when ``n < 2``.
    half_width
        Half-width of the interval, ``t * sd / sqrt(n)``; NaN when ``n < 2``.
    low
        Lower end of the interval, ``mean - half_width``.
    high
        Upper end of the interval, ``mean + half_width``.
    confidence
        Its confidence level (0.95).
    missing
        Replications whose value was undefined (NaN) and left out.
    """

    n: int
    mean: float
    sd: float
    half_width: float
    low: float
    high: float
    confidence: float
    missing: int = 0

    @property
    def relative_half_width(self) -> float:
        """``half_width / |mean|`` (0 when both are 0; infinite when only the mean is)."""
        return relative_half_width(self.half_width, self.mean)

    def to_dict(self) -> dict[str, Any]:
        """Return plain data (NaN and infinities become ``None``).

        Returns
        -------
        dict
            Every field by name.
        """
        return {
            "n": self.n,
            "mean": _finite(self.mean),
            "sd": _finite(self.sd),
            "half_width": _finite(self.half_width),
            "low": _finite(self.low),
            "high": _finite(self.high),
            "confidence": self.confidence,
            "missing": self.missing,
        }


@dataclass(frozen=True)
class Difference:
    """A paired difference ``configuration - baseline`` of one KPI, replication by replication.

    Attributes
    ----------
    n
        Replications where both sides are defined.
    mean, sd, half_width, low, high, confidence
        As in :class:`Estimate`, of the per-replication differences.
    baseline_mean
        Mean of the baseline over the same replications.
    relative
        ``mean / |baseline_mean|`` (NaN when the baseline mean is 0).
    p_value
        Two-sided p-value of the paired t-test of a zero mean difference.
    significant
        Whether the interval excludes 0 (equivalently ``p_value < 1 - confidence``).
    missing
        Replications left out because either side was undefined.
    """

    n: int
    mean: float
    sd: float
    half_width: float
    low: float
    high: float
    confidence: float
    baseline_mean: float
    relative: float
    p_value: float
    significant: bool
    missing: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return plain data (NaN and infinities become ``None``).

        Returns
        -------
        dict
            Every field by name.
        """
        return {
            "n": self.n,
            "mean": _finite(self.mean),
            "sd": _finite(self.sd),
            "half_width": _finite(self.half_width),
            "low": _finite(self.low),
            "high": _finite(self.high),
            "confidence": self.confidence,
            "baseline_mean": _finite(self.baseline_mean),
            "relative": _finite(self.relative),
            "p_value": _finite(self.p_value),
            "significant": self.significant,
            "missing": self.missing,
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def relative_half_width(half_width: float, mean: float) -> float:
    """Return ``half_width / |mean|``: 0 when both are 0, infinite when only the mean is."""
    if math.isnan(half_width) or math.isnan(mean):
        return math.nan
    if mean == 0.0:
        return 0.0 if half_width == 0.0 else math.inf
    return half_width / abs(mean)


def _moments(values: Sequence[float]) -> tuple[int, float, float]:
    n = len(values)
    if n == 0:
        return 0, math.nan, math.nan
    mean = math.fsum(values) / n
    if n < 2:
        return n, mean, math.nan
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in values) / (n - 1))
    return n, mean, sd


def estimate(values: Sequence[float], confidence: float = 0.95) -> Estimate:
    """Return the mean of ``values`` with its Student-t confidence interval.

    Parameters
    ----------
    values
        One value per replication; NaN values are left out (counted in ``missing``).
    confidence
        Confidence level of the interval.

    Returns
    -------
    Estimate
        Mean, standard deviation, half-width and interval. With one defined value the
        spread is NaN; with none, everything is.

    Raises
    ------
    ValueError
        If ``confidence`` is not strictly between 0 and 1.
    """
    check_confidence(confidence)
    defined = [float(x) for x in values if not math.isnan(x)]
    n, mean, sd = _moments(defined)
    half = t_quantile(confidence, n - 1) * sd / math.sqrt(n) if n >= 2 else math.nan
    return Estimate(
        n=n,
        mean=mean,
        sd=sd,
        half_width=half,
        low=mean - half,
        high=mean + half,
        confidence=confidence,
        missing=len(values) - n,
    )


def paired_difference(
    values: Sequence[float], baseline: Sequence[float], confidence: float = 0.95
) -> Difference:
    """Return the paired difference ``values - baseline`` with its t interval and test.

    Parameters
    ----------
    values, baseline
        One value per replication each, replication ``i`` of both from the same
        random streams (common random numbers); pairs with a NaN are left out.
    confidence
        Confidence level of the interval; a difference is significant when the
        interval excludes 0.

    Returns
    -------
    Difference
        The mean difference, its interval, relative size, p-value and significance.

    Raises
    ------
    ValueError
        If the sequences differ in length or ``confidence`` is not in (0, 1).
    """
    check_confidence(confidence)
    if len(values) != len(baseline):
        raise ValueError(f"paired samples differ in length: {len(values)} and {len(baseline)}")
    pairs = [
        (float(x), float(b))
        for x, b in zip(values, baseline, strict=True)
        if not (math.isnan(x) or math.isnan(b))
    ]
    diffs = [x - b for x, b in pairs]
    n, mean, sd = _moments(diffs)
    base_mean = math.fsum(b for _, b in pairs) / n if n else math.nan
    if n >= 2:
        half = t_quantile(confidence, n - 1) * sd / math.sqrt(n)
        if sd > 0:
            p_value = float(2.0 * _special().stdtr(n - 1, -abs(mean) / (sd / math.sqrt(n))))
        else:
            p_value = 0.0 if mean != 0 else 1.0
    else:
        half = p_value = math.nan
    low, high = mean - half, mean + half
    return Difference(
        n=n,
        mean=mean,
        sd=sd,
        half_width=half,
        low=low,
        high=high,
        confidence=confidence,
        baseline_mean=base_mean,
        relative=mean / abs(base_mean) if n and base_mean != 0 else math.nan,
        p_value=p_value,
        significant=bool(low > 0 or high < 0),
        missing=len(values) - n,
    )


@dataclass(frozen=True)
class StoppingRule:
    """The sequential procedure of ``replicate(..., n="auto")``.

    Replications are added until, for every KPI in ``kpis``, the half-width of the
    confidence interval is at most ``relative_half_width`` times the absolute mean
    (the relative-precision procedure of Law, *Simulation Modeling and Analysis*,
    section 9.4.1). Precisely: the number of replications is the smallest ``n`` with
    ``n_min <= n <= n_max`` at which the criterion holds over replications
    ``0 .. n-1``; if none does, it is ``n_max`` and the target is reported as not
    reached. The answer depends on the values only, never on how many ran in parallel.

    Attributes
    ----------
    kpis
        KPI keys that must reach the precision (at least one).
    relative_half_width
        Target ``half_width / |mean|``, e.g. 0.05 for +-5 %.
    n_min
        Replications before the first check (at least 2; 10 or more keeps the
        coverage of the final interval close to nominal).
    n_max
        The cap.
    """

    kpis: tuple[str, ...] = ("sold_kg", "spoilage_rate")
    relative_half_width: float = 0.05
    n_min: int = 10
    n_max: int = 200

    def __post_init__(self) -> None:
        if isinstance(self.kpis, str) or not self.kpis:
            raise ValueError("a stopping rule needs a non-empty tuple of KPI keys")
        if not self.relative_half_width > 0:
            raise ValueError(f"relative_half_width must be > 0, not {self.relative_half_width!r}")
        if not 2 <= self.n_min <= self.n_max:
            raise ValueError(
                f"need 2 <= n_min <= n_max (got n_min={self.n_min}, n_max={self.n_max})"
            )

    def to_dict(self) -> dict[str, Any]:
        """Return plain data.

        Returns
        -------
        dict
            Every field by name (``kpis`` as a list).
        """
        return {
            "kpis": list(self.kpis),
            "relative_half_width": self.relative_half_width,
            "n_min": self.n_min,
            "n_max": self.n_max,
        }


def _satisfied(values: Sequence[float], target: float, confidence: float) -> bool:
    found = estimate(values, confidence)
    return bool(found.relative_half_width <= target)


def stopping_n(
    values: Mapping[str, Sequence[float]], rule: StoppingRule, confidence: float = 0.95
) -> int | None:
    """Return the number of replications the rule stops at, if the values reach it.

    Parameters
    ----------
    values
        Per KPI of ``rule.kpis``, the values of replications ``0, 1, ...`` (all the
        same length).
    rule
        The stopping rule.
    confidence
        Confidence level of the intervals.

    Returns
    -------
    int or None
        The smallest ``n`` in ``[rule.n_min, available]`` at which every KPI meets
        the target over its first ``n`` values; ``None`` if there is none yet.
    """
    available = min(len(values[key]) for key in rule.kpis)
    for n in range(rule.n_min, min(available, rule.n_max) + 1):
        if all(
            _satisfied(values[key][:n], rule.relative_half_width, confidence) for key in rule.kpis
        ):
            return n
    return None


def next_batch(
    values: Mapping[str, Sequence[float]],
    rule: StoppingRule,
    confidence: float = 0.95,
    workers: int = 1,
) -> int:
    """Return how many replications to add next (a guess; it never changes the answer).

    The projection ``n * (rhw / target)^2`` of the worst KPI, at least one more, at
    most doubling what has run, rounded up to a multiple of ``workers`` and capped at
    ``rule.n_max``. Runs beyond the stopping point are wasted but change nothing:
    :func:`stopping_n` looks at prefixes.

    Parameters
    ----------
    values
        As for :func:`stopping_n`.
    rule
        The stopping rule.
    confidence
        Confidence level of the intervals.
    workers
        Runs that can proceed at once.

    Returns
    -------
    int
        Replications to add (0 once ``rule.n_max`` have run).
    """
    done = min(len(values[key]) for key in rule.kpis)
    room = rule.n_max - done
    if room <= 0:
        return 0
    needed = done + 1
    for key in rule.kpis:
        rhw = estimate(values[key], confidence).relative_half_width
        if math.isfinite(rhw):
            needed = max(needed, math.ceil(done * (rhw / rule.relative_half_width) ** 2))
        else:
            needed = max(needed, 2 * done)
    more = min(needed - done, max(done, 1))
    more = -(-more // workers) * workers
    return max(1, min(more, room))
