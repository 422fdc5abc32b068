"""Unit and property tests for fieldtotable.kinetics (shelf-life consumption)."""

from __future__ import annotations

import dataclasses
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.kinetics import (
    GAS_CONSTANT_J_PER_MOL_K,
    FloatOrArray,
    Kinetics,
    advance_consumed,
    hours_to_limit,
    q10_from_activation_energy,
    relative_rate,
    remaining_shelf_life_days,
    shelf_life_days,
)

REL = 1e-12

temps = st.floats(min_value=-30.0, max_value=45.0, allow_nan=False)
ref_temps = st.floats(min_value=-5.0, max_value=25.0, allow_nan=False)
shelf_lives = st.floats(min_value=0.5, max_value=400.0, allow_nan=False)
q10s = st.floats(min_value=1.0, max_value=6.0, allow_nan=False)
eas = st.floats(min_value=10.0, max_value=200.0, allow_nan=False)
hours_st = st.floats(min_value=0.0, max_value=500.0, allow_nan=False)
fractions = st.floats(min_value=0.0, max_value=2.0, allow_nan=False)


@st.composite
def kinetics_st(draw: st.DrawFn) -> Kinetics:
    sl = draw(shelf_lives)
    ref = draw(ref_temps)
    if draw(st.booleans()):
        return Kinetics(sl, ref, q10=draw(q10s))
    return Kinetics(sl, ref, activation_energy_kj_mol=draw(eas))


def _scalar(x: FloatOrArray) -> float:
    assert isinstance(x, float)
    assert not isinstance(x, np.generic)  # a Python float, not a numpy scalar
    return x


segments_st = st.lists(st.tuples(hours_st, temps), min_size=1, max_size=8)


# ------------------------------------------------------------------ closed forms


def test_gas_constant() -> None:
    assert GAS_CONSTANT_J_PER_MOL_K == 8.314


@pytest.mark.parametrize(
    "kin",
    [Kinetics(5.0, 2.0, q10=3.0), Kinetics(730.0, 13.0, activation_energy_kj_mol=110.0)],
)
def test_shelf_life_at_reference_equals_reference(kin: Kinetics) -> None:
    assert kin.shelf_life_days(kin.ref_temp_c) == pytest.approx(kin.shelf_life_ref_days, rel=REL)
    rel = relative_rate(
        kin.ref_temp_c,
        ref_temp_c=kin.ref_temp_c,
        q10=kin.q10,
        activation_energy_kj_mol=kin.activation_energy_kj_mol,
    )
    assert rel == pytest.approx(1.0, rel=REL)
    assert kin.rate_per_h_scalar(kin.ref_temp_c) == pytest.approx(
        1.0 / (24.0 * kin.shelf_life_ref_days), rel=REL
    )


def test_q10_two_halves_shelf_life_per_ten_degrees() -> None:
    sl = shelf_life_days(14.0, shelf_life_ref_days=8.0, ref_temp_c=4.0, q10=2.0)
    assert sl == pytest.approx(4.0, rel=REL)
    sl_cold = shelf_life_days(-6.0, shelf_life_ref_days=8.0, ref_temp_c=4.0, q10=2.0)
    assert sl_cold == pytest.approx(16.0, rel=REL)
    assert relative_rate(24.0, ref_temp_c=4.0, q10=2.0) == pytest.approx(4.0, rel=REL)


def test_q10_one_is_temperature_insensitive() -> None:
    sl = shelf_life_days([-18.0, 0.0, 30.0], shelf_life_ref_days=270.0, ref_temp_c=-18.0, q10=1.0)
    np.testing.assert_allclose(sl, 270.0, rtol=REL)


