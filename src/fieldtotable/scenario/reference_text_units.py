"""The unit and name tables of the scenario-format reference.

Units of fields by name ending (:data:`SUFFIX_UNITS`) and by whole name
(:data:`NAME_UNITS`), the units of a distribution's keys, the names of mapping keys
shown in paths, and the meaning of each kind of distribution. Plots use the unit
tables too.
"""

from __future__ import annotations

NO_UNIT = "—"
"""The unit column of a field that is not a quantity (a name, an id, a choice)."""

SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_kg_per_h", "kg/h"),
    ("_cny_per_kg", "CNY/kg"),
    ("_cny_per_km", "CNY/km"),
    ("_cny_per_trip", "CNY/trip"),
    ("_kg_per_tonne_km", "kg/(t·km)"),
    ("_kg_per_km", "kg/km"),
    ("_kj_mol", "kJ/mol"),
    ("_kg", "kg"),
    ("_km", "km"),
    ("_h", "h"),
    ("_c", "°C"),
    ("_days", "d"),
    ("_fraction", "fraction (0-1)"),
)
"""Field-name endings and the unit they stand for, tried in order (DESIGN.md §3)."""

NAME_UNITS: dict[str, str] = {
    "harvest_hour": "h (hour of day)",
    "at_hour": "h (hour of day)",
    "departures_h": "h (hour of day)",
    "open_hours": "h (hour of day)",
    "hours_to_collection": "h",
    "first_day": "d",
    "target_days_of_demand": "d",
    "months": "month (1-12)",
    "active_months": "month (1-12)",
    "kg": "kg",
    "kg_per_day": "kg/day",
    "kg_per_customer": "kg/customer",
    "customers_per_day": "customers/day",
    "per_year": "1/year",
    "fleet": "vehicles",
    "units": "units",
    "q10": "factor per 10 °C",
    "shelf_life_cv": "ratio (sd / mean)",
    "probability_per_trip": "probability (0-1)",
    "discount": "fraction (0-1)",
    "scale": "factor",
    "season": "factor",
    "weekday_factors": "factor",
    "lon": "° (east)",
    "lat": "° (north)",
}
"""Units of fields whose names carry none, or not the right one."""

_DISTRIBUTION_UNITS: dict[str, str] = {
    "dist": NO_UNIT,
    "value": "the field's",
    "low": "the field's",
    "high": "the field's",
    "mode": "the field's",
    "mean": "the field's",
    "sd": "the field's",
    "cv": "ratio (sd / mean)",
    "values": "the field's",
    "weights": "relative",
}

_KEY_NAMES: dict[str, str] = {
    "climate": "region",
    "products": "product",
    "sources": "source",
    "collection_points": "collection_point",
    "hubs": "hub",
    "legs": "leg",
    "markets": "market",
    "supply": "product",
    "demand": "product",
    "orders": "product",
    "levels": "product",
    "prefer_modes": "product",
    "grading_reject_fraction": "product",
    "class_setpoints_c": "class",
}
"""What the keys of each mapping field are (shown as ``<name>`` in paths)."""

_KIND_MEANINGS: dict[str, str] = {
    "constant": "always `value`",
    "uniform": "uniform between `low` and `high`",
    "triangular": "triangular from `low` to `high`, most likely at `mode`",
    "normal": "normal with mean `mean` and standard deviation `sd`; draws below 0 become 0",
    "lognormal": (
        "lognormal with mean `mean` and coefficient of variation `cv` of the value "
        "itself (not of its logarithm)"
    ),
    "gamma": "gamma with mean `mean` and coefficient of variation `cv` (shape 1 / cv²)",
    "poisson": "Poisson count with mean `mean`",
    "empirical": "one of `values`, with probabilities in proportion to `weights` (equal "
    "when omitted)",
}
