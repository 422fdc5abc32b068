"""The passive parcel box: its temperature and the shelf life used in it, against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import expi

from fieldtotable.kinetics import Kinetics
from fieldtotable.kinetics.passive_box import (
    ARRHENIUS_RELATIVE_TOLERANCE,
    PassiveBox,
    box_consumed,
    box_temperature_c,
)

Q10 = Kinetics(5.0, 2.0, q10=2.0)  # matsutake, baseline_2023.yaml
ARRHENIUS = Kinetics(5.0, 2.0, activation_energy_kj_mol=80.0)

#: (packing °C, outdoor °C, time constant h, ice hold h, hours in the box)
CASES = [
    (0.0, 30.0, 10.0, 6.5, 48.0),  # thin EPS box, 1 kg ice, July in Shanghai
    (0.0, 30.0, 14.0, 24.0, 72.0),  # thick box, 2 kg ice
    (2.0, 25.0, 7.0, 0.0, 24.0),
    (4.0, -10.0, 14.0, 3.0, 72.0),  # a winter parcel cools
    (2.0, 25.0, 7.0, 0.0, 4.9),  # shorter than tau ln 2: the direct rule
    (2.0, 25.0, 7.0, 0.0, 0.003),
    (0.0, 12.0, 9.0, 2.0, 5.0),  # still inside the ice hold... and just past it
]


def textbook_q10(kinetics: Kinetics, box: PassiveBox, hours: float) -> float:
    """``k0 min(t, h) + tau k_out (Ei(x) - Ei(x exp(-s/tau)))``, the textbook closed form."""
    assert kinetics.q10 is not None
    held = min(hours, box.ice_hold_h)
    relaxing = hours - held
    k0 = kinetics.rate_per_h_scalar(box.packing_temp_c)
    k_out = kinetics.rate_per_h_scalar(box.outdoor_temp_c)
    x = math.log(kinetics.q10) / 10 * (box.packing_temp_c - box.outdoor_temp_c)
    tau = box.time_constant_h
    return k0 * held + tau * k_out * (expi(x) - expi(x * math.exp(-relaxing / tau)))


def adaptive(kinetics: Kinetics, box: PassiveBox, hours: float) -> float:
    """The integral of the rate over the box's temperature, by adaptive quadrature."""
    points = [box.ice_hold_h] if 0 < box.ice_hold_h < hours else None
    value, _error = quad(
        lambda t: kinetics.rate_per_h_scalar(box.temperature_c(t)),
        0.0,
        hours,
        epsabs=0.0,
        epsrel=1e-13,
        limit=500,
        points=points,
    )
    return float(value)


def test_temperature_holds_then_relaxes_exponentially() -> None:
    hours = np.array([0.0, 3.0, 6.5, 16.5, 26.5, 1000.0])
    temps = box_temperature_c(
        hours, packing_temp_c=0.0, outdoor_temp_c=30.0, time_constant_h=10.0, ice_hold_h=6.5
    )
    expected = [0.0, 0.0, 0.0, 30 - 30 / math.e, 30 - 30 / math.e**2, 30.0]
    assert np.allclose(temps, expected, rtol=1e-14, atol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_q10_matches_the_exponential_integral(case: tuple[float, ...]) -> None:
    box = PassiveBox(*case[:4])
    hours = case[4]
    got = box.consumed(Q10, hours)
    assert got == pytest.approx(textbook_q10(Q10, box, hours), rel=1e-12)
    assert got == pytest.approx(adaptive(Q10, box, hours), rel=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_arrhenius_within_its_stated_tolerance(case: tuple[float, ...]) -> None:
    box = PassiveBox(*case[:4])
    hours = case[4]
    got = box.consumed(ARRHENIUS, hours)
    assert got == pytest.approx(adaptive(ARRHENIUS, box, hours), rel=ARRHENIUS_RELATIVE_TOLERANCE)


@pytest.mark.parametrize("kinetics", [Q10, ARRHENIUS], ids=["q10", "arrhenius"])
def test_continuous_where_the_rule_switches(kinetics: Kinetics) -> None:
    # Below tau ln 2 of relaxation k(T)/w is integrated directly, above it in split form.
    box = PassiveBox(0.0, 30.0, 10.0, 0.0)
    switch = 10.0 * math.log(2.0)
    for hours in (switch * (1 - 1e-9), switch, switch * (1 + 1e-9)):
        assert box.consumed(kinetics, hours) == pytest.approx(
            adaptive(kinetics, box, hours), rel=1e-12
        )


def test_ice_hold_phase_consumes_at_the_packing_temperature() -> None:
    box = PassiveBox(0.0, 30.0, 10.0, 6.5)
    for kinetics in (Q10, ARRHENIUS):
        for hours in (0.0, 1.0, 6.5):
            expected = hours * kinetics.rate_per_h_scalar(0.0)
            assert box.consumed(kinetics, hours) == pytest.approx(expected, rel=1e-15, abs=0)


@pytest.mark.parametrize("kinetics", [Q10, ARRHENIUS], ids=["q10", "arrhenius"])
def test_limits_of_the_time_constant(kinetics: Kinetics) -> None:
    hours = 40.0
    at_outdoor = hours * kinetics.rate_per_h_scalar(30.0)
    at_packing = hours * kinetics.rate_per_h_scalar(0.0)
    assert PassiveBox(0.0, 30.0, 0.0).consumed(kinetics, hours) == at_outdoor
    assert PassiveBox(0.0, 30.0, math.inf).consumed(kinetics, hours) == at_packing
    # tau -> 0: the box is at the outdoor temperature after a few tau.
    assert PassiveBox(0.0, 30.0, 1e-6).consumed(kinetics, hours) == pytest.approx(
        at_outdoor, rel=1e-7
    )
    # tau -> inf: the box never warms.
    assert PassiveBox(0.0, 30.0, 1e9).consumed(kinetics, hours) == pytest.approx(
        at_packing, rel=1e-6
    )


def test_consumed_grows_with_time_and_outdoor_heat() -> None:
    hours = np.linspace(0.0, 96.0, 50)
    common = {"time_constant_h": 10.0, "ice_hold_h": 6.5, "shelf_life_ref_days": 5.0}
    cool = box_consumed(hours, packing_temp_c=0, outdoor_temp_c=12, ref_temp_c=2, q10=2, **common)
    hot = box_consumed(hours, packing_temp_c=0, outdoor_temp_c=30, ref_temp_c=2, q10=2, **common)
    assert isinstance(cool, np.ndarray)
    assert isinstance(hot, np.ndarray)
    assert np.all(np.diff(cool) > 0)
    past_the_ice = hours > 6.5
    assert np.all(hot[past_the_ice] > cool[past_the_ice])
    assert np.array_equal(hot[~past_the_ice], cool[~past_the_ice])


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="time_constant_h"):
        PassiveBox(0.0, 30.0, -1.0)
    with pytest.raises(ValueError, match="ice_hold_h"):
        PassiveBox(0.0, 30.0, 10.0, math.nan)
    with pytest.raises(ValueError, match="hours"):
        box_consumed(
            -1.0, packing_temp_c=0, outdoor_temp_c=30, time_constant_h=10,
            shelf_life_ref_days=5, ref_temp_c=2, q10=2,
        )  # fmt: skip
