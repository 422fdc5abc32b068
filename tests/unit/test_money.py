"""The money KPIs: closed-form cost lines, capacity and zero-price checks, P&L add-ups."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
import yaml

from fieldtotable import ScenarioError, builtin_scenario, load_scenario, parse_scenario, simulate
from fieldtotable.model.money import COST_LINES
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.schema_money import capital_recovery_factor

DAYS = 10


def one_leg(**changes: Any) -> dict[str, Any]:
    """A deterministic one-product channel whose every cost line is computed by hand.

    100 kg harvested at 06:00 reach the collection point at once (no grading, no
    pre-cooling), leave at 12:00 on a 1-hour trip, stand 0.5 h on the hub's dock and
    are all ordered at 18:00: the collection point holds 100 kg for 6 h a day, the
    hub 100 kg for 4.5 h.
    """
    data: dict[str, Any] = {
        "name": "money by hand",
        "start_date": "2023-01-01",
        "horizon_days": DAYS,
        "climate": {"r": {"monthly_mean_c": [10.0] * 12}},
        "products": {
            "p": {
                "temperature_class": "chilled",
                "shelf_life_days": 1000.0,
                "ref_temp_c": 0.0,
                "q10": 1.0,
                "price_cny_per_kg": 10.0,
                "farm_gate_price_cny_per_kg": 4.0,
                "packaging_cny_per_kg": 0.5,
            }
        },
        "sources": {
            "farm": {
                "region": "r",
                "collection_point": "cp",
                "harvest_hour": 6.0,
                "supply": {"p": {"kg_per_day": {"dist": "constant", "value": 100.0}}},
            }
        },
        "collection_points": {
            "cp": {
                "region": "r",
                "cold_room_kg": 1000.0,
                "setpoint_c": 0.0,
                "handling_cny_per_kg": 0.2,
                "rent_cny_per_kg_year": 1.0,
                "cold_room_capital": {"price_cny_per_unit": 10.0, "life_years": 5.0},
                "precooling": {"capital": {"price_cny_per_unit": 1000.0, "life_years": 10.0}},
                "fixed_cny_per_year": 3650.0,
            }
        },
        "hubs": {
            "dc": {
                "region": "r",
                "storage_kg": 1000.0,
                "setpoint_c": 0.0,
                "handling_cny_per_kg": {"p": 0.3},
                "storage_capital": {"price_cny_per_unit": 2.0, "life_years": 20.0},
                "fixed_cny_per_year": 365.0,
            }
        },
        "legs": {
            "cp_dc": {
                "from": "cp",
                "to": "dc",
                "mode": "reefer_truck",
                "distance_km": 100.0,
                "transit_time_h": {"dist": "constant", "value": 1.0},
                "vehicle_capacity_kg": 1000.0,
                "dispatch": {"policy": "scheduled", "departures_h": [12.0]},
                "setpoint_c": 0.0,
                "cost_cny_per_trip": 100.0,
                "vehicle_capital": {"price_cny_per_unit": 50000.0, "life_years": 8.0},
            }
        },
        "markets": {
            "buyers": {
                "kind": "orders",
                "supplied_by": "dc",
                "fixed_cny_per_year": 730.0,
                "orders": {
                    "p": {
                        "every_days": 1.0,
                        "at_hour": 18.0,
                        "kg": {"dist": "constant", "value": 100.0},
                    }
                },
            }
        },
        "finance": {"electricity_cny_per_kwh": 1.0},
    }
    for path, value in changes.items():
        node = data
        *parents, last = path.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    return data


def run(data: dict[str, Any]) -> Any:
    return simulate(Scenario.model_validate(data), seed=0)


def test_every_line_by_hand() -> None:
    result = run(one_leg())
    kpis = result.kpis
    years = DAYS / 365
    crf = capital_recovery_factor
    kwh_per_kg_day = 24 * (0.03 + 0.005 * 10) / 2.5 / 1000  # the default cooling law, 10 K
    kg_days = (100 * 6 + 100 * 4.5) * DAYS / 24
    expected = {
        "revenue_cny": 1000 * 10.0,
        "purchase_cost_cny": 1000 * 4.0,
        "handling_cost_cny": 1000 * 0.2 + 1000 * 0.3,
        "storage_cost_cny": kg_days * kwh_per_kg_day * 1.0 + 1000 * 1.0 * years,
        "packaging_cost_cny": 1000 * 0.5,
        "capital_cost_cny": years
        * (
            1000 * 10 * crf(0.08, 5)
            + 1000 * crf(0.08, 10)
            + 1000 * 2 * crf(0.08, 20)
            + 50000 * crf(0.08, 8)
        ),
        "fixed_cost_cny": (3650 + 365 + 730) * years,
        "transport_cost_cny": DAYS * 100.0,
        "spoilage_loss_cny": 0.0,
        "producer_income_cny": 4000.0,
    }
    for key, value in expected.items():
        assert kpis[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
    total = sum(expected[line] for line in COST_LINES)
    assert kpis["total_cost_cny"] == pytest.approx(total, rel=1e-12)
    assert kpis["profit_cny"] == kpis["revenue_cny"] - kpis["total_cost_cny"]
    assert kpis["margin_rate"] == kpis["profit_cny"] / kpis["revenue_cny"]
    assert kpis["total_cost_per_kg_sold_cny"] == kpis["total_cost_cny"] / kpis["sold_kg"]
    market = result.by_market["buyers"]
    for key in (*COST_LINES, "revenue_cny", "total_cost_cny", "profit_cny"):
        assert market[key] == pytest.approx(kpis[key], rel=1e-12), key


def test_total_is_the_sum_of_the_lines_in_order() -> None:
    kpis = run(one_leg()).kpis
    total = 0.0
    for line in COST_LINES:
        total += kpis[line]
    assert kpis["total_cost_cny"] == total


def test_doubling_a_cold_room_doubles_its_capital_and_nothing_else() -> None:
    small = run(one_leg(**{"collection_points.cp.rent_cny_per_kg_year": 0.0})).kpis
    big = run(
        one_leg(
            **{
                "collection_points.cp.rent_cny_per_kg_year": 0.0,
                "collection_points.cp.cold_room_kg": 2000.0,
            }
        )
    ).kpis
    room = 1000 * 10 * capital_recovery_factor(0.08, 5) * DAYS / 365
    assert big["capital_cost_cny"] - small["capital_cost_cny"] == pytest.approx(room, rel=1e-9)
    for key in COST_LINES:
        if key != "capital_cost_cny":
            assert big[key] == small[key], key
    assert big["sold_kg"] == small["sold_kg"]


def test_a_scenario_without_money_has_no_capital_or_purchase() -> None:
    result = simulate(load_scenario("scenarios/minimal.yaml"), seed=0)
    for key in ("capital_cost_cny", "purchase_cost_cny", "producer_income_cny", "fixed_cost_cny"):
        assert result.kpis[key] == 0.0
        assert all(values[key] == 0.0 for values in result.by_product.values())
        assert all(values.get(key, 0.0) == 0.0 for values in result.by_market.values())
    assert result.kpis["revenue_cny"] == result.kpis["sold_value_cny"] > 0
    assert result.kpis["total_cost_cny"] == result.kpis["transport_cost_cny"]


def assert_adds_up(result: Any) -> None:
    """Products and markets add up to the channel: exactly, or to rounding."""
    products, markets = result.by_product.values(), result.by_market.values()
    exact = [line for line in COST_LINES if line != "transport_cost_cny"]
    for line in [*exact, "spoilage_loss_cny"]:
        assert sum(values[line] for values in products) == result.kpis[line], line
    for line in ("transport_cost_cny", "revenue_cny", "total_cost_cny", "profit_cny"):
        total = sum(values[line] for values in products)
        assert math.isclose(total, result.kpis[line], rel_tol=1e-9, abs_tol=1e-6), line
    for line in (*COST_LINES, "revenue_cny", "total_cost_cny", "profit_cny"):
        total = sum(values[line] for values in markets)
        assert math.isclose(total, result.kpis[line], rel_tol=1e-9, abs_tol=1e-6), line
    for values in [*products, *markets, result.kpis]:
        assert values["profit_cny"] == values["revenue_cny"] - values["total_cost_cny"]


def test_the_baseline_pnl_adds_up() -> None:
    result = simulate(builtin_scenario("baseline"), seed=0)
    assert_adds_up(result)
    assert result.kpis["purchase_cost_cny"] > 0
    assert result.kpis["profit_cny"] > 0
    assert 0.97 * 65.1e6 <= result.kpis["sold_value_cny"] <= 1.03 * 65.1e6


def test_market_prices_and_freshness_factors() -> None:
    base = run(one_leg()).kpis["revenue_cny"]
    dearer = run(one_leg(**{"markets.buyers.prices_cny_per_kg": {"p": 20.0}})).kpis
    assert dearer["revenue_cny"] == pytest.approx(2 * base, rel=1e-12)
    assert dearer["revenue_cny"] == dearer["sold_value_cny"]
    steps = [
        {"remaining_at_least": 0.0, "factor": 0.5},
        {"remaining_at_least": 0.999, "factor": 2.0},
    ]
    fresh = run(one_leg(**{"markets.buyers.freshness_prices": steps})).kpis
    # Shelf life 1000 d: every kg sells with more than 99.9 % of it left.
    assert fresh["revenue_cny"] == pytest.approx(2 * base, rel=1e-12)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("markets.buyers.prices_cny_per_kg", {"q": 5.0}, "unknown product 'q'"),
        ("hubs.dc.handling_cny_per_kg", {"q": 5.0}, "unknown product 'q'"),
        (
            "collection_points.cp.cold_room_capital",
            {"price_cny_per_unit": 1.0, "life_years": 0.0},
            "must be >= 0.1",
        ),
        ("finance.discount_rate", 1.5, "must be <= 1"),
        ("markets.buyers.issuing", "XX", "must be 'FEFO'"),  # an orders market's own field
        (
            "markets.buyers.freshness_prices",
            [
                {"remaining_at_least": 0.5, "factor": 1.0},
                {"remaining_at_least": 0.2, "factor": 0.5},
            ],
            "increase strictly",
        ),
    ],
)
def test_bad_money_is_one_located_problem(path: str, value: Any, message: str) -> None:
    data = one_leg(**{path: copy.deepcopy(value)})
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(yaml.safe_dump(data), "money.yaml")
    problems = raised.value.problems
    assert len(problems) == 1
    assert problems[0].path.startswith(path)
    assert message in problems[0].message
    assert str(problems[0]).startswith("money.yaml:")
    assert problems[0].line is not None
