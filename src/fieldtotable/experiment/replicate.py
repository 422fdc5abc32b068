"""``replicate``: independent replications of one scenario, with confidence intervals."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Literal

from fieldtotable.experiment.engine import (
    Engine,
    Point,
    check_count,
    check_seed,
    open_store,
    store_argument,
)
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.results import ExperimentResult, StoppingReport, summarize_runs
from fieldtotable.experiment.runs import check_kpis
from fieldtotable.experiment.statistics import (
    StoppingRule,
    check_confidence,
    estimate,
    next_batch,
    stopping_n,
)
from fieldtotable.experiment.store import Manifest, PointRecord
from fieldtotable.results.fields import KPIS
from fieldtotable.results.paths import kpi_value
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario

__all__ = ["replicate"]


def replicate(
    scenario: Scenario,
    n: int | Literal["auto"] = 30,
    seed: int = 0,
    *,
    workers: int | None = None,
    executor: str = "process",
    store: str | os.PathLike[str] | None = None,
    dask_address: str | None = None,
    kpis: Sequence[str] | None = None,
    confidence: float = 0.95,
    stopping: StoppingRule | None = None,
    progress: ProgressSetting = None,
    out: str | os.PathLike[str] | None = None,
) -> ExperimentResult:
    """Run replications of a scenario; estimate every KPI with a Student-t interval.

    Replication ``i`` is ``simulate(scenario, seed, replication=i)``: its random
    streams come from ``SeedSequence(seed, spawn_key=(i,))``, so replications are
    independent, and the results are the same to the last bit whichever executor
    and number of workers run them.

    Parameters
    ----------
    scenario
        The channel configuration.
    n
        Number of replications, or ``"auto"``: add replications until the KPIs of
        ``stopping`` reach its relative half-width (see
        :class:`~fieldtotable.experiment.statistics.StoppingRule`; by default
        sold_kg and spoilage_rate to +-5 %, 10 to 200 replications).
    seed
        The experiment's seed.
    workers
        Runs at once (processes, or Dask ``LocalCluster`` workers); all usable cores
        when ``None``.
    executor
        ``"serial"``, ``"process"`` or ``"dask"`` (see
        :mod:`fieldtotable.experiment.executors`).
    store
        A run store folder: each finished run is written there as it completes, and
        rerunning the same experiment resumes (see :mod:`fieldtotable.experiment.store`).
        ``out=`` is its old name (deprecated).
    dask_address
        Scheduler of an existing Dask cluster (``executor="dask"``).
    kpis
        KPI keys to estimate (default: every key of
        :data:`~fieldtotable.KPI_DEFINITIONS`); dotted breakdown paths such as
        ``"by_product.matsutake.spoilage_rate"`` are accepted.
    confidence
        Confidence level of the intervals.
    stopping
        The stopping rule of ``n="auto"`` (only with ``"auto"``).
    progress
        Progress bar: ``None`` on stderr when it is a terminal, ``False`` off,
        ``True`` on, or a stream.
    out
        The old name of ``store`` (deprecated; a :class:`DeprecationWarning`).

    Returns
    -------
    ExperimentResult
        Per KPI the mean, standard deviation, interval and half-width; the runs.

    Raises
    ------
    ValueError
        For a bad ``n``, ``seed``, ``confidence`` or ``stopping``.
    ExperimentError
        For an unknown KPI or executor, or Dask missing.
    StoreMismatchError
        If ``store`` holds a different experiment.
    RunFailedError
        If runs raised (each named with its seed and replication); the others finished.
    """
    started = time.perf_counter()
    seed = check_seed(seed)
    auto = n == "auto"
    if auto:
        rule = stopping if stopping is not None else StoppingRule()
    else:
        check_count(n)
        if stopping is not None:
            raise ValueError('a stopping rule needs n="auto"')
        rule = None
    keys = check_kpis((*(KPIS if kpis is None else kpis), *(rule.kpis if rule else ())), scenario)
    check_confidence(confidence)
    digest = scenario_hash(scenario)
    point = Point(scenario.name, scenario, digest)
    manifest = Manifest(
        kind="replicate",
        scenario_name=scenario.name,
        scenario_hash=digest,
        seed=seed,
        n=n,
        points=(PointRecord(scenario.name, digest),),
    )
    with (
        open_store(store_argument(store, out), manifest) as run_store,
        Engine(executor, workers, dask_address, run_store, progress, "replicate") as engine,
    ):
        if rule is None:
            runs = engine.run([point], range(int(n)), seed)[0]
            report = None
        else:
            runs, report = _sequential(engine, point, seed, rule, confidence)
    return summarize_runs(
        runs,
        keys,
        scenario_name=scenario.name,
        scenario_hash=digest,
        seed=seed,
        confidence=confidence,
        stopping=report,
        wall_time_s=time.perf_counter() - started,
    )


def _sequential(
    engine: Engine, point: Point, seed: int, rule: StoppingRule, confidence: float
) -> tuple[list[RunResult], StoppingReport]:
    """Add replications in batches until the rule stops; keep the first ``n`` runs."""
    runs: list[RunResult] = []
    target = rule.n_min
    while True:
        runs += engine.run([point], range(len(runs), target), seed)[0]
        values = {key: [kpi_value(run, key) for run in runs] for key in rule.kpis}
        stop = stopping_n(values, rule, confidence)
        if stop is not None or len(runs) >= rule.n_max:
            break
        target = len(runs) + next_batch(values, rule, confidence, engine.parallel_runs)
    final = stop if stop is not None else rule.n_max
    report = StoppingReport(
        rule=rule,
        reached=stop is not None,
        relative_half_widths={
            key: estimate(values[key][:final], confidence).relative_half_width for key in rule.kpis
        },
        runs_done=len(runs),
    )
    return runs[:final], report
