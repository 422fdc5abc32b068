"""The scenario file's shape: frozen pydantic models (DESIGN.md section 8).

Every model forbids unknown keys and checks values for sense. Cross-references
between sections (a leg naming an unknown node, a product no market sells) are
checked by :mod:`fieldtotable.scenario.network`, which reports field paths that the
loader maps back to file lines.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from fieldtotable.scenario.distributions import Distribution

Mode = Literal["reefer_truck", "rail_reefer", "air", "van"]
IssuingPolicy = Literal["FEFO", "FIFO", "LIFO"]
TemperatureClass = Literal["frozen", "chilled", "ambient"]

TemperatureC = Annotated[float, Strict(), Field(ge=-60, le=60, allow_inf_nan=False)]
Fraction = Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)]
PositiveFloat = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
HourOfDay = Annotated[float, Strict(), Field(ge=0, lt=24, allow_inf_nan=False)]
Month = Annotated[int, Strict(), Field(ge=1, le=12)]
MonthlyFactors = Annotated[tuple[NonNegativeFloat, ...], Field(min_length=12, max_length=12)]
WeekdayFactors = Annotated[tuple[NonNegativeFloat, ...], Field(min_length=7, max_length=7)]

#: Longest horizon a scenario may ask for (ten years).
MAX_DAYS = 3660

_ONES_12 = (1.0,) * 12
_ONES_7 = (1.0,) * 7


class Frozen(BaseModel):
    """Base for every scenario model: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


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


class Markdown(Frozen):
    """Price cut for stock close to expiry (nominal remaining fraction of shelf life)."""

    below_remaining_fraction: Annotated[float, Strict(), Field(gt=0, lt=1)]
    discount: Annotated[float, Strict(), Field(ge=0, lt=1)]


class Product(Frozen):
    """A product and its shelf-life kinetics (DESIGN.md section 4)."""

    display_name: str | None = None
    temperature_class: TemperatureClass
    shelf_life_days: PositiveFloat
    ref_temp_c: TemperatureC
    q10: PositiveFloat | None = None
    activation_energy_kj_mol: PositiveFloat | None = None
    shelf_life_cv: NonNegativeFloat = 0.0
    price_cny_per_kg: PositiveFloat
    markdown: Markdown | None = None

    @model_validator(mode="after")
    def _one_sensitivity(self) -> Product:
        if (self.q10 is None) == (self.activation_energy_kj_mol is None):
            raise ValueError("give exactly one of q10 or activation_energy_kj_mol")
        return self


class Supply(Frozen):
    """Daily supply of one product at one source."""

    kg_per_day: NonNegativeDistribution
    season: MonthlyFactors = _ONES_12


class Source(Frozen):
    """A producer, cooperative or enterprise that harvests once a day."""

    region: str
    collection_point: str
    harvest_hour: HourOfDay = 12.0
    hours_to_collection: NonNegativeDistribution = Distribution(dist="constant", value=0.0)
    supply: dict[str, Supply] = Field(min_length=1)


class Precooling(Frozen):
    """Pre-cooling units at a collection point.

    A lot occupies one of ``units`` for ``time_h`` (sampled) plus, when
    ``capacity_kg_per_h`` is given, ``kg / capacity_kg_per_h`` hours of loading
    throughput. Lots queue at ambient temperature while every unit is busy. Only
    products of the temperature classes in ``classes`` are pre-cooled; the others go
    straight to the cold room (frozen goods arrive frozen, honey needs no cooling).
    """

    units: Annotated[int, Strict(), Field(ge=1)] = 1
    capacity_kg_per_h: PositiveFloat | None = None
    time_h: NonNegativeDistribution = Distribution(dist="constant", value=0.0)
    classes: tuple[TemperatureClass, ...] = ("chilled",)


OnFull = Literal["wait", "refuse"]


def _fraction_kind(value: Any) -> str:
    return "per_product" if isinstance(value, dict) else "one"


#: One share for every product, or product -> share. The discriminator picks the
#: branch from the data's shape, so that a bad number is reported once ("must be
#: <= 1"), not also as "must be a mapping" by the branch that does not apply.
GradingFraction = Annotated[
    Annotated[Fraction, Tag("one")] | Annotated[dict[str, Fraction], Tag("per_product")],
    Discriminator(_fraction_kind),
]


