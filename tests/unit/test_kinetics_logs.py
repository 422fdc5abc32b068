"""Shelf life consumed along a temperature log, against closed forms and fine stepping."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from fieldtotable.kinetics import Kinetics
from fieldtotable.kinetics.logs import consumed_along, temperature_at

Q10 = Kinetics(shelf_life_ref_days=4.0, ref_temp_c=2.0, q10=2.5)
ARRHENIUS = Kinetics(shelf_life_ref_days=4.0, ref_temp_c=2.0, activation_energy_kj_mol=80.0)


def _fine(
    kinetics: Kinetics, times: list[float], temps: list[float], steps: int = 200_000
) -> float:
    """Midpoint rule on a fine grid (error ~1e-11 relative at this step count)."""
    grid = np.linspace(times[0], times[-1], steps + 1)
    middle = (grid[1:] + grid[:-1]) / 2
    rates = np.asarray(kinetics.rate_per_h(np.interp(middle, times, temps)))
    return float(np.sum(rates * np.diff(grid)))


@pytest.mark.parametrize("kinetics", [Q10, ARRHENIUS])
def test_a_constant_log_is_the_constant_temperature_update(kinetics: Kinetics) -> None:
    found = consumed_along(kinetics, [0.0, 30.0], [8.0, 8.0])
    assert found == pytest.approx(kinetics.advance_scalar(0.0, 30.0, 8.0), rel=1e-12)


def test_a_linear_ramp_under_q10_has_its_closed_form() -> None:
    # rate(T) = exp(a (T - Tref)) / H, T = T0 + s t: integral = (r(T1) - r(T0)) / (a s).
    start, end, hours = 2.0, 25.0, 10.0
    coefficient = math.log(2.5) / 10
    slope = (end - start) / hours
    expected = (Q10.rate_per_h_scalar(end) - Q10.rate_per_h_scalar(start)) / (coefficient * slope)
    assert consumed_along(Q10, [0.0, hours], [start, end]) == pytest.approx(expected, rel=1e-13)
    # A falling ramp consumes the same as the rising one (the integral is symmetric).
    assert consumed_along(Q10, [0.0, hours], [end, start]) == pytest.approx(expected, rel=1e-13)


def test_an_arrhenius_ramp_matches_adaptive_quadrature_and_fine_stepping() -> None:
    times, temps = [0.0, 6.0, 6.5, 20.0], [0.0, 30.0, 30.0, -1.0]
    found = consumed_along(ARRHENIUS, times, temps)
    reference = sum(
        quad(
            lambda t, i=i: ARRHENIUS.rate_per_h_scalar(float(np.interp(t, times, temps))),
            times[i],
            times[i + 1],
            epsabs=0,
            epsrel=1e-13,
        )[0]
        for i in range(len(times) - 1)
    )
    assert found == pytest.approx(reference, rel=1e-9)
    assert found == pytest.approx(_fine(ARRHENIUS, times, temps), rel=1e-9)


def test_a_door_open_excursion_shows_up_where_it_lies() -> None:
    # A reefer trip at 2 °C with a 30-minute door opening that peaks at 18 °C.
    times = [0.0, 10.0, 10.25, 10.5, 12.0, 24.0]
    temps = [2.0, 2.0, 18.0, 6.0, 2.0, 2.0]
    with_door = consumed_along(Q10, times, temps)
    steady = consumed_along(Q10, [0.0, 24.0], [2.0, 2.0])
    assert with_door > steady
    excursion = consumed_along(Q10, times[1:5], temps[1:5])
    assert with_door - steady == pytest.approx(excursion - Q10.advance_scalar(0, 2.0, 2.0))
    assert with_door == pytest.approx(_fine(Q10, times, temps), rel=1e-9)


def test_past_the_end_the_last_temperature_holds() -> None:
    times, temps = [0.0, 5.0], [2.0, 12.0]
    longer = consumed_along(Q10, times, temps, until_h=8.0)
    assert longer == pytest.approx(
        consumed_along(Q10, times, temps) + Q10.advance_scalar(0.0, 3.0, 12.0), rel=1e-13
    )
    shorter = consumed_along(Q10, times, temps, until_h=2.5)
    assert shorter == pytest.approx(consumed_along(Q10, [0.0, 2.5], [2.0, 7.0]), rel=1e-13)
    assert temperature_at(times, temps, 9.0) == 12.0
    assert temperature_at(times, temps, 2.5) == 7.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 12.0), st.floats(-5.0, 35.0)), min_size=2, max_size=6))
def test_any_log_splits_into_its_parts(records: list[tuple[float, float]]) -> None:
    # Integrating a log in two pieces, cut at any record, gives the whole.
    times = list(np.cumsum([hours for hours, _ in records]))
    temps = [temp for _, temp in records]
    for kinetics in (Q10, ARRHENIUS):
        whole = consumed_along(kinetics, times, temps)
        cut = len(times) // 2
        parts = consumed_along(kinetics, times[: cut + 1], temps[: cut + 1]) + consumed_along(
            kinetics, times[cut:], temps[cut:]
        )
        assert whole == pytest.approx(parts, rel=1e-12, abs=1e-15)
        assert whole >= 0.0


@pytest.mark.parametrize(
    ("times", "temps", "message"),
    [
        ([0.0, 1.0], [2.0], "equal length"),
        ([], [], "at least one record"),
        ([0.0, math.nan], [2.0, 3.0], "finite"),
        ([0.0, 2.0, 1.0], [2.0, 3.0, 4.0], "must not decrease: record 2"),
        ([0.0, 1.0], [2.0, -300.0], "absolute zero"),
    ],
)
def test_bad_logs_say_what_is_wrong(times: list[float], temps: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        consumed_along(Q10, times, temps)


def test_until_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="not before the log's start"):
        consumed_along(Q10, [1.0, 2.0], [2.0, 2.0], until_h=0.5)
