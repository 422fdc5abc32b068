"""A shop's demand and a source's harvests drawn in blocks of days: the same processes.

:class:`~fieldtotable.model.store_demand.DemandDraws` and
:class:`~fieldtotable.model.collection.HarvestDraws` draw ``BLOCK_DAYS`` days at a
time. A block of one day is the per-day scheme the model had before, draw for draw
(written out here as the reference; ``test_overload_compatibility.py`` also checks
fingerprints recorded by an earlier commit with blocks of one day). Longer blocks give
other numbers from the same seed, so their process is checked against theory and,
over 30 paired replications of the 2023 baseline, against the per-day scheme.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from scipy import stats

from fieldtotable import builtin_scenario, simulate
from fieldtotable.model import store_demand
from fieldtotable.model.collection import HarvestDraws, SourceProcess
from fieldtotable.model.context import BLOCK_DAYS, Calendar
from fieldtotable.model.market import StoreProcess
from fieldtotable.model.store_demand import DemandDraws
from fieldtotable.scenario.distributions import Distribution, make_sampler, make_vector_sampler
from scenario_builders import build_scenario

SHARES = np.array([0.5, 1.0, 1.0, 1.0, 0.5]) / 4.0
OPENING_H = 8.5


def _demand(customers: dict[str, Any], kg: Any, **factors: Any) -> Any:
    """A store demand entry of the small scenario with these distributions."""
    entry = {"customers_per_day": customers, "kg_per_customer": kg, **factors}
    scenario = build_scenario({"markets.store.demand": {"matsutake": entry}})
    return scenario.markets["store"].demand["matsutake"]  # type: ignore[union-attr]


def _draws(
    demand: Any, seed: int, *, block_days: int = BLOCK_DAYS, horizon_days: int = 400
) -> DemandDraws:
    return DemandDraws(
        0,
        demand,
        np.random.default_rng(seed),
        scale=1.0,
        calendar=Calendar(build_scenario().start_date, horizon_days),
        slot_shares=SHARES,
        opening_h=OPENING_H,
        horizon_h=horizon_days * 24.0,
        path="markets.store.demand.matsutake",
        block_days=block_days,
    )


def _per_day_reference(demand: Any, seed: int, days: int) -> Iterator[list[float] | None]:
    """The per-day scheme as the model had it: count, multinomial and kg vector, each day."""
    rng = np.random.default_rng(seed)
    calendar = Calendar(build_scenario().start_date, days)
    counts = demand.customers_per_day
    kg_values = make_vector_sampler(demand.kg_per_customer, rng)
    value = make_sampler(counts, rng)
    for day in range(days):
        factor = (
            demand.weekday_factors[calendar.weekday[day]] * demand.season[calendar.month[day] - 1]
        )
        if counts.dist == "poisson":
            customers = int(rng.poisson(counts.expected * factor)) if factor > 0 else 0
        else:
            scaled = value() * factor
            whole = math.floor(scaled)
            customers = whole + int(rng.random() < scaled - whole)
        if not customers:
            yield None
            continue
        per_slot = rng.multinomial(customers, SHARES).tolist()
        sums = kg_values(customers).cumsum().tolist()
        slot_kg, position, previous = [0.0] * len(SHARES), 0, 0.0
        for slot, served in enumerate(per_slot):
            if served:
                position += served
                slot_kg[slot] = sums[position - 1] - previous
                previous = sums[position - 1]
        yield slot_kg


DEMANDS = {
    "poisson_uniform": (
        {"dist": "poisson", "mean": 40},
        {"dist": "uniform", "low": 0.2, "high": 1},
    ),
    "poisson_constant": ({"dist": "poisson", "mean": 3}, 0.75),
    "normal_lognormal": (
        {"dist": "normal", "mean": 12.3, "sd": 5},
        {"dist": "lognormal", "mean": 0.6, "cv": 0.5},
    ),
    "uniform_few": ({"dist": "uniform", "low": 0, "high": 1.5}, 1.0),
}


@pytest.mark.parametrize("name", DEMANDS)
@pytest.mark.parametrize("seed", [0, 7])
def test_a_block_of_one_day_is_the_per_day_scheme_draw_for_draw(name: str, seed: int) -> None:
    customers, kg = DEMANDS[name]
    demand = _demand(customers, kg, weekday_factors=[1, 1, 1, 1, 1.3, 0, 0.7])
    draws = _draws(demand, seed, block_days=1, horizon_days=120)
    for day, expected in enumerate(_per_day_reference(demand, seed, 120)):
        drawn = draws.day(day)
        assert (None if drawn is None else drawn[0]) == expected, day


@pytest.mark.parametrize("name", DEMANDS)
def test_a_shorter_horizon_sees_the_same_demand_on_its_days(name: str) -> None:
    customers, kg = DEMANDS[name]
    demand = _demand(customers, kg)
    long, short = _draws(demand, 3, horizon_days=400), _draws(demand, 3, horizon_days=45)
    assert [long.day(day) for day in range(45)] == [short.day(day) for day in range(45)]
    # The short run's last block draws no kg for its days past the horizon.
    assert all(short.day(day) is None for day in range(45, 2 * BLOCK_DAYS))


@pytest.mark.python_model  # patches a model module's constant
def test_chunks_of_customers_give_the_kg_of_one_vector(monkeypatch: pytest.MonkeyPatch) -> None:
    demand = _demand({"dist": "poisson", "mean": 40}, {"dist": "uniform", "low": 0.2, "high": 1})
    whole = [_draws(demand, 5).day(day) for day in range(100)]
    monkeypatch.setattr(store_demand, "CHUNK_CUSTOMERS", 1)  # every day a chunk of its own
    chunked = [_draws(demand, 5).day(day) for day in range(100)]
    for day, (one, other) in enumerate(zip(whole, chunked, strict=True)):
        assert (one is None) == (other is None), day
        if one is not None and other is not None:
            assert one[1] == other[1]
            np.testing.assert_allclose(one[0], other[0], rtol=1e-9, atol=1e-12)


def test_counts_are_a_poisson_process_over_the_slots() -> None:
    """With one kg a customer a slot's kg is its count: independent Poissons, mean x share."""
    mean = 6.0
    demand = _demand({"dist": "poisson", "mean": mean}, 1.0)
    days = 40 * 365
    counts = np.zeros((days, len(SHARES)))
    for stream in range(40):
        draws = _draws(demand, 100 + stream, horizon_days=365)
        for day in range(365):
            drawn = draws.day(day)
            if drawn is not None:
                counts[stream * 365 + day] = drawn[0]
    expected = mean * SHARES
    # Each slot's mean within 4 standard errors, its variance equal to its mean
    # (Poisson), and two slots uncorrelated (a Poisson count split by a multinomial).
    error = np.sqrt(expected / days)
    assert np.all(np.abs(counts.mean(axis=0) - expected) < 4 * error)
    dispersion = counts.var(axis=0, ddof=1) / counts.mean(axis=0)
    assert np.all(np.abs(dispersion - 1) < 4 * math.sqrt(2 / days) + 0.02)
    correlation = np.corrcoef(counts[:, 1], counts[:, 2])[0, 1]
    assert abs(correlation) < 4 / math.sqrt(days)


