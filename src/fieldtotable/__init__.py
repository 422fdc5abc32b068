"""fieldtotable: simulate the perishable field-to-table channel from Diqing to Shanghai.

The public API::

    from fieldtotable import builtin_scenario, load_scenario, simulate

    scenario = builtin_scenario("baseline")
    result = simulate(scenario, seed=0)
    print(result.kpis["spoilage_rate"])

Experiments (replications with confidence intervals, comparisons with common random
numbers, sweeps; serial, multi-process or Dask; resumable with ``store=DIR``)::

    from fieldtotable import compare, replicate, sweep

    print(replicate(scenario, n=30).kpis["spoilage_rate"])   # mean ± half-width
"""

# Imported for its registration: results' to_pandas() and _repr_html_ go through it.
import fieldtotable.export  # noqa: F401
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
    open_scenario,
    parse_scenario,
)
from fieldtotable.simulation import simulate
from fieldtotable.versions import __version__

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
    "open_scenario",
    "parse_scenario",
    "replicate",
    "simulate",
    "sweep",
]
