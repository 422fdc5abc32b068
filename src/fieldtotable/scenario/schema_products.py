"""The ``products`` section of a scenario file: kinetics, price, markdown, handling losses."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict, model_validator

from fieldtotable.scenario.limits import (
    MAX_ACTIVATION_ENERGY_KJ_MOL,
    MAX_BREAKAGE_FRACTION,
    MAX_PRICE_CNY_PER_KG,
    MAX_Q10,
    MAX_SHELF_LIFE_CV,
    MAX_SHELF_LIFE_DAYS,
    MAX_WEIGHT_LOSS_PER_DAY,
    MIN_Q10,
    MIN_SHELF_LIFE_DAYS,
)
from fieldtotable.scenario.schema_money import CnyPerKg
from fieldtotable.scenario.schema_types import (
    Frozen,
    TemperatureC,
    TemperatureClass,
)

ShelfLifeDays = Annotated[
    float, Strict(), Field(ge=MIN_SHELF_LIFE_DAYS, le=MAX_SHELF_LIFE_DAYS, allow_inf_nan=False)
]
Q10 = Annotated[float, Strict(), Field(ge=MIN_Q10, le=MAX_Q10, allow_inf_nan=False)]
ActivationEnergy = Annotated[
    float, Strict(), Field(gt=0, le=MAX_ACTIVATION_ENERGY_KJ_MOL, allow_inf_nan=False)
]
ShelfLifeCv = Annotated[float, Strict(), Field(ge=0, le=MAX_SHELF_LIFE_CV, allow_inf_nan=False)]
Price = Annotated[float, Strict(), Field(gt=0, le=MAX_PRICE_CNY_PER_KG, allow_inf_nan=False)]
BreakageFraction = Annotated[
    float, Strict(), Field(ge=0, le=MAX_BREAKAGE_FRACTION, allow_inf_nan=False)
]
WeightLossPerDay = Annotated[
    float, Strict(), Field(ge=0, le=MAX_WEIGHT_LOSS_PER_DAY, allow_inf_nan=False)
]
# The bounds keep the shelf-life rate finite and non-zero over every temperature a
# scenario can reach (see fieldtotable.scenario.limits).


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


class Breakage(Frozen):
    """Share of the kg handled that one handling event destroys (booked as ``damaged``).

    Each is a fraction (dimensionless, 0 to 0.5) of the lot's kg at the event; 0 by
    default (no breakage).
    """

    loading: BreakageFraction = 0.0
    """Loading onto a leg's vehicle, at the leg's origin (stage ``transit``)."""
    unloading: BreakageFraction = 0.0
    """Unloading from a vehicle at a hub or DC, on its dock (stage ``hub``)."""
    picking: BreakageFraction = 0.0
    """Picking from a hub's store for a shop's shelf or an order, putting away
    included (stage ``hub``, at the store picked from)."""


class WeightLoss(Frozen):
    """Weight lost while the lot waits or travels (drip, moisture), booked as ``damaged``.

    The lot's kg shrink by the share ``per_day`` for every day at ``temp_c``; at other
    temperatures the rate follows the product's own temperature law (``q10`` or
    ``activation_energy_kj_mol``), so the kg lost over any stretch depend only on the
    shelf life it used up: ``kg_after = kg_before x (1 - per_day) ** (SL(temp_c) x
    consumed)``, with ``SL(temp_c)`` the shelf life at ``temp_c`` in days and
    ``consumed`` the fraction of the nominal shelf life used up over the stretch. It
    stops when the lot spoils.
    """

    per_day: WeightLossPerDay
    """Share of the kg lost per day at ``temp_c`` (dimensionless, 0 to 0.5; compound:
    two days lose ``1 - (1 - per_day) ** 2``)."""
    temp_c: TemperatureC | None = None
    """Temperature, °C, at which ``per_day`` was measured; the product's ``ref_temp_c``
    when omitted."""


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
    shelf_life_days: ShelfLifeDays
    """Nominal shelf life, days, of a lot held at ``ref_temp_c``: 0.01 (a quarter of an
    hour) to 36500 (100 years). A lot's quality is the fraction of it consumed so far,
    ``dt / (24 * SL(T))`` for every ``dt`` hours at temperature ``T``; the lot spoils
    when that fraction reaches its variability factor (see ``shelf_life_cv``)."""
    ref_temp_c: TemperatureC
    """Reference temperature, °C, at which ``shelf_life_days`` holds; the shelf life
    at other temperatures follows ``q10`` or ``activation_energy_kj_mol``."""
    q10: Q10 | None = None
    """Q10 temperature sensitivity (dimensionless), 1 to 50: the shelf life is divided
    by ``q10`` for every 10 °C above ``ref_temp_c`` (multiplied below it),
    ``SL(T) = shelf_life_days / q10 ** ((T - ref_temp_c) / 10)``. Produce is 1.5-4,
    meat about 3; 1 means no temperature sensitivity. Give exactly one of ``q10`` and
    ``activation_energy_kj_mol``."""
    activation_energy_kj_mol: ActivationEnergy | None = None
    """Arrhenius activation energy, kJ/mol, > 0 and at most 250 (food-quality reactions
    are 10-150), instead of ``q10``: the ageing rate relative to ``ref_temp_c`` is
    ``exp(-(Ea / R) * (1 / T - 1 / T_ref))``, with temperatures in kelvin and R = 8.314
    J/(mol K). Give exactly one of ``q10`` and ``activation_energy_kj_mol``."""
    shelf_life_cv: ShelfLifeCv = 0.0
    """Lot-to-lot shelf-life variability: the coefficient of variation
    (dimensionless) of a lognormal factor with mean 1, drawn for each lot at harvest;
    the lot spoils when its consumed fraction reaches that factor. 0: every lot has
    the nominal shelf life; at most 2 (real lots: 0.1-0.3)."""
    price_cny_per_kg: Price
    """Sale price, CNY/kg, at every market, before any markdown (gives
    ``sold_value_cny``); at most 1e6."""
    markdown: Markdown | None = None
    """Price cut for stock close to expiry; none when omitted."""
    farm_gate_price_cny_per_kg: CnyPerKg = 0.0
    """Price the channel pays producers, CNY/kg (0 to 1e6), for every kg harvested
    (``purchase_cost_cny``, ``producer_income_cny``), unless a source's supply entry
    gives its own. 0 by default: no purchase cost."""
    local_price_cny_per_kg: Price | None = None
    """Price at which producers sell locally the kg a collection point refuses
    (``overload: {policy: refuse_upstream}``), CNY/kg (> 0, at most 1e6): their local
    sales (``sold_locally_kg``, ``local_sales_value_cny``, part of
    ``producer_income_cny``). When omitted, refused kg are lost to the producers."""
    packaging_cny_per_kg: CnyPerKg = 0.0
    """Packaging (boxes, liners, ice packs), CNY/kg (0 to 1e6), per kg received into a
    collection point's store (after grading): ``packaging_cost_cny``. 0 by default."""
    breakage: Breakage = Breakage()
    """Share of the kg destroyed at each loading, unloading and picking (``damaged_kg``,
    reasons ``breakage_loading``, ``breakage_unloading``, ``breakage_picking``); none
    by default."""
    weight_loss: WeightLoss | None = None
    """Weight lost per day by drip or moisture loss, following the shelf-life kinetics
    (``damaged_kg``, reason ``weight_loss``); none when omitted."""

    @model_validator(mode="after")
    def _one_sensitivity(self) -> Product:
        if (self.q10 is None) == (self.activation_energy_kj_mol is None):
            raise ValueError("give exactly one of q10 or activation_energy_kj_mol")
        return self
