"""``sweep``: replications of every point of a parameter grid or list of variants."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.experiment.engine import (
    Engine,
    Point,
    check_count,
    check_seed,
    open_store,
    store_argument,
)
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.results import Comparable, ExperimentResult, summarize_runs
from fieldtotable.experiment.runs import check_kpis
from fieldtotable.experiment.statistics import check_confidence
from fieldtotable.experiment.store import Manifest, PointRecord
from fieldtotable.results import presenters
from fieldtotable.results.fields import KPIS
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.overrides import SET_LABEL, apply_overrides, override_label
from fieldtotable.scenario.schema import Scenario

__all__ = ["Grid", "SweepPoint", "SweepResult", "expand_grid", "point_label", "sweep"]

Grid = Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]
"""A full-factorial grid (path -> values) or an explicit list of variants (path -> value each)."""


@dataclass(frozen=True, eq=False)
class SweepPoint(Comparable):
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
        """Return plain JSON-compatible data.

        Returns
        -------
        dict
            ``index``, ``overrides``, ``label`` and the point's ``result`` as plain data.
        """
        return {
            "index": self.index,
            "overrides": self.overrides,
            "label": self.label,
            "result": self.result.to_dict(),
        }


@dataclass(frozen=True, eq=False)
class SweepResult(Comparable):
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

    DEFAULT_TABLE: ClassVar[str] = "replications"
    """The table ``to_pandas()`` returns without a name."""

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
        """Return one row per point: its parameters, then per KPI mean, half-width, low, high.

        Returns
        -------
        list of dict
            ``point``, each parameter, then ``<kpi>_mean``, ``<kpi>_half_width``,
            ``<kpi>_low`` and ``<kpi>_high`` for every KPI.
        """
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
        """Return plain JSON-compatible data (NaN becomes ``None``); runs are left out.

        Returns
        -------
        dict
            Every field, each point as plain data.
        """
        return {
            "scenario_name": self.scenario_name,
            "parameters": list(self.parameters),
            "seed": self.seed,
            "n": self.n,
            "confidence": self.confidence,
            "points": [point.to_dict() for point in self.points],
            "wall_time_s": self.wall_time_s,
        }

    def to_pandas(self, table: str | None = None) -> Any:
        """Return a table of the sweep as a ``pandas.DataFrame`` (pandas must be installed).

        Every result type has this signature (see :meth:`RunResult.to_pandas
        <fieldtotable.RunResult.to_pandas>`); the tables are those that
        :func:`fieldtotable.export.write_sweep` writes.

        Parameters
        ----------
        table
            ``None`` for the main table, ``"replications"`` (one row per point and
            replication: ``point``, each parameter, ``replication``, every KPI);
            ``"summary"`` (one row per point and KPI: ``point``, each parameter,
            ``kpi``, ``unit`` and the estimate); ``"points"`` (``point``, each
            parameter, ``label``); ``"runs_<name>"`` for every run's table
            ``<name>`` stacked with ``point``, parameter and ``replication``
            columns; or ``"all"`` for a dict of the points, summary and replications.

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
        """Return one row per point as an HTML table (shown by Jupyter)."""
        return presenters.to_html(self)


def point_label(overrides: Mapping[str, Any]) -> str:
    """Return a point's overrides in words: ``legs.a.fleet=2, scale=5``."""
    if not overrides:
        return "(base scenario)"
    prefix = f"{SET_LABEL} "
    return ", ".join(
        override_label(path, value).removeprefix(prefix) for path, value in overrides.items()
    )


def expand_grid(grid: Grid) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """Return the parameters and the points of a grid.

    Parameters
    ----------
    grid
        ``{"legs.a.fleet": [1, 2, 4], "scale": [1, 2]}`` (full factorial, the last
        path varying fastest) or ``[{"scale": 1}, {"scale": 2, "legs.a.fleet": 4}]``
        (these variants, in order).

    Returns
    -------
    parameters : tuple of str
        The paths that vary, in order of appearance.
    points : list of dict
        Path -> value per point.

    Raises
    ------
    ValueError
        If the grid is empty, a path is not a non-empty string, or a grid entry's
        values are not a non-empty list.
    """
    if isinstance(grid, Mapping):
        if not grid:
            raise ValueError("the grid is empty: give at least one path with its values")
        for path, values in grid.items():
            _check_path(path)
            if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence):
                raise ValueError(
                    f"grid values of {path!r} must be a list of values, not {values!r}"
                )
            if not values:
                raise ValueError(f"grid path {path!r} has no values")
        parameters = tuple(grid)
        points = [
            dict(zip(parameters, combination, strict=True))
            for combination in itertools.product(*(grid[p] for p in parameters))
        ]
        return parameters, points
    if isinstance(grid, str | bytes) or not isinstance(grid, Sequence) or not grid:
        raise ValueError("a sweep needs a grid mapping or a non-empty list of variants")
    points = []
    for variant in grid:
        if not isinstance(variant, Mapping):
            raise ValueError(f"a variant must be a mapping of path -> value, not {variant!r}")
        for path in variant:
            _check_path(path)
        points.append(dict(variant))
    parameters = tuple(dict.fromkeys(path for variant in points for path in variant))
    return parameters, points


