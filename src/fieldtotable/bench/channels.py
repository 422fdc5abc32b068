"""The canonical channel study: scale x mode x issuing, with replications and CRN.

Configurations: the 2023 channel at scale 1, 2, 5 and 10 (``scale``, as in
``scenarios/scale_*x.yaml``) x four ways to move the goods (:data:`VARIANTS`, each
a scenario file of ``scenarios/``: the baseline's road legs, trucks that wait for
full loads, rail containers on the long leg, matsutake flown direct) x FIFO or
FEFO issuing in every Shanghai market (as ``scenarios/fifo_store.yaml``). Every
configuration runs the same replications with the same random streams (common
random numbers, :func:`fieldtotable.experiment.compare`), so differences between
configurations are paired replication by replication.

Per configuration the study estimates (mean and Student-t interval) the metrics of
:data:`METRICS` -- throughput, spoilage rate and its split by stage, fill rate,
transport cost and CO2 per kg sold, remaining shelf life at sale -- and the
capacity indicators of every store, node and leg (:func:`capacity_indicators`:
what binds as the channel scales). :mod:`fieldtotable.bench.report` writes the
tables and the figure.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fieldtotable.errors import FieldToTableError
from fieldtotable.experiment import ComparisonResult, compare
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.statistics import Difference, Estimate, estimate, paired_difference
from fieldtotable.model.lot import STAGES
from fieldtotable.results import RunResult
from fieldtotable.scenario import Scenario, apply_overrides, load_scenario

__all__ = [
    "DEFAULT_N",
    "ISSUING",
    "METRICS",
    "SCALES",
    "VARIANTS",
    "ChannelStudyResult",
    "Configuration",
    "Metric",
    "Variant",
    "capacity_indicators",
    "channel_configurations",
    "find_scenarios_dir",
    "run_channel_study",
]

DEFAULT_N = 30
"""Replications per configuration: the 32 configurations take about 5 minutes on
2 cores (process executor, 2 workers), well under the 15-minute budget."""

SCALES: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0)
"""Supply and demand relative to 2023 (capacities kept at their 2023 size)."""

ISSUING: tuple[str, ...] = ("FIFO", "FEFO")
"""Issuing policies compared in every Shanghai market (and so at the Shanghai DC)."""

_BASELINE_FILE = "baseline_2023.yaml"


@dataclass(frozen=True)
class Variant:
    """A way to move the goods: one scenario file of ``scenarios/``.

    Attributes
    ----------
    key
        Short name used in configuration names (``rail``).
    label
        Name in tables and figures.
    file
        The scenario file (extending ``baseline_2023.yaml``, or that file itself).
    description
        What it changes, in a sentence.
    """

    key: str
    label: str
    file: str
    description: str


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "road",
        "road (2023 dispatch)",
        _BASELINE_FILE,
        "the 2023 baseline: reefer trucks Shangri-La -> Kunming leave with 12 t or 48 h "
        "after the first cargo, Kunming -> Shanghai within 6 h of arrival (cross-dock); "
        "matsutake fly from the Shangri-La hub in season",
    ),
    Variant(
        "road_ftl",
        "road, full truckload",
        "dispatch_full_truckload.yaml",
        "both long road legs wait for 15 t loads (at most 96 h and 24 h)",
    ),
    Variant(
        "rail",
        "rail, Kunming -> Shanghai",
        "rail_kunming_shanghai.yaml",
        "the long leg in 26 t rail reefer containers (3-4 days; full or after 48 h)",
    ),
    Variant(
        "air",
        "air, matsutake direct",
        "air_matsutake_direct.yaml",
        "Shangri-La matsutake flown straight from the buying station the same evening",
    ),
)


@dataclass(frozen=True)
class Configuration:
    """One configuration of the study.

    Attributes
    ----------
    name
        ``"5x rail FIFO"``: scale, variant key, issuing policy.
    scale, variant, issuing
        Its three factors (``variant`` is a :attr:`Variant.key`).
    scenario
        The scenario that runs.
    """

    name: str
    scale: float
    variant: str
    issuing: str
    scenario: Scenario = field(repr=False)


@dataclass(frozen=True)
class Metric:
    """A quantity estimated for every configuration.

    Attributes
    ----------
    key
        Name in the CSV (whose values are in model units: kg/d, fractions, CNY/kg).
    label
        Column heading.
    unit
        Unit of the shown value (after ``factor``).
    factor
        Shown value = value x factor (``100`` for percentages).
    digits
        Decimals shown.
    value
        Reads it from one run (NaN when undefined).
    """

    key: str
    label: str
    unit: str
    factor: float
    digits: int
    value: Callable[[RunResult], float] = field(repr=False, compare=False)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def _stage_share(stage: str) -> Callable[[RunResult], float]:
    def share(run: RunResult) -> float:
        return _ratio(run.spoiled_kg_by_stage[stage], run.kpis["harvested_kg"])

    return share


METRICS: tuple[Metric, ...] = (
    Metric(
        "throughput_kg_per_day",
        "throughput",
        "t/d",
        1e-3,
        2,
        lambda r: r.kpis["throughput_kg_per_day"],
    ),
    Metric("spoilage_rate", "spoilage", "%", 100.0, 1, lambda r: r.kpis["spoilage_rate"]),
    *(
        Metric(f"spoilage_{stage}", f"spoiled at {stage}", "%", 100.0, 1, _stage_share(stage))
        for stage in STAGES
    ),
    Metric("fill_rate", "fill rate", "%", 100.0, 1, lambda r: r.kpis["fill_rate"]),
    Metric(
        "cost_per_kg_sold_cny",
        "transport cost",
        "CNY/kg",
        1.0,
        2,
        lambda r: r.kpis["cost_per_kg_sold_cny"],
    ),
    Metric(
        "co2_kg_per_kg_sold",
        "CO2",
        "kg/kg",
        1.0,
        3,
        lambda r: _ratio(r.kpis["co2_kg"], r.kpis["sold_kg"]),
    ),
    Metric(
        "remaining_fraction_at_sale",
        "shelf life left at sale",
        "%",
        100.0,
        1,
        lambda r: r.kpis["mean_remaining_fraction_at_sale"],
    ),
    Metric(
        "remaining_shelf_life_at_sale_d",
        "shelf life left at sale",
        "d",
        1.0,
        1,
        lambda r: r.kpis["mean_remaining_shelf_life_at_sale_d"],
    ),
)
"""The study's metrics, in table order. Spoilage by stage: share of the kg harvested.
Shelf life left at sale: kg-weighted, as a share of each lot's shelf life (comparable
across products) and in days at the market's temperature (dominated by the
long-life goods: wine, honey, frozen yak)."""


def find_scenarios_dir(scenarios_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding ``baseline_2023.yaml`` and its variant files.

    Parameters
    ----------
    scenarios_dir
        The folder; when ``None``, ``./scenarios`` and then the ``scenarios`` folder of
        the source checkout this package is installed from (an editable install).

    Returns
    -------
    Path
        The folder found.

    Raises
    ------
    FieldToTableError
        If no such folder is found.
    """
    if scenarios_dir is not None:
        candidates = [Path(scenarios_dir)]
    else:
        candidates = [Path.cwd() / "scenarios", Path(__file__).resolve().parents[3] / "scenarios"]
    for folder in candidates:
        if (folder / _BASELINE_FILE).is_file():
            return folder
    looked = ", ".join(str(folder) for folder in candidates)
    raise FieldToTableError(
        f"the channel study needs the scenario files ({_BASELINE_FILE} and its variants); "
        f"not found in {looked}: give the folder (--scenarios DIR)"
    )


