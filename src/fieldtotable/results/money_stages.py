"""The channel's cost by stage: where along the channel each yuan of cost is spent.

A run's cost lines (:data:`~fieldtotable.model.money.COST_LINES`) say *what* was
paid; the stages say *where*. The result keeps each line as one channel total, so the
stages are built from the lines and from the scenario's capacities and yearly costs,
which are charged in full whatever the activity (the allocation of
:mod:`fieldtotable.model.money` moves them between products and markets, not between
stages):

``farm_gate``
    purchase: what the producers are paid for every kg harvested.
``collection`` (Diqing: grading, packing, pre-cooling)
    handling + packaging, plus the capital (cold rooms, pre-coolers) and
    fixed costs of the collection points. Handling also holds the hubs' receiving
    cost, which the result does not keep apart (a few tenths of a yuan per kg
    against several yuan of grading and packing per kg of matsutake).
``transport``
    transport (the legs' trip costs) plus the capital of the fleets' vehicles.
``hubs`` (hubs and storage)
    storage (electricity of every store, collection points' cold rooms included, and
    rent) plus the capital and fixed costs of the hubs and of the places of any
    other kind.
``market``
    the capital of the shops' shelves and the markets' fixed costs.

Every line is in exactly one stage, so the stages add up to ``total_cost_cny``, and
divided by ``sold_kg`` to ``total_cost_per_kg_sold_cny`` (to rounding). The collection
points' capital and fixed costs are what is left of those lines after the other
stages' parts, so the sum is exact even where a scenario's capacities are not what
the run was built with.

:func:`fieldtotable.simulate` keeps the split in
:attr:`~fieldtotable.RunResult.cost_cny_by_stage`, so that exports and experiments
have it without the scenario; :func:`stage_costs` reads it there, or computes it for a
run stored before the field existed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from fieldtotable.model.money import DAYS_PER_YEAR, annual_charge
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.nodes import markets, places
from fieldtotable.scenario.schema import Scenario

__all__ = [
    "COST_STAGES",
    "COST_STAGE_DEFINITIONS",
    "COST_STAGE_LABELS",
    "cost_by_stage",
    "cost_per_kg_by_stage",
    "stage_costs",
    "stage_costs_per_kg",
]

COST_STAGES = ("farm_gate", "collection", "transport", "hubs", "market")
"""The stages of the channel's cost, in order along the channel."""

COST_STAGE_LABELS = {
    "farm_gate": "farm gate (purchase from producers)",
    "collection": "collection (handling, packaging, collection points)",
    "transport": "transport (trips and vehicles)",
    "hubs": "hubs and storage (energy, rent, hubs)",
    "market": "market (shelves, market fixed costs)",
}
"""What each stage holds, in a few words."""

COST_STAGE_DEFINITIONS = {
    "farm_gate": "purchase_cost_cny: what producers are paid for every kg harvested",
    "collection": "handling_cost_cny + packaging_cost_cny + the collection points' capital"
    " (cold rooms, pre-coolers) and fixed costs (the rest of capital_cost_cny and"
    " fixed_cost_cny after the other stages' parts); handling includes the hubs' receiving",
    "transport": "transport_cost_cny + the capital of the legs' vehicles",
    "hubs": "storage_cost_cny (electricity of every store, rent) + the capital and fixed"
    " costs of hubs and of places of other kinds",
    "market": "the capital of the shops' shelves + the markets' fixed costs",
}
"""Which cost lines, or parts of them, each stage holds (they add up to total_cost_cny)."""


