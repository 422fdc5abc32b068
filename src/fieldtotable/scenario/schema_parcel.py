"""The parcel cold chain of an order market: courier time, passive box, prices.

An ``orders`` market with a ``delivery`` entry ships each order to the customer's door
in passive boxes instead of handing it over at the supplying hub; the kinetics of the
box are in :mod:`fieldtotable.kinetics.passive_box`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict

from fieldtotable.scenario.limits import (
    MAX_COST_CNY_PER_KG,
    MAX_COST_CNY_PER_TRIP,
    MAX_HOURS,
    MAX_PARCEL_KG,
    MIN_PARCEL_KG,
    MIN_TIME_CONSTANT_H,
)
from fieldtotable.scenario.schema_types import (
    Frozen,
    Hours,
    NonNegativeDistribution,
    TemperatureC,
)

__all__ = ["ParcelDelivery"]

CnyPerParcel = Annotated[
    float, Strict(), Field(ge=0, le=MAX_COST_CNY_PER_TRIP, allow_inf_nan=False)
]
"""A price per parcel, CNY: 0 to 1e8."""
CnyPerKg = Annotated[float, Strict(), Field(ge=0, le=MAX_COST_CNY_PER_KG, allow_inf_nan=False)]
"""A price per kg, CNY/kg: 0 to 1e5."""


class ParcelDelivery(Frozen):
    """Each order goes to the customer's door in passive parcel boxes by courier.

    An order is packed at the supplying hub into ``ceil(kg / parcel_kg)`` parcels of
    equal weight. Each parcel travels ``courier_time_h`` (drawn per parcel) in a box
    that holds the packing temperature for ``ice_hold_h``, then relaxes toward the
    outdoor temperature with ``time_constant_h``. A parcel piece whose shelf life runs
    out on the way is spoiled (stage ``market``, node: the market, reason ``parcel``)
    and refunded: no revenue, the courier and box are paid all the same
    (``refunded_kg``, ``refunds_cny``). The others are sold on delivery.
    """

    parcel_kg: Annotated[
        float, Strict(), Field(ge=MIN_PARCEL_KG, le=MAX_PARCEL_KG, allow_inf_nan=False)
    ]
    """Largest kg of one parcel, kg (0.1 to 1000; couriers take up to 20 kg a piece)."""
    courier_time_h: NonNegativeDistribution
    """Hours from packing at the hub to the customer's door, h (a distribution, drawn per
    parcel; normal draws are clipped at 0)."""
    time_constant_h: Annotated[
        float, Strict(), Field(ge=MIN_TIME_CONSTANT_H, le=MAX_HOURS, allow_inf_nan=False)
    ]
    """Time constant of the box without ice, h (0.01 to 8784): contents' heat capacity
    over the box's conductance; an EPS parcel box is 7-14 h (cost-facts.md)."""
    ice_hold_h: Hours = 0.0
    """Hours the ice or gel packs hold the packing temperature before the box warms, h
    (0 to 8784): a thin EPS box with 1 kg of ice 6-7 h at 30 °C, a thick one with 2 kg
    about 24 h (cost-facts.md)."""
    packing_temp_c: TemperatureC | None = None
    """Temperature of the goods when packed, °C; by default the supplying hub's setpoint
    for the product (its chamber)."""
    courier_network_temp_c: TemperatureC | None = None
    """Temperature around the box on its way, °C, when the courier's trucks and sorting
    hubs are temperature-controlled (a cold-chain courier); by default the outdoor air
    (``outdoor_region``). Parcel times of 24-48 h hold only because hubs and trunk legs
    are chilled (cost-facts.md)."""
    outdoor_region: str | None = None
    """Climate region (a key of ``climate``) whose monthly mean temperature, at the
    month of packing, is the air around the box when ``courier_network_temp_c`` is not
    given; by default the market's ``region``."""
    home_temp_c: TemperatureC = 4.0
    """Temperature at which the remaining shelf life at delivery is measured, °C (the
    customer's refrigerator; 4 by default)."""
    courier_cny_per_parcel: CnyPerParcel = 0.0
    """Courier price of a parcel's first kg, CNY (0 to 1e8; SF cold chain 11-30, JD fresh
    15: cost-facts.md), charged to the market's ``transport_cost_cny``."""
    courier_cny_per_extra_kg: CnyPerKg = 0.0
    """Courier price of each kg of a parcel beyond the first, CNY/kg (0 to 1e5; 2-20)."""
    box_cny_per_parcel: CnyPerParcel = 0.0
    """Box, gel packs and outer carton of one parcel, CNY (0 to 1e8; 6-12: cost-facts.md),
    charged to the market's ``packaging_cost_cny``."""
