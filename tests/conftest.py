"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fieldtotable import RunResult, Scenario, builtin_scenario, simulate
from fieldtotable.versions import model_build
from scenario_builders import build_scenario
from yaml_budget import NodeBudget, count_yaml_nodes


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the tests that instrument model internals when the model is compiled.

    Compiled (mypyc) classes have fixed methods and types: a test cannot patch a
    method on them or pass a stand-in object. The pure-Python run of the same source
    runs these tests; the compiled build's results are checked against it to the
    last bit instead (benchmarks/perf/fingerprint.py).
    """
    if model_build() != "compiled":
        return
    skip = pytest.mark.skip(reason="instruments model internals; the model is compiled")
    for item in items:
        if item.get_closest_marker("python_model") is not None:
            item.add_marker(skip)


@pytest.fixture
def make_scenario() -> Callable[..., Scenario]:
    """Build a small valid scenario: ``tests/data/small.yaml`` with dotted-path changes.

    ``make_scenario({"horizon_days": 10, "legs.cp_shanghai.fleet": 5})``; see
    ``tests/scenario_builders.py`` (``base=`` starts from a test's own data).
    """
    return build_scenario


@pytest.fixture
def yaml_nodes(monkeypatch: pytest.MonkeyPatch) -> NodeBudget:
    """Count the YAML nodes the scenario loader builds (see ``tests/yaml_budget.py``)."""
    return count_yaml_nodes(monkeypatch)


@pytest.fixture(scope="session")
def baseline_year_run() -> RunResult:
    """A year of the built-in baseline, seed 0, with its flow log (about 0.7 s).

    Shared by the plotting, calibration, Little's-law and scenario-library tests, which
    would otherwise each simulate this same run. The flow log does not change the run
    (``tests/property/test_invariants.py::test_flow_log_does_not_change_the_run``), so
    its KPIs are those of the plain run.
    """
    return simulate(builtin_scenario("baseline"), seed=0, record_flows=True)
