"""Results of experiments: replications, comparisons and sweeps.

Frozen dataclasses with documented fields, plain data out (``to_dict`` /
``to_json``) and, when pandas is installed, data frames (``to_pandas``). Equality
compares every field but wall times, with undefined values (NaN) equal to each
other, so that results from different executors can be compared with ``==``.
"""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from fieldtotable.experiment.runs import kpi_unit, kpi_value
from fieldtotable.experiment.statistics import (
    Difference,
    Estimate,
    StoppingRule,
    estimate,
    paired_difference,
)
from fieldtotable.results import RunResult

__all__ = [
    "ComparisonResult",
    "ExperimentResult",
    "StoppingReport",
    "SweepPoint",
    "SweepResult",
    "summarize_runs",
]


def _same(left: Any, right: Any) -> bool:
    """Equality where NaN equals NaN, through containers and dataclasses."""
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, RunResult) or isinstance(right, RunResult):
        return bool(left == right)
    if is_dataclass(left) and not isinstance(left, type):
        return type(left) is type(right) and all(
            _same(getattr(left, f.name), getattr(right, f.name)) for f in fields(left) if f.compare
        )
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError("to_pandas() needs pandas: pip install pandas") from None


class _Comparable:
    """NaN-aware equality over the compared fields of a dataclass."""

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return _same(self, other)

    __hash__ = None  # type: ignore[assignment]  # mappings inside: not hashable

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - overridden
        """Plain JSON-compatible data."""
        raise NotImplementedError

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the :meth:`to_dict` data as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class StoppingReport:
    """How ``n="auto"`` ended.

    Attributes
    ----------
    rule
        The stopping rule used.
    reached
        Whether every KPI of the rule reached the target (else the cap was hit).
    relative_half_widths
        Per KPI of the rule, ``half_width / |mean|`` at the final ``n``.
    runs_done
        Replications run in all (batches may run past the stopping point; those runs
        are left out of the result).
    """

    rule: StoppingRule
    reached: bool
    relative_half_widths: dict[str, float]
    runs_done: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "rule": self.rule.to_dict(),
            "reached": self.reached,
            "relative_half_widths": _clean(self.relative_half_widths),
            "runs_done": self.runs_done,
        }


@dataclass(frozen=True, eq=False)
class ExperimentResult(_Comparable):
    """Replications of one scenario and the confidence interval of every KPI.

    Attributes
    ----------
    scenario_name
        The scenario's name.
    scenario_hash
        sha256 of the scenario's canonical JSON (see
        :func:`~fieldtotable.experiment.store.scenario_hash`).
    seed
        The experiment's seed; replication ``i`` is
        ``simulate(scenario, seed, replication=i)``.
    n
        Replications in the result.
    confidence
        Confidence level of the intervals (0.95).
    kpis
        Per KPI key, the :class:`~fieldtotable.experiment.statistics.Estimate`:
        mean, standard deviation, half-width, interval (Student t).
    values
        Per KPI key, its value in replications ``0 .. n-1``.
    runs
        The runs themselves, in replication order (daily series, breakdowns).
    stopping
        How ``n="auto"`` ended, or ``None`` for a fixed ``n``.
    wall_time_s
        Seconds the experiment took (not part of equality).
    """

    scenario_name: str
    scenario_hash: str
    seed: int
    n: int
    confidence: float
    kpis: dict[str, Estimate]
    values: dict[str, tuple[float, ...]]
    runs: tuple[RunResult, ...] = field(repr=False)
    stopping: StoppingReport | None = None
    wall_time_s: float = field(default=0.0, compare=False)

    def unit(self, key: str) -> str:
        """Return the unit of a KPI key (``"kg"``, ``"fraction"``, ...)."""
        return kpi_unit(key)

    def to_dict(self, *, runs: bool = False) -> dict[str, Any]:
        """Plain JSON-compatible data (NaN becomes ``None``).

        Parameters
        ----------
        runs
            Include every run's full result (large).
        """
        data: dict[str, Any] = {
            "scenario_name": self.scenario_name,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "n": self.n,
            "confidence": self.confidence,
            "kpis": {
                key: {"unit": kpi_unit(key), **found.to_dict()} for key, found in self.kpis.items()
            },
            "values": _clean(self.values),
            "stopping": None if self.stopping is None else self.stopping.to_dict(),
            "wall_time_s": self.wall_time_s,
        }
        if runs:
            data["runs"] = [run.to_dict() for run in self.runs]
        return data

    def to_pandas(self) -> Any:
        """Return a ``pandas.DataFrame``: one row per replication, one column per KPI."""
        rows = [
            {"replication": i, **{key: values[i] for key, values in self.values.items()}}
            for i in range(self.n)
        ]
        return _pandas().DataFrame(rows)


