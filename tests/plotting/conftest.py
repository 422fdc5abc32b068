"""Shared runs of the plotting tests: one year of the baseline, small experiments."""

from __future__ import annotations

import pytest

from fieldtotable import (
    ComparisonResult,
    RunResult,
    Scenario,
    SweepResult,
    builtin_scenario,
    compare,
    sweep,
)


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    return builtin_scenario("baseline")


@pytest.fixture(scope="session")
def run(baseline_year_run: RunResult) -> RunResult:
    """A year of the baseline with its flow log (spoilage per place)."""
    return baseline_year_run


@pytest.fixture(scope="session")
def short(baseline: Scenario) -> Scenario:
    return baseline.with_horizon(30)


@pytest.fixture(scope="session")
def comparison(short: Scenario) -> ComparisonResult:
    fifo = short.model_copy(
        update={
            "markets": {
                key: market.model_copy(update={"issuing": "FIFO"})
                for key, market in short.markets.items()
            },
            "name": "FIFO",
        }
    )
    return compare({"FEFO": short, "FIFO": fifo}, n=3, seed=0, executor="serial")


@pytest.fixture(scope="session")
def sweep_result(short: Scenario) -> SweepResult:
    grid = {"scale": [1, 2, 3], "legs.kunming_shanghai.fleet": [2, 3]}
    return sweep(short, grid, n=2, seed=0, executor="serial")
