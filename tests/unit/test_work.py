"""Work a run may take: lower bounds, the static estimate and the run-time guard."""

from __future__ import annotations

from typing import Any

import pytest

from fieldtotable import builtin_scenario, simulate
from fieldtotable.errors import ScenarioError, SimulationError, WorkLimitError
from fieldtotable.model import lot, prepared, world
from fieldtotable.model.ledger import DAILY_QUANTITIES, LEG_QUANTITIES, MARKET_QUANTITIES
from fieldtotable.scenario import limits, work
from fieldtotable.scenario.loader import validate_scenario_data
from fieldtotable.scenario.overrides import apply_overrides
from scenario_builders import build_scenario

LEG = "legs.cp_shanghai"


def problems(changes: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        build_scenario(changes)
    return [(p.path, p.message) for p in info.value.problems]


def test_vehicle_capacity_has_a_physical_lower_bound() -> None:
    build_scenario({f"{LEG}.vehicle_capacity_kg": limits.MIN_VEHICLE_CAPACITY_KG})
    [(path, message)] = problems({f"{LEG}.vehicle_capacity_kg": 9.99})
    assert path == f"{LEG}.vehicle_capacity_kg"
    assert message.startswith("must be >= 10")


def test_max_wait_has_a_physical_lower_bound() -> None:
    dispatch = {"policy": "full_or_timeout", "min_load_kg": 100}
    build_scenario({f"{LEG}.dispatch": dispatch | {"max_wait_h": limits.MIN_MAX_WAIT_H}})
    [(path, message)] = problems({f"{LEG}.dispatch": dispatch | {"max_wait_h": 1e-9}})
    assert path == f"{LEG}.dispatch.max_wait_h"
    assert message.startswith("must be >= 0.001")


def test_the_estimate_bounds_the_events_of_every_shipped_scenario() -> None:
    for name in ("baseline", "scale_10x", "air_matsutake_direct", "minimal"):
        scenario = builtin_scenario(name)
        estimate = work.estimate_work(scenario)
        assert estimate is not None
        events = simulate(scenario).events_processed
        # An upper bound, and not a loose one (it refuses only what is really large).
        assert events <= estimate.events <= 3 * events, name


def test_the_largest_legitimate_studies_pass_with_margin() -> None:
    base = builtin_scenario("baseline")
    for scale in (10.0, 100.0, 1000.0):
        estimate = work.estimate_work(apply_overrides(base, {"scale": scale}))
        assert estimate is not None
        assert estimate.events < work.MAX_ESTIMATED_EVENTS / 100
    ten_years = base.with_horizon(3660)
    assert work.work_problems(ten_years) == []


def test_trips_grow_as_kg_over_vehicle_capacity() -> None:
    changes = {
        "scale": 1000.0,
        f"{LEG}.fleet": 10_000,
        f"{LEG}.vehicle_capacity_kg": 10.0,
        f"{LEG}.transit_time_h": 0.0,
        f"{LEG}.loading_h": 0.0,
        f"{LEG}.dispatch": {"policy": "full_or_timeout", "min_load_kg": 10.0, "max_wait_h": 1.0},
    }
    estimate = work.estimate_work(build_scenario(changes))
    assert estimate is not None
    assert estimate.trips_per_day["cp_shanghai"] > 20_000
    [(path, message)] = problems(changes | {"horizon_days": 3660})
    assert path == f"{LEG}.vehicle_capacity_kg"
    assert "too much work for one run" in message
    assert "trips a day" in message


def test_the_fleet_bounds_the_trips() -> None:
    changes = {"scale": 1000.0, f"{LEG}.vehicle_capacity_kg": 10.0, f"{LEG}.fleet": 1}
    estimate = work.estimate_work(build_scenario(changes))
    assert estimate is not None
    # one truck, 1 h loading and 2 x 50.7 h expected transit: under a trip a day
    assert estimate.trips_per_day["cp_shanghai"] < 1


def test_departures_are_work_of_their_own() -> None:
    departures = [i * 24 / 10_000 for i in range(10_000)]
    changes = {f"{LEG}.dispatch": {"policy": "scheduled", "departures_h": departures}}
    build_scenario(changes)  # 30 days: fine
    [(path, message)] = problems(changes | {"horizon_days": 3660})
    assert path == f"{LEG}.dispatch"
    assert "10,000 departures a day" in message


def test_routing_paths_are_counted_and_bounded() -> None:
    hubs = {
        f"h{i}": {"region": "shanghai", "storage_kg": 1000.0, "setpoint_c": 2.0} for i in range(16)
    }
    chain = ["cp", *hubs, "shanghai_dc"]
    leg = {
        "mode": "reefer_truck",
        "distance_km": 10.0,
        "transit_time_h": 1.0,
        "vehicle_capacity_kg": 1000.0,
        "dispatch": {"policy": "scheduled", "departures_h": [6.0]},
        "setpoint_c": 2.0,
    }
    legs = {
        f"l{k}_{j}": leg | {"from": chain[k], "to": chain[k + 1]}
        for k in range(len(chain) - 1)
        for j in range(2)
    }
    data = build_scenario({}).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["hubs"] |= hubs
    data["legs"] = legs
    with pytest.raises(ScenarioError) as info:
        validate_scenario_data(data)
    [problem] = info.value.problems
    assert problem.path == "legs"
    assert "too many routes to compare" in problem.message
    small = build_scenario({})
    assert work.route_paths(small) == 4  # cp and shanghai_dc, two products each


def test_daily_series_rows_match_the_ledger() -> None:
    # Spoiled and damaged kg are each kept by stage.
    assert len(DAILY_QUANTITIES) + 2 * len(lot.STAGES) == work.DAILY_ROWS_PER_PRODUCT
    assert len(LEG_QUANTITIES) == work.DAILY_ROWS_PER_LEG
    assert len(MARKET_QUANTITIES) == work.DAILY_ROWS_PER_MARKET


def test_customers_over_the_horizon_are_bounded() -> None:
    demand = "markets.store.demand"
    many = {"dist": "poisson", "mean": 999.0}
    changes = {
        "scale": 1000.0,
        f"{demand}.matsutake.customers_per_day": many,
        f"{demand}.yak_meat_chilled.customers_per_day": many,
        f"{demand}.matsutake.weekday_factors": [1.0] * 7,
    }
    build_scenario(changes | {"horizon_days": 365})
    estimate = work.estimate_work(build_scenario(changes | {"horizon_days": 365}))
    assert estimate is not None
    assert estimate.customers == pytest.approx(2 * 999_000 * 365)
    monkey = pytest.MonkeyPatch()
    with monkey.context() as patch:
        patch.setattr(work, "MAX_CUSTOMERS_OVER_HORIZON", 1e8)
        [(path, message)] = problems(changes | {"horizon_days": 365})
    assert path == "markets"
    assert "too many customers for one run" in message


def test_with_horizon_checks_the_work_of_the_longer_run() -> None:
    departures = [i * 24 / 10_000 for i in range(10_000)]
    scenario = build_scenario(
        {f"{LEG}.dispatch": {"policy": "scheduled", "departures_h": departures}}
    )
    assert scenario.with_horizon(10).horizon_days == 10
    with pytest.raises(ValueError, match="too much work for one run"):
        scenario.with_horizon(3660)


def test_a_run_past_its_event_budget_stops_naming_the_leg(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = build_scenario({f"{LEG}.vehicle_capacity_kg": 10.0, f"{LEG}.fleet": 100})
    # An estimate that misses the leg's trips: 100 events, a trip every 100 days.
    missed = work.WorkEstimate(events=100.0, trips_per_day={"cp_shanghai": 0.01})
    monkeypatch.setattr(prepared, "estimate_work", lambda _scenario: missed)
    monkeypatch.setattr(work, "MIN_EVENT_BUDGET", 0)
    with pytest.raises(WorkLimitError) as info:
        simulate(scenario)
    error = info.value
    assert isinstance(error, ScenarioError)
    assert isinstance(error, SimulationError)
    [problem] = error.problems
    assert problem.path == "legs.cp_shanghai"
    assert "10x the 100 estimated for the whole run" in problem.message
    assert "trips" in problem.message
    assert "\n" not in str(error)


def test_the_bounded_loop_gives_the_same_run() -> None:
    scenario = build_scenario({})
    result = simulate(scenario)
    same = world.World(scenario)
    same.env.run(until=same.context.horizon_h)  # SimPy's own loop
    assert world.events_processed(same.env) == result.events_processed


def test_lots_below_the_kg_resolution_do_not_hang_loading() -> None:
    changes = {
        "sources.pickers.supply.matsutake.kg_per_day": 1e-12,
        "sources.pickers.supply.yak_meat_chilled.kg_per_day": 1e-12,
        f"{LEG}.dispatch": {"policy": "full_or_timeout", "min_load_kg": 10.0, "max_wait_h": 1.0},
    }
    result = simulate(build_scenario(changes).with_horizon(10))
    assert result.events_processed < 10_000