class CollectionPoint(Frozen):
    """County collection point: grading, pre-cooling, cold room."""

    region: str
    grading_reject_fraction: GradingFraction = 0.0
    """Share of the kg removed at grading: one number for every product, or a
    mapping product -> share (products not listed are not graded)."""
    precooling: Precooling = Precooling()
    cold_room_kg: PositiveFloat
    setpoint_c: TemperatureC
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class (e.g. ``frozen: -18``);
    products of a class not listed are held at ``setpoint_c``."""
    on_full: OnFull = "wait"


class Hub(Frozen):
    """Consolidation hub or distribution centre."""

    region: str
    handling_time_h: NonNegativeFloat = 0.0
    storage_kg: PositiveFloat
    setpoint_c: TemperatureC
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class (e.g. ``frozen: -18``);
    products of a class not listed are held at ``setpoint_c``."""
    dock_exposure_h: NonNegativeFloat = 0.5
    on_full: OnFull = "wait"


class ScheduledDispatch(Frozen):
    """Departures at fixed hours of every day."""

    policy: Literal["scheduled"]
    departures_h: tuple[HourOfDay, ...] = Field(min_length=1)


class FullOrTimeoutDispatch(Frozen):
    """Depart when ``min_load_kg`` waits, or when the oldest cargo waited ``max_wait_h``."""

    policy: Literal["full_or_timeout"]
    min_load_kg: PositiveFloat
    max_wait_h: PositiveFloat


Dispatch = Annotated[ScheduledDispatch | FullOrTimeoutDispatch, Field(discriminator="policy")]


class ReeferFailure(Frozen):
    """Refrigeration failure during a trip: cargo at ambient for the failure's duration."""

    probability_per_trip: Fraction
    duration_h: NonNegativeDistribution


class Closures(Frozen):
    """Road or line closures (landslides, snow) that hold departures and trips under way."""

    per_year: NonNegativeFloat
    months: tuple[Month, ...] = Field(default=tuple(range(1, 13)), min_length=1)
    duration_h: NonNegativeDistribution


class Leg(Frozen):
    """A transport link between two nodes with its own fleet."""

    from_: str = Field(alias="from")
    to: str
    mode: Mode
    distance_km: PositiveFloat
    transit_time_h: NonNegativeDistribution
    fleet: Annotated[int, Strict(), Field(ge=1)] = 1
    vehicle_capacity_kg: PositiveFloat
    dispatch: Dispatch
    setpoint_c: TemperatureC
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class (e.g. ``frozen: -18``);
    products of a class not listed are held at ``setpoint_c``."""
    loading_h: NonNegativeFloat = 0.0
    active_months: tuple[Month, ...] = Field(default=tuple(range(1, 13)), min_length=1)
    products: tuple[str, ...] | None = None
    """Products allowed on this leg (all when omitted): e.g. air only for matsutake."""
    reefer_failure: ReeferFailure | None = None
    closures: tuple[Closures, ...] = ()
    """Independent closure processes (snow in winter, landslides in the rainy
    season); one mapping is read as a list of one."""
    cost_cny_per_trip: NonNegativeFloat = 0.0
    cost_cny_per_km: NonNegativeFloat = 0.0
    cost_cny_per_kg: NonNegativeFloat = 0.0
    co2_kg_per_tonne_km: NonNegativeFloat = 0.0
    co2_kg_per_km: NonNegativeFloat = 0.0
    """CO2 per vehicle-km of the loaded trip, whatever the load (fuel of the vehicle
    and its reefer unit); adds to ``co2_kg_per_tonne_km``."""

    @field_validator("closures", mode="before")
    @classmethod
    def _one_closure_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _check(self) -> Leg:
        if self.from_ == self.to:
            raise ValueError("a leg must join two different nodes")
        return self


class OrderUpTo(Frozen):
    """Daily order raising shelf stock to ``target_days_of_demand`` of expected demand."""

    policy: Literal["order_up_to"]
    at_hour: HourOfDay = 6.0
    target_days_of_demand: PositiveFloat
    lead_time_h: NonNegativeFloat = 1.0


class ReorderLevels(Frozen):
    """(s, S) levels of one product."""

    s_kg: NonNegativeFloat
    S_kg: PositiveFloat

    @model_validator(mode="after")
    def _check(self) -> ReorderLevels:
        if self.s_kg >= self.S_kg:
            raise ValueError(f"s_kg ({self.s_kg}) must be < S_kg ({self.S_kg})")
        return self


class ReorderPoint(Frozen):
    """Daily review: when stock is at or below ``s_kg``, order up to ``S_kg``."""

    policy: Literal["s_S"]
    at_hour: HourOfDay = 6.0
    levels: dict[str, ReorderLevels] = Field(min_length=1)
    lead_time_h: NonNegativeFloat = 1.0


Replenishment = Annotated[OrderUpTo | ReorderPoint, Field(discriminator="policy")]


class StoreDemand(Frozen):
    """Walk-in demand for one product at a store."""

    customers_per_day: NonNegativeDistribution
    kg_per_customer: NonNegativeDistribution
    weekday_factors: WeekdayFactors = _ONES_7
    season: MonthlyFactors = _ONES_12


class Store(Frozen):
    """A shop with opening hours, shelf stock and walk-in customers."""

    kind: Literal["store"]
    region: str
    supplied_by: str
    open_hours: tuple[HourOfDay, Annotated[float, Strict(), Field(gt=0, le=24)]] = (9.0, 21.0)
    setpoint_c: TemperatureC
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class (e.g. ``frozen: -18``);
    products of a class not listed are held at ``setpoint_c``."""
    shelf_capacity_kg: PositiveFloat
    issuing: IssuingPolicy = "FEFO"
    replenishment: Replenishment
    demand: dict[str, StoreDemand] = Field(min_length=1)

    # Field validators, not a model validator, so that a problem is reported at the
    # field's own line rather than at the market's.
    @field_validator("open_hours")
    @classmethod
    def _opening_before_closing(cls, value: tuple[float, float]) -> tuple[float, float]:
        if value[0] >= value[1]:
            raise ValueError(f"opening must be before closing (got {value[0]:g} to {value[1]:g})")
        return value

    @field_validator("demand")
    @classmethod
    def _levels_for_every_product(
        cls, demand: dict[str, StoreDemand], info: ValidationInfo
    ) -> dict[str, StoreDemand]:
        replenishment = info.data.get("replenishment")
        if isinstance(replenishment, ReorderPoint):
            missing = sorted(set(demand) - set(replenishment.levels))
            if missing:
                raise ValueError(f"replenishment.levels has no entry for {', '.join(missing)}")
        return demand