def test_rounded_counts_keep_the_mean() -> None:
    """A non-Poisson count is rounded up or down at random: its mean is kept."""
    demand = _demand({"dist": "uniform", "low": 0, "high": 1.5}, 1.0)
    totals = []
    for seed in range(20):
        draws = _draws(demand, seed)
        for day in range(365):
            drawn = draws.day(day)
            totals.append(0.0 if drawn is None else sum(drawn[0]))
    assert statistics.fmean(totals) == pytest.approx(0.75, abs=4 * math.sqrt(0.44 / len(totals)))


def _harvest_reference(
    kg: Distribution, cv: float, season: tuple[float, ...], seed: int, days: int
) -> list[tuple[float, float] | None]:
    """The per-day harvests as the model had them: a kg draw, then a lognormal, each day."""
    rng = np.random.default_rng(seed)
    sample = make_sampler(kg, rng)
    sigma = math.sqrt(math.log1p(cv * cv))
    calendar = Calendar(build_scenario().start_date, days)
    drawn: list[tuple[float, float] | None] = []
    for day in range(days):
        factor = season[calendar.month[day] - 1]
        if factor <= 0:
            drawn.append(None)
            continue
        kg_drawn = sample() * factor
        limit = float(rng.lognormal(-sigma * sigma / 2, sigma)) if sigma else 1.0
        drawn.append((kg_drawn, limit))
    return drawn