def _scenario_parts(result: RunResult, scenario: Scenario) -> dict[str, dict[str, float]]:
    """Return the capital and fixed cost of the transport, hub and market stages."""
    years = (result.horizon_days - result.warmup_days) / DAYS_PER_YEAR
    rate = scenario.finance.discount_rate
    parts = {stage: {"capital": 0.0, "fixed": 0.0} for stage in ("transport", "hubs", "market")}
    for leg in scenario.legs.values():
        parts["transport"]["capital"] += (
            annual_charge(leg.vehicle_capital, float(leg.fleet), rate) * years
        )
    for node_id, (kind, config) in places(scenario).items():
        if kind.kind == "collection_point":
            continue
        capacity = result.by_node.get(node_id, {}).get("capacity_kg", 0.0)
        capacity = capacity if math.isfinite(capacity) else 0.0
        for name in ("cold_room_capital", "storage_capital"):
            annual = annual_charge(getattr(config, name, None), capacity, rate)
            parts["hubs"]["capital"] += annual * years
        precooling = getattr(config, "precooling", None)
        if precooling is not None:
            annual = annual_charge(precooling.capital, float(precooling.units), rate)
            parts["hubs"]["capital"] += annual * years
        parts["hubs"]["fixed"] += getattr(config, "fixed_cny_per_year", 0.0) * years
    for _kind, config in markets(scenario).values():
        shelf_kg = getattr(config, "shelf_capacity_kg", 0.0)
        annual = annual_charge(getattr(config, "shelf_capital", None), shelf_kg, rate)
        parts["market"]["capital"] += annual * years
        parts["market"]["fixed"] += config.fixed_cny_per_year * years
    return parts


def cost_by_stage(result: RunResult, scenario: Scenario) -> dict[str, float]:
    """Return the run's total cost split into the stages of :data:`COST_STAGES`.

    Parameters
    ----------
    result
        A finished run.
    scenario
        The scenario it ran (as run: after overrides).

    Returns
    -------
    dict of str to float
        CNY per stage (see the module docstring); the values add up to
        ``result.kpis["total_cost_cny"]`` to rounding.
    """
    k: Mapping[str, float] = result.kpis
    parts = _scenario_parts(result, scenario)
    others_capital = sum(part["capital"] for part in parts.values())
    others_fixed = sum(part["fixed"] for part in parts.values())
    return {
        "farm_gate": k["purchase_cost_cny"],
        "collection": k["handling_cost_cny"]
        + k["packaging_cost_cny"]
        + (k["capital_cost_cny"] - others_capital)
        + (k["fixed_cost_cny"] - others_fixed),
        "transport": k["transport_cost_cny"] + parts["transport"]["capital"],
        "hubs": k["storage_cost_cny"] + parts["hubs"]["capital"] + parts["hubs"]["fixed"],
        "market": parts["market"]["capital"] + parts["market"]["fixed"],
    }


def cost_per_kg_by_stage(result: RunResult, scenario: Scenario) -> dict[str, float]:
    """Return :func:`cost_by_stage` per kg sold (NaN when nothing was sold).

    Parameters
    ----------
    result
        A finished run.
    scenario
        The scenario it ran.

    Returns
    -------
    dict of str to float
        CNY per kg sold per stage; they add up to
        ``result.kpis["total_cost_per_kg_sold_cny"]`` to rounding.
    """
    return _per_kg_sold(result, cost_by_stage(result, scenario))


def stage_costs(result: RunResult, scenario: Scenario | None = None) -> dict[str, float]:
    """Return the run's cost by stage as it carries it, or computed from its scenario.

    Parameters
    ----------
    result
        A finished run.
    scenario
        The scenario it ran, used only when the run has no
        :attr:`~fieldtotable.RunResult.cost_cny_by_stage` (stored before the field
        existed).

    Returns
    -------
    dict of str to float
        CNY per stage of :data:`COST_STAGES`, in that order; NaN for every stage when
        the run has no split and no scenario is given.
    """
    if result.cost_cny_by_stage:
        return {stage: result.cost_cny_by_stage.get(stage, math.nan) for stage in COST_STAGES}
    if scenario is not None:
        return cost_by_stage(result, scenario)
    return dict.fromkeys(COST_STAGES, math.nan)


def stage_costs_per_kg(result: RunResult, scenario: Scenario | None = None) -> dict[str, float]:
    """Return :func:`stage_costs` per kg sold (NaN when nothing was sold).

    Parameters
    ----------
    result, scenario
        As for :func:`stage_costs`.

    Returns
    -------
    dict of str to float
        CNY per kg sold per stage of :data:`COST_STAGES`.
    """
    return _per_kg_sold(result, stage_costs(result, scenario))


def _per_kg_sold(result: RunResult, costs: Mapping[str, float]) -> dict[str, float]:
    sold = result.kpis["sold_kg"]
    return {stage: cost / sold if sold > 0 else math.nan for stage, cost in costs.items()}
