"""``compare``: configurations side by side, with common random numbers and paired differences."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldtotable.experiment.engine import (
    Engine,
    Point,
    check_count,
    check_seed,
    open_store,
    store_argument,
)
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.results import (
    Comparable,
    ExperimentResult,
    bad_direction,
    summarize_runs,
)
from fieldtotable.experiment.runs import check_kpis
from fieldtotable.experiment.statistics import Difference, check_confidence, paired_difference
from fieldtotable.experiment.store import Manifest, PointRecord
from fieldtotable.experiment.tails import (
    DEFAULT_RESAMPLES,
    BadDirection,
    TailEstimate,
    paired_tail_difference,
)
from fieldtotable.results import presenters
from fieldtotable.results.fields import KPIS
from fieldtotable.results.paths import kpi_unit
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario

__all__ = ["ComparisonResult", "compare"]


@dataclass(frozen=True, eq=False)
class ComparisonResult(Comparable):
    """Configurations run with common random numbers, and their differences to a baseline.

    Attributes
    ----------
    names
        The configurations' names, in the order given.
    baseline
        The name every other configuration is compared with.
    seed
        The experiment's seed: replication ``i`` of every configuration uses the same
        per-component random streams.
    n
        Replications per configuration.
    confidence
        Confidence level of the intervals.
    results
        Per name, its :class:`ExperimentResult`.
    differences
        Per name other than the baseline, per KPI, the paired
        :class:`~fieldtotable.experiment.statistics.Difference` ``name - baseline``
        (its ``significant`` flag: the interval excludes 0). No adjustment is made
        for testing many KPIs at once.
    wall_time_s
        Seconds the experiment took (not part of equality).
    """

    DEFAULT_TABLE: ClassVar[str] = "differences"
    """The table ``to_pandas()`` returns without a name."""

    names: tuple[str, ...]
    baseline: str
    seed: int
    n: int
    confidence: float
    results: dict[str, ExperimentResult]
    differences: dict[str, dict[str, Difference]]
    wall_time_s: float = field(default=0.0, compare=False)

    @classmethod
    def build(
        cls,
        results: dict[str, ExperimentResult],
        baseline: str,
        *,
        seed: int,
        confidence: float,
        wall_time_s: float = 0.0,
    ) -> ComparisonResult:
        """Pair every configuration with the baseline, replication by replication.

        Parameters
        ----------
        results
            Per configuration name, its replications (the same seed and ``n`` for all).
        baseline
            The name every other configuration is compared with.
        seed
            The experiment's seed.
        confidence
            Confidence level of the paired intervals.
        wall_time_s
            Seconds the experiment took.

        Returns
        -------
        ComparisonResult
            The results and the paired differences ``name - baseline`` of every KPI.
        """
        base = results[baseline]
        differences = {
            name: {
                key: paired_difference(result.values[key], base.values[key], confidence)
                for key in result.values
            }
            for name, result in results.items()
            if name != baseline
        }
        return cls(
            names=tuple(results),
            baseline=baseline,
            seed=seed,
            n=base.n,
            confidence=confidence,
            results=results,
            differences=differences,
            wall_time_s=wall_time_s,
        )

    def significant(self, name: str) -> tuple[str, ...]:
        """Return the KPIs whose difference ``name - baseline`` is significant.

        Parameters
        ----------
        name
            A configuration other than the baseline.

        Returns
        -------
        tuple of str
            The KPI keys whose paired interval excludes 0, in KPI order.
        """
        return tuple(key for key, diff in self.differences[name].items() if diff.significant)

    def tail_difference(
        self,
        name: str,
        key: str,
        statistic: str = "cvar",
        level: float = 0.95,
        *,
        bad: BadDirection | None = None,
        resamples: int = DEFAULT_RESAMPLES,
    ) -> TailEstimate:
        """Estimate a tail statistic of ``name`` minus the baseline's, paired by replication.

        Parameters
        ----------
        name
            A configuration other than (or equal to) the baseline.
        key
            A KPI key or a dotted breakdown path.
        statistic
            ``cvar`` (at ``level``, in the KPI's bad direction) or ``quantile`` (at
            probability ``level``).
        level
            In (0, 1).
        bad
            The bad direction for ``cvar``; by default from the registry.
        resamples
            Bootstrap resamples: replications are resampled jointly in both
            configurations, so common random numbers narrow the interval.

        Returns
        -------
        TailEstimate
            The difference and its paired percentile-bootstrap interval, seeded by the
            experiment's seed.
        """
        if statistic not in ("cvar", "quantile"):
            raise ValueError(f"statistic must be 'cvar' or 'quantile', got {statistic!r}")
        if name not in self.results:
            known = ", ".join(self.results)
            raise ValueError(f"no configuration named {name!r} (known: {known})")
        baseline = self.results[self.baseline]
        return paired_tail_difference(
            self.results[name].replication_values(key),
            baseline.replication_values(key),
            "cvar" if statistic == "cvar" else "quantile",
            level,
            bad=(bad_direction(key) if bad is None else bad) if statistic == "cvar" else "higher",
            confidence=baseline.confidence,
            resamples=resamples,
            seed=baseline.seed,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-compatible data (NaN becomes ``None``); runs are left out.

        Returns
        -------
        dict
            Every field, each result and difference as plain data with its KPI's unit.
        """
        return {
            "names": list(self.names),
            "baseline": self.baseline,
            "seed": self.seed,
            "n": self.n,
            "confidence": self.confidence,
            "results": {name: result.to_dict() for name, result in self.results.items()},
            "differences": {
                name: {key: {"unit": kpi_unit(key), **d.to_dict()} for key, d in diffs.items()}
                for name, diffs in self.differences.items()
            },
            "wall_time_s": self.wall_time_s,
        }

    def to_pandas(self, table: str | None = None) -> Any:
        """Return a table of the comparison as a ``pandas.DataFrame`` (pandas must be installed).

        Every result type has this signature (see :meth:`RunResult.to_pandas
        <fieldtotable.RunResult.to_pandas>`); the tables are those that
        :func:`fieldtotable.export.write_comparison` writes.

        Parameters
        ----------
        table
            ``None`` for the main table, ``"differences"`` (one row per compared
            configuration and KPI: ``configuration``, ``baseline``, ``kpi``,
            ``unit`` and the fields of the paired
            :class:`~fieldtotable.experiment.statistics.Difference`
            ``configuration - baseline``); ``"summary"`` (one row per configuration
            and KPI: its estimate); ``"replications"`` (one row per configuration and
            replication, one column per KPI); ``"runs_<name>"`` for every run's table
            ``<name>`` stacked with ``configuration`` and ``replication`` columns;
            or ``"all"`` for a dict of the summary, differences and replications.

        Returns
        -------
        pandas.DataFrame or dict of str to pandas.DataFrame
            The table, or every table by name for ``"all"``.

        Raises
        ------
        ImportError
            If pandas is not installed (the ``export`` extra installs it).
        ValueError
            For an unknown table name.
        """
        return presenters.to_pandas(self, table)

    def _repr_html_(self) -> str:
        """Return the configurations side by side as an HTML table (shown by Jupyter)."""
        return presenters.to_html(self)


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
    store: str | os.PathLike[str] | None = None,
    dask_address: str | None = None,
    kpis: Sequence[str] | None = None,
    confidence: float = 0.95,
    progress: ProgressSetting = None,
    out: str | os.PathLike[str] | None = None,
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
    workers, executor, store, dask_address, kpis, confidence, progress
        As for :func:`~fieldtotable.experiment.replicate`.
    out
        The old name of ``store`` (deprecated; a :class:`DeprecationWarning`).

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
        keys = check_kpis(tuple(KPIS) if kpis is None else kpis, scenario)
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
        open_store(store_argument(store, out), manifest) as run_store,
        Engine(executor, workers, dask_address, run_store, progress, "compare") as engine,
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
