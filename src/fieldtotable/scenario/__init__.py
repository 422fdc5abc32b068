"""The input side: scenario schema, safe YAML loading, variants, built-in scenarios.

Load a scenario from a file with :func:`load_scenario`, from text with
:func:`parse_scenario`, or pick one shipped with the package with
:func:`builtin_scenario` (names from :func:`builtin_scenario_names`, one-line
descriptions from :func:`builtin_scenario_descriptions`); :func:`open_scenario`
takes either, a path or a built-in name (:mod:`fieldtotable.scenario.builtin`). A
file may start from another with a top-level ``extends: other.yaml`` or
``extends: baseline`` (:mod:`fieldtotable.scenario.extends`). Every problem in a
scenario is reported at once, with file, line and field path, in a
:class:`fieldtotable.errors.ScenarioError`.

Change a loaded scenario by field path with :func:`apply_overrides`
(``{"legs.kunming_shanghai.fleet": 4}``; :func:`parse_assignment` reads the
command line's ``PATH=VALUE``), write it back as YAML with :func:`dump_scenario`,
get the JSON Schema of scenario files from :func:`scenario_json_schema`, and the
scenario's identity (the sha256 of its canonical JSON) from :func:`scenario_hash`.
"""

from fieldtotable.scenario.dump import dump_scenario
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.json_schema import scenario_json_schema
from fieldtotable.scenario.loader import (
    builtin_scenario,
    builtin_scenario_descriptions,
    builtin_scenario_names,
    load_scenario,
    open_scenario,
    parse_scenario,
)
from fieldtotable.scenario.overrides import apply_overrides, parse_assignment, parse_assignments
from fieldtotable.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "apply_overrides",
    "builtin_scenario",
    "builtin_scenario_descriptions",
    "builtin_scenario_names",
    "dump_scenario",
    "load_scenario",
    "open_scenario",
    "parse_assignment",
    "parse_assignments",
    "parse_scenario",
    "scenario_hash",
    "scenario_json_schema",
]
