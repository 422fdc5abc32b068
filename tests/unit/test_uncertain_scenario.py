"""Priors on numeric fields (``uncertain:``): schema, load-time checks, draws."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest

import fieldtotable as ft
from fieldtotable.cli.main import main
from fieldtotable.errors import ScenarioError
from fieldtotable.experiment.records import run_from_data, run_to_data
from fieldtotable.model.context import replication_seed
from fieldtotable.model.parameter_draws import draw_parameters
from fieldtotable.scenario.dump import dump_scenario
from fieldtotable.scenario.schema_uncertain import Prior
from fieldtotable.tables import format_run

MINIMAL = Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml"
SHELF_LIFE = "products.matsutake.shelf_life_days"
Q10 = "products.matsutake.q10"
FLEET = "legs.shangrila_shanghai.fleet"


def variant(folder: Path, priors: str, name: str = "v.yaml", parent: Path = MINIMAL) -> Path:
    file = folder / name
    file.write_text(f"extends: {parent}\nuncertain:\n{priors}", encoding="utf-8")
    return file


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        ft.load_scenario(path)
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def uncertain_minimal(tmp_path: Path) -> ft.Scenario:
    return ft.load_scenario(
        variant(
            tmp_path,
            f"  {SHELF_LIFE}: {{dist: triangular, low: 3, mode: 4, high: 5}}\n"
            f"  {Q10}: {{dist: uniform, low: 2, high: 3}}\n",
        )
    ).with_horizon(30)


# --- the priors themselves -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "mean", "low", "high"),
    [
        ({"dist": "uniform", "low": 2, "high": 3}, 2.5, 2, 3),
        ({"dist": "triangular", "low": 3, "mode": 4, "high": 5}, 4.0, 3, 5),
        ({"dist": "triangular", "low": 3, "mode": 3, "high": 6}, 4.0, 3, 6),
        ({"dist": "normal", "mean": 4, "sd": 0.5}, 4.0, 4 - 6.2 * 0.5, 4 + 6.2 * 0.5),
        ({"dist": "normal", "mean": 0, "sd": 1, "low": 0}, np.sqrt(2 / np.pi), 0, 6.2),
        ({"dist": "lognormal", "mean": 4, "cv": 0.25}, 4.0, 0, 40),
        ({"dist": "discrete", "values": [1, 2, 4], "weights": [1, 0, 3]}, 3.25, 1, 4),
    ],
)
def test_quantile_gives_the_distribution(
    data: dict[str, object], mean: float, low: float, high: float
) -> None:
    prior = Prior.model_validate(data)
    probabilities = (np.arange(200_000) + 0.5) / 200_000
    values = np.array([prior.quantile(p) for p in probabilities])
    assert values.mean() == pytest.approx(mean, rel=2e-3, abs=2e-3)
    assert low <= values.min()
    assert values.max() <= high
    assert np.all(np.diff(values) >= 0)  # an inverse distribution function
    smallest, largest = prior.quantile(0.0), prior.quantile(1.0)
    assert min(prior.extremes()) == smallest
    assert max(prior.extremes()) == largest


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dist": "uniform", "low": 3, "high": 2}, "low (3) > high (2)"),
        ({"dist": "triangular", "low": 3, "mode": 6, "high": 5}, "mode (6) must lie between"),
        ({"dist": "normal", "mean": 3}, "dist 'normal' needs sd"),
        ({"dist": "uniform", "low": 3, "high": 4, "mode": 3}, "does not take mode"),
        ({"dist": "lognormal", "mean": -1, "cv": 0.2}, "needs mean > 0"),
        ({"dist": "normal", "mean": 0, "sd": 1, "low": 20}, "leave no probability"),
        ({"dist": "discrete", "values": [1, 2], "weights": [1]}, "as many entries"),
    ],
)
def test_bad_parameters_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Prior.model_validate(data)


# --- load-time checks, each on its own line ----------------------------------------------


def test_problems_name_file_line_and_path(tmp_path: Path) -> None:
    file = variant(
        tmp_path,
        f"  {SHELF_LIFE}: {{dist: normal, mean: 4, sd: 1}}\n"
        "  products.matsutake.shelf_life_dayz: {dist: uniform, low: 3, high: 5}\n"
        "  products.matsutake: {dist: uniform, low: 3, high: 5}\n"
        "  legs.shangrila_shanghai.transit_time_h: {dist: uniform, low: 3, high: 5}\n"
        f"  {FLEET}: {{dist: uniform, low: 3, high: 5}}\n"
        "  products.matsutake.name: {dist: uniform, low: 3, high: 5}\n",
    )
    found = problems(file)
    assert found[0].startswith(f"{file}:3: uncertain['{SHELF_LIFE}']: the prior can draw -1.99")
    assert f"which is refused: {SHELF_LIFE}: must be >= 0.01 (got -1.99" in found[0]
    assert found[1] == (
        f"{file}:4: uncertain['products.matsutake.shelf_life_dayz']: unknown field; "
        "did you mean 'shelf_life_days'?"
    )
    assert found[2].startswith(f"{file}:5: uncertain['products.matsutake']: is not a number")
    assert found[3].startswith(
        f"{file}:6: uncertain['legs.shangrila_shanghai.transit_time_h']: is a distribution; "
        "put the prior on one of its numbers"
    )
    assert found[4] == (
        f"{file}:7: uncertain['{FLEET}']: is a whole number: give it a discrete prior of "
        "whole numbers"
    )
    assert found[5].startswith(f"{file}:8: uncertain['products.matsutake.name']: unknown field")
    assert len(found) == 6


def test_a_bad_prior_is_a_field_problem_with_its_line(tmp_path: Path) -> None:
    file = variant(tmp_path, f"  {SHELF_LIFE}: {{dist: uniform, low: 5, high: 3}}\n")
    assert problems(file) == [f"{file}:3: uncertain['{SHELF_LIFE}']: low (5) > high (3)"]


def test_a_truncated_normal_within_the_field_is_accepted(tmp_path: Path) -> None:
    file = variant(tmp_path, f"  {SHELF_LIFE}: {{dist: normal, mean: 4, sd: 1, low: 2.5}}\n")
    assert ft.load_scenario(file).uncertain[SHELF_LIFE].low == 2.5


def test_cli_validate_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    file = variant(tmp_path, f"  {SHELF_LIFE}: {{dist: uniform, low: -1, high: 3}}\n")
    assert main(["validate", str(file)]) == 2


# --- extends, --set and writing back ----------------------------------------------------


def test_a_variant_adds_replaces_and_drops_priors(tmp_path: Path) -> None:
    parent = variant(
        tmp_path,
        f"  {SHELF_LIFE}: {{dist: uniform, low: 3, high: 5}}\n"
        f"  {Q10}: {{dist: uniform, low: 2, high: 3}}\n",
        name="parent.yaml",
    )
    child = variant(
        tmp_path,
        f"  {SHELF_LIFE}: {{dist: triangular, low: 3, mode: 4, high: 5}}\n  {Q10}: null\n"
        f"  {FLEET}: {{dist: discrete, values: [4, 5]}}\n",
        name="child.yaml",
        parent=parent,
    )
    scenario = ft.load_scenario(child)
    assert list(scenario.uncertain) == [SHELF_LIFE, FLEET]
    assert scenario.uncertain[SHELF_LIFE].dist == "triangular"
    widened = variant(tmp_path, f"  {SHELF_LIFE}: {{high: 6}}\n", name="w.yaml", parent=child)
    prior = ft.load_scenario(widened).uncertain[SHELF_LIFE]
    assert (prior.dist, prior.low, prior.mode, prior.high) == ("triangular", 3, 4, 6)


def test_set_changes_and_drops_priors(uncertain_minimal: ft.Scenario) -> None:
    changed = ft.apply_overrides(uncertain_minimal, {f"uncertain['{Q10}'].high": 2.5})
    assert changed.uncertain[Q10].high == 2.5
    dropped = ft.apply_overrides(uncertain_minimal, {f"uncertain['{Q10}']": None})
    assert list(dropped.uncertain) == [SHELF_LIFE]
    with pytest.raises(ScenarioError, match="the prior can draw 0, which is refused"):
        ft.apply_overrides(uncertain_minimal, {f"uncertain['{SHELF_LIFE}'].low": 0})


def test_the_section_is_written_back(uncertain_minimal: ft.Scenario) -> None:
    again = ft.parse_scenario(dump_scenario(uncertain_minimal))
    assert again == uncertain_minimal
    assert "uncertain" not in dump_scenario(ft.load_scenario(MINIMAL))


# --- draws ------------------------------------------------------------------------------


def test_draws_depend_on_seed_replication_and_path_only(uncertain_minimal: ft.Scenario) -> None:
    other_configuration = ft.apply_overrides(uncertain_minimal, {FLEET: 3, "scale": 2})
    only_shelf_life = ft.apply_overrides(uncertain_minimal, {f"uncertain['{Q10}']": None})
    for replication in range(5):
        seed = replication_seed(7, replication)
        drawn = draw_parameters(uncertain_minimal, seed)
        assert draw_parameters(other_configuration, seed) == drawn
        assert draw_parameters(only_shelf_life, seed) == {SHELF_LIFE: drawn[SHELF_LIFE]}
        assert 3 <= drawn[SHELF_LIFE] <= 5
        assert 2 <= drawn[Q10] <= 3
    first, second = (draw_parameters(uncertain_minimal, replication_seed(7, r)) for r in (0, 1))
    assert first != second


def test_a_run_uses_and_records_its_draw(uncertain_minimal: ft.Scenario) -> None:
    run = ft.simulate(uncertain_minimal, seed=3, replication=2)
    drawn = draw_parameters(uncertain_minimal, replication_seed(3, 2))
    assert run.parameters == drawn
    fixed = ft.apply_overrides(uncertain_minimal, {f"uncertain['{SHELF_LIFE}']": None})
    fixed = ft.apply_overrides(fixed, {f"uncertain['{Q10}']": None, **drawn})
    same = ft.simulate(fixed, seed=3, replication=2)
    assert same.parameters == {}
    assert dataclasses.replace(same, parameters=drawn) == run
    assert json.loads(run.to_json())["parameters"] == drawn
    assert run_from_data(json.loads(json.dumps(run_to_data(run)))) == run


def test_without_priors_nothing_changes() -> None:
    scenario = ft.load_scenario(MINIMAL).with_horizon(20)
    run = ft.simulate(scenario, seed=1, replication=0)
    assert run.parameters == {}
    assert "parameters" not in run.to_dict()
    assert "parameters" not in run_to_data(run)


def test_whole_number_fields_draw_whole_numbers(tmp_path: Path) -> None:
    file = variant(tmp_path, f"  {FLEET}: {{dist: discrete, values: [2, 5], weights: [1, 1]}}\n")
    scenario = ft.load_scenario(file).with_horizon(10)
    drawn = [draw_parameters(scenario, replication_seed(0, r))[FLEET] for r in range(20)]
    assert set(drawn) == {2, 5}
    assert all(isinstance(value, int) for value in drawn)


def test_draws_refused_together_name_the_draws(tmp_path: Path) -> None:
    file = variant(
        tmp_path,
        "  horizon_days: {dist: discrete, values: [10, 92]}\n"
        "  warmup_days: {dist: discrete, values: [0, 20]}\n",
    )
    scenario = ft.load_scenario(file)  # each prior alone is fine
    clash = next(
        replication
        for replication in range(50)
        if draw_parameters(scenario, replication_seed(0, replication))
        == {"horizon_days": 10, "warmup_days": 20}
    )
    with pytest.raises(ScenarioError, match="together are refused: warmup_days: must be smaller"):
        ft.simulate(scenario, seed=0, replication=clash)


def test_the_run_text_shows_the_draws(uncertain_minimal: ft.Scenario) -> None:
    run = ft.simulate(uncertain_minimal.with_horizon(3), seed=0)
    lines = format_run(run).splitlines()
    assert lines[1] == (
        f"drawn: {SHELF_LIFE} = {run.parameters[SHELF_LIFE]:.4g}, {Q10} = {run.parameters[Q10]:.4g}"
    )
    plain = ft.simulate(ft.load_scenario(MINIMAL).with_horizon(3), seed=0)
    assert not format_run(plain).splitlines()[1].startswith("drawn")
