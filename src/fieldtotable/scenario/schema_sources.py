"""The ``sources`` and ``collection_points`` sections: harvests, grading, pre-cooling.

A source harvests its products once a day and delivers them to a collection point,
which grades the lots, pre-cools them and keeps them in its cold room.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Strict, Tag, model_validator

from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.limits import MAX_CAPACITY_KG_PER_H, MAX_COUNT, MIN_CAPACITY_KG_PER_H
from fieldtotable.scenario.schema_logs import NodeTemperatureLog
from fieldtotable.scenario.schema_money import Capital, CnyPerKg, CnyPerKgByProduct, CnyPerYear
from fieldtotable.scenario.schema_overload import (
    ArrivalPriority,
    Overload,
    Priority,
    WaitAmbient,
    overload_from_on_full,
)
from fieldtotable.scenario.schema_types import (
    _ONES_12,
    Fraction,
    Frozen,
    HourOfDay,
    Kg,
    Location,
    MonthlyFactors,
    NonNegativeDistribution,
    OnFull,
    TemperatureC,
    TemperatureClass,
)


class Supply(Frozen):
    """Daily supply of one product at one source."""

    kg_per_day: NonNegativeDistribution
    """Kg harvested per day at season factor 1 and ``scale`` 1 (a distribution, drawn
    once a day in season; normal draws are clipped at 0). The day's harvest of the
    product is one lot of ``kg_per_day * season[month] * scale`` kg."""
    season: MonthlyFactors = _ONES_12
    """Twelve monthly factors, January to December (dimensionless, 0 to 1000),
    multiplying ``kg_per_day``; 0: no harvest that month."""
    farm_gate_price_cny_per_kg: CnyPerKg | None = None
    """Price paid to this source for the product, CNY/kg (0 to 1e6); the product's
    ``farm_gate_price_cny_per_kg`` when omitted."""


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

    units: Annotated[int, Strict(), Field(ge=1, le=MAX_COUNT)] = 1
    """Number of pre-cooling units working in parallel (1 to 10000), each treating one
    lot at a time; lots queue at the region's air temperature while every unit is
    busy."""
    capacity_kg_per_h: (
        Annotated[
            float,
            Strict(),
            Field(ge=MIN_CAPACITY_KG_PER_H, le=MAX_CAPACITY_KG_PER_H, allow_inf_nan=False),
        ]
        | None
    ) = None
    """Throughput of one unit, kg/h (1 to 1e12): a lot of ``m`` kg occupies its unit
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
    capital: Capital | None = None
    """Price and life of one pre-cooling unit (``price_cny_per_unit`` CNY per unit of
    ``units``): a part of ``capital_cost_cny``. No capital when omitted."""


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
    cold_room_kg: Kg
    """Cold-room capacity, kg (at most 1e12), shared by all chambers. What happens to
    lots that do not fit is the ``overload`` policy."""
    setpoint_c: TemperatureC
    """Cold-room temperature, °C, for products whose temperature class has no entry
    in ``class_setpoints_c``."""
    class_setpoints_c: dict[TemperatureClass, TemperatureC] = Field(default_factory=dict)
    """Setpoints of separate chambers per temperature class, °C (e.g.
    ``frozen: -18``); products of a class not listed are held at ``setpoint_c``."""
    temperature_log: NodeTemperatureLog | None = None
    """A measured temperature profile of the cold room, repeating every day or year
    (``{file: logs/room.csv, repeat: daily}``), replayed instead of the setpoints
    for the lots stored here. See :class:`NodeTemperatureLog`."""
    overload: Overload = WaitAmbient(policy="wait_ambient")
    """What happens when the cold room is full: ``{policy: wait_ambient}`` (lots wait
    outside, first come first served), ``{policy: refuse_upstream}`` (producers'
    deliveries that do not fit are refused at the gate, counting the kg queued for
    pre-cooling; legs into the point load only what fits) or ``{policy: overflow,
    ...}`` (a rented overflow cold store). See the how-to *Choose an overload
    policy*."""
    priority: Priority = ArrivalPriority(order="arrival")
    """Order in which the pre-coolers take queued lots and departing vehicles load the
    cold room's lots: ``{order: arrival}`` (earliest first, the default),
    ``{order: least_shelf_life}`` or ``{order: products, products: [...]}``."""
    on_full: OnFull | None = Field(default=None, json_schema_extra={"deprecated": True})
    """Deprecated: use ``overload``. ``wait`` reads as ``overload: {policy:
    wait_ambient}``, ``refuse`` as ``overload: {policy: refuse_upstream,
    back_pressure: false}`` (the whole lot turned away at the door)."""
    handling_cny_per_kg: CnyPerKgByProduct = 0.0
    """Handling (grading, pre-cooling, packing labour and energy), CNY/kg (0 to 1e6),
    per kg received into the cold room (after grading): one number for every
    product, or a mapping product -> cost (products not listed: 0). 0 by default."""
    rent_cny_per_kg_year: CnyPerKg = 0.0
    """Rent of the cold room, CNY per kg of ``cold_room_kg`` per year (0 to 1e6),
    charged pro rata over the measured days (``storage_cost_cny``). 0 by default."""
    cold_room_capital: Capital | None = None
    """Price and life of the cold room per kg of ``cold_room_kg``
    (``capital_cost_cny``). No capital when omitted (a rented room)."""
    fixed_cny_per_year: CnyPerYear = 0.0
    """Fixed cost (staff, upkeep), CNY/year (0 to 1e12), pro rata over the measured
    days (``fixed_cost_cny``). 0 by default."""

    @model_validator(mode="before")
    @classmethod
    def _on_full_is_an_overload(cls, data: Any) -> Any:
        return overload_from_on_full(data)
