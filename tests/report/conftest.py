"""Shared results of the report and export tests: small runs, a comparison and a sweep.

Every result comes from ``tests/data/small.yaml`` shortened to 12 days (a few ms a
run), with a warm-up so that measured and unmeasured days both occur; the ``money_``
results from it over 20 days with a price on every cost line (:data:`MONEY_CHANGES`).
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
from scenario_builders import build_scenario

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


def _capital(price_cny_per_unit: float, life_years: float) -> dict[str, float]:
    return {"price_cny_per_unit": price_cny_per_unit, "life_years": life_years}


#: small.yaml with a price on every cost line, so that every stage of the cost is > 0.
MONEY_CHANGES = {
    "horizon_days": 20,
    "products.matsutake.farm_gate_price_cny_per_kg": 200.0,
    "products.yak_meat_chilled.farm_gate_price_cny_per_kg": 60.0,
    "products.matsutake.packaging_cny_per_kg": 2.0,
    "collection_points.cp.handling_cny_per_kg": 1.5,
    "collection_points.cp.cold_room_capital": _capital(800.0, 15.0),
    "collection_points.cp.fixed_cny_per_year": 100_000.0,
    "hubs.shanghai_dc.storage_capital": _capital(500.0, 20.0),
    "hubs.shanghai_dc.fixed_cny_per_year": 200_000.0,
    "legs.cp_shanghai.vehicle_capital": _capital(300_000.0, 8.0),
    "markets.store.shelf_capital": _capital(3_000.0, 10.0),
    "markets.store.fixed_cny_per_year": 300_000.0,
}


@pytest.fixture(scope="session")
def money_scenario() -> Scenario:
    """``small.yaml`` over 20 days with purchase, handling, packaging, capital and fixed costs."""
    return build_scenario(MONEY_CHANGES)


@pytest.fixture(scope="session")
def money_configurations(money_scenario: Scenario) -> dict[str, Scenario]:
    return {
        "base": money_scenario,
        "more trucks": apply_overrides(money_scenario, {"legs.cp_shanghai.fleet": 5}),
    }


@pytest.fixture(scope="session")
def money_comparison(money_configurations: dict[str, Scenario]) -> ComparisonResult:
    return compare(money_configurations, n=3, seed=0, executor="serial")


@pytest.fixture(scope="session")
def money_sweep(money_scenario: Scenario) -> SweepResult:
    """Fleets of 1, 3 (the base scenario's own) and 5 trucks."""
    grid = {"legs.cp_shanghai.fleet": [1, 3, 5]}
    return sweep(money_scenario, grid, n=2, seed=0, executor="serial")
