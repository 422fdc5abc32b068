"""The unit of work of every experiment: one replication of one configuration.

:func:`run_one` is a top-level function, so that process pools and Dask workers can
import it by name. It never raises: a run that fails comes back as a
:class:`~fieldtotable.experiment.errors.RunFailure` naming its point and seed, so
that one failing run does not lose the others.

The module also reads KPI values out of a :class:`~fieldtotable.RunResult`: a key of
:data:`~fieldtotable.KPI_DEFINITIONS` (``"sold_kg"``), or a dotted path into a
breakdown (``"by_product.matsutake.spoilage_rate"``, ``"by_leg.a.load_factor"``,
``"by_node.shanghai_dc.peak_stock_kg"``, ``"spoiled_kg_by_stage.transit"``).
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Sequence
from dataclasses import dataclass

from fieldtotable.experiment.errors import ExperimentError, RunFailure
from fieldtotable.model.lot import STAGES
from fieldtotable.results import KPI_DEFINITIONS, PRODUCT_KPIS, RunResult
from fieldtotable.scenario.schema import Scenario
from fieldtotable.simulation import simulate

__all__ = ["RunSpec", "check_kpis", "kpi_unit", "kpi_value", "run_one"]

#: Metrics of :attr:`RunResult.by_leg` with their units.
LEG_METRICS: dict[str, str] = {
    "trips": "count",
    "kg_carried": "kg",
    "mean_load_kg": "kg",
    "load_factor": "fraction",
    "tonne_km": "t·km",
    "cost_cny": "CNY",
    "co2_kg": "kg",
    "utilisation": "fraction",
    "closed_h": "h",
}
#: Metrics of :attr:`RunResult.by_node` with their units (the last two: collection points).
NODE_METRICS: dict[str, str] = {
    "peak_stock_kg": "kg",
    "capacity_kg": "kg",
    "overflow_kg": "kg",
    "precooled_lots": "count",
    "mean_precooling_wait_h": "h",
}
_PRODUCT_METRICS: dict[str, str] = {
    **{key: KPI_DEFINITIONS[key][0] for key in PRODUCT_KPIS},
    **{f"spoiled_kg_{stage}": "kg" for stage in STAGES},
}
_BREAKDOWNS = ("by_product", "by_leg", "by_node", "spoiled_kg_by_stage")


@dataclass(frozen=True)
class RunSpec:
    """Which run to do (the scenario travels beside it, once per worker where possible).

    Attributes
    ----------
    point
        Index of the configuration in the experiment.
    label
        The configuration in words, for error messages.
    seed
        The experiment's seed.
    replication
        The replication index.
    """

    point: int
    label: str
    seed: int
    replication: int


def run_one(scenario: Scenario, spec: RunSpec) -> RunResult | RunFailure:
    """Simulate replication ``spec.replication`` of ``scenario`` with seed ``spec.seed``.

    Parameters
    ----------
    scenario
        The configuration.
    spec
        Point, seed and replication.

    Returns
    -------
    RunResult or RunFailure
        ``simulate(scenario, spec.seed, replication=spec.replication)``, or the
        exception it raised, with its traceback, as a :class:`RunFailure`.
    """
    try:
        return simulate(scenario, spec.seed, replication=spec.replication)
    except Exception as exc:  # reported with its point and seed
        return RunFailure(
            point=spec.point,
            label=spec.label,
            seed=spec.seed,
            replication=spec.replication,
            error_type=type(exc).__name__,
            message=str(exc),
            traceback=traceback.format_exc(),
        )


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
    """Return the unit of a KPI key or breakdown path (``""`` when unknown)."""
    if key in KPI_DEFINITIONS:
        return KPI_DEFINITIONS[key][0]
    part, _, rest = key.partition(".")
    if part == "spoiled_kg_by_stage":
        return "kg"
    metric = rest.rpartition(".")[2]
    units = {"by_product": _PRODUCT_METRICS, "by_leg": LEG_METRICS, "by_node": NODE_METRICS}
    return units.get(part, {}).get(metric, "")


def check_kpis(keys: Sequence[str], scenario: Scenario) -> tuple[str, ...]:
    """Check KPI keys against a scenario before anything runs.

    Parameters
    ----------
    keys
        KPI keys or breakdown paths (see :func:`kpi_value`).
    scenario
        The scenario whose products, legs and nodes the paths may name.

    Returns
    -------
    tuple of str
        The keys, duplicates removed, in order.

    Raises
    ------
    ExperimentError
        Naming every key that is not a KPI of this scenario.
    """
    if isinstance(keys, str):
        keys = (keys,)
    entities: dict[str, tuple[set[str], set[str]]] = {
        "by_product": (set(scenario.products), set(_PRODUCT_METRICS)),
        "by_leg": (set(scenario.legs), set(LEG_METRICS)),
        "by_node": (set(scenario.collection_points) | set(scenario.hubs), set(NODE_METRICS)),
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
            bad.append(
                f"{key} (a key of KPI_DEFINITIONS, or a path under {', '.join(_BREAKDOWNS)})"
            )
            continue
        entity, _, metric = rest.rpartition(".")
        known, metrics = entities[part]
        if entity not in known:
            bad.append(f"{key} ({part} ids: {', '.join(sorted(known)) or 'none'})")
        elif metric not in metrics:
            bad.append(f"{key} ({part} metrics: {', '.join(sorted(metrics))})")
    if bad:
        raise ExperimentError("unknown KPI: " + "; ".join(bad))
    return tuple(dict.fromkeys(keys))
