"""Shelf-life kinetics: how fast a lot uses up its shelf life at a given temperature.

The temperature laws (Q10 and Arrhenius) and the exact update of the consumed
fraction over piecewise-constant temperature live in :mod:`.laws`; one product's
parameters, with the scalar path the simulation uses in hot loops, in
:mod:`.parameters`. See :mod:`fieldtotable.kinetics.laws` for the equations.
"""

from fieldtotable.kinetics.laws import (
    GAS_CONSTANT_J_PER_MOL_K,
    HOURS_PER_DAY,
    ZERO_CELSIUS_K,
    FloatArray,
    FloatOrArray,
    advance_consumed,
    hours_to_limit,
    q10_from_activation_energy,
    relative_rate,
    remaining_shelf_life_days,
    shelf_life_days,
)
from fieldtotable.kinetics.parameters import Kinetics

__all__ = [
    "GAS_CONSTANT_J_PER_MOL_K",
    "HOURS_PER_DAY",
    "ZERO_CELSIUS_K",
    "FloatArray",
    "FloatOrArray",
    "Kinetics",
    "advance_consumed",
    "hours_to_limit",
    "q10_from_activation_energy",
    "relative_rate",
    "remaining_shelf_life_days",
    "shelf_life_days",
]
