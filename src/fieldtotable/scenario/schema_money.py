"""The money of a scenario: prices, costs, capital and the ``finance`` section.

Money fields sit on the entities they belong to (a product's farm-gate price, a
collection point's handling cost, a leg's vehicles, a store's shelf); this module
holds their shared types and the top-level :class:`Finance` section (discount rate,
electricity, the cooling-load law). Every money field defaults to 0 (or to no
capital): a scenario that says nothing about money has no invented costs, and its
money KPIs are zero apart from its transport cost and its sales. The figures of the
built-in scenarios and their sources are in ``docs/calibration.md``.

Bounds
    Every number has bounds (:data:`MAX_CNY_PER_KG` ...) far beyond any real
    channel and tight enough that every derived quantity stays finite: the largest
    capital line is at most ``MAX_KG * MAX_CNY_PER_UNIT_CAPACITY`` times a capital
    recovery factor of at most ``1 + 1 / MIN_LIFE_YEARS`` (below 11), times at most
    ten years of horizon: about 1e20 CNY, far inside float64.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any

from pydantic import Discriminator, Field, Strict, Tag

from fieldtotable.scenario.schema_types import Fraction, Frozen

__all__ = [
    "MAX_CNY_PER_KG",
    "MAX_CNY_PER_KWH",
    "MAX_CNY_PER_UNIT_CAPACITY",
    "MAX_CNY_PER_YEAR",
    "MAX_COP",
    "MAX_LIFE_YEARS",
    "MAX_LOAD_W_PER_KG",
    "MAX_PRICE_FACTOR",
    "MIN_COP",
    "MIN_LIFE_YEARS",
    "Capital",
    "CnyPerKg",
    "CnyPerKgByProduct",
    "CnyPerYear",
    "CoolingLaw",
    "Finance",
    "FreshnessStep",
    "capital_recovery_factor",
    "check_freshness_steps",
    "per_product",
]

MAX_CNY_PER_KG = 1e6
"""Highest money per kg (farm-gate price, handling, packaging, rent per kg-year), CNY/kg."""
MAX_CNY_PER_UNIT_CAPACITY = 1e9
"""Highest purchase price of one unit of capacity (a kg of cold room, a vehicle), CNY."""
MAX_CNY_PER_YEAR = 1e12
"""Highest fixed cost of one node or market, CNY/year."""
MIN_LIFE_YEARS = 0.1
"""Shortest useful life of a capacity, years (keeps the capital recovery factor below 11)."""
MAX_LIFE_YEARS = 100.0
"""Longest useful life of a capacity, years."""
MAX_CNY_PER_KWH = 100.0
"""Highest electricity price, CNY/kWh (commercial tariffs: 0.3-1.2)."""
MAX_LOAD_W_PER_KG = 1000.0
"""Largest cooling-load coefficient, W/kg or W/(kg K) (real stores: below 1)."""
MIN_COP = 0.1
"""Smallest coefficient of performance of a refrigeration plant (it divides the load)."""
MAX_COP = 20.0
"""Largest coefficient of performance (real chill plants: 2-4)."""
MAX_PRICE_FACTOR = 10.0
"""Largest price factor of a freshness step (dimensionless)."""

CnyPerKg = Annotated[float, Strict(), Field(ge=0, le=MAX_CNY_PER_KG, allow_inf_nan=False)]
"""Money per kg, CNY/kg: 0 to 1e6."""
CnyPerYear = Annotated[float, Strict(), Field(ge=0, le=MAX_CNY_PER_YEAR, allow_inf_nan=False)]
"""Money per year, CNY/year: 0 to 1e12."""


def _per_product(value: Any) -> str:
    return "per_product" if isinstance(value, dict) else "one"


#: Money per kg for every product, or product -> money per kg (products not listed: 0).
#: The discriminator picks the branch from the data's shape, so that a bad number is
#: reported once.
CnyPerKgByProduct = Annotated[
    Annotated[CnyPerKg, Tag("one")] | Annotated[dict[str, CnyPerKg], Tag("per_product")],
    Discriminator(_per_product),
]


def per_product(value: float | dict[str, float], product: str) -> float:
    """Return a :data:`CnyPerKgByProduct` value for one product (0 if not listed).

    Parameters
    ----------
    value
        One number for every product, or product -> number.
    product
        Product id.

    Returns
    -------
    float
        The product's number.
    """
    return value.get(product, 0.0) if isinstance(value, dict) else value


def capital_recovery_factor(rate: float, life_years: float) -> float:
    """Return the annuity that repays 1 CNY over ``life_years`` at ``rate``.

    Parameters
    ----------
    rate
        Discount rate per year (0 to 1).
    life_years
        Useful life, years (> 0).

    Returns
    -------
    float
        ``rate / (1 - (1 + rate) ** -life_years)``; ``1 / life_years`` at rate 0.

    Examples
    --------
    >>> round(capital_recovery_factor(0.08, 10), 3)
    0.149
    >>> capital_recovery_factor(0.0, 4)
    0.25
    """
    if rate == 0:
        return 1.0 / life_years
    return float(rate / (1.0 - (1.0 + rate) ** -life_years))


class Capital(Frozen):
    """Purchase price and useful life of one unit of a capacity.

    The capital line charges ``units x price_cny_per_unit x crf(discount_rate,
    life_years)`` per year (the annuity of section ``finance``), pro rata over the
    measured days (``horizon_days - warmup_days``, 365 days a year). What a unit is
    is said by the field that holds it (a kg of cold room, a vehicle).
    """

    price_cny_per_unit: Annotated[
        float, Strict(), Field(ge=0, le=MAX_CNY_PER_UNIT_CAPACITY, allow_inf_nan=False)
    ]
    """Purchase price of one unit of the capacity, CNY (0 to 1e9)."""
    life_years: Annotated[
        float, Strict(), Field(ge=MIN_LIFE_YEARS, le=MAX_LIFE_YEARS, allow_inf_nan=False)
    ]
    """Useful life, years (0.1 to 100): the annuity repays the price over it."""


class FreshnessStep(Frozen):
    """One step of a market's price by freshness."""

    remaining_at_least: Fraction
    """Lower bound of the step: the labelled remaining fraction of shelf life
    (``1 - consumed``, as markdown rules see it), 0 to 1."""
    factor: Annotated[float, Strict(), Field(ge=0, le=MAX_PRICE_FACTOR, allow_inf_nan=False)]
    """Price factor (dimensionless, 0 to 10) for a sale whose remaining fraction is at
    least ``remaining_at_least`` and below the next step's bound."""


