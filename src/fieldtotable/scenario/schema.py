"""The scenario file's shape: frozen pydantic models (DESIGN.md section 8).

Every model forbids unknown keys and checks values for sense. Cross-references
between sections (a leg naming an unknown node, a product no market sells) are
checked by :mod:`fieldtotable.scenario.network`, which reports field paths that the
loader maps back to file lines.

The models of each section live in sibling modules, all re-exported here:
:mod:`~fieldtotable.scenario.schema_types` (shared field types, the base model),
:mod:`~fieldtotable.scenario.schema_products`,
:mod:`~fieldtotable.scenario.schema_sources` (sources and collection points),
:mod:`~fieldtotable.scenario.schema_transport` (hubs and legs),
:mod:`~fieldtotable.scenario.schema_nodes` (places of kinds added by code) and
:mod:`~fieldtotable.scenario.schema_markets`. This module holds the top level: the
climate, the routing and :class:`Scenario` itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import pydantic_core
from pydantic import (
    Field,
    Strict,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from fieldtotable.scenario.limits import MAX_DAILY_RANGE_C, MAX_DAYS, MAX_HOURS, MAX_SCALE
from fieldtotable.scenario.schema_markets import (
    EventOrder,
    Market,
    Orders,
    OrderStream,
    OrderUpTo,
    ReorderLevels,
    ReorderPoint,
    Replenishment,
    Store,
    StoreDemand,
)
from fieldtotable.scenario.schema_money import Capital, CoolingLaw, Finance, FreshnessStep
from fieldtotable.scenario.schema_nodes import NodeConfig, NodeEntry
from fieldtotable.scenario.schema_overload import (
    ArrivalPriority,
    LeastShelfLifePriority,
    Overflow,
    Overload,
    Priority,
    ProductPriority,
    RefuseUpstream,
    WaitAmbient,
)
from fieldtotable.scenario.schema_parcel import ParcelDelivery
from fieldtotable.scenario.schema_products import (
    Breakage,
    Markdown,
    Product,
    WeightLoss,
)
from fieldtotable.scenario.schema_sources import (
    CollectionPoint,
    GradingFraction,
    Precooling,
    Source,
    Supply,
)
from fieldtotable.scenario.schema_transport import (
    Closures,
    Dispatch,
    FullOrTimeoutDispatch,
    Hub,
    Leg,
    ReeferFailure,
    ScheduledDispatch,
)
from fieldtotable.scenario.schema_types import (
    Fraction,
    Frozen,
    HourOfDay,
    IssuingPolicy,
    Location,
    Mode,
    Month,
    MonthlyFactors,
    NonNegativeDistribution,
    NonNegativeFloat,
    OnFull,
    PositiveFloat,
    TemperatureC,
    TemperatureClass,
    WeekdayFactors,
)
from fieldtotable.scenario.schema_uncertain import Prior
from fieldtotable.scenario.schema_weather import ClimateVariation, HeatWaves
from fieldtotable.scenario.sizes import date_problem, size_problems

__all__ = [
    "MAX_DAYS",
    "ArrivalPriority",
    "Breakage",
    "Capital",
    "ClimateVariation",
    "Closures",
    "CollectionPoint",
    "CoolingLaw",
    "Dispatch",
    "EventOrder",
    "Finance",
    "Fraction",
    "FreshnessStep",
    "Frozen",
    "FullOrTimeoutDispatch",
    "GradingFraction",
    "HeatWaves",
    "HourOfDay",
    "Hub",
    "IssuingPolicy",
    "LeastShelfLifePriority",
    "Leg",
    "Location",
    "Markdown",
    "Market",
    "Mode",
    "Month",
    "MonthlyFactors",
    "NodeConfig",
    "NodeEntry",
    "NonNegativeDistribution",
    "NonNegativeFloat",
    "OnFull",
    "OrderStream",
    "OrderUpTo",
    "Orders",
    "Overflow",
    "Overload",
    "ParcelDelivery",
    "PositiveFloat",
    "Precooling",
    "Prior",
    "Priority",
    "Product",
    "ProductPriority",
    "ReeferFailure",
    "RefuseUpstream",
    "RegionClimate",
    "ReorderLevels",
    "ReorderPoint",
    "Replenishment",
    "RouteSwitch",
    "Routing",
    "Scenario",
    "ScheduledDispatch",
    "Source",
    "Store",
    "StoreDemand",
    "Supply",
    "TemperatureC",
    "TemperatureClass",
    "WaitAmbient",
    "WeekdayFactors",
    "WeightLoss",
]


class RegionClimate(Frozen):
    """Monthly mean air temperature and the mean daily range (max - min) of a region."""

    monthly_mean_c: tuple[TemperatureC, ...] = Field(min_length=12, max_length=12)
    """Twelve monthly mean air temperatures, °C, January to December; every day uses
    its month's mean. A region may be given as just this list."""
    daily_range_c: Annotated[
        float, Strict(), Field(ge=0, le=MAX_DAILY_RANGE_C, allow_inf_nan=False)
    ] = 0.0
    """Mean daily range (maximum - minimum), °C (0 to 40): a cosine cycle around the monthly
    mean, peaking at 15:00, constant within each hour. 0: the same temperature all
    day."""
    variation: ClimateVariation | None = Field(
        default=None, exclude_if=lambda variation: variation is None
    )
    """Year-to-year variation (monthly anomalies, heat waves, wetness) drawn per
    replication; see :class:`~fieldtotable.scenario.schema_weather.ClimateVariation`.
    Every replication sees the normal climate when omitted."""

    @model_validator(mode="before")
    @classmethod
    def _list_is_monthly(cls, data: Any) -> Any:
        if isinstance(data, list | tuple):
            return {"monthly_mean_c": data}
        return data


