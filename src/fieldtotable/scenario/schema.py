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


class Markdown(Frozen):
    """Price cut for stock close to expiry (nominal remaining fraction of shelf life)."""

    below_remaining_fraction: Annotated[float, Strict(), Field(gt=0, lt=1)]
    """Threshold, as a fraction of the nominal shelf life: a lot sold while its
    remaining fraction (1 - consumed fraction, as a date label shows it, whatever the
    lot's own variability factor) is below it sells at the markdown price, at any
    market."""
    discount: Annotated[float, Strict(), Field(ge=0, lt=1)]
    """Share of ``price_cny_per_kg`` taken off a marked-down sale, as a fraction: 0.4
    sells at 60 % of the price."""


class Product(Frozen):
    """A product and its shelf-life kinetics (DESIGN.md section 4)."""

    display_name: str | None = None
    """Name shown in result tables instead of the product id (the id when omitted);
    no effect on the simulation."""
    temperature_class: TemperatureClass
    """``frozen``, ``chilled`` or ``ambient``. Picks the chamber the product is held in
    wherever a ``class_setpoints_c`` lists the class (cold rooms, hubs, vehicles,
    store) and whether collection points pre-cool it (``precooling.classes``); it
    does not change the kinetics."""
    shelf_life_days: PositiveFloat
    """Nominal shelf life, days, of a lot held at ``ref_temp_c``. A lot's quality is
    the fraction of it consumed so far, ``dt / (24 * SL(T))`` for every ``dt`` hours at
    temperature ``T``; the lot spoils when that fraction reaches its variability
    factor (see ``shelf_life_cv``)."""
    ref_temp_c: TemperatureC
    """Reference temperature, °C, at which ``shelf_life_days`` holds; the shelf life
    at other temperatures follows ``q10`` or ``activation_energy_kj_mol``."""
    q10: PositiveFloat | None = None
    """Q10 temperature sensitivity (dimensionless): the shelf life is divided by
    ``q10`` for every 10 °C above ``ref_temp_c`` (multiplied below it),
    ``SL(T) = shelf_life_days / q10 ** ((T - ref_temp_c) / 10)``. Give exactly one of
    ``q10`` and ``activation_energy_kj_mol``."""
    activation_energy_kj_mol: PositiveFloat | None = None
    """Arrhenius activation energy, kJ/mol, instead of ``q10``: the ageing rate
    relative to ``ref_temp_c`` is ``exp(-(Ea / R) * (1 / T - 1 / T_ref))``, with
    temperatures in kelvin and R = 8.314 J/(mol K). Give exactly one of ``q10`` and
    ``activation_energy_kj_mol``."""
    shelf_life_cv: NonNegativeFloat = 0.0
    """Lot-to-lot shelf-life variability: the coefficient of variation
    (dimensionless) of a lognormal factor with mean 1, drawn for each lot at harvest;
    the lot spoils when its consumed fraction reaches that factor. 0: every lot has
    the nominal shelf life."""
    price_cny_per_kg: PositiveFloat
    """Sale price, CNY/kg, at every market, before any markdown (gives
    ``sold_value_cny``)."""
    markdown: Markdown | None = None
    """Price cut for stock close to expiry; none when omitted."""

    @model_validator(mode="after")
    def _one_sensitivity(self) -> Product:
        if (self.q10 is None) == (self.activation_energy_kj_mol is None):
            raise ValueError("give exactly one of q10 or activation_energy_kj_mol")
        return self


class Supply(Frozen):
    """Daily supply of one product at one source."""

    kg_per_day: NonNegativeDistribution
    """Kg harvested per day at season factor 1 and ``scale`` 1 (a distribution, drawn
    once a day in season; normal draws are clipped at 0). The day's harvest of the
    product is one lot of ``kg_per_day * season[month] * scale`` kg."""
    season: MonthlyFactors = _ONES_12
    """Twelve monthly factors, January to December (dimensionless), multiplying
    ``kg_per_day``; 0: no harvest that month."""


