"""Calibrate a product's temperature sensitivity from two shelf-life measurements.

A shelf-life study usually gives a product's shelf life at two storage temperatures
(say 8 days at 2 °C and 3 days at 12 °C). Those two points fix the temperature law
that :mod:`fieldtotable.kinetics.laws` applies, in closed form:

* Q10 law: ``Q10 = (SL1 / SL2) ** (10 / (T2 - T1))``.
* Arrhenius law: ``Ea = R * ln(SL1 / SL2) / (1 / T1_K - 1 / T2_K)``, in kJ/mol, with
  ``R = 8.314`` J/(mol K) and temperatures in kelvin.

Both laws pass exactly through the two measurements; they differ in between and
outside them (Arrhenius is slightly less sensitive at warmer temperatures).
:func:`calibrate_shelf_life` returns the fields of a scenario product
(``shelf_life_days``, ``ref_temp_c`` and ``q10`` or ``activation_energy_kj_mol``),
ready to paste into YAML or pass to :func:`fieldtotable.apply_overrides`::

    from fieldtotable.kinetics import calibrate_shelf_life

    calibrate_shelf_life(8, 2, 3, 12)       # {'shelf_life_days': 8.0, 'ref_temp_c': 2.0,
                                            #  'q10': 2.666...}
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Literal

from fieldtotable.kinetics.laws import (
    GAS_CONSTANT_J_PER_MOL_K,
    ZERO_CELSIUS_K,
    shelf_life_days,
)

__all__ = [
    "activation_energy_from_two_shelf_lives",
    "calibrate_shelf_life",
    "q10_from_two_shelf_lives",
]

TemperatureLaw = Literal["q10", "arrhenius"]
"""The temperature law a calibration fits: ``"q10"`` or ``"arrhenius"``."""


def _check_number(value: object, name: str) -> float:
    """Return ``value`` as a float; reject non-numbers, booleans and non-finite values."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def _check_measurements(
    shelf_life_1_days: float,
    temp_1_c: float,
    shelf_life_2_days: float,
    temp_2_c: float,
) -> tuple[float, float, float, float]:
    """Validate two (shelf life, temperature) measurements; return them as floats.

    Raises
    ------
    TypeError
        If a value is not a number.
    ValueError
        If a value is not finite, a shelf life is not > 0, a temperature is at or
        below absolute zero, the temperatures are equal, or the shelf life is longer
        at the warmer temperature.
    """
    life_1 = _check_number(shelf_life_1_days, "shelf_life_1_days")
    temp_1 = _check_number(temp_1_c, "temp_1_c")
    life_2 = _check_number(shelf_life_2_days, "shelf_life_2_days")
    temp_2 = _check_number(temp_2_c, "temp_2_c")
    for name, life in (("shelf_life_1_days", life_1), ("shelf_life_2_days", life_2)):
        if life <= 0.0:
            raise ValueError(f"{name} must be > 0 days, got {life!r}")
    for name, temp in (("temp_1_c", temp_1), ("temp_2_c", temp_2)):
        if temp + ZERO_CELSIUS_K <= 0.0:
            raise ValueError(f"{name} must be above -273.15 °C, got {temp!r}")
    if temp_1 == temp_2:
        raise ValueError(
            f"the two measurements must be at different temperatures (both at {temp_1!r} °C)"
        )
    colder_life, warmer_life = (life_1, life_2) if temp_1 < temp_2 else (life_2, life_1)
    if warmer_life > colder_life:
        raise ValueError(
            "the shelf life must not be longer at the warmer temperature "
            f"({life_1!r} d at {temp_1!r} °C, {life_2!r} d at {temp_2!r} °C)"
        )
    return life_1, temp_1, life_2, temp_2


def q10_from_two_shelf_lives(
    shelf_life_1_days: float,
    temp_1_c: float,
    shelf_life_2_days: float,
    temp_2_c: float,
) -> float:
    """Q10 that matches a product's shelf life measured at two temperatures.

    Parameters
    ----------
    shelf_life_1_days : float
        Shelf life, days, of a lot held at ``temp_1_c``; > 0.
    temp_1_c : float
        Temperature of the first measurement, °C.
    shelf_life_2_days : float
        Shelf life, days, of a lot held at ``temp_2_c``; > 0.
    temp_2_c : float
        Temperature of the second measurement, °C; differs from ``temp_1_c``.

    Returns
    -------
    float
        ``(SL1 / SL2) ** (10 / (T2 - T1))``, >= 1: the factor by which the shelf life
        shortens for every 10 °C of warming (1 when both shelf lives are equal). With
        ``shelf_life_days=SL1`` at ``ref_temp_c=T1`` it gives back ``SL2`` at ``T2``.

    Raises
    ------
    TypeError
        If a value is not a number.
    ValueError
        If a value is not finite, a shelf life is not > 0, a temperature is at or
        below -273.15 °C, the two temperatures are equal, or the shelf life is longer
        at the warmer temperature.

    Examples
    --------
    >>> q10_from_two_shelf_lives(10, 0, 5, 10)
    2.0
    """
    life_1, temp_1, life_2, temp_2 = _check_measurements(
        shelf_life_1_days, temp_1_c, shelf_life_2_days, temp_2_c
    )
    return float((life_1 / life_2) ** (10.0 / (temp_2 - temp_1)))


