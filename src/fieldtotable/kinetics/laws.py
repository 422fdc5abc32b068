"""Shelf-life kinetics: how fast a lot uses up its shelf life at a given temperature.

Quality is tracked as the fraction of shelf life consumed, ``f`` (0 when fresh; a lot
is spoiled when ``f`` reaches its limit, 1 by default). At a constant temperature
``T`` (°C) held for ``dt`` hours::

    f += dt / (24 * SL(T))

where ``SL(T)`` is the shelf life in days at ``T``. Two temperature laws are supported,
and exactly one of them is used for a product:

* Q10 law: ``SL(T) = SL_ref / Q10 ** ((T - T_ref) / 10)``.
* Arrhenius law: the rate relative to ``T_ref`` is
  ``k(T) / k_ref = exp(-(Ea / R) * (1 / T_K - 1 / Tref_K))`` with ``Ea`` in kJ/mol,
  ``R = 8.314`` J/(mol K) and temperatures in kelvin; ``SL(T) = SL_ref * k_ref / k(T)``.

Because the update is exact for piecewise-constant temperature, no time-stepping is
needed: ``f`` is advanced only when a lot changes place or temperature
(:mod:`~fieldtotable.kinetics.consumption` holds that update). All functions are pure
and accept scalars or numpy arrays (broadcasting); a result computed only from scalars
is returned as a Python ``float``. :class:`~fieldtotable.kinetics.Kinetics` bundles
one product's parameters and offers a pure-``math`` scalar path for hot loops.

References
----------
van Boekel, M. A. J. S. *Kinetic Modeling of Reactions in Foods* (Q10 from Ea).
Saltveit, M. E. USDA Agriculture Handbook 66 (produce Q10 bands).
"""

from __future__ import annotations

import math
from typing import overload

import numpy as np
import numpy.typing as npt

__all__ = [
    "GAS_CONSTANT_J_PER_MOL_K",
    "HOURS_PER_DAY",
    "ZERO_CELSIUS_K",
    "FloatArray",
    "FloatOrArray",
    "q10_from_activation_energy",
    "relative_rate",
    "shelf_life_days",
]

GAS_CONSTANT_J_PER_MOL_K = 8.314
"""Molar gas constant R in J/(mol K), as used in the Arrhenius law."""

ZERO_CELSIUS_K = 273.15
"""0 °C in kelvin."""

HOURS_PER_DAY = 24.0
"""Hours in a day (shelf lives are in days, the simulation clock in hours)."""

FloatArray = npt.NDArray[np.float64]
"""A float64 numpy array."""

FloatOrArray = float | FloatArray
"""A Python float (all inputs scalar) or a float64 array (otherwise)."""


# --------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------


def _check_sensitivity(q10: float | None, activation_energy_kj_mol: float | None) -> None:
    """Check that exactly one valid temperature-sensitivity parameter is given."""
    if q10 is None and activation_energy_kj_mol is None:
        raise ValueError("give exactly one of q10 or activation_energy_kj_mol (got neither)")
    if q10 is not None and activation_energy_kj_mol is not None:
        raise ValueError("give exactly one of q10 or activation_energy_kj_mol (got both)")
    if q10 is not None and not (math.isfinite(q10) and q10 > 0.0):
        raise ValueError(f"q10 must be finite and > 0, got {q10!r}")
    if activation_energy_kj_mol is not None and not (
        math.isfinite(activation_energy_kj_mol) and activation_energy_kj_mol > 0.0
    ):
        raise ValueError(
            f"activation_energy_kj_mol must be finite and > 0, got {activation_energy_kj_mol!r}"
        )


def _check_ref_temp(ref_temp_c: float) -> None:
    """Check that the reference temperature is finite and above absolute zero."""
    if not (math.isfinite(ref_temp_c) and ref_temp_c + ZERO_CELSIUS_K > 0.0):
        raise ValueError(f"ref_temp_c must be finite and above -273.15 °C, got {ref_temp_c!r}")


def _check_shelf_life(shelf_life_ref_days: float) -> None:
    """Check that the reference shelf life is finite and positive."""
    if not (math.isfinite(shelf_life_ref_days) and shelf_life_ref_days > 0.0):
        raise ValueError(f"shelf_life_ref_days must be finite and > 0, got {shelf_life_ref_days!r}")


def _scaled_exp(log_values: npt.ArrayLike, factor: float = 1.0, divisor: float = 1.0) -> FloatArray:
    """Return ``factor * exp(log_values) / divisor``, refusing a result beyond float64.

    A rate or shelf life that overflows to infinity or underflows to zero would make
    a lot never spoil or spoil at once, silently; it is an error instead. (The
    scenario's bounds, :mod:`fieldtotable.scenario.limits`, keep every temperature a
    scenario can reach well inside the range.) NaN temperatures give NaN, as before.

    Raises
    ------
    ValueError
        If a value is infinite or zero.
    """
    with np.errstate(over="ignore", under="ignore"):
        values = np.asarray(factor * np.exp(log_values) / divisor, dtype=np.float64)
    if np.any(np.isinf(values) | (values == 0.0)):
        raise ValueError(
            "the shelf-life rate is beyond the range of a float64 at these temperatures: "
            "the temperature sensitivity (q10 or activation energy) is too large for them"
        )
    return values


def _to_output(values: FloatArray) -> FloatOrArray:
    """Return a 0-d array as a Python float, any other array unchanged."""
    if values.ndim == 0:
        return float(values)
    return values


