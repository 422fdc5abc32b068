"""``variance_split``: how much of each KPI's variance the uncertain parameters cause.

A nested design: the scenario's priors (``uncertain:``) are drawn ``draws`` times,
and each draw is run ``inner`` times with its own random streams. Draw ``j`` is the
draw replication ``j`` of :func:`~fieldtotable.experiment.replicate` makes (the
streams ``("uncertain", path)`` of ``SeedSequence(seed, spawn_key=(j,))``); its
runs are replications ``j * inner`` to ``(j + 1) * inner - 1`` of the scenario with
those values, so no two runs share a stream of the model. Each KPI's variance is
then split by the one-way random-effects ANOVA of
:mod:`~fieldtotable.experiment.variance_components`.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fieldtotable.experiment.engine import (
    Engine,
    Point,
    check_count,
    check_seed,
    open_store,
)
from fieldtotable.experiment.errors import ExperimentError
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.runs import check_kpis
from fieldtotable.experiment.statistics import check_confidence
from fieldtotable.experiment.store import Manifest, PointRecord
from fieldtotable.experiment.variance_components import VarianceComponents, one_way_components
from fieldtotable.model.context import replication_seed
from fieldtotable.model.parameter_draws import apply_parameters, draw_parameters
from fieldtotable.results.paths import kpi_value
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario

__all__ = ["DEFAULT_SPLIT_KPIS", "VarianceSplit", "variance_split"]

DEFAULT_SPLIT_KPIS = ("spoilage_rate", "spoiled_kg", "sold_kg", "fill_rate", "profit_cny")
"""The KPIs split when none are named."""


@dataclass(frozen=True)
class VarianceSplit:
    """The variance of each KPI split into parametric and stochastic parts.

    Attributes
    ----------
    scenario_name, scenario_hash
        The scenario (with its priors).
    seed
        The experiment's seed.
    draws, inner
        Parameter draws, and replications per draw.
    parameters
        The values of each draw (``parameters[j]``: path -> value).
    components
        KPI -> its :class:`~fieldtotable.experiment.variance_components.VarianceComponents`.
    runs
        ``runs[j][r]``: replication ``r`` of draw ``j`` (its ``parameters`` set).
    wall_time_s
        Seconds the experiment took.
    """

    scenario_name: str
    scenario_hash: str
    seed: int
    draws: int
    inner: int
    parameters: tuple[dict[str, float], ...]
    components: dict[str, VarianceComponents]
    runs: tuple[tuple[RunResult, ...], ...]
    wall_time_s: float = dataclasses.field(default=0.0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-compatible data (the runs left out).

        Returns
        -------
        dict
            Scenario, seed, design, each draw's values and each KPI's split.
        """
        return {
            "scenario_name": self.scenario_name,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "draws": self.draws,
            "inner": self.inner,
            "parameters": [dict(values) for values in self.parameters],
            "components": {key: split.to_dict() for key, split in self.components.items()},
            "wall_time_s": self.wall_time_s,
        }

    def text(self) -> str:
        """Return the split as a plain-text table, one KPI a row.

        Returns
        -------
        str
            Columns: KPI, mean, total sd, parametric share with its interval,
            stochastic share.
        """
        confidence = next(iter(self.components.values())).confidence if self.components else 0.95
        header = (
            f"{'KPI':<24} {'mean':>14} {'total sd':>12}  "
            f"{'parametric share (' + format(confidence, '.0%') + ' CI)':<34} {'stochastic':>10}"
        )
        lines = [
            f"{self.scenario_name}: {self.draws} parameter draws x {self.inner} replications "
            f"each (seed {self.seed})",
            header,
        ]
        for key, split in self.components.items():
            low, high = split.parametric_share_ci
            share = f"{_percent(split.parametric_share)} [{_percent(low)}, {_percent(high)}]"
            lines.append(
                f"{key:<24} {split.mean:>14.6g} {math.sqrt(split.total_variance):>12.4g}  "
                f"{share:<34} {_percent(split.stochastic_share):>10}"
            )
        return "\n".join(lines)


