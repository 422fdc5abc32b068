"""The built-in result fields: the KPIs of DESIGN.md section 5 and the breakdown keys.

Each KPI comes with its computation from the run's measured sums; the registry
(:mod:`fieldtotable.results.fields`) registers them in this order, which is the
order of :attr:`RunResult.kpis <fieldtotable.RunResult.kpis>`. The keys of
``by_node`` and of a store's ``by_market`` entry are declared by their node kinds
(:mod:`fieldtotable.model.nodes`).
"""

from __future__ import annotations

from fieldtotable.results.field import KpiComputation, ResultField
from fieldtotable.results.measure import MeasuredRun
from fieldtotable.results.money import MARKET_MONEY_FIELDS, MONEY_KPIS
from fieldtotable.results.overload_fields import OVERLOAD_KPIS

__all__ = ["BUILTIN_KPIS", "DAILY_FIELDS", "LEG_FIELDS", "MARKET_FIELDS", "STAGE_DEFINITIONS"]

#: What each stage of :attr:`RunResult.spoiled_kg_by_stage` covers (the keys of
#: :data:`fieldtotable.model.lot.STAGES`, in order).
STAGE_DEFINITIONS: dict[str, str] = {
    "collection": "in the field, on the way to the collection point and at the collection"
    " point (grading, pre-cooling, cold room)",
    "transit": "loading and on a leg (reefer failures and closures included); unloading"
    " counts to the hub",
    "hub": "at a consolidation hub or DC, dock exposure included",
    "market": "in a store: on its delivery van from the DC, on the shelf; in a parcel on"
    " its way to an online customer (reason parcel: refunded)",
}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


def _transport_cost(run: MeasuredRun) -> float:
    """Return the legs' trip costs and the parcels' courier fees; a product's by activity."""
    if run.is_channel:
        return run.legs("cost_cny") + run.total("courier_cost_cny")
    return run.money("transport_cost_cny")


