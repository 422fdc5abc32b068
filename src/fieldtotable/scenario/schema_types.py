"""Shared field types of the scenario models: units, ranges, choices and the base model.

The constrained numbers (temperatures, fractions, hours of the day, months, monthly
and weekday factors), the choices (transport modes, issuing policies, temperature
classes, what a full store does), :class:`Frozen` (the base of every scenario model)
and :class:`Location`, shared by the sections of :mod:`fieldtotable.scenario.schema`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict

from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.limits import (
    MAX_FACTOR,
    MAX_HOURS,
    MAX_KG,
    MAX_TEMP_C,
    MIN_TEMP_C,
)

Mode = Literal["reefer_truck", "rail_reefer", "air", "van"]
IssuingPolicy = Literal["FEFO", "FIFO", "LIFO"]
TemperatureClass = Literal["frozen", "chilled", "ambient"]

TemperatureC = Annotated[float, Strict(), Field(ge=MIN_TEMP_C, le=MAX_TEMP_C, allow_inf_nan=False)]
Fraction = Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)]
PositiveFloat = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
HourOfDay = Annotated[float, Strict(), Field(ge=0, lt=24, allow_inf_nan=False)]
Month = Annotated[int, Strict(), Field(ge=1, le=12)]
Factor = Annotated[float, Strict(), Field(ge=0, le=MAX_FACTOR, allow_inf_nan=False)]
"""A monthly or weekday factor (dimensionless), 0 to 1000."""
MonthlyFactors = Annotated[tuple[Factor, ...], Field(min_length=12, max_length=12)]
WeekdayFactors = Annotated[tuple[Factor, ...], Field(min_length=7, max_length=7)]
Kg = Annotated[float, Strict(), Field(gt=0, le=MAX_KG, allow_inf_nan=False)]
"""A capacity or stock level, kg: > 0 and at most 1e12 (see :mod:`.limits`)."""
NonNegativeKg = Annotated[float, Strict(), Field(ge=0, le=MAX_KG, allow_inf_nan=False)]
"""A stock level, kg: 0 to 1e12."""
Hours = Annotated[float, Strict(), Field(ge=0, le=MAX_HOURS, allow_inf_nan=False)]
"""A fixed duration, h: 0 to 8784 (a leap year)."""
PositiveHours = Annotated[float, Strict(), Field(gt=0, le=MAX_HOURS, allow_inf_nan=False)]
"""A fixed duration, h: > 0 and at most 8784."""


_ONES_12 = (1.0,) * 12
_ONES_7 = (1.0,) * 7


class Frozen(BaseModel):
    """Base for every scenario model: immutable, unknown keys rejected."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True
    )


def _non_negative(distribution: Distribution) -> Distribution:
    """Reject distributions of hours, kg or counts that can draw negative values.

    A normal distribution is accepted with a non-negative mean: its draws are
    clipped at zero, which the documentation of each such field says.
    """
    if distribution.dist == "normal":
        if (distribution.mean or 0.0) < 0:
            raise ValueError("must not have a negative mean")
    elif distribution.minimum < 0:
        raise ValueError("must not take negative values")
    return distribution


#: A distribution of a quantity that cannot be negative (hours, kg, counts).
NonNegativeDistribution = Annotated[Distribution, AfterValidator(_non_negative)]


class Location(Frozen):
    """A node's position on a map: longitude and latitude (WGS 84), for figures only."""

    lon: Annotated[float, Strict(), Field(ge=-180, le=180, allow_inf_nan=False)]
    """Longitude, degrees east of Greenwich (west is negative), in [-180, 180]."""
    lat: Annotated[float, Strict(), Field(ge=-90, le=90, allow_inf_nan=False)]
    """Latitude, degrees north of the equator (south is negative), in [-90, 90]."""


OnFull = Literal["wait", "refuse"]