def test_arrhenius_hand_computed_value() -> None:
    # Ea = 110 kJ/mol (honey HMF), from 15 °C to 25 °C, by hand:
    # 1/288.15 - 1/298.15 = 10 / 85911.9225 = 1.163982e-4; 110000 / 8.314 = 13230.695
    # exponent = 1.540040; exp(1.540040) = 4.66473
    expected = math.exp(110_000.0 / 8.314 * (1.0 / 288.15 - 1.0 / 298.15))
    assert expected == pytest.approx(4.66473, rel=1e-5)
    got = relative_rate(25.0, ref_temp_c=15.0, activation_energy_kj_mol=110.0)
    assert got == pytest.approx(expected, rel=REL)
    sl = shelf_life_days(
        25.0, shelf_life_ref_days=730.0, ref_temp_c=15.0, activation_energy_kj_mol=110.0
    )
    assert sl == pytest.approx(730.0 / expected, rel=REL)


def test_saltveit_relative_shelf_life_100_33_13() -> None:
    # Q10 ≈ 3 between 0 and 10 °C, ≈ 2.5 between 10 and 20 °C.
    cold = Kinetics(100.0, 0.0, q10=3.0)
    at_10 = cold.shelf_life_days(10.0)
    assert at_10 == pytest.approx(33.0, abs=0.5)
    warm = Kinetics(at_10, 10.0, q10=2.5)
    assert warm.shelf_life_days(20.0) == pytest.approx(13.0, abs=0.5)


def test_warmer_is_faster() -> None:
    t = np.linspace(-10.0, 40.0, 51)
    for kin in (Kinetics(5.0, 2.0, q10=2.5), Kinetics(5.0, 2.0, activation_energy_kj_mol=80.0)):
        rates = kin.rate_per_h(t)
        assert isinstance(rates, np.ndarray)
        assert np.all(np.diff(rates) > 0)


def test_scalar_inputs_give_python_floats_and_arrays_give_arrays() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    assert type(kin.rate_per_h(4.0)) is float
    assert type(kin.shelf_life_days(4.0)) is float
    assert type(kin.advance(0.0, [1.0, 2.0], [4.0, 8.0])) is float
    assert type(kin.remaining_days(0.2, 4.0)) is float
    assert type(kin.hours_to_limit(0.2, 4.0)) is float
    assert type(q10_from_activation_energy(50.0, 5.0)) is float
    assert isinstance(kin.rate_per_h([4.0]), np.ndarray)
    assert np.shape(kin.advance([0.0, 0.1], [1.0], [4.0])) == (2,)


def test_relative_rate_broadcasts() -> None:
    t = np.array([[0.0], [10.0]])
    ref = relative_rate(t, ref_temp_c=0.0, q10=2.0)
    assert np.shape(ref) == (2, 1)
    np.testing.assert_allclose(np.ravel(ref), [1.0, 2.0], rtol=REL)


# ------------------------------------------------------------------ piecewise update


def test_advance_single_segment_closed_form() -> None:
    # 12 h at T_ref with 2-day shelf life consumes a quarter.
    f = advance_consumed(0.1, [12.0], [3.0], shelf_life_ref_days=2.0, ref_temp_c=3.0, q10=3.0)
    assert f == pytest.approx(0.35, rel=REL)
    # 12 h at T_ref + 10 with Q10 = 3 consumes three quarters.
    f = advance_consumed(0.0, 12.0, 13.0, shelf_life_ref_days=2.0, ref_temp_c=3.0, q10=3.0)
    assert f == pytest.approx(0.75, rel=REL)


def test_advance_zero_segments_and_zero_hours_change_nothing() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    assert kin.advance(0.3, [], []) == 0.3
    assert kin.advance(0.3, [0.0, 0.0], [40.0, -5.0]) == 0.3