BUILTIN_KPIS: tuple[tuple[ResultField, KpiComputation], ...] = (
    (
        ResultField(
            "harvested_kg", "kg", "all kg that entered the system from sources",
            label="Harvested", per_product=True,
        ),
        lambda run: run.total("harvested"),
    ),
    (
        ResultField(
            "rejected_kg", "kg", "removed at grading",
            label="Rejected at grading", better="lower", per_product=True,
        ),
        lambda run: run.total("rejected"),
    ),
    (
        ResultField(
            "refused_kg", "kg",
            "turned away by a full store (overload: refuse_upstream, or an overflow store"
            " full too): at a collection point's gate, or at a store's door",
            label="Refused by full stores", better="lower", per_product=True,
        ),
        lambda run: run.total("refused"),
    ),
    (
        ResultField(
            "damaged_kg", "kg",
            "destroyed by handling (breakage at loading, unloading, picking) or lost as"
            " weight (drip, moisture), all stages; never counted as spoiled",
            label="Damaged (breakage, weight loss)", better="lower", per_product=True,
        ),
        lambda run: run.damaged(),
    ),
    (
        ResultField(
            "spoiled_kg", "kg", "discarded because shelf life ran out (all stages)",
            label="Spoiled (all stages)", better="lower", per_product=True,
        ),
        lambda run: run.spoiled(),
    ),
    (
        ResultField(
            "sold_kg", "kg", "sold to any market (markdown sales included)",
            label="Sold", better="higher", headline=True, sweep=True, per_product=True,
        ),
        lambda run: run.total("sold"),
    ),
    (
        ResultField(
            "sold_value_cny", "CNY", "revenue of all sales",
            label="Sales value", better="higher", headline=True, per_product=True,
        ),
        lambda run: run.total("sold_value_cny"),
    ),
    (
        ResultField(
            "markdown_sold_kg", "kg", "sold at a markdown price",
            label="Sold at a markdown", per_product=True,
        ),
        lambda run: run.total("markdown_sold"),
    ),
    (
        ResultField(
            "demand_kg", "kg", "demand of walk-in customers and orders",
            label="Demand", per_product=True,
        ),
        lambda run: run.total("demand"),
    ),
    (
        ResultField(
            "lost_sales_kg", "kg", "demand that could not be met from stock",
            label="Lost sales", better="lower", per_product=True,
        ),
        lambda run: run.total("lost_sales"),
    ),
    (
        ResultField(
            "fill_rate", "fraction", "sold_kg / demand_kg",
            label="Fill rate", better="higher", headline=True, sweep=True,
            aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.kpi("sold_kg"), run.kpi("demand_kg")),
    ),
    (
        ResultField(
            "spoilage_rate", "fraction", "spoiled_kg / harvested_kg",
            label="Spoilage rate", better="lower", headline=True, sweep=True,
            aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.kpi("spoiled_kg"), run.kpi("harvested_kg")),
    ),
    (
        ResultField(
            "damaged_rate", "fraction", "damaged_kg / harvested_kg",
            label="Damage rate", better="lower", aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.kpi("damaged_kg"), run.kpi("harvested_kg")),
    ),
    (
        ResultField(
            "throughput_kg_per_day", "kg/d", "sold_kg per measured day",
            label="Throughput", better="higher", per_product=True,
        ),
        lambda run: run.kpi("sold_kg") / run.days,
    ),
    (
        ResultField(
            "in_system_kg_end", "kg", "kg still in the system at the end of the horizon",
            label="Still in the channel at the end", aggregation="level", per_product=True,
        ),
        lambda run: run.in_system(),
    ),
    (
        ResultField(
            "in_system_kg_warmup_end", "kg",
            "kg in the system at the end of the warm-up (0 without one); plus harvested_kg "
            "it equals rejected + refused + damaged + spoiled + sold + in_system_kg_end",
            label="In the channel at the end of the warm-up", aggregation="level",
            per_product=True,
        ),
        lambda run: run.in_system_at_warmup_end(),
    ),
    (
        ResultField(
            "arrived_at_market_hub_kg", "kg", "kg unloaded at a hub that supplies markets",
            label="Arrived at the market hub", per_product=True,
        ),
        lambda run: run.total("arrived_at_market_hub"),
    ),
    (
        ResultField(
            "mean_field_to_market_h", "h", "kg-weighted mean hours from harvest to a market",
            label="Field to market, mean", better="lower", headline=True,
            aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.total("field_to_market_kg_h"), run.total("delivered_to_market")),
    ),
    (
        ResultField(
            "mean_remaining_shelf_life_at_sale_d", "d",
            "kg-weighted mean remaining shelf life at sale, at the market's temperature",
            label="Shelf life left at sale, mean", better="higher", aggregation="ratio",
            per_product=True,
        ),
        lambda run: _ratio(run.total("remaining_shelf_life_kg_d"), run.kpi("sold_kg")),
    ),
    (
        ResultField(
            "mean_remaining_fraction_at_sale", "fraction",
            "kg-weighted mean remaining fraction of the lot's shelf life at sale"
            " (comparable across products, unlike days)",
            label="Share of shelf life left at sale, mean", better="higher", headline=True,
            sweep=True, aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.total("remaining_fraction_kg"), run.kpi("sold_kg")),
    ),
    (
        ResultField(
            "transport_cost_cny", "CNY",
            "cost of all trips (per trip, per km, per kg) and parcel courier fees; a"
            " product's: each leg's by kg carried, its parcels' fees",
            label="Transport cost", better="lower", per_product=True,
        ),
        _transport_cost,
    ),
    (
        ResultField(
            "cost_per_kg_sold_cny", "CNY/kg", "transport_cost_cny / sold_kg",
            label="Transport cost per kg sold", better="lower", headline=True, sweep=True,
            aggregation="ratio",
        ),
        lambda run: _ratio(run.kpi("transport_cost_cny"), run.kpi("sold_kg")),
    ),
    (
        ResultField(
            "co2_kg", "kg", "CO2 of all trips (per tonne-km carried and per vehicle-km)",
            label="CO\N{SUBSCRIPT TWO} emitted", better="lower", headline=True,
        ),
        lambda run: run.legs("co2_kg"),
    ),
    (
        ResultField("trips", "count", "vehicle trips on all legs", label="Vehicle trips"),
        lambda run: run.legs("trips"),
    ),
    (
        ResultField(
            "event_demand_kg", "kg",
            "kg asked for by one-off event orders (markets.<id>.events); part of demand_kg",
            label="Event orders", per_product=True,
        ),
        lambda run: run.total("event_demand"),
    ),
    (
        ResultField(
            "event_lost_sales_kg", "kg",
            "kg of event orders the hub's stock could not fill; part of lost_sales_kg",
            label="Event orders unmet", better="lower", per_product=True,
        ),
        lambda run: run.total("event_lost_sales"),
    ),
    (
        ResultField(
            "rerouted_kg", "kg",
            "kg that routing.switches sent over an alternative leg while the usual one was"
            " backed up",
            label="Rerouted by route switches",
        ),
        lambda run: run.legs("rerouted_kg"),
    ),
    *OVERLOAD_KPIS,
    *MONEY_KPIS,
    (
        ResultField(
            "parcel_delivered_kg", "kg",
            "kg delivered in parcels to online customers (refunded parcels not included)",
            label="Delivered in parcels", better="higher", per_product=True,
        ),
        lambda run: run.total("parcel_delivered"),
    ),
    (
        ResultField(
            "refunded_kg", "kg",
            "kg of parcels that spoiled on the way and were refunded (part of spoiled_kg,"
            " stage market, reason parcel)",
            label="Refunded parcels", better="lower", per_product=True,
        ),
        lambda run: run.total("refunded"),
    ),
    (
        ResultField(
            "refunds_cny", "CNY",
            "price paid back for refunded parcels (never part of revenue_cny; the courier"
            " and box stay paid)",
            label="Refunds", better="lower", per_product=True,
        ),
        lambda run: run.total("refunds_cny"),
    ),
    (
        ResultField(
            "mean_remaining_shelf_life_at_door_d", "d",
            "kg-weighted mean remaining shelf life of parcels at the customer's door, at the"
            " customer's refrigerator temperature",
            label="Shelf life left at the door, mean", better="higher", aggregation="ratio",
            per_product=True,
        ),
        lambda run: _ratio(run.total("parcel_remaining_kg_d"), run.kpi("parcel_delivered_kg")),
    ),
)  # fmt: skip