class Source(Frozen):
    """A producer, cooperative or enterprise that harvests once a day."""

    region: str
    """Climate region (a key of ``climate``): the day's lots age at its air
    temperature between harvest and arrival at the collection point ("field heat")."""
    collection_point: str
    """The collection point (a key of ``collection_points``) the source delivers to."""
    harvest_hour: HourOfDay = 12.0
    """Hour of the day, h, of the daily harvest: the lots are created then, and the
    hours from field to market are counted from it."""
    hours_to_collection: NonNegativeDistribution = Distribution(dist="constant", value=0.0)
    """Hours from harvest to arrival at the collection point (a distribution, drawn
    once a day: the day's lots travel together), spent at the source region's air
    temperature."""
    supply: dict[str, Supply] = Field(min_length=1)
    """Product id -> the daily supply of that product; at least one."""


class Precooling(Frozen):
    """Pre-cooling units at a collection point.

    A lot occupies one of ``units`` for ``time_h`` (sampled) plus, when
    ``capacity_kg_per_h`` is given, ``kg / capacity_kg_per_h`` hours of loading
    throughput. Lots queue at ambient temperature while every unit is busy. Only
    products of the temperature classes in ``classes`` are pre-cooled; the others go
    straight to the cold room (frozen goods arrive frozen, honey needs no cooling).
    """

    units: Annotated[int, Strict(), Field(ge=1)] = 1
    """Number of pre-cooling units working in parallel, each treating one lot at a
    time; lots queue at the region's air temperature while every unit is busy."""
    capacity_kg_per_h: PositiveFloat | None = None
    """Throughput of one unit, kg/h: a lot of ``m`` kg occupies its unit
    ``m / capacity_kg_per_h`` hours on top of ``time_h``. No throughput term when
    omitted."""
    time_h: NonNegativeDistribution = Distribution(dist="constant", value=0.0)
    """Hours a lot occupies a unit besides the throughput term (a distribution, drawn
    per lot). Meanwhile the lot is held half-way between the air temperature when it
    starts and the setpoint of its cold-room chamber. With ``capacity_kg_per_h``
    omitted and an expected ``time_h`` of 0 there is no pre-cooling at all."""
    classes: tuple[TemperatureClass, ...] = ("chilled",)
    """Temperature classes that are pre-cooled; lots of other classes go straight to
    the cold room."""


