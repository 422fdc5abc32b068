"""Means with confidence intervals, and Welch's comparison, for the SupplyNetPy check.

The two libraries cannot share random numbers, so their replications are independent
samples: each mean gets a Student-t interval, their difference Welch's interval and
test (unequal variances, Welch-Satterthwaite degrees of freedom).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats
from supplynetpy_network import Case, Outcome


@dataclass(frozen=True)
class Interval:
    """A mean over replications with its Student-t confidence interval.

    Attributes
    ----------
    mean, half_width
        The mean and the half-width of its interval.
    n
        Replications.
    """

    mean: float
    half_width: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float], confidence: float = 0.95) -> Interval:
        """The interval of the mean of ``values``."""
        sample = np.asarray(values, dtype=float)
        n = sample.size
        error = float(np.std(sample, ddof=1)) / math.sqrt(n)
        t = float(stats.t.ppf(0.5 + confidence / 2, n - 1))
        return cls(float(np.mean(sample)), t * error, n)


@dataclass(frozen=True)
class Comparison:
    """Welch's comparison of two independent samples: ``first - second``.

    Attributes
    ----------
    difference
        Difference of the means.
    low, high
        Its confidence interval (Welch-Satterthwaite degrees of freedom).
    p_value
        Two-sided p-value of Welch's t-test of equal means.
    confidence
        Confidence level of the interval.
    """

    difference: float
    low: float
    high: float
    p_value: float
    confidence: float

    @classmethod
    def of(
        cls, first: Sequence[float], second: Sequence[float], confidence: float = 0.95
    ) -> Comparison:
        """Compare ``first`` with ``second`` (unpaired: no common random numbers)."""
        test = stats.ttest_ind(first, second, equal_var=False)
        interval = test.confidence_interval(confidence)
        return cls(
            float(np.mean(first) - np.mean(second)),
            float(interval.low),
            float(interval.high),
            float(test.pvalue),
            confidence,
        )

    @property
    def contains_zero(self) -> bool:
        """Whether the interval allows equal means."""
        return self.low <= 0.0 <= self.high


def replicate(run: Callable[[Case, int], Outcome], case: Case, replications: int) -> list[Outcome]:
    """Replications ``0 .. replications - 1`` of ``case`` with ``run``."""
    return [run(case, replication) for replication in range(replications)]
