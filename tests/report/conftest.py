"""Shared results of the report and export tests: small runs, a comparison and a sweep.

Every result comes from ``tests/data/small.yaml`` shortened to 12 days (a few ms a
run), with a warm-up so that measured and unmeasured days both occur.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtotable import (
    ComparisonResult,
    ExperimentResult,
    RunResult,
    Scenario,
    SweepResult,
    apply_overrides,
    compare,
    load_scenario,
    replicate,
    simulate,
    sweep,
)

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """``small.yaml``: 12 days, 2 of warm-up."""
    base = load_scenario(DATA / "small.yaml").with_horizon(12)
    return apply_overrides(base, {"warmup_days": 2})


@pytest.fixture(scope="session")
def run(scenario: Scenario) -> RunResult:
    return simulate(scenario, seed=3)


@pytest.fixture(scope="session")
def experiment(scenario: Scenario) -> ExperimentResult:
    return replicate(scenario, n=3, seed=1, executor="serial")


@pytest.fixture(scope="session")
def configurations(scenario: Scenario) -> dict[str, Scenario]:
    return {
        "base": scenario,
        "more trucks": apply_overrides(scenario, {"legs.cp_shanghai.fleet": 5}),
    }


@pytest.fixture(scope="session")
def comparison(configurations: dict[str, Scenario]) -> ComparisonResult:
    return compare(configurations, n=3, seed=2, executor="serial")


@pytest.fixture(scope="session")
def swept(scenario: Scenario) -> SweepResult:
    grid = {"legs.cp_shanghai.dispatch.departures_h": [[18], [6, 18]], "scale": [1, 2]}
    return sweep(scenario, grid, n=2, seed=0, executor="serial")


@pytest.fixture(scope="session")
def numeric_sweep(scenario: Scenario) -> SweepResult:
    grid = {"legs.cp_shanghai.fleet": [1, 3], "scale": [1, 2]}
    return sweep(scenario, grid, n=2, seed=0, executor="serial")
