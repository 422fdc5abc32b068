"""From a finished run's ledger to its :class:`~fieldtotable.RunResult`.

Every KPI is measured over the days after ``warmup_days``; the mass balance is
checked over the whole horizon before the result is built (see
:func:`fieldtotable.simulate`).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import STAGES
from fieldtotable.results.fields import KPI_DEFINITIONS
from fieldtotable.results.run import RunResult

__all__ = ["build_result", "remaining_histogram"]


def remaining_histogram(ledger: Ledger) -> dict[str, list[float]]:
    """Kg sold per product in bins of the labelled remaining fraction at sale."""
    return {
        product: list(counts)
        for product, counts in zip(ledger.products, ledger.remaining_at_sale, strict=True)
    }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def _product_kpis(
    sums: dict[str, np.ndarray], in_system: np.ndarray, index: int | slice, days: int
) -> dict[str, float]:
    def total(name: str) -> float:
        return float(np.sum(sums[name][index]))

    spoiled = float(np.sum(sums["spoiled"][:, index]))
    sold = total("sold")
    demand = total("demand")
    harvested = total("harvested")
    return {
        "harvested_kg": harvested,
        "rejected_kg": total("rejected"),
        "refused_kg": total("refused"),
        "spoiled_kg": spoiled,
        "sold_kg": sold,
        "sold_value_cny": total("sold_value_cny"),
        "markdown_sold_kg": total("markdown_sold"),
        "demand_kg": demand,
        "lost_sales_kg": total("lost_sales"),
        "fill_rate": _ratio(sold, demand),
        "spoilage_rate": _ratio(spoiled, harvested),
        "throughput_kg_per_day": sold / days,
        "in_system_kg_end": float(np.sum(in_system[index])),
        "arrived_at_market_hub_kg": total("arrived_at_market_hub"),
        "mean_field_to_market_h": _ratio(
            total("field_to_market_kg_h"), total("delivered_to_market")
        ),
        "mean_remaining_shelf_life_at_sale_d": _ratio(total("remaining_shelf_life_kg_d"), sold),
        "mean_remaining_fraction_at_sale": _ratio(total("remaining_fraction_kg"), sold),
    }


def build_result(
    *,
    scenario_name: str,
    seed: int,
    replication: int | None,
    warmup_days: int,
    start_date: dt.date,
    ledger: Ledger,
    in_system_by_product: np.ndarray,
    by_node: dict[str, dict[str, float]],
    shelves: dict[str, tuple[float, float]],
    markets: list[str],
    fleet_hours: dict[str, float],
    leg_capacity_kg: dict[str, float],
    closed_hours: dict[str, float],
    stock_series: dict[str, list[float]],
    in_transit_series: list[float],
    events_processed: int,
    wall_time_s: float,
) -> RunResult:
    """Assemble a :class:`RunResult` from a finished run's ledger and node statistics."""
    arrays = ledger.arrays()
    days = ledger.horizon_days
    measured = slice(warmup_days, days)
    measured_days = days - warmup_days
    sums = {
        name: (values[..., measured] if values.ndim > 1 else values)
        for name, values in arrays.items()
    }
    kpis = _product_kpis(sums, in_system_by_product, slice(None), measured_days)
    leg_cost = sums["leg_cost_cny"]
    sold = kpis["sold_kg"]
    kpis["transport_cost_cny"] = float(leg_cost.sum())
    kpis["cost_per_kg_sold_cny"] = _ratio(kpis["transport_cost_cny"], sold)
    kpis["co2_kg"] = float(sums["leg_co2_kg"].sum())
    kpis["trips"] = float(sums["leg_trips"].sum())
    kpis = {key: kpis[key] for key in KPI_DEFINITIONS}

    spoiled_by_stage_product = sums["spoiled"].sum(axis=2)
    spoiled_kg_by_stage = {
        stage: float(spoiled_by_stage_product[i].sum()) for i, stage in enumerate(STAGES)
    }
    by_product: dict[str, dict[str, float]] = {}
    for index, product in enumerate(ledger.products):
        values = _product_kpis(sums, in_system_by_product, index, measured_days)
        for stage_index, stage in enumerate(STAGES):
            values[f"spoiled_kg_{stage}"] = float(spoiled_by_stage_product[stage_index, index])
        by_product[product] = values

    by_leg: dict[str, dict[str, float]] = {}
    for index, leg in enumerate(ledger.legs):
        trips = float(sums["leg_trips"][index].sum())
        carried = float(sums["leg_kg_carried"][index].sum())
        mean_load = _ratio(carried, trips)
        by_leg[leg] = {
            "trips": trips,
            "kg_carried": carried,
            "mean_load_kg": mean_load,
            "load_factor": _ratio(mean_load, leg_capacity_kg[leg]),
            "tonne_km": float(sums["leg_tonne_km"][index].sum()),
            "cost_cny": float(sums["leg_cost_cny"][index].sum()),
            "co2_kg": float(sums["leg_co2_kg"][index].sum()),
            "utilisation": float(fleet_hours[leg]),
            "closed_h": float(closed_hours[leg]),
        }

    by_market: dict[str, dict[str, float]] = {}
    empty = [0.0] * days
    for market in markets:
        table = ledger.market_daily.get(market, {})
        demand = float(sum(table.get("demand", empty)[warmup_days:]))
        sold_kg = float(sum(table.get("sold", empty)[warmup_days:]))
        values = {
            "demand_kg": demand,
            "sold_kg": sold_kg,
            "lost_sales_kg": float(sum(table.get("lost_sales", empty)[warmup_days:])),
            "fill_rate": _ratio(sold_kg, demand),
            "sold_value_cny": float(sum(table.get("sold_value_cny", empty)[warmup_days:])),
        }
        if market in shelves:
            values["peak_shelf_kg"], values["shelf_capacity_kg"] = shelves[market]
        by_market[market] = values

    daily: dict[str, list[float]] = {
        "harvested_kg": arrays["harvested"].sum(axis=0).tolist(),
        "rejected_kg": arrays["rejected"].sum(axis=0).tolist(),
        "spoiled_kg": arrays["spoiled"].sum(axis=(0, 1)).tolist(),
    }
    for stage_index, stage in enumerate(STAGES):
        daily[f"spoiled_{stage}_kg"] = arrays["spoiled"][stage_index].sum(axis=0).tolist()
    for name in ("sold", "demand", "lost_sales", "arrived_at_market_hub"):
        daily[f"{name}_kg"] = arrays[name].sum(axis=0).tolist()
    daily["sold_value_cny"] = arrays["sold_value_cny"].sum(axis=0).tolist()
    daily["transport_cost_cny"] = arrays["leg_cost_cny"].sum(axis=0).tolist()
    daily["co2_kg"] = arrays["leg_co2_kg"].sum(axis=0).tolist()
    daily["in_transit_kg"] = list(in_transit_series)
    for node, series in stock_series.items():
        daily[f"stock_{node}_kg"] = list(series)

    return RunResult(
        scenario_name=scenario_name,
        seed=seed,
        replication=replication,
        horizon_days=days,
        warmup_days=warmup_days,
        start_date=start_date,
        kpis=kpis,
        spoiled_kg_by_stage=spoiled_kg_by_stage,
        by_product=by_product,
        by_leg=by_leg,
        by_node=by_node,
        by_market=by_market,
        daily=daily,
        remaining_at_sale=remaining_histogram(ledger),
        events_processed=events_processed,
        flows=tuple(ledger.flows) if ledger.record_flows else None,
        wall_time_s=wall_time_s,
    )
