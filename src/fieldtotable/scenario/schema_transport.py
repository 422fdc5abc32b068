"""The ``hubs`` and ``legs`` sections: hubs, transport links, dispatch, failures, closures."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Strict, field_validator, model_validator

from fieldtotable.scenario.limits import (
    MAX_CLOSURES_PER_YEAR,
    MAX_CO2_KG_PER_KM,
    MAX_CO2_KG_PER_TONNE_KM,
    MAX_COST_CNY_PER_KG,
    MAX_COST_CNY_PER_KM,
    MAX_COST_CNY_PER_TRIP,
    MAX_COUNT,
    MAX_DISTANCE_KM,
    MAX_HOURS,
    MAX_KG,
    MIN_MAX_WAIT_H,
    MIN_VEHICLE_CAPACITY_KG,
)
from fieldtotable.scenario.schema_logs import NodeTemperatureLog, TemperatureLog
from fieldtotable.scenario.schema_money import Capital, CnyPerKg, CnyPerKgByProduct, CnyPerYear
from fieldtotable.scenario.schema_overload import (
    ArrivalPriority,
    Overload,
    Priority,
    WaitAmbient,
    overload_from_on_full,
)
from fieldtotable.scenario.schema_types import (
    Fraction,
    Frozen,
    HourOfDay,
    Hours,
    Kg,
    Location,
    Mode,
    Month,
    MonthlyFactors,
    NonNegativeDistribution,
    OnFull,
    TemperatureC,
    TemperatureClass,
)

# Costs and emission factors: finite, from 0 to a bound of fieldtotable.scenario.limits.
CostPerTrip = Annotated[float, Strict(), Field(ge=0, le=MAX_COST_CNY_PER_TRIP, allow_inf_nan=False)]
CostPerKm = Annotated[float, Strict(), Field(ge=0, le=MAX_COST_CNY_PER_KM, allow_inf_nan=False)]
CostPerKg = Annotated[float, Strict(), Field(ge=0, le=MAX_COST_CNY_PER_KG, allow_inf_nan=False)]
Co2PerTonneKm = Annotated[
    float, Strict(), Field(ge=0, le=MAX_CO2_KG_PER_TONNE_KM, allow_inf_nan=False)
]
Co2PerKm = Annotated[float, Strict(), Field(ge=0, le=MAX_CO2_KG_PER_KM, allow_inf_nan=False)]
DistanceKm = Annotated[float, Strict(), Field(gt=0, le=MAX_DISTANCE_KM, allow_inf_nan=False)]
VehicleKg = Annotated[
    float, Strict(), Field(ge=MIN_VEHICLE_CAPACITY_KG, le=MAX_KG, allow_inf_nan=False)
]
WaitHours = Annotated[float, Strict(), Field(ge=MIN_MAX_WAIT_H, le=MAX_HOURS, allow_inf_nan=False)]
ClosuresPerYear = Annotated[
    float, Strict(), Field(ge=0, le=MAX_CLOSURES_PER_YEAR, allow_inf_nan=False)
]


class Hub(Frozen):
    """Consolidation hub or distribution centre."""

    region: str
    """Climate region (a key of ``climate``): the air temperature on the dock, of
    lots waiting outside a full store, of loading onto legs leaving here, and of a
    reefer failure in the half of a trip nearer this hub."""
    location: Location | None = None
    """Position on a map (``{lon: .., lat: ..}``, degrees), used by the network map
    figure only; no effect on the simulation. Nodes without one are laid out
    automatically."""
    handling_time_h: Hours = 0.0
    """Hours from the end of the dock exposure until a lot enters the store, h (at
    most 8784); the lot is held at its chamber's setpoint meanwhile and takes no store
    capacity."""
    storage_kg: Kg
    """Storage capacity, kg (at most 1e12), shared by all chambers; what happens to lots
    that do not fit is the ``overload`` policy."""
    setpoint_c: TemperatureC
    """Store temperature, °C, for products whose temperature class has no entry in
    ``class_setpoints_c``."""
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class, °C (e.g.
    ``frozen: -18``); products of a class not listed are held at ``setpoint_c``."""
    temperature_log: NodeTemperatureLog | None = None
    """A measured temperature profile of the store, repeating every day or year
    (``{file: logs/room.csv, repeat: daily}``), replayed instead of the setpoints
    for the lots stored here. See :class:`NodeTemperatureLog`."""
    dock_exposure_h: Hours = 0.5
    """Hours each unloaded lot stands on the dock at the region's air temperature
    before handling, h (at most 8784)."""
    overload: Overload = WaitAmbient(policy="wait_ambient")
    """What happens when the store is full: ``{policy: wait_ambient}`` (lots wait
    outside, first come first served), ``{policy: refuse_upstream}`` (legs into the
    hub load only what fits, counting the kg already on their way; goods stay upstream)
    or ``{policy: overflow, ...}`` (a rented overflow cold store). See the how-to
    *Choose an overload policy*."""
    priority: Priority = ArrivalPriority(order="arrival")
    """Order in which departing vehicles load the store's lots: ``{order: arrival}``
    (earliest first, the default), ``{order: least_shelf_life}`` or ``{order:
    products, products: [...]}``."""
    on_full: OnFull | None = Field(default=None, json_schema_extra={"deprecated": True})
    """Deprecated: use ``overload``. ``wait`` reads as ``overload: {policy:
    wait_ambient}``, ``refuse`` as ``overload: {policy: refuse_upstream,
    back_pressure: false}`` (the whole lot turned away at the door)."""

    @model_validator(mode="before")
    @classmethod
    def _on_full_is_an_overload(cls, data: Any) -> Any:
        return overload_from_on_full(data)

    handling_cny_per_kg: CnyPerKgByProduct = 0.0
    """Handling (unloading, put-away, picking labour), CNY/kg (0 to 1e6), per kg
    received into the store: one number for every product, or a mapping product ->
    cost (products not listed: 0). 0 by default."""
    rent_cny_per_kg_year: CnyPerKg = 0.0
    """Rent of the store, CNY per kg of ``storage_kg`` per year (0 to 1e6), pro rata
    over the measured days (``storage_cost_cny``). 0 by default."""
    storage_capital: Capital | None = None
    """Price and life of the store per kg of ``storage_kg`` (``capital_cost_cny``).
    No capital when omitted (a rented store)."""
    fixed_cny_per_year: CnyPerYear = 0.0
    """Fixed cost (staff, upkeep), CNY/year (0 to 1e12), pro rata over the measured
    days (``fixed_cost_cny``). 0 by default."""

    def routing_hours(self) -> float:
        """Return the expected hours a lot spends here on arrival, for ranking paths.

        Returns
        -------
        float
            ``dock_exposure_h + handling_time_h``.
        """
        return self.dock_exposure_h + self.handling_time_h


