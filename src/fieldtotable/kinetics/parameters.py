"""One product's shelf-life parameters, with a pure-``math`` scalar path for hot loops."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import overload

import numpy.typing as npt

from fieldtotable.kinetics.consumption import (
    advance_consumed,
    hours_to_limit,
    remaining_shelf_life_days,
)
from fieldtotable.kinetics.laws import (
    GAS_CONSTANT_J_PER_MOL_K,
    HOURS_PER_DAY,
    ZERO_CELSIUS_K,
    FloatOrArray,
    _check_ref_temp,
    _check_sensitivity,
    _check_shelf_life,
    _log_relative_rate,
    _scaled_exp,
    _to_output,
    shelf_life_days,
)

__all__ = ["Kinetics"]


@dataclass(frozen=True, slots=True)
class Kinetics:
    """Shelf-life kinetics of one product: reference shelf life and temperature law.

    Parameters
    ----------
    shelf_life_ref_days : float
        Shelf life at ``ref_temp_c``, days, > 0.
    ref_temp_c : float
        Reference temperature, °C (above -273.15).
    q10 : float, optional
        Rate multiplier per 10 °C warming (Q10 law), > 0.
    activation_energy_kj_mol : float, optional
        Activation energy, kJ/mol (Arrhenius law), > 0.

    Raises
    ------
    ValueError
        If both or neither of ``q10`` and ``activation_energy_kj_mol`` are given, or a
        field is out of range.

    Notes
    -----
    Exactly one of ``q10`` and ``activation_energy_kj_mol`` is given. Derived
    constants are computed once at construction so that :meth:`rate_per_h_scalar`
    and :meth:`advance_scalar` use only :mod:`math` in hot loops.
    """

    shelf_life_ref_days: float
    ref_temp_c: float
    q10: float | None = None
    activation_energy_kj_mol: float | None = None
    # Derived constants (not part of equality, hashing or repr).
    _use_q10: bool = field(init=False, repr=False, compare=False)
    _log_coef: float = field(init=False, repr=False, compare=False)
    _inv_ref_temp_k: float = field(init=False, repr=False, compare=False)
    _hours_ref: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_shelf_life(self.shelf_life_ref_days)
        _check_ref_temp(self.ref_temp_c)
        _check_sensitivity(self.q10, self.activation_energy_kj_mol)
        set_ = object.__setattr__
        set_(self, "shelf_life_ref_days", float(self.shelf_life_ref_days))
        set_(self, "ref_temp_c", float(self.ref_temp_c))
        set_(self, "_inv_ref_temp_k", 1.0 / (self.ref_temp_c + ZERO_CELSIUS_K))
        set_(self, "_hours_ref", HOURS_PER_DAY * self.shelf_life_ref_days)
        if self.q10 is not None:
            set_(self, "q10", float(self.q10))
            set_(self, "_use_q10", True)
            set_(self, "_log_coef", math.log(self.q10) / 10.0)
        else:
            assert self.activation_energy_kj_mol is not None
            set_(self, "activation_energy_kj_mol", float(self.activation_energy_kj_mol))
            set_(self, "_use_q10", False)
            set_(
                self,
                "_log_coef",
                self.activation_energy_kj_mol * 1000.0 / GAS_CONSTANT_J_PER_MOL_K,
            )

    @overload
    def rate_per_h(self, temp_c: float) -> float: ...
    @overload
    def rate_per_h(self, temp_c: npt.ArrayLike) -> FloatOrArray: ...
    def rate_per_h(self, temp_c: npt.ArrayLike) -> FloatOrArray:
        """Fraction of shelf life consumed per hour at ``temp_c`` (numpy-vectorised).

        Parameters
        ----------
        temp_c : float or array_like
            Temperature(s), °C.

        Returns
        -------
        float or numpy.ndarray
            ``1 / (24 * SL(T))``; a float when ``temp_c`` is a scalar.

        Raises
        ------
        ValueError
            (Arrhenius) if a temperature is at or below absolute zero.
        """
        log_rel = _log_relative_rate(
            temp_c, self.ref_temp_c, self.q10, self.activation_energy_kj_mol
        )
        return _to_output(_scaled_exp(log_rel, divisor=self._hours_ref))

    def rate_per_h_scalar(self, temp_c: float) -> float:
        """Fraction of shelf life consumed per hour at ``temp_c``; pure-``math`` fast path.

        Parameters
        ----------
        temp_c : float
            Temperature, °C. Not validated: under the Arrhenius law a temperature at
            or below absolute zero gives a meaningless result or ``ZeroDivisionError``.

        Returns
        -------
        float
            Same value as :meth:`rate_per_h` (to rounding).

        Raises
        ------
        ValueError
            If the rate overflows a float64 (a temperature far beyond what the
            parameters allow for).
        """
        try:
            if self._use_q10:
                return math.exp(self._log_coef * (temp_c - self.ref_temp_c)) / self._hours_ref
            return (
                math.exp(-self._log_coef * (1.0 / (temp_c + ZERO_CELSIUS_K) - self._inv_ref_temp_k))
                / self._hours_ref
            )
        except OverflowError:
            raise ValueError(
                f"the shelf-life rate at {temp_c} °C is beyond the range of a float64: the "
                "temperature sensitivity (q10 or activation energy) is too large for it"
            ) from None

    def advance_scalar(self, consumed: float, hours: float, temp_c: float) -> float:
        """Advance one lot by one constant-temperature segment; pure-``math`` fast path.

        Parameters
        ----------
        consumed : float
            Fraction of shelf life consumed so far.
        hours : float
            Duration of the segment, hours (not validated; must be >= 0).
        temp_c : float
            Temperature during the segment, °C.

        Returns
        -------
        float
            ``consumed + hours * rate_per_h_scalar(temp_c)``.
        """
        return consumed + hours * self.rate_per_h_scalar(temp_c)

    @overload
    def shelf_life_days(self, temp_c: float) -> float: ...
    @overload
    def shelf_life_days(self, temp_c: npt.ArrayLike) -> FloatOrArray: ...
    def shelf_life_days(self, temp_c: npt.ArrayLike) -> FloatOrArray:
        """Total shelf life, in days, at constant ``temp_c``; see :func:`shelf_life_days`.

        Parameters
        ----------
        temp_c : float or array_like
            Temperature(s), °C.

        Returns
        -------
        float or numpy.ndarray
            ``SL(T)``, days.
        """
        return shelf_life_days(
            temp_c,
            shelf_life_ref_days=self.shelf_life_ref_days,
            ref_temp_c=self.ref_temp_c,
            q10=self.q10,
            activation_energy_kj_mol=self.activation_energy_kj_mol,
        )

    def advance(
        self,
        consumed: npt.ArrayLike,
        hours: npt.ArrayLike,
        temps_c: npt.ArrayLike,
    ) -> FloatOrArray:
        """Advance the fraction consumed over segments; see :func:`advance_consumed`.

        Parameters
        ----------
        consumed : float or array_like
            Fraction consumed so far, scalar or shape ``(n_lots,)``.
        hours : float or array_like
            Segment durations, hours, shape ``(n_segments,)`` or
            ``(n_lots, n_segments)``.
        temps_c : float or array_like
            Segment temperatures, °C, broadcasting with ``hours``.

        Returns
        -------
        float or numpy.ndarray
            New fraction consumed.
        """
        return advance_consumed(
            consumed,
            hours,
            temps_c,
            shelf_life_ref_days=self.shelf_life_ref_days,
            ref_temp_c=self.ref_temp_c,
            q10=self.q10,
            activation_energy_kj_mol=self.activation_energy_kj_mol,
        )

    @overload
    def remaining_days(self, consumed: float, temp_c: float, limit: float = ...) -> float: ...
    @overload
    def remaining_days(
        self, consumed: npt.ArrayLike, temp_c: npt.ArrayLike, limit: npt.ArrayLike = ...
    ) -> FloatOrArray: ...
    def remaining_days(
        self, consumed: npt.ArrayLike, temp_c: npt.ArrayLike, limit: npt.ArrayLike = 1.0
    ) -> FloatOrArray:
        """Remaining shelf life in days at ``temp_c``; see :func:`remaining_shelf_life_days`.

        Parameters
        ----------
        consumed : float or array_like
            Fraction consumed so far.
        temp_c : float or array_like
            Temperature the lot is held at, °C.
        limit : float or array_like, default 1.0
            Fraction consumed at which the lot is spoiled.

        Returns
        -------
        float or numpy.ndarray
            ``max(limit - consumed, 0) * SL(T)``, days.
        """
        return remaining_shelf_life_days(
            consumed,
            temp_c,
            shelf_life_ref_days=self.shelf_life_ref_days,
            ref_temp_c=self.ref_temp_c,
            limit=limit,
            q10=self.q10,
            activation_energy_kj_mol=self.activation_energy_kj_mol,
        )

    @overload
    def hours_to_limit(self, consumed: float, temp_c: float, limit: float = ...) -> float: ...
    @overload
    def hours_to_limit(
        self, consumed: npt.ArrayLike, temp_c: npt.ArrayLike, limit: npt.ArrayLike = ...
    ) -> FloatOrArray: ...
    def hours_to_limit(
        self, consumed: npt.ArrayLike, temp_c: npt.ArrayLike, limit: npt.ArrayLike = 1.0
    ) -> FloatOrArray:
        """Hours at constant ``temp_c`` until ``limit`` is reached; see :func:`hours_to_limit`.

        Parameters
        ----------
        consumed : float or array_like
            Fraction consumed so far.
        temp_c : float or array_like
            Temperature the lot is held at, °C.
        limit : float or array_like, default 1.0
            Fraction consumed at which the lot is spoiled.

        Returns
        -------
        float or numpy.ndarray
            Hours (0 if the limit is already reached).
        """
        return hours_to_limit(
            consumed,
            temp_c,
            shelf_life_ref_days=self.shelf_life_ref_days,
            ref_temp_c=self.ref_temp_c,
            limit=limit,
            q10=self.q10,
            activation_energy_kj_mol=self.activation_energy_kj_mol,
        )