class Location(Frozen):
    """A node's position on a map: longitude and latitude (WGS 84), for figures only."""

    lon: Annotated[float, Strict(), Field(ge=-180, le=180, allow_inf_nan=False)]
    """Longitude, degrees east of Greenwich (west is negative), in [-180, 180]."""
    lat: Annotated[float, Strict(), Field(ge=-90, le=90, allow_inf_nan=False)]
    """Latitude, degrees north of the equator (south is negative), in [-90, 90]."""


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
    """Climate region (a key of ``climate``): the air temperature of lots queueing
    for pre-cooling or waiting outside a full cold room, of loading onto legs leaving
    here, and of a reefer failure in the first half of such a leg's trip."""
    location: Location | None = None
    """Position on a map (``{lon: .., lat: ..}``, degrees), used by the network map
    figure only; no effect on the simulation. Nodes without one are laid out
    automatically."""
    grading_reject_fraction: GradingFraction = 0.0
    """Share of the kg removed at grading: one number for every product, or a
    mapping product -> share (products not listed are not graded). Grading happens
    on arrival, before pre-cooling; the kg removed count as ``rejected_kg``."""
    precooling: Precooling = Precooling()
    """Pre-cooling units. The default (one unit, no throughput term, ``time_h`` 0)
    means no pre-cooling: lots go straight to the cold room."""
    cold_room_kg: PositiveFloat
    """Cold-room capacity, kg, shared by all chambers. Lots that do not fit wait
    outside at the region's air temperature and enter, first come first served, as
    space frees (``on_full: wait``; a lot that partly fits is split), or are turned
    away (``on_full: refuse``)."""
    setpoint_c: TemperatureC
    """Cold-room temperature, °C, for products whose temperature class has no entry
    in ``class_setpoints_c``."""
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class, °C (e.g.
    ``frozen: -18``); products of a class not listed are held at ``setpoint_c``."""
    on_full: OnFull = "wait"
    """What happens to a lot that does not fit in the cold room: ``wait`` outside at
    the region's air temperature until space frees, or ``refuse``: the whole lot is
    turned away and counted as ``refused_kg``."""


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
    handling_time_h: NonNegativeFloat = 0.0
    """Hours from the end of the dock exposure until a lot enters the store, h; the
    lot is held at its chamber's setpoint meanwhile and takes no store capacity."""
    storage_kg: PositiveFloat
    """Storage capacity, kg, shared by all chambers; what does not fit waits outside
    or is refused (``on_full``), as at a collection point."""
    setpoint_c: TemperatureC
    """Store temperature, °C, for products whose temperature class has no entry in
    ``class_setpoints_c``."""
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class, °C (e.g.
    ``frozen: -18``); products of a class not listed are held at ``setpoint_c``."""
    dock_exposure_h: NonNegativeFloat = 0.5
    """Hours each unloaded lot stands on the dock at the region's air temperature
    before handling, h."""
    on_full: OnFull = "wait"
    """What happens to a lot that does not fit in the store: ``wait`` outside at the
    region's air temperature until space frees, or ``refuse``: the whole lot is
    turned away and counted as ``refused_kg``."""


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
    min_load_kg: PositiveFloat
    """A free vehicle leaves as soon as this many kg of cargo for the leg wait at the
    origin (``vehicle_capacity_kg`` if that is smaller)."""
    max_wait_h: PositiveFloat
    """Hours the earliest waiting lot may wait in the origin's store, h: when it has
    waited that long, a free vehicle leaves with whatever waits."""


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

    per_year: NonNegativeFloat
    """Expected closures per year (1/year): their starts form a Poisson process
    spread evenly over the hours of ``months``. 0 disables the process."""
    months: tuple[Month, ...] = Field(default=tuple(range(1, 13)), min_length=1)
    """Calendar months (1 = January) in which closures can start; a closure may last
    past the month's end."""
    duration_h: NonNegativeDistribution
    """Duration of each closure, h (a distribution). While the leg is closed, loaded
    vehicles wait to depart (in the reefer), trips under way stop and resume when it
    reopens, and empty vehicles on the way back are held too. Overlapping closures
    merge."""


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
    distance_km: PositiveFloat
    """One-way distance, km: prices ``cost_cny_per_km``, ``co2_kg_per_km`` and
    ``co2_kg_per_tonne_km``; the transit time does not depend on it."""
    transit_time_h: NonNegativeDistribution
    """Hours of movement one way (a distribution), drawn for each trip and again for
    the empty return; closures add to it."""
    fleet: Annotated[int, Strict(), Field(ge=1)] = 1
    """Number of vehicles. A vehicle carries one load at a time and is away for
    loading, the trip and the empty return."""
    vehicle_capacity_kg: PositiveFloat
    """Kg one vehicle carries per trip."""
    dispatch: Dispatch
    """When vehicles leave: at fixed hours (``policy: scheduled``), or when a load is
    ready or the earliest cargo has waited long enough (``policy: full_or_timeout``)."""
    setpoint_c: TemperatureC
    """Temperature in the vehicle, °C, from the end of loading to arrival, for
    products whose temperature class has no entry in ``class_setpoints_c``."""
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class, °C (e.g.
    ``frozen: -18``); products of a class not listed are held at ``setpoint_c``."""
    loading_h: NonNegativeFloat = 0.0
    """Hours of loading at the origin, h, at the origin region's air temperature,
    before the vehicle departs."""
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
    cost_cny_per_trip: NonNegativeFloat = 0.0
    """Fixed cost of each loaded trip, CNY, booked when the vehicle is loaded (the
    empty return costs nothing)."""
    cost_cny_per_km: NonNegativeFloat = 0.0
    """Cost per km of ``distance_km`` of each loaded trip, CNY/km (the empty return
    is not charged)."""
    cost_cny_per_kg: NonNegativeFloat = 0.0
    """Cost per kg carried, CNY/kg (e.g. an air-freight rate)."""
    co2_kg_per_tonne_km: NonNegativeFloat = 0.0
    """CO2 per tonne of cargo per km of the loaded trip, kg/(t km)."""
    co2_kg_per_km: NonNegativeFloat = 0.0
    """CO2 per vehicle-km of the loaded trip, kg/km, whatever the load (fuel of the
    vehicle and its reefer unit); adds to ``co2_kg_per_tonne_km``. The empty return
    is not charged."""

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
    """``order_up_to``: order up to some days of expected demand."""
    at_hour: HourOfDay = 6.0
    """Hour of the day, h, of the daily order."""
    target_days_of_demand: PositiveFloat
    """Days of demand, d: each order raises shelf stock plus stock on its way to this
    many days of the month's expected daily demand (customers x kg per customer x
    mean weekday factor x season x ``scale``)."""
    lead_time_h: NonNegativeFloat = 1.0
    """Hours from picking at the supplying hub to arrival on the shelf, h; the goods
    are held at the store's setpoints on the way."""


