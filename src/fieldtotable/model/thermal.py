"""Thermal environments: where a lot is, at what temperature, and how fast it ages there.

A lot's consumed fraction of shelf life changes only with time spent in an
environment. These kinds exist:

* :class:`ConstantTemperature` -- a setpoint (cold room, reefer, shop chiller);
  the rate is one number per product.
* :class:`Ambient` -- a region's outdoor air: monthly mean temperature plus an
  optional daily cycle, piecewise constant per hour. Its integral is tabulated once
  per product (a cumulative sum over the horizon's hours), so the consumed fraction
  over any interval is exact and costs two lookups, with no time-stepping.
* :class:`~fieldtotable.model.parcel_box.ParcelBox` -- a courier's passive box, from
  packing to the customer's door (:mod:`.parcel_box`).
* :class:`~fieldtotable.model.logged.LoggedTrip` and
  :class:`~fieldtotable.model.logged.RepeatingProfile` -- a measured temperature log
  replayed on a trip or as a room's daily or yearly profile (:mod:`.logged`).
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Sequence

import numpy as np

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.logged import LoggedTrip, RepeatingProfile
from fieldtotable.model.parcel_box import ParcelBox

#: Hour of the day at which the daily temperature cycle peaks.
PEAK_HOUR = 15.0


class ConstantTemperature:
    """A place held at one temperature.

    Parameters
    ----------
    temp_c
        The temperature, °C.
    kinetics
        One entry per product index.
    """

    __slots__ = ("rates", "temp_c")

    def __init__(self, temp_c: float, kinetics: Sequence[Kinetics]) -> None:
        self.temp_c = temp_c
        self.rates = [k.rate_per_h_scalar(temp_c) for k in kinetics]

    def consumed(self, product: int, start_h: float, end_h: float) -> float:
        """Fraction of shelf life consumed between two clock times."""
        return (end_h - start_h) * self.rates[product]

    def time_to_consume(self, product: int, start_h: float, amount: float) -> float:
        """Clock time at which ``amount`` more of the shelf life is consumed."""
        if amount <= 0:
            return start_h
        return start_h + amount / self.rates[product]

    def temperature_at(self, time_h: float) -> float:  # noqa: ARG002 -- same interface as Ambient
        """Temperature at a clock time, °C."""
        return self.temp_c


class Ambient:
    """A region's outdoor air, piecewise constant per hour.

    Parameters
    ----------
    hourly_temp_c
        Temperature of every hour of the simulated horizon (and a margin after it).
    kinetics
        One entry per product index.
    """

    __slots__ = ("cumulative", "hourly_temp_c", "last_hour", "rates")

    def __init__(self, hourly_temp_c: np.ndarray, kinetics: Sequence[Kinetics]) -> None:
        self.hourly_temp_c = hourly_temp_c
        self.last_hour = len(hourly_temp_c) - 1
        """Index of the last tabulated hour (its rate goes on past the table)."""
        self.rates: list[array[float]] = []
        self.cumulative: list[array[float]] = []
        for kinetic in kinetics:
            rate = np.asarray(kinetic.rate_per_h(hourly_temp_c), dtype=float)
            cumulative = np.concatenate(([0.0], np.cumsum(rate)))
            # array.array: scalar indexing is several times faster than on numpy arrays,
            # as fast as on lists, and it takes 8 bytes a value where a list of floats
            # takes 32 (the tables cover every hour of the horizon, per product).
            self.rates.append(array("d", rate.tobytes()))
            self.cumulative.append(array("d", cumulative.tobytes()))

    def _integral(self, product: int, time_h: float) -> float:
        rates = self.rates[product]
        hour = int(time_h)
        if hour >= len(rates):  # past the tabulated margin: the last hour's rate goes on
            hour = len(rates) - 1
        return self.cumulative[product][hour] + (time_h - hour) * rates[hour]

    def consumed(self, product: int, start_h: float, end_h: float) -> float:
        """Fraction of shelf life consumed between two clock times."""
        rates = self.rates[product]
        cumulative = self.cumulative[product]
        last = self.last_hour
        # Comparisons, not min(): this runs on every move of a lot in ambient air.
        end_hour = int(end_h)
        if end_hour > last:  # noqa: PLR1730
            end_hour = last
        start_hour = int(start_h)
        if start_hour > last:  # noqa: PLR1730
            start_hour = last
        return (
            cumulative[end_hour]
            + (end_h - end_hour) * rates[end_hour]
            - cumulative[start_hour]
            - (start_h - start_hour) * rates[start_hour]
        )

    def time_to_consume(self, product: int, start_h: float, amount: float) -> float:
        """Clock time at which ``amount`` more of the shelf life is consumed."""
        if amount <= 0:
            return start_h
        cumulative = self.cumulative[product]
        rates = self.rates[product]
        start_hour = int(start_h)  # self._integral(product, start_h), inlined
        if start_hour > self.last_hour:  # noqa: PLR1730 -- as in consumed()
            start_hour = self.last_hour
        target = cumulative[start_hour] + (start_h - start_hour) * rates[start_hour] + amount
        if not target < cumulative[-1]:
            # It runs out past the table (a quarter of the calls in the 2023 baseline:
            # long-lived goods in the air): what the bisection below would find.
            return math.inf
        hour = bisect.bisect_right(cumulative, target) - 1  # <= last_hour: target < the end
        return hour + (target - cumulative[hour]) / rates[hour]

    def temperature_at(self, time_h: float) -> float:
        """Temperature at a clock time, °C."""
        hour = min(int(time_h), len(self.hourly_temp_c) - 1)
        return float(self.hourly_temp_c[hour])


ThermalEnvironment = ConstantTemperature | Ambient | ParcelBox | LoggedTrip | RepeatingProfile
"""Where a lot can be: a setpoint, the outdoor air, a courier's passive box, or a
measured temperature log replayed (:mod:`.logged`)."""


def hourly_temperatures(
    monthly_mean_c: Sequence[float],
    daily_range_c: float,
    month_of_day: Sequence[int],
) -> np.ndarray:
    """Hourly air temperature for consecutive days.

    Parameters
    ----------
    monthly_mean_c
        Twelve monthly means, January first.
    daily_range_c
        Mean difference between the day's maximum and minimum; the cycle is a
        cosine peaking at 15:00.
    month_of_day
        Calendar month (1-12) of each simulated day.

    Returns
    -------
    numpy.ndarray
        One temperature per hour, ``24 * len(month_of_day)`` values.
    """
    means = np.asarray(monthly_mean_c, dtype=float)[np.asarray(month_of_day) - 1]
    hour_of_day = np.arange(24) + 0.5
    cycle = (daily_range_c / 2) * np.cos(2 * np.pi * (hour_of_day - PEAK_HOUR) / 24)
    hourly: np.ndarray = (means[:, None] + cycle[None, :]).ravel()
    return hourly
