"""Bigger versions of the baseline, for the growth measurements.

Each function returns a copy of a scenario grown along one axis, everything else
kept: more volume (``scale``), a longer horizon, more producers (each source split
into ``k`` sources sharing its supply, so the kilograms stay the same and the lots
multiply), more markets (the store split into ``k`` stores sharing its demand and
shelf). The copies go through the loader's validation, like any scenario.
"""

from __future__ import annotations

import copy
from typing import Any

from fieldtotable import Scenario, apply_overrides
from fieldtotable.scenario.loader import validate_scenario_data

#: Distribution fields that carry a quantity (scaled when a quantity is split).
_QUANTITY_FIELDS = ("value", "low", "mode", "high", "mean", "sd")


def _data(scenario: Scenario) -> dict[str, Any]:
    data: dict[str, Any] = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def _split(distribution: dict[str, Any], parts: int) -> dict[str, Any]:
    """The distribution of a quantity divided by ``parts`` (CVs unchanged)."""
    out = dict(distribution)
    for name in _QUANTITY_FIELDS:
        if name in out:
            out[name] = out[name] / parts
    if "values" in out:
        out["values"] = [value / parts for value in out["values"]]
    return out


def more_volume(scenario: Scenario, factor: float) -> Scenario:
    """Supply and demand times ``factor`` (the scenario's ``scale``), capacities kept."""
    return apply_overrides(scenario, {"scale": scenario.scale * factor})


def longer(scenario: Scenario, years: int) -> Scenario:
    """The same channel run for ``years`` years."""
    return scenario.with_horizon(365 * years)


def more_producers(scenario: Scenario, parts: int) -> Scenario:
    """Every source split into ``parts`` sources, each with 1/parts of its supply."""
    if parts == 1:
        return scenario
    data = _data(scenario)
    sources: dict[str, Any] = {}
    for source_id, source in data["sources"].items():
        for part in range(parts):
            copy_ = copy.deepcopy(source)
            for supply in copy_["supply"].values():
                supply["kg_per_day"] = _split(supply["kg_per_day"], parts)
            sources[f"{source_id}_{part}"] = copy_
    data["sources"] = sources
    data["name"] = f"{scenario.name}, sources x {parts}"
    return validate_scenario_data(data)


def more_stores(scenario: Scenario, parts: int) -> Scenario:
    """Every store split into ``parts`` stores, each with 1/parts of its demand and shelf."""
    if parts == 1:
        return scenario
    data = _data(scenario)
    markets: dict[str, Any] = {}
    for market_id, market in data["markets"].items():
        if market["kind"] != "store":
            markets[market_id] = market
            continue
        for part in range(parts):
            copy_ = copy.deepcopy(market)
            copy_["shelf_capacity_kg"] = market["shelf_capacity_kg"] / parts
            for demand in copy_["demand"].values():
                demand["customers_per_day"] = _split(demand["customers_per_day"], parts)
            levels = copy_["replenishment"].get("levels")
            for level in (levels or {}).values():
                level["s_kg"] /= parts
                level["S_kg"] /= parts
            markets[f"{market_id}_{part}"] = copy_
    data["markets"] = markets
    data["name"] = f"{scenario.name}, stores x {parts}"
    return validate_scenario_data(data)