class ReorderLevels(Frozen):
    """(s, S) levels of one product."""

    s_kg: NonNegativeFloat
    """Reorder point, kg (multiplied by ``scale``): an order is placed when shelf
    stock plus stock on its way is at or below it."""
    S_kg: PositiveFloat
    """Order-up-to level, kg (multiplied by ``scale``), above ``s_kg``: the order
    raises shelf stock plus stock on its way to it."""

    @model_validator(mode="after")
    def _check(self) -> ReorderLevels:
        if self.s_kg >= self.S_kg:
            raise ValueError(f"s_kg ({self.s_kg}) must be < S_kg ({self.S_kg})")
        return self


class ReorderPoint(Frozen):
    """Daily review: when stock is at or below ``s_kg``, order up to ``S_kg``."""

    policy: Literal["s_S"]
    """``s_S``: order up to ``S_kg`` when stock falls to ``s_kg``."""
    at_hour: HourOfDay = 6.0
    """Hour of the day, h, of the daily review."""
    levels: dict[str, ReorderLevels] = Field(min_length=1)
    """Product id -> its (s, S) levels; every product in the store's ``demand``
    needs an entry."""
    lead_time_h: NonNegativeFloat = 1.0
    """Hours from picking at the supplying hub to arrival on the shelf, h; the goods
    are held at the store's setpoints on the way."""


Replenishment = Annotated[OrderUpTo | ReorderPoint, Field(discriminator="policy")]


class StoreDemand(Frozen):
    """Walk-in demand for one product at a store."""

    customers_per_day: NonNegativeDistribution
    """Customers per day wanting the product at weekday and season factor 1 and
    ``scale`` 1 (a distribution, drawn once a day). A Poisson count is scaled
    exactly; any other draw is multiplied by the factors and rounded at random to a
    whole number. The day's customers arrive at random over the opening hours."""
    kg_per_customer: NonNegativeDistribution
    """Kg each customer wants (a distribution, drawn per customer); what the shelf
    cannot supply is lost (``lost_sales_kg``)."""
    weekday_factors: WeekdayFactors = _ONES_7
    """Seven factors, Monday to Sunday (dimensionless), multiplying the day's
    customers."""
    season: MonthlyFactors = _ONES_12
    """Twelve monthly factors, January to December (dimensionless), multiplying the
    day's customers."""


