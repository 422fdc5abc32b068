"""Tail statistics read from experiment results: quantiles, CVaR, targets, paired tails."""

from __future__ import annotations

import numpy as np
import pytest

from fieldtotable import apply_overrides, builtin_scenario, compare, replicate, simulate
from fieldtotable.experiment.results import ExperimentResult, bad_direction
from fieldtotable.results.periods import period_series
from fieldtotable.scenario import Scenario


@pytest.fixture(scope="module")
def experiment(small_scenario: Scenario) -> ExperimentResult:
    return replicate(small_scenario, 20, seed=3, executor="serial", progress=False)


def test_quantile_is_read_from_the_replications(experiment: ExperimentResult) -> None:
    values = np.array(experiment.replication_values("spoilage_rate"))
    found = experiment.quantile("spoilage_rate", 0.9)
    assert found.value == pytest.approx(float(np.quantile(values, 0.9)))
    assert found.n == 20
    assert found.confidence == experiment.confidence
    # Seeded by the experiment: asking again gives the same interval.
    assert found == experiment.quantile("spoilage_rate", 0.9)


def test_cvar_takes_the_bad_side_from_the_registry(experiment: ExperimentResult) -> None:
    assert bad_direction("spoilage_rate") == "higher"
    assert bad_direction("fill_rate") == "lower"
    spoilage = np.sort(experiment.replication_values("spoilage_rate"))
    fill = np.sort(experiment.replication_values("fill_rate"))
    # Level 0.9 of 20 replications: the mean of the two worst.
    assert experiment.cvar("spoilage_rate", 0.9).value == pytest.approx(spoilage[-2:].mean())
    assert experiment.cvar("fill_rate", 0.9).value == pytest.approx(fill[:2].mean())
    assert experiment.cvar("fill_rate", 0.9, bad="higher").value == pytest.approx(fill[-2:].mean())
    with pytest.raises(ValueError, match="neither higher nor lower"):
        bad_direction("no_such_kpi")


def test_probability_of_a_target(experiment: ExperimentResult) -> None:
    fill = np.array(experiment.replication_values("fill_rate"))
    limit = float(np.median(fill))
    found = experiment.probability("fill_rate", ">=", limit)
    assert found.value == pytest.approx(float(np.mean(fill >= limit)))
    assert found.low < found.value < found.high
    with pytest.raises(ValueError, match="sense must be"):
        experiment.probability("fill_rate", "=", limit)


def test_paired_tail_difference_of_a_comparison(small_scenario: Scenario) -> None:
    warmer = apply_overrides(small_scenario, {"scale": 1.5})
    result = compare(
        {"base": small_scenario, "more": warmer}, 12, seed=1, executor="serial", progress=False
    )
    found = result.tail_difference("more", "spoilage_rate", "cvar", 0.9)
    more = result.results["more"].cvar("spoilage_rate", 0.9).value
    base = result.results["base"].cvar("spoilage_rate", 0.9).value
    assert found.value == pytest.approx(more - base)
    same = result.tail_difference("base", "spoilage_rate", "quantile", 0.5)
    assert (same.value, same.low, same.high) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="no configuration named 'other'"):
        result.tail_difference("other", "spoilage_rate")


def test_monthly_series_sum_and_divide_over_complete_months() -> None:
    scenario = builtin_scenario("baseline").with_horizon(75)  # 2023-01-01 + 75 days
    run = simulate(scenario, 0)
    months = period_series(run, "spoilage_rate", "month")
    assert [m.label for m in months] == ["2023-01", "2023-02"]  # March is incomplete
    january = slice(months[0].first_day, months[0].first_day + months[0].days)
    assert months[0].days == 31
    expected = sum(run.daily["spoiled_kg"][january]) / sum(run.daily["harvested_kg"][january])
    assert months[0].value == pytest.approx(expected)
    weeks = period_series(run, "sold_kg", "week")
    assert len(weeks) == 75 // 7
    assert weeks[1].first_day == 7
    assert weeks[1].value == pytest.approx(sum(run.daily["sold_kg"][7:14]))
    with pytest.raises(ValueError, match="has no monthly series"):
        period_series(run, "profit_cny", "month")
    with pytest.raises(ValueError, match="period must be"):
        period_series(run, "sold_kg", "day")


def test_tails_of_periods_pool_every_replication(experiment: ExperimentResult) -> None:
    matrix = np.array(experiment.period_values("fill_rate", "week"))
    assert matrix.shape == (20, 1)  # the 10-day scenario has one complete week
    share = experiment.probability("fill_rate", ">=", float(np.median(matrix)), period="week")
    assert share.value == pytest.approx(float(np.mean(matrix >= np.median(matrix))))
    assert share.n == 20
    worst = experiment.cvar("fill_rate", 0.9, period="week")
    assert worst.value == pytest.approx(np.sort(matrix.ravel())[:2].mean())
    assert "weekly fill_rate" in worst.statistic
