"""The variance split of uncertain parameters: the ANOVA estimator and the experiment."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import fieldtotable as ft
from fieldtotable.cli.main import main
from fieldtotable.experiment import ExperimentError, replicate, variance_split
from fieldtotable.experiment.variance_components import one_way_components
from fieldtotable.export.experiment_tables import experiment_table_set

MINIMAL = Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml"
SHELF_LIFE = "products.matsutake.shelf_life_days"
FAST = {"executor": "serial", "progress": False}


def synthetic(
    rng: np.random.Generator, draws: int, inner: int, between_sd: float, within_sd: float
) -> np.ndarray:
    """A nested design with known components: ``10 + a_j + e_jr``."""
    effects = rng.normal(0.0, between_sd, size=(draws, 1))
    return 10.0 + effects + rng.normal(0.0, within_sd, size=(draws, inner))


# --- the estimator against theory ------------------------------------------------------------


def test_estimates_converge_to_the_known_components() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(11))
    split = one_way_components(synthetic(rng, 4000, 5, between_sd=1.0, within_sd=2.0))
    assert split.parametric_variance == pytest.approx(1.0, rel=0.08)
    assert split.stochastic_variance == pytest.approx(4.0, rel=0.03)
    assert split.parametric_share == pytest.approx(0.2, abs=0.02)
    assert split.stochastic_share == pytest.approx(0.8, abs=0.02)
    low, high = split.parametric_share_ci
    assert low < 0.2 < high
    assert high - low < 0.05


def test_estimators_are_unbiased() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(12))
    splits = [one_way_components(synthetic(rng, 8, 4, 3.0, 1.0)) for _ in range(2000)]
    # With sigma_a = 3 the truncation at 0 almost never bites: both means are unbiased.
    assert np.mean([s.stochastic_variance for s in splits]) == pytest.approx(1.0, rel=0.03)
    assert np.mean([s.parametric_variance for s in splits]) == pytest.approx(9.0, rel=0.06)


@pytest.mark.parametrize(("between_sd", "confidence"), [(1.0, 0.95), (0.5, 0.9), (2.0, 0.8)])
def test_the_interval_covers_the_share_at_its_nominal_rate(
    between_sd: float, confidence: float
) -> None:
    rng = np.random.default_rng(np.random.SeedSequence(13))
    truth = between_sd**2 / (between_sd**2 + 1.0)
    repetitions = 1500
    covered = 0
    for _ in range(repetitions):
        low, high = one_way_components(
            synthetic(rng, 10, 4, between_sd, 1.0), confidence
        ).parametric_share_ci
        covered += low <= truth <= high
    margin = 3.5 * np.sqrt(confidence * (1 - confidence) / repetitions)
    assert abs(covered / repetitions - confidence) < margin


def test_degenerate_tables() -> None:
    constant_within = one_way_components([[1.0, 1.0], [3.0, 3.0]])
    assert constant_within.parametric_share == 1.0
    assert constant_within.parametric_share_ci == (1.0, 1.0)
    assert constant_within.to_dict()["f_statistic"] is None
    constant = one_way_components([[2.0, 2.0], [2.0, 2.0]])
    assert constant.total_variance == 0.0
    assert constant.to_dict()["parametric_share"] is None
    no_effect = one_way_components([[1.0, 3.0], [3.0, 1.0]])
    assert no_effect.parametric_variance == 0.0
    assert no_effect.parametric_share == 0.0


@pytest.mark.parametrize(
    "table", [[[1.0, 2.0]], [[1.0], [2.0]], [[1.0, 2.0], [3.0]], [[1.0, float("nan")], [1, 2]]]
)
def test_bad_tables_are_refused(table: list[list[float]]) -> None:
    with pytest.raises(ValueError, match=r"draws|finite|table"):
        one_way_components(table)


# --- the experiment -----------------------------------------------------------------------


@pytest.fixture
def shelf_life_uncertain(tmp_path: Path) -> ft.Scenario:
    file = tmp_path / "uncertain.yaml"
    file.write_text(
        f"extends: {MINIMAL}\nuncertain:\n"
        f"  {SHELF_LIFE}: {{dist: triangular, low: 3, mode: 4, high: 5}}\n",
        encoding="utf-8",
    )
    return ft.load_scenario(file)  # the whole matsutake season, July to September


def test_shelf_life_uncertainty_dominates_spoilage(shelf_life_uncertain: ft.Scenario) -> None:
    split = variance_split(shelf_life_uncertain, draws=12, inner=3, seed=0, **FAST)
    spoilage = split.components["spoilage_rate"]
    assert spoilage.parametric_share > 0.7
    assert spoilage.parametric_share_ci[0] > 0.4
    assert spoilage.draws == 12
    assert spoilage.inner == 3
    # Each draw's runs share its values and nothing else.
    for values, block in zip(split.parameters, split.runs, strict=True):
        assert {run.replication for run in block} == set(
            range(block[0].replication, 3 + block[0].replication)
        )
        assert all(run.parameters == values for run in block)
    replications = sorted(run.replication for block in split.runs for run in block)
    assert replications == list(range(36))
    text = split.text()
    assert "spoilage_rate" in text
    assert "parametric share (95% CI)" in text
    assert json.loads(json.dumps(split.to_dict()))["components"]["spoilage_rate"]["draws"] == 12


def test_draw_j_is_the_draw_of_replication_j(shelf_life_uncertain: ft.Scenario) -> None:
    split = variance_split(shelf_life_uncertain.with_horizon(5), draws=3, inner=2, seed=4, **FAST)
    plain = replicate(shelf_life_uncertain.with_horizon(5), n=3, seed=4, **FAST)
    assert [run.parameters for run in plain.runs] == list(split.parameters)


def test_a_store_resumes_the_same_split(shelf_life_uncertain: ft.Scenario, tmp_path: Path) -> None:
    scenario = shelf_life_uncertain.with_horizon(5)
    first = variance_split(scenario, draws=3, inner=2, store=tmp_path / "runs", **FAST)
    again = variance_split(scenario, draws=3, inner=2, store=tmp_path / "runs", **FAST)
    assert again.components == first.components
    assert again.runs == first.runs


def test_bad_arguments(shelf_life_uncertain: ft.Scenario) -> None:
    with pytest.raises(ExperimentError, match="declares no uncertain parameters"):
        variance_split(ft.load_scenario(MINIMAL), draws=2, inner=2, **FAST)
    with pytest.raises(ValueError, match="inner must be at least 2"):
        variance_split(shelf_life_uncertain, draws=2, inner=1, **FAST)
    with pytest.raises(ExperimentError, match="unknown KPI"):
        variance_split(shelf_life_uncertain, draws=2, inner=2, kpis=["nope"], **FAST)


def test_cli_prints_the_split_and_refuses_bad_input(
    shelf_life_uncertain: ft.Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "uncertain.yaml"
    common = ["--days", "5", "--draws", "2", "--inner", "2", "--executor", "serial", "-q"]
    assert main(["uncertainty", str(file), *common, "--kpi", "sold_kg"]) == 0
    out = capsys.readouterr().out
    assert "2 parameter draws x 2 replications" in out
    assert "sold_kg" in out
    assert main(["uncertainty", str(file), *common, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inner"] == 2
    assert main(["uncertainty", str(MINIMAL), *common]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "declares no uncertain parameters" in err
    assert main(["uncertainty", str(file), "--draws", "1"]) == 2
    assert "--draws: must be >= 2" in capsys.readouterr().err


def test_replicate_stores_and_resumes_the_draws(
    shelf_life_uncertain: ft.Scenario, tmp_path: Path
) -> None:
    scenario = shelf_life_uncertain.with_horizon(5)
    first = replicate(scenario, n=3, store=tmp_path / "runs", **FAST)
    resumed = replicate(scenario, n=3, store=tmp_path / "runs", **FAST)
    assert resumed.runs == first.runs
    assert all(SHELF_LIFE in run.parameters for run in resumed.runs)
    exported = resumed.to_dict(runs=True)
    assert exported["runs"][0]["parameters"] == first.runs[0].parameters


def test_replications_table_has_a_column_per_drawn_parameter(
    shelf_life_uncertain: ft.Scenario,
) -> None:
    result = replicate(shelf_life_uncertain.with_horizon(5), n=2, **FAST)
    table = experiment_table_set(result)["replications"]
    assert table.columns[:3] == ("replication", SHELF_LIFE, "harvested_kg")
    assert table.column(SHELF_LIFE) == [run.parameters[SHELF_LIFE] for run in result.runs]
    plain = replicate(ft.load_scenario(MINIMAL).with_horizon(5), n=2, **FAST)
    assert experiment_table_set(plain)["replications"].columns[:2] == (
        "replication",
        "harvested_kg",
    )
