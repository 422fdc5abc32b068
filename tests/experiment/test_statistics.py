"""Student-t intervals, paired differences and the sequential stopping rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from fieldtotable.experiment.statistics import (
    StoppingRule,
    estimate,
    next_batch,
    paired_difference,
    stopping_n,
    t_quantile,
)


def test_estimate_matches_scipy_t_interval() -> None:
    values = [3.1, 2.7, 3.8, 4.0, 2.2, 3.3]
    found = estimate(values, 0.95)
    low, high = stats.t.interval(0.95, len(values) - 1, np.mean(values), stats.sem(values))
    assert found.n == 6
    assert found.missing == 0
    assert found.mean == pytest.approx(np.mean(values), rel=1e-15)
    assert found.sd == pytest.approx(np.std(values, ddof=1), rel=1e-14)
    assert found.low == pytest.approx(low, rel=1e-12)
    assert found.high == pytest.approx(high, rel=1e-12)
    assert found.half_width == pytest.approx((high - low) / 2, rel=1e-12)
    assert found.relative_half_width == pytest.approx(found.half_width / found.mean)


def test_t_quantile_known_values() -> None:
    assert t_quantile(0.95, 4) == pytest.approx(2.776445, abs=1e-6)
    assert t_quantile(0.99, 29) == pytest.approx(2.756386, abs=1e-6)


def test_estimate_leaves_out_undefined_values() -> None:
    found = estimate([1.0, math.nan, 3.0], 0.95)
    assert found.n == 2
    assert found.missing == 1
    assert found.mean == 2.0


def test_estimate_of_too_few_values() -> None:
    one = estimate([5.0])
    assert one.mean == 5.0
    assert math.isnan(one.sd)
    assert math.isnan(one.half_width)
    none = estimate([])
    assert none.n == 0
    assert math.isnan(none.mean)
    assert none.to_dict()["mean"] is None


def test_constant_values_give_a_zero_width_interval() -> None:
    found = estimate([2.0] * 5)
    assert found.sd == 0.0
    assert found.low == found.high == 2.0
    assert estimate([0.0] * 4).relative_half_width == 0.0


def test_estimate_does_not_depend_on_order() -> None:
    rng = np.random.default_rng(1)
    values = list(rng.lognormal(10, 2, 200))
    assert estimate(values) == estimate(values[::-1])


@pytest.mark.parametrize("confidence", [0.0, 1.0, -0.5, 95])
def test_confidence_must_lie_in_the_unit_interval(confidence: float) -> None:
    with pytest.raises(ValueError, match="confidence"):
        estimate([1.0, 2.0], confidence)


def test_paired_difference_matches_scipy_paired_t_test() -> None:
    rng = np.random.default_rng(7)
    common = rng.normal(100, 10, 12)
    a = common + rng.normal(0.8, 1, 12)
    b = common
    diff = paired_difference(list(a), list(b), 0.95)
    test = stats.ttest_rel(a, b)
    assert diff.n == 12
    assert diff.mean == pytest.approx(np.mean(a - b), rel=1e-12)
    assert diff.p_value == pytest.approx(test.pvalue, rel=1e-9)
    assert diff.significant == (diff.low > 0 or diff.high < 0)
    assert diff.significant == (diff.p_value < 0.05)
    assert diff.baseline_mean == pytest.approx(np.mean(b))
    assert diff.relative == pytest.approx(diff.mean / abs(np.mean(b)))


def test_identical_configurations_differ_by_exactly_zero() -> None:
    values = [1.0, 2.0, 3.5]
    diff = paired_difference(values, values)
    assert diff.mean == 0.0
    assert diff.half_width == 0.0
    assert diff.p_value == 1.0
    assert not diff.significant


def test_paired_difference_drops_incomplete_pairs() -> None:
    diff = paired_difference([1.0, math.nan, 3.0, 4.0], [0.0, 1.0, math.nan, 2.0])
    assert diff.n == 2
    assert diff.missing == 2
    assert diff.mean == 1.5


def test_paired_samples_must_be_as_long() -> None:
    with pytest.raises(ValueError, match="length"):
        paired_difference([1.0, 2.0], [1.0])


def test_stopping_rule_checks_its_fields() -> None:
    with pytest.raises(ValueError, match="KPI"):
        StoppingRule(kpis=())
    with pytest.raises(ValueError, match="relative_half_width"):
        StoppingRule(relative_half_width=0)
    with pytest.raises(ValueError, match="n_min"):
        StoppingRule(n_min=1)
    with pytest.raises(ValueError, match="n_max"):
        StoppingRule(n_min=20, n_max=10)


def test_stopping_n_is_the_first_prefix_that_meets_the_target() -> None:
    rng = np.random.default_rng(3)
    values = {"x": list(rng.normal(100, 20, 300))}
    rule = StoppingRule(kpis=("x",), relative_half_width=0.03, n_min=5, n_max=300)
    n = stopping_n(values, rule)
    assert n is not None
    assert estimate(values["x"][:n]).relative_half_width <= 0.03
    assert all(estimate(values["x"][:m]).relative_half_width > 0.03 for m in range(rule.n_min, n))
    # More values after the stopping point change nothing.
    assert stopping_n({"x": values["x"][: n + 7]}, rule) == n
    assert stopping_n({"x": values["x"][: n - 1]}, rule) is None


def test_stopping_needs_every_kpi() -> None:
    rule = StoppingRule(kpis=("a", "b"), relative_half_width=0.1, n_min=3, n_max=50)
    values = {"a": [10.0, 10.1, 9.9, 10.0], "b": [1.0, 5.0, 0.1, 9.0]}
    assert stopping_n(values, rule) is None
    assert stopping_n({"a": values["a"], "b": [1.0] * 4}, rule) == 3


def test_next_batch_projects_and_caps() -> None:
    rule = StoppingRule(kpis=("x",), relative_half_width=0.05, n_min=10, n_max=40)
    rng = np.random.default_rng(5)
    values = {"x": list(rng.normal(100, 30, 10))}
    more = next_batch(values, rule, workers=4)
    assert 1 <= more <= 12  # at most doubling, rounded up to whole rounds of workers
    assert more % 4 == 0 or 10 + more == rule.n_max
    assert next_batch({"x": list(rng.normal(100, 30, 38))}, rule, workers=8) == 2
    assert next_batch({"x": list(rng.normal(100, 30, 40))}, rule) == 0
