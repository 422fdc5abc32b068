"""Bounds of the scenario's numbers, chosen so that every derived quantity stays finite.

A scenario that passes validation must never produce a NaN, an infinity, an overflow
or an out-of-memory error (DESIGN.md section 6). Each bound below is far beyond any
real channel (the domain figures are in ``docs/calibration.md``), so it refuses only
typing slips and adversarial input, and is tight enough that the worst combination
of bounds still computes in float64 (largest finite value about 1.8e308, smallest
normal about 2.2e-308, ``exp`` overflows past 709).

Temperatures a lot can see
    Setpoints, reference and monthly mean temperatures lie in
    [:data:`MIN_TEMP_C`, :data:`MAX_TEMP_C`]; the daily cycle adds at most half of
    :data:`MAX_DAILY_RANGE_C` either way. Every temperature the model uses (setpoints,
    ambient air, pre-cooling half-way between the two, reefer failures at air
    temperature) is thus in [:data:`MIN_AIR_TEMP_C`, :data:`MAX_AIR_TEMP_C`].

Shelf-life kinetics
    The rate relative to the reference is ``exp(L)``. Over those temperatures,
    ``|L| <= 14 * ln(MAX_Q10) = 54.8`` (Q10 law, 140 °C apart at most) and
    ``|L| <= (Ea / R) * (1 / 193.15 K - 1 / 333.15 K) = 65.4`` (Arrhenius law at
    :data:`MAX_ACTIVATION_ENERGY_KJ_MOL`). With the shelf life in
    [:data:`MIN_SHELF_LIFE_DAYS`, :data:`MAX_SHELF_LIFE_DAYS`] the rate per hour lies
    between about 1e-34 and 1e29, and its sum over the longest horizon below 1e34:
    finite, never zero, so that the time to reach a limit is finite too.

Sizes
    Arrays whose length comes from the input are bounded: customers drawn per day
    (:data:`MAX_CUSTOMERS_PER_DAY`, on expected values at validation, and
    :data:`MAX_CUSTOMERS_DRAWN` on each day's draw), the horizon (:data:`MAX_DAYS`,
    and its last day no later than 9999-12-31), closures per year, orders per day
    (:data:`MIN_ORDER_EVERY_DAYS`), vehicles and pre-cooling units.

Work
    A run's cost grows with its events (DESIGN.md section 7): trips, lots, departures,
    orders. Lower bounds keep the values that multiply them physically sensible
    (:data:`MIN_VEHICLE_CAPACITY_KG`, :data:`MIN_MAX_WAIT_H`); what a scenario's
    fields give together is estimated before the run (:mod:`.work`).
"""

from __future__ import annotations

__all__ = [
    "MAX_ACTIVATION_ENERGY_KJ_MOL",
    "MAX_AIR_TEMP_C",
    "MAX_BREAKAGE_FRACTION",
    "MAX_CAPACITY_KG_PER_H",
    "MAX_CLOSURES_PER_YEAR",
    "MAX_CO2_KG_PER_KM",
    "MAX_CO2_KG_PER_TONNE_KM",
    "MAX_COST_CNY_PER_KG",
    "MAX_COST_CNY_PER_KM",
    "MAX_COST_CNY_PER_TRIP",
    "MAX_COUNT",
    "MAX_CUSTOMERS_DRAWN",
    "MAX_CUSTOMERS_PER_DAY",
    "MAX_DAILY_RANGE_C",
    "MAX_DAYS",
    "MAX_DISTANCE_KM",
    "MAX_DISTRIBUTION_CV",
    "MAX_DISTRIBUTION_VALUE",
    "MAX_FACTOR",
    "MAX_HOURS",
    "MAX_KG",
    "MAX_OVERFLOW_RENT_CNY_PER_KG_DAY",
    "MAX_PARCELS_PER_ORDER",
    "MAX_PARCEL_KG",
    "MAX_PRICE_CNY_PER_KG",
    "MAX_Q10",
    "MAX_SCALE",
    "MAX_SHELF_LIFE_CV",
    "MAX_SHELF_LIFE_DAYS",
    "MAX_TARGET_DAYS",
    "MAX_TEMP_C",
    "MAX_WEIGHT_LOSS_PER_DAY",
    "MIN_AIR_TEMP_C",
    "MIN_CAPACITY_KG_PER_H",
    "MIN_MAX_WAIT_H",
    "MIN_ORDER_EVERY_DAYS",
    "MIN_PARCEL_KG",
    "MIN_Q10",
    "MIN_SHELF_LIFE_DAYS",
    "MIN_TEMP_C",
    "MIN_TIME_CONSTANT_H",
    "MIN_VEHICLE_CAPACITY_KG",
]

