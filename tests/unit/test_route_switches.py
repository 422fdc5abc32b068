"""Capacity-aware routing: a product moves to another leg while its usual leg is backed up."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from fieldtotable import simulate
from fieldtotable.errors import ScenarioError
from fieldtotable.model.switching import RouteSwitchRule, clearing_rate_kg_per_h
from fieldtotable.scenario.schema import FullOrTimeoutDispatch, Scenario
from scenario_builders import build_scenario

#: A second, slower road from the collection point for matsutake only: routing takes
#: the fast one, so the slow one carries only what a switch sends over it.
SLOW_ROAD = {
    "from": "cp",
    "to": "shanghai_dc",
    "mode": "reefer_truck",
    "distance_km": 3000,
    "transit_time_h": {"dist": "constant", "value": 70},
    "fleet": 2,
    "vehicle_capacity_kg": 5000,
    "dispatch": {"policy": "scheduled", "departures_h": [8]},
    "setpoint_c": 2,
    "loading_h": 1,
    "cost_cny_per_trip": 300,
    "cost_cny_per_km": 7,
    "products": ["matsutake"],
}


def channel(switches: list[dict[str, Any]] | None = None, **changes: Any) -> Scenario:
    """The small channel with a crowded main road (one 150 kg truck a day) and the slow road."""
    data: dict[str, Any] = {
        "legs.cp_shanghai.fleet": 1,
        "legs.cp_shanghai.vehicle_capacity_kg": 150,
        "legs.slow_road": SLOW_ROAD,
        **changes,
    }
    if switches is not None:
        data["routing"] = {"switches": switches}
    return build_scenario(data)


def switch(backlog_over_h: float, **extra: Any) -> dict[str, Any]:
    return {"product": "matsutake", "leg": "slow_road", "backlog_over_h": backlog_over_h, **extra}


def test_clearing_rate_of_a_leg() -> None:
    scenario = channel()
    # Scheduled once a day with one 150 kg truck, round trip 2 x 48.67 h + 1 h:
    # the fleet limits it to 150 kg per 98.3 h, below a truck per departure.
    main = scenario.legs["cp_shanghai"]
    round_trip = 2 * main.transit_time_h.expected + main.loading_h
    assert clearing_rate_kg_per_h(main) == pytest.approx(150 / round_trip)
    # Two 5 t trucks per 141 h round trip: 70.9 kg/h, below one truck per daily departure.
    slow = scenario.legs["slow_road"]
    assert clearing_rate_kg_per_h(slow) == pytest.approx(10_000 / 141)
    # Ten trucks could carry 354.6 kg/h, but one departure a day takes 5,000 kg / 24 h.
    assert clearing_rate_kg_per_h(slow.model_copy(update={"fleet": 10})) == pytest.approx(5000 / 24)
    # Leaving when full, ten trucks are limited by their round trips only.
    full_or_timeout = slow.model_copy(
        update={
            "fleet": 10,
            "dispatch": FullOrTimeoutDispatch(
                policy="full_or_timeout", min_load_kg=1000, max_wait_h=24
            ),
        }
    )
    assert clearing_rate_kg_per_h(full_or_timeout) == pytest.approx(50_000 / 141)


@pytest.mark.python_model
def test_the_rule_compares_the_usual_legs_backlog_with_its_threshold() -> None:
    waiting = {0: 300.0, 1: 500.0}
    usual = SimpleNamespace(routed_products_now=lambda: (0, 1), clearing_rate_kg_per_h=40.0)
    origin = SimpleNamespace(kg_of=lambda products: sum(waiting[p] for p in products))
    context = SimpleNamespace(
        env=SimpleNamespace(now=0.0), calendar=SimpleNamespace(month_at=lambda _t: 7)
    )
    rule = RouteSwitchRule(context, 0, origin, {7: usual}, 19.0, alternative=None)  # type: ignore[arg-type]
    assert rule.backlog_h() == pytest.approx(800 / 40)
    assert rule.active()
    waiting[1] = 400.0  # 700 kg: 17.5 h
    assert not rule.active()
    # In a month where no leg carries the product on, there is no backlog.
    context.calendar.month_at = lambda _t: 8
    assert rule.backlog_h() == 0.0


def test_without_a_switch_the_alternative_leg_stays_empty() -> None:
    result = simulate(channel(), seed=0)
    assert result.by_leg["slow_road"]["kg_carried"] == 0.0
    assert result.kpis["rerouted_kg"] == 0.0


def test_a_switch_moves_the_backlog_onto_the_alternative_leg() -> None:
    crowded = simulate(channel(), seed=0)
    switched = simulate(channel([switch(24)]), seed=0)
    slow = switched.by_leg["slow_road"]
    assert slow["rerouted_kg"] > 1000.0
    # The slow road carries nothing of its own: everything on it was switched there.
    assert slow["rerouted_kg"] == pytest.approx(slow["kg_carried"], rel=1e-12)
    assert switched.kpis["rerouted_kg"] == pytest.approx(slow["rerouted_kg"], rel=1e-12)
    assert switched.by_leg["cp_shanghai"]["rerouted_kg"] == 0.0
    # Relieving the crowded road sells more matsutake.
    assert switched.by_product["matsutake"]["sold_kg"] > crowded.by_product["matsutake"]["sold_kg"]


def test_a_switch_that_never_triggers_changes_nothing() -> None:
    assert simulate(channel([switch(5000)]), seed=2) == simulate(channel(), seed=2)


def test_a_lower_threshold_reroutes_at_least_as_much() -> None:
    rerouted = [
        simulate(channel([switch(hours)]), seed=1).kpis["rerouted_kg"] for hours in (200, 48, 6)
    ]
    assert rerouted == sorted(rerouted)
    assert rerouted[-1] > rerouted[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"leg": "no_such_leg"}, "routing.switches[0].leg: unknown leg 'no_such_leg'"),
        ({"product": "lychee"}, "routing.switches[0].product: unknown product 'lychee'"),
        ({"product": "yak_meat_chilled"}, "does not carry 'yak_meat_chilled'"),
        ({"backlog_over_h": 0}, "routing.switches[0].backlog_over_h"),
    ],
)
def test_bad_switches_are_located_errors(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        channel([switch(24) | change])
    assert message in str(caught.value)


def test_a_switch_to_a_leg_that_leads_nowhere_is_an_error() -> None:
    dead_end = {"region": "shanghai", "storage_kg": 1000, "setpoint_c": 2}
    leg = dict(SLOW_ROAD, to="dead_end")
    with pytest.raises(ScenarioError) as caught:
        build_scenario(
            {
                "hubs.dead_end": dead_end,
                "legs.slow_road": leg,
                "routing": {"switches": [switch(24)]},
            }
        )
    assert "'matsutake' cannot reach a market selling it from 'dead_end'" in str(caught.value)


def test_two_legs_that_are_each_others_alternative_run() -> None:
    # Yak goes by the (slow) rail leg it prefers, matsutake by the road; each may take
    # the other's product when that one's leg is backed up. A rule reads the backlog of
    # the products routed over the usual leg, so the two rules never ask each other.
    rail = dict(SLOW_ROAD, mode="rail_reefer", products=None)
    scenario = build_scenario(
        {
            "legs.cp_shanghai.fleet": 1,
            "legs.cp_shanghai.vehicle_capacity_kg": 150,
            "legs.slow_road": {key: value for key, value in rail.items() if value is not None},
            "routing": {
                "prefer_modes": {"yak_meat_chilled": ["rail_reefer"]},
                "switches": [
                    switch(24),
                    {"product": "yak_meat_chilled", "leg": "cp_shanghai", "backlog_over_h": 24},
                ],
            },
        }
    )
    result = simulate(scenario, seed=0)
    assert result.by_leg["slow_road"]["rerouted_kg"] > 0.0
