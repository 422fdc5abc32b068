"""At the bounds of every kinetics field, every derived number is finite (Hypothesis).

Parameters are drawn AT their bounds (``st.sampled_from`` of the bound values) mixed
with floats in range, and so are temperatures over everything a scenario can reach
(:data:`~fieldtotable.scenario.limits.MIN_AIR_TEMP_C` to
:data:`~fieldtotable.scenario.limits.MAX_AIR_TEMP_C`: setpoints and monthly means
within +-60 °C, plus half of the largest daily range). Shelf life, rates, the ambient
tables over the longest horizon and the time to spoil must all be finite and
positive; a short run with products, climate and ``scale`` at their bounds must give
finite KPIs and a mass balance that holds.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldtotable import simulate
from fieldtotable.kinetics import Kinetics
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.limits import (
    MAX_ACTIVATION_ENERGY_KJ_MOL,
    MAX_AIR_TEMP_C,
    MAX_DAILY_RANGE_C,
    MAX_DAYS,
    MAX_Q10,
    MAX_SCALE,
    MAX_SHELF_LIFE_CV,
    MAX_SHELF_LIFE_DAYS,
    MAX_TEMP_C,
    MIN_AIR_TEMP_C,
    MIN_Q10,
    MIN_SHELF_LIFE_DAYS,
    MIN_TEMP_C,
)
from fieldtotable.scenario.schema import Product
from scenario_builders import build_scenario

#: The smallest activation energy drawn: the bound is > 0, so a value just above it.
MIN_EA = 1e-9
HOURS_LONGEST = (MAX_DAYS + 2) * 24  # the model tabulates two days past the horizon
REL = 1e-6


def bounded(low: float, high: float) -> st.SearchStrategy[float]:
    """The bounds themselves, values just inside them, or any float in between."""
    edges = [low, high, low + (high - low) * 1e-9, high - (high - low) * 1e-9]
    return st.one_of(
        st.sampled_from(edges),
        st.floats(low, high, allow_nan=False, allow_infinity=False),
    )


temperatures = bounded(MIN_AIR_TEMP_C, MAX_AIR_TEMP_C)


@st.composite
def products(draw: st.DrawFn) -> dict[str, Any]:
    """A product's data with every kinetics field at or near its bounds."""
    data: dict[str, Any] = {
        "temperature_class": "chilled",
        "shelf_life_days": draw(bounded(MIN_SHELF_LIFE_DAYS, MAX_SHELF_LIFE_DAYS)),
        "ref_temp_c": draw(bounded(MIN_TEMP_C, MAX_TEMP_C)),
        "shelf_life_cv": draw(bounded(0.0, MAX_SHELF_LIFE_CV)),
        "price_cny_per_kg": 100.0,
    }
    if draw(st.booleans()):
        data["q10"] = draw(bounded(MIN_Q10, MAX_Q10))
    else:
        data["activation_energy_kj_mol"] = draw(bounded(MIN_EA, MAX_ACTIVATION_ENERGY_KJ_MOL))
    return data


def kinetics_of(product: Product) -> Kinetics:
    return Kinetics(
        product.shelf_life_days, product.ref_temp_c, product.q10, product.activation_energy_kj_mol
    )


def finite_positive(value: Any) -> bool:
    array = np.asarray(value, dtype=float)
    return bool(np.all(np.isfinite(array) & (array > 0)))


@settings(max_examples=150, deadline=None)
@given(products(), temperatures, bounded(0.0, 1.0))
def test_shelf_life_and_rates_finite_at_the_bounds(
    data: dict[str, Any], temp_c: float, consumed: float
) -> None:
    kinetics = kinetics_of(Product.model_validate(data))
    rate = kinetics.rate_per_h_scalar(temp_c)
    assert finite_positive(rate)
    assert kinetics.rate_per_h(temp_c) == pytest.approx(rate, rel=1e-9)
    assert finite_positive(kinetics.shelf_life_days(temp_c))
    # The fraction consumed over the longest horizon at this temperature, and the
    # time (and remaining shelf life) left at any consumed fraction below 1.
    assert math.isfinite(kinetics.advance_scalar(consumed, HOURS_LONGEST, temp_c))
    assert math.isfinite(kinetics.advance(consumed, [HOURS_LONGEST], [temp_c]))
    assert math.isfinite(kinetics.remaining_days(consumed, temp_c))
    assert math.isfinite(kinetics.hours_to_limit(consumed, temp_c))


