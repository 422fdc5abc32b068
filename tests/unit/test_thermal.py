"""Thermal environments: constant setpoints, hourly ambient air, daily cycles."""

from __future__ import annotations

import bisect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.kinetics import Kinetics, advance_consumed, hours_to_limit
from fieldtotable.model.thermal import (
    PEAK_HOUR,
    Ambient,
    ConstantTemperature,
    hourly_temperatures,
)

MUSHROOM = Kinetics(5.0, 2.0, q10=2.5)
YAK = Kinetics(40.0, -1.0, activation_energy_kj_mol=80.0)
KINETICS = [MUSHROOM, YAK]

HOURS = 24 * 6
RNG = np.random.default_rng(20230701)
TEMPS = RNG.uniform(-5.0, 30.0, HOURS)
AMBIENT = Ambient(TEMPS, KINETICS)


def manual_consumed(kinetics: Kinetics, temps: np.ndarray, start: float, end: float) -> float:
    """Hour-by-hour sum: overlap of [start, end] with each hour times that hour's rate."""
    total = 0.0
    for hour, temp in enumerate(temps):
        overlap = min(end, hour + 1) - max(start, hour)
        if overlap > 0:
            total += overlap / (24.0 * kinetics.shelf_life_days(float(temp)))
    return total


# -- constant temperature ------------------------------------------------------------


@pytest.mark.parametrize("temp_c", [-1.0, 2.0, 4.0, 12.5])
def test_constant_rate_is_the_kinetics_rate(temp_c: float) -> None:
    env = ConstantTemperature(temp_c, KINETICS)
    for product, kinetics in enumerate(KINETICS):
        expected = 1.0 / (24.0 * kinetics.shelf_life_days(temp_c))
        assert env.rates[product] == pytest.approx(expected, rel=1e-12)
        assert env.consumed(product, 10.0, 17.5) == pytest.approx(7.5 * expected, rel=1e-12)
        assert env.temperature_at(123.4) == temp_c


def test_constant_time_to_consume_matches_hours_to_limit() -> None:
    env = ConstantTemperature(8.0, KINETICS)
    hours = hours_to_limit(0.25, 8.0, shelf_life_ref_days=5.0, ref_temp_c=2.0, q10=2.5, limit=0.9)
    assert env.time_to_consume(0, 100.0, 0.9 - 0.25) == pytest.approx(100.0 + hours, rel=1e-12)


def test_constant_time_to_consume_of_nothing_is_now() -> None:
    env = ConstantTemperature(8.0, KINETICS)
    assert env.time_to_consume(0, 42.0, 0.0) == 42.0
    assert env.time_to_consume(1, 42.0, -0.3) == 42.0


# -- ambient -------------------------------------------------------------------------


def test_ambient_whole_hours_equal_the_hourly_sum() -> None:
    for product, kinetics in enumerate(KINETICS):
        rates = [1 / (24 * kinetics.shelf_life_days(float(t))) for t in TEMPS[:30]]
        assert AMBIENT.consumed(product, 0.0, 30.0) == pytest.approx(sum(rates), rel=1e-12)
        assert AMBIENT.consumed(product, 7.0, 8.0) == pytest.approx(rates[7], rel=1e-12)


def test_ambient_matches_advance_consumed_over_segments() -> None:
    # 5.25 h .. 9.5 h: 0.75 h of hour 5, hours 6-8 whole, 0.5 h of hour 9.
    hours = [0.75, 1.0, 1.0, 1.0, 0.5]
    temps = TEMPS[5:10]
    expected = advance_consumed(0.0, hours, temps, shelf_life_ref_days=5.0, ref_temp_c=2.0, q10=2.5)
    assert AMBIENT.consumed(0, 5.25, 9.5) == pytest.approx(expected, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    start=st.floats(0.0, HOURS - 1.0),
    length=st.floats(0.0, 60.0),
    product=st.integers(0, 1),
)
def test_ambient_equals_manual_hour_by_hour_sum(start: float, length: float, product: int) -> None:
    end = min(start + length, float(HOURS))
    expected = manual_consumed(KINETICS[product], TEMPS, start, end)
    assert AMBIENT.consumed(product, start, end) == pytest.approx(expected, rel=1e-9, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    start=st.floats(0.0, 48.0),
    amount=st.floats(1e-6, 1.0),
    product=st.integers(0, 1),
)
def test_ambient_time_to_consume_inverts_consumed(
    start: float, amount: float, product: int
) -> None:
    end = AMBIENT.time_to_consume(product, start, amount)
    if math.isinf(end):
        assert AMBIENT.consumed(product, start, float(HOURS)) < amount + 1e-12
        return
    assert end >= start
    assert AMBIENT.consumed(product, start, end) == pytest.approx(amount, rel=1e-9)


