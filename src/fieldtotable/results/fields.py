"""What every result field means: names, units and definitions (the results contract).

The KPIs of DESIGN.md section 5 and the keys of each breakdown of a run's result.

These tables are the results contract: :mod:`fieldtotable.results` builds records with
exactly these keys, the tables, exports and reports label them with these units, and
``docs/reference/results.md`` is generated from them.
"""

from __future__ import annotations

from fieldtotable.model.ledger import REMAINING_BINS as LEDGER_REMAINING_BINS

__all__ = [
    "DAILY_SERIES_DEFINITIONS",
    "KPI_DEFINITIONS",
    "LEG_METRIC_DEFINITIONS",
    "MARKET_METRIC_DEFINITIONS",
    "NODE_METRIC_DEFINITIONS",
    "PRODUCT_KPIS",
    "REMAINING_BINS",
    "STAGE_DEFINITIONS",
]

#: Every KPI key with its unit and meaning (the results contract).
KPI_DEFINITIONS: dict[str, tuple[str, str]] = {
    "harvested_kg": ("kg", "all kg that entered the system from sources"),
    "rejected_kg": ("kg", "removed at grading"),
    "refused_kg": ("kg", "turned away by a full store set to on_full: refuse"),
    "spoiled_kg": ("kg", "discarded because shelf life ran out (all stages)"),
    "sold_kg": ("kg", "sold to any market (markdown sales included)"),
    "sold_value_cny": ("CNY", "revenue of all sales"),
    "markdown_sold_kg": ("kg", "sold at a markdown price"),
    "demand_kg": ("kg", "demand of walk-in customers and orders"),
    "lost_sales_kg": ("kg", "demand that could not be met from stock"),
    "fill_rate": ("fraction", "sold_kg / demand_kg"),
    "spoilage_rate": ("fraction", "spoiled_kg / harvested_kg"),
    "throughput_kg_per_day": ("kg/d", "sold_kg per measured day"),
    "in_system_kg_end": ("kg", "kg still in the system at the end of the horizon"),
    "arrived_at_market_hub_kg": ("kg", "kg unloaded at a hub that supplies markets"),
    "mean_field_to_market_h": ("h", "kg-weighted mean hours from harvest to a market"),
    "mean_remaining_shelf_life_at_sale_d": (
        "d",
        "kg-weighted mean remaining shelf life at sale, at the market's temperature",
    ),
    "mean_remaining_fraction_at_sale": (
        "fraction",
        "kg-weighted mean remaining fraction of the lot's shelf life at sale"
        " (comparable across products, unlike days)",
    ),
    "transport_cost_cny": ("CNY", "cost of all trips (per trip, per km, per kg)"),
    "cost_per_kg_sold_cny": ("CNY/kg", "transport_cost_cny / sold_kg"),
    "co2_kg": ("kg", "CO2 of all trips (per tonne-km carried and per vehicle-km)"),
    "trips": ("count", "vehicle trips on all legs"),
}

#: KPIs that make sense per product.
PRODUCT_KPIS = (
    "harvested_kg",
    "rejected_kg",
    "refused_kg",
    "spoiled_kg",
    "sold_kg",
    "sold_value_cny",
    "markdown_sold_kg",
    "demand_kg",
    "lost_sales_kg",
    "fill_rate",
    "spoilage_rate",
    "throughput_kg_per_day",
    "in_system_kg_end",
    "arrived_at_market_hub_kg",
    "mean_field_to_market_h",
    "mean_remaining_shelf_life_at_sale_d",
    "mean_remaining_fraction_at_sale",
)


#: Number of bins of :attr:`RunResult.remaining_at_sale` (re-exported from the ledger).
REMAINING_BINS = LEDGER_REMAINING_BINS

#: What each stage of :attr:`RunResult.spoiled_kg_by_stage` covers (the keys of
#: :data:`fieldtotable.model.lot.STAGES`, in order).
STAGE_DEFINITIONS: dict[str, str] = {
    "collection": "in the field, on the way to the collection point and at the collection"
    " point (grading, pre-cooling, cold room)",
    "transit": "loading and on a leg (reefer failures and closures included); unloading"
    " counts to the hub",
    "hub": "at a consolidation hub or DC, dock exposure included",
    "market": "in a store: on its delivery van from the DC, on the shelf",
}

