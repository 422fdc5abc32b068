"""Run records: one finished run as JSON, with the hashes that vouch for it.

A record is what the run store (:mod:`fieldtotable.experiment.store`) keeps of one
run::

    {"format": "fieldtotable-experiment/1",
     "scenario_hash": "...", "seed": 0, "replication": 3,
     "inputs_sha256": "...",      # sha256 of the canonical JSON of the four fields above
     "result": {...},             # run_to_data(result)
     "sha256": "..."}             # sha256 of the canonical JSON of everything else

The inputs hash names what determines the run (the scenario, through its own hash,
the seed and the replication); the content hash covers the whole record, the result
and the inputs hash included. Both are hashes of canonical JSON
(:func:`~fieldtotable.scenario.hashing.canonical_json`: sorted keys, no spaces),
which reading a record back and writing it again reproduces exactly (floats are
written in their shortest exact form). :func:`check_record` refuses a record whose
content does not match its hash (edited by hand, damaged), that has no hash (written
by a version before hashes), or that belongs to other inputs; the store then runs
that replication again. The hashes guard against mistakes and damage, not against
someone who recomputes them on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Mapping
from typing import Any

from fieldtotable.results.run import Loss, RunResult
from fieldtotable.scenario.hashing import canonical_json

__all__ = [
    "FORMAT",
    "RecordError",
    "check_record",
    "inputs_hash",
    "make_record",
    "run_from_data",
    "run_to_data",
]

FORMAT = "fieldtotable-experiment/1"
"""Format tag of manifests and run records."""

_FLOAT_MAPS = ("kpis", "spoiled_kg_by_stage")
_FLOAT_TABLES = ("by_product", "by_leg", "by_node", "by_market")


# --- run results as JSON ----------------------------------------------------------------


def _encode(value: float) -> float | str | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _decode(value: float | str | None) -> float:
    if value is None:
        return math.nan
    return float(value)


def run_to_data(result: RunResult) -> dict[str, Any]:
    """Return a run as JSON-compatible data that :func:`run_from_data` restores exactly.

    NaN is written as ``null`` and infinities as ``"inf"`` / ``"-inf"``; the flow
    log is not kept.

    Parameters
    ----------
    result
        The run.

    Returns
    -------
    dict
        The run's fields as plain data.
    """
    return {
        "scenario_name": result.scenario_name,
        "seed": result.seed,
        "replication": result.replication,
        "horizon_days": result.horizon_days,
        "warmup_days": result.warmup_days,
        "start_date": None if result.start_date is None else result.start_date.isoformat(),
        **{name: {k: _encode(v) for k, v in getattr(result, name).items()} for name in _FLOAT_MAPS},
        **{
            name: {
                entity: {k: _encode(v) for k, v in values.items()}
                for entity, values in getattr(result, name).items()
            }
            for name in _FLOAT_TABLES
        },
        "daily": {key: [_encode(v) for v in series] for key, series in result.daily.items()},
        "remaining_at_sale": {
            key: [_encode(v) for v in counts] for key, counts in result.remaining_at_sale.items()
        },
        "events_processed": result.events_processed,
        "losses": [
            [loss.fate, loss.stage, loss.node, loss.reason, loss.product, _encode(loss.kg)]
            for loss in result.losses
        ],
        "cost_cny_by_stage": {k: _encode(v) for k, v in result.cost_cny_by_stage.items()},
        **({"weather": result.weather} if result.weather else {}),
        # Only with uncertain parameters: other records stay as they were.
        **({"parameters": dict(result.parameters)} if result.parameters else {}),
        "wall_time_s": result.wall_time_s,
    }


def run_from_data(data: Mapping[str, Any]) -> RunResult:
    """Rebuild a :class:`RunResult` from :func:`run_to_data`'s data.

    Parameters
    ----------
    data
        What :func:`run_to_data` returned (read back from JSON).

    Returns
    -------
    RunResult
        The run, equal to the one written.

    Raises
    ------
    KeyError, TypeError, ValueError
        If the data is not such a record.
    """
    return RunResult(
        scenario_name=str(data["scenario_name"]),
        seed=int(data["seed"]),
        replication=None if data["replication"] is None else int(data["replication"]),
        horizon_days=int(data["horizon_days"]),
        warmup_days=int(data["warmup_days"]),
        kpis={k: _decode(v) for k, v in data["kpis"].items()},
        spoiled_kg_by_stage={k: _decode(v) for k, v in data["spoiled_kg_by_stage"].items()},
        by_product=_table(data["by_product"]),
        by_leg=_table(data["by_leg"]),
        by_node=_table(data["by_node"]),
        by_market=_table(data["by_market"]),
        daily={key: [_decode(v) for v in series] for key, series in data["daily"].items()},
        remaining_at_sale={
            key: [_decode(v) for v in counts] for key, counts in data["remaining_at_sale"].items()
        },
        events_processed=int(data["events_processed"]),
        flows=None,
        # Stores written before the field existed have no start date.
        start_date=(
            None if data.get("start_date") is None else dt.date.fromisoformat(data["start_date"])
        ),
        # Stores written before the field existed have no losses.
        losses=tuple(
            Loss(str(fate), str(stage), str(node), str(reason), str(product), _decode(kg))
            for fate, stage, node, reason, product, kg in data.get("losses", ())
        ),
        # Stores written before the field existed have no stage split of the cost.
        cost_cny_by_stage={k: _decode(v) for k, v in data.get("cost_cny_by_stage", {}).items()},
        # Only runs with a varying climate record their weather (finite numbers only).
        weather={str(region): dict(drawn) for region, drawn in data.get("weather", {}).items()},
        parameters={
            str(k): v if isinstance(v, int) else float(v)
            for k, v in data.get("parameters", {}).items()
        },
        wall_time_s=float(data["wall_time_s"]),
    )


def _table(data: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    return {entity: {k: _decode(v) for k, v in values.items()} for entity, values in data.items()}


# --- records and their hashes ----------------------------------------------------------


class RecordError(ValueError):
    """A run record that cannot be trusted; ``str(error)`` says why in a few words."""


def _sha256(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def inputs_hash(scenario_hash: str, seed: int, replication: int) -> str:
    """Return the sha256 of what determines a run: scenario, seed and replication.

    Parameters
    ----------
    scenario_hash
        :func:`~fieldtotable.scenario.hashing.scenario_hash` of its scenario.
    seed
        The experiment's seed.
    replication
        The replication index.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    return _sha256(
        {
            "format": FORMAT,
            "scenario_hash": scenario_hash,
            "seed": seed,
            "replication": replication,
        }
    )