YEAR_AIR = Ambient(RNG.uniform(-5.0, 30.0, 24 * 400), KINETICS)


def _by_whole_bisection(air: Ambient, product: int, start: float, amount: float) -> float:
    """time_to_consume as it was: a bisection of the whole table, then the end checked."""
    cumulative, rates = air.cumulative[product], air.rates[product]
    hour = min(int(start), air.last_hour)
    target = cumulative[hour] + (start - hour) * rates[hour] + amount
    found = bisect.bisect_right(cumulative, target) - 1
    if found > air.last_hour:
        return math.inf
    return found + (target - cumulative[found]) / rates[found]


@pytest.mark.parametrize("product", [0, 1])
def test_ambient_time_to_consume_equals_a_whole_table_bisection(product: int) -> None:
    """The shortcut past the table's end gives what a bisection of the whole table gives.

    Amounts from a fraction of an hour's ageing to more than the whole table holds,
    starts all over the table and past its end.
    """
    rng = np.random.default_rng(17)
    hour_rate = YEAR_AIR.rates[product][0]
    starts = rng.uniform(0.0, 24 * 400 + 30.0, 4000)
    amounts = hour_rate * np.exp(rng.uniform(np.log(1e-3), np.log(24 * 800), 4000))
    for start, amount in zip(starts.tolist(), amounts.tolist(), strict=True):
        expected = _by_whole_bisection(YEAR_AIR, product, start, amount)
        assert YEAR_AIR.time_to_consume(product, start, amount) == expected, (start, amount)


def test_ambient_time_to_consume_inside_one_hour() -> None:
    rate = AMBIENT.rates[0][3]
    end = AMBIENT.time_to_consume(0, 3.2, 0.5 * rate)
    assert end == pytest.approx(3.7, rel=1e-12)


def test_ambient_time_to_consume_past_the_table_is_infinite() -> None:
    total = AMBIENT.consumed(0, 0.0, float(HOURS))
    assert math.isinf(AMBIENT.time_to_consume(0, 0.0, total * 1.5))
    assert AMBIENT.time_to_consume(0, 5.0, 0.0) == 5.0


def test_ambient_temperature_at() -> None:
    assert AMBIENT.temperature_at(10.99) == TEMPS[10]
    assert AMBIENT.temperature_at(0.0) == TEMPS[0]
    assert AMBIENT.temperature_at(1e9) == TEMPS[-1]  # clamps to the last tabulated hour


def test_ambient_warmer_hours_age_faster() -> None:
    warm = Ambient(np.full(48, 20.0), KINETICS)
    cold = Ambient(np.full(48, 0.0), KINETICS)
    assert warm.consumed(0, 0, 10) > cold.consumed(0, 0, 10)
    assert warm.consumed(0, 0, 10) / cold.consumed(0, 0, 10) == pytest.approx(2.5**2, rel=1e-12)


# -- hourly temperatures -------------------------------------------------------------


def test_hourly_temperatures_shape_mean_and_peak() -> None:
    monthly = [float(m) for m in range(12)]  # January 0 °C ... December 11 °C
    month_of_day = [1, 1, 2, 12]
    temps = hourly_temperatures(monthly, 8.0, month_of_day)
    assert temps.shape == (96,)
    days = temps.reshape(4, 24)
    np.testing.assert_allclose(days.mean(axis=1), [0.0, 0.0, 1.0, 11.0], atol=1e-12)
    # Peak straddles 15:00 (hours 14 and 15 are equally warm), trough 12 h later.
    assert int(PEAK_HOUR) == 15
    assert set(np.flatnonzero(np.isclose(days[0], days[0].max()))) == {14, 15}
    assert set(np.flatnonzero(np.isclose(days[0], days[0].min()))) == {2, 3}
    assert days[0].max() - days[0].min() == pytest.approx(8.0 * math.cos(math.pi / 24), rel=1e-9)


def test_hourly_temperatures_without_cycle_are_flat() -> None:
    temps = hourly_temperatures([5.0] * 12, 0.0, [3, 4])
    np.testing.assert_array_equal(temps, np.full(48, 5.0))
