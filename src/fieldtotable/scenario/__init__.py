"""The input side: scenario schema, safe YAML loading, built-in scenarios.

Load a scenario from a file with :func:`load_scenario`, from text with
:func:`parse_scenario`, or pick one shipped with the package with
:func:`builtin_scenario` (names from :func:`builtin_scenario_names`). Every problem in
a scenario is reported at once, with file, line and field path, in a
:class:`fieldtotable.errors.ScenarioError`.
"""

from fieldtotable.scenario.loader import (
    builtin_scenario,
    builtin_scenario_names,
    load_scenario,
    parse_scenario,
)
from fieldtotable.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "builtin_scenario",
    "builtin_scenario_names",
    "load_scenario",
    "parse_scenario",
]
