"""Experiments: replications with confidence intervals, CRN comparisons, parameter sweeps.

::

    from fieldtotable import apply_overrides, compare, load_scenario, replicate, sweep

    base = load_scenario("scenarios/baseline_2023.yaml")
    result = replicate(base, n=30)                      # or n="auto"
    print(result.kpis["spoilage_rate"])                 # mean, sd, half_width, low, high

    both = compare({"1x": base, "5x": apply_overrides(base, {"scale": 5})}, n=20)
    print(both.differences["5x"]["spoiled_kg"])         # paired, common random numbers

    grid = sweep(base, {"legs.kunming_shanghai.fleet": [1, 2, 4], "scale": [1, 5]}, n=10,
                 store="runs/fleet_scale")              # resumable
    grid.rows()                                         # tidy: point x replication

    split = variance_split(base_with_priors, draws=20, inner=5)  # uncertain: priors
    print(split.components["spoilage_rate"].parametric_share)

Runs execute ``serial``-ly, on local ``process``-es (all usable cores by default) or
on ``dask`` (``pip install 'fieldtotable[dask]'``); results are the same to the last
bit whichever runs them. With ``store=DIR`` each finished run is written to DIR as it
completes and a rerun resumes. Plain-text tables: :mod:`fieldtotable.tables`.
"""

from fieldtotable.experiment.compare import ComparisonResult, compare
from fieldtotable.experiment.errors import (
    ExperimentError,
    RunFailedError,
    RunFailure,
    StoreError,
    StoreMismatchError,
    StoreWarning,
)
from fieldtotable.experiment.executors import EXECUTORS
from fieldtotable.experiment.replicate import replicate
from fieldtotable.experiment.results import ExperimentResult, StoppingReport
from fieldtotable.experiment.statistics import Difference, Estimate, StoppingRule
from fieldtotable.experiment.sweep import SweepPoint, SweepResult, sweep
from fieldtotable.experiment.uncertainty import VarianceSplit, variance_split
from fieldtotable.experiment.variance_components import VarianceComponents
from fieldtotable.scenario.hashing import scenario_hash

__all__ = [
    "EXECUTORS",
    "ComparisonResult",
    "Difference",
    "Estimate",
    "ExperimentError",
    "ExperimentResult",
    "RunFailedError",
    "RunFailure",
    "StoppingReport",
    "StoppingRule",
    "StoreError",
    "StoreMismatchError",
    "StoreWarning",
    "SweepPoint",
    "SweepResult",
    "VarianceComponents",
    "VarianceSplit",
    "compare",
    "replicate",
    "scenario_hash",
    "sweep",
    "variance_split",
]