@settings(max_examples=200, deadline=None)
@given(kin=kinetics_st(), f0=fractions, segments=segments_st)
def test_piecewise_equals_sum_of_segment_contributions(
    kin: Kinetics, f0: float, segments: list[tuple[float, float]]
) -> None:
    hours = [h for h, _ in segments]
    tc = [t for _, t in segments]
    expected = f0 + sum(h / (24.0 * kin.shelf_life_days(t)) for h, t in segments)
    got = kin.advance(f0, hours, tc)
    assert got == pytest.approx(expected, rel=1e-11, abs=1e-300)
    # sequential one-segment updates compose to the same result
    f = f0
    for h, t in segments:
        f = kin.advance_scalar(f, h, t)
    assert f == pytest.approx(expected, rel=1e-11, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(kin=kinetics_st(), f0=fractions, segments=segments_st, data=st.data())
def test_piecewise_independent_of_segment_order(
    kin: Kinetics, f0: float, segments: list[tuple[float, float]], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(segments))
    a = kin.advance(f0, [h for h, _ in segments], [t for _, t in segments])
    b = kin.advance(f0, [h for h, _ in shuffled], [t for _, t in shuffled])
    assert a == pytest.approx(b, rel=1e-12, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(
    kin=kinetics_st(),
    f0=fractions,
    hours=hours_st,
    split=st.floats(min_value=0.0, max_value=1.0),
    temp=temps,
)
def test_splitting_a_segment_changes_nothing(
    kin: Kinetics, f0: float, hours: float, split: float, temp: float
) -> None:
    first = hours * split
    whole = kin.advance(f0, [hours], [temp])
    halves = kin.advance(f0, [first, hours - first], [temp, temp])
    stepwise = kin.advance(kin.advance(f0, [first], [temp]), [hours - first], [temp])
    assert halves == pytest.approx(whole, rel=1e-12, abs=1e-300)
    assert stepwise == pytest.approx(whole, rel=1e-12, abs=1e-300)


@settings(max_examples=100, deadline=None)
@given(
    kin=kinetics_st(),
    n_lots=st.integers(min_value=1, max_value=6),
    n_seg=st.integers(min_value=0, max_value=5),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_vectorised_equals_loop_of_scalars(
    kin: Kinetics, n_lots: int, n_seg: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    f0 = rng.uniform(0.0, 1.0, n_lots)
    hours = rng.uniform(0.0, 72.0, (n_lots, n_seg))
    tc = rng.uniform(-5.0, 35.0, (n_lots, n_seg))

    per_lot = kin.advance(f0, hours, tc)
    loop = [_scalar(kin.advance(float(f0[i]), hours[i], tc[i])) for i in range(n_lots)]
    assert np.shape(per_lot) == (n_lots,)
    np.testing.assert_allclose(np.asarray(per_lot), loop, rtol=1e-12)

    shared = kin.advance(f0, hours[0], tc[0])  # same history for every lot
    loop_shared = [_scalar(kin.advance(float(f0[i]), hours[0], tc[0])) for i in range(n_lots)]
    assert np.shape(shared) == (n_lots,)
    np.testing.assert_allclose(np.asarray(shared), loop_shared, rtol=1e-12)

    scalar_f0 = kin.advance(0.25, hours, tc)  # one starting value, per-lot histories
    np.testing.assert_allclose(
        np.asarray(scalar_f0),
        [_scalar(kin.advance(0.25, hours[i], tc[i])) for i in range(n_lots)],
        rtol=1e-12,
    )

    rates = kin.rate_per_h(tc)
    np.testing.assert_allclose(
        rates, [[kin.rate_per_h(float(t)) for t in row] for row in tc], rtol=1e-12
    )


def test_shared_hours_broadcast_against_per_lot_temperatures() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    hours = np.array([2.0, 5.0])
    tc = np.array([[2.0, 12.0], [-8.0, 2.0]])
    got = kin.advance(np.zeros(2), hours, tc)
    expected = [_scalar(kin.advance(0.0, hours, tc[0])), _scalar(kin.advance(0.0, hours, tc[1]))]
    np.testing.assert_allclose(np.asarray(got), expected, rtol=REL)


def test_advance_does_not_modify_inputs() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    f0 = np.array([0.1, 0.2])
    hours = np.array([1.0, 2.0])
    tc = np.array([3.0, 4.0])
    kin.advance(f0, hours, tc)
    np.testing.assert_array_equal(f0, [0.1, 0.2])
    np.testing.assert_array_equal(hours, [1.0, 2.0])


# ------------------------------------------------------------------ scalar fast path


@settings(max_examples=300, deadline=None)
@given(kin=kinetics_st(), temp=temps)
def test_scalar_fast_path_equals_numpy_path(kin: Kinetics, temp: float) -> None:
    fast = kin.rate_per_h_scalar(temp)
    slow = kin.rate_per_h(temp)
    assert type(fast) is float
    assert fast == pytest.approx(slow, rel=1e-12)
    assert fast == pytest.approx(1.0 / (24.0 * kin.shelf_life_days(temp)), rel=1e-12)


# ------------------------------------------------------------------ remaining life / limit


@settings(max_examples=200, deadline=None)
@given(
    kin=kinetics_st(),
    f0=st.floats(min_value=0.0, max_value=0.999),
    temp=temps,
    limit=st.floats(min_value=1.0, max_value=1.5),
)
def test_advancing_by_hours_to_limit_reaches_limit(
    kin: Kinetics, f0: float, temp: float, limit: float
) -> None:
    h = kin.hours_to_limit(f0, temp, limit)
    assert h > 0
    assert kin.advance(f0, [h], [temp]) == pytest.approx(limit, rel=1e-12)
    assert kin.advance_scalar(f0, h, temp) == pytest.approx(limit, rel=1e-12)
    assert kin.remaining_days(f0, temp, limit) == pytest.approx(h / 24.0, rel=1e-12)
    assert kin.remaining_days(f0, temp, limit) == pytest.approx(
        (limit - f0) * kin.shelf_life_days(temp), rel=1e-12
    )


@settings(max_examples=100, deadline=None)
@given(kin=kinetics_st(), temp=temps, hours=st.floats(min_value=0.0, max_value=48.0))
def test_remaining_life_drops_by_elapsed_fraction(kin: Kinetics, temp: float, hours: float) -> None:
    # After h hours at T, remaining life at T is exactly h/24 days shorter.
    before = kin.remaining_days(0.0, temp)
    f = kin.advance(0.0, [hours], [temp])
    after = kin.remaining_days(f, temp)
    expected = max(before - hours / 24.0, 0.0)
    assert after == pytest.approx(expected, rel=1e-9, abs=1e-9 * before)


def test_fresh_lot_remaining_life_is_full_shelf_life() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    assert kin.remaining_days(0.0, 2.0) == pytest.approx(5.0, rel=REL)
    assert kin.hours_to_limit(0.0, 2.0) == pytest.approx(120.0, rel=REL)
    assert kin.remaining_days(0.5, 12.0) == pytest.approx(0.5 * 5.0 / 3.0, rel=REL)


def test_at_or_beyond_limit_gives_zero() -> None:
    kin = Kinetics(5.0, 2.0, activation_energy_kj_mol=70.0)
    assert kin.remaining_days(1.0, 2.0) == 0.0
    assert kin.remaining_days(1.7, 20.0) == 0.0
    assert kin.hours_to_limit(1.0, 2.0) == 0.0
    assert kin.hours_to_limit(1.3, 2.0, limit=1.2) == 0.0
    assert kin.hours_to_limit(1.1, 2.0, limit=1.2) > 0.0


def test_remaining_and_hours_vectorised_with_per_lot_limits() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    f = np.array([0.0, 0.5, 1.2])
    limits = np.array([1.0, 0.8, 1.1])
    t = np.array([2.0, 12.0, 2.0])
    days = kin.remaining_days(f, t, limits)
    hours = kin.hours_to_limit(f, t, limits)
    np.testing.assert_allclose(days, [5.0, 0.3 * 5.0 / 3.0, 0.0], rtol=REL)
    np.testing.assert_allclose(hours, 24.0 * np.asarray(days), rtol=REL)
    np.testing.assert_allclose(
        kin.advance(f[:2], np.asarray(hours)[:2, None], t[:2, None]), limits[:2], rtol=REL
    )


def test_module_functions_match_kinetics_methods() -> None:
    kin = Kinetics(12.0, 0.0, activation_energy_kj_mol=65.0)
    sl, ref, ea = 12.0, 0.0, 65.0
    days = remaining_shelf_life_days(
        0.3, 8.0, shelf_life_ref_days=sl, ref_temp_c=ref, activation_energy_kj_mol=ea
    )
    assert days == kin.remaining_days(0.3, 8.0)
    hours = hours_to_limit(
        0.3, 8.0, shelf_life_ref_days=sl, ref_temp_c=ref, limit=1.1, activation_energy_kj_mol=ea
    )
    assert hours == kin.hours_to_limit(0.3, 8.0, 1.1)
    f = advance_consumed(
        0.3, [5.0], [8.0], shelf_life_ref_days=sl, ref_temp_c=ref, activation_energy_kj_mol=ea
    )
    assert f == kin.advance(0.3, [5.0], [8.0])
    assert shelf_life_days(
        8.0, shelf_life_ref_days=sl, ref_temp_c=ref, activation_energy_kj_mol=ea
    ) == kin.shelf_life_days(8.0)


# ------------------------------------------------------------------ Arrhenius vs Q10


@pytest.mark.parametrize("ea", [30.0, 70.0, 110.0, 150.0])
@pytest.mark.parametrize("t", [-1.0, 2.0, 13.0, 25.0])
def test_arrhenius_matches_van_boekel_q10_for_small_step(ea: float, t: float) -> None:
    q10 = q10_from_activation_energy(ea, t)
    for step in (-2.0, -1.0, 1.0, 2.0):
        arr = relative_rate(t + step, ref_temp_c=t, activation_energy_kj_mol=ea)
        via_q10 = relative_rate(t + step, ref_temp_c=t, q10=q10)
        assert arr == pytest.approx(via_q10, rel=0.01)


def test_q10_from_activation_energy_hand_value() -> None:
    # 10 * 110000 / (8.314 * 288.15**2)
    expected = math.exp(10.0 * 110_000.0 / (8.314 * 288.15**2))
    assert q10_from_activation_energy(110.0, 15.0) == pytest.approx(expected, rel=REL)
    assert expected == pytest.approx(4.93, rel=1e-2)
    # warmer reference temperature -> smaller equivalent Q10
    assert q10_from_activation_energy(110.0, 25.0) < q10_from_activation_energy(110.0, 15.0)
    arr = q10_from_activation_energy(np.array([50.0, 100.0]), 5.0)
    assert np.shape(arr) == (2,)


# ------------------------------------------------------------------ errors


def test_both_or_neither_sensitivity_raises() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        relative_rate(5.0, ref_temp_c=0.0)
    with pytest.raises(ValueError, match="exactly one"):
        relative_rate(5.0, ref_temp_c=0.0, q10=2.0, activation_energy_kj_mol=50.0)
    with pytest.raises(ValueError, match="exactly one"):
        shelf_life_days(5.0, shelf_life_ref_days=3.0, ref_temp_c=0.0)
    with pytest.raises(ValueError, match="exactly one"):
        advance_consumed(0.0, [1.0], [5.0], shelf_life_ref_days=3.0, ref_temp_c=0.0)
    with pytest.raises(ValueError, match="exactly one"):
        Kinetics(3.0, 0.0)
    with pytest.raises(ValueError, match="exactly one"):
        Kinetics(3.0, 0.0, q10=2.0, activation_energy_kj_mol=50.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"shelf_life_ref_days": 0.0, "ref_temp_c": 0.0, "q10": 2.0},
        {"shelf_life_ref_days": -1.0, "ref_temp_c": 0.0, "q10": 2.0},
        {"shelf_life_ref_days": math.inf, "ref_temp_c": 0.0, "q10": 2.0},
        {"shelf_life_ref_days": math.nan, "ref_temp_c": 0.0, "q10": 2.0},
        {"shelf_life_ref_days": 3.0, "ref_temp_c": 0.0, "q10": 0.0},
        {"shelf_life_ref_days": 3.0, "ref_temp_c": 0.0, "q10": -2.0},
        {"shelf_life_ref_days": 3.0, "ref_temp_c": 0.0, "q10": math.nan},
        {"shelf_life_ref_days": 3.0, "ref_temp_c": 0.0, "activation_energy_kj_mol": 0.0},
        {"shelf_life_ref_days": 3.0, "ref_temp_c": 0.0, "activation_energy_kj_mol": -5.0},
        {"shelf_life_ref_days": 3.0, "ref_temp_c": -300.0, "activation_energy_kj_mol": 50.0},
        {"shelf_life_ref_days": 3.0, "ref_temp_c": math.nan, "q10": 2.0},
    ],
)
def test_invalid_parameters_raise(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        Kinetics(**kwargs)
    with pytest.raises(ValueError, match="must be"):
        shelf_life_days(5.0, **kwargs)
    with pytest.raises(ValueError, match="must be"):
        advance_consumed(0.0, [1.0], [5.0], **kwargs)
    with pytest.raises(ValueError, match="must be"):
        remaining_shelf_life_days(0.0, 5.0, **kwargs)
    with pytest.raises(ValueError, match="must be"):
        hours_to_limit(0.0, 5.0, **kwargs)


def test_negative_or_nan_duration_raises() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    with pytest.raises(ValueError, match="durations"):
        kin.advance(0.0, [1.0, -0.5], [2.0, 3.0])
    with pytest.raises(ValueError, match="durations"):
        kin.advance(np.zeros(2), [[1.0, 2.0], [3.0, -1e-9]], [2.0, 3.0])
    with pytest.raises(ValueError, match="durations"):
        kin.advance(0.0, [math.nan], [2.0])


def test_shape_mismatches_raise() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    with pytest.raises(ValueError, match="broadcast"):
        kin.advance(0.0, [1.0, 2.0], [2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="number of lots"):
        kin.advance(np.zeros(3), np.ones((2, 4)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="n_lots, n_segments"):
        kin.advance(0.0, np.ones((2, 2, 2)), 2.0)
    with pytest.raises(ValueError, match="consumed"):
        kin.advance(np.zeros((2, 2)), [1.0], [2.0])


def test_arrhenius_below_absolute_zero_raises() -> None:
    with pytest.raises(ValueError, match="above -273"):
        relative_rate([0.0, -280.0], ref_temp_c=0.0, activation_energy_kj_mol=50.0)
    with pytest.raises(ValueError, match="above -273"):
        q10_from_activation_energy(50.0, -273.15)
    with pytest.raises(ValueError, match="must be finite and > 0"):
        q10_from_activation_energy(0.0, 5.0)
    with pytest.raises(ValueError, match="above -273"):
        Kinetics(5.0, 0.0, activation_energy_kj_mol=50.0).rate_per_h(-274.0)


# ------------------------------------------------------------------ dataclass behaviour


def test_kinetics_is_frozen_hashable_and_picklable() -> None:
    kin = Kinetics(5.0, 2.0, q10=3.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        kin.q10 = 2.0  # type: ignore[misc]
    assert kin == Kinetics(5, 2, q10=3)
    assert hash(kin) == hash(Kinetics(5.0, 2.0, q10=3.0))
    assert kin != Kinetics(5.0, 2.0, q10=2.0)
    assert not hasattr(kin, "__dict__")
    clone = pickle.loads(pickle.dumps(kin))
    assert clone == kin
    assert clone.rate_per_h_scalar(17.0) == kin.rate_per_h_scalar(17.0)
    changed = dataclasses.replace(kin, q10=2.0)
    assert changed.shelf_life_days(12.0) == pytest.approx(2.5, rel=REL)
    with pytest.raises(ValueError, match="exactly one"):
        dataclasses.replace(kin, activation_energy_kj_mol=50.0)
    assert "_log_coef" not in repr(kin)
