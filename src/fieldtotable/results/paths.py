"""KPI keys and dotted breakdown paths: their values in a run, their units, their checks.

A KPI is a key of :data:`~fieldtotable.KPI_DEFINITIONS` (``"sold_kg"``) or a dotted
path into a breakdown of a :class:`~fieldtotable.RunResult`
(``"by_product.matsutake.spoilage_rate"``, ``"by_leg.a.load_factor"``,
``"by_node.shanghai_dc.peak_stock_kg"``, ``"spoiled_kg_by_stage.transit"``).
Experiments summarise either kind, exports and figures label them with these units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from fieldtotable.model.lot import STAGES
from fieldtotable.results.fields import (
    KPI_DEFINITIONS,
    LEG_METRIC_DEFINITIONS,
    NODE_METRIC_DEFINITIONS,
    PRODUCT_KPIS,
)
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.schema import Scenario

__all__ = ["BREAKDOWNS", "kpi_unit", "kpi_value", "unknown_kpis"]

#: The breakdowns of a run that a dotted path may name.
BREAKDOWNS = ("by_product", "by_leg", "by_node", "spoiled_kg_by_stage")


def _breakdown_units() -> dict[str, dict[str, str]]:
    """Per breakdown, metric key -> unit."""
    return {
        "by_product": {
            **{key: KPI_DEFINITIONS[key][0] for key in PRODUCT_KPIS},
            **{f"spoiled_kg_{stage}": "kg" for stage in STAGES},
        },
        "by_leg": {key: unit for key, (unit, _) in LEG_METRIC_DEFINITIONS.items()},
        "by_node": {key: unit for key, (unit, _) in NODE_METRIC_DEFINITIONS.items()},
    }


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
    if key in KPI_DEFINITIONS:
        return KPI_DEFINITIONS[key][0]
    part, _, rest = key.partition(".")
    if part == "spoiled_kg_by_stage":
        return "kg"
    metric = rest.rpartition(".")[2]
    return _breakdown_units().get(part, {}).get(metric, "")


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
    units = _breakdown_units()
    entities: Mapping[str, tuple[set[str], set[str]]] = {
        "by_product": (set(scenario.products), set(units["by_product"])),
        "by_leg": (set(scenario.legs), set(units["by_leg"])),
        "by_node": (set(scenario.collection_points) | set(scenario.hubs), set(units["by_node"])),
    }
    bad: list[str] = []
    for key in keys:
        if key in KPI_DEFINITIONS:
            continue
        part, _, rest = key.partition(".")
        if part == "spoiled_kg_by_stage":
            if rest not in STAGES:
                bad.append(f"{key} (stages: {', '.join(STAGES)})")
            continue
        if part not in entities:
            bad.append(f"{key} (a key of KPI_DEFINITIONS, or a path under {', '.join(BREAKDOWNS)})")
            continue
        entity, _, metric = rest.rpartition(".")
        known, metrics = entities[part]
        if entity not in known:
            bad.append(f"{key} ({part} ids: {', '.join(sorted(known)) or 'none'})")
        elif metric not in metrics:
            bad.append(f"{key} ({part} metrics: {', '.join(sorted(metrics))})")
    return bad