def summarize_runs(
    runs: Sequence[RunResult],
    kpis: Sequence[str],
    *,
    scenario_name: str,
    scenario_hash: str,
    seed: int,
    confidence: float,
    stopping: StoppingReport | None = None,
    wall_time_s: float = 0.0,
) -> ExperimentResult:
    """Build an :class:`ExperimentResult` from runs in replication order.

    Parameters
    ----------
    runs
        Replications ``0 .. n-1``.
    kpis
        KPI keys to summarise (see :func:`~fieldtotable.experiment.runs.kpi_value`).
    scenario_name, scenario_hash, seed, confidence, stopping, wall_time_s
        As in :class:`ExperimentResult`.

    Returns
    -------
    ExperimentResult
        The estimates of every KPI.
    """
    values = {key: tuple(kpi_value(run, key) for run in runs) for key in kpis}
    return ExperimentResult(
        scenario_name=scenario_name,
        scenario_hash=scenario_hash,
        seed=seed,
        n=len(runs),
        confidence=confidence,
        kpis={key: estimate(series, confidence) for key, series in values.items()},
        values=values,
        runs=tuple(runs),
        stopping=stopping,
        wall_time_s=wall_time_s,
    )


@dataclass(frozen=True, eq=False)
class ComparisonResult(_Comparable):
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
        """Pair every configuration with the baseline, replication by replication."""
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
        """Return the KPIs whose difference ``name - baseline`` is significant."""
        return tuple(key for key, diff in self.differences[name].items() if diff.significant)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data (NaN becomes ``None``); runs are left out."""
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

    def to_pandas(self) -> Any:
        """Return a ``pandas.DataFrame``: one row per compared configuration and KPI."""
        rows = [
            {"configuration": name, "kpi": key, "unit": kpi_unit(key), **diff.to_dict()}
            for name, diffs in self.differences.items()
            for key, diff in diffs.items()
        ]
        return _pandas().DataFrame(rows)


@dataclass(frozen=True, eq=False)
class SweepPoint(_Comparable):
    """One point of a sweep.

    Attributes
    ----------
    index
        Its position in the sweep (0-based).
    overrides
        Field path -> value applied to the base scenario.
    label
        The overrides in words: ``legs.a.fleet=2, scale=5``.
    result
        Its replications.
    """

    index: int
    overrides: dict[str, Any]
    label: str
    result: ExperimentResult

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data."""
        return {
            "index": self.index,
            "overrides": self.overrides,
            "label": self.label,
            "result": self.result.to_dict(),
        }


@dataclass(frozen=True, eq=False)
class SweepResult(_Comparable):
    """Replications of every point of a parameter sweep (common random numbers across points).

    Attributes
    ----------
    scenario_name
        The base scenario's name.
    parameters
        The field paths that vary, in order.
    points
        The points, in order (full factorial: the last parameter varies fastest).
    seed
        The experiment's seed.
    n
        Replications per point.
    confidence
        Confidence level of the intervals.
    wall_time_s
        Seconds the experiment took (not part of equality).
    """

    scenario_name: str
    parameters: tuple[str, ...]
    points: tuple[SweepPoint, ...]
    seed: int
    n: int
    confidence: float
    wall_time_s: float = field(default=0.0, compare=False)

    @property
    def kpis(self) -> tuple[str, ...]:
        """The KPI keys summarised."""
        return tuple(self.points[0].result.kpis) if self.points else ()

    def rows(self) -> list[dict[str, Any]]:
        """Return the tidy table: one row per point and replication.

        Returns
        -------
        list of dict
            ``point``, each parameter, ``replication``, then every KPI.
        """
        return [
            {
                "point": point.index,
                **{name: point.overrides.get(name) for name in self.parameters},
                "replication": replication,
                **{key: values[replication] for key, values in point.result.values.items()},
            }
            for point in self.points
            for replication in range(point.result.n)
        ]

    def summary(self) -> list[dict[str, Any]]:
        """Return one row per point: its parameters, then per KPI mean, half-width, low, high."""
        rows = []
        for point in self.points:
            row: dict[str, Any] = {"point": point.index}
            row.update({name: point.overrides.get(name) for name in self.parameters})
            for key, found in point.result.kpis.items():
                row[f"{key}_mean"] = found.mean
                row[f"{key}_half_width"] = found.half_width
                row[f"{key}_low"] = found.low
                row[f"{key}_high"] = found.high
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data (NaN becomes ``None``); runs are left out."""
        return {
            "scenario_name": self.scenario_name,
            "parameters": list(self.parameters),
            "seed": self.seed,
            "n": self.n,
            "confidence": self.confidence,
            "points": [point.to_dict() for point in self.points],
            "wall_time_s": self.wall_time_s,
        }

    def to_pandas(self, *, summary: bool = False) -> Any:
        """Return :meth:`rows` (or :meth:`summary`) as a ``pandas.DataFrame``."""
        return _pandas().DataFrame(self.summary() if summary else self.rows())
