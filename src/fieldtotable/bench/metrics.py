"""What the channel study measures: its metrics and the capacity indicators of a run.

:data:`METRICS` read throughput, sales value, profit, spoilage (overall and by stage),
handling damage, refused kg, fill rate, transport cost and CO2 per kg sold and shelf
life left at sale from one run;
:func:`capacity_indicators` says how close each store, node and leg came to its
capacity (what binds as the channel scales).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from fieldtotable.model.lot import STAGES
from fieldtotable.results import RunResult

__all__ = ["METRICS", "Metric", "capacity_indicators"]


@dataclass(frozen=True)
class Metric:
    """A quantity estimated for every configuration.

    Attributes
    ----------
    key
        Name in the CSV (whose values are in model units: kg/d, fractions, CNY/kg).
    label
        Column heading.
    unit
        Unit of the shown value (after ``factor``).
    factor
        Shown value = value x factor (``100`` for percentages).
    digits
        Decimals shown.
    value
        Reads it from one run (NaN when undefined).
    """

    key: str
    label: str
    unit: str
    factor: float
    digits: int
    value: Callable[[RunResult], float] = field(repr=False, compare=False)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def _stage_share(stage: str) -> Callable[[RunResult], float]:
    def share(run: RunResult) -> float:
        return _ratio(run.spoiled_kg_by_stage[stage], run.kpis["harvested_kg"])

    return share


def _share_of_harvest(kpi: str) -> Callable[[RunResult], float]:
    def share(run: RunResult) -> float:
        return _ratio(run.kpis[kpi], run.kpis["harvested_kg"])

    return share


METRICS: tuple[Metric, ...] = (
    Metric(
        "throughput_kg_per_day",
        "throughput",
        "t/d",
        1e-3,
        2,
        lambda r: r.kpis["throughput_kg_per_day"],
    ),
    Metric("sold_value_cny", "sales value", "M CNY", 1e-6, 1, lambda r: r.kpis["sold_value_cny"]),
    Metric("profit_cny", "profit", "M CNY", 1e-6, 1, lambda r: r.kpis["profit_cny"]),
    Metric("spoilage_rate", "spoilage", "%", 100.0, 1, lambda r: r.kpis["spoilage_rate"]),
    *(
        Metric(f"spoilage_{stage}", f"spoiled at {stage}", "%", 100.0, 1, _stage_share(stage))
        for stage in STAGES
    ),
    Metric("damaged_share", "damaged in handling", "%", 100.0, 1, _share_of_harvest("damaged_kg")),
    Metric("refused_share", "refused", "%", 100.0, 1, _share_of_harvest("refused_kg")),
    Metric("fill_rate", "fill rate", "%", 100.0, 1, lambda r: r.kpis["fill_rate"]),
    Metric(
        "cost_per_kg_sold_cny",
        "transport cost",
        "CNY/kg",
        1.0,
        2,
        lambda r: r.kpis["cost_per_kg_sold_cny"],
    ),
    Metric(
        "co2_kg_per_kg_sold",
        "CO2",
        "kg/kg",
        1.0,
        3,
        lambda r: _ratio(r.kpis["co2_kg"], r.kpis["sold_kg"]),
    ),
    Metric(
        "remaining_fraction_at_sale",
        "shelf life left at sale",
        "%",
        100.0,
        1,
        lambda r: r.kpis["mean_remaining_fraction_at_sale"],
    ),
    Metric(
        "remaining_shelf_life_at_sale_d",
        "shelf life left at sale",
        "d",
        1.0,
        1,
        lambda r: r.kpis["mean_remaining_shelf_life_at_sale_d"],
    ),
)
"""The study's metrics, in table order. Spoilage by stage, damaged and refused kg:
shares of the kg harvested (refused: turned away by a full store, most of them kept
by the producers at a collection point's gate).
Shelf life left at sale: kg-weighted, as a share of each lot's shelf life (comparable
across products) and in days at the market's temperature (dominated by the
long-life goods: wine, honey, frozen yak)."""


def capacity_indicators(run: RunResult) -> dict[str, float]:
    """Return how close each store, node and leg of a run is to its capacity.

    Parameters
    ----------
    run
        A finished run.

    Returns
    -------
    dict of str to float
        ``store:<id>:peak_shelf`` (peak shelf stock / shelf capacity) and
        ``store:<id>:fill_rate``; ``node:<id>:peak`` (peak stock / capacity) and
        ``node:<id>:overflow`` (kg that found it full) and ``node:<id>:refused`` (kg it
        turned away), both as shares of the kg harvested;
        ``leg:<id>:utilisation`` (share of the fleet's hours on trips) and
        ``leg:<id>:load_factor`` (mean load / vehicle capacity).
    """
    harvested = run.kpis["harvested_kg"]
    out: dict[str, float] = {}
    for market_id, market in run.by_market.items():
        if "shelf_capacity_kg" in market:
            out[f"store:{market_id}:peak_shelf"] = _ratio(
                market["peak_shelf_kg"], market["shelf_capacity_kg"]
            )
            out[f"store:{market_id}:fill_rate"] = market["fill_rate"]
    for node_id, node in run.by_node.items():
        out[f"node:{node_id}:peak"] = _ratio(node["peak_stock_kg"], node["capacity_kg"])
        out[f"node:{node_id}:overflow"] = _ratio(node["overflow_kg"], harvested)
        out[f"node:{node_id}:refused"] = _ratio(node.get("refused_kg", 0.0), harvested)
    for leg_id, leg in run.by_leg.items():
        out[f"leg:{leg_id}:utilisation"] = leg["utilisation"]
        out[f"leg:{leg_id}:load_factor"] = leg["load_factor"]
    return out
