"""Weather years: draws per replication, their statistics, CRN, closures and validation."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import fieldtotable as ft
from fieldtotable.errors import ScenarioError
from fieldtotable.experiment.records import run_from_data, run_to_data
from fieldtotable.model.context import Calendar, replication_seed
from fieldtotable.model.thermal import hourly_temperatures
from fieldtotable.model.transport import sample_closures
from fieldtotable.model.weather import apply_weather, draw_weather
from fieldtotable.model.world import World
from fieldtotable.scenario import parse_scenario
from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.dump import dump_scenario
from fieldtotable.scenario.schema import Closures
from fieldtotable.scenario.schema_weather import ClimateVariation, HeatWaves

MINIMAL = (Path(__file__).parents[2] / "scenarios" / "minimal.yaml").read_text(encoding="utf-8")
SHANGRI_LA = (-3.8, -1.6, 1.7, 5.2, 9.6, 12.6, 13.2, 12.5, 11.1, 6.5, 0.8, -2.9)
START = dt.date(2023, 1, 1)


def _variation(**fields: object) -> ClimateVariation:
    return ClimateVariation.model_validate(fields)


def _draws(variation: ClimateVariation, replications: int, days: int = 365) -> list:
    month = Calendar(START, days).month
    return [
        draw_weather(variation, "shangri_la", START, month, replication_seed(7, i))
        for i in range(replications)
    ]


def _with_variation(variation_yaml: str, legs_yaml: str = "") -> str:
    anchor = "    daily_range_c: 12 "
    assert MINIMAL.count(anchor) == 1
    text = MINIMAL.replace(anchor, f"    variation: {variation_yaml}\n{anchor}", 1)
    return _with_closures(text, legs_yaml) if legs_yaml else text


def _with_closures(text: str, closures_yaml: str) -> str:
    """Replace the minimal channel's closures line with ``closures_yaml``."""
    [line] = [line for line in text.splitlines() if line.startswith("    closures:")]
    return text.replace(line, closures_yaml, 1)


# --- the draws' statistics --------------------------------------------------------------


def test_anomalies_have_mean_zero_the_declared_sd_and_lag_one_correlation() -> None:
    variation = _variation(monthly_anomaly_sd_c=1.5, anomaly_autocorrelation=0.6)
    draws = np.array([w.monthly_anomaly_c for w in _draws(variation, 300, days=3650)])
    assert draws.shape == (300, 120)
    # 36,000 anomalies: the mean's standard error is about 0.02 °C (more with the AR(1)).
    assert abs(draws.mean()) < 0.1
    assert draws.std() == pytest.approx(1.5, rel=0.03)
    lag_one = np.corrcoef(draws[:, :-1].ravel(), draws[:, 1:].ravel())[0, 1]
    assert lag_one == pytest.approx(0.6, abs=0.03)
    lag_two = np.corrcoef(draws[:, :-2].ravel(), draws[:, 2:].ravel())[0, 1]
    assert lag_two == pytest.approx(0.36, abs=0.04)


def test_a_sd_per_month_scales_each_month() -> None:
    sd = (0.5,) * 6 + (2.0,) * 6
    draws = np.array(
        [w.monthly_anomaly_c for w in _draws(_variation(monthly_anomaly_sd_c=sd), 2000)]
    )
    assert draws[:, :6].std() == pytest.approx(0.5, rel=0.05)
    assert draws[:, 6:].std() == pytest.approx(2.0, rel=0.05)


def test_mean_temperature_over_replications_is_the_normal_climate() -> None:
    variation = _variation(monthly_anomaly_sd_c=2.0, anomaly_autocorrelation=0.5)
    calendar = Calendar(START, 365)
    normal = hourly_temperatures(SHANGRI_LA, 12.0, calendar.month)
    mean = np.mean(
        [apply_weather(normal, weather, START) for weather in _draws(variation, 400)], axis=0
    )
    days = np.asarray(calendar.month)
    for month in range(1, 13):
        hours = np.repeat(days == month, 24)
        # 400 draws of sd 2: the standard error of a month's mean is 0.1 °C.
        assert mean[hours].mean() == pytest.approx(SHANGRI_LA[month - 1], abs=0.4)


