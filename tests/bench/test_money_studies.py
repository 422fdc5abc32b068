"""The money studies of benchmarks/ (DC capacity sweep, cost sensitivity) on tiny horizons."""

from __future__ import annotations

import csv
import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

from fieldtotable.scenario.schema_money import capital_recovery_factor

REPO = Path(__file__).resolve().parents[2]
DAYS = 10


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


dc_capacity = _script("dc_capacity")
money_sensitivity = _script("money_sensitivity")


@pytest.fixture(scope="module")
def capacity_study() -> object:
    # 2 t binds within ten days at 5x; 200 t and 400 t do not.
    return dc_capacity.run_study(n=2, capacities_kg=(2_000, 200_000, 400_000), days=DAYS)


@pytest.fixture(scope="module")
def sensitivity_study() -> object:
    return money_sensitivity.run_study(n=2, days=DAYS)


def test_the_grid_brackets_the_2023_dc_and_has_at_least_six_values() -> None:
    capacities = dc_capacity.CAPACITIES_KG
    assert len(capacities) >= 6
    assert list(capacities) == sorted(capacities)
    assert capacities[0] < 80_000 < capacities[-1]


def test_the_rent_is_per_kg_of_capacity(capacity_study: object) -> None:
    study = capacity_study
    years = DAYS / 365.0
    for capacity, rent in zip(study.capacities_kg, study.rent_cny, strict=True):
        assert rent == pytest.approx(2.37 * capacity * years)


def test_past_the_binding_point_a_bigger_dc_costs_exactly_its_rent(capacity_study: object) -> None:
    # Common random numbers: two capacities that never fill move the same kg, so
    # their profits differ by the extra rent alone, in every replication.
    study = capacity_study
    big, bigger = (point.result.values for point in study.result.points[1:])
    extra_rent = study.rent_cny[2] - study.rent_cny[1]
    for one, other in zip(big["profit_cny"], bigger["profit_cny"], strict=True):
        assert one - other == pytest.approx(extra_rent, rel=1e-9)
    assert big["sold_kg"] == bigger["sold_kg"]
    assert list(big["by_node.shanghai_dc.overflow_kg"]) == [0.0, 0.0]


def test_a_small_dc_binds_and_the_best_is_paired_against(capacity_study: object) -> None:
    study = capacity_study
    small = study.result.points[0].result.kpis
    assert small["by_node.shanghai_dc.overflow_kg"].mean > 0
    assert study.to_best[study.best].mean == 0.0
    assert study.best != 2  # the largest pays the most rent for the same sales
    assert all(diff.mean <= 0 for diff in study.to_best)


def test_the_capacity_outputs(capacity_study: object, tmp_path: Path) -> None:
    table = dc_capacity.markdown(capacity_study)
    lines = table.splitlines()
    assert lines[0].startswith("| DC capacity (t) | profit (M CNY) |")
    assert [line.split(" | ")[0] for line in lines[2:5]] == ["| 2", "| 200", "| 400"]
    assert table.count("**best**") == 1
    dc_capacity.write_csv(capacity_study, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3 * (len(dc_capacity.KPIS) + 2)
    dc_capacity.figure(capacity_study, tmp_path / "fig.png")
    assert (tmp_path / "fig.png").stat().st_size > 1000


def test_the_capacity_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["-n", "2", "--days", "5", "--capacities", "40000,160000"]
    assert dc_capacity.main([*argv, "--out", str(tmp_path), "--img", ""]) == 0
    assert (tmp_path / "dc_capacity.md").read_text(encoding="utf-8") in capsys.readouterr().out
    assert (tmp_path / "dc_capacity.csv").exists()
    assert not list(tmp_path.glob("*.png"))


def test_every_factor_has_a_low_and_a_high_run(sensitivity_study: object) -> None:
    result = sensitivity_study.result
    names = {factor.name for factor in sensitivity_study.factors}
    assert len(names) == len(sensitivity_study.factors) == 6
    assert result.baseline == money_sensitivity.BASE
    sides = {f"{name} {side}" for name in names for side in ("low", "high")}
    assert set(result.names) == {"base"} | sides


def test_money_figures_change_only_the_money(sensitivity_study: object) -> None:
    # Money prices the run afterwards: the same kg move in every configuration, so
    # revenue is unchanged and profit moves by exactly minus the cost.
    result = sensitivity_study.result
    for name, differences in result.differences.items():
        assert differences["revenue_cny"].mean == 0.0, name
        assert differences["profit_cny"].mean == pytest.approx(
            -differences["total_cost_cny"].mean, abs=1e-6
        ), name


def test_each_factor_moves_its_own_line(sensitivity_study: object) -> None:
    differences = sensitivity_study.result.differences
    lines = {
        "other_farm_gate": "purchase_cost_cny",
        "long_haul_per_km": "transport_cost_cny",
        "shop_counter_capital": "capital_cost_cny",
        "online_fixed": "fixed_cost_cny",
        "cooling_law": "storage_cost_cny",
    }
    for factor, line in lines.items():
        for side, sign in (("low", -1), ("high", 1)):
            moved = differences[f"{factor} {side}"]
            assert math.copysign(1, moved[line].mean) == sign, (factor, side)
            assert moved["total_cost_cny"].mean == pytest.approx(moved[line].mean, abs=1e-6)
    # The shop's counters: 1,500 kg of shelf x (200 - 100) CNY/kg, annuity over 8 years at 8 %.
    capital = differences["shop_counter_capital high"]["capital_cost_cny"].mean
    assert capital == pytest.approx(1500 * 100 * capital_recovery_factor(0.08, 8) * DAYS / 365)


def test_the_sensitivity_outputs(sensitivity_study: object, tmp_path: Path) -> None:
    table = money_sensitivity.markdown(sensitivity_study)
    assert "| `profit_cny` (M CNY) |" in table
    assert "| `producer_income_cny` (M CNY) |" in table
    for factor in sensitivity_study.factors:
        assert f"| {factor.label} |" in table
    money_sensitivity.write_csv(sensitivity_study, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 13 * len(money_sensitivity.KPIS)
    assert {row["difference"] for row in rows if row["configuration"] == "base"} == {""}


def test_the_sensitivity_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert money_sensitivity.main(["-n", "2", "--days", "3", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "sensitivity.md").read_text(encoding="utf-8") in capsys.readouterr().out
    assert (tmp_path / "sensitivity.csv").exists()
