"""Shelf life used up in a passive parcel box: ice hold, then relaxation to the outdoor air.

A parcel box (expanded polystyrene, gel packs or ice) is packed at ``T0``. While its
ice lasts it holds the packing temperature; then the inside relaxes toward the outdoor
temperature ``T_out`` as a first-order system with time constant ``tau = C / UA``
(contents' heat capacity over the box's conductance)::

    T(t) = T0                                          0 <= t <= h   (ice hold)
    T(t) = T_out + (T0 - T_out) * exp(-(t - h) / tau)  t > h

The fraction of shelf life consumed over the first ``t`` hours in the box is
``F(t) = k(T0) * min(t, h) + G(max(t - h, 0))`` with ``k(T) = exp(L(T)) / (24 SL_ref)``
the rate per hour (``L`` the log relative rate of :mod:`~fieldtotable.kinetics.laws`)
and ``G`` the relaxation integral.

Derivation of ``G``
-------------------
Write ``D = T0 - T_out`` and substitute ``w = exp(-u / tau)`` (``du = -tau dw / w``)::

    G(s) = int_0^s k(T_out + D exp(-u/tau)) du = tau int_{w1}^{1} k(T_out + D w) / w dw

with ``w1 = exp(-s / tau)``. Adding and subtracting ``k_out = k(T_out)`` separates the
logarithmic part, which integrates exactly, from a bounded, smooth remainder::

    G(s) = k_out * s + tau * int_{w1}^{1} g(w) dw,
    g(w) = k_out * expm1(L(T_out + D w) - L(T_out)) / w

(``g`` tends to ``k_out * D * L'(T_out)`` as ``w -> 0``.)

**Q10 law**: ``L(T_out + D w) - L(T_out) = x w`` with ``x = ln(Q10) / 10 * D``, so
``int_{w1}^{1} (e^{x w} - 1) / w dw = E(x) - E(x w1)`` where
``E(y) = int_0^y (e^t - 1) / t dt = Ei(y) - gamma - ln|y| = sum_k y^k / (k k!)`` is
entire (``Ei`` the exponential integral, :func:`scipy.special.expi`; ``gamma``
Euler's constant). Hence the closed form::

    G(s) = k_out * (s + tau * (E(x) - E(x exp(-s/tau))))
         = tau * k_out * (Ei(x) - Ei(x exp(-s/tau)))      (x != 0, the textbook form)

``E`` is evaluated by its series for ``|y| < 0.5`` (no cancellation between ``Ei`` and
``ln|y|`` near 0) and as ``Ei(y) - gamma - ln|y|`` elsewhere.

**Arrhenius law**: ``L`` is not linear in ``T`` and no closed form exists; the remainder
``int g`` is integrated over ``w`` with composite 16-point Gauss-Legendre on ``n`` equal
panels, ``n = 1 + ceil(2 |L(T0) - L(T_out)| (1 - w1))``, so that the log rate changes by
at most about a half across a panel. The relative error of ``G`` is below
:data:`ARRHENIUS_RELATIVE_TOLERANCE` (tested against adaptive quadrature, and against
the Q10 closed form run through the same rule).

**Short relaxations** (``w1 >= 1/2``, i.e. ``s <= tau ln 2``, under either law): the
split form subtracts two nearly equal numbers when the box is still near ``T0`` and
``k_out >> k(T0)``, so ``G = tau int_{w1}^{1} k(T_out + D w) / w dw`` is integrated as it
stands, a positive, smooth integrand on an interval of length at most 1/2, with the same
Gauss-Legendre rule: exact to rounding there.

Limits: ``tau -> 0`` gives ``G = k_out s`` (the box is at once at the outdoor
temperature; ``w1 -> 0`` and the remainder's weight ``tau`` vanishes); ``tau -> inf``
gives ``G = k(T0) s`` (the box never warms). Both are accepted as values
(``time_constant_h=0`` and ``math.inf``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fieldtotable.kinetics.laws import (
    GAS_CONSTANT_J_PER_MOL_K,
    ZERO_CELSIUS_K,
    FloatOrArray,
    _to_output,
)
from fieldtotable.kinetics.parameters import Kinetics

__all__ = [
    "ARRHENIUS_RELATIVE_TOLERANCE",
    "PassiveBox",
    "box_consumed",
    "box_temperature_c",
]

ARRHENIUS_RELATIVE_TOLERANCE = 1e-10
"""Stated relative tolerance of the relaxation integral under the Arrhenius law."""

EULER_GAMMA = 0.57721566490153286061
"""Euler-Mascheroni constant."""

_SERIES_BELOW = 0.5
"""``|y|`` below which ``E(y)`` is summed as its power series."""
_DIRECT_ABOVE = 0.5
"""``w1`` above which (relaxation shorter than ``tau ln 2``) ``k(T) / w`` is integrated
directly by Gauss-Legendre, under either law."""

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(16)


def _entire_ei(y: float) -> float:
    """Return ``E(y) = Ei(y) - gamma - ln|y| = sum_{k>=1} y^k / (k k!)`` (``E(0) = 0``)."""
    if abs(y) < _SERIES_BELOW:
        total, term, k = 0.0, 1.0, 0
        while True:
            k += 1
            term *= y / k  # y^k / k!
            addition = term / k
            total += addition
            if abs(addition) <= 1e-17 * abs(total):
                return total
    from scipy.special import expi  # noqa: PLC0415 -- scipy.special: ~0.2 s to import

    return float(expi(y)) - EULER_GAMMA - math.log(abs(y))


def _gauss_legendre(values_at: object, width: float, panels: int) -> float:
    """Integrate a vectorised function over ``[1 - width, 1]`` with composite 16-point GL.

    The interval is given by its width, not by its lower end: ``1 - w1`` computed from a
    rounded ``w1`` would lose the digits of a short interval (weights use ``width``).
    """
    half = width / (2.0 * panels)
    middle = 1.0 - width + half * (2.0 * np.arange(panels) + 1.0)
    points = middle[:, None] + half * _NODES[None, :]
    values = values_at(points)  # type: ignore[operator]
    return float(half * np.sum(_WEIGHTS[None, :] * values))


@dataclass(frozen=True, slots=True)
class PassiveBox:
    """A packed parcel box: its packing and outdoor temperatures, time constant and ice hold.

    Parameters
    ----------
    packing_temp_c : float
        Temperature of the contents when packed, °C (held while the ice lasts).
    outdoor_temp_c : float
        Temperature of the air around the box, °C (constant during the trip).
    time_constant_h : float
        Time constant of the box without ice, hours, >= 0 (``math.inf``: a perfect box).
    ice_hold_h : float, default 0
        Hours the ice holds the packing temperature before the box starts to warm, >= 0.

    Raises
    ------
    ValueError
        If a temperature is not finite or a duration is negative or NaN.
    """

    packing_temp_c: float
    outdoor_temp_c: float
    time_constant_h: float
    ice_hold_h: float = 0.0

    def __post_init__(self) -> None:
        for name in ("packing_temp_c", "outdoor_temp_c"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be finite, got {getattr(self, name)!r}")
        if not self.time_constant_h >= 0.0:
            raise ValueError(f"time_constant_h must be >= 0, got {self.time_constant_h!r}")
        if not (self.ice_hold_h >= 0.0 and math.isfinite(self.ice_hold_h)):
            raise ValueError(f"ice_hold_h must be finite and >= 0, got {self.ice_hold_h!r}")

    def temperature_c(self, hours: float) -> float:
        """Return the temperature inside the box ``hours`` after packing, °C."""
        relaxing = hours - self.ice_hold_h
        if relaxing <= 0.0 or self.time_constant_h == math.inf:
            return self.packing_temp_c
        if self.time_constant_h == 0.0:
            return self.outdoor_temp_c
        difference = self.packing_temp_c - self.outdoor_temp_c
        return self.outdoor_temp_c + difference * math.exp(-relaxing / self.time_constant_h)

    def consumed(self, kinetics: Kinetics, hours: float) -> float:
        """Return the fraction of shelf life consumed over the first ``hours`` in the box.

        Parameters
        ----------
        kinetics : Kinetics
            The product's shelf-life kinetics.
        hours : float
            Hours since packing, >= 0.

        Returns
        -------
        float
            ``F(hours)`` of the module docstring: exact (closed form) under the Q10 law,
            within :data:`ARRHENIUS_RELATIVE_TOLERANCE` under the Arrhenius law.
        """
        if hours <= 0.0:
            return 0.0
        rate_packed = kinetics.rate_per_h_scalar(self.packing_temp_c)
        held = min(hours, self.ice_hold_h)
        relaxing = hours - held
        consumed = rate_packed * held
        if relaxing <= 0.0:
            return consumed
        tau = self.time_constant_h
        if tau == math.inf:
            return consumed + rate_packed * relaxing
        rate_out = kinetics.rate_per_h_scalar(self.outdoor_temp_c)
        if tau == 0.0 or self.packing_temp_c == self.outdoor_temp_c:
            return consumed + rate_out * relaxing
        return consumed + self._relaxation(kinetics, relaxing)

    def _relaxation(self, kinetics: Kinetics, hours: float) -> float:
        """Return ``G(hours)``, the shelf life used while the box relaxes (module docstring)."""
        tau = self.time_constant_h
        scaled = hours / tau
        low = math.exp(-scaled)  # w1
        width = -math.expm1(-scaled)  # 1 - w1, exact also when scaled is tiny
        rate_out = kinetics.rate_per_h_scalar(self.outdoor_temp_c)
        difference = self.packing_temp_c - self.outdoor_temp_c
        outdoor_k = self.outdoor_temp_c + ZERO_CELSIUS_K
        if kinetics.q10 is not None:
            slope = math.log(kinetics.q10) / 10.0

            def log_change(w: np.ndarray) -> np.ndarray:
                return np.asarray(slope * difference * w)

        else:
            assert kinetics.activation_energy_kj_mol is not None
            ea_over_r = kinetics.activation_energy_kj_mol * 1000.0 / GAS_CONSTANT_J_PER_MOL_K

            def log_change(w: np.ndarray) -> np.ndarray:
                inside_k = outdoor_k + difference * w
                return np.asarray(-ea_over_r * (1.0 / inside_k - 1.0 / outdoor_k))

        panels = 1 + math.ceil(2.0 * abs(float(log_change(np.asarray(1.0)))) * width)
        if low >= _DIRECT_ABOVE:
            # Short relaxation: integrate k(T)/w itself, all positive, no cancellation.
            def rate_over_w(w: np.ndarray) -> np.ndarray:
                return np.asarray(np.exp(log_change(w)) / w)

            return tau * rate_out * _gauss_legendre(rate_over_w, width, panels)
        if kinetics.q10 is not None:
            x = slope * difference
            return rate_out * (hours + tau * (_entire_ei(x) - _entire_ei(x * low)))

        def remainder(w: np.ndarray) -> np.ndarray:
            return np.asarray(np.expm1(log_change(w)) / w)

        return rate_out * (hours + tau * _gauss_legendre(remainder, width, panels))


def box_temperature_c(
    hours: npt.ArrayLike,
    *,
    packing_temp_c: float,
    outdoor_temp_c: float,
    time_constant_h: float,
    ice_hold_h: float = 0.0,
) -> FloatOrArray:
    """Temperature inside a passive box ``hours`` after packing (module docstring).

    Parameters
    ----------
    hours : float or array_like
        Hours since packing.
    packing_temp_c, outdoor_temp_c, time_constant_h, ice_hold_h
        As for :class:`PassiveBox`.

    Returns
    -------
    float or numpy.ndarray
        °C; a float when ``hours`` is a scalar.
    """
    box = PassiveBox(packing_temp_c, outdoor_temp_c, time_constant_h, ice_hold_h)
    values = np.vectorize(box.temperature_c, otypes=[np.float64])(hours)
    return _to_output(np.asarray(values, dtype=np.float64))


def box_consumed(
    hours: npt.ArrayLike,
    *,
    packing_temp_c: float,
    outdoor_temp_c: float,
    time_constant_h: float,
    ice_hold_h: float = 0.0,
    shelf_life_ref_days: float,
    ref_temp_c: float,
    q10: float | None = None,
    activation_energy_kj_mol: float | None = None,
) -> FloatOrArray:
    """Fraction of shelf life consumed during the first ``hours`` in a passive box.

    Parameters
    ----------
    hours : float or array_like
        Hours since packing, >= 0.
    packing_temp_c, outdoor_temp_c, time_constant_h, ice_hold_h
        As for :class:`PassiveBox`.
    shelf_life_ref_days, ref_temp_c, q10, activation_energy_kj_mol
        As for :class:`~fieldtotable.kinetics.Kinetics`.

    Returns
    -------
    float or numpy.ndarray
        ``F(hours)``; a float when ``hours`` is a scalar.

    Raises
    ------
    ValueError
        If a parameter is invalid or an hour is negative or NaN.

    Examples
    --------
    Matsutake (5 d at 2 °C, Q10 2) in a thin box with 6.5 h of ice, 10 h time constant,
    on a 30 °C July day, after 48 h:

    >>> round(box_consumed(48, packing_temp_c=0, outdoor_temp_c=30, time_constant_h=10,
    ...                    ice_hold_h=6.5, shelf_life_ref_days=5, ref_temp_c=2, q10=2), 3)
    1.689
    """
    values = np.asarray(hours, dtype=np.float64)
    if not np.all(values >= 0.0):
        raise ValueError("hours must be >= 0 (and not NaN)")
    kinetics = Kinetics(shelf_life_ref_days, ref_temp_c, q10, activation_energy_kj_mol)
    box = PassiveBox(packing_temp_c, outdoor_temp_c, time_constant_h, ice_hold_h)
    result = np.vectorize(lambda h: box.consumed(kinetics, float(h)), otypes=[np.float64])(values)
    return _to_output(np.asarray(result, dtype=np.float64))