def check_freshness_steps(steps: tuple[FreshnessStep, ...]) -> tuple[FreshnessStep, ...]:
    """Reject steps whose bounds do not strictly increase.

    Parameters
    ----------
    steps
        A market's ``freshness_prices``.

    Returns
    -------
    tuple of FreshnessStep
        The steps unchanged.

    Raises
    ------
    ValueError
        If two bounds are out of order or equal.
    """
    bounds = [step.remaining_at_least for step in steps]
    if any(later <= earlier for earlier, later in itertools.pairwise(bounds)):
        raise ValueError("remaining_at_least must increase strictly from step to step")
    return steps


class CoolingLaw(Frozen):
    """Electricity a refrigerated store uses per kg of stock held, by temperature.

    Per kg held for a day at setpoint ``T_set`` with outdoor monthly mean
    ``T_out``, the store draws ``24 h x (base_w_per_kg + ua_w_per_kg_k x
    max(T_out - T_set, 0)) / cop / 1000`` kWh of electricity: a base load (product
    respiration and pull-down, fans, door openings) plus heat flowing through the
    envelope, proportional to the temperature difference, removed by a plant with
    coefficient of performance ``cop``. Heating (outdoors colder than the setpoint)
    costs nothing. The defaults give 0.0007 kWh/kg/day at a 10 K difference and
    0.0011 at 17 K (a chilled store in Shanghai's annual mean), 0.002 for a frozen
    store there (see ``docs/calibration.md``).
    """

    base_w_per_kg: Annotated[
        float, Strict(), Field(ge=0, le=MAX_LOAD_W_PER_KG, allow_inf_nan=False)
    ] = 0.03
    """Base cooling load per kg held, W/kg (0 to 1000)."""
    ua_w_per_kg_k: Annotated[
        float, Strict(), Field(ge=0, le=MAX_LOAD_W_PER_KG, allow_inf_nan=False)
    ] = 0.005
    """Heat flow through the envelope per kg held and kelvin of outdoor-minus-setpoint
    difference, W/(kg K) (0 to 1000)."""
    cop: Annotated[float, Strict(), Field(ge=MIN_COP, le=MAX_COP, allow_inf_nan=False)] = 2.5
    """Coefficient of performance of the refrigeration plant (dimensionless, 0.1 to 20):
    heat removed per unit of electricity."""

    def kwh_per_kg_day(self, setpoint_c: float, outdoor_c: float) -> float:
        """Return the electricity of one kg held one day, kWh.

        Parameters
        ----------
        setpoint_c
            Temperature of the chamber, °C.
        outdoor_c
            Outdoor temperature, °C.

        Returns
        -------
        float
            kWh per kg-day.

        Examples
        --------
        >>> round(CoolingLaw().kwh_per_kg_day(0.0, 10.0), 5)
        0.00077
        """
        load_w = self.base_w_per_kg + self.ua_w_per_kg_k * max(outdoor_c - setpoint_c, 0.0)
        return float(24.0 * load_w / self.cop / 1000.0)


class Finance(Frozen):
    """Channel-wide money settings: discount rate, electricity, cooling load."""

    discount_rate: Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)] = 0.08
    """Discount rate per year (0 to 1) of the annuity that turns capital into a yearly
    charge (default 0.08, China's social discount rate)."""
    electricity_cny_per_kwh: Annotated[
        float, Strict(), Field(ge=0, le=MAX_CNY_PER_KWH, allow_inf_nan=False)
    ] = 0.0
    """Electricity price, CNY/kWh (0 to 100), in every region without an entry in
    ``electricity_cny_per_kwh_by_region``; 0: cooling costs nothing."""
    electricity_cny_per_kwh_by_region: dict[
        str, Annotated[float, Strict(), Field(ge=0, le=MAX_CNY_PER_KWH, allow_inf_nan=False)]
    ] = Field(default_factory=dict)
    """Climate region id -> electricity price there, CNY/kWh (0 to 100)."""
    cooling: CoolingLaw = CoolingLaw()
    """The cooling-load law that turns kg-days held in stores into kWh."""

    def electricity_price(self, region: str) -> float:
        """Return the electricity price of a region, CNY/kWh.

        Parameters
        ----------
        region
            Climate region id.

        Returns
        -------
        float
            Its entry in ``electricity_cny_per_kwh_by_region``, else
            ``electricity_cny_per_kwh``.
        """
        return self.electricity_cny_per_kwh_by_region.get(region, self.electricity_cny_per_kwh)
