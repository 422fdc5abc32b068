"""Tail statistics against closed forms, their intervals' coverage, and pairing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from fieldtotable.experiment.tails import (
    cvar_estimate,
    paired_tail_difference,
    quantile_estimate,
    target_probability,
)


def _normal(size: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).normal(10.0, 2.0, size)


def test_quantiles_match_the_normal_distribution() -> None:
    values = _normal(50_000)
    for probability in (0.05, 0.5, 0.95):
        found = quantile_estimate(values, probability, resamples=100)
        expected = 10.0 + 2.0 * norm.ppf(probability)
        assert found.value == pytest.approx(expected, abs=0.06)  # 3 standard errors
        assert found.low <= found.value <= found.high
    assert quantile_estimate(values, 0.95, resamples=100).statistic == "P95"


def test_cvar_matches_closed_forms() -> None:
    # Normal(mu, sigma), upper tail: mu + sigma * phi(z) / (1 - level).
    values = _normal(50_000)
    level = 0.95
    expected = 10.0 + 2.0 * norm.pdf(norm.ppf(level)) / (1 - level)
    assert cvar_estimate(values, level, "higher", resamples=100).value == pytest.approx(
        expected, rel=6e-3
    )
    # The lower tail of the same normal mirrors it.
    mirrored = 10.0 - 2.0 * norm.pdf(norm.ppf(level)) / (1 - level)
    assert cvar_estimate(values, level, "lower", resamples=100).value == pytest.approx(
        mirrored, rel=6e-3
    )
    # Exponential(rate): VaR + 1 / rate, VaR = -ln(1 - level) / rate (memorylessness).
    rate = 0.5
    exponential = np.random.default_rng(2).exponential(1 / rate, 50_000)
    expected = -math.log(1 - level) / rate + 1 / rate
    assert cvar_estimate(exponential, level, "higher", resamples=100).value == pytest.approx(
        expected, rel=1.5e-2
    )


def test_cvar_of_a_small_sample_is_the_mean_of_its_worst_share() -> None:
    # 20 values, level 0.9: the worst 10 % are exactly the two largest.
    values = np.arange(1.0, 21.0)
    assert cvar_estimate(values, 0.9, "higher").value == pytest.approx(19.5)
    assert cvar_estimate(values, 0.9, "lower").value == pytest.approx(1.5)


def test_bootstrap_interval_covers_about_as_often_as_it_says() -> None:
    # A seeded simulation study: 300 samples of 200 exponential values; the 90 %
    # interval of P90 should cover the true P90 close to 90 % of the time (the
    # percentile bootstrap of a quantile is slightly liberal at this size).
    rate, probability, confidence = 1.0, 0.9, 0.90
    truth = -math.log(1 - probability) / rate
    generator = np.random.default_rng(7)
    covered = 0
    studies = 300
    for study in range(studies):
        sample = generator.exponential(1 / rate, 200)
        found = quantile_estimate(
            sample, probability, confidence=confidence, resamples=400, seed=study
        )
        covered += found.low <= truth <= found.high
    share = covered / studies
    tolerance = 3 * math.sqrt(confidence * (1 - confidence) / studies)
    assert confidence - tolerance - 0.03 <= share <= confidence + tolerance


def test_pairing_narrows_the_interval_of_a_tail_difference() -> None:
    # Two configurations driven by the same replication noise (common random numbers)
    # and a small own noise: the paired interval is much narrower than one that
    # resamples the two independently.
    generator = np.random.default_rng(3)
    shared = generator.normal(0.0, 1.0, 400)
    baseline = 5.0 + shared + generator.normal(0.0, 0.1, 400)
    better = 4.5 + shared + generator.normal(0.0, 0.1, 400)
    paired = paired_tail_difference(better, baseline, "quantile", 0.9)
    shuffled = generator.permutation(baseline)  # breaks the pairing, keeps the marginal
    unpaired = paired_tail_difference(better, shuffled, "quantile", 0.9)
    assert paired.high - paired.low < 0.5 * (unpaired.high - unpaired.low)
    assert paired.low <= -0.5 <= paired.high
    cvar = paired_tail_difference(better, baseline, "cvar", 0.9, bad="higher")
    assert cvar.value == pytest.approx(-0.5, abs=0.1)


def test_target_probability_has_wilson_intervals() -> None:
    values = [0.95] * 18 + [0.85] * 2
    found = target_probability(values, ">=", 0.9, name="fill_rate")
    assert found.statistic == "P(fill_rate >= 0.9)"
    assert found.value == pytest.approx(0.9)
    # Wilson 95 % interval for 18 of 20 (textbook values: 0.699 to 0.972).
    assert found.low == pytest.approx(0.6990, abs=5e-4)
    assert found.high == pytest.approx(0.9721, abs=5e-4)
    none_met = target_probability([1.0] * 10, "<=", 0.5)
    z = norm.ppf(0.975)
    assert none_met.value == 0.0
    assert none_met.low == 0.0
    assert none_met.high == pytest.approx(z * z / (10 + z * z))


def test_same_seed_same_interval_and_nan_handling() -> None:
    values = [*_normal(50), math.nan]
    first = quantile_estimate(values, 0.95, seed=4)
    assert first == quantile_estimate(values, 0.95, seed=4)
    assert first != quantile_estimate(values, 0.95, seed=5)
    assert first.n == 50
    assert math.isnan(quantile_estimate([1.0], 0.5).value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: quantile_estimate([1.0, 2.0], 1.0), "probability must be between 0 and 1"),
        (lambda: cvar_estimate([1.0, 2.0], 0.9, "up"), "bad must be 'higher' or 'lower'"),  # type: ignore[arg-type]
        (lambda: quantile_estimate([1.0, 2.0], 0.5, resamples=10), "at least 100"),
        (lambda: target_probability([1.0], "<", 0.5), "sense must be"),  # type: ignore[arg-type]
        (
            lambda: paired_tail_difference([1.0, 2.0], [1.0], "quantile", 0.5),
            "equal length",
        ),
    ],
)
def test_bad_arguments_say_what_is_wrong(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_ranking_by_cvar_can_differ_from_ranking_by_the_mean() -> None:
    # Spoilage (higher is bad) of two configurations over 200 replications: A is lower
    # on average but has a bad tail (one year in ten is a disaster); B is steadier.
    generator = np.random.default_rng(11)
    steady = generator.normal(0.060, 0.004, 200)
    disaster = generator.random(200) < 0.1
    risky = np.where(disaster, 0.12, 0.050) + generator.normal(0.0, 0.004, 200)
    assert risky.mean() < steady.mean()  # by the mean, A is better
    risky_tail = cvar_estimate(risky, 0.95, "higher")
    steady_tail = cvar_estimate(steady, 0.95, "higher")
    assert risky_tail.low > steady_tail.high  # by CVaR95, B is better, clearly