def _log_relative_rate(
    temp_c: npt.ArrayLike,
    ref_temp_c: float,
    q10: float | None,
    activation_energy_kj_mol: float | None,
) -> FloatArray:
    """Natural log of the rate at ``temp_c`` relative to the rate at ``ref_temp_c``.

    Parameters are assumed validated except the temperatures themselves.
    """
    temp = np.asarray(temp_c, dtype=np.float64)
    if q10 is not None:
        return np.asarray(math.log(q10) / 10.0 * (temp - ref_temp_c), dtype=np.float64)
    assert activation_energy_kj_mol is not None  # guaranteed by _check_sensitivity
    temp_k = temp + ZERO_CELSIUS_K
    if np.any(temp_k <= 0.0):
        raise ValueError("temperatures must be above -273.15 °C for the Arrhenius law")
    ea_over_r = activation_energy_kj_mol * 1000.0 / GAS_CONSTANT_J_PER_MOL_K
    inv_ref_k = 1.0 / (ref_temp_c + ZERO_CELSIUS_K)
    return np.asarray(-ea_over_r * (1.0 / temp_k - inv_ref_k), dtype=np.float64)


# --------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------


@overload
def relative_rate(
    temp_c: float,
    *,
    ref_temp_c: float,
    q10: float | None = ...,
    activation_energy_kj_mol: float | None = ...,
) -> float: ...
@overload
def relative_rate(
    temp_c: npt.ArrayLike,
    *,
    ref_temp_c: float,
    q10: float | None = ...,
    activation_energy_kj_mol: float | None = ...,
) -> FloatOrArray: ...
def relative_rate(
    temp_c: npt.ArrayLike,
    *,
    ref_temp_c: float,
    q10: float | None = None,
    activation_energy_kj_mol: float | None = None,
) -> FloatOrArray:
    """Rate of shelf-life consumption at ``temp_c`` relative to the rate at ``ref_temp_c``.

    Parameters
    ----------
    temp_c : float or array_like
        Temperature(s), °C.
    ref_temp_c : float
        Reference temperature, °C (relative rate 1 there).
    q10 : float, optional
        Rate multiplier per 10 °C warming (Q10 law), > 0.
    activation_energy_kj_mol : float, optional
        Activation energy, kJ/mol (Arrhenius law), > 0.

    Returns
    -------
    float or numpy.ndarray
        ``Q10 ** ((T - T_ref) / 10)`` or ``exp(-(Ea / R) (1 / T_K - 1 / Tref_K))``;
        a float when ``temp_c`` is a scalar.

    Raises
    ------
    ValueError
        If both or neither of ``q10`` and ``activation_energy_kj_mol`` are given, a
        parameter is out of range, or (Arrhenius) a temperature is at or below
        absolute zero.
    """
    _check_sensitivity(q10, activation_energy_kj_mol)
    _check_ref_temp(ref_temp_c)
    log_rel = _log_relative_rate(temp_c, ref_temp_c, q10, activation_energy_kj_mol)
    return _to_output(_scaled_exp(log_rel))


@overload
def shelf_life_days(
    temp_c: float,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    q10: float | None = ...,
    activation_energy_kj_mol: float | None = ...,
) -> float: ...
@overload
def shelf_life_days(
    temp_c: npt.ArrayLike,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    q10: float | None = ...,
    activation_energy_kj_mol: float | None = ...,
) -> FloatOrArray: ...
def shelf_life_days(
    temp_c: npt.ArrayLike,
    *,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    q10: float | None = None,
    activation_energy_kj_mol: float | None = None,
) -> FloatOrArray:
    """Total shelf life, in days, of a fresh lot held at constant ``temp_c``.

    Parameters
    ----------
    temp_c : float or array_like
        Temperature(s), °C.
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
        ``SL(T) = SL_ref / relative_rate(T)``; a float when ``temp_c`` is a scalar.

    Raises
    ------
    ValueError
        As :func:`relative_rate`, or if ``shelf_life_ref_days`` is not > 0.
    """
    _check_sensitivity(q10, activation_energy_kj_mol)
    _check_ref_temp(ref_temp_c)
    _check_shelf_life(shelf_life_ref_days)
    log_rel = _log_relative_rate(temp_c, ref_temp_c, q10, activation_energy_kj_mol)
    return _to_output(_scaled_exp(-log_rel, shelf_life_ref_days))


@overload
def q10_from_activation_energy(activation_energy_kj_mol: float, temp_c: float) -> float: ...
@overload
def q10_from_activation_energy(
    activation_energy_kj_mol: npt.ArrayLike, temp_c: npt.ArrayLike
) -> FloatOrArray: ...
def q10_from_activation_energy(
    activation_energy_kj_mol: npt.ArrayLike, temp_c: npt.ArrayLike
) -> FloatOrArray:
    """Q10 equivalent to an activation energy near ``temp_c`` (van Boekel approximation).

    Parameters
    ----------
    activation_energy_kj_mol : float or array_like
        Activation energy, kJ/mol, > 0.
    temp_c : float or array_like
        Temperature around which the equivalence is taken, °C.

    Returns
    -------
    float or numpy.ndarray
        ``exp(10 * Ea / (R * T_K ** 2))`` with ``Ea`` in J/mol and ``T_K`` in kelvin;
        a float when both inputs are scalars.

    Raises
    ------
    ValueError
        If an activation energy is not finite and > 0 or a temperature is at or below
        absolute zero.
    """
    ea = np.asarray(activation_energy_kj_mol, dtype=np.float64)
    if not np.all(np.isfinite(ea) & (ea > 0.0)):
        raise ValueError("activation_energy_kj_mol must be finite and > 0")
    temp_k = np.asarray(temp_c, dtype=np.float64) + ZERO_CELSIUS_K
    if not np.all(temp_k > 0.0):
        raise ValueError("temperatures must be above -273.15 °C")
    exponent = 10.0 * ea * 1000.0 / (GAS_CONSTANT_J_PER_MOL_K * temp_k**2)
    return _to_output(_scaled_exp(exponent))
