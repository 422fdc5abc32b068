"""The worked planner question of benchmarks/optimise_5x.py, on a ten-day horizon."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

import fieldtotable as ft
from fieldtotable.optimise import Integer
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.scenario.hashing import scenario_hash

REPO = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


optimise_5x = _script("optimise_5x")


def test_the_2023_values_of_the_levers_are_the_scenario_itself() -> None:
    scenario = ft.load_scenario(optimise_5x.SCENARIO)
    space = SearchSpace(optimise_5x.variables())
    now = {lever.path: optimise_5x._typed(lever, lever.now) for lever in optimise_5x.LEVERS}
    assert scenario_hash(space.apply(scenario, now)) == scenario_hash(scenario)


@pytest.mark.parametrize("lever", optimise_5x.LEVERS, ids=lambda lever: lever.path)
def test_each_grid_spans_its_range_from_the_2023_size(lever: object) -> None:
    variable = lever.variable
    assert lever.grid[0] == variable.low == lever.now
    assert lever.grid[-1] == variable.high
    assert list(lever.grid) == sorted(set(lever.grid))
    if isinstance(variable, Integer):
        assert list(lever.grid) == list(range(variable.low, variable.high + 1))


def test_the_grid_counts_the_winners_replications_for_every_configuration() -> None:
    winner = {"a": 1}
    result = SimpleNamespace(
        runs={"search": 60, "feasibility": 30, "selection": 20, "final": 20, "total": 130},
        best=SimpleNamespace(params=winner),
        trials=(
            SimpleNamespace(params={"a": 0}, replications=3),
            SimpleNamespace(params=winner, replications=41),
        ),
        settings={"final_replications": 20},
    )
    grid = optimise_5x.grid_comparison(result)
    configurations = math.prod(len(lever.grid) for lever in optimise_5x.LEVERS)
    assert grid["configurations"] == configurations == 2_400
    assert grid["replications_per_configuration"] == 41
    assert grid["grid_runs"] == configurations * 41
    assert grid["ratio"] == pytest.approx(130 / (configurations * 41))
    assert grid["floor_grid_runs"] == configurations * 20


def test_the_script_writes_its_report(tmp_path: Path) -> None:
    status = optimise_5x.main(
        ["--budget", "80", "--days", "10", "--executor", "serial", "--out", str(tmp_path)]
    )
    assert status == 0
    report = json.loads((tmp_path / "optimise_5x.json").read_text(encoding="utf-8"))
    assert report["result"]["runs"]["total"] <= 80
    assert report["grid"]["configurations"] == 2_400
    assert report["days"] == 10
    text = (tmp_path / "optimise_5x.md").read_text(encoding="utf-8")
    assert "## Runs against the grid" in text
    assert (tmp_path / "runs").is_dir()


def test_the_comparison_pairs_the_winner_with_2023_and_each_investment_taken_back() -> None:
    scenario = ft.load_scenario(optimise_5x.SCENARIO).with_horizon(5)
    levers = optimise_5x.LEVERS
    winner = {lever.path: optimise_5x._typed(lever, lever.now) for lever in levers}
    winner["legs.kunming_shanghai.fleet"] = 3
    winner["legs.shangrila_cp_hub.fleet"] = 3  # grown by two: also tried one smaller
    winner["hubs.kunming_dc.storage_kg"] = 90_000.0
    comparison = optimise_5x.compare_with_now(scenario, winner, range(2), 0, "serial", None)
    trims = {(trim["path"], trim["value"]): trim for trim in comparison["trims"]}
    assert set(trims) == {
        ("legs.kunming_shanghai.fleet", 2),
        ("hubs.kunming_dc.storage_kg", 60_000.0),
        ("legs.shangrila_cp_hub.fleet", 1),
        ("legs.shangrila_cp_hub.fleet", 2),
    }
    truck = trims["legs.kunming_shanghai.fleet", 2]["difference"]["capital_cost_cny"].mean
    vans = trims["legs.shangrila_cp_hub.fleet", 1]["difference"]["capital_cost_cny"].mean
    van = trims["legs.shangrila_cp_hub.fleet", 2]["difference"]["capital_cost_cny"].mean
    # The 2023 configuration's capital is the winner's less its extra truck and vans.
    saved = comparison["difference"]["capital_cost_cny"].mean
    assert truck + vans == pytest.approx(saved)
    assert vans == pytest.approx(2 * van)
    assert truck > van > 0
    rent = trims["hubs.kunming_dc.storage_kg", 60_000.0]["difference"]["storage_cost_cny"]
    assert rent.mean > 0
    data = json.loads(json.dumps(optimise_5x._estimates_json(comparison)))
    assert data["now"]["profit_cny"]["n"] == 2


def test_with_a_winner_the_report_pairs_it_with_2023(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ten January days meet no real target; loose limits give the search a winner, so
    # that the comparison and its tables are written.
    loose = (
        optimise_5x.Constraint("spoilage_rate", "<=", 1.0, tolerance=0.01),
        optimise_5x.Constraint("fill_rate", ">=", 0.0, tolerance=0.01),
    )
    monkeypatch.setattr(optimise_5x, "CONSTRAINTS", loose)
    argv = ["--budget", "80", "--days", "10", "--executor", "serial", "--out", str(tmp_path)]
    assert optimise_5x.main(argv) == 0
    report = json.loads((tmp_path / "optimise_5x.json").read_text(encoding="utf-8"))
    assert report["result"]["best"] is not None
    assert report["comparison"]["difference"]["profit_cny"]["n"] >= 2
    assert report["grid"]["grid_runs"] == 2_400 * report["grid"]["replications_per_configuration"]
    text = (tmp_path / "optimise_5x.md").read_text(encoding="utf-8")
    assert "## Against the 2023 equipment" in text
    assert "## Each investment taken back alone" in text
    assert "not a timing" not in text
    assert optimise_5x.main(argv) == 0  # the rerun reads the runs back
    assert "not a timing" in (tmp_path / "optimise_5x.md").read_text(encoding="utf-8")