def make_record(
    scenario_hash: str, seed: int, replication: int, result: RunResult
) -> dict[str, Any]:
    """Return the record of one run, with its inputs hash and content hash.

    Parameters
    ----------
    scenario_hash, seed, replication
        The run's inputs.
    result
        The run.

    Returns
    -------
    dict
        JSON-compatible data (see the module docstring).
    """
    record: dict[str, Any] = {
        "format": FORMAT,
        "scenario_hash": scenario_hash,
        "seed": seed,
        "replication": replication,
        "inputs_sha256": inputs_hash(scenario_hash, seed, replication),
        "result": run_to_data(result),
    }
    record["sha256"] = _sha256(record)
    return record


def check_record(data: Any, scenario_hash: str, seed: int, replication: int) -> RunResult:
    """Return the run a record holds, if the record is intact and of these inputs.

    Parameters
    ----------
    data
        A record as read back from JSON.
    scenario_hash, seed, replication
        The inputs of the run wanted.

    Returns
    -------
    RunResult
        The run.

    Raises
    ------
    RecordError
        If the record has no content hash (an older version wrote it), its content
        does not match its hash (it was edited or damaged), it is of other inputs,
        or it does not hold a run.
    """
    if not isinstance(data, dict):
        raise RecordError("not a run record")
    if data.get("format") != FORMAT:
        raise RecordError(f"unknown format {data.get('format')!r}, not {FORMAT!r}")
    content = {key: value for key, value in data.items() if key != "sha256"}
    if "sha256" not in data:
        raise RecordError("no content hash (written by an older version)")
    if data["sha256"] != _sha256(content):
        raise RecordError("content does not match its sha256 (edited or damaged)")
    inputs = (data.get("scenario_hash"), data.get("seed"), data.get("replication"))
    if data.get("inputs_sha256") != inputs_hash(scenario_hash, seed, replication) or inputs != (
        scenario_hash,
        seed,
        replication,
    ):
        raise RecordError(
            f"the run of other inputs (not scenario {scenario_hash[:12]}..., seed {seed}, "
            f"replication {replication})"
        )
    try:
        return run_from_data(data["result"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RecordError(f"not a run result ({type(exc).__name__}: {exc})") from None
