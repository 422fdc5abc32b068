"""Closed forms of shelf-life kinetics under piecewise-constant temperature.

Written from the equations alone (domain facts; DESIGN.md section 4), without the
package: the consumed fraction after segments ``(hours_i, T_i)`` is
``f = sum_i hours_i / (24 SL(T_i))`` and the remaining shelf life at ``T`` is
``(1 - f) SL(T)``, with ``SL(T) = SL_ref Q10 ** (-(T - T_ref) / 10)`` (Q10) or
``SL(T) = SL_ref exp((Ea / R) (1 / T_K - 1 / Tref_K))`` (Arrhenius). Used by
``test_kinetics_step_profiles.py`` and ``benchmarks/validation.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

R_J_PER_MOL_K = 8.314
KELVIN = 273.15

#: The brief's history: 24 h at 4 degC, 6 h at 20 degC (a break in the chain), 48 h at 2 degC.
BRIEF_HISTORY = ((24.0, 4.0), (6.0, 20.0), (48.0, 2.0))
#: The history every lot of ``data/step_temperature_channel.yaml`` lives before its sale:
#: 6 h in the field at 20 degC, 23 h in the cold room at 4 degC, 48 h in the reefer at
#: 2 degC, 7 h in the DC at 0 degC; sold at 18:00 on day 3 + harvest day (90 h after
#: the first harvest at 06:00), remaining shelf life measured at the DC's 0 degC.
CHANNEL_HISTORY = ((6.0, 20.0), (23.0, 4.0), (48.0, 2.0), (7.0, 0.0))
CHANNEL_SALE_TEMP_C = 0.0
CHANNEL_FIRST_SALE_H = 90.0
CHANNEL = Path(__file__).resolve().parent / "data" / "step_temperature_channel.yaml"

#: The two products of the channel file: shelf life 10 d at 2 degC.
Q10_PRODUCT = {"shelf_life_days": 10.0, "ref_temp_c": 2.0, "q10": 2.5}
ARRHENIUS_PRODUCT = {"shelf_life_days": 10.0, "ref_temp_c": 2.0, "activation_energy_kj_mol": 80.0}


def shelf_life_days(temp_c: float, product: dict[str, float]) -> float:
    """``SL(T)``, days, of a product given as in the scenario file."""
    reference = product["shelf_life_days"]
    if "q10" in product:
        return reference * product["q10"] ** (-(temp_c - product["ref_temp_c"]) / 10)
    ea_over_r = product["activation_energy_kj_mol"] * 1000 / R_J_PER_MOL_K
    return reference * math.exp(
        ea_over_r * (1 / (temp_c + KELVIN) - 1 / (product["ref_temp_c"] + KELVIN))
    )


def consumed(history: Sequence[tuple[float, float]], product: dict[str, float]) -> float:
    """Fraction of shelf life consumed over ``(hours, degC)`` segments."""
    return sum(hours / (24 * shelf_life_days(temp, product)) for hours, temp in history)


def remaining_days(
    history: Sequence[tuple[float, float]], temp_c: float, product: dict[str, float]
) -> float:
    """Shelf life left at ``temp_c`` after ``history``, days."""
    return (1 - consumed(history, product)) * shelf_life_days(temp_c, product)


def expiry_hour(history: Sequence[tuple[float, float]], product: dict[str, float]) -> float:
    """Hours after the start of ``history`` at which the consumed fraction reaches 1."""
    elapsed, used = 0.0, 0.0
    for hours, temp in history:
        rate = 1 / (24 * shelf_life_days(temp, product))
        if used + hours * rate >= 1:
            return elapsed + (1 - used) / rate
        used += hours * rate
        elapsed += hours
    return math.inf


def cyclic_abuse_loss_days(
    product: dict[str, float], *, abuse_h: float = 24.0, cold_c: float = 4.0, warm_c: float = 23.0
) -> float:
    """Days of shelf life at ``cold_c`` lost to ``abuse_h`` of 2 h cold / 2 h warm cycles.

    Herron et al. (2022): 24 h of 2 h at 4 degC / 2 h at 23 degC cut the shelf life
    of chicken fillets, stored at 4 degC otherwise, by 1.5-2.25 days.
    """
    cycles = round(abuse_h / 4)
    history = [(2.0, cold_c), (2.0, warm_c)] * cycles
    abused_total = abuse_h / 24 + remaining_days(history, cold_c, product)
    return shelf_life_days(cold_c, product) - abused_total
