"""A run's results as exact numbers and digests, to tell whether a change altered them.

``python tests/model/run_fingerprint.py OUT.json`` run against a checkout (its
``src`` first on ``PYTHONPATH``) writes the fingerprints of :data:`RUNS` there;
``tests/data/fingerprints_before_overload.json`` was written so from commit 26f51dc
(main before overload policies). Only the keys that existed then are compared, so
that KPIs added since do not count as a change.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from fieldtotable import RunResult, load_scenario, simulate

#: (scenario file under ``scenarios/``, seed) of the runs fingerprinted.
RUNS = (("baseline_2023.yaml", 7), ("minimal.yaml", 7), ("scale_10x.yaml", 7))


#: Keys of the breakdowns digested whole that were added after the stored fingerprints
#: (left out when comparing with them, as KPIs added since are).
ADDED_SINCE: dict[str, frozenset[str]] = {
    "by_leg": frozenset({"rerouted_kg"}),
    "by_market": frozenset(),
    "daily": frozenset({"damaged_kg"}),
}


def _without_added(table: dict[str, Any], section: str) -> dict[str, Any]:
    """``table`` (entity -> values, or series by key) without keys added since."""
    added = ADDED_SINCE[section]
    if section == "daily":
        return {key: series for key, series in table.items() if key not in added}
    return {
        entity: {key: value for key, value in values.items() if key not in added}
        for entity, values in table.items()
    }


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=repr, allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(result: RunResult, keys: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Return a run's KPIs (exact, as ``repr``) and digests of its breakdowns.

    Parameters
    ----------
    result
        The run.
    keys
        Per breakdown (``kpis``, ``by_product``, ``by_node``), the keys to keep (all
        when ``None``).

    Returns
    -------
    dict
        ``keys`` (the keys kept), ``kpis``, and a digest per breakdown.
    """
    kept = keys or {
        "kpis": list(result.kpis),
        "by_product": list(next(iter(result.by_product.values()))),
        "by_node": sorted({key for stats in result.by_node.values() for key in stats}),
    }

    def only(mapping: dict[str, float], names: list[str]) -> dict[str, float]:
        return {name: mapping[name] for name in names if name in mapping}

    return {
        "keys": kept,
        "kpis": {key: repr(result.kpis[key]) for key in kept["kpis"]},
        "by_product": _digest(
            {p: only(values, kept["by_product"]) for p, values in result.by_product.items()}
        ),
        "by_node": _digest(
            {n: only(values, kept["by_node"]) for n, values in result.by_node.items()}
        ),
        "by_market": _digest(
            result.by_market if keys is None else _without_added(result.by_market, "by_market")
        ),
        "by_leg": _digest(
            result.by_leg if keys is None else _without_added(result.by_leg, "by_leg")
        ),
        "spoiled_kg_by_stage": _digest(result.spoiled_kg_by_stage),
        "daily": _digest(result.daily if keys is None else _without_added(result.daily, "daily")),
        "losses": _digest([repr(loss) for loss in result.losses]),
    }


def run_all(scenarios: Path) -> dict[str, Any]:
    """Return the fingerprint of every run of :data:`RUNS`, by scenario file name."""
    return {
        name: fingerprint(simulate(load_scenario(scenarios / name), seed=seed))
        for name, seed in RUNS
    }


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    Path(sys.argv[1]).write_text(json.dumps(run_all(root / "scenarios"), indent=1) + "\n")
