"""``compare``: configurations side by side, with common random numbers and paired differences."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence

from fieldtotable.experiment.engine import Engine, Point, check_count, check_seed, open_store
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.results import ComparisonResult, summarize_runs
from fieldtotable.experiment.runs import check_kpis
from fieldtotable.experiment.statistics import check_confidence
from fieldtotable.experiment.store import Manifest, PointRecord, scenario_hash
from fieldtotable.results import KPI_DEFINITIONS
from fieldtotable.scenario.schema import Scenario

__all__ = ["compare"]


def _named(configurations: Mapping[str, Scenario] | Sequence[Scenario]) -> dict[str, Scenario]:
    if isinstance(configurations, Mapping):
        named = dict(configurations)
    else:
        named = {}
        for scenario in configurations:
            if scenario.name in named:
                raise ValueError(
                    f"two configurations are named {scenario.name!r}; pass a mapping of "
                    "distinct names to scenarios"
                )
            named[scenario.name] = scenario
    for name, scenario in named.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"configuration names must be non-empty strings, not {name!r}")
        if not isinstance(scenario, Scenario):
            raise TypeError(f"configuration {name!r} is not a Scenario: {type(scenario).__name__}")
    if len(named) < 2:
        raise ValueError(f"compare needs at least two configurations, got {len(named)}")
    return named


def compare(
    configurations: Mapping[str, Scenario] | Sequence[Scenario],
    n: int = 30,
    seed: int = 0,
    *,
    baseline: str | None = None,
    workers: int | None = None,
    executor: str = "process",
    out: str | os.PathLike[str] | None = None,
    dask_address: str | None = None,
    kpis: Sequence[str] | None = None,
    confidence: float = 0.95,
    progress: ProgressSetting = None,
) -> ComparisonResult:
    """Run configurations with common random numbers; estimate differences to a baseline.

    Replication ``i`` of every configuration is ``simulate(scenario, seed,
    replication=i)``: the same per-component random streams (harvests, transit
    times, demand draw alike wherever the configurations share components), so the
    difference of two configurations in replication ``i`` reflects the
    configuration, not the luck of the draw. Differences are paired replication by
    replication and estimated with a Student-t interval; a difference is marked
    significant when its interval excludes 0.

    Parameters
    ----------
    configurations
        Name -> scenario (at least two), or scenarios named by their ``name``.
    n
        Replications per configuration.
    seed
        The experiment's seed.
    baseline
        The name the others are compared with (default: the first).
    workers, executor, out, dask_address, kpis, confidence, progress
        As for :func:`~fieldtotable.experiment.replicate`.

    Returns
    -------
    ComparisonResult
        Per configuration its estimates; per other configuration and KPI the paired
        difference to the baseline with its interval, p-value and significance.

    Raises
    ------
    ValueError
        For fewer than two configurations, an unknown baseline, a bad ``n``,
        ``seed`` or ``confidence``.
    ExperimentError, StoreMismatchError, RunFailedError
        As for :func:`~fieldtotable.experiment.replicate`.
    """
    started = time.perf_counter()
    named = _named(configurations)
    check_count(n)
    seed = check_seed(seed)
    check_confidence(confidence)
    base = next(iter(named)) if baseline is None else baseline
    if base not in named:
        raise ValueError(f"baseline {base!r} is not among the configurations: {', '.join(named)}")
    keys: tuple[str, ...] = ()
    for scenario in named.values():
        keys = check_kpis(tuple(KPI_DEFINITIONS) if kpis is None else kpis, scenario)
    points = [Point(name, scenario, scenario_hash(scenario)) for name, scenario in named.items()]
    base_point = points[list(named).index(base)]
    manifest = Manifest(
        kind="compare",
        scenario_name=named[base].name,
        scenario_hash=base_point.scenario_hash,
        seed=seed,
        n=n,
        points=tuple(PointRecord(p.label, p.scenario_hash) for p in points),
    )
    with (
        open_store(out, manifest) as store,
        Engine(executor, workers, dask_address, store, progress, "compare") as engine,
    ):
        runs = engine.run(points, range(n), seed)
    results = {
        point.label: summarize_runs(
            point_runs,
            keys,
            scenario_name=point.scenario.name,
            scenario_hash=point.scenario_hash,
            seed=seed,
            confidence=confidence,
        )
        for point, point_runs in zip(points, runs, strict=True)
    }
    return ComparisonResult.build(
        results, base, seed=seed, confidence=confidence, wall_time_s=time.perf_counter() - started
    )
