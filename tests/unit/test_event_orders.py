"""Event orders: one-off large orders on given dates (expos, festivals)."""

from __future__ import annotations

from typing import Any

import pytest

from fieldtotable import simulate
from fieldtotable.errors import ScenarioError
from scenario_builders import build_scenario

EXPO = {"name": "food expo", "date": "2023-07-20", "at_hour": 9, "kg": {"matsutake": 200}}


def with_events(*events: dict[str, Any], **changes: Any) -> Any:
    return build_scenario({"markets.institutions.events": list(events), **changes})


def test_an_event_adds_its_kg_to_demand_and_counts_them_apart() -> None:
    plain = simulate(build_scenario(), seed=0)
    expo = simulate(
        with_events(EXPO, dict(EXPO, date="2023-07-25", kg={"yak_meat_chilled": 900})), seed=0
    )
    assert expo.kpis["event_demand_kg"] == 1100.0
    assert expo.by_product["matsutake"]["event_demand_kg"] == 200.0
    assert expo.by_product["yak_meat_chilled"]["event_demand_kg"] == 900.0
    # The streams draw the same orders: demand grows by exactly the events' kg.
    assert expo.kpis["demand_kg"] - plain.kpis["demand_kg"] == pytest.approx(1100.0, abs=1e-6)
    assert expo.by_market["institutions"]["demand_kg"] - plain.by_market["institutions"][
        "demand_kg"
    ] == pytest.approx(1100.0, abs=1e-6)
    # What the events got is sold; what they did not is lost, and part of lost sales.
    assert 0.0 <= expo.kpis["event_lost_sales_kg"] < 1100.0
    assert expo.kpis["lost_sales_kg"] >= expo.kpis["event_lost_sales_kg"]
    assert plain.kpis["event_demand_kg"] == plain.kpis["event_lost_sales_kg"] == 0.0


def test_an_event_before_anything_arrived_is_lost_whole() -> None:
    # At midnight of day 0 the Shanghai DC is empty.
    first = dict(EXPO, date="2023-07-01", at_hour=0)
    result = simulate(with_events(first), seed=3)
    assert result.kpis["event_demand_kg"] == 200.0
    assert result.kpis["event_lost_sales_kg"] == 200.0


def test_an_event_scales_with_the_scenario() -> None:
    result = simulate(with_events(EXPO, scale=2.5), seed=1)
    assert result.kpis["event_demand_kg"] == 500.0


def test_an_event_in_the_warm_up_is_not_measured() -> None:
    result = simulate(with_events(dict(EXPO, date="2023-07-03"), warmup_days=5), seed=1)
    assert result.kpis["event_demand_kg"] == 0.0


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            dict(EXPO, date="2023-08-30"),
            "markets.institutions.events[0].date: 2023-08-30 is outside the horizon "
            "(2023-07-01 to 2023-07-30)",
        ),
        (
            dict(EXPO, kg={"lychee": 10}),
            "markets.institutions.events[0].kg.lychee: unknown product 'lychee'",
        ),
        (dict(EXPO, kg={"matsutake": 0}), "markets.institutions.events[0].kg.matsutake"),
        (dict(EXPO, kg={}), "markets.institutions.events[0].kg"),
    ],
)
def test_bad_events_are_located_errors(event: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        with_events(event)
    assert message in str(caught.value)


def test_an_event_for_goods_that_never_reach_its_hub_is_an_error() -> None:
    # Only the store sells yak meat at the DC; a second hub's orders cannot get it.
    changes = {
        "hubs.side_dc": {"region": "shanghai", "storage_kg": 1000, "setpoint_c": 2},
        "markets.side_orders": {
            "kind": "orders",
            "supplied_by": "side_dc",
            "orders": {"matsutake": {"every_days": 1, "kg": 1}},
            "events": [dict(EXPO, kg={"yak_meat_chilled": 50})],
        },
        "legs.cp_side": {
            "from": "cp",
            "to": "side_dc",
            "mode": "van",
            "distance_km": 10,
            "transit_time_h": 1,
            "vehicle_capacity_kg": 1000,
            "dispatch": {"policy": "scheduled", "departures_h": [8]},
            "setpoint_c": 2,
        },
    }
    with pytest.raises(ScenarioError) as caught:
        build_scenario(changes)
    assert (
        "markets.side_orders.events[0].kg.yak_meat_chilled: no market supplied by 'side_dc' "
        "sells 'yak_meat_chilled'"
    ) in str(caught.value)
