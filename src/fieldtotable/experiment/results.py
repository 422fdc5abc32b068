"""Results of experiments: replications (comparisons and sweeps build on them).

Frozen dataclasses with documented fields, plain data out (``to_dict`` /
``to_json``) and, when pandas is installed, data frames (``to_pandas``). Equality
compares every field but wall times, with undefined values (NaN) equal to each
other, so that results from different executors can be compared with ``==``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, ClassVar

from fieldtotable.experiment.result_tails import TailMethods, bad_direction
from fieldtotable.experiment.statistics import Estimate, StoppingRule, estimate
from fieldtotable.results import presenters
from fieldtotable.results.paths import kpi_unit, kpi_value
from fieldtotable.results.run import RunResult

__all__ = [
    "Comparable",
    "ExperimentResult",
    "StoppingReport",
    "bad_direction",
    "clean",
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


def clean(value: Any) -> Any:
    """Return ``value`` as JSON-compatible data (string keys, lists; NaN and inf as ``None``)."""
    if isinstance(value, dict):
        return {str(key): clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class Comparable:
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
        """Return the :meth:`to_dict` data as JSON text.

        Parameters
        ----------
        indent
            Spaces per indentation level; ``None`` for one line.

        Returns
        -------
        str
            The JSON text (non-ASCII characters kept).
        """
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
        are left out of the result). It depends on the number of workers, so it is not
        part of equality.
    """

    rule: StoppingRule
    reached: bool
    relative_half_widths: dict[str, float]
    runs_done: int = field(default=0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return plain data.

        Returns
        -------
        dict
            The rule's fields, ``reached``, ``relative_half_widths`` (NaN as ``None``) and
            ``runs_done``.
        """
        return {
            "rule": self.rule.to_dict(),
            "reached": self.reached,
            "relative_half_widths": clean(self.relative_half_widths),
            "runs_done": self.runs_done,
        }


@dataclass(frozen=True, eq=False)
class ExperimentResult(TailMethods, Comparable):
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

    DEFAULT_TABLE: ClassVar[str] = "replications"
    """The table ``to_pandas()`` returns without a name."""

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
        """Return the unit of a KPI key (``"kg"``, ``"fraction"``, ...).

        Parameters
        ----------
        key
            A KPI key or a dotted breakdown path (``by_leg.a.trips``).

        Returns
        -------
        str
            The unit, ``""`` for an unknown key.
        """
        return kpi_unit(key)

    def to_dict(self, *, runs: bool = False) -> dict[str, Any]:
        """Return plain JSON-compatible data (NaN becomes ``None``).

        Parameters
        ----------
        runs
            Include every run's full result (large).

        Returns
        -------
        dict
            Every field but the runs (unless ``runs``), each KPI's estimate with its unit.
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
            "values": clean(self.values),
            "stopping": None if self.stopping is None else self.stopping.to_dict(),
            "wall_time_s": self.wall_time_s,
        }
        if runs:
            data["runs"] = [run.to_dict() for run in self.runs]
        return data

    def to_pandas(self, table: str | None = None) -> Any:
        """Return a table of the replications as a ``pandas.DataFrame`` (pandas must be installed).

        Every result type has this signature (see :meth:`RunResult.to_pandas
        <fieldtotable.RunResult.to_pandas>`); the tables are those that
        :func:`fieldtotable.export.write_experiment` writes.

        Parameters
        ----------
        table
            ``None`` for the main table, ``"replications"`` (one row per
            replication, one column per KPI); ``"summary"`` (one row per KPI:
            ``kpi``, ``unit``, ``n``, ``mean``, ``sd``, ``half_width``, ``low``,
            ``high``, ``confidence``, ``missing``); ``"runs_<name>"`` for every
            run's table ``<name>`` stacked with a ``replication`` column
            (``runs_daily``, ``runs_by_product``, ...); or ``"all"`` for a dict of
            the summary and replications frames.

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
        """Return every KPI with its interval as an HTML table (shown by Jupyter)."""
        return presenters.to_html(self)


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