def _check_path(path: object) -> None:
    if not isinstance(path, str) or not path.strip():
        raise ValueError(f"a grid path must be a non-empty string, not {path!r}")


def _grid_problems(problems: list[Problem]) -> list[Problem]:
    """Name grid points ``grid PATH=VALUE``; report a problem shared by points once."""
    found: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        file = (problem.file or "").replace(f"{SET_LABEL} ", "grid ")
        found.setdefault(
            (problem.path, problem.message),
            Problem(file or None, problem.line, problem.path, problem.message),
        )
    return list(found.values())


def _grid_data(grid: Grid) -> Any:
    if isinstance(grid, Mapping):
        return {path: list(values) for path, values in grid.items()}
    return [dict(variant) for variant in grid]


def sweep(
    scenario: Scenario,
    grid: Grid,
    n: int = 10,
    seed: int = 0,
    *,
    workers: int | None = None,
    executor: str = "process",
    store: str | os.PathLike[str] | None = None,
    dask_address: str | None = None,
    kpis: Sequence[str] | None = None,
    confidence: float = 0.95,
    progress: ProgressSetting = None,
    out: str | os.PathLike[str] | None = None,
) -> SweepResult:
    """Run replications of every point of a grid (or list of variants) of a scenario.

    Each point is ``apply_overrides(scenario, point)``; replication ``i`` of every
    point uses the same random streams (common random numbers), so points differ by
    their configuration, not by their luck.

    Parameters
    ----------
    scenario
        The base scenario.
    grid
        ``{"legs.kunming_shanghai.fleet": [1, 2, 4], "scale": [1, 2, 5, 10]}`` for
        the full factorial (12 points, the last path varying fastest), or an explicit
        list of variants ``[{"scale": 1}, {"scale": 5, "legs.a.fleet": 4}]``.
    n
        Replications per point.
    seed
        The experiment's seed.
    workers, executor, store, dask_address, kpis, confidence, progress
        As for :func:`~fieldtotable.experiment.replicate`.
    out
        The old name of ``store`` (deprecated; a :class:`DeprecationWarning`).

    Returns
    -------
    SweepResult
        Per point its overrides and estimates; :meth:`SweepResult.rows` is the tidy
        table (one row per point and replication), :meth:`SweepResult.summary` one
        row per point.

    Raises
    ------
    ValueError
        For a malformed grid, a bad ``n``, ``seed`` or ``confidence``.
    ScenarioError
        With every problem of every point whose overrides do not apply (a misspelt
        path, a value the schema refuses), before anything runs.
    ExperimentError, StoreMismatchError, RunFailedError
        As for :func:`~fieldtotable.experiment.replicate`.
    """
    started = time.perf_counter()
    parameters, variants = expand_grid(grid)
    check_count(n)
    seed = check_seed(seed)
    check_confidence(confidence)
    keys = check_kpis(tuple(KPIS) if kpis is None else kpis, scenario)
    points: list[Point] = []
    problems: list[Problem] = []
    for overrides in variants:
        try:
            changed = apply_overrides(scenario, overrides)
        except ScenarioError as exc:
            problems += exc.problems
            continue
        points.append(Point(point_label(overrides), changed, scenario_hash(changed), overrides))
    if problems:
        raise ScenarioError(_grid_problems(problems))
    digest = scenario_hash(scenario)
    manifest = Manifest(
        kind="sweep",
        scenario_name=scenario.name,
        scenario_hash=digest,
        seed=seed,
        n=n,
        points=tuple(PointRecord(p.label, p.scenario_hash, p.overrides) for p in points),
        grid=_grid_data(grid),
    )
    with (
        open_store(store_argument(store, out), manifest) as run_store,
        Engine(executor, workers, dask_address, run_store, progress, "sweep") as engine,
    ):
        runs = engine.run(points, range(n), seed)
    swept = tuple(
        SweepPoint(
            index=index,
            overrides=point.overrides,
            label=point.label,
            result=summarize_runs(
                point_runs,
                keys,
                scenario_name=point.scenario.name,
                scenario_hash=point.scenario_hash,
                seed=seed,
                confidence=confidence,
            ),
        )
        for index, (point, point_runs) in enumerate(zip(points, runs, strict=True))
    )
    return SweepResult(
        scenario_name=scenario.name,
        parameters=parameters,
        points=swept,
        seed=seed,
        n=n,
        confidence=confidence,
        wall_time_s=time.perf_counter() - started,
    )