def activation_energy_from_two_shelf_lives(
    shelf_life_1_days: float,
    temp_1_c: float,
    shelf_life_2_days: float,
    temp_2_c: float,
) -> float:
    """Arrhenius activation energy, kJ/mol, that matches two shelf-life measurements.

    Parameters
    ----------
    shelf_life_1_days : float
        Shelf life, days, of a lot held at ``temp_1_c``; > 0.
    temp_1_c : float
        Temperature of the first measurement, °C.
    shelf_life_2_days : float
        Shelf life, days, of a lot held at ``temp_2_c``; > 0, shorter than
        ``shelf_life_1_days`` if ``temp_2_c`` is warmer (and the reverse).
    temp_2_c : float
        Temperature of the second measurement, °C; differs from ``temp_1_c``.

    Returns
    -------
    float
        ``R * ln(SL1 / SL2) / (1 / T1_K - 1 / T2_K) / 1000``, kJ/mol, > 0, with
        ``R = 8.314`` J/(mol K) (:data:`~fieldtotable.kinetics.GAS_CONSTANT_J_PER_MOL_K`,
        the constant the simulation uses) and temperatures in kelvin. With
        ``shelf_life_days=SL1`` at ``ref_temp_c=T1`` it gives back ``SL2`` at ``T2``.

    Raises
    ------
    TypeError
        If a value is not a number.
    ValueError
        As :func:`q10_from_two_shelf_lives`, or if both shelf lives are equal (an
        activation energy of 0, which the Arrhenius law does not accept; use
        ``q10: 1`` for a product whose shelf life does not depend on temperature).

    Examples
    --------
    >>> round(activation_energy_from_two_shelf_lives(10, 0, 5, 10), 2)
    44.57
    """
    life_1, temp_1, life_2, temp_2 = _check_measurements(
        shelf_life_1_days, temp_1_c, shelf_life_2_days, temp_2_c
    )
    if life_1 == life_2:
        raise ValueError(
            f"both shelf lives are {life_1!r} d: the activation energy would be 0, which the "
            "Arrhenius law does not accept (use q10: 1 for a temperature-insensitive product)"
        )
    inverse_temp_difference = 1.0 / (temp_1 + ZERO_CELSIUS_K) - 1.0 / (temp_2 + ZERO_CELSIUS_K)
    joule_per_mol = GAS_CONSTANT_J_PER_MOL_K * math.log(life_1 / life_2) / inverse_temp_difference
    return float(joule_per_mol / 1000.0)


def calibrate_shelf_life(
    shelf_life_1_days: float,
    temp_1_c: float,
    shelf_life_2_days: float,
    temp_2_c: float,
    *,
    ref_temp_c: float | None = None,
    law: TemperatureLaw = "q10",
) -> dict[str, float]:
    """Fields of a scenario product fitted to its shelf life at two temperatures.

    Parameters
    ----------
    shelf_life_1_days, temp_1_c, shelf_life_2_days, temp_2_c : float
        The two measurements, as for :func:`q10_from_two_shelf_lives`.
    ref_temp_c : float, optional
        Reference temperature of the product, °C (default: ``temp_1_c``). Usually the
        cold-chain setpoint; the shelf life there follows from the fitted law.
    law : {"q10", "arrhenius"}, default "q10"
        The temperature law to fit.

    Returns
    -------
    dict of str to float
        ``shelf_life_days``, ``ref_temp_c`` and either ``q10`` or
        ``activation_energy_kj_mol``: the kinetics fields of a product in a scenario
        (its ``products.<id>`` entry), whose shelf life at ``temp_1_c`` and
        ``temp_2_c`` is the measured one (to rounding).

    Raises
    ------
    TypeError
        If a value is not a number.
    ValueError
        As :func:`q10_from_two_shelf_lives` and
        :func:`activation_energy_from_two_shelf_lives`, for an unknown ``law``, or a
        ``ref_temp_c`` that is not finite or is at or below -273.15 °C.

    Examples
    --------
    >>> calibrate_shelf_life(10, 0, 5, 10, ref_temp_c=2)
    {'shelf_life_days': 8.705505632961241, 'ref_temp_c': 2.0, 'q10': 2.0}
    """
    if law not in ("q10", "arrhenius"):
        raise ValueError(f"law must be 'q10' or 'arrhenius', got {law!r}")
    q10: float | None = None
    activation_energy_kj_mol: float | None = None
    if law == "q10":
        q10 = q10_from_two_shelf_lives(shelf_life_1_days, temp_1_c, shelf_life_2_days, temp_2_c)
    else:
        activation_energy_kj_mol = activation_energy_from_two_shelf_lives(
            shelf_life_1_days, temp_1_c, shelf_life_2_days, temp_2_c
        )
    reference = _check_number(temp_1_c if ref_temp_c is None else ref_temp_c, "ref_temp_c")
    if reference + ZERO_CELSIUS_K <= 0.0:
        raise ValueError(f"ref_temp_c must be above -273.15 °C, got {reference!r}")
    shelf_life_at_reference = shelf_life_days(
        reference,
        shelf_life_ref_days=float(shelf_life_1_days),
        ref_temp_c=float(temp_1_c),
        q10=q10,
        activation_energy_kj_mol=activation_energy_kj_mol,
    )
    fields = {"shelf_life_days": shelf_life_at_reference, "ref_temp_c": reference}
    if q10 is not None:
        fields["q10"] = q10
    if activation_energy_kj_mol is not None:
        fields["activation_energy_kj_mol"] = activation_energy_kj_mol
    return fields