#: Every key of a :attr:`RunResult.by_leg` entry with its unit and meaning.
LEG_METRIC_DEFINITIONS: dict[str, tuple[str, str]] = {
    "trips": ("count", "vehicle trips on the leg"),
    "kg_carried": ("kg", "kg loaded onto the leg's vehicles"),
    "mean_load_kg": ("kg", "kg_carried / trips"),
    "load_factor": ("fraction", "mean_load_kg / vehicle capacity"),
    "tonne_km": ("t·km", "tonnes carried times the leg's distance, summed over trips"),
    "cost_cny": ("CNY", "cost of the leg's trips (per trip, per km, per kg)"),
    "co2_kg": ("kg", "CO2 of the leg's trips"),
    "utilisation": (
        "fraction",
        "share of the fleet's hours spent on trips (whole horizon: fleet x horizon hours)",
    ),
    "closed_h": (
        "h",
        "hours the leg was closed (its closures, merged) after the warm-up: departures"
        " wait, trips under way stop",
    ),
}

#: Every key of a :attr:`RunResult.by_node` entry with its unit and meaning (the last
#: two for collection points only).
NODE_METRIC_DEFINITIONS: dict[str, tuple[str, str]] = {
    "peak_stock_kg": ("kg", "highest stock held at the node (whole horizon)"),
    "capacity_kg": ("kg", "the node's storage capacity (cold room or storage)"),
    "overflow_kg": ("kg", "kg that found the node's storage full (whole horizon)"),
    "precooled_lots": ("count", "lots that were pre-cooled (collection points)"),
    "mean_precooling_wait_h": (
        "h",
        "mean hours a lot waited for pre-cooling capacity (collection points)",
    ),
}

#: Every key of a :attr:`RunResult.by_market` entry with its unit and meaning (the
#: last two for stores only).
MARKET_METRIC_DEFINITIONS: dict[str, tuple[str, str]] = {
    "demand_kg": ("kg", "demand of the market's customers or orders"),
    "sold_kg": ("kg", "kg sold by the market (markdown sales included)"),
    "lost_sales_kg": ("kg", "demand the market could not meet from stock"),
    "fill_rate": ("fraction", "sold_kg / demand_kg"),
    "sold_value_cny": ("CNY", "revenue of the market's sales"),
    "peak_shelf_kg": ("kg", "highest kg on the store's shelves (whole horizon; stores)"),
    "shelf_capacity_kg": ("kg", "the store's shelf capacity (stores)"),
}

#: Every series of :attr:`RunResult.daily` with its unit and meaning, by day (kg per
#: day, CNY per day, or a level at the end of the day). ``<stage>`` stands for each
#: key of :data:`STAGE_DEFINITIONS`, ``<node>`` for each collection point, hub and store.
DAILY_SERIES_DEFINITIONS: dict[str, tuple[str, str]] = {
    "harvested_kg": ("kg/d", "kg that entered the system from sources"),
    "rejected_kg": ("kg/d", "kg removed at grading"),
    "spoiled_kg": ("kg/d", "kg discarded because shelf life ran out (all stages)"),
    "spoiled_<stage>_kg": ("kg/d", "kg spoiled at one stage"),
    "sold_kg": ("kg/d", "kg sold to any market"),
    "demand_kg": ("kg/d", "demand of walk-in customers and orders"),
    "lost_sales_kg": ("kg/d", "demand that could not be met from stock"),
    "arrived_at_market_hub_kg": ("kg/d", "kg unloaded at a hub that supplies markets"),
    "sold_value_cny": ("CNY/d", "revenue of all sales"),
    "transport_cost_cny": ("CNY/d", "cost of the trips loaded that day"),
    "co2_kg": ("kg/d", "CO2 of the trips loaded that day"),
    "in_transit_kg": (
        "kg",
        "kg held at no node or store at the end of the day: on the way from the field,"
        " in pre-cooling, on legs and delivery vans",
    ),
    "stock_<node>_kg": ("kg", "stock held at a node at the end of the day"),
}
