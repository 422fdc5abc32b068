"""Priors on numeric fields: the scenario's ``uncertain:`` section.

A scenario may say that some of its numbers are not known exactly::

    uncertain:
      products.matsutake.shelf_life_days: {dist: triangular, low: 3, mode: 4, high: 5}
      products.matsutake.q10: {dist: uniform, low: 2, high: 3}

Each key is a field path as ``--set`` takes it; each value a :class:`Prior`. Every
replication draws each prior once, by inverse transform of one uniform number from
a stream of its own (:mod:`fieldtotable.model.parameter_draws`), so a prior's draw is
:meth:`Prior.quantile` of that number. Whether the paths exist and the field accepts
every value the prior can give is checked when the scenario is loaded.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from fieldtotable.scenario.limits import MAX_DISTRIBUTION_CV, MAX_DISTRIBUTION_VALUE
from fieldtotable.scenario.schema_types import Frozen

__all__ = ["TAIL_PROBABILITY", "Prior", "PriorKind"]

PriorKind = Literal["uniform", "triangular", "normal", "lognormal", "discrete"]

#: A normal or lognormal prior without ``low`` (``high``) is cut where its lower
#: (upper) tail holds this probability: about 6 standard deviations from the mean.
TAIL_PROBABILITY = 1e-9

#: The most values a ``discrete`` prior may list (each is checked against its field).
MAX_DISCRETE_VALUES = 100

_REQUIRED: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "cv"),
    "discrete": ("values",),
}
_OPTIONAL: dict[str, tuple[str, ...]] = {
    "normal": ("low", "high"),
    "lognormal": ("low", "high"),
    "discrete": ("weights",),
}
_PARAMETERS = ("low", "high", "mode", "mean", "sd", "cv", "values", "weights")
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]


class Prior(Frozen):
    """What is believed about one uncertain number: a distribution to draw it from.

    ``uniform`` (``low``, ``high``), ``triangular`` (``low``, ``mode``, ``high``),
    ``normal`` (``mean``, ``sd``; optional ``low`` and ``high`` truncate it),
    ``lognormal`` (``mean``, ``cv``: the mean and coefficient of variation of the
    value itself; optional ``low`` and ``high`` truncate it) and ``discrete``
    (``values``, optional ``weights``).
    """

    dist: PriorKind
    """The kind of prior; it decides which of the other keys are needed."""
    low: Number | None = None
    """``uniform``, ``triangular``: the lower bound; ``normal``, ``lognormal``: where
    the prior is cut below (optional; without it, about 6 sd below the mean, and 0 for
    ``lognormal``)."""
    high: Number | None = None
    """The upper bound (at least ``low``), or where ``normal`` and ``lognormal`` are
    cut above (optional; without it, about 6 sd above the mean)."""
    mode: Number | None = None
    """``triangular``: the most likely value, between ``low`` and ``high``."""
    mean: Number | None = None
    """``normal``, ``lognormal``: the mean before truncation (> 0 for ``lognormal``)."""
    sd: Number | None = None
    """``normal``: the standard deviation (>= 0)."""
    cv: Number | None = None
    """``lognormal``: the coefficient of variation, sd / mean (0 to 10)."""
    values: tuple[Number, ...] | None = None
    """``discrete``: the values drawn from (1 to 100 of them)."""
    weights: tuple[Number, ...] | None = None
    """``discrete``: relative weights of ``values``, one each (>= 0, positive sum);
    equal weights when omitted."""

    @model_validator(mode="after")
    def _check_parameters(self) -> Prior:
        required = _REQUIRED[self.dist]
        missing = [name for name in required if getattr(self, name) is None]
        if missing:
            raise ValueError(f"dist {self.dist!r} needs {', '.join(missing)}")
        allowed = set(required) | set(_OPTIONAL.get(self.dist, ()))
        extra = [n for n in _PARAMETERS if getattr(self, n) is not None and n not in allowed]
        if extra:
            raise ValueError(f"dist {self.dist!r} does not take {', '.join(extra)}")
        for name in _PARAMETERS:
            value = getattr(self, name)
            numbers = value if isinstance(value, tuple) else (value,)
            too_large = [v for v in numbers if v is not None and abs(v) > MAX_DISTRIBUTION_VALUE]
            if too_large:
                raise ValueError(
                    f"{name} must be between -{MAX_DISTRIBUTION_VALUE:g} and "
                    f"{MAX_DISTRIBUTION_VALUE:g} (got {too_large[0]:g})"
                )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low:g}) > high ({self.high:g})")
        if self.mode is not None and not self.low <= self.mode <= self.high:  # type: ignore[operator]
            raise ValueError(
                f"mode ({self.mode:g}) must lie between low ({self.low:g}) and high ({self.high:g})"
            )
        if self.sd is not None and self.sd < 0:
            raise ValueError(f"sd must be >= 0 (got {self.sd:g})")
        if self.cv is not None and not 0 <= self.cv <= MAX_DISTRIBUTION_CV:
            raise ValueError(f"cv must be between 0 and {MAX_DISTRIBUTION_CV:g} (got {self.cv:g})")
        if self.dist == "lognormal" and self.mean is not None and self.mean <= 0:
            raise ValueError(f"dist 'lognormal' needs mean > 0 (got {self.mean:g})")
        if self.dist in ("normal", "lognormal"):
            self._check_truncation()
        if self.dist == "discrete":
            self._check_discrete()
        return self

    def _check_truncation(self) -> None:
        from scipy.special import ndtr  # noqa: PLC0415 -- scipy.special: ~0.2 s to import

        lower, upper = self._standard_bounds()
        if self.low is not None and self.high is not None and self.low == self.high:
            return
        if not ndtr(upper) - ndtr(lower) > 0:
            raise ValueError(
                "low and high leave no probability to draw from (they cut away all of "
                "the prior, whose values lie within about 6 sd of its centre)"
            )

    def _check_discrete(self) -> None:
        values = self.values or ()
        if not 1 <= len(values) <= MAX_DISCRETE_VALUES:
            raise ValueError(f"values must hold 1 to {MAX_DISCRETE_VALUES} numbers")
        if self.weights is not None:
            if len(self.weights) != len(values):
                raise ValueError("weights must have as many entries as values")
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("weights must be >= 0 with a positive sum")

    def _log_parameters(self) -> tuple[float, float]:
        """Return (mu, sigma) of the logarithm of a lognormal prior."""
        variance = math.log1p(self.cv**2)  # type: ignore[operator]
        return math.log(self.mean) - variance / 2, math.sqrt(variance)  # type: ignore[arg-type]

    def _standard_bounds(self) -> tuple[float, float]:
        """Return where a normal or lognormal prior is cut, on the standard normal scale."""
        from scipy.special import ndtri  # noqa: PLC0415 -- scipy.special: ~0.2 s to import

        if self.dist == "normal":
            centre, spread = float(self.mean), float(self.sd)  # type: ignore[arg-type]
            low, high = self.low, self.high
        else:
            centre, spread = self._log_parameters()
            low = None if self.low is None or self.low <= 0 else math.log(self.low)
            high = None if self.high is None or self.high <= 0 else math.log(self.high)
            if self.high is not None and self.high <= 0:
                return -math.inf, -math.inf
        tail = float(ndtri(TAIL_PROBABILITY))
        if spread == 0:
            inside = (low is None or low <= centre) and (high is None or centre <= high)
            return (tail, -tail) if inside else (-math.inf, -math.inf)
        lower = tail if low is None else max(tail, (low - centre) / spread)
        upper = -tail if high is None else min(-tail, (high - centre) / spread)
        return lower, upper

    def quantile(self, probability: float) -> float:
        """Return the value drawn when the prior's uniform number is ``probability``.

        Parameters
        ----------
        probability
            A number in [0, 1].

        Returns
        -------
        float
            The inverse of the prior's (truncated) distribution function at
            ``probability``: 0 gives the smallest value the prior can draw, 1 the
            largest.
        """
        from scipy.special import ndtr, ndtri  # noqa: PLC0415 -- scipy.special: ~0.2 s to import

        u = min(max(float(probability), 0.0), 1.0)
        match self.dist:
            case "uniform":
                return self.low + u * (self.high - self.low)  # type: ignore[operator]
            case "triangular":
                return _triangular_quantile(self.low, self.mode, self.high, u)  # type: ignore[arg-type]
            case "discrete":
                return _discrete_quantile(self.values, self.weights, u)  # type: ignore[arg-type]
        if self.low is not None and self.low == self.high:
            return float(self.low)
        lower, upper = self._standard_bounds()
        low_p, high_p = float(ndtr(lower)), float(ndtr(upper))
        z = float(ndtri(low_p + u * (high_p - low_p)))
        z = min(max(z, lower), upper)
        if self.dist == "normal":
            value = float(self.mean) + float(self.sd) * z  # type: ignore[arg-type]
        else:
            centre, spread = self._log_parameters()
            value = math.exp(centre + spread * z)
        if self.low is not None:
            value = max(value, self.low)
        if self.high is not None:
            value = min(value, self.high)
        return value

    def extremes(self) -> tuple[float, ...]:
        """Return the values whose acceptance by the field is checked at load time.

        Returns
        -------
        tuple of float
            Every value of a ``discrete`` prior; else the smallest and the largest
            value the prior can draw.
        """
        if self.dist == "discrete":
            return tuple(dict.fromkeys(self.values or ()))
        return (self.quantile(0.0), self.quantile(1.0))


def _triangular_quantile(low: float, mode: float, high: float, u: float) -> float:
    width = high - low
    if width == 0:
        return low
    if u * width < mode - low:
        return low + math.sqrt(u * width * (mode - low))
    return high - math.sqrt((1 - u) * width * (high - mode))


def _discrete_quantile(
    values: tuple[float, ...], weights: tuple[float, ...] | None, u: float
) -> float:
    weights = weights if weights is not None else (1.0,) * len(values)
    target = u * sum(weights)
    cumulative = 0.0
    for value, weight in zip(values, weights, strict=True):
        cumulative += weight
        if weight > 0 and target < cumulative:
            return value
    last = max(index for index, weight in enumerate(weights) if weight > 0)
    return values[last]