@settings(max_examples=40, deadline=None)
@given(products(), bounded(MIN_TEMP_C, MAX_TEMP_C), bounded(0.0, MAX_DAILY_RANGE_C))
def test_ambient_tables_finite_over_the_longest_horizon(
    data: dict[str, Any], mean_c: float, daily_range_c: float
) -> None:
    """The cumulative rate table of a region at its extremes, over ten years of hours."""
    kinetics = kinetics_of(Product.model_validate(data))
    hours = np.arange(HOURS_LONGEST)
    temps = mean_c + daily_range_c / 2 * np.cos(2 * np.pi * hours / 24)
    ambient = Ambient(temps, [kinetics])
    assert finite_positive(np.asarray(ambient.rates[0]))
    assert np.all(np.isfinite(np.asarray(ambient.cumulative[0])))
    consumed = ambient.consumed(0, 0.0, HOURS_LONGEST - 1.0)
    assert math.isfinite(consumed)
    assert consumed >= 0
    assert math.isfinite(ambient.time_to_consume(0, 0.5, min(consumed, 1.0) / 2))


@pytest.mark.parametrize("temp_c", [MIN_AIR_TEMP_C - 1000, MAX_AIR_TEMP_C + 1000])
def test_past_float64_a_value_error_not_an_overflow(temp_c: float) -> None:
    """Outside what a scenario allows the kinetics API refuses, never gives inf or 0."""
    kinetics = Kinetics(1.0, 0.0, q10=MAX_Q10 * 1e6)
    with pytest.raises(ValueError, match="beyond the range of a float64"):
        kinetics.rate_per_h([temp_c])
    with pytest.raises(ValueError, match="beyond the range of a float64"):
        kinetics.shelf_life_days(temp_c)
    if temp_c > 0:  # the scalar path overflows only upwards (an underflow is 0.0)
        with pytest.raises(ValueError, match="beyond the range of a float64"):
            kinetics.rate_per_h_scalar(temp_c)


@st.composite
def extreme_runs(draw: st.DrawFn) -> dict[str, Any]:
    """Changes to the small scenario: products, climate and scale at their bounds."""
    changes: dict[str, Any] = {"horizon_days": 3}
    for product in ("matsutake", "yak_meat_chilled"):
        data = draw(products())
        data["price_cny_per_kg"] = draw(st.sampled_from([1e-3, 100.0, 1e6]))
        changes[f"products.{product}"] = data
    changes["climate.shanghai"] = {
        "monthly_mean_c": [draw(st.sampled_from([MIN_TEMP_C, 20.0, MAX_TEMP_C]))] * 12,
        "daily_range_c": draw(st.sampled_from([0.0, MAX_DAILY_RANGE_C])),
    }
    changes["climate.shangri_la"] = [draw(st.sampled_from([MIN_TEMP_C, 0.0, MAX_TEMP_C]))] * 12
    changes["markets.store.setpoint_c"] = draw(st.sampled_from([MIN_TEMP_C, 4.0, MAX_TEMP_C]))
    changes["legs.cp_shanghai.setpoint_c"] = draw(st.sampled_from([MIN_TEMP_C, MAX_TEMP_C]))
    # 40 customers a day x 1.3 x scale 1000: 52,000 customers a day, still quick.
    changes["scale"] = draw(st.sampled_from([1e-3, 1.0, MAX_SCALE]))
    return changes


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extreme_runs(), st.integers(0, 2**16))
def test_short_run_at_the_bounds_is_finite_and_balances(changes: dict[str, Any], seed: int) -> None:
    result = simulate(build_scenario(changes), seed=seed)
    k = result.kpis
    # An undefined ratio (a mean over no sale, a rate with nothing to divide by) is
    # NaN by the results contract; nothing else may be, and nothing may be infinite.
    nothing_to_divide_by = 0 in (k["sold_kg"], k["demand_kg"], k["harvested_kg"])
    for key, value in k.items():
        assert not math.isinf(value), (key, value)
        if math.isnan(value):
            assert nothing_to_divide_by, (key, value)
            assert key.startswith("mean_") or "rate" in key or "per_kg" in key, key
    accounted = (
        k["rejected_kg"] + k["refused_kg"] + k["spoiled_kg"] + k["sold_kg"] + k["in_system_kg_end"]
    )
    assert accounted == pytest.approx(k["harvested_kg"], rel=REL, abs=1e-9)