def test_heat_waves_per_year_are_poisson_in_their_months() -> None:
    heat = HeatWaves(
        per_year=3.0,
        months=(6, 7, 8),
        duration_days=Distribution(dist="constant", value=4),
        excess_c=Distribution(dist="constant", value=5),
    )
    draws = _draws(_variation(heat_waves=heat), 1000)
    counts = np.array([len(w.heat_waves) for w in draws])
    assert counts.mean() == pytest.approx(3.0, abs=0.2)
    assert counts.var() == pytest.approx(3.0, rel=0.15)
    month = Calendar(START, 365).month
    assert all(month[wave.start_day] in (6, 7, 8) for w in draws for wave in w.heat_waves)
    assert all(wave.days == 4 and wave.excess_c == 5.0 for w in draws for wave in w.heat_waves)


def test_heat_waves_add_their_excess_on_their_days() -> None:
    heat = HeatWaves(
        per_year=10.0,
        months=(7,),
        duration_days=Distribution(dist="constant", value=2),
        excess_c=Distribution(dist="constant", value=6),
    )
    [weather] = _draws(_variation(heat_waves=heat), 1)
    assert weather.heat_waves
    calendar = Calendar(START, 365)
    normal = hourly_temperatures(SHANGRI_LA, 0.0, calendar.month)
    shifted = apply_weather(normal, weather, START)
    hot_days = {d for wave in weather.heat_waves for d in range(wave.start_day, wave.start_day + 2)}
    for day in range(365):
        expected = 6.0 if day in hot_days else 0.0
        assert shifted[day * 24] - normal[day * 24] == pytest.approx(expected)
    assert weather.record(365)["heat_wave_days"] == len(hot_days)


def test_wetness_has_mean_one_and_the_declared_cv() -> None:
    draws = np.array([w.wetness for w in _draws(_variation(wetness_cv=0.5), 4000)]).ravel()
    assert draws.mean() == pytest.approx(1.0, abs=0.03)
    assert draws.std() / draws.mean() == pytest.approx(0.5, rel=0.08)
    assert _draws(_variation(), 1)[0].wetness == (1.0,)


# --- closures with the wet season -------------------------------------------------------


