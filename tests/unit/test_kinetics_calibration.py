"""Tests for fieldtotable.kinetics.calibration (temperature law from two shelf lives)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.kinetics import (
    GAS_CONSTANT_J_PER_MOL_K,
    Kinetics,
    activation_energy_from_two_shelf_lives,
    calibrate_shelf_life,
    q10_from_two_shelf_lives,
    shelf_life_days,
)

REL = 1e-9

temps = st.floats(min_value=-30.0, max_value=45.0, allow_nan=False)
shelf_lives = st.floats(min_value=0.1, max_value=1000.0, allow_nan=False)
q10s = st.floats(min_value=1.0, max_value=8.0, allow_nan=False)
eas = st.floats(min_value=5.0, max_value=200.0, allow_nan=False)


@st.composite
def two_temperatures(draw: st.DrawFn) -> tuple[float, float]:
    """Two temperatures at least 1 °C apart, in either order."""
    first = draw(temps)
    second = draw(temps.filter(lambda t: abs(t - first) >= 1.0))
    return first, second


# ------------------------------------------------------------------ closed forms


def test_q10_closed_form_exact_values() -> None:
    assert q10_from_two_shelf_lives(10, 0, 5, 10) == 2.0
    assert q10_from_two_shelf_lives(8, 2, 3, 12) == pytest.approx(8 / 3, rel=1e-15)
    # 20 °C apart: the ratio is Q10 squared
    assert q10_from_two_shelf_lives(9, 0, 1, 20) == pytest.approx(3.0, rel=1e-15)
    # 5 °C apart: the ratio is the square root of Q10
    assert q10_from_two_shelf_lives(2, 4, 1, 9) == pytest.approx(4.0, rel=1e-15)


def test_q10_is_symmetric_in_the_order_of_the_measurements() -> None:
    forward = q10_from_two_shelf_lives(12, 0, 4, 8)
    assert q10_from_two_shelf_lives(4, 8, 12, 0) == pytest.approx(forward, rel=1e-15)


def test_q10_of_equal_shelf_lives_is_one() -> None:
    assert q10_from_two_shelf_lives(30, 5, 30, 25) == 1.0


def test_activation_energy_closed_form_exact_value() -> None:
    t1_k, t2_k = 273.15, 283.15
    expected = GAS_CONSTANT_J_PER_MOL_K * math.log(2.0) / (1 / t1_k - 1 / t2_k) / 1000.0
    got = activation_energy_from_two_shelf_lives(10, 0, 5, 10)
    assert got == pytest.approx(expected, rel=1e-14)
    assert got == pytest.approx(44.5710896925784, rel=1e-12)


def test_activation_energy_is_symmetric_in_the_order_of_the_measurements() -> None:
    forward = activation_energy_from_two_shelf_lives(12, 0, 4, 8)
    assert activation_energy_from_two_shelf_lives(4, 8, 12, 0) == pytest.approx(forward)


def test_calibrate_defaults_to_the_first_measurement_as_reference() -> None:
    assert calibrate_shelf_life(8, 2, 3, 12) == {
        "shelf_life_days": 8.0,
        "ref_temp_c": 2.0,
        "q10": pytest.approx(8 / 3, rel=1e-15),
    }


def test_calibrate_with_another_reference_temperature() -> None:
    fields = calibrate_shelf_life(10, 0, 5, 10, ref_temp_c=2)
    assert fields["q10"] == 2.0
    assert fields["ref_temp_c"] == 2.0
    assert fields["shelf_life_days"] == pytest.approx(10 / 2**0.2, rel=1e-14)
    assert list(fields) == ["shelf_life_days", "ref_temp_c", "q10"]


def test_calibrate_arrhenius_fields() -> None:
    fields = calibrate_shelf_life(8, 2, 3, 12, law="arrhenius")
    assert list(fields) == ["shelf_life_days", "ref_temp_c", "activation_energy_kj_mol"]
    assert fields["activation_energy_kj_mol"] == activation_energy_from_two_shelf_lives(8, 2, 3, 12)
    assert fields["shelf_life_days"] == 8.0


def test_calibrated_fields_build_a_kinetics() -> None:
    fields = calibrate_shelf_life(20, 0, 6, 15, ref_temp_c=4, law="arrhenius")
    kinetics = Kinetics(
        fields["shelf_life_days"],
        fields["ref_temp_c"],
        activation_energy_kj_mol=fields["activation_energy_kj_mol"],
    )
    assert kinetics.shelf_life_days(0.0) == pytest.approx(20.0, rel=REL)
    assert kinetics.shelf_life_days(15.0) == pytest.approx(6.0, rel=REL)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((0, 2, 3, 12), "shelf_life_1_days must be > 0 days, got 0.0"),
        ((8, 2, -1, 12), "shelf_life_2_days must be > 0 days, got -1.0"),
        ((math.nan, 2, 3, 12), "shelf_life_1_days must be finite, got nan"),
        ((8, math.inf, 3, 12), "temp_1_c must be finite, got inf"),
        ((8, 2, 3, -300), r"temp_2_c must be above -273\.15 °C, got -300\.0"),
        ((8, 5, 3, 5), r"different temperatures \(both at 5\.0 °C\)"),
        ((3, 2, 8, 12), "must not be longer at the warmer temperature"),
        ((8, 12, 3, 2), "must not be longer at the warmer temperature"),
    ],
)
def test_invalid_measurements_are_rejected(
    arguments: tuple[float, float, float, float], message: str
) -> None:
    for function in (q10_from_two_shelf_lives, activation_energy_from_two_shelf_lives):
        with pytest.raises(ValueError, match=message):
            function(*arguments)
    with pytest.raises(ValueError, match=message):
        calibrate_shelf_life(*arguments)


@pytest.mark.parametrize("bad", ["8", None, True, [8]])
def test_non_numbers_are_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match=r"shelf_life_1_days must be a number"):
        q10_from_two_shelf_lives(bad, 2, 3, 12)  # type: ignore[arg-type]


def test_equal_shelf_lives_have_no_activation_energy() -> None:
    with pytest.raises(ValueError, match="activation energy would be 0"):
        activation_energy_from_two_shelf_lives(30, 5, 30, 25)
    with pytest.raises(ValueError, match="activation energy would be 0"):
        calibrate_shelf_life(30, 5, 30, 25, law="arrhenius")


def test_unknown_law_and_bad_reference_are_rejected() -> None:
    with pytest.raises(ValueError, match="law must be 'q10' or 'arrhenius', got 'linear'"):
        calibrate_shelf_life(8, 2, 3, 12, law="linear")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"ref_temp_c must be above -273\.15 °C"):
        calibrate_shelf_life(8, 2, 3, 12, ref_temp_c=-280)
    with pytest.raises(ValueError, match="ref_temp_c must be finite"):
        calibrate_shelf_life(8, 2, 3, 12, ref_temp_c=math.nan)


# ------------------------------------------------------------------ round trips (properties)


@settings(max_examples=200, deadline=None)
@given(shelf_lives, two_temperatures(), q10s)
def test_q10_round_trip_from_the_law(
    reference_life: float, temperatures: tuple[float, float], q10: float
) -> None:
    temp_1, temp_2 = temperatures
    life_1 = shelf_life_days(temp_1, shelf_life_ref_days=reference_life, ref_temp_c=4.0, q10=q10)
    life_2 = shelf_life_days(temp_2, shelf_life_ref_days=reference_life, ref_temp_c=4.0, q10=q10)
    assert q10_from_two_shelf_lives(life_1, temp_1, life_2, temp_2) == pytest.approx(q10, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(shelf_lives, two_temperatures(), eas)
def test_activation_energy_round_trip_from_the_law(
    reference_life: float, temperatures: tuple[float, float], activation_energy: float
) -> None:
    temp_1, temp_2 = temperatures
    law = {"shelf_life_ref_days": reference_life, "ref_temp_c": 4.0}
    life_1 = shelf_life_days(temp_1, activation_energy_kj_mol=activation_energy, **law)
    life_2 = shelf_life_days(temp_2, activation_energy_kj_mol=activation_energy, **law)
    fitted = activation_energy_from_two_shelf_lives(life_1, temp_1, life_2, temp_2)
    assert fitted == pytest.approx(activation_energy, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    shelf_lives,
    st.floats(min_value=1.0001, max_value=8.0),
    two_temperatures(),
    temps,
    st.sampled_from(["q10", "arrhenius"]),
)
def test_calibrated_product_reproduces_both_measurements(
    colder_life: float,
    ratio: float,
    temperatures: tuple[float, float],
    reference: float,
    law: str,
) -> None:
    colder, warmer = sorted(temperatures)
    warmer_life = colder_life / ratio
    fields = calibrate_shelf_life(
        colder_life,
        colder,
        warmer_life,
        warmer,
        ref_temp_c=reference,
        law="q10" if law == "q10" else "arrhenius",
    )
    sensitivity = {
        key: value for key, value in fields.items() if key not in ("shelf_life_days", "ref_temp_c")
    }
    for temp, life in ((colder, colder_life), (warmer, warmer_life)):
        predicted = shelf_life_days(
            temp,
            shelf_life_ref_days=fields["shelf_life_days"],
            ref_temp_c=fields["ref_temp_c"],
            **sensitivity,
        )
        assert predicted == pytest.approx(life, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(shelf_lives, st.floats(min_value=1.0, max_value=8.0), two_temperatures())
def test_q10_grows_with_the_ratio_and_is_at_least_one(
    colder_life: float, ratio: float, temperatures: tuple[float, float]
) -> None:
    colder, warmer = sorted(temperatures)
    q10 = q10_from_two_shelf_lives(colder_life, colder, colder_life / ratio, warmer)
    assert q10 >= 1.0
    steeper = q10_from_two_shelf_lives(colder_life, colder, colder_life / (ratio * 1.5), warmer)
    assert steeper > q10


@settings(max_examples=200, deadline=None)
@given(shelf_lives, st.floats(min_value=1.01, max_value=8.0), two_temperatures())
def test_both_laws_agree_on_the_q10_between_the_measurements(
    colder_life: float, ratio: float, temperatures: tuple[float, float]
) -> None:
    # Both laws pass through the two measurements, so over the measured interval they
    # give the same slowdown: exp(10 Ea / (R T1_K T2_K)) is exactly the fitted Q10.
    colder, warmer = sorted(temperatures)
    warmer_life = colder_life / ratio
    q10 = q10_from_two_shelf_lives(colder_life, colder, warmer_life, warmer)
    energy_j = 1000.0 * activation_energy_from_two_shelf_lives(
        colder_life, colder, warmer_life, warmer
    )
    colder_k, warmer_k = colder + 273.15, warmer + 273.15
    q10_from_energy = math.exp(10.0 * energy_j / (GAS_CONSTANT_J_PER_MOL_K * colder_k * warmer_k))
    assert q10_from_energy == pytest.approx(q10, rel=1e-9)