class ScheduledDispatch(Frozen):
    """Departures at fixed hours of every day."""

    policy: Literal["scheduled"]
    """``scheduled``: departures at fixed hours."""
    departures_h: tuple[HourOfDay, ...] = Field(min_length=1)
    """Hours of the day, h, of the daily departures. At each one, free vehicles leave
    one after another, each with up to ``vehicle_capacity_kg`` of the waiting cargo
    (earliest arrival first), part loads included, until cargo or vehicles run out."""


class FullOrTimeoutDispatch(Frozen):
    """Depart when ``min_load_kg`` waits, or when the oldest cargo waited ``max_wait_h``."""

    policy: Literal["full_or_timeout"]
    """``full_or_timeout``: departures when a load is ready."""
    min_load_kg: Kg
    """A free vehicle leaves as soon as this many kg of cargo for the leg wait at the
    origin (``vehicle_capacity_kg`` if that is smaller); at most 1e12."""
    max_wait_h: WaitHours
    """Hours the earliest waiting lot may wait in the origin's store, h (0.001 to
    8784): when it has waited that long, a free vehicle leaves with whatever waits."""


Dispatch = Annotated[ScheduledDispatch | FullOrTimeoutDispatch, Field(discriminator="policy")]


class ReeferFailure(Frozen):
    """Refrigeration failure during a trip: cargo at ambient for the failure's duration."""

    probability_per_trip: Fraction
    """Probability that a loaded trip suffers a refrigeration failure (at most one
    per trip)."""
    duration_h: NonNegativeDistribution
    """Duration of a failure, h (a distribution). It starts at a uniformly random
    moment between departure and arrival and ends at the latest on arrival; meanwhile
    the cargo ages at the air temperature of the origin's region (a failure starting
    in the first half of the trip) or of the destination's."""


class Closures(Frozen):
    """Road or line closures (landslides, snow) that hold departures and trips under way."""

    per_year: ClosuresPerYear
    """Expected closures per year (1/year, at most 366: one a day): their starts form a
    Poisson process spread evenly over the hours of ``months``. 0 disables the
    process."""
    months: tuple[Month, ...] = Field(default=tuple(range(1, 13)), min_length=1)
    """Calendar months (1 = January) in which closures can start; a closure may last
    past the month's end."""
    duration_h: NonNegativeDistribution
    """Duration of each closure, h (a distribution). While the leg is closed, loaded
    vehicles wait to depart (in the reefer), trips under way stop and resume when it
    reopens, and empty vehicles on the way back are held too. Overlapping closures
    merge."""
    month_weights: MonthlyFactors | None = Field(
        default=None, exclude_if=lambda weights: weights is None
    )
    """Relative closure rate of each month, January to December (e.g. 3 in the rainy
    months, 1 otherwise): the ``per_year`` closures are spread over the days of
    ``months`` in proportion to these weights. Evenly when omitted."""
    wetness_region: str | None = Field(default=None, exclude_if=lambda region: region is None)
    """Climate region (a key of ``climate``) whose drawn wetness factor
    (``climate.<region>.variation.wetness_cv``) multiplies the closure rate in each
    calendar year of a replication: a wet year brings more landslides. Not linked when
    omitted."""

    @model_validator(mode="after")
    def _some_month_weighted(self) -> Closures:
        weights = self.month_weights
        if weights is not None and not any(weights[month - 1] > 0 for month in self.months):
            raise ValueError("month_weights must be above 0 in at least one of the months")
        return self


