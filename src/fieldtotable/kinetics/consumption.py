"""The consumed fraction of shelf life over time: its exact update, what remains, when it ends.

Over segments of constant temperature the fraction consumed grows by
``hours / (24 * SL(T))`` per segment (the laws of :mod:`~fieldtotable.kinetics.laws`),
exactly, so a lot is brought forward only when it changes place or temperature. All
functions are pure and accept scalars or numpy arrays (broadcasting); a result computed
only from scalars is returned as a Python ``float``.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

from fieldtotable.kinetics.laws import (
    HOURS_PER_DAY,
    FloatOrArray,
    _check_ref_temp,
    _check_sensitivity,
    _check_shelf_life,
    _log_relative_rate,
    _scaled_exp,
    _to_output,
    shelf_life_days,
)

__all__ = ["advance_consumed", "hours_to_limit", "remaining_shelf_life_days"]


def advance_consumed(
    consumed: npt.ArrayLike,
    segment_hours: npt.ArrayLike,
    segment_temps_c: npt.ArrayLike,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    q10: float | None = None,
    activation_energy_kj_mol: float | None = None,
) -> FloatOrArray:
    """Advance the fraction of shelf life consumed over piecewise-constant temperature.

    Exact for a temperature history made of segments of constant temperature:
    ``f_new = f + sum_i hours_i / (24 * SL(T_i))``.

    Parameters
    ----------
    consumed : float or array_like
        Fraction of shelf life consumed so far, scalar or shape ``(n_lots,)``.
    segment_hours : float or array_like
        Duration of each segment, hours, >= 0. Shape ``(n_segments,)`` (the same
        history for every lot) or ``(n_lots, n_segments)``; a scalar is one segment.
    segment_temps_c : float or array_like
        Temperature of each segment, °C; must broadcast with ``segment_hours``.
    shelf_life_ref_days : float
        Shelf life at ``ref_temp_c``, days, > 0.
    ref_temp_c : float
        Reference temperature, °C.
    q10 : float, optional
        Rate multiplier per 10 °C warming (Q10 law), > 0.
    activation_energy_kj_mol : float, optional
        Activation energy, kJ/mol (Arrhenius law), > 0.

    Returns
    -------
    float or numpy.ndarray
        New fraction consumed: a float when ``consumed`` is a scalar and the segments
        are one-dimensional, otherwise an array of shape ``(n_lots,)``.

    Raises
    ------
    ValueError
        If a duration is negative or NaN, the segment arrays have more than two
        dimensions or do not broadcast together or with ``consumed``, or a parameter
        is invalid (see :func:`shelf_life_days`).
    """
    _check_sensitivity(q10, activation_energy_kj_mol)
    _check_ref_temp(ref_temp_c)
    _check_shelf_life(shelf_life_ref_days)
    hours = np.atleast_1d(np.asarray(segment_hours, dtype=np.float64))
    temps = np.atleast_1d(np.asarray(segment_temps_c, dtype=np.float64))
    try:
        hours, temps = np.broadcast_arrays(hours, temps)
    except ValueError as exc:
        raise ValueError(
            f"segment_hours {hours.shape} and segment_temps_c {temps.shape} do not broadcast"
        ) from exc
    if hours.ndim > 2:
        raise ValueError(
            f"segments must have shape (n_segments,) or (n_lots, n_segments), got {hours.shape}"
        )
    if not np.all(hours >= 0.0):
        raise ValueError("segment durations must be >= 0 hours (and not NaN)")
    f0 = np.asarray(consumed, dtype=np.float64)
    if f0.ndim > 1:
        raise ValueError(f"consumed must be a scalar or shape (n_lots,), got {f0.shape}")
    log_rel = _log_relative_rate(temps, ref_temp_c, q10, activation_energy_kj_mol)
    increment = np.sum(hours * _scaled_exp(log_rel), axis=-1) / (
        HOURS_PER_DAY * shelf_life_ref_days
    )
    try:
        result = np.asarray(f0 + increment, dtype=np.float64)
    except ValueError as exc:
        raise ValueError(
            f"consumed {f0.shape} does not match the number of lots in the segments {hours.shape}"
        ) from exc
    return _to_output(result)


@overload
def remaining_shelf_life_days(
    consumed: float,
    temp_c: float,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    limit: float = ...,
    q10: float | None = ...,
    activation_energy_kj_mol: float | None = ...,
) -> float: ...
@overload
def remaining_shelf_life_days(
    consumed: npt.ArrayLike,
    temp_c: npt.ArrayLike,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    limit: npt.ArrayLike = ...,
    q10: float | None = ...,
    activation_energy_kj_mol: float | None = ...,
) -> FloatOrArray: ...
def remaining_shelf_life_days(
    consumed: npt.ArrayLike,
    temp_c: npt.ArrayLike,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    limit: npt.ArrayLike = 1.0,
    q10: float | None = None,
    activation_energy_kj_mol: float | None = None,
) -> FloatOrArray:
    """Days left before a lot reaches ``limit`` if held at constant ``temp_c`` from now.

    Parameters
    ----------
    consumed : float or array_like
        Fraction of shelf life consumed so far.
    temp_c : float or array_like
        Temperature the lot is held at, °C.
    shelf_life_ref_days : float
        Shelf life at ``ref_temp_c``, days, > 0.
    ref_temp_c : float
        Reference temperature, °C.
    limit : float or array_like, default 1.0
        Fraction consumed at which the lot is spoiled (e.g. 1 times the lot's sampled
        variability factor).
    q10 : float, optional
        Rate multiplier per 10 °C warming (Q10 law), > 0.
    activation_energy_kj_mol : float, optional
        Activation energy, kJ/mol (Arrhenius law), > 0.

    Returns
    -------
    float or numpy.ndarray
        ``max(limit - consumed, 0) * SL(T)``, days; a float when all inputs are
        scalars.

    Raises
    ------
    ValueError
        If a parameter is invalid (see :func:`shelf_life_days`).
    """
    sl = shelf_life_days(
        temp_c,
        shelf_life_ref_days=shelf_life_ref_days,
        ref_temp_c=ref_temp_c,
        q10=q10,
        activation_energy_kj_mol=activation_energy_kj_mol,
    )
    left = np.maximum(np.subtract(limit, consumed, dtype=np.float64), 0.0)
    return _to_output(np.asarray(left * sl, dtype=np.float64))


@overload
def hours_to_limit(
    consumed: float,
    temp_c: float,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    limit: float = ...,
    q10: float | None = ...,
    activation_energy_kj_mol: float | None = ...,
) -> float: ...
@overload
def hours_to_limit(
    consumed: npt.ArrayLike,
    temp_c: npt.ArrayLike,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    limit: npt.ArrayLike = ...,
    q10: float | None = ...,
    activation_energy_kj_mol: float | None = ...,
) -> FloatOrArray: ...
def hours_to_limit(
    consumed: npt.ArrayLike,
    temp_c: npt.ArrayLike,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    limit: npt.ArrayLike = 1.0,
    q10: float | None = None,
    activation_energy_kj_mol: float | None = None,
) -> FloatOrArray:
    """Hours at constant ``temp_c`` until the fraction consumed reaches ``limit``.

    Parameters
    ----------
    consumed : float or array_like
        Fraction of shelf life consumed so far.
    temp_c : float or array_like
        Temperature the lot is held at, °C.
    shelf_life_ref_days : float
        Shelf life at ``ref_temp_c``, days, > 0.
    ref_temp_c : float
        Reference temperature, °C.
    limit : float or array_like, default 1.0
        Fraction consumed at which the lot is spoiled.
    q10 : float, optional
        Rate multiplier per 10 °C warming (Q10 law), > 0.
    activation_energy_kj_mol : float, optional
        Activation energy, kJ/mol (Arrhenius law), > 0.

    Returns
    -------
    float or numpy.ndarray
        ``max(limit - consumed, 0) * 24 * SL(T)`` hours (0 if the limit is already
        reached); advancing by this many hours at ``temp_c`` brings ``consumed`` to
        ``limit`` (to rounding). A float when all inputs are scalars.

    Raises
    ------
    ValueError
        If a parameter is invalid (see :func:`shelf_life_days`).
    """
    days = remaining_shelf_life_days(
        consumed,
        temp_c,
        shelf_life_ref_days=shelf_life_ref_days,
        ref_temp_c=ref_temp_c,
        limit=limit,
        q10=q10,
        activation_energy_kj_mol=activation_energy_kj_mol,
    )
    return _to_output(np.asarray(HOURS_PER_DAY * np.asarray(days), dtype=np.float64))
