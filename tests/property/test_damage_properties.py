"""Handling losses on random small channels (Hypothesis): every kg still accounted for.

The channels of :mod:`test_invariants`, whose products now break at handling events
and lose weight as they age, at rates up to the schema's bounds: the run's invariants
(capacities, fleets, issuing order, nothing sold after its shelf life ran out) still
hold; the mass balance with ``damaged`` closes over the whole horizon and over the
measured days after a warm-up; the losses table adds up to the KPIs by fate and, for
damage, by stage; damaged kg are never sold.
"""

from __future__ import annotations

import collections
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_invariants import floats, run_checked, scenario_data, warmup_balance

from fieldtotable import simulate
from fieldtotable.model.ledger import LOSS_FATES
from fieldtotable.model.lot import STAGES
from fieldtotable.scenario.network import check_network
from fieldtotable.scenario.schema import Scenario

REL = 1e-6


@st.composite
def damaged_scenarios(draw: st.DrawFn) -> Scenario:
    """A random channel whose products (some, or all) have handling losses."""
    data: dict[str, Any] = draw(scenario_data())
    for product in data["products"].values():
        if draw(st.booleans()):
            product["breakage"] = {
                event: draw(st.sampled_from([0.0, 0.001, 0.02]) | floats(0.0, 0.5))
                for event in ("loading", "unloading", "picking")
            }
        if draw(st.booleans()):
            law: dict[str, Any] = {"per_day": draw(st.sampled_from([0.001, 0.01]) | floats(0, 0.5))}
            if draw(st.booleans()):
                law["temp_c"] = draw(floats(-10.0, 30.0))
            product["weight_loss"] = law
    scenario = Scenario.model_validate(data)
    assert check_network(scenario) == []
    return scenario


def close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= REL * max(scale, 1.0)


@pytest.mark.python_model
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=damaged_scenarios(), seed=st.integers(0, 2**32 - 1))
def test_mass_balance_and_invariants_with_handling_losses(scenario: Scenario, seed: int) -> None:
    world, bad = run_checked(scenario, seed)
    assert not bad, bad
    ledger = world.ledger

    # Every flow moves a finite, non-negative amount (no lot shrinks below 0 kg).
    for flow in ledger.flows:
        assert flow.kg >= 0
        assert math.isfinite(flow.kg)

    result = simulate(scenario, seed)
    k = result.kpis
    harvested = k["harvested_kg"]
    out = sum(k[f"{fate}_kg"] for fate in LOSS_FATES) + k["sold_kg"] + k["in_system_kg_end"]
    assert close(out, harvested, harvested)
    assert k["damaged_kg"] >= 0
    assert k["in_system_kg_end"] >= -REL * max(harvested, 1.0)
    assert math.isfinite(k["damage_loss_cny"])
    assert k["damage_loss_cny"] >= 0
    if harvested > 0:
        assert k["damaged_rate"] == pytest.approx(k["damaged_kg"] / harvested, rel=1e-12)

    # The losses table, by fate and (for damage) by product and stage, is the KPIs.
    by_fate: dict[str, float] = collections.defaultdict(float)
    by_stage: dict[tuple[str, str], float] = collections.defaultdict(float)
    for loss in result.losses:
        assert loss.kg > 0
        by_fate[loss.fate] += loss.kg
        if loss.fate == "damaged":
            assert loss.reason in {
                "breakage_loading",
                "breakage_unloading",
                "breakage_picking",
                "weight_loss",
            }
            by_stage[loss.product, loss.stage] += loss.kg
    for fate in LOSS_FATES:
        assert close(by_fate[fate], k[f"{fate}_kg"], harvested)
    for product, values in result.by_product.items():
        assert close(
            sum(values[f"damaged_kg_{stage}"] for stage in STAGES), values["damaged_kg"], harvested
        )
        for stage in STAGES:
            assert close(by_stage[product, stage], values[f"damaged_kg_{stage}"], harvested)
    assert close(sum(result.daily["damaged_kg"]), k["damaged_kg"], harvested)
    per_product = sum(values["damaged_kg"] for values in result.by_product.values())
    assert close(per_product, k["damaged_kg"], harvested)

    # Damaged kg are never sold: the balance above counts each kg once, and the flow
    # log's sales and damage are the KPIs'.
    sold_flows = sum(flow.kg for flow in ledger.flows if flow.kind == "sell")
    damage_flows = sum(flow.kg for flow in ledger.flows if flow.kind == "damage")
    assert close(sold_flows, k["sold_kg"], harvested)
    assert close(damage_flows, k["damaged_kg"], harvested)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=damaged_scenarios(), seed=st.integers(0, 2**32 - 1), share=st.floats(0.0, 1.0))
def test_measured_days_balance_with_damage_and_a_warmup(
    scenario: Scenario, seed: int, share: float
) -> None:
    warmup = min(int(share * scenario.horizon_days), scenario.horizon_days - 1)
    result = simulate(scenario.model_copy(update={"warmup_days": warmup}), seed)
    for kpis in (result.kpis, *result.by_product.values()):
        held_and_harvested, accounted = warmup_balance(kpis)
        accounted += kpis["damaged_kg"]
        scale = max(held_and_harvested, 1.0)
        assert held_and_harvested == pytest.approx(accounted, rel=REL, abs=REL * scale)