class RouteSwitch(Frozen):
    """Send a product over another leg while the leg it usually takes is backed up.

    At the alternative leg's origin, the product is usually routed over another leg
    (the fastest, or the preferred mode's). While that usual leg's **backlog** -- the
    kg waiting at the origin for it, divided by the kg per hour it can carry away
    (``fleet x vehicle_capacity_kg`` per round trip of twice its expected transit
    time plus loading; for scheduled legs no more than a full vehicle per
    departure) -- exceeds ``backlog_over_h`` hours, the alternative leg loads the
    product too, as it would its own cargo. The rule is checked whenever the
    alternative leg dispatches and whenever the product arrives at the origin; the kg
    it moves are counted in the results (``rerouted_kg``; ``by_leg.rerouted_kg`` of
    the alternative leg).
    """

    product: str
    """Product id."""
    leg: str
    """The alternative leg (it must be able to carry the product, and its destination
    must lead on to a market selling it)."""
    backlog_over_h: Annotated[float, Field(gt=0, le=MAX_HOURS)]
    """Hours of backlog on the usual leg above which the alternative leg takes the
    product (h)."""


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
    switches: tuple[RouteSwitch, ...] = ()
    """Capacity-aware alternatives: each moves a product to another leg while its
    usual leg is backed up (e.g. matsutake by air when the road's backlog exceeds 24
    h; rail when the trucks' exceeds 48 h). None by default."""


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
    warmup_days: Annotated[int, Strict(), Field(ge=0, le=MAX_DAYS)] = 0
    """Days at the start left out of the KPIs, d (fewer than ``horizon_days``). The
    kg in the system when the warm-up ends are reported (``in_system_kg_warmup_end``),
    so that the measured days balance: that stock plus ``harvested_kg`` equals
    rejected + refused + damaged + spoiled + sold + ``in_system_kg_end``."""
    scale: Annotated[float, Strict(), Field(gt=0, le=MAX_SCALE, allow_inf_nan=False)] = 1.0
    """Factor (dimensionless, > 0 and at most 1000) on supply and demand:
    ``kg_per_day``, customers per day, order kg, order-up-to targets and (s, S) levels.
    Capacities, fleets and costs are not scaled."""
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
    nodes: dict[str, NodeEntry] = Field(default_factory=dict, exclude_if=lambda nodes: not nodes)
    """Node id -> a place of a kind added by code (``kind: cross_dock`` and the
    fields of that kind; see :func:`fieldtotable.model.nodes.register_node_kind`).
    Legs may start and end at such places, and markets be supplied by them, as the
    kind allows; ids must differ from every other node id. Empty by default (and
    then left out when the scenario is written back)."""
    legs: dict[str, Leg] = Field(default_factory=dict)
    """Leg id -> transport link; legs must not form a cycle."""
    markets: dict[str, Market] = Field(min_length=1)
    """Market id -> a store (``kind: store``) or an order-driven market
    (``kind: orders``); at least one."""
    routing: Routing = Routing()
    """How lots choose their path; by default the fastest, with no preferred
    modes."""
    finance: Finance = Finance()
    """Discount rate, electricity prices and the cooling-load law of the money KPIs;
    by default a discount rate of 0.08 and free electricity."""
    uncertain: dict[str, Prior] = Field(default_factory=dict, exclude_if=lambda priors: not priors)
    """Field path -> the prior its value is drawn from, once per replication (e.g.
    ``products.matsutake.shelf_life_days: {dist: triangular, low: 3, mode: 4, high:
    5}``); the value written at the path itself is then not used. A path takes the
    form ``--set`` does and must name a number the scenario sets; the field must
    accept every value the prior can draw. ``null`` drops a prior (e.g. one an
    ``extends`` parent declares). Empty by default (and then left out when the
    scenario is written back). Drawn by :mod:`fieldtotable.model.parameter_draws`."""

    @field_validator("uncertain", mode="before")
    @classmethod
    def _null_drops_a_prior(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {path: prior for path, prior in value.items() if prior is not None}
        return value

    @field_validator("warmup_days")
    @classmethod
    def _warmup_within_horizon(cls, value: int, info: ValidationInfo) -> int:
        # A field validator (horizon_days is validated first), so that the problem is
        # reported at warmup_days' line.
        horizon = info.data.get("horizon_days")
        if horizon is not None and value >= horizon:
            raise ValueError(f"must be smaller than horizon_days, {horizon} (got {value})")
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _within_limits(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Scenario:
        # Limits that several fields give together (fieldtotable.scenario.sizes), checked
        # once every field is valid; each problem is reported at its own field path.
        scenario: Scenario = handler(data)
        problems = size_problems(scenario)
        if problems:
            raise pydantic_core.ValidationError.from_exception_data(
                cls.__name__,
                [
                    {
                        "type": pydantic_core.PydanticCustomError("limit", message),
                        "loc": loc,
                        # A mapping is not shown after the message: None means no value.
                        "input": {} if value is None else value,
                    }
                    for loc, message, value in problems
                ],
            )
        return scenario

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
            If ``days`` is not an integer between 1 and 3660, the run would end past
            9999-12-31, or a longer run would exceed a limit on its size or work
            (:mod:`fieldtotable.scenario.sizes`).
        """
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise ValueError(
                f"horizon must be a whole number of days in 1..{MAX_DAYS}, not {days!r}"
            )
        message = date_problem(self.start_date, days)
        if message is not None:
            raise ValueError(f"start_date {self.start_date.isoformat()}: {message}")
        warmup = min(self.warmup_days, days - 1)
        longer = self.model_copy(update={"horizon_days": days, "warmup_days": warmup})
        if days > self.horizon_days:  # the limits that grow with the horizon
            for loc, problem, _value in size_problems(longer):
                raise ValueError(f"horizon {days} days: {'.'.join(map(str, loc))}: {problem}")
        return longer
