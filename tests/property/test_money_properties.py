"""The money KPIs on random channels (Hypothesis): lines add up, nothing is left out.

Every example is a random valid channel of :mod:`test_invariants` with random money
on every entity (farm-gate and market prices, handling, packaging, rent, capital of
every capacity, fixed costs, electricity, a freshness table) and sometimes a warm-up.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_invariants import scenario_data

from fieldtotable import RunResult, simulate
from fieldtotable.model.money import COST_LINES
from fieldtotable.scenario.schema import Scenario

MONEY = st.sampled_from([0.0, 0.0, 0.35, 3.0, 250.0])
CAPITAL = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "price_cny_per_unit": st.sampled_from([0.0, 5.0, 1e5]),
            "life_years": st.sampled_from([0.1, 8.0, 20.0]),
        }
    ),
)


@st.composite
def money_scenarios(draw: st.DrawFn) -> Scenario:
    data: dict[str, Any] = draw(scenario_data())
    for product in data["products"].values():
        product["farm_gate_price_cny_per_kg"] = draw(MONEY)
        product["packaging_cny_per_kg"] = draw(MONEY)
    for source in data["sources"].values():
        for supply in source["supply"].values():
            if draw(st.booleans()):
                supply["farm_gate_price_cny_per_kg"] = draw(MONEY)
    for section, capital in (
        ("collection_points", "cold_room_capital"),
        ("hubs", "storage_capital"),
    ):
        for node in data.get(section, {}).values():
            node["handling_cny_per_kg"] = draw(MONEY)
            node["rent_cny_per_kg_year"] = draw(MONEY)
            node["fixed_cny_per_year"] = draw(st.sampled_from([0.0, 1e5]))
            found = draw(CAPITAL)
            if found is not None:
                node[capital] = found
    for leg in data.get("legs", {}).values():
        found = draw(CAPITAL)
        if found is not None:
            leg["vehicle_capital"] = found
    for market in data["markets"].values():
        market["fixed_cny_per_year"] = draw(st.sampled_from([0.0, 2e5]))
        if market["kind"] == "store":
            found = draw(CAPITAL)
            if found is not None:
                market["shelf_capital"] = found
        if draw(st.booleans()):
            market["freshness_prices"] = [
                {"remaining_at_least": 0.0, "factor": 0.5},
                {"remaining_at_least": 0.5, "factor": 1.2},
            ]
        if draw(st.booleans()):
            product = next(iter(data["products"]))
            market["prices_cny_per_kg"] = {product: 123.0}
    data["finance"] = {
        "discount_rate": draw(st.sampled_from([0.0, 0.08, 1.0])),
        "electricity_cny_per_kwh": draw(st.sampled_from([0.0, 0.7])),
    }
    if draw(st.booleans()):
        data["warmup_days"] = data["horizon_days"] // 3
    return Scenario.model_validate(data)


def check(result: RunResult) -> None:
    views = [result.kpis, *result.by_product.values(), *result.by_market.values()]
    for values in views:
        total = 0.0
        for line in COST_LINES:
            assert math.isfinite(values[line]), line
            assert values[line] >= 0, line
            total += values[line]
        assert values["total_cost_cny"] == total
        assert values["profit_cny"] == values["revenue_cny"] - values["total_cost_cny"]
    kpis = result.kpis
    assert kpis["revenue_cny"] == kpis["sold_value_cny"]
    assert kpis["producer_income_cny"] == kpis["purchase_cost_cny"]
    assert math.isfinite(kpis["spoilage_loss_cny"])
    assert kpis["spoilage_loss_cny"] >= 0
    products, markets = result.by_product.values(), result.by_market.values()
    for line in COST_LINES:
        by_product = sum(values[line] for values in products)
        if line != "transport_cost_cny":
            assert by_product == kpis[line], line
        assert math.isclose(by_product, kpis[line], rel_tol=1e-9, abs_tol=1e-6), line
    for line in (*COST_LINES, "revenue_cny", "total_cost_cny", "profit_cny"):
        by_market = sum(values[line] for values in markets)
        assert math.isclose(by_market, kpis[line], rel_tol=1e-9, abs_tol=1e-6), line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=money_scenarios(), seed=st.integers(0, 2**32 - 1))
def test_money_lines_add_up(scenario: Scenario, seed: int) -> None:
    check(simulate(scenario, seed=seed))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=money_scenarios(), seed=st.integers(0, 1000))
def test_money_leaves_the_physics_alone(scenario: Scenario, seed: int) -> None:
    """A scenario with its money taken out runs the same kilograms."""
    bare = Scenario.model_validate(
        scenario.model_dump(
            by_alias=True,
            exclude={"finance": True, "products": {"__all__": {"farm_gate_price_cny_per_kg"}}},
        )
    )
    with_money, without = simulate(scenario, seed=seed), simulate(bare, seed=seed)
    for key in ("harvested_kg", "sold_kg", "spoiled_kg", "in_system_kg_end", "transport_cost_cny"):
        assert with_money.kpis[key] == without.kpis[key]