# -- temperatures ------------------------------------------------------------------------
MIN_TEMP_C = -60.0
"""Coldest setpoint, reference or monthly mean temperature, °C (deep-frozen storage is
-18 to -30 °C; the coldest monthly means on Earth are above -50 °C)."""
MAX_TEMP_C = 60.0
"""Warmest setpoint, reference or monthly mean temperature, °C."""
MAX_DAILY_RANGE_C = 40.0
"""Largest mean daily range (maximum - minimum), °C (Shangri-La: up to 15 °C)."""
MIN_AIR_TEMP_C = MIN_TEMP_C - MAX_DAILY_RANGE_C / 2
"""Coldest temperature the model can use, °C: -80."""
MAX_AIR_TEMP_C = MAX_TEMP_C + MAX_DAILY_RANGE_C / 2
"""Warmest temperature the model can use, °C: 80."""

# -- kinetics ----------------------------------------------------------------------------
MIN_Q10 = 1.0
"""Smallest Q10: 1 is a product whose shelf life does not depend on temperature; below
1 warming would lengthen it, which no perishable does (an Arrhenius activation energy
must be > 0 for the same reason)."""
MAX_Q10 = 50.0
"""Largest Q10. Produce is 1.5-4 (Saltveit, USDA Handbook 66), meat about 3; 50 is the
Q10 of an activation energy near 250 kJ/mol around 0 °C."""
MAX_ACTIVATION_ENERGY_KJ_MOL = 250.0
"""Largest Arrhenius activation energy, kJ/mol: food-quality reactions are 10-150
(honey's HMF about 110); 250 covers protein denaturation at the low end."""
MIN_SHELF_LIFE_DAYS = 0.01
"""Shortest nominal shelf life, days (about a quarter of an hour)."""
MAX_SHELF_LIFE_DAYS = 36_500.0
"""Longest nominal shelf life, days (100 years; wine and honey keep for years)."""
MAX_SHELF_LIFE_CV = 2.0
"""Largest lot-to-lot shelf-life coefficient of variation (real lots: 0.1-0.3)."""

# -- handling losses ---------------------------------------------------------------------
MAX_BREAKAGE_FRACTION = 0.5
"""Largest share of the kg handled that one handling event (loading, unloading,
picking) destroys (eggs in transport: 0.16-2.65 %). Below 1, so that a lot never
breaks to nothing in one event."""
MAX_WEIGHT_LOSS_PER_DAY = 0.5
"""Largest share of a lot's kg lost per day at the weight loss's temperature (drip of
chilled meat: 1-2 % in weeks; matsutake 3-5 %/day at ambient). The loss compounds, so
a lot's kg shrink toward 0 but stay positive until float64 underflows to 0."""

