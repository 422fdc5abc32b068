"""Weather years: one replication's draw of a region's climate variation.

A region that declares ``variation``
(:class:`~fieldtotable.scenario.schema_weather.ClimateVariation`) gets, in every
replication, a weather year drawn from its own streams, keyed by the region id so
that no other stream changes and replication ``i`` sees the same weather in every
configuration (common random numbers):

* ``climate, <region>, anomalies``: one standardised anomaly per month of the run,
  an AR(1) process ``z[t] = rho z[t-1] + sqrt(1 - rho^2) e[t]`` started in its
  stationary law, times the month's ``monthly_anomaly_sd_c``;
* ``climate, <region>, heat_waves``: Poisson starts over the days of the listed
  months, each wave's length and excess;
* ``climate, <region>, wetness``: a lognormal factor with mean 1 per calendar year.

The anomaly shifts every hour of its month and a heat wave adds its excess to every
hour of its days, so every place that exposes goods to the region's air (the field,
queues, docks, loading, reefer failures, goods waiting outside a full store) feels
them. Temperatures are kept within the model's limits
(:data:`~fieldtotable.scenario.limits.MIN_AIR_TEMP_C`,
:data:`~fieldtotable.scenario.limits.MAX_AIR_TEMP_C`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from fieldtotable.model.context import Seed, stream
from fieldtotable.scenario.distributions import make_sampler
from fieldtotable.scenario.limits import MAX_AIR_TEMP_C, MIN_AIR_TEMP_C
from fieldtotable.scenario.schema_weather import ClimateVariation, HeatWaves

__all__ = ["HeatWave", "WeatherYear", "apply_weather", "draw_weather", "month_runs"]

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclasses.dataclass(frozen=True, slots=True)
class HeatWave:
    """One drawn heat wave: its first day (run day index), length in days and excess, °C."""

    start_day: int
    days: int
    excess_c: float


@dataclasses.dataclass(frozen=True, slots=True)
class WeatherYear:
    """The weather one replication drew for one region.

    Attributes
    ----------
    start_date
        Date of day 0.
    months
        The run's months as ``YYYY-MM``, in order (the first and last may be partial).
    monthly_anomaly_c
        The anomaly of each of ``months``, °C.
    heat_waves
        The heat waves, in order of their start.
    heat_excess_c_by_day
        Degrees added on each day of the run (0 outside heat waves).
    years
        The calendar years the run touches, in order.
    wetness
        The wetness factor of each of ``years``.
    """

    start_date: dt.date
    months: tuple[str, ...]
    monthly_anomaly_c: tuple[float, ...]
    heat_waves: tuple[HeatWave, ...]
    heat_excess_c_by_day: tuple[float, ...]
    years: tuple[int, ...]
    wetness: tuple[float, ...]

    def wetness_by_day(self, days: int) -> list[float]:
        """Return the wetness factor of each of the first ``days`` days."""
        first = self.years[0]
        return [
            self.wetness[(self.start_date + dt.timedelta(days=day)).year - first]
            for day in range(days)
        ]

    def record(self, horizon_days: int) -> dict[str, Any]:
        """Return the draw as plain JSON-compatible data (for the run's result).

        Parameters
        ----------
        horizon_days
            Days simulated: only their months, heat waves, days and years are kept.

        Returns
        -------
        dict
            ``months`` (``YYYY-MM``), ``monthly_anomaly_c``, ``heat_waves``
            (``[start_day, days, excess_c]`` each), ``heat_wave_days`` (days with any
            excess), ``years`` and ``wetness``.
        """
        months = len(month_runs(self.start_date, horizon_days))
        last_year = (self.start_date + dt.timedelta(days=horizon_days - 1)).year
        years = last_year - self.start_date.year + 1
        return {
            "months": list(self.months[:months]),
            "monthly_anomaly_c": list(self.monthly_anomaly_c[:months]),
            "heat_waves": [
                [w.start_day, w.days, w.excess_c]
                for w in self.heat_waves
                if w.start_day < horizon_days
            ],
            "heat_wave_days": sum(1 for x in self.heat_excess_c_by_day[:horizon_days] if x > 0),
            "years": list(self.years[:years]),
            "wetness": list(self.wetness[:years]),
        }


def month_runs(start_date: dt.date, days: int) -> list[tuple[str, int, int]]:
    """Split ``days`` days from ``start_date`` into calendar months.

    Returns
    -------
    list of (str, int, int)
        ``(YYYY-MM, calendar month, days of the run in it)`` for each month touched.
    """
    runs: list[tuple[str, int, int]] = []
    for day in range(days):
        date = start_date + dt.timedelta(days=day)
        label = f"{date.year:04d}-{date.month:02d}"
        if runs and runs[-1][0] == label:
            runs[-1] = (label, date.month, runs[-1][2] + 1)
        else:
            runs.append((label, date.month, 1))
    return runs


def _anomalies(
    variation: ClimateVariation, calendar_months: Sequence[int], rng: np.random.Generator
) -> np.ndarray:
    """One anomaly per month of the run, °C: a stationary AR(1) scaled by each month's sd."""
    rho = variation.anomaly_autocorrelation
    innovation_sd = math.sqrt(1.0 - rho * rho)
    shocks = rng.standard_normal(len(calendar_months))
    standard = np.empty(len(calendar_months))
    previous = 0.0
    for index, shock in enumerate(shocks):
        previous = float(shock) if index == 0 else rho * previous + innovation_sd * float(shock)
        standard[index] = previous
    sd = np.asarray(variation.monthly_anomaly_sd_c, dtype=float)[np.asarray(calendar_months) - 1]
    anomalies: np.ndarray = standard * sd
    return anomalies


def _heat_waves(
    heat_waves: HeatWaves | None, month_of_day: Sequence[int], rng: np.random.Generator
) -> list[HeatWave]:
    """Heat waves starting on the days of the run: Poisson per day of the listed months."""
    if heat_waves is None or heat_waves.per_year == 0:
        return []
    months = set(heat_waves.months)
    per_day = heat_waves.per_year / sum(_DAYS_IN_MONTH[m - 1] for m in months)
    length = make_sampler(heat_waves.duration_days, rng)
    excess = make_sampler(heat_waves.excess_c, rng)
    waves = []
    for day, month in enumerate(month_of_day):
        if month not in months:
            continue
        for _ in range(int(rng.poisson(per_day))):
            days = max(1, round(length()))
            waves.append(HeatWave(day, days, float(excess())))
    return waves


def draw_weather(
    variation: ClimateVariation,
    region: str,
    start_date: dt.date,
    month_of_day: Sequence[int],
    seed: Seed,
) -> WeatherYear:
    """Draw one replication's weather for a region.

    Parameters
    ----------
    variation
        The region's declared variation.
    region
        The region id (it keys the streams).
    start_date
        Date of day 0.
    month_of_day
        Calendar month (1-12) of every tabulated day (the horizon and its margin).
    seed
        The replication's seed.

    Returns
    -------
    WeatherYear
        The anomalies, heat waves and wetness factors drawn.
    """
    days = len(month_of_day)
    runs = month_runs(start_date, days)
    anomalies = _anomalies(
        variation, [month for _, month, _ in runs], stream(seed, "climate", region, "anomalies")
    )
    waves = _heat_waves(
        variation.heat_waves, month_of_day, stream(seed, "climate", region, "heat_waves")
    )
    excess_by_day = [0.0] * days
    for wave in waves:
        for day in range(wave.start_day, min(wave.start_day + wave.days, days)):
            excess_by_day[day] = max(excess_by_day[day], wave.excess_c)
    last = start_date + dt.timedelta(days=days - 1)
    years = tuple(range(start_date.year, last.year + 1))
    cv = variation.wetness_cv
    if cv > 0:
        sigma = math.sqrt(math.log1p(cv * cv))
        wetness_rng = stream(seed, "climate", region, "wetness")
        wetness = tuple(
            float(x) for x in np.exp(wetness_rng.normal(-sigma * sigma / 2, sigma, len(years)))
        )
    else:
        wetness = (1.0,) * len(years)
    return WeatherYear(
        start_date=start_date,
        months=tuple(label for label, _, _ in runs),
        monthly_anomaly_c=tuple(float(a) for a in anomalies),
        heat_waves=tuple(waves),
        heat_excess_c_by_day=tuple(excess_by_day),
        years=years,
        wetness=wetness,
    )


def apply_weather(
    hourly_temp_c: np.ndarray, weather: WeatherYear, start_date: dt.date
) -> np.ndarray:
    """Return the hourly temperatures shifted by the weather's anomalies and heat waves.

    Parameters
    ----------
    hourly_temp_c
        The normal climate's hourly temperatures, 24 per tabulated day.
    weather
        The drawn weather (covering the same days).
    start_date
        Date of day 0.

    Returns
    -------
    numpy.ndarray
        A new array, clipped to the model's air-temperature limits.
    """
    days = len(hourly_temp_c) // 24
    shift_by_day = np.repeat(
        np.asarray(weather.monthly_anomaly_c),
        [count for _, _, count in month_runs(start_date, days)],
    ) + np.asarray(weather.heat_excess_c_by_day)
    shifted: np.ndarray = np.clip(
        hourly_temp_c + np.repeat(shift_by_day, 24), MIN_AIR_TEMP_C, MAX_AIR_TEMP_C
    )
    return shifted
