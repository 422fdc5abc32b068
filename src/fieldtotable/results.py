"""Run results: the KPIs of DESIGN.md section 5, breakdowns and daily series.

A :class:`RunResult` is a flat, immutable record built from the ledger once a run
ends. Every KPI is measured over the days after ``warmup_days``; the mass balance is
checked over the whole horizon before the result is built.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from fieldtotable.ledger import Flow, Ledger
from fieldtotable.model.lot import STAGES

# The definitions live in result_fields (the contract); they are re-exported here, where
# the records they describe are built.
from fieldtotable.result_fields import (
    DAILY_SERIES_DEFINITIONS,
    KPI_DEFINITIONS,
    LEG_METRIC_DEFINITIONS,
    MARKET_METRIC_DEFINITIONS,
    NODE_METRIC_DEFINITIONS,
    PRODUCT_KPIS,
    REMAINING_BINS,
    STAGE_DEFINITIONS,
)

__all__ = [
    "DAILY_SERIES_DEFINITIONS",
    "KPI_DEFINITIONS",
    "LEG_METRIC_DEFINITIONS",
    "MARKET_METRIC_DEFINITIONS",
    "NODE_METRIC_DEFINITIONS",
    "PRODUCT_KPIS",
    "REMAINING_BINS",
    "STAGE_DEFINITIONS",
    "RunResult",
    "build_result",
    "remaining_histogram",
]


def remaining_histogram(ledger: Ledger) -> dict[str, list[float]]:
    """Kg sold per product in bins of the labelled remaining fraction at sale."""
    return {
        product: list(counts)
        for product, counts in zip(ledger.products, ledger.remaining_at_sale, strict=True)
    }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def _same(left: Any, right: Any) -> bool:
    """Equality where an undefined number (NaN) equals another undefined number."""
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)


@dataclass(frozen=True, eq=False)
class RunResult:
    """The outcome of one replication.

    Attributes
    ----------
    scenario_name
        The scenario's ``name``.
    seed
        The run's seed.
    replication
        The replication index within an experiment (``None`` for a single run):
        ``simulate(scenario, seed, replication=replication)`` reproduces it.
    horizon_days
        Days simulated.
    warmup_days
        Days at the start left out of the KPIs and breakdowns.
    kpis
        Every key of :data:`KPI_DEFINITIONS` (measured after the warm-up).
    spoiled_kg_by_stage
        Spoiled kg per stage (:data:`STAGE_DEFINITIONS`): ``collection`` (field and
        collection point), ``transit`` (loading and legs), ``hub``, ``market`` (shop
        and its delivery van).
    by_product
        Per product id, the keys of :data:`PRODUCT_KPIS` plus ``spoiled_kg_<stage>``.
    by_leg
        Per leg id, the keys of :data:`LEG_METRIC_DEFINITIONS`: ``trips``,
        ``kg_carried``, ``mean_load_kg``, ``load_factor``, ``tonne_km``,
        ``cost_cny``, ``co2_kg``, ``utilisation`` (share of the fleet's hours spent
        on trips), ``closed_h`` (hours the leg was closed after the warm-up).
    by_node
        Per collection point and hub, the keys of :data:`NODE_METRIC_DEFINITIONS`:
        ``peak_stock_kg``, ``capacity_kg``, ``overflow_kg`` (kg that found the store
        full), and for collection points ``mean_precooling_wait_h`` and
        ``precooled_lots``.
    remaining_at_sale
        Per product id, kg sold (after the warm-up) in each of
        :data:`REMAINING_BINS` equal bins of the labelled remaining fraction of shelf
        life at sale (``1 - consumed``, the quantity markdown rules look at): bin 0
        holds [0, 0.05), the last [0.95, 1].
    by_market
        Per market id (measured after the warm-up), the keys of
        :data:`MARKET_METRIC_DEFINITIONS`: ``demand_kg``, ``sold_kg``,
        ``lost_sales_kg``, ``fill_rate``, ``sold_value_cny``; for stores also
        ``peak_shelf_kg`` and ``shelf_capacity_kg`` (peak over the whole run).
    daily
        Daily series over the whole horizon (index = day), the keys of
        :data:`DAILY_SERIES_DEFINITIONS`: ``harvested_kg``,
        ``rejected_kg``, ``spoiled_kg``, ``spoiled_<stage>_kg``, ``sold_kg``,
        ``sold_value_cny``, ``demand_kg``, ``lost_sales_kg``,
        ``arrived_at_market_hub_kg``, ``transport_cost_cny``, ``co2_kg``,
        ``in_transit_kg`` and ``stock_<node>_kg`` (end-of-day stock of every
        collection point, hub and store).
    events_processed
        SimPy events processed (a measure of the run's work).
    flows
        The per-movement flow log when ``record_flows=True``, else ``None``.
    start_date
        The scenario's ``start_date``: day ``i`` of the daily series is
        ``start_date + i`` days (``None`` for runs stored by version 0.1.0 stores).
    wall_time_s
        Wall-clock seconds of the run (not part of equality).
    """

    scenario_name: str
    seed: int
    replication: int | None
    horizon_days: int
    warmup_days: int
    kpis: dict[str, float]
    spoiled_kg_by_stage: dict[str, float]
    by_product: dict[str, dict[str, float]]
    by_leg: dict[str, dict[str, float]]
    by_node: dict[str, dict[str, float]]
    by_market: dict[str, dict[str, float]]
    daily: dict[str, list[float]]
    remaining_at_sale: dict[str, list[float]]
    events_processed: int
    flows: tuple[Flow, ...] | None = None
    start_date: dt.date | None = None
    wall_time_s: float = field(default=0.0, compare=False)

    def __eq__(self, other: object) -> bool:
        """Compare every field but the wall time; undefined ratios (NaN) compare equal."""
        if not isinstance(other, RunResult):
            return NotImplemented
        return all(
            _same(getattr(self, f.name), getattr(other, f.name)) for f in fields(self) if f.compare
        )

    __hash__ = None  # type: ignore[assignment]  # mutable mappings inside: not hashable

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-compatible data (NaN becomes ``None``); the flow log is left out.

        Returns
        -------
        dict
            Every field but ``flows``, by name.
        """
        data: dict[str, Any] = _clean(
            {
                "scenario_name": self.scenario_name,
                "seed": self.seed,
                "replication": self.replication,
                "horizon_days": self.horizon_days,
                "warmup_days": self.warmup_days,
                "kpis": self.kpis,
                "spoiled_kg_by_stage": self.spoiled_kg_by_stage,
                "by_product": self.by_product,
                "by_leg": self.by_leg,
                "by_node": self.by_node,
                "by_market": self.by_market,
                "daily": self.daily,
                "remaining_at_sale": self.remaining_at_sale,
                "events_processed": self.events_processed,
                "start_date": None if self.start_date is None else self.start_date.isoformat(),
                "wall_time_s": self.wall_time_s,
            }
        )
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the :meth:`to_dict` data as JSON text.

        Parameters
        ----------
        indent
            Spaces per indentation level; ``None`` for one line.

        Returns
        -------
        str
            The JSON text (non-ASCII characters kept).
        """
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_pandas(self, table: str | None = "kpis") -> Any:
        """Return a table of the run as a ``pandas.DataFrame`` (pandas must be installed).

        Parameters
        ----------
        table
            ``"kpis"`` (default: columns ``kpi``, ``value``, ``unit``, ``meaning``, one
            row per KPI), ``"by_product"``, ``"by_stage"``, ``"by_leg"``,
            ``"by_node"``, ``"by_market"``, ``"daily"``, ``"remaining_at_sale"``; or
            ``"all"`` (or ``None``) for a dict of every table's frame. Columns are
            typed and carry units in their names (see :mod:`fieldtotable.export`).

        Returns
        -------
        pandas.DataFrame or dict of str to pandas.DataFrame
            The table, or every table by name for ``"all"``.

        Raises
        ------
        ImportError
            If pandas is not installed.
        ValueError
            For an unknown table name.
        """
        from fieldtotable.export import run_table_set  # noqa: PLC0415
        from fieldtotable.export.frames import pick  # noqa: PLC0415

        return pick(run_table_set(self), table)

    def _repr_html_(self) -> str:
        """Return the KPIs as an HTML table (shown by Jupyter)."""
        from fieldtotable.export.html import run_html  # noqa: PLC0415

        return run_html(self)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


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