LEG_FIELDS = (
    ResultField("trips", "count", "vehicle trips on the leg", label="Trips"),
    ResultField("kg_carried", "kg", "kg loaded onto the leg's vehicles", label="Carried"),
    ResultField(
        "mean_load_kg", "kg", "kg_carried / trips", label="Mean load", aggregation="ratio"
    ),
    ResultField(
        "load_factor", "fraction", "mean_load_kg / vehicle capacity",
        label="Load factor", aggregation="ratio",
    ),
    ResultField(
        "tonne_km", "t·km", "tonnes carried times the leg's distance, summed over trips",
        label="Tonne-km",
    ),
    ResultField(
        "cost_cny", "CNY", "cost of the leg's trips (per trip, per km, per kg)",
        label="Cost", better="lower",
    ),
    ResultField("co2_kg", "kg", "CO2 of the leg's trips", label="CO\N{SUBSCRIPT TWO}",
                better="lower"),
    ResultField(
        "utilisation", "fraction",
        "share of the fleet's hours spent on trips (whole horizon: fleet x horizon hours)",
        label="Fleet busy", aggregation="ratio",
    ),
    ResultField(
        "closed_h", "h",
        "hours the leg was closed (its closures, merged) after the warm-up: departures"
        " wait, trips under way stop",
        label="Closed",
    ),
    ResultField(
        "rerouted_kg", "kg",
        "kg that routing.switches sent over this leg while their usual leg was backed up",
        label="Rerouted onto it",
    ),
)  # fmt: skip

MARKET_FIELDS = (
    ResultField("demand_kg", "kg", "demand of the market's customers or orders", label="Demand"),
    ResultField(
        "sold_kg", "kg", "kg sold by the market (markdown sales included)",
        label="Sold", better="higher",
    ),
    ResultField(
        "lost_sales_kg", "kg", "demand the market could not meet from stock",
        label="Lost sales", better="lower",
    ),
    ResultField(
        "fill_rate", "fraction", "sold_kg / demand_kg",
        label="Fill rate", better="higher", aggregation="ratio",
    ),
    ResultField(
        "sold_value_cny", "CNY", "revenue of the market's sales",
        label="Sales value", better="higher",
    ),
    *MARKET_MONEY_FIELDS,
)  # fmt: skip

DAILY_FIELDS = (
    ResultField("harvested_kg", "kg/d", "kg that entered the system from sources"),
    ResultField("rejected_kg", "kg/d", "kg removed at grading"),
    ResultField("spoiled_kg", "kg/d", "kg discarded because shelf life ran out (all stages)"),
    ResultField("spoiled_<stage>_kg", "kg/d", "kg spoiled at one stage"),
    ResultField(
        "damaged_kg", "kg/d", "kg destroyed by handling or lost as weight (all stages)"
    ),
    ResultField("sold_kg", "kg/d", "kg sold to any market"),
    ResultField("demand_kg", "kg/d", "demand of walk-in customers and orders"),
    ResultField("lost_sales_kg", "kg/d", "demand that could not be met from stock"),
    ResultField("arrived_at_market_hub_kg", "kg/d", "kg unloaded at a hub that supplies markets"),
    ResultField("sold_value_cny", "CNY/d", "revenue of all sales"),
    ResultField("transport_cost_cny", "CNY/d", "cost of the trips loaded that day"),
    ResultField("co2_kg", "kg/d", "CO2 of the trips loaded that day"),
    ResultField(
        "in_transit_kg", "kg",
        "kg held at no node or store at the end of the day: on the way from the field,"
        " in pre-cooling, on legs and delivery vans",
        aggregation="level",
    ),
    ResultField(
        "stock_<node>_kg", "kg", "stock held at a node at the end of the day",
        aggregation="level",
    ),
)  # fmt: skip
