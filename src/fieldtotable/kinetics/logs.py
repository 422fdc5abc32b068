"""Shelf life consumed along a measured temperature log.

A data logger records a trip or a room as pairs ``(elapsed_h, temp_c)``. Between two
records the temperature is taken as linear; past the last record it holds the last
value. :func:`consumed_along` integrates a product's rate of shelf-life use along such
a log:

* Q10 law: the rate is ``exp(a (T - T_ref)) / H`` with ``a = ln(Q10) / 10``; over a
  segment where ``T`` moves linearly by ``dT`` in ``dt`` hours the integral is exactly
  ``dt * rate(T0) * expm1(a dT) / (a dT)`` (``dt * rate(T0)`` when ``dT = 0``).
* Arrhenius law: the integral of ``exp(-b / u)`` over a linear kelvin ramp has no
  elementary form; each segment is split into panels over which the log-rate moves by
  at most 1/2 and integrated with 10-point Gauss-Legendre quadrature, whose error on
  such a panel is far below 1e-12 relative (the tests check 1e-9 against adaptive
  quadrature and fine stepping).

The simulation replays a logged leg or room through this same function.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from fieldtotable.kinetics.laws import GAS_CONSTANT_J_PER_MOL_K, ZERO_CELSIUS_K, FloatArray
from fieldtotable.kinetics.parameters import Kinetics

__all__ = ["MAX_LOG_RATE_STEP", "consumed_along", "temperature_at"]

MAX_LOG_RATE_STEP = 0.5
"""Largest change of the Arrhenius log-rate across one quadrature panel."""

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(10)


def _checked_log(
    elapsed_h: Sequence[float] | FloatArray, temp_c: Sequence[float] | FloatArray
) -> tuple[FloatArray, FloatArray]:
    times = np.asarray(elapsed_h, dtype=float)
    temps = np.asarray(temp_c, dtype=float)
    if times.ndim != 1 or temps.ndim != 1 or len(times) != len(temps):
        raise ValueError(
            "elapsed_h and temp_c must be one-dimensional and of equal length "
            f"(got {times.shape} and {temps.shape})"
        )
    if len(times) == 0:
        raise ValueError("a temperature log needs at least one record")
    if not (np.all(np.isfinite(times)) and np.all(np.isfinite(temps))):
        raise ValueError("a temperature log must hold finite numbers only")
    if np.any(np.diff(times) < 0):
        row = int(np.argmax(np.diff(times) < 0)) + 1
        raise ValueError(
            f"elapsed_h must not decrease: record {row} ({times[row]} h) comes before "
            f"record {row - 1} ({times[row - 1]} h)"
        )
    if np.any(temps <= -ZERO_CELSIUS_K):
        raise ValueError("temperatures must be above absolute zero (-273.15 °C)")
    return times, temps


def temperature_at(
    elapsed_h: Sequence[float] | FloatArray, temp_c: Sequence[float] | FloatArray, hours: float
) -> float:
    """Return the log's temperature at ``hours``: linear between records, held outside.

    Parameters
    ----------
    elapsed_h, temp_c
        The log: hours since its start (non-decreasing) and °C.
    hours
        When.

    Returns
    -------
    float
        The temperature, °C (the first record's before the log, the last one's after).
    """
    times, temps = _checked_log(elapsed_h, temp_c)
    return float(np.interp(hours, times, temps))


def _q10_segment(kinetics: Kinetics, hours: float, start_c: float, end_c: float) -> float:
    coefficient = math.log(kinetics.q10) / 10.0 if kinetics.q10 is not None else 0.0
    change = coefficient * (end_c - start_c)
    # expm1(x) / x -> 1 as x -> 0: the constant-temperature update.
    factor = 1.0 if change == 0.0 else math.expm1(change) / change
    return hours * kinetics.rate_per_h_scalar(start_c) * factor


def _arrhenius_segment(kinetics: Kinetics, hours: float, start_c: float, end_c: float) -> float:
    assert kinetics.activation_energy_kj_mol is not None
    barrier = kinetics.activation_energy_kj_mol * 1000.0 / GAS_CONSTANT_J_PER_MOL_K
    start_k, end_k = start_c + ZERO_CELSIUS_K, end_c + ZERO_CELSIUS_K
    spread = barrier * abs(1.0 / start_k - 1.0 / end_k)
    panels = max(1, math.ceil(spread / MAX_LOG_RATE_STEP))
    edges = np.linspace(0.0, 1.0, panels + 1)
    half = (edges[1:] - edges[:-1])[:, None] / 2.0
    points = (edges[:-1, None] + half) + half * _NODES[None, :]  # shares of the segment
    rates = np.asarray(kinetics.rate_per_h(start_c + (end_c - start_c) * points), dtype=float)
    return float(hours * np.sum(half * _WEIGHTS[None, :] * rates))


def consumed_along(
    kinetics: Kinetics,
    elapsed_h: Sequence[float] | FloatArray,
    temp_c: Sequence[float] | FloatArray,
    *,
    until_h: float | None = None,
) -> float:
    """Return the fraction of shelf life a product consumes along a temperature log.

    Parameters
    ----------
    kinetics
        The product's kinetics (Q10 or Arrhenius law).
    elapsed_h
        Hours since the log's start of each record, non-decreasing (two records at the
        same time make a step).
    temp_c
        Temperature of each record, °C; linear between records.
    until_h
        Integrate to this hour instead of the last record, holding the last
        temperature past the end (not before the log's first record).

    Returns
    -------
    float
        The fraction of shelf life consumed from the first record to the last (or to
        ``until_h``): exact for the Q10 law, within 1e-9 relative for Arrhenius.

    Raises
    ------
    ValueError
        If the log is empty, of unequal lengths, not finite, decreasing in time, at
        or below absolute zero, or ``until_h`` is before its first record.
    """
    times, temps = _checked_log(elapsed_h, temp_c)
    if until_h is not None:
        if not math.isfinite(until_h) or until_h < times[0]:
            raise ValueError(
                f"until_h must be finite and not before the log's start ({times[0]} h), "
                f"got {until_h!r}"
            )
        keep = times < until_h
        end_temp = float(np.interp(until_h, times, temps))
        times = np.append(times[keep], until_h)
        temps = np.append(temps[keep], end_temp)
    segment = _q10_segment if kinetics.q10 is not None else _arrhenius_segment
    total = 0.0
    for index in range(len(times) - 1):
        hours = float(times[index + 1] - times[index])
        if hours > 0.0:
            total += segment(kinetics, hours, float(temps[index]), float(temps[index + 1]))
    return total
