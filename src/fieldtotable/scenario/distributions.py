"""Probability distributions as data: the scenario's ``{dist: ..., ...}`` mappings.

A :class:`Distribution` is a frozen description; :func:`make_sampler` turns it into a
fast callable bound to one ``numpy.random.Generator`` stream. Distributions are never
code: the set of kinds is closed and every parameter is checked for sense.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Strict, model_validator

from fieldtotable.scenario.limits import MAX_DISTRIBUTION_CV, MAX_DISTRIBUTION_VALUE

DistributionKind = Literal[
    "constant", "uniform", "triangular", "normal", "lognormal", "gamma", "poisson", "empirical"
]

_REQUIRED: dict[str, tuple[str, ...]] = {
    "constant": ("value",),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "cv"),
    "gamma": ("mean", "cv"),
    "poisson": ("mean",),
    "empirical": ("values",),
}
#: A number in a scenario file: int or float, never a boolean or a string.
Number = Annotated[float, Strict()]

_PARAMETERS = ("value", "low", "high", "mode", "mean", "sd", "cv", "values", "weights")


class Distribution(BaseModel):
    """A random quantity described by data.

    Parameters
    ----------
    dist
        The kind: ``constant`` (``value``), ``uniform`` (``low``, ``high``),
        ``triangular`` (``low``, ``mode``, ``high``), ``normal`` (``mean``, ``sd``),
        ``lognormal`` and ``gamma`` (``mean``, ``cv``: coefficient of variation),
        ``poisson`` (``mean``), ``empirical`` (``values``, optional ``weights``).

    A bare number in a scenario file is read as ``{dist: constant, value: number}``.
    Every quantity sampled in the model is non-negative: draws below 0 (a normal's
    tail) are clipped to 0, not redrawn. Every parameter is finite and at most 1e9 in
    magnitude, and ``cv`` at most 10, so that every draw is a finite number.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    dist: DistributionKind
    """The kind of distribution; it decides which of the other keys are needed."""
    value: Number | None = None
    """``constant``: the value."""
    low: Number | None = None
    """``uniform``, ``triangular``: the lower bound."""
    high: Number | None = None
    """``uniform``, ``triangular``: the upper bound (at least ``low``)."""
    mode: Number | None = None
    """``triangular``: the most likely value, between ``low`` and ``high``."""
    mean: Number | None = None
    """``normal``, ``lognormal``, ``gamma``, ``poisson``: the mean (> 0 except for
    ``normal``)."""
    sd: Number | None = None
    """``normal``: the standard deviation (>= 0)."""
    cv: Number | None = None
    """``lognormal``, ``gamma``: the coefficient of variation, sd / mean (0 to 10; 0
    always gives the mean)."""
    values: tuple[Number, ...] | None = None
    """``empirical``: the values drawn from (at least one)."""
    weights: tuple[Number, ...] | None = None
    """``empirical``: relative weights of ``values``, one each (>= 0, positive sum);
    equal weights when omitted."""

    @model_validator(mode="before")
    @classmethod
    def _number_is_constant(cls, data: Any) -> Any:
        if isinstance(data, bool):
            return data
        if isinstance(data, int | float):
            return {"dist": "constant", "value": data}
        return data

    @model_validator(mode="after")
    def _check_parameters(self) -> Distribution:
        required = _REQUIRED[self.dist]
        missing = [name for name in required if getattr(self, name) is None]
        if missing:
            raise ValueError(f"dist {self.dist!r} needs {', '.join(missing)}")
        allowed = set(required) | ({"weights"} if self.dist == "empirical" else set())
        extra = [n for n in _PARAMETERS if getattr(self, n) is not None and n not in allowed]
        if extra:
            raise ValueError(f"dist {self.dist!r} does not take {', '.join(extra)}")
        for name in _PARAMETERS:
            value = getattr(self, name)
            numbers = value if isinstance(value, tuple) else (value,)
            if any(v is not None and not math.isfinite(v) for v in numbers):
                raise ValueError(f"{name} must be a finite number")
            too_large = [v for v in numbers if v is not None and abs(v) > MAX_DISTRIBUTION_VALUE]
            if too_large:
                raise ValueError(
                    f"{name} must be between -{MAX_DISTRIBUTION_VALUE:g} and "
                    f"{MAX_DISTRIBUTION_VALUE:g} (got {too_large[0]:g})"
                )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) > high ({self.high})")
        if (
            self.mode is not None
            and self.low is not None
            and self.high is not None
            and not self.low <= self.mode <= self.high
        ):
            raise ValueError("mode must lie between low and high")
        if self.sd is not None and self.sd < 0:
            raise ValueError("sd must be >= 0")
        if self.cv is not None and self.cv < 0:
            raise ValueError("cv must be >= 0")
        if self.cv is not None and self.cv > MAX_DISTRIBUTION_CV:
            raise ValueError(f"cv must be <= {MAX_DISTRIBUTION_CV:g} (got {self.cv:g})")
        if self.dist in ("lognormal", "gamma", "poisson") and (self.mean or 0) <= 0:
            raise ValueError(f"dist {self.dist!r} needs mean > 0")
        if self.dist == "empirical":
            if not self.values:
                raise ValueError("values must not be empty")
            if self.weights is not None:
                if len(self.weights) != len(self.values):
                    raise ValueError("weights must have as many entries as values")
                if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                    raise ValueError("weights must be >= 0 with a positive sum")
        return self

    @property
    def expected(self) -> float:
        """The mean of the distribution (before any truncation at zero)."""
        match self.dist:
            case "constant":
                return float(self.value)  # type: ignore[arg-type]
            case "uniform":
                return (self.low + self.high) / 2  # type: ignore[operator]
            case "triangular":
                return (self.low + self.mode + self.high) / 3  # type: ignore[operator]
            case "empirical":
                values = np.asarray(self.values, dtype=float)
                weights = None if self.weights is None else np.asarray(self.weights, float)
                return float(np.average(values, weights=weights))
            case _:
                return float(self.mean)  # type: ignore[arg-type]

    @property
    def minimum(self) -> float:
        """The smallest value the distribution can take (``-inf`` when unbounded)."""
        match self.dist:
            case "constant":
                return float(self.value)  # type: ignore[arg-type]
            case "uniform" | "triangular":
                return float(self.low)  # type: ignore[arg-type]
            case "empirical":
                return float(min(self.values))  # type: ignore[arg-type]
            case "normal":
                return -math.inf
            case _:
                return 0.0