class OrderStream(Frozen):
    """Recurring orders of one product (institutional buyers, online shop)."""

    every_days: PositiveFloat
    kg: NonNegativeDistribution
    at_hour: HourOfDay = 10.0
    first_day: NonNegativeFloat = 0.0
    season: MonthlyFactors = _ONES_12


class Orders(Frozen):
    """Order-driven demand filled from the supplying hub's stock."""

    kind: Literal["orders"]
    region: str | None = None
    supplied_by: str
    issuing: IssuingPolicy = "FEFO"
    orders: dict[str, OrderStream] = Field(min_length=1)


Market = Annotated[Store | Orders, Field(discriminator="kind")]


class RegionClimate(Frozen):
    """Monthly mean air temperature and the mean daily range (max - min) of a region."""

    monthly_mean_c: tuple[TemperatureC, ...] = Field(min_length=12, max_length=12)
    daily_range_c: Annotated[float, Strict(), Field(ge=0, le=40)] = 0.0

    @model_validator(mode="before")
    @classmethod
    def _list_is_monthly(cls, data: Any) -> Any:
        if isinstance(data, list | tuple):
            return {"monthly_mean_c": data}
        return data


class Routing(Frozen):
    """How each lot picks its path from collection point to market hub."""

    default: Literal["fastest"] = "fastest"
    prefer_modes: dict[str, tuple[Mode, ...]] = Field(default_factory=dict)


class Scenario(Frozen):
    """A whole channel configuration: the input of :func:`fieldtotable.simulate`."""

    name: str
    description: str = ""
    start_date: dt.date
    horizon_days: Annotated[int, Strict(), Field(ge=1, le=MAX_DAYS)]
    warmup_days: Annotated[int, Strict(), Field(ge=0)] = 0
    scale: PositiveFloat = 1.0
    climate: dict[str, RegionClimate] = Field(min_length=1)
    products: dict[str, Product] = Field(min_length=1)
    sources: dict[str, Source] = Field(min_length=1)
    collection_points: dict[str, CollectionPoint] = Field(min_length=1)
    hubs: dict[str, Hub] = Field(default_factory=dict)
    legs: dict[str, Leg] = Field(default_factory=dict)
    markets: dict[str, Market] = Field(min_length=1)
    routing: Routing = Routing()

    @field_validator("warmup_days")
    @classmethod
    def _warmup_within_horizon(cls, value: int, info: ValidationInfo) -> int:
        # A field validator (horizon_days is validated first), so that the problem is
        # reported at warmup_days' line.
        horizon = info.data.get("horizon_days")
        if horizon is not None and value >= horizon:
            raise ValueError(f"must be smaller than horizon_days, {horizon} (got {value})")
        return value

    def with_horizon(self, days: int) -> Scenario:
        """Return a copy running ``days`` days (warm-up shortened if it would not fit).

        Raises
        ------
        ValueError
            If ``days`` is not an integer between 1 and 3660.
        """
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise ValueError(
                f"horizon must be a whole number of days in 1..{MAX_DAYS}, not {days!r}"
            )
        warmup = min(self.warmup_days, days - 1)
        return self.model_copy(update={"horizon_days": days, "warmup_days": warmup})