class Leg(Frozen):
    """A transport link between two nodes with its own fleet."""

    from_: str = Field(alias="from")
    """Origin node: a collection point or a hub. Cargo waits in its store, and is
    loaded at its region's air temperature."""
    to: str
    """Destination hub; the cargo is unloaded onto its dock on arrival."""
    mode: Mode
    """Transport mode. A label for ``routing.prefer_modes``: speed, cost and CO2
    come from the leg's own fields, not from the mode."""
    distance_km: DistanceKm
    """One-way distance, km (at most 40075, once around the Earth): prices
    ``cost_cny_per_km``, ``co2_kg_per_km`` and ``co2_kg_per_tonne_km``; the transit
    time does not depend on it."""
    transit_time_h: NonNegativeDistribution
    """Hours of movement one way (a distribution), drawn for each trip and again for
    the empty return; closures add to it."""
    fleet: Annotated[int, Strict(), Field(ge=1, le=MAX_COUNT)] = 1
    """Number of vehicles (1 to 10000). A vehicle carries one load at a time and is away for
    loading, the trip and the empty return."""
    vehicle_capacity_kg: VehicleKg
    """Kg one vehicle carries per trip (10 to 1e12: a courier's insulated box holds
    10-30 kg, a reefer truck about 15,000)."""
    dispatch: Dispatch
    """When vehicles leave: at fixed hours (``policy: scheduled``), or when a load is
    ready or the earliest cargo has waited long enough (``policy: full_or_timeout``)."""
    setpoint_c: TemperatureC
    """Temperature in the vehicle, °C, from the end of loading to arrival, for
    products whose temperature class has no entry in ``class_setpoints_c``."""
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class, °C (e.g.
    ``frozen: -18``); products of a class not listed are held at ``setpoint_c``."""
    temperature_log: TemperatureLog | None = None
    """A measured temperature log replayed for every trip instead of the setpoints
    (``temperature_log: logs/trip.csv``, relative to this scenario file; a CSV with
    the header ``elapsed_h,temp_c``): hour 0 at departure, linear between records,
    the last temperature held past the end. See :class:`TemperatureLog`."""
    loading_h: Hours = 0.0
    """Hours of loading at the origin, h (at most 8784), at the origin region's air
    temperature, before the vehicle departs."""
    active_months: tuple[Month, ...] = Field(default=tuple(range(1, 13)), min_length=1)
    """Calendar months (1 = January) in which the leg runs. In other months no
    vehicle departs, and routing sends products over other legs (when none runs,
    cargo waits for the leg that is best over the whole year)."""
    products: tuple[str, ...] | None = None
    """Products allowed on this leg (all when omitted): e.g. air only for matsutake."""
    reefer_failure: ReeferFailure | None = None
    """Refrigeration failures during trips; none when omitted."""
    closures: tuple[Closures, ...] = ()
    """Independent closure processes (snow in winter, landslides in the rainy
    season); one mapping is read as a list of one."""
    cost_cny_per_trip: CostPerTrip = 0.0
    """Fixed cost of each loaded trip, CNY (at most 1e8), booked when the vehicle is loaded (the
    empty return costs nothing)."""
    cost_cny_per_km: CostPerKm = 0.0
    """Cost per km of ``distance_km`` of each loaded trip, CNY/km (at most 1e5; the
    empty return is not charged)."""
    cost_cny_per_kg: CostPerKg = 0.0
    """Cost per kg carried, CNY/kg (at most 1e5; e.g. an air-freight rate)."""
    co2_kg_per_tonne_km: Co2PerTonneKm = 0.0
    """CO2 per tonne of cargo per km of the loaded trip, kg/(t km) (at most 100)."""
    co2_kg_per_km: Co2PerKm = 0.0
    """CO2 per vehicle-km of the loaded trip, kg/km (at most 1000), whatever the load (fuel of the
    vehicle and its reefer unit); adds to ``co2_kg_per_tonne_km``. The empty return
    is not charged."""
    vehicle_capital: Capital | None = None
    """Price and life of one vehicle of the ``fleet`` (``capital_cost_cny``): an owned
    fleet. No capital when omitted (hired transport, whose price is in the costs per
    trip, km and kg)."""

    @field_validator("closures", mode="before")
    @classmethod
    def _one_closure_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _check(self) -> Leg:
        if self.from_ == self.to:
            raise ValueError("a leg must join two different nodes")
        return self
