"""The scenario library in ``scenarios/``: every file loads, runs and says what it is.

Each file must start with the ``$schema`` line for editors, then a comment block that
says which question it answers and, for a variant, its parent and what differs. Every
file runs here with a shortened horizon (the simulation checks the mass balance after
every run). The variants are compared with ``baseline_2023.yaml`` field by field, so
that a file differs from its parent exactly where its comment says. A few full-year
runs pin the figures the comments quote: the 2022 file's sold value, and where the
channel breaks at 2x, 5x and 10x the 2023 volume.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import pytest

import fieldtotable as ft
from fieldtotable import RunResult, Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))
BASELINE = "baseline_2023.yaml"
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/scenario.schema.json"

#: The files the library promises (more may be added; each must pass every check).
EXPECTED_FILES = {
    "baseline_2022.yaml",
    "baseline_2023.yaml",
    "scale_2x.yaml",
    "scale_5x.yaml",
    "scale_10x.yaml",
    "dispatch_full_truckload.yaml",
    "rail_kunming_shanghai.yaml",
    "air_matsutake_direct.yaml",
    "fifo_store.yaml",
    "winter_closures.yaml",
    "monsoon_landslides.yaml",
    "minimal.yaml",
    "online_parcel.yaml",
    "origin_direct.yaml",
    "two_shops.yaml",
}

#: Days every file runs for in the smoke test (the whole module stays well under 30 s).
SHORT_DAYS = 30

#: Shanghai's purchases from Diqing, CNY (domain facts, "the channel").
PURCHASES_2022_CNY = 11.5e6
PURCHASES_2023_CNY = 65.1e6

#: Fields every variant may change besides those its comment names.
LABELS = {"name", "description"}


def _ids(paths: list[Path]) -> list[str]:
    return [path.stem for path in paths]


@functools.cache
def load(name: str) -> Scenario:
    """Load ``scenarios/<name>`` once."""
    return ft.load_scenario(SCENARIOS / name)


@functools.cache
def full_year(name: str, *, flows: bool = False) -> RunResult:
    """One full-year run of ``scenarios/<name>``, seed 0, shared by the tests."""
    return ft.simulate(load(name), seed=0, record_flows=flows)


def comment_block(path: Path) -> list[str]:
    """Return the leading comment lines of a file, without the ``$schema`` line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    block = []
    for line in lines:
        if not line.startswith("#"):
            break
        if line != SCHEMA_LINE:
            block.append(line)
    return block


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Map dotted paths to leaf values (lists and tuples are leaves)."""
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(flatten(value, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): data}


def differing_paths(name: str) -> dict[str, tuple[Any, Any]]:
    """Paths where ``name`` differs from the baseline: path -> (baseline, variant)."""
    base = flatten(load(BASELINE).model_dump(by_alias=True))
    variant = flatten(load(name).model_dump(by_alias=True))
    return {
        path: (base.get(path), variant.get(path))
        for path in base.keys() | variant.keys()
        if base.get(path) != variant.get(path) and path not in LABELS
    }


def store_sold_kg(result: RunResult, store: str = "shanghai_store") -> float:
    """Kg sold by one market, from the flow log."""
    assert result.flows is not None
    return sum(flow.kg for flow in result.flows if flow.kind == "sell" and flow.place == store)


# --- every file ----------------------------------------------------------------------


def test_library_holds_the_promised_files() -> None:
    missing = EXPECTED_FILES - {path.name for path in FILES}
    assert not missing, f"missing scenario files: {sorted(missing)}"


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_runs_with_a_shortened_horizon(path: Path) -> None:
    scenario = load(path.name).with_horizon(SHORT_DAYS)  # loaded once for the module
    result = ft.simulate(scenario, seed=0)  # raises MassBalanceError on a leak
    kpis = result.kpis
    assert kpis["harvested_kg"] > 0
    assert kpis["sold_kg"] > 0
    accounted = (
        kpis["rejected_kg"]
        + kpis["refused_kg"]
        + kpis["damaged_kg"]
        + kpis["spoiled_kg"]
        + kpis["sold_kg"]
    )
    assert accounted + kpis["in_system_kg_end"] == pytest.approx(kpis["harvested_kg"], rel=1e-6)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_starts_with_the_schema_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_LINE


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_has_a_comment_block_with_its_question(path: Path) -> None:
    block = comment_block(path)
    text = "\n".join(block)
    assert len([line for line in block if line.strip("# ")]) >= 8, "comment block too short"
    assert "Question it answers" in text
    assert "Parent:" in text or path.name == BASELINE


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_a_variant_names_its_parent_and_its_figures(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^extends:\s*(\S+)\s*$", text, flags=re.MULTILINE)
    if match is None:
        pytest.skip("not a variant")
    block = "\n".join(comment_block(path))
    parent = match.group(1)
    assert (SCENARIOS / parent).is_file()
    assert f"Parent: {parent}" in block
    assert "What differs" in block
    assert "Key figures" in block
    assert f"scenarios/{path.name} --seed 0" in block, "say how the figures were measured"


# --- variants differ from the baseline exactly where they say --------------------------


def test_baseline_2022_is_the_2023_channel_at_the_2022_scale() -> None:
    diff = differing_paths("baseline_2022.yaml")
    assert set(diff) == {"scale", "start_date"}
    scenario = load("baseline_2022.yaml")
    assert scenario.scale == pytest.approx(PURCHASES_2022_CNY / PURCHASES_2023_CNY, abs=1e-4)
    assert scenario.start_date == dt.date(2022, 1, 1)


def test_baseline_2022_sells_about_11_5_million_cny() -> None:
    value = full_year("baseline_2022.yaml").kpis["sold_value_cny"]
    assert value == pytest.approx(PURCHASES_2022_CNY, rel=0.15)


@pytest.mark.parametrize(
    ("name", "scale"), [("scale_2x.yaml", 2), ("scale_5x.yaml", 5), ("scale_10x.yaml", 10)]
)
def test_scale_files_change_only_the_scale(name: str, scale: float) -> None:
    assert differing_paths(name) == {"scale": (1.0, scale)}


def test_dispatch_full_truckload_changes_only_the_long_haul_dispatch() -> None:
    diff = differing_paths("dispatch_full_truckload.yaml")
    assert set(diff) == {
        f"legs.{leg}.dispatch.{field}"
        for leg in ("shangrila_kunming", "kunming_shanghai")
        for field in ("min_load_kg", "max_wait_h")
    }
    for leg_id in ("shangrila_kunming", "kunming_shanghai"):
        leg = load("dispatch_full_truckload.yaml").legs[leg_id]
        assert leg.dispatch.policy == "full_or_timeout"
        assert leg.dispatch.min_load_kg >= 0.9 * leg.vehicle_capacity_kg


def test_rail_changes_only_the_kunming_shanghai_leg() -> None:
    diff = differing_paths("rail_kunming_shanghai.yaml")
    assert diff
    assert all(path.startswith("legs.kunming_shanghai.") for path in diff)
    rail = load("rail_kunming_shanghai.yaml").legs["kunming_shanghai"]
    road = load(BASELINE).legs["kunming_shanghai"]
    assert rail.mode == "rail_reefer"
    assert 25_700 <= rail.vehicle_capacity_kg <= 28_900  # 40 ft reefer container
    assert rail.dispatch.policy == "full_or_timeout"
    assert 60 <= rail.transit_time_h.expected <= 96  # ~3-4 days

    # cost-facts.md: a 40 ft reefer container Kunming -> Shanghai is hired for
    # 12,000-18,000 CNY door to door; a full truck for 11,000-15,000 (its operating
    # cost: the trucks are owned, their capital is charged apart); rail is 15-30 %
    # cheaper than road per kg carried.
    def full_trip_cost(leg: Any) -> float:
        return leg.cost_cny_per_trip + leg.cost_cny_per_km * leg.distance_km

    assert 12_000 <= full_trip_cost(rail) <= 18_000
    assert 11_000 <= full_trip_cost(road) <= 15_000
    rail_per_kg = full_trip_cost(rail) / rail.vehicle_capacity_kg
    road_per_kg = full_trip_cost(road) / road.vehicle_capacity_kg
    assert 0.70 <= rail_per_kg / road_per_kg <= 0.85
    assert road.vehicle_capital is not None
    assert rail.vehicle_capital is None  # hired containers: no trucks' capital inherited


def test_air_direct_adds_one_matsutake_leg_from_the_shangrila_collection_point() -> None:
    diff = differing_paths("air_matsutake_direct.yaml")
    assert diff
    assert all(path.startswith("legs.shangrila_cp_air.") for path in diff)
    leg = load("air_matsutake_direct.yaml").legs["shangrila_cp_air"]
    assert (leg.from_, leg.to, leg.mode) == ("shangrila_cp", "shanghai_dc", "air")
    assert leg.products == ("matsutake",)
    assert set(leg.active_months) == {7, 8, 9, 10}


def test_air_direct_leg_flies_the_shangrila_matsutake_in_season() -> None:
    scenario = load("air_matsutake_direct.yaml").model_copy(
        update={"start_date": dt.date(2023, 8, 1)}
    )
    result = ft.simulate(scenario.with_horizon(SHORT_DAYS), seed=0)
    assert result.by_leg["shangrila_cp_air"]["kg_carried"] > 0
    assert result.by_leg["shangrila_shanghai_air"]["kg_carried"] > 0  # Deqin and Weixi


def test_fifo_store_changes_only_the_issuing_policies() -> None:
    diff = differing_paths("fifo_store.yaml")
    markets = ("shanghai_store", "institutional_buyers", "online_orders")
    assert diff == {f"markets.{market}.issuing": ("FEFO", "FIFO") for market in markets}


def test_online_parcel_adds_only_the_online_delivery() -> None:
    diff = differing_paths("online_parcel.yaml")
    assert diff
    assert all(path.startswith("markets.online_orders.delivery.") for path in diff)
    delivery = load("online_parcel.yaml").markets["online_orders"].delivery
    assert delivery is not None
    # cost-facts.md section 5: thick EPS with 2 kg ice holds ~24 h; 7-14 h without ice.
    assert delivery.ice_hold_h == 24
    assert 7 <= delivery.time_constant_h <= 14
    assert (delivery.courier_time_h.low, delivery.courier_time_h.high) == (24, 72)


def test_origin_direct_moves_only_the_online_matsutake_to_shangrila() -> None:
    diff = differing_paths("origin_direct.yaml")
    moved = "markets.online_orders.orders.matsutake.season"
    assert all(
        path.startswith(("markets.online_orders.delivery.", "markets.online_matsutake_direct."))
        or path == moved
        for path in diff
    )
    scenario = load("origin_direct.yaml")
    direct = scenario.markets["online_matsutake_direct"]
    assert (direct.supplied_by, direct.passing_stock) == ("shangrila_hub", True)
    assert set(scenario.markets["online_orders"].orders["matsutake"].season) == {0}


def test_two_shops_adds_one_store_and_runs_the_same_twice() -> None:
    diff = differing_paths("two_shops.yaml")
    assert all(path.startswith("markets.pudong_community_shop.") for path in diff)
    scenario = load("two_shops.yaml").with_horizon(SHORT_DAYS)
    scenario = scenario.model_copy(update={"start_date": dt.date(2023, 8, 1)})
    first, second = ft.simulate(scenario, seed=3), ft.simulate(scenario, seed=3)
    assert first.by_market == second.by_market
    for shop in ("shanghai_store", "pudong_community_shop"):
        assert first.by_market[shop]["sold_kg"] > 0
        assert first.by_product["matsutake"]["sold_kg"] > 0


def _closures(name: str, leg: str) -> list[dict[str, Any]]:
    return [c.model_dump() for c in load(name).legs[leg].closures]


def _rainy(closure: dict[str, Any]) -> bool:
    return set(closure["months"]) <= {6, 7, 8, 9}


def _duration(name: str, leg: str, index: int) -> float:
    return load(name).legs[leg].closures[index].duration_h.expected


def test_winter_closures_make_only_the_deqin_snow_heavier() -> None:
    name = "winter_closures.yaml"
    assert set(differing_paths(name)) == {"legs.deqin_cp_hub.closures"}
    base, winter = _closures(BASELINE, "deqin_cp_hub"), _closures(name, "deqin_cp_hub")
    assert [c for c in winter if _rainy(c)] == [c for c in base if _rainy(c)]
    (base_snow,) = [i for i, c in enumerate(base) if set(c["months"]) == {11, 12, 1, 2, 3}]
    (snow,) = [i for i, c in enumerate(winter) if set(c["months"]) == {11, 12, 1, 2, 3}]
    assert winter[snow]["per_year"] > base[base_snow]["per_year"]
    assert _duration(name, "deqin_cp_hub", snow) > _duration(BASELINE, "deqin_cp_hub", base_snow)


def test_monsoon_landslides_make_only_the_rainy_season_closures_heavier() -> None:
    name = "monsoon_landslides.yaml"
    legs = ("deqin_cp_hub", "weixi_cp_hub", "shangrila_kunming")
    assert set(differing_paths(name)) == {f"legs.{leg}.closures" for leg in legs}
    for leg in legs:
        base, monsoon = _closures(BASELINE, leg), _closures(name, leg)
        assert [c for c in monsoon if not _rainy(c)] == [c for c in base if not _rainy(c)]
        base_rain = [i for i, c in enumerate(base) if _rainy(c)]
        rain = [i for i, c in enumerate(monsoon) if _rainy(c)]
        assert len(rain) == len(base_rain) == 1
        assert monsoon[rain[0]]["per_year"] > base[base_rain[0]]["per_year"]
        assert _duration(name, leg, rain[0]) > _duration(BASELINE, leg, base_rain[0])


def test_minimal_is_standalone_with_one_of_everything() -> None:
    text = (SCENARIOS / "minimal.yaml").read_text(encoding="utf-8")
    assert not re.search(r"^extends:", text, flags=re.MULTILINE)
    scenario = load("minimal.yaml")
    assert list(scenario.products) == ["matsutake"]
    assert len(scenario.sources) == 1
    assert len(scenario.collection_points) == 1
    assert len(scenario.hubs) == 1
    assert len(scenario.legs) == 1
    assert [market.kind for market in scenario.markets.values()] == ["store"]
    # Commented field by field: most lines of the body carry a comment.
    body = text.splitlines()[len(comment_block(SCENARIOS / "minimal.yaml")) + 1 :]
    fields = [line for line in body if line.strip() and not line.lstrip().startswith("#")]
    commented = [line for line in body if "#" in line]
    assert len(commented) >= len(fields) // 2


# --- what the scale files say binds (full-year runs, seed 0) ----------------------------


def test_scale_2x_fits_the_2023_equipment() -> None:
    result = full_year("scale_2x.yaml")
    assert all(node["overflow_kg"] == 0 for node in result.by_node.values())
    assert result.kpis["fill_rate"] > 0.9
    assert result.kpis["spoilage_rate"] < 0.07


def test_scale_5x_overflows_the_shangrila_cold_room_and_the_shanghai_dc() -> None:
    result = full_year("scale_5x.yaml")
    for node in ("shangrila_cp", "shanghai_dc"):
        stats = result.by_node[node]
        assert stats["overflow_kg"] > 0
        assert stats["peak_stock_kg"] == pytest.approx(stats["capacity_kg"])
    assert result.kpis["fill_rate"] < 0.85


def test_scale_10x_binds_where_its_comment_says(baseline_year_run: RunResult) -> None:
    result = full_year("scale_10x.yaml", flows=True)
    # The year of baseline_2023.yaml, seed 0, with flows: the suite's shared run of the
    # built-in baseline, which is the same scenario.
    assert load(BASELINE) == ft.builtin_scenario("baseline")
    baseline = baseline_year_run
    nodes, legs, kpis = result.by_node, result.by_leg, result.kpis
    # 1. The shop's shelf: it sells well under a third of ten times its 2023 sales.
    assert store_sold_kg(result) < 0.3 * 10 * store_sold_kg(baseline)
    # 2. The Shanghai DC is full and goods wait outside; the flown matsutake die there.
    assert nodes["shanghai_dc"]["peak_stock_kg"] == pytest.approx(
        nodes["shanghai_dc"]["capacity_kg"]
    )
    assert nodes["shanghai_dc"]["overflow_kg"] > 1e6
    matsutake = result.by_product["matsutake"]
    assert matsutake["sold_kg"] < 0.01 * matsutake["harvested_kg"]
    # 3. The Shangri-La town van runs full; the Shangri-La cold room overflows.
    assert legs["shangrila_cp_hub"]["load_factor"] > 0.99
    assert nodes["shangrila_cp"]["overflow_kg"] > 1e6
    # 4. The Kunming -> Shanghai trucks are busy all the time and full.
    assert legs["kunming_shanghai"]["utilisation"] > 0.95
    assert legs["kunming_shanghai"]["load_factor"] > 0.95
    assert nodes["kunming_dc"]["overflow_kg"] > 0
    # Not binding: the Shangri-La hub and the Shangri-La -> Kunming trucks.
    assert nodes["shangrila_hub"]["peak_stock_kg"] < 0.5 * nodes["shangrila_hub"]["capacity_kg"]
    assert legs["shangrila_kunming"]["utilisation"] < 0.6
    # The channel: ten times the goods, under 4.5 times the 2023 purchases.
    assert kpis["fill_rate"] < 0.5
    assert kpis["spoilage_rate"] > 0.4
    assert kpis["sold_value_cny"] < 4.5 * PURCHASES_2023_CNY


def test_scale_10x_recovers_with_every_capacity_times_ten() -> None:
    scenario = load("scale_10x.yaml")
    overrides: dict[str, Any] = {
        "markets.shanghai_store.shelf_capacity_kg": 10
        * scenario.markets["shanghai_store"].shelf_capacity_kg,
    }
    for node_id, hub in scenario.hubs.items():
        overrides[f"hubs.{node_id}.storage_kg"] = 10 * hub.storage_kg
    for node_id, point in scenario.collection_points.items():
        overrides[f"collection_points.{node_id}.cold_room_kg"] = 10 * point.cold_room_kg
        overrides[f"collection_points.{node_id}.precooling.units"] = 10 * point.precooling.units
    for leg_id, leg in scenario.legs.items():
        overrides[f"legs.{leg_id}.fleet"] = 10 * leg.fleet
    result = ft.simulate(ft.apply_overrides(scenario, overrides), seed=0)
    assert result.kpis["fill_rate"] > 0.9
    assert result.kpis["spoilage_rate"] < 0.08
    assert all(node["overflow_kg"] == 0 for node in result.by_node.values())
