"""Limits several fields give together, and the model's guards behind the bounds."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest

from fieldtotable import simulate
from fieldtotable.errors import ScenarioError, SimulationError
from fieldtotable.model import collection, store_demand
from fieldtotable.scenario import limits, sizes
from scenario_builders import build_scenario

MONTHS = [10.0] * 12


def problems(changes: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        build_scenario(changes)
    return [(p.path, p.message) for p in info.value.problems]


def test_the_calendar_must_reach_the_end_of_the_run() -> None:
    latest = sizes.last_start_date(30)
    assert latest == dt.date(9999, 12, 31) - dt.timedelta(days=30 + sizes.CALENDAR_MARGIN_DAYS)
    build_scenario({"start_date": latest})
    [(path, message)] = problems({"start_date": latest + dt.timedelta(days=1)})
    assert path == "start_date"
    assert message.startswith(f"must be {latest.isoformat()} or earlier for a horizon of 30")


def test_with_horizon_refuses_a_run_past_9999() -> None:
    scenario = build_scenario({"start_date": sizes.last_start_date(30)})
    assert scenario.with_horizon(10).horizon_days == 10
    with pytest.raises(ValueError, match="dates end at 9999-12-31"):
        scenario.with_horizon(31)


def test_expected_customers_at_the_peak_are_bounded() -> None:
    peak = limits.MAX_CUSTOMERS_PER_DAY / 1.3  # the largest weekday factor of matsutake
    demand = "markets.store.demand.matsutake.customers_per_day"
    build_scenario({demand: {"dist": "poisson", "mean": peak / 1.01}})
    [(path, message)] = problems({demand: {"dist": "poisson", "mean": peak * 1.01}})
    assert path == demand
    assert "customers a day at the peak" in message
    # scale multiplies in: each value alone is within its bounds
    [(path, _)] = problems({demand: {"dist": "poisson", "mean": peak / 100}, "scale": 101.0})
    assert path == demand


def test_ambient_tables_are_bounded() -> None:
    regions = 1 + sizes.MAX_AMBIENT_TABLE_ENTRIES // (2 * 32 * 24)
    climate = {"shangri_la": MONTHS, "shanghai": MONTHS}
    climate |= {f"r{i}": MONTHS for i in range(regions)}
    [(path, message)] = problems({"climate": climate})
    assert path == "climate"
    assert f"(2 x {regions + 2} x 768)" in message


def test_a_day_with_too_many_customers_is_a_scenario_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store_demand, "MAX_CUSTOMERS_DRAWN", 10)
    with pytest.raises(ScenarioError) as info:
        simulate(build_scenario({"horizon_days": 3}), seed=0)
    [problem] = info.value.problems
    assert problem.path.startswith("markets.store.demand.")
    assert problem.path.endswith(".customers_per_day")
    assert "customers on day 0, more than 10" in problem.message


def test_a_non_finite_supply_draw_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        collection, "make_vector_sampler", lambda *_: lambda size: np.full(size, math.nan)
    )
    with pytest.raises(SimulationError, match=r"sources\.pickers\.supply\..*kg_per_day"):
        simulate(build_scenario({"horizon_days": 3}), seed=0)
