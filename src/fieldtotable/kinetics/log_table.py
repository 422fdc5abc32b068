"""A temperature log tabulated for one product: its consumed fraction at every record.

:func:`~fieldtotable.kinetics.logs.consumed_along` integrates a log from its start; a
simulation asks the same question many times for different stretches of one log
(every lot that rides a logged trip, every lot in a logged room). :class:`LogTable`
integrates each segment once, with the same segment integrals as ``consumed_along``,
and keeps the running sum at every record, so the fraction consumed between any two
moments costs one binary search and at most two partial segments, and the moment a
given fraction is reached is found by a binary search and one in-segment inversion
(closed form under the Q10 law, root-finding under Arrhenius).

Time before the first record holds the first temperature, time after the last one the
last temperature, as in :func:`~fieldtotable.kinetics.logs.temperature_at`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from fieldtotable.kinetics.laws import GAS_CONSTANT_J_PER_MOL_K, ZERO_CELSIUS_K, FloatArray
from fieldtotable.kinetics.logs import (
    _NODES,
    _WEIGHTS,
    MAX_LOG_RATE_STEP,
    _arrhenius_segment,
    _checked_log,
    _q10_segment,
)
from fieldtotable.kinetics.parameters import Kinetics

__all__ = ["LogTable"]

#: Resolution, in hours, of an in-segment inversion under the Arrhenius law.
INVERSION_TOLERANCE_H = 1e-9

_UNIT_NODES = [(1.0 + float(node)) / 2.0 for node in _NODES]
_UNIT_WEIGHTS = [float(weight) / 2.0 for weight in _WEIGHTS]


def _arrhenius_part(kinetics: Kinetics, hours: float, start_c: float, end_c: float) -> float:
    """Shelf life used over part of a segment under Arrhenius, as ``_arrhenius_segment``.

    The same panels and 10-point Gauss-Legendre rule, in plain ``math`` (a lot's update
    inside a segment is a hot path; numpy's overhead dominates arrays of ten points).
    """
    assert kinetics.activation_energy_kj_mol is not None
    barrier = kinetics.activation_energy_kj_mol * 1000.0 / GAS_CONSTANT_J_PER_MOL_K
    start_k, end_k = start_c + ZERO_CELSIUS_K, end_c + ZERO_CELSIUS_K
    panels = max(1, math.ceil(barrier * abs(1.0 / start_k - 1.0 / end_k) / MAX_LOG_RATE_STEP))
    width = 1.0 / panels
    change = end_c - start_c
    rate = kinetics.rate_per_h_scalar
    total = 0.0
    for panel in range(panels):
        left = panel * width
        for node, weight in zip(_UNIT_NODES, _UNIT_WEIGHTS, strict=True):
            total += weight * rate(start_c + change * (left + width * node))
    return hours * width * total


class LogTable:
    """One product's shelf-life use along one temperature log, tabulated at its records.

    Parameters
    ----------
    kinetics
        The product's kinetics (Q10 or Arrhenius law).
    elapsed_h
        Hours of each record since the log's start, non-decreasing.
    temp_c
        Temperature of each record, °C; linear between records.

    Raises
    ------
    ValueError
        As :func:`~fieldtotable.kinetics.consumed_along` for a malformed log.
    """

    __slots__ = (
        "cumulative",
        "elapsed_h",
        "first_rate",
        "kinetics",
        "last_rate",
        "run_starts",
        "temp_c",
    )

    def __init__(
        self,
        kinetics: Kinetics,
        elapsed_h: Sequence[float] | FloatArray,
        temp_c: Sequence[float] | FloatArray,
    ) -> None:
        times, temps = _checked_log(elapsed_h, temp_c)
        self.kinetics = kinetics
        self.elapsed_h: list[float] = [float(t) for t in times]
        self.temp_c: list[float] = [float(t) for t in temps]
        self.first_rate = kinetics.rate_per_h_scalar(self.temp_c[0])
        """Rate per hour before the first record."""
        self.last_rate = kinetics.rate_per_h_scalar(self.temp_c[-1])
        """Rate per hour after the last record."""
        cumulative = [0.0]
        for index in range(len(self.elapsed_h) - 1):
            cumulative.append(cumulative[-1] + self._segment(index, self.elapsed_h[index + 1]))
        self.cumulative = cumulative
        """Fraction consumed from the first record to each record."""
        run_starts = [-1]
        for segment in range(len(self.elapsed_h)):
            same = (
                self.is_constant(segment)
                and self.is_constant(segment - 1)
                and self.temp_c[segment] == self.temp_c[max(segment - 1, 0)]
            )
            run_starts.append(run_starts[-1] if same else segment)
        self.run_starts = run_starts
        """For stretch ``s`` (at index ``s + 1``, see :meth:`segment_of`), the first
        stretch of the run of stretches at one and the same temperature it belongs to."""

    @property
    def start_h(self) -> float:
        """Hours of the first record."""
        return self.elapsed_h[0]

    @property
    def end_h(self) -> float:
        """Hours of the last record."""
        return self.elapsed_h[-1]

    @property
    def total(self) -> float:
        """Fraction consumed from the first record to the last."""
        return self.cumulative[-1]

    def temperature_at(self, hours: float) -> float:
        """Temperature at ``hours`` since the log's start, °C (held outside the log)."""
        times = self.elapsed_h
        if hours <= times[0]:
            return self.temp_c[0]
        if hours >= times[-1]:
            return self.temp_c[-1]
        index = bisect.bisect_right(times, hours) - 1
        share = (hours - times[index]) / (times[index + 1] - times[index])
        return self.temp_c[index] + share * (self.temp_c[index + 1] - self.temp_c[index])

    def _segment(self, index: int, until_h: float) -> float:
        """Fraction consumed from record ``index`` to ``until_h`` (inside its segment)."""
        start = self.elapsed_h[index]
        hours = until_h - start
        if hours <= 0.0:
            return 0.0
        end_c = self.temperature_at(until_h) if until_h < self.elapsed_h[index + 1] else None
        if end_c is None:
            end_c = self.temp_c[index + 1]
        start_c = self.temp_c[index]
        if self.kinetics.q10 is not None:
            return _q10_segment(self.kinetics, hours, start_c, end_c)
        if until_h < self.elapsed_h[index + 1]:
            return _arrhenius_part(self.kinetics, hours, start_c, end_c)
        return _arrhenius_segment(self.kinetics, hours, start_c, end_c)

    def segment_of(self, hours: float) -> int:
        """Index of the stretch holding ``hours``: -1 before the log, ``n - 1`` after it.

        Between records ``i`` and ``i + 1`` the index is ``i``.
        """
        if hours < self.elapsed_h[0]:
            return -1
        return bisect.bisect_right(self.elapsed_h, hours) - 1

    @property
    def is_flat(self) -> bool:
        """Whether the whole log is at one temperature (before, along and after it)."""
        return self.run_starts[0] == self.run_starts[-1] and self.is_constant(0)

    def run_of(self, segment: int) -> int:
        """Return the first stretch of the constant-temperature run holding ``segment``.

        Returns ``-2`` for a stretch whose temperature changes (its own run of one).
        """
        if not self.is_constant(segment):
            return -2
        return self.run_starts[segment + 1]

    def is_constant(self, segment: int) -> bool:
        """Return whether the temperature stays the same over stretch ``segment``."""
        if segment < 0 or segment >= len(self.elapsed_h) - 1:
            return True
        return self.temp_c[segment] == self.temp_c[segment + 1]

    def constant_rate(self, segment: int) -> float:
        """Rate per hour over a stretch where :meth:`is_constant` holds."""
        if segment < 0:
            return self.first_rate
        if segment >= len(self.elapsed_h) - 1:
            return self.last_rate
        return self.kinetics.rate_per_h_scalar(self.temp_c[segment])

    def consumed_until(self, hours: float) -> float:
        """Fraction consumed from the first record to ``hours`` (negative before it)."""
        times = self.elapsed_h
        if hours <= times[0]:
            return (hours - times[0]) * self.first_rate
        if hours >= times[-1]:
            return self.cumulative[-1] + (hours - times[-1]) * self.last_rate
        index = bisect.bisect_right(times, hours) - 1
        cumulative = self.cumulative
        # Never past the next record's sum (rounding), so the integral never decreases.
        return min(cumulative[index] + self._segment(index, hours), cumulative[index + 1])

    def consumed_between(self, start_h: float, end_h: float) -> float:
        """Fraction consumed from ``start_h`` to ``end_h`` (log hours; 0 if not after)."""
        if end_h <= start_h:
            return 0.0
        segment = self.segment_of(start_h)
        run = self.run_of(segment)
        if run != -2 and run == self.run_of(self.segment_of(end_h)):
            # One temperature throughout: the plain product, as for a setpoint.
            return (end_h - start_h) * self.constant_rate(segment)
        return self.consumed_until(end_h) - self.consumed_until(start_h)

    def hours_reaching(self, target: float) -> float:
        """Log hour at which the fraction consumed since the first record reaches ``target``.

        ``target`` may be negative (a moment before the log's first record).
        """
        times = self.elapsed_h
        if target <= 0.0:
            return times[0] + target / self.first_rate
        cumulative = self.cumulative
        if target >= cumulative[-1]:
            return times[-1] + (target - cumulative[-1]) / self.last_rate
        index = bisect.bisect_right(cumulative, target) - 1
        while index + 1 < len(times) and times[index + 1] == times[index]:
            index += 1  # a step: no time passes
        needed = target - cumulative[index]
        if needed <= 0.0:
            return times[index]
        return times[index] + self._invert(index, needed)

    def _invert(self, index: int, amount: float) -> float:
        """Hours after record ``index`` at which ``amount`` of shelf life is used."""
        start = self.elapsed_h[index]
        span = self.elapsed_h[index + 1] - start
        start_c, end_c = self.temp_c[index], self.temp_c[index + 1]
        rate = self.kinetics.rate_per_h_scalar(start_c)
        if start_c == end_c:
            return min(amount / rate, span)
        if self.kinetics.q10 is not None:
            # rate * (exp(c t) - 1) / c = amount, c = ln(Q10)/10 * slope.
            growth = math.log(self.kinetics.q10) / 10.0 * (end_c - start_c) / span
            if growth == 0.0:
                return min(amount / rate, span)
            argument = amount * growth / rate
            if argument <= -1.0:
                return span
            return min(max(math.log1p(argument) / growth, 0.0), span)
        from scipy.optimize import brentq  # noqa: PLC0415 -- scipy.optimize takes ~0.3 s to import

        found: float = brentq(
            lambda hours: self._segment(index, start + hours) - amount,
            0.0,
            span,
            xtol=INVERSION_TOLERANCE_H,
            rtol=8.9e-16,
        )
        return found

    def hours_to_consume(self, start_h: float, amount: float) -> float:
        """Log hour at which ``amount`` more is consumed from ``start_h`` on."""
        if amount <= 0.0:
            return start_h
        segment = self.segment_of(start_h)
        run = self.run_of(segment)
        if run != -2:
            reached = start_h + amount / self.constant_rate(segment)
            if self.run_of(self.segment_of(reached)) == run:
                return reached
        return self.hours_reaching(self.consumed_until(start_h) + amount)