def _issuing_overrides(scenario: Scenario, issuing: str) -> dict[str, str]:
    return {f"markets.{market_id}.issuing": issuing for market_id in scenario.markets}


def channel_configurations(
    scenarios_dir: str | os.PathLike[str] | None = None,
    *,
    scales: Sequence[float] = SCALES,
    variants: Sequence[Variant] = VARIANTS,
    issuing: Sequence[str] = ISSUING,
    days: int | None = None,
) -> list[Configuration]:
    """Build the study's configurations from the scenario files.

    Parameters
    ----------
    scenarios_dir
        Where the variant files are (see :func:`find_scenarios_dir`).
    scales, variants, issuing
        The three factors; every combination is a configuration, scale first.
    days
        Shorten every horizon to this many days (a quick check).

    Returns
    -------
    list of Configuration
        Named ``"{scale}x {variant} {issuing}"``.

    Raises
    ------
    ScenarioError
        If a variant file has problems.
    FieldToTableError
        If the scenario folder is not found.
    """
    folder = find_scenarios_dir(scenarios_dir)
    loaded = {variant.key: load_scenario(folder / variant.file) for variant in variants}
    configurations = []
    for scale in scales:
        for variant in variants:
            for policy in issuing:
                base = loaded[variant.key]
                overrides: dict[str, object] = {"scale": scale, **_issuing_overrides(base, policy)}
                scenario = apply_overrides(base, overrides)
                if days is not None:
                    scenario = scenario.with_horizon(days)
                name = f"{scale:g}x {variant.key} {policy}"
                scenario = scenario.model_copy(update={"name": f"{scenario.name} [{name}]"})
                configurations.append(Configuration(name, scale, variant.key, policy, scenario))
    return configurations


# --- capacity: what binds -------------------------------------------------------------------


def capacity_indicators(run: RunResult) -> dict[str, float]:
    """Return how close each store, node and leg of a run is to its capacity.

    Parameters
    ----------
    run
        A finished run.

    Returns
    -------
    dict of str to float
        ``store:<id>:peak_shelf`` (peak shelf stock / shelf capacity) and
        ``store:<id>:fill_rate``; ``node:<id>:peak`` (peak stock / capacity) and
        ``node:<id>:overflow`` (kg that found it full, as a share of the kg harvested);
        ``leg:<id>:utilisation`` (share of the fleet's hours on trips) and
        ``leg:<id>:load_factor`` (mean load / vehicle capacity).
    """
    harvested = run.kpis["harvested_kg"]
    out: dict[str, float] = {}
    for market_id, market in run.by_market.items():
        if "shelf_capacity_kg" in market:
            out[f"store:{market_id}:peak_shelf"] = _ratio(
                market["peak_shelf_kg"], market["shelf_capacity_kg"]
            )
            out[f"store:{market_id}:fill_rate"] = market["fill_rate"]
    for node_id, node in run.by_node.items():
        out[f"node:{node_id}:peak"] = _ratio(node["peak_stock_kg"], node["capacity_kg"])
        out[f"node:{node_id}:overflow"] = _ratio(node["overflow_kg"], harvested)
    for leg_id, leg in run.by_leg.items():
        out[f"leg:{leg_id}:utilisation"] = leg["utilisation"]
        out[f"leg:{leg_id}:load_factor"] = leg["load_factor"]
    return out


# --- the study ----------------------------------------------------------------------------


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
    out: str | os.PathLike[str] | None = None,
    confidence: float = 0.95,
    progress: ProgressSetting = None,
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
    out
        A folder for the runs as they finish: rerunning the same study resumes.
    confidence
        Level of the intervals.
    progress
        Progress bar setting (see :func:`fieldtotable.experiment.replicate`).

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
        out=out,
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
