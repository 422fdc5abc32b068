"""fieldtotable: simulate the perishable field-to-table channel from Diqing to Shanghai.

The public API::

    from fieldtotable import builtin_scenario, load_scenario, simulate

    scenario = builtin_scenario("baseline")
    result = simulate(scenario, seed=0)
    print(result.kpis["spoilage_rate"])

Experiments (replications with confidence intervals, comparisons with common random
numbers, sweeps; serial, multi-process or Dask; resumable with ``out=DIR``)::

    from fieldtotable import compare, replicate, sweep

    print(replicate(scenario, n=30).kpis["spoilage_rate"])   # mean ± half-width
"""

from fieldtotable.errors import FieldToTableError, MassBalanceError, ScenarioError
from fieldtotable.experiment import (
    ComparisonResult,
    ExperimentResult,
    SweepResult,
    compare,
    replicate,
    sweep,
)
from fieldtotable.results import KPI_DEFINITIONS, RunResult
from fieldtotable.scenario import (
    Scenario,
    apply_overrides,
    builtin_scenario,
    builtin_scenario_names,
    load_scenario,
    parse_scenario,
)
from fieldtotable.simulation import simulate

__version__ = "0.1.0"

__all__ = [
    "KPI_DEFINITIONS",
    "ComparisonResult",
    "ExperimentResult",
    "FieldToTableError",
    "MassBalanceError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SweepResult",
    "__version__",
    "apply_overrides",
    "builtin_scenario",
    "builtin_scenario_names",
    "compare",
    "load_scenario",
    "parse_scenario",
    "replicate",
    "simulate",
    "sweep",
]