def variance_split(
    scenario: Scenario,
    draws: int = 20,
    inner: int = 5,
    seed: int = 0,
    *,
    kpis: Sequence[str] | None = None,
    confidence: float = 0.95,
    workers: int | None = None,
    executor: str = "process",
    store: str | os.PathLike[str] | None = None,
    dask_address: str | None = None,
    progress: ProgressSetting = None,
) -> VarianceSplit:
    """Split each KPI's variance into the part the uncertain parameters cause and the rest.

    Parameters
    ----------
    scenario
        A scenario with priors (``uncertain:``).
    draws
        Parameter draws (at least 2); draw ``j`` is the one replication ``j`` of
        :func:`~fieldtotable.experiment.replicate` would use.
    inner
        Replications per draw (at least 2), each with its own random streams.
    seed
        The experiment's seed.
    kpis
        KPI keys or breakdown paths to split (default :data:`DEFAULT_SPLIT_KPIS`).
    confidence
        Confidence level of the intervals of the parametric shares.
    workers, executor, store, dask_address, progress
        As for :func:`~fieldtotable.experiment.replicate`; a store resumes the same
        split (same priors, seed, draws and inner).

    Returns
    -------
    VarianceSplit
        Per KPI the total, parametric and stochastic variance, the parametric share
        with its interval; the draws and the runs.

    Raises
    ------
    ValueError
        For a bad ``draws``, ``inner``, ``seed`` or ``confidence``.
    ExperimentError
        If the scenario has no priors, a KPI is unknown, or a KPI is undefined
        (NaN) in some run.
    """
    started = time.perf_counter()
    seed = check_seed(seed)
    for name, count in (("draws", draws), ("inner", inner)):
        if check_count(count, name) < 2:
            raise ValueError(f"{name} must be at least 2, not {count}")
    check_confidence(confidence)
    if not scenario.uncertain:
        raise ExperimentError(
            f"scenario {scenario.name!r} declares no uncertain parameters (uncertain:)"
        )
    keys = check_kpis(DEFAULT_SPLIT_KPIS if kpis is None else kpis, scenario)
    digest = scenario_hash(scenario)
    drawn = [draw_parameters(scenario, replication_seed(seed, j)) for j in range(draws)]
    points = []
    for j, values in enumerate(drawn):
        fixed = apply_parameters(scenario, values)
        points.append(Point(f"draw {j}", fixed, scenario_hash(fixed)))
    manifest = Manifest(
        kind="variance_split",
        scenario_name=scenario.name,
        scenario_hash=digest,
        seed=seed,
        n=inner,
        points=tuple(PointRecord(p.label, p.scenario_hash) for p in points),
    )
    blocks = [(point, range(j * inner, (j + 1) * inner)) for j, point in enumerate(points)]
    with (
        open_store(store, manifest) as run_store,
        Engine(executor, workers, dask_address, run_store, progress, "variance split") as engine,
    ):
        outcomes = engine.run_blocks(blocks, seed)
    runs = tuple(
        tuple(dataclasses.replace(run, parameters=dict(values)) for run in block)
        for block, values in zip(outcomes, drawn, strict=True)
    )
    return VarianceSplit(
        scenario_name=scenario.name,
        scenario_hash=digest,
        seed=seed,
        draws=draws,
        inner=inner,
        parameters=tuple(drawn),
        components={key: _split(runs, key, confidence) for key in keys},
        runs=runs,
        wall_time_s=time.perf_counter() - started,
    )


def _split(
    runs: tuple[tuple[RunResult, ...], ...], key: str, confidence: float
) -> VarianceComponents:
    table = [[kpi_value(run, key) for run in block] for block in runs]
    undefined = sum(1 for row in table for value in row if not math.isfinite(value))
    if undefined:
        raise ExperimentError(
            f"{key} is undefined in {undefined} of the runs; the split needs a value in every run"
        )
    return one_way_components(table, confidence)


def _percent(value: float) -> str:
    return "n/a" if not math.isfinite(value) else f"{100 * value:.1f} %"