# -- quantities, money, distances ----------------------------------------------------------
MAX_KG = 1e12
"""Largest capacity or stock level, kg (a billion tonnes: also 'unlimited')."""
MIN_VEHICLE_CAPACITY_KG = 10.0
"""Smallest vehicle, kg: the smallest refrigerated carrier in use, an insulated courier
box on a motorbike, holds 10-30 kg (a reefer van: about 1,000; a truck: 15,000).
Each trip is several events and splits a lot, so the trips a leg makes grow as its kg
divided by this; a vehicle of a few grams would make millions of trips a day (and
one below the model's 1e-9 kg resolution could never load and would retry for ever)."""
MIN_CAPACITY_KG_PER_H = 1.0
"""Slowest pre-cooling throughput, kg/h (it divides a lot's kg)."""
MAX_CAPACITY_KG_PER_H = 1e12
"""Fastest pre-cooling throughput, kg/h."""
MAX_PRICE_CNY_PER_KG = 1e6
"""Highest sale price, CNY/kg (matsutake early in the season: 800-1,600 CNY/kg)."""
MAX_OVERFLOW_RENT_CNY_PER_KG_DAY = 1e4
"""Highest rent of an overflow cold store, CNY per kg and day (a pallet of ~500 kg at
2-3 CNY a day is about 0.005 CNY/kg/day): with the largest capacity and horizon the
rent stays below 1e20 CNY."""
MAX_COST_CNY_PER_TRIP = 1e8
"""Highest fixed cost of one trip, CNY (a chartered freighter is about 1e6)."""
MAX_COST_CNY_PER_KM = 1e5
"""Highest cost per km of a trip, CNY/km (road: about 10 CNY/km)."""
MAX_COST_CNY_PER_KG = 1e5
"""Highest cost per kg carried, CNY/kg (air cold chain: 10-30 CNY/kg)."""
MAX_CO2_KG_PER_TONNE_KM = 100.0
"""Highest CO2 per tonne-km, kg (air freight: about 1.1)."""
MAX_CO2_KG_PER_KM = 1000.0
"""Highest CO2 per vehicle-km, kg (a reefer truck: about 0.8)."""
MAX_DISTANCE_KM = 40_075.0
"""Longest leg, km: once around the Earth (Kunming-Shanghai by road: 2,356)."""

# -- time --------------------------------------------------------------------------------
MAX_DAYS = 3660
"""Longest horizon a scenario may ask for, days (ten years)."""
MAX_HOURS = 8784.0
"""Longest fixed duration (handling, dock, loading, lead time, longest wait), h: a
leap year."""
MIN_MAX_WAIT_H = 0.001
"""Shortest ``max_wait_h`` of a ``full_or_timeout`` leg, h (3.6 s; real timeouts are
hours): no dispatcher reacts faster, and a shorter wait only means "leave at once",
which 0.001 h says as well."""
MIN_ORDER_EVERY_DAYS = 0.04
"""Shortest time between two orders of one stream, days (about an hour)."""
MIN_TIME_CONSTANT_H = 0.01
"""Shortest time constant of a parcel box, h (36 s: a box that is no box; real EPS
boxes: 7-14 h)."""
MAX_TARGET_DAYS = 366.0
"""Most days of demand a store may order up to, d."""
MAX_CLOSURES_PER_YEAR = 366.0
"""Most closures per year of one process: one starting every day."""

MIN_PARCEL_KG = 0.1
"""Smallest parcel, kg: each parcel is a lot piece and a courier event, so an order is
at most its kg over this many parcels."""
MAX_PARCEL_KG = 1000.0
"""Largest parcel, kg (couriers take up to 20 kg a piece; a pallet is about 500)."""
MAX_PARCELS_PER_ORDER = 100_000
"""Most parcels one order may be packed into (a heavy-tailed draw of kg far above the
expected); more stops the run with an error instead of exhausting memory."""

# -- factors, counts, distributions --------------------------------------------------------
MAX_FACTOR = 1000.0
"""Largest monthly or weekday factor (dimensionless; real seasons: 0-2)."""
MAX_SCALE = 1000.0
"""Largest ``scale`` (the planner's question is 2x, 5x, 10x)."""
MAX_COUNT = 10_000
"""Most vehicles in a leg's fleet or pre-cooling units at a collection point."""
MAX_DISTRIBUTION_VALUE = 1e9
"""Largest magnitude of a distribution's parameter (``value``, ``low``, ``high``,
``mode``, ``mean``, ``sd``, ``values``, ``weights``): hours, kg or counts."""
MAX_DISTRIBUTION_CV = 10.0
"""Largest coefficient of variation of a lognormal or gamma distribution (real
spreads: below 1.5). A lognormal's sigma stays below 2.2, so draws stay finite."""
MAX_CUSTOMERS_PER_DAY = 1e6
"""Most customers per day for one product at one store, on expected values at the
peak (mean x largest weekday factor x largest season factor x ``scale``): each
customer's kg is one array entry."""
MAX_CUSTOMERS_DRAWN = 10_000_000
"""Most customers one day's draw may give (a heavy-tailed draw far above the
expected peak); more stops the run with an error instead of exhausting memory."""