class Store(Frozen):
    """A shop with opening hours, shelf stock and walk-in customers."""

    kind: Literal["store"]
    """``store``: a shop with walk-in customers."""
    region: str
    """Climate region (a key of ``climate``). Checked, but not used by the model: the
    store holds its stock at its setpoints."""
    location: Location | None = None
    """Position on a map (``{lon: .., lat: ..}``, degrees), used by the network map
    figure only; no effect on the simulation. Nodes without one are laid out
    automatically."""
    supplied_by: str
    """The hub (a key of ``hubs``) that replenishes the store."""
    open_hours: tuple[HourOfDay, Annotated[float, Strict(), Field(gt=0, le=24)]] = (9.0, 21.0)
    """Opening and closing hour of the day, h, opening first. Customers arrive over
    these hours and are served at the middle of each clock hour (or part of one)."""
    setpoint_c: TemperatureC
    """Shelf temperature, °C, for products whose temperature class has no entry in
    ``class_setpoints_c``; the remaining shelf life at sale is measured at it."""
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class, °C (e.g.
    ``frozen: -18``); products of a class not listed are held at ``setpoint_c``."""
    shelf_capacity_kg: PositiveFloat
    """Shelf capacity, kg (not multiplied by ``scale``): shelf stock plus stock on
    its way may not exceed it; replenishment orders that would are cut in
    proportion."""
    issuing: IssuingPolicy = "FEFO"
    """Order in which stock is sold from the shelf and picked at the supplying hub:
    ``FEFO`` (the lot with the largest consumed fraction of its nominal shelf life
    first), ``FIFO`` (earliest arrival first) or ``LIFO`` (latest arrival first)."""
    replenishment: Replenishment
    """Daily replenishment from the supplying hub: up to some days of demand
    (``policy: order_up_to``) or by (s, S) levels (``policy: s_S``). What the hub
    lacks is not backordered: the next day's order starts afresh."""
    demand: dict[str, StoreDemand] = Field(min_length=1)
    """Product id -> walk-in demand for that product; at least one."""

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
    """Days between orders, d (may be fractional)."""
    kg: NonNegativeDistribution
    """Kg per order at season factor 1 and ``scale`` 1 (a distribution, drawn per
    order; normal draws are clipped at 0). What the hub's stock cannot fill at once
    is lost (``lost_sales_kg``)."""
    at_hour: HourOfDay = 10.0
    """Hour of the day, h, of the first order; later orders follow every
    ``every_days``."""
    first_day: NonNegativeFloat = 0.0
    """Day of the first order, days after ``start_date`` (may be fractional)."""
    season: MonthlyFactors = _ONES_12
    """Twelve monthly factors, January to December (dimensionless), multiplying each
    order's kg."""


class Orders(Frozen):
    """Order-driven demand filled from the supplying hub's stock."""

    kind: Literal["orders"]
    """``orders``: recurring orders (institutional buyers, online shop)."""
    region: str | None = None
    """Climate region (a key of ``climate``), optional. Checked when given, but not
    used by the model."""
    location: Location | None = None
    """Position on a map (``{lon: .., lat: ..}``, degrees), used by the network map
    figure only; no effect on the simulation. Nodes without one are laid out
    automatically."""
    supplied_by: str
    """The hub (a key of ``hubs``) whose stock fills the orders; the remaining shelf
    life at sale is measured at that hub's setpoints."""
    issuing: IssuingPolicy = "FEFO"
    """Order in which lots are picked at the hub: ``FEFO`` (the lot with the largest
    consumed fraction of its nominal shelf life first), ``FIFO`` (earliest arrival
    first) or ``LIFO`` (latest arrival first)."""
    orders: dict[str, OrderStream] = Field(min_length=1)
    """Product id -> order stream of that product; at least one."""