Sampler = Callable[[], float]


def make_sampler(distribution: Distribution, rng: np.random.Generator) -> Sampler:
    """Return a zero-argument callable drawing from ``distribution`` with ``rng``.

    Draws are clipped at zero: every sampled quantity in the model (hours, kg,
    counts) is non-negative.
    """
    d = distribution
    match d.dist:
        case "constant":
            value = max(float(d.value), 0.0)  # type: ignore[arg-type]
            return lambda: value
        case "uniform":
            low, high = float(d.low), float(d.high)  # type: ignore[arg-type]
            if low >= 0.0:  # nothing to clip (these run per lot, trip and day)
                return lambda: rng.uniform(low, high)
            return lambda: max(rng.uniform(low, high), 0.0)
        case "triangular":
            low, mode, high = float(d.low), float(d.mode), float(d.high)  # type: ignore[arg-type]
            if low == high:
                return lambda: max(low, 0.0)
            if low >= 0.0:
                return lambda: rng.triangular(low, mode, high)
            return lambda: max(rng.triangular(low, mode, high), 0.0)
        case "normal":
            mean, sd = float(d.mean), float(d.sd)  # type: ignore[arg-type]
            return lambda: max(rng.normal(mean, sd), 0.0)
        case "lognormal":
            mean, cv = float(d.mean), float(d.cv)  # type: ignore[arg-type]
            if cv == 0:
                return lambda: mean
            sigma = math.sqrt(math.log1p(cv * cv))
            mu = math.log(mean) - sigma * sigma / 2
            return lambda: float(rng.lognormal(mu, sigma))
        case "gamma":
            mean, cv = float(d.mean), float(d.cv)  # type: ignore[arg-type]
            if cv == 0:
                return lambda: mean
            shape = 1.0 / (cv * cv)
            scale = mean / shape
            return lambda: float(rng.gamma(shape, scale))
        case "poisson":
            mean = float(d.mean)  # type: ignore[arg-type]
            return lambda: float(rng.poisson(mean))
        case _:
            values = np.asarray(d.values, dtype=float)
            weights = None if d.weights is None else np.asarray(d.weights, dtype=float)
            probabilities = None if weights is None else weights / weights.sum()
            return lambda: max(float(rng.choice(values, p=probabilities)), 0.0)


VectorSampler = Callable[[int], np.ndarray]


