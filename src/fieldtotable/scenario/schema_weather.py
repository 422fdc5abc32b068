"""Weather years: a region's year-to-year climate variation (``climate.<region>.variation``).

A region's ``monthly_mean_c`` is its normal climate. With ``variation``, each
replication draws its own weather year (:mod:`fieldtotable.model.weather`): a
monthly temperature anomaly that persists from month to month (an AR(1) process),
heat waves on some days, and a wetness factor per calendar year that road closures
may follow (``legs.<id>.closures.wetness_region``). Without ``variation`` every
replication sees the normal climate, exactly as before the field existed.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, Strict, field_validator

from fieldtotable.scenario.schema_types import Frozen, Month, NonNegativeDistribution

__all__ = ["MAX_ANOMALY_SD_C", "MAX_HEAT_WAVES", "AnomalySd", "ClimateVariation", "HeatWaves"]

#: Largest standard deviation of a monthly anomaly, °C (a bound, not a climate figure).
MAX_ANOMALY_SD_C = 10.0
#: Most heat waves a year.
MAX_HEAT_WAVES = 52.0
#: Largest coefficient of variation of the wetness factor.
MAX_WETNESS_CV = 3.0

AnomalySd = Annotated[float, Strict(), Field(ge=0, le=MAX_ANOMALY_SD_C, allow_inf_nan=False)]


class HeatWaves(Frozen):
    """Spells of days hotter than the month's (anomalous) mean.

    Starts form a Poisson process over the days of ``months``; each wave lasts
    ``duration_days`` (rounded to whole days, at least one) and adds ``excess_c`` to
    every hour of its days. Overlapping waves do not add up: the hotter one counts.
    """

    per_year: Annotated[float, Strict(), Field(ge=0, le=MAX_HEAT_WAVES, allow_inf_nan=False)]
    """Expected heat waves a year (1/year, at most 52), spread evenly over the days of
    ``months``. 0 disables them."""
    months: tuple[Month, ...] = Field(default=tuple(range(1, 13)), min_length=1)
    """Calendar months (1 = January) in which a heat wave can start; it may last past
    the month's end."""
    duration_days: NonNegativeDistribution
    """Length of each heat wave, days (a distribution; rounded to whole days, at least
    one)."""
    excess_c: NonNegativeDistribution
    """Degrees added to the air temperature during the wave, °C (a distribution)."""


class ClimateVariation(Frozen):
    """How a region's weather differs from its normal climate from one year to the next."""

    monthly_anomaly_sd_c: tuple[AnomalySd, ...] = Field(
        default=(0.0,) * 12, min_length=12, max_length=12
    )
    """Standard deviation of a month's mean temperature about ``monthly_mean_c``, °C
    (0 to 10): one number for every month or twelve, January to December. Each
    replication draws one anomaly per month of its run, added to every hour of the
    month. 0: no anomalies."""
    anomaly_autocorrelation: Annotated[
        float, Strict(), Field(ge=0, le=0.99, allow_inf_nan=False)
    ] = 0.0
    """Correlation of one month's standardised anomaly with the next month's (0 to
    0.99): an AR(1) process, so a warm month tends to be followed by a warm one. The sd
    of each month's anomaly is still ``monthly_anomaly_sd_c``."""
    heat_waves: HeatWaves | None = None
    """Heat waves on top of the monthly anomalies; none when omitted."""
    wetness_cv: Annotated[float, Strict(), Field(ge=0, le=MAX_WETNESS_CV, allow_inf_nan=False)] = (
        0.0
    )
    """Coefficient of variation of the year's wetness factor (0 to 3): a lognormal
    factor with mean 1 drawn for each calendar year of the run. Closures that name this
    region in ``wetness_region`` happen that much more (or less) often that year. 0:
    every year is 1."""

    @field_validator("monthly_anomaly_sd_c", mode="before")
    @classmethod
    def _one_sd_for_every_month(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not 0 <= value <= MAX_ANOMALY_SD_C:
                raise ValueError(f"must be between 0 and {MAX_ANOMALY_SD_C:g} (got {value})")
            return (value,) * 12
        if isinstance(value, list | tuple) and len(value) != 12:
            raise ValueError(f"give one number or twelve, January to December (got {len(value)})")
        return value