SEASON = (0.0, 0.0, 0.5, 1.0, 1.0, 1.2, 1.2, 1.0, 0.8, 0.4, 0.0, 0.0)


def _harvests(kg: Distribution, cv: float, seed: int, block_days: int) -> HarvestDraws:
    calendar = Calendar(build_scenario().start_date, 400)
    return HarvestDraws(0, kg, np.random.default_rng(seed), SEASON, cv, calendar, block_days)


@pytest.mark.parametrize("cv", [0.0, 0.3])
@pytest.mark.parametrize(
    "kg",
    [
        {"dist": "normal", "mean": 100, "sd": 30},
        {"dist": "triangular", "low": 5, "mode": 9, "high": 20},
    ],
)
def test_harvests_in_blocks_of_one_day_are_the_per_day_scheme(
    kg: dict[str, Any], cv: float
) -> None:
    distribution = Distribution.model_validate(kg)
    draws = _harvests(distribution, cv, 11, 1)
    expected = _harvest_reference(distribution, cv, SEASON, 11, 365)
    assert [draws.day(day) for day in range(365)] == expected


def test_harvests_in_blocks_keep_the_season_and_the_distributions() -> None:
    distribution = Distribution.model_validate({"dist": "normal", "mean": 100, "sd": 30})
    kg_in_june, limits = [], []
    months = Calendar(build_scenario().start_date, 365).month
    for seed in range(30):
        draws = _harvests(distribution, 0.3, seed, BLOCK_DAYS)
        for day in range(365):
            drawn = draws.day(day)
            month = months[day]
            assert (drawn is None) == (SEASON[month - 1] == 0), day
            if drawn is not None:
                limits.append(drawn[1])
                if month == 6:
                    kg_in_june.append(drawn[0])
    # June: factor 1.2 on a normal(100, 30) clipped at 0 (the clip moves the mean by 0.0004).
    assert statistics.fmean(kg_in_june) == pytest.approx(
        120, abs=4 * 36 / math.sqrt(len(kg_in_june))
    )
    # The relative shelf life: lognormal with mean 1 and CV 0.3.
    relative_shelf_life = stats.lognorm(math.sqrt(math.log1p(0.09)), scale=1 / math.sqrt(1.09))
    assert stats.kstest(limits, relative_shelf_life.cdf).pvalue > 0.001


KPIS = ("harvested_kg", "demand_kg", "sold_kg", "spoilage_rate", "fill_rate", "sold_value_cny")
REPLICATIONS = 30


@pytest.mark.slow
def test_baseline_2023_kpis_unchanged_over_paired_replications(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """30 paired replications of the 2023 baseline: blocks of days against draws per day.

    The pairs share every stream but the shop's demand and the sources' harvests,
    whose numbers the blocks change. For each KPI the 95 % confidence interval of the
    paired differences (Bonferroni over the KPIs) must contain 0 and be narrow enough
    to see a 2 % change (half a percentage point for a rate); the blocks' mean sold
    value must stay within 3 % of the 65.1 M CNY calibration target.
    """
    scenario = builtin_scenario("baseline_2023")
    pairs: dict[str, list[tuple[float, float]]] = {kpi: [] for kpi in KPIS}
    for replication in range(REPLICATIONS):
        with monkeypatch.context() as per_day:
            per_day.setattr(StoreProcess, "demand_block_days", 1)
            per_day.setattr(SourceProcess, "harvest_block_days", 1)
            old = simulate(scenario, seed=2023, replication=replication)
        new = simulate(scenario, seed=2023, replication=replication)
        for kpi in KPIS:
            pairs[kpi].append((old.kpis[kpi], new.kpis[kpi]))
    quantile = stats.t.ppf(1 - 0.05 / (2 * len(KPIS)), REPLICATIONS - 1)
    for kpi, values in pairs.items():
        differences = [new - old for old, new in values]
        half = quantile * statistics.stdev(differences) / math.sqrt(REPLICATIONS)
        mean = statistics.fmean(differences)
        assert mean - half <= 0.0 <= mean + half, (kpi, mean, half)
        # Power: a change of 2 % (half a percentage point for a rate) would show.
        level = statistics.fmean(old for old, _new in values)
        assert half < (0.005 if kpi.endswith("_rate") else 0.02 * level), (kpi, half, level)
    sold_value = statistics.fmean(new for _old, new in pairs["sold_value_cny"])
    assert sold_value == pytest.approx(65.1e6, rel=0.03)
