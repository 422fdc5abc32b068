"""The unit of each scenario field, read from its name (DESIGN.md section 3).

Field names carry their units (``transit_time_h``, ``capacity_kg``, ``setpoint_c``);
:data:`SUFFIX_UNITS` maps the endings to units, :data:`NAME_UNITS` the names that
carry none or not the right one. :func:`field_unit` applies both. The scenario-format
reference and the sweep figures' axes read them.
"""

from __future__ import annotations

__all__ = ["NAME_UNITS", "NO_UNIT", "SUFFIX_UNITS", "field_unit"]

NO_UNIT = "—"
"""The unit of a field that is not a quantity (a name, an id, a choice)."""

SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_kg_per_h", "kg/h"),
    ("_cny_per_kg_year", "CNY/(kg·year)"),
    ("_cny_per_kg_day", "CNY/(kg·day)"),
    ("_cny_per_year", "CNY/year"),
    ("_cny_per_kwh", "CNY/kWh"),
    ("_cny_per_unit", "CNY/unit"),
    ("_w_per_kg_k", "W/(kg·K)"),
    ("_w_per_kg", "W/kg"),
    ("_years", "years"),
    ("_cny_per_extra_kg", "CNY/kg"),
    ("_cny_per_parcel", "CNY/parcel"),
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
    "month_weights": "factor (relative)",
    "anomaly_autocorrelation": "correlation (0-0.99)",
    "wetness_cv": "ratio (sd / mean)",
    "lon": "° (east)",
    "lat": "° (north)",
    "discount_rate": "1/year (0-1)",
    "electricity_cny_per_kwh_by_region": "CNY/kWh",
    "cop": "ratio (heat / electricity)",
    "remaining_at_least": "fraction (0-1)",
    "factor": "factor",
    "loading": "fraction (0-0.5) of the kg handled",
    "unloading": "fraction (0-0.5) of the kg handled",
    "picking": "fraction (0-0.5) of the kg handled",
    "per_day": "fraction (0-0.5) of the kg per day",
}
"""Units of fields whose names carry none, or not the right one."""


def field_unit(name: str) -> str:
    """Return the unit of a scenario field from its name (:data:`NO_UNIT` if none).

    Parameters
    ----------
    name
        The field's name, the last part of its path (``transit_time_h``).

    Returns
    -------
    str
        ``"h"``, ``"kg/day"``, ...; :data:`NO_UNIT` for a name, an id or a choice.
    """
    unit = NAME_UNITS.get(name)
    if unit is None:
        unit = next((u for suffix, u in SUFFIX_UNITS if name.endswith(suffix)), NO_UNIT)
    return unit
