"""KPI keys and dotted breakdown paths: their values in a run, their units, their checks.

A KPI is a key of the registry (:data:`~fieldtotable.results.fields.KPIS`:
``"sold_kg"``) or a dotted path into a breakdown of a :class:`~fieldtotable.RunResult`
(``"by_product.matsutake.spoilage_rate"``, ``"by_leg.a.load_factor"``,
``"by_node.shanghai_dc.peak_stock_kg"``, ``"by_market.shop.fill_rate"``,
``"spoiled_kg_by_stage.transit"``).
Experiments summarise either kind, exports and figures label them with these units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from fieldtotable.model.lot import STAGES
from fieldtotable.results.fields import KPIS, field_of, section
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.nodes import markets, places
from fieldtotable.scenario.schema import Scenario

__all__ = ["BREAKDOWNS", "kpi_unit", "kpi_value", "unknown_kpis"]

#: The breakdowns of a run that a dotted path may name.
BREAKDOWNS = ("by_product", "by_leg", "by_node", "by_market", "spoiled_kg_by_stage")


def kpi_value(result: RunResult, key: str) -> float:
    """Return one KPI of a run: a key of ``result.kpis`` or a dotted breakdown path.

    Parameters
    ----------
    result
        A finished run.
    key
        ``"sold_kg"``, ``"by_product.matsutake.sold_kg"``, ``"by_leg.a.trips"``,
        ``"by_node.cp.peak_stock_kg"``, ``"spoiled_kg_by_stage.transit"``.

    Returns
    -------
    float
        The value; NaN when the breakdown has no such entry (a node metric that only
        collection points have).
    """
    value = result.kpis.get(key)
    if value is not None:
        return value
    part, _, rest = key.partition(".")
    if part == "spoiled_kg_by_stage":
        return result.spoiled_kg_by_stage.get(rest, math.nan)
    table: dict[str, dict[str, float]] = getattr(result, part)
    entity, _, metric = rest.rpartition(".")
    return table.get(entity, {}).get(metric, math.nan)


def kpi_unit(key: str) -> str:
    """Return the unit of a KPI key or breakdown path (``""`` when unknown).

    Parameters
    ----------
    key
        A KPI key or a dotted breakdown path.

    Returns
    -------
    str
        ``"kg"``, ``"fraction"``, ...; ``""`` for a key the registry does not know.
    """
    found = field_of(key)
    return "" if found is None else found.unit


def unknown_kpis(keys: Sequence[str], scenario: Scenario) -> list[str]:
    """Return what is wrong with each key that is not a KPI of ``scenario``.

    Parameters
    ----------
    keys
        KPI keys or breakdown paths (see :func:`kpi_value`).
    scenario
        The scenario whose products, legs and nodes the paths may name.

    Returns
    -------
    list of str
        One text per unknown key, naming the key and what it could be; empty when
        every key is known.
    """
    entities: Mapping[str, set[str]] = {
        "by_product": set(scenario.products),
        "by_leg": set(scenario.legs),
        "by_node": set(places(scenario)),
        "by_market": set(markets(scenario)),
    }
    bad: list[str] = []
    for key in keys:
        if key in KPIS:
            continue
        part, _, rest = key.partition(".")
        if part == "spoiled_kg_by_stage":
            if rest not in STAGES:
                bad.append(f"{key} (stages: {', '.join(STAGES)})")
            continue
        if part not in entities:
            bad.append(f"{key} (a key of KPI_DEFINITIONS, or a path under {', '.join(BREAKDOWNS)})")
            continue
        entity = rest.rpartition(".")[0]
        known = entities[part]
        if entity not in known:
            bad.append(f"{key} ({part} ids: {', '.join(sorted(known)) or 'none'})")
        elif field_of(key) is None:
            metrics = [*section(part)]
            if part == "by_product":
                metrics = [m for m in metrics if m != "spoiled_kg_<stage>"]
                metrics += [f"spoiled_kg_{stage}" for stage in STAGES]
            bad.append(f"{key} ({part} metrics: {', '.join(sorted(metrics))})")
    return bad
