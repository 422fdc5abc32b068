"""Tick labels that never repeat, never show floating-point noise and never read ``-0``.

:class:`NumberFormatter` writes the ticks of one axis with a shared unit (``k``, ``M``
or ``%``) and as many decimals as the tick step needs, so that adjacent labels differ
(``155.5k 156.0k 156.5k``, not ``156k 156k 157k``). A tick within a relative epsilon of
0 (of the tick step, or of the quantity's scale when given) is written ``0``: a
difference that is exactly 0 in the model but ``5e-17`` after arithmetic reads as 0.
:func:`zero_span_limits` gives an axis whose data are all 0 a sane symmetric range.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from matplotlib.ticker import Formatter

__all__ = ["ZERO_RTOL", "NumberFormatter", "is_zero", "zero_span_limits"]

ZERO_RTOL = 1e-9
"""Relative tolerance under which a value counts as 0 (of the tick step or scale)."""

_MAX_DECIMALS = 6


def is_zero(value: float, scale: float) -> bool:
    """Tell whether ``value`` is 0 up to floating-point noise relative to ``scale``.

    Parameters
    ----------
    value
        The number.
    scale
        The magnitude of the quantity it belongs to (a baseline mean, a tick step);
        with ``scale`` 0, only an exact 0 counts.

    Returns
    -------
    bool
        ``abs(value) <= ZERO_RTOL * abs(scale)`` (``value == 0`` for scale 0).
    """
    return value == 0 or abs(value) <= ZERO_RTOL * abs(scale)


def zero_span_limits(scale: float, *, fraction: bool = False) -> tuple[float, float]:
    """Return symmetric limits for an axis whose values are all 0 (a difference of nothing).

    Parameters
    ----------
    scale
        The magnitude of the quantity (e.g. the baseline mean of a difference).
    fraction
        The quantity is a fraction: the span is one percentage point.

    Returns
    -------
    tuple of float
        ``(-span, span)``: 1 % of ``scale`` rounded down to a power of ten (1 for a
        scale of 0 or undefined; 0.01 for fractions).
    """
    if fraction:
        return -0.01, 0.01
    if not math.isfinite(scale) or scale == 0:
        return -1.0, 1.0
    span = 10.0 ** math.floor(math.log10(abs(scale) * 0.01))
    return -span, span


class NumberFormatter(Formatter):
    """Compact, distinct tick labels: ``950``, ``155.5k``, ``1.25M``, ``12.5%``, ``+0.5``.

    Parameters
    ----------
    percent
        Values are fractions, written as percent (0.125 -> ``12.5%``).
    signed
        Positive values get a ``+`` (differences); 0 never has a sign.
    scale
        The magnitude of the quantity (e.g. a difference's baseline mean): values
        within :data:`ZERO_RTOL` of it are written ``0`` whatever the tick step.
    suffix
        Text after every label (``0`` keeps only a ``%``); the default is ``%`` for
        percent and nothing otherwise.
    """

    def __init__(
        self,
        *,
        percent: bool = False,
        signed: bool = False,
        scale: float = 0.0,
        suffix: str | None = None,
    ) -> None:
        self.percent = percent
        self.signed = signed
        self.scale = abs(scale) if math.isfinite(scale) else 0.0
        self.suffix = ("%" if percent else "") if suffix is None else suffix
        self._ticks: list[float] = []
        self._layout: tuple[float, str, int, float] | None = None

    def set_locs(self, locs: Sequence[float] | Any) -> None:
        """Choose the unit and decimals from all the ticks of the axis."""
        self._ticks = [float(x) for x in locs if math.isfinite(float(x))]
        self._layout = self._choose(self._ticks)

    def _choose(self, locs: Sequence[float]) -> tuple[float, str, int, float]:
        """Return (divisor, unit, decimals, zero tolerance) for these ticks."""
        factor = 100.0 if self.percent else 1.0
        values = sorted({x * factor for x in locs})
        steps = [b - a for a, b in itertools.pairwise(values) if b > a]
        step = min(steps) if steps else max((abs(v) for v in values), default=0.0)
        tolerance = ZERO_RTOL * max(step, self.scale * factor)
        values = [0.0 if abs(v) <= tolerance else v for v in values]
        largest = max((abs(v) for v in values), default=0.0)
        divisor, unit = 1.0, ""
        if not self.percent:
            if largest >= 1e6:
                divisor, unit = 1e6, "M"
            elif largest >= 1e3:
                divisor, unit = 1e3, "k"
        scaled = [v / divisor for v in values]
        exact = step / divisor * 1e-6 if step > 0 else 0.0
        for decimals in range(_MAX_DECIMALS + 1):
            if all(abs(round(v, decimals) - v) <= exact for v in scaled):
                break
        else:
            decimals = _MAX_DECIMALS
        texts = [f"{v:.{decimals}f}" for v in scaled]
        while decimals < _MAX_DECIMALS and len(set(texts)) < len(texts):
            decimals += 1
            texts = [f"{v:.{decimals}f}" for v in scaled]
        return divisor, unit, decimals, tolerance

    def __call__(self, x: float, pos: int | None = None) -> str:  # noqa: ARG002
        """Return the label of the tick at ``x``."""
        if not math.isfinite(x):
            return ""
        layout = self._layout if self._layout is not None else self._choose([x])
        divisor, unit, decimals, tolerance = layout
        value = x * (100.0 if self.percent else 1.0)
        zero = "0%" if self.suffix == "%" else "0"
        if abs(value) <= tolerance:
            return zero
        text = f"{abs(value) / divisor:.{decimals}f}"
        if float(text) == 0:
            return zero
        sign = "-" if value < 0 else ("+" if self.signed else "")
        return f"{sign}{text}{unit}{self.suffix}"