Market = Annotated[Store | Orders, Field(discriminator="kind")]


class RegionClimate(Frozen):
    """Monthly mean air temperature and the mean daily range (max - min) of a region."""

    monthly_mean_c: tuple[TemperatureC, ...] = Field(min_length=12, max_length=12)
    """Twelve monthly mean air temperatures, °C, January to December; every day uses
    its month's mean. A region may be given as just this list."""
    daily_range_c: Annotated[float, Strict(), Field(ge=0, le=40)] = 0.0
    """Mean daily range (maximum - minimum), °C: a cosine cycle around the monthly
    mean, peaking at 15:00, constant within each hour. 0: the same temperature all
    day."""

    @model_validator(mode="before")
    @classmethod
    def _list_is_monthly(cls, data: Any) -> Any:
        if isinstance(data, list | tuple):
            return {"monthly_mean_c": data}
        return data


class Routing(Frozen):
    """How each lot picks its path from collection point to market hub."""

    default: Literal["fastest"] = "fastest"
    """How paths are ranked; ``fastest`` (the only rule): by expected hours, summing
    each leg's expected transit time, loading, the mean wait for a departure (half
    the gap between scheduled departures, or half ``max_wait_h``) and the dock and
    handling hours at its destination hub. Lots are routed hop by hop, month by
    month, over the legs that run that month and carry the product."""
    prefer_modes: dict[str, tuple[Mode, ...]] = Field(default_factory=dict)
    """Product id -> transport modes: a path using any of them wins over every path
    that does not, whatever the hours (e.g. ``matsutake: [air]``)."""


class Scenario(Frozen):
    """A whole channel configuration: the input of :func:`fieldtotable.simulate`."""

    name: str
    """Name of the scenario, shown in reports and results."""
    description: str = ""
    """Free text about the scenario; not used by the model."""
    start_date: dt.date
    """Date of day 0 (YYYY-MM-DD); the clock's hour 0 is its midnight. Months and
    weekdays (seasons, climate, active months, closures, weekday factors) follow
    from it."""
    horizon_days: Annotated[int, Strict(), Field(ge=1, le=MAX_DAYS)]
    """Days simulated, d (at most 3660)."""
    warmup_days: Annotated[int, Strict(), Field(ge=0)] = 0
    """Days at the start left out of the KPIs, d (fewer than ``horizon_days``); the
    mass balance covers the whole horizon."""
    scale: PositiveFloat = 1.0
    """Factor (dimensionless) on supply and demand: ``kg_per_day``, customers per
    day, order kg, order-up-to targets and (s, S) levels. Capacities, fleets and
    costs are not scaled."""
    climate: dict[str, RegionClimate] = Field(min_length=1)
    """Region id -> its climate (or just its list of twelve monthly means); every
    ``region`` named elsewhere needs an entry."""
    products: dict[str, Product] = Field(min_length=1)
    """Product id -> product; at least one."""
    sources: dict[str, Source] = Field(min_length=1)
    """Source id -> producer, cooperative or enterprise; at least one."""
    collection_points: dict[str, CollectionPoint] = Field(min_length=1)
    """Collection point id -> collection point; at least one."""
    hubs: dict[str, Hub] = Field(default_factory=dict)
    """Hub id -> consolidation hub or distribution centre. Every leg ends at a hub
    and every market is supplied by one; node ids must differ from collection
    point ids."""
    legs: dict[str, Leg] = Field(default_factory=dict)
    """Leg id -> transport link; legs must not form a cycle."""
    markets: dict[str, Market] = Field(min_length=1)
    """Market id -> a store (``kind: store``) or an order-driven market
    (``kind: orders``); at least one."""
    routing: Routing = Routing()
    """How lots choose their path; by default the fastest, with no preferred
    modes."""

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

        Parameters
        ----------
        days
            The new ``horizon_days``.

        Returns
        -------
        Scenario
            The same scenario with the new horizon.

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
