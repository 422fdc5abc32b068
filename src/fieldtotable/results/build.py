"""From a finished run's ledger to its :class:`~fieldtotable.RunResult`.

Every KPI is measured over the days after ``warmup_days``; the mass balance is
checked over the whole horizon before the result is built (see
:func:`fieldtotable.simulate`).
"""

from __future__ import annotations

import datetime as dt
import math

from fieldtotable.errors import SimulationError
from fieldtotable.model.ledger import LOSS_FATES, Ledger
from fieldtotable.model.lot import STAGES
from fieldtotable.model.money import COST_LINES
from fieldtotable.model.outcome import Outcome
from fieldtotable.results.fields import KPIS, kpi_computation
from fieldtotable.results.measure import MeasuredRun
from fieldtotable.results.money import total_cost
from fieldtotable.results.run import Loss, RunResult

__all__ = ["build_result", "losses", "remaining_histogram"]

#: The ledger's quantities of the mass balance (read over the warm-up days too).
_BALANCE_QUANTITIES = ("harvested", "rejected", "refused", "damaged", "spoiled", "sold")


def remaining_histogram(ledger: Ledger) -> dict[str, list[float]]:
    """Kg sold per product in bins of the labelled remaining fraction at sale."""
    return {
        product: list(counts)
        for product, counts in zip(ledger.products, ledger.remaining_at_sale, strict=True)
    }


def losses(ledger: Ledger) -> tuple[Loss, ...]:
    """Return the ledger's losses after the warm-up as :class:`Loss` records.

    Sorted by fate (in :data:`LOSS_FATES` order, added fates after), stage (in
    :data:`STAGES` order), node, reason and product index.
    """
    fates = {fate: index for index, fate in enumerate(LOSS_FATES)}
    keys = sorted(ledger.losses, key=lambda key: (fates.get(key[0], len(fates)), key[0], *key[1:]))
    return tuple(
        Loss(fate, STAGES[stage], node, reason, ledger.products[product], kg)
        for fate, stage, node, reason in keys
        for product, kg in enumerate(ledger.losses[fate, stage, node, reason])
        if kg > 0
    )


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def _kpis(run: MeasuredRun, kpis: dict[str, float], *, per_product: bool) -> dict[str, float]:
    """Compute the registered KPIs in order into ``kpis`` (the view reads it)."""
    for key, found in KPIS.items():
        if per_product and not found.per_product:
            continue
        value = kpi_computation(key)(run)
        if math.isinf(value):
            raise SimulationError(f"KPI {key} is infinite; a ratio over nothing must be NaN")
        kpis[key] = float(value)
    return kpis


def _market_pnl(revenue: float, lines: dict[str, float] | None) -> dict[str, float]:
    """Return a market's P&L keys from its revenue and its allocated cost lines."""
    pnl = {"revenue_cny": revenue, **(lines or dict.fromkeys(COST_LINES, 0.0))}
    pnl["total_cost_cny"] = total_cost(pnl)
    pnl["profit_cny"] = revenue - pnl["total_cost_cny"]
    pnl["margin_rate"] = _ratio(pnl["profit_cny"], revenue)
    return pnl


def build_result(
    *,
    scenario_name: str,
    seed: int,
    replication: int | None,
    warmup_days: int,
    start_date: dt.date,
    outcome: Outcome,
    wall_time_s: float,
) -> RunResult:
    """Assemble a :class:`RunResult` from a finished run.

    Parameters
    ----------
    scenario_name, seed, replication, warmup_days, start_date, wall_time_s
        As in :class:`RunResult`.
    outcome
        The run's ledger and the statistics of its nodes and legs.

    Returns
    -------
    RunResult
        Every KPI and breakdown, measured after the warm-up.
    """
    ledger = outcome.ledger
    in_system_by_product = outcome.in_system_by_product
    arrays = ledger.arrays()
    days = ledger.horizon_days
    measured = slice(warmup_days, days)
    measured_days = days - warmup_days
    sums = {
        name: (values[..., measured] if values.ndim > 1 else values)
        for name, values in arrays.items()
    }
    warmup = (
        {name: arrays[name][..., :warmup_days] for name in _BALANCE_QUANTITIES}
        if warmup_days > 0
        else None
    )
    money = outcome.money.by_product
    kpis: dict[str, float] = {}
    _kpis(
        MeasuredRun(sums, in_system_by_product, slice(None), measured_days, kpis, warmup, money),
        kpis,
        per_product=False,
    )

    spoiled_by_stage_product = sums["spoiled"].sum(axis=2)
    damaged_by_stage_product = sums["damaged"].sum(axis=2)
    spoiled_kg_by_stage = {
        stage: float(spoiled_by_stage_product[i].sum()) for i, stage in enumerate(STAGES)
    }
    by_product: dict[str, dict[str, float]] = {}
    for index, product in enumerate(ledger.products):
        values: dict[str, float] = {}
        _kpis(
            MeasuredRun(sums, in_system_by_product, index, measured_days, values, warmup, money),
            values,
            per_product=True,
        )
        for stage_index, stage in enumerate(STAGES):
            values[f"spoiled_kg_{stage}"] = float(spoiled_by_stage_product[stage_index, index])
        for stage_index, stage in enumerate(STAGES):
            values[f"damaged_kg_{stage}"] = float(damaged_by_stage_product[stage_index, index])
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
            "load_factor": _ratio(mean_load, outcome.leg_capacity_kg[leg]),
            "tonne_km": float(sums["leg_tonne_km"][index].sum()),
            "cost_cny": float(sums["leg_cost_cny"][index].sum()),
            "co2_kg": float(sums["leg_co2_kg"][index].sum()),
            "utilisation": float(outcome.by_leg[leg]["utilisation"]),
            "closed_h": float(outcome.by_leg[leg]["closed_h"]),
            "rerouted_kg": float(sums["leg_rerouted_kg"][index].sum()),
        }

    by_market: dict[str, dict[str, float]] = {}
    empty = [0.0] * days
    for market, market_stats in outcome.by_market.items():
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
        values.update(_market_pnl(values["sold_value_cny"], outcome.money.by_market.get(market)))
        values.update(market_stats)
        by_market[market] = values

    daily: dict[str, list[float]] = {
        "harvested_kg": arrays["harvested"].sum(axis=0).tolist(),
        "rejected_kg": arrays["rejected"].sum(axis=0).tolist(),
        "spoiled_kg": arrays["spoiled"].sum(axis=(0, 1)).tolist(),
    }
    for stage_index, stage in enumerate(STAGES):
        daily[f"spoiled_{stage}_kg"] = arrays["spoiled"][stage_index].sum(axis=0).tolist()
    daily["damaged_kg"] = arrays["damaged"].sum(axis=(0, 1)).tolist()
    for name in ("sold", "demand", "lost_sales", "arrived_at_market_hub"):
        daily[f"{name}_kg"] = arrays[name].sum(axis=0).tolist()
    daily["sold_value_cny"] = arrays["sold_value_cny"].sum(axis=0).tolist()
    daily["transport_cost_cny"] = arrays["leg_cost_cny"].sum(axis=0).tolist()
    daily["co2_kg"] = arrays["leg_co2_kg"].sum(axis=0).tolist()
    daily["in_transit_kg"] = list(outcome.in_transit_series)
    for node, series in outcome.stock_series.items():
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
        by_node=outcome.by_node,
        by_market=by_market,
        daily=daily,
        remaining_at_sale=remaining_histogram(ledger),
        events_processed=outcome.events_processed,
        flows=tuple(ledger.flows) if ledger.record_flows else None,
        losses=losses(ledger),
        wall_time_s=wall_time_s,
    )