def test_month_weights_make_wet_months_close_more_often() -> None:
    weights = (1.0,) * 5 + (4.0,) * 4 + (1.0,) * 3  # June-September four times as often
    closures = Closures(
        per_year=12.0, month_weights=weights, duration_h=Distribution(dist="constant", value=1)
    )
    month = Calendar(START, 365 * 40).month
    starts = sample_closures(closures, month, np.random.default_rng(1))
    per_day = (
        np.bincount([month[int(s // 24)] for s, _ in starts], minlength=13)[1:]
        / (np.bincount(month, minlength=13)[1:])
    )
    wet, dry = per_day[5:9].mean(), np.r_[per_day[:5], per_day[9:]].mean()
    assert wet / dry == pytest.approx(4.0, rel=0.2)
    assert len(starts) / 40 == pytest.approx(12.0, rel=0.1)


def test_a_wet_year_brings_more_closures() -> None:
    closures = Closures(per_year=20.0, duration_h=Distribution(dist="constant", value=1))
    month = Calendar(START, 365).month
    dry = sample_closures(closures, month, np.random.default_rng(2), [0.5] * 365)
    wet = sample_closures(closures, month, np.random.default_rng(2), [2.0] * 365)
    assert len(wet) > 2 * len(dry)


def test_without_weights_or_wetness_closures_are_drawn_as_before() -> None:
    closures = Closures(
        per_year=6.0, months=(6, 7, 8, 9), duration_h=Distribution(dist="constant", value=5)
    )
    month = Calendar(START, 365).month
    plain = sample_closures(closures, month, np.random.default_rng(3))
    ones = sample_closures(closures, month, np.random.default_rng(3), [1.0] * 365)
    assert plain == ones


# --- runs: results, common random numbers, no variation unchanged -----------------------

VARIED = _with_variation(
    "{monthly_anomaly_sd_c: 1.0, anomaly_autocorrelation: 0.3, wetness_cv: 0.4,"
    " heat_waves: {per_year: 2, months: [7, 8], duration_days: 4, excess_c: 5}}",
    "    closures: {per_year: 4, months: [7, 8, 9], duration_h: 24, wetness_region: shangri_la}",
)


def test_the_run_records_its_weather_and_keeps_it_in_json_and_stores() -> None:
    scenario = parse_scenario(VARIED, "s.yaml").with_horizon(40)
    result = ft.simulate(scenario, seed=3, replication=2)
    weather = result.weather["shangri_la"]
    assert weather["months"] == ["2023-07", "2023-08"]
    assert len(weather["monthly_anomaly_c"]) == 2
    assert weather["years"] == [2023]
    assert result.to_dict()["weather"] == result.weather
    assert run_from_data(run_to_data(result)) == result
    assert "shanghai" not in result.weather


def test_the_same_replication_draws_the_same_weather_in_every_configuration() -> None:
    scenario = parse_scenario(VARIED, "s.yaml").with_horizon(30)
    other = ft.apply_overrides(
        scenario, {"legs.shangrila_shanghai.fleet": 2, "markets.shanghai_store.issuing": "FIFO"}
    )
    one, two = World(scenario, 5, replication=4), World(other, 5, replication=4)
    assert one.weather == two.weather
    hourly = one.context.ambient["shangri_la"].hourly_temp_c
    assert np.array_equal(hourly, two.context.ambient["shangri_la"].hourly_temp_c)
    assert one.legs["shangrila_shanghai"].closures == two.legs["shangrila_shanghai"].closures
    assert World(scenario, 5, replication=5).weather != one.weather


def test_weather_moves_spoilage_but_no_other_stream() -> None:
    plain = ft.load_scenario(Path(__file__).parents[2] / "scenarios" / "minimal.yaml")
    hot = _with_variation(
        "{heat_waves: {per_year: 50, months: [7, 8, 9], duration_days: 5, excess_c: 15}}"
    )
    scenario, varied = plain.with_horizon(30), parse_scenario(hot, "s.yaml").with_horizon(30)
    base, heated = ft.simulate(scenario, seed=1), ft.simulate(varied, seed=1)
    assert heated.kpis["harvested_kg"] == base.kpis["harvested_kg"]
    assert heated.kpis["demand_kg"] == base.kpis["demand_kg"]
    assert heated.kpis["spoiled_kg"] > base.kpis["spoiled_kg"]


def test_a_variation_of_zeros_gives_exactly_the_results_without_one() -> None:
    plain = ft.load_scenario(Path(__file__).parents[2] / "scenarios" / "minimal.yaml")
    zeros = parse_scenario(_with_variation("{monthly_anomaly_sd_c: 0}"), "s.yaml")
    base = ft.simulate(plain.with_horizon(30), seed=2)
    same = ft.simulate(zeros.with_horizon(30), seed=2)
    assert same.weather["shangri_la"]["monthly_anomaly_c"] == [0.0]
    assert dataclasses.replace(same, weather={}) == base
    assert "weather" not in base.to_dict()
    assert base.weather == {}


# --- bad input: one line each -----------------------------------------------------------


def _problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    assert all(p.file == "s.yaml" for p in caught.value.problems)
    return [(p.line, p.path, p.message) for p in caught.value.problems]


def _line(text: str, snippet: str) -> int:
    [number] = [i for i, line in enumerate(text.splitlines(), 1) if snippet in line]
    return number


@pytest.mark.parametrize(
    ("variation", "path", "message"),
    [
        (
            "{monthly_anomaly_sd_c: [1, 1, 1]}",
            "climate.shangri_la.variation.monthly_anomaly_sd_c",
            "give one number or twelve, January to December (got 3)",
        ),
        (
            "{anomaly_autocorrelation: 1.5}",
            "climate.shangri_la.variation.anomaly_autocorrelation",
            "must be <= 0.99 (got 1.5)",
        ),
        (
            "{monthly_anomaly_sd_c: -1}",
            "climate.shangri_la.variation.monthly_anomaly_sd_c",
            "must be between 0 and 10 (got -1)",
        ),
        (
            "{heat_waves: {per_year: 2, duration_days: 3}}",
            "climate.shangri_la.variation.heat_waves.excess_c",
            "required key missing",
        ),
        (
            "{wetness: 1}",
            "climate.shangri_la.variation.wetness",
            None,
        ),
    ],
)
def test_bad_variation_is_one_line(variation: str, path: str, message: str | None) -> None:
    text = _with_variation(variation)
    [(line, found_path, found)] = _problems(text)
    assert line == _line(text, "variation:")
    assert found_path == path
    if message is not None:
        assert found == message


def test_closures_wetness_of_an_unknown_region_or_one_without_variation() -> None:
    text = _with_variation(
        "{wetness_cv: 0.3}",
        "    closures: {per_year: 4, duration_h: 24, wetness_region: nowhere}",
    )
    [(line, path, message)] = _problems(text)
    assert (line, path) == (
        _line(text, "wetness_region"),
        "legs.shangrila_shanghai.closures[0].wetness_region",
    )
    assert message.startswith("region 'nowhere' has no entry in climate")
    text = _with_closures(
        MINIMAL, "    closures: {per_year: 4, duration_h: 24, wetness_region: shanghai}"
    )
    [(line, path, message)] = _problems(text)
    assert line == _line(text, "wetness_region")
    assert message == "region 'shanghai' has no climate variation to draw wetness from"


def test_month_weights_zero_in_every_closure_month() -> None:
    text = _with_closures(
        MINIMAL,
        "    closures: {per_year: 4, months: [1, 2], duration_h: 24,"
        " month_weights: [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}",
    )
    [(line, path, message)] = _problems(text)
    assert line == _line(text, "month_weights")
    assert path == "legs.shangrila_shanghai.closures"
    assert "month_weights must be above 0" in message


def test_a_varying_scenario_round_trips_through_yaml_and_overrides() -> None:
    scenario = parse_scenario(VARIED, "s.yaml")
    assert parse_scenario(dump_scenario(scenario)) == scenario
    wider = ft.apply_overrides(scenario, {"climate.shangri_la.variation.monthly_anomaly_sd_c": 2.5})
    assert wider.climate["shangri_la"].variation is not None
    assert wider.climate["shangri_la"].variation.monthly_anomaly_sd_c == (2.5,) * 12


def test_the_worlds_air_averages_to_the_normal_climate_over_replications() -> None:
    scenario = parse_scenario(VARIED, "s.yaml").with_horizon(31)
    july = np.mean(
        [World(scenario, 0, replication=i).context.ambient["shangri_la"].hourly_temp_c[: 31 * 24]
         for i in range(200)],
        axis=0,
    )  # fmt: skip
    # Anomaly sd 1 °C over 200 replications (standard error 0.07 °C), plus the heat
    # waves' mean excess: 2 a year start over July-August (62 days), each 4 days of
    # 5 °C, so July's first three days are hot less often (no wave starts in June).
    heat = (1 + 2 + 3 + 4 * 28) / 31 * (2 / 62) * 5  # about 0.61 °C
    assert july.mean() == pytest.approx(SHANGRI_LA[6] + heat, abs=0.3)
    # A region without variation keeps its normal July.
    shanghai = World(scenario, 0).context.ambient["shanghai"].hourly_temp_c[: 31 * 24]
    assert shanghai.mean() == pytest.approx(30.2, abs=1e-9)
