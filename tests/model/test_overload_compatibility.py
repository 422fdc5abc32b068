"""wait_ambient is today's behaviour; on_full still loads; every policy keeps the balance."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from run_fingerprint import RUNS, fingerprint

from fieldtotable import ScenarioError, load_scenario, simulate
from fieldtotable.model.collection import SourceProcess
from fieldtotable.model.market import StoreProcess
from fieldtotable.scenario.schema import Breakage, Scenario
from nan_aware import same
from scenario_builders import build_scenario

REPO = Path(__file__).resolve().parents[2]
BEFORE = json.loads((REPO / "tests" / "data" / "fingerprints_before_overload.json").read_text())


@pytest.mark.parametrize(("name", "seed"), RUNS)
def test_wait_ambient_reproduces_the_results_of_main_before_overload_policies(
    name: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The digests are exact; shops that catch up add a day's sales in another order
    # than the events of that commit did (the same to rounding: test_store_wakeups.py),
    # and that commit drew a shop's demand and a source's harvests day by day
    # (test_demand_blocks.py).
    monkeypatch.setattr(StoreProcess, "sales_scheme", "sparse")
    monkeypatch.setattr(StoreProcess, "demand_block_days", 1)
    monkeypatch.setattr(SourceProcess, "harvest_block_days", 1)
    before = BEFORE[name]
    scenario = without_handling_losses(load_scenario(REPO / "scenarios" / name))
    result = simulate(scenario, seed=seed)
    assert fingerprint(result, before["keys"]) == before


def without_handling_losses(scenario: Scenario) -> Scenario:
    """``scenario`` without breakage and weight loss (calibrated after the fingerprints)."""
    products = {
        product_id: product.model_copy(update={"breakage": Breakage(), "weight_loss": None})
        for product_id, product in scenario.products.items()
    }
    return scenario.model_copy(update={"products": products})


@pytest.mark.parametrize(
    "spelling",
    [{"on_full": "wait"}, {"overload": {"policy": "wait_ambient"}}, {}],
    ids=["on_full", "explicit", "default"],
)
def test_every_spelling_of_waiting_gives_the_same_run(spelling: dict[str, Any]) -> None:
    def with_spelling(entry: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in entry.items() if key != "overload"} | spelling

    reference = simulate(build_scenario({"collection_points.cp.cold_room_kg": 300}), seed=4)
    base = build_scenario({"collection_points.cp.cold_room_kg": 300}).model_dump(by_alias=True)
    changes = {
        "collection_points.cp": with_spelling(base["collection_points"]["cp"]),
        "hubs.shanghai_dc": with_spelling(base["hubs"]["shanghai_dc"]),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the old spelling loads without a warning
        result = simulate(build_scenario(changes), seed=4)
    assert same(result.kpis, reference.kpis)
    assert result.losses == reference.losses
    assert result.daily == reference.daily


def test_the_old_refuse_is_refuse_upstream_without_back_pressure() -> None:
    scenario = build_scenario({"hubs.shanghai_dc.on_full": "refuse"})
    overload = scenario.hubs["shanghai_dc"].overload
    assert overload.model_dump() == {"policy": "refuse_upstream", "back_pressure": False}


def test_on_full_and_overload_together_are_refused() -> None:
    with pytest.raises(ScenarioError, match="not both"):
        build_scenario(
            {
                "hubs.shanghai_dc.on_full": "wait",
                "hubs.shanghai_dc.overload": {"policy": "wait_ambient"},
            }
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"collection_points.cp.priority": {"order": "products", "products": ["saffron"]}},
            "unknown product",
        ),
        (
            {
                "collection_points.cp.priority": {
                    "order": "products",
                    "products": ["matsutake", "matsutake"],
                }
            },
            "listed twice",
        ),
        (
            {
                "hubs.shanghai_dc.overload": {
                    "policy": "overflow",
                    "capacity_kg": 10.0,
                    "setpoint_c": 2.0,
                    "rent_cny_per_kg_day": 1e5,
                }
            },
            "must be <= 10000",
        ),
        ({"hubs.shanghai_dc.overload": {"policy": "overflow", "setpoint_c": 2.0}}, "capacity_kg"),
        ({"hubs.shanghai_dc.overload": {"policy": "spill"}}, "policy"),
        ({"products.matsutake.local_price_cny_per_kg": 0.0}, "must be > 0"),
    ],
)
def test_bad_overload_entries_are_one_located_problem(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ScenarioError, match=message):
        build_scenario(changes)


@pytest.mark.parametrize("path", sorted((REPO / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_every_built_in_scenario_states_its_overload_policies_itself(path: Path) -> None:
    own = yaml.safe_load(path.read_text(encoding="utf-8"))  # the file's own text, not its parent's
    scenario = load_scenario(path)
    places = [("collection_points", node_id) for node_id in scenario.collection_points]
    places += [("hubs", node_id) for node_id in scenario.hubs]
    assert places
    for section, node_id in places:
        stated = (own.get(section) or {}).get(node_id) or {}
        assert "overload" in stated, f"{path.name}: {section}.{node_id} does not state its overload"


@pytest.mark.parametrize(
    "overloads",
    [
        {
            "collection_points.cp.overload": {"policy": "refuse_upstream"},
            "hubs.shanghai_dc.overload": {"policy": "refuse_upstream"},
        },
        {
            "collection_points.cp.overload": {
                "policy": "overflow",
                "capacity_kg": 100.0,
                "setpoint_c": 4.0,
                "handling_h": 3.0,
            },
            "hubs.shanghai_dc.overload": {
                "policy": "overflow",
                "capacity_kg": 200.0,
                "setpoint_c": 4.0,
                "then": "refuse_upstream",
            },
        },
        {
            "collection_points.cp.overload": {"policy": "refuse_upstream", "back_pressure": False},
            "hubs.shanghai_dc.overload": {
                "policy": "overflow",
                "capacity_kg": 50.0,
                "setpoint_c": 8.0,
            },
        },
    ],
    ids=["refuse_upstream", "overflow", "mixed"],
)
@pytest.mark.parametrize("warmup_days", [0, 5])
def test_mass_balance_holds_with_refused_and_overflow_kg(
    overloads: dict[str, Any], warmup_days: int
) -> None:
    scenario = build_scenario(
        {
            **overloads,
            "warmup_days": warmup_days,
            "collection_points.cp.cold_room_kg": 150.0,
            "hubs.shanghai_dc.storage_kg": 300.0,
            "collection_points.cp.priority": {"order": "least_shelf_life"},
            "hubs.shanghai_dc.priority": {"order": "products", "products": ["matsutake"]},
        }
    )
    result = simulate(scenario, seed=2)
    kpis = result.kpis
    accounted = (
        kpis["rejected_kg"] + kpis["refused_kg"] + kpis["spoiled_kg"] + kpis["sold_kg"]
        + kpis["in_system_kg_end"]
    )  # fmt: skip
    assert kpis["in_system_kg_warmup_end"] + kpis["harvested_kg"] == pytest.approx(
        accounted, rel=1e-9
    )
    assert kpis["refused_kg"] + kpis["overflow_store_kg"] > 0
    refused = sum(loss.kg for loss in result.losses if loss.fate == "refused")
    assert refused == pytest.approx(kpis["refused_kg"], rel=1e-9, abs=1e-9)
    assert {loss.reason for loss in result.losses if loss.fate == "refused"} <= {
        "store_full", "overflow_full",
    }  # fmt: skip
    # Nothing sits in a store with back pressure beyond its capacity and overflow store.
    for node_id, stats in result.by_node.items():
        assert stats["peak_overflow_store_kg"] <= 200.0 + 1e-9, node_id
    total = 0.0
    for line in ("purchase", "handling", "storage", "packaging", "capital", "fixed", "transport"):
        total += kpis[f"{line}_cost_cny"]
    assert kpis["total_cost_cny"] == total
    for key in (
        "total_cost_cny",
        "producer_income_cny",
        "overflow_cost_cny",
        "kept_by_producers_kg",
    ):
        by_product = sum(values[key] for values in result.by_product.values())
        assert by_product == pytest.approx(kpis[key], rel=1e-9, abs=1e-9)
    by_market = sum(market["total_cost_cny"] for market in result.by_market.values())
    assert by_market == pytest.approx(kpis["total_cost_cny"], rel=1e-9)