def make_vector_sampler(distribution: Distribution, rng: np.random.Generator) -> VectorSampler:
    """Return a callable drawing ``size`` values at once (clipped at zero)."""
    d = distribution
    match d.dist:
        case "constant":
            value = max(float(d.value), 0.0)  # type: ignore[arg-type]
            return lambda size: np.full(size, value)
        case "uniform":
            low, high = float(d.low), float(d.high)  # type: ignore[arg-type]
            if low >= 0.0:  # nothing to clip: one NumPy call a draw instead of two
                return lambda size: rng.uniform(low, high, size)
            return lambda size: np.maximum(rng.uniform(low, high, size), 0.0)
        case "triangular":
            low, mode, high = float(d.low), float(d.mode), float(d.high)  # type: ignore[arg-type]
            if low == high:
                return lambda size: np.full(size, max(low, 0.0))
            if low >= 0.0:
                return lambda size: rng.triangular(low, mode, high, size)
            return lambda size: np.maximum(rng.triangular(low, mode, high, size), 0.0)
        case "normal":
            mean, sd = float(d.mean), float(d.sd)  # type: ignore[arg-type]
            return lambda size: np.maximum(rng.normal(mean, sd, size), 0.0)
        case "lognormal":
            mean, cv = float(d.mean), float(d.cv)  # type: ignore[arg-type]
            if cv == 0:
                return lambda size: np.full(size, mean)
            sigma = math.sqrt(math.log1p(cv * cv))
            mu = math.log(mean) - sigma * sigma / 2
            return lambda size: rng.lognormal(mu, sigma, size)
        case "gamma":
            mean, cv = float(d.mean), float(d.cv)  # type: ignore[arg-type]
            if cv == 0:
                return lambda size: np.full(size, mean)
            shape = 1.0 / (cv * cv)
            return lambda size: rng.gamma(shape, mean / shape, size)
        case "poisson":
            mean = float(d.mean)  # type: ignore[arg-type]
            return lambda size: rng.poisson(mean, size).astype(float)
        case _:
            values = np.asarray(d.values, dtype=float)
            weights = None if d.weights is None else np.asarray(d.weights, dtype=float)
            probabilities = None if weights is None else weights / weights.sum()
            return lambda size: np.maximum(rng.choice(values, size, p=probabilities), 0.0)


#: Numbers drawn at a time by :func:`make_block_sampler`.
BLOCK = 64


def make_block_sampler(
    distribution: Distribution, rng: np.random.Generator, block: int = BLOCK
) -> Sampler:
    """Return :func:`make_sampler`'s callable for a stream that draws nothing else.

    The numbers are drawn ``block`` at a time and handed out one by one. NumPy's
    generators give the same numbers drawn one by one or in a block for every
    distribution here (``tests/unit/test_block_sampler.py``), so the draws are
    those of :func:`make_sampler`, in the same order, to the last bit; the stream only
    ends further along (unused draws), which no other draw sees. Not for a stream
    that other draws share: those would start from another state.
    """
    d = distribution
    raw: Callable[[int], np.ndarray]
    match d.dist:
        case "uniform":
            low, high = float(d.low), float(d.high)  # type: ignore[arg-type]
            raw = lambda size: rng.uniform(low, high, size)  # noqa: E731
        case "triangular" if d.low != d.high:
            low, mode, high = float(d.low), float(d.mode), float(d.high)  # type: ignore[arg-type]
            raw = lambda size: rng.triangular(low, mode, high, size)  # noqa: E731
        case "normal":
            mean, sd = float(d.mean), float(d.sd)  # type: ignore[arg-type]
            raw = lambda size: rng.normal(mean, sd, size)  # noqa: E731
        case _:
            return _block_of(make_sampler(d, rng), d, rng, block)
    refill = lambda: [max(x, 0.0) for x in reversed(raw(block).tolist())]  # noqa: E731
    return _handed_out(refill)


def _block_of(scalar: Sampler, d: Distribution, rng: np.random.Generator, block: int) -> Sampler:
    """Block draws of the distributions that :func:`make_sampler` does not clip."""
    if d.dist in ("lognormal", "gamma") and d.cv:
        mean, cv = float(d.mean), float(d.cv)  # type: ignore[arg-type]
        if d.dist == "lognormal":
            sigma = math.sqrt(math.log1p(cv * cv))
            mu = math.log(mean) - sigma * sigma / 2
            return _handed_out(lambda: rng.lognormal(mu, sigma, block).tolist()[::-1])
        shape = 1.0 / (cv * cv)
        scale = mean / shape
        return _handed_out(lambda: rng.gamma(shape, scale, block).tolist()[::-1])
    if d.dist == "poisson":
        mean = float(d.mean)  # type: ignore[arg-type]
        return _handed_out(lambda: [float(k) for k in rng.poisson(mean, block).tolist()[::-1]])
    return scalar  # constants draw nothing; empirical stays one by one


def _handed_out(refill: Callable[[], list[float]]) -> Sampler:
    """Return a sampler popping numbers off ``refill()``'s list (the next one last)."""
    buffer: list[float] = []
    pop = buffer.pop

    def draw() -> float:
        if not buffer:
            buffer.extend(refill())
        return pop()

    return draw
