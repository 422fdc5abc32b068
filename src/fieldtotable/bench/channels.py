"""The canonical channel study: scale x mode x overload policy, with replications and CRN.

Configurations: the 2023 channel at every scale from 1x to 10x (``scale``, as in
``scenarios/scale_*x.yaml``) x four ways to move the goods (:data:`VARIANTS`, each
a scenario file of ``scenarios/``: the baseline's road legs, trucks that wait for
full loads, rail containers on the long leg, matsutake flown direct) under the
realistic overload policies (full stores refuse upstream and serve the most
perishable lots first, :data:`OVERLOADS`), plus the 2023 road configuration as its
file has it (goods wait outside full stores) for reference; FEFO issuing in every
Shanghai market, or FIFO and FEFO (:data:`ISSUING`). Every configuration runs the
same replications with the same random streams (common random numbers,
:func:`fieldtotable.experiment.compare`), so differences between configurations are
paired replication by replication.

Per configuration the study estimates (mean and Student-t interval) the metrics of
:data:`METRICS` -- throughput, sales value, profit, spoilage rate and its split by
stage, damaged and refused kg, fill rate, transport cost and CO2 per kg sold,
remaining shelf life at sale -- and the
capacity indicators of every store, node and leg (:func:`capacity_indicators`:
what binds as the channel scales). :mod:`fieldtotable.bench.report` writes the
tables and the figure.

This module runs the study and holds its result; the configurations are built in
:mod:`fieldtotable.bench.variants` and the metrics read in
:mod:`fieldtotable.bench.metrics`, both re-exported here.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fieldtotable.bench.metrics import METRICS, Metric, capacity_indicators
from fieldtotable.bench.variants import (
    ISSUING,
    LOCAL_PRICES_CNY_PER_KG,
    OVERLOADS,
    SCALES,
    VARIANTS,
    Configuration,
    Variant,
    channel_configurations,
    find_scenarios_dir,
    overload_overrides,
)
from fieldtotable.experiment import ComparisonResult, compare
from fieldtotable.experiment.engine import store_argument
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.statistics import Difference, Estimate, estimate, paired_difference
from fieldtotable.results import RunResult

__all__ = [
    "DEFAULT_N",
    "ISSUING",
    "LOCAL_PRICES_CNY_PER_KG",
    "METRICS",
    "OVERLOADS",
    "SCALES",
    "VARIANTS",
    "ChannelStudyResult",
    "Configuration",
    "Metric",
    "Variant",
    "capacity_indicators",
    "channel_configurations",
    "find_scenarios_dir",
    "overload_overrides",
    "run_channel_study",
]

DEFAULT_N = 20
"""Replications per configuration: the 50 configurations take 4-10 minutes on 2 cores
(process executor, 2 workers; docs/benchmarks.md), under the 15-minute budget."""


@dataclass(frozen=True, eq=False)
class ChannelStudyResult:
    """The channel study's estimates.

    Attributes
    ----------
    configurations
        The configurations, in study order.
    n, seed, confidence
        Replications per configuration, the experiment's seed, the intervals' level.
    estimates
        Per configuration name, per :attr:`Metric.key`, the :class:`Estimate`.
    capacity
        Per configuration name, per :func:`capacity_indicators` key, the mean over
        the replications.
    spoilage_vs_best
        Per scale, per configuration at that scale, the paired difference (common
        random numbers) of its spoilage rate minus that of the scale's lowest-
        spoilage configuration (the best has a difference of 0).
    comparison
        The underlying :class:`~fieldtotable.experiment.ComparisonResult` (runs included).
    scenarios_dir
        Where the variant files were read.
    wall_time_s
        Seconds the study took.
    """

    configurations: tuple[Configuration, ...]
    n: int
    seed: int
    confidence: float
    estimates: dict[str, dict[str, Estimate]]
    capacity: dict[str, dict[str, float]]
    spoilage_vs_best: dict[float, dict[str, Difference]]
    comparison: ComparisonResult = field(repr=False)
    scenarios_dir: Path
    wall_time_s: float = 0.0

    def best(self, scale: float, metric: str = "spoilage_rate") -> str:
        """Return the configuration with the lowest mean ``metric`` at ``scale``.

        Parameters
        ----------
        scale
            One of :attr:`scales`.
        metric
            A metric key of :data:`METRICS` (default: ``spoilage_rate``).

        Returns
        -------
        str
            The configuration's name (configurations whose mean is undefined are
            passed over unless all are).
        """
        return _lowest(self.configurations, self.estimates, scale, metric)

    @property
    def scales(self) -> tuple[float, ...]:
        """The scales studied, in order."""
        return tuple(dict.fromkeys(c.scale for c in self.configurations))


def _lowest(
    configurations: Sequence[Configuration],
    estimates: dict[str, dict[str, Estimate]],
    scale: float,
    metric: str,
) -> str:
    names = [c.name for c in configurations if c.scale == scale]
    defined = [name for name in names if not math.isnan(estimates[name][metric].mean)]
    return min(defined or names, key=lambda name: estimates[name][metric].mean)


def _metric_values(runs: Sequence[RunResult], metric: Metric) -> list[float]:
    return [metric.value(run) for run in runs]


def run_channel_study(
    n: int = DEFAULT_N,
    seed: int = 0,
    *,
    scenarios_dir: str | os.PathLike[str] | None = None,
    scales: Sequence[float] = SCALES,
    variants: Sequence[Variant] = VARIANTS,
    issuing: Sequence[str] = ISSUING,
    days: int | None = None,
    workers: int | None = 2,
    executor: str = "process",
    store: str | os.PathLike[str] | None = None,
    confidence: float = 0.95,
    progress: ProgressSetting = None,
    out: str | os.PathLike[str] | None = None,
) -> ChannelStudyResult:
    """Run the channel study.

    Parameters
    ----------
    n
        Replications per configuration (the same ``n`` replications, with the same
        random streams, for every configuration).
    seed
        The experiment's seed.
    scenarios_dir, scales, variants, issuing, days
        The configurations (see :func:`channel_configurations`).
    workers, executor
        Where the runs execute (see :func:`fieldtotable.experiment.compare`); two
        local processes by default.
    store
        A run store folder for the runs as they finish: rerunning the same study
        resumes.
    confidence
        Level of the intervals.
    progress
        Progress bar setting (see :func:`fieldtotable.experiment.replicate`).
    out
        The old name of ``store`` (deprecated; a :class:`DeprecationWarning`).

    Returns
    -------
    ChannelStudyResult
        Estimates, capacity indicators and per-scale paired spoilage differences.
    """
    started = time.perf_counter()
    folder = find_scenarios_dir(scenarios_dir)
    configurations = channel_configurations(
        folder, scales=scales, variants=variants, issuing=issuing, days=days
    )
    comparison = compare(
        {c.name: c.scenario for c in configurations},
        n,
        seed,
        workers=workers,
        executor=executor,
        store=store_argument(store, out),
        kpis=["spoilage_rate"],
        confidence=confidence,
        progress=progress,
    )
    runs = {name: result.runs for name, result in comparison.results.items()}
    estimates = {
        name: {m.key: estimate(_metric_values(runs[name], m), confidence) for m in METRICS}
        for name in runs
    }
    capacity: dict[str, dict[str, float]] = {}
    for name, name_runs in runs.items():
        indicators = [capacity_indicators(run) for run in name_runs]
        keys = dict.fromkeys(key for found in indicators for key in found)
        capacity[name] = {
            key: estimate([found.get(key, math.nan) for found in indicators], confidence).mean
            for key in keys
        }
    spoilage = next(m for m in METRICS if m.key == "spoilage_rate")
    spoilage_vs_best: dict[float, dict[str, Difference]] = {}
    for scale in dict.fromkeys(c.scale for c in configurations):
        lowest = _lowest(configurations, estimates, scale, spoilage.key)
        best = _metric_values(runs[lowest], spoilage)
        spoilage_vs_best[scale] = {
            c.name: paired_difference(_metric_values(runs[c.name], spoilage), best, confidence)
            for c in configurations
            if c.scale == scale
        }
    return ChannelStudyResult(
        configurations=tuple(configurations),
        n=n,
        seed=seed,
        confidence=confidence,
        estimates=estimates,
        capacity=capacity,
        spoilage_vs_best=spoilage_vs_best,
        comparison=comparison,
        scenarios_dir=folder,
        wall_time_s=time.perf_counter() - started,
    )
