"""Shelf-life kinetics: how fast a lot uses up its shelf life at a given temperature.

The temperature laws (Q10 and Arrhenius) live in :mod:`.laws`, the exact update of the
consumed fraction over piecewise-constant temperature in :mod:`.consumption`; one product's
parameters, with the scalar path the simulation uses in hot loops, in
:mod:`.parameters`; the shelf life consumed along a measured temperature log
(linear between records) in :mod:`.logs`; a product's temperature law fitted to its
shelf life at two temperatures in :mod:`.calibration`. See :mod:`fieldtotable.kinetics.laws` for the
equations.
"""

from fieldtotable.kinetics.calibration import (
    activation_energy_from_two_shelf_lives,
    calibrate_shelf_life,
    q10_from_two_shelf_lives,
)
from fieldtotable.kinetics.consumption import (
    advance_consumed,
    hours_to_limit,
    remaining_shelf_life_days,
)
from fieldtotable.kinetics.laws import (
    GAS_CONSTANT_J_PER_MOL_K,
    HOURS_PER_DAY,
    ZERO_CELSIUS_K,
    FloatArray,
    FloatOrArray,
    q10_from_activation_energy,
    relative_rate,
    shelf_life_days,
)
from fieldtotable.kinetics.logs import consumed_along, temperature_at
from fieldtotable.kinetics.parameters import Kinetics

__all__ = [
    "GAS_CONSTANT_J_PER_MOL_K",
    "HOURS_PER_DAY",
    "ZERO_CELSIUS_K",
    "FloatArray",
    "FloatOrArray",
    "Kinetics",
    "activation_energy_from_two_shelf_lives",
    "advance_consumed",
    "calibrate_shelf_life",
    "consumed_along",
    "hours_to_limit",
    "q10_from_activation_energy",
    "q10_from_two_shelf_lives",
    "relative_rate",
    "remaining_shelf_life_days",
    "shelf_life_days",
    "temperature_at",
]
