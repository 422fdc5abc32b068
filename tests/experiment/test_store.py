"""The resumable result store: exact round trips, resuming, refusing other experiments."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from fieldtotable import RunResult, Scenario, apply_overrides, simulate
from fieldtotable.experiment import (
    StoreMismatchError,
    StoreWarning,
    compare,
    replicate,
    scenario_hash,
    sweep,
)
from fieldtotable.experiment import runs as runs_module
from fieldtotable.experiment.store import (
    Manifest,
    PointRecord,
    RunStore,
    run_from_data,
    run_to_data,
)
from fieldtotable.versions import software_versions


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Replications simulated (through the experiments' task function)."""
    calls: list[int] = []
    real = runs_module.simulate

    def counting(scenario: Scenario, seed: int, *, replication: int) -> RunResult:
        calls.append(replication)
        return real(scenario, seed, replication=replication)

    monkeypatch.setattr(runs_module, "simulate", counting)
    return calls


def test_a_run_survives_json_to_the_last_bit(small_scenario: Scenario) -> None:
    run = simulate(small_scenario, 2, replication=4)
    kpis = dict(run.kpis, fill_rate=math.nan, trips=math.inf, co2_kg=-math.inf, sold_kg=0.1 + 0.2)
    run = dataclasses.replace(run, kpis=kpis)
    text = json.dumps(run_to_data(run))
    back = run_from_data(_strict_json(text))  # type: ignore[arg-type]
    assert back == run
    assert back.wall_time_s == run.wall_time_s
    assert back.kpis["sold_kg"] == 0.1 + 0.2
    assert back.kpis["trips"] == math.inf
    assert back.kpis["co2_kg"] == -math.inf
    assert math.isnan(back.kpis["fill_rate"])
    assert back.start_date == small_scenario.start_date


def test_runs_stored_before_start_date_existed_still_load(small_scenario: Scenario) -> None:
    data = run_to_data(simulate(small_scenario, 2))
    del data["start_date"]
    back = run_from_data(data)
    assert back.start_date is None
    assert back.kpis == run_from_data(run_to_data(simulate(small_scenario, 2))).kpis


def test_scenario_hash_is_stable_and_sensitive(small_scenario: Scenario) -> None:
    digest = scenario_hash(small_scenario)
    assert len(digest) == 64
    assert digest == scenario_hash(small_scenario.model_copy())
    assert digest != scenario_hash(apply_overrides(small_scenario, {"scale": 2}))


def test_each_run_is_a_file_and_a_rerun_computes_nothing(
    small_scenario: Scenario, tmp_path: Path, counted: list[int]
) -> None:
    first = replicate(small_scenario, n=4, seed=1, executor="serial", store=tmp_path)
    assert sorted(counted) == [0, 1, 2, 3]
    files = sorted(tmp_path.glob("runs/*/*.json"))
    assert [f.name for f in files] == [f"{i:06d}.json" for i in range(4)]
    record = _strict_json(files[0].read_text(encoding="utf-8"))
    assert isinstance(record, dict)
    assert record["scenario_hash"] == scenario_hash(small_scenario)
    assert (record["seed"], record["replication"]) == (1, 0)
    manifest = _strict_json((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(manifest, dict)
    assert manifest["kind"] == "replicate"
    assert manifest["scenario_hash"] == scenario_hash(small_scenario)
    assert (manifest["seed"], manifest["n"]) == (1, 4)
    assert manifest["versions"] == software_versions()

    counted.clear()
    again = replicate(small_scenario, n=4, seed=1, executor="process", store=tmp_path)
    assert counted == []
    assert again == first
    assert [r.wall_time_s for r in again.runs] == [r.wall_time_s for r in first.runs]


def test_more_replications_extend_an_experiment(
    small_scenario: Scenario, tmp_path: Path, counted: list[int]
) -> None:
    replicate(small_scenario, n=3, executor="serial", store=tmp_path)
    counted.clear()
    result = replicate(small_scenario, n=5, executor="serial", store=tmp_path)
    assert counted == [3, 4]
    assert result == replicate(small_scenario, n=5, executor="serial")


def test_an_unreadable_run_file_is_run_again(
    small_scenario: Scenario, tmp_path: Path, counted: list[int]
) -> None:
    expected = replicate(small_scenario, n=3, executor="serial", store=tmp_path)
    [second] = [p for p in tmp_path.glob("runs/*/*.json") if p.name == "000001.json"]
    second.write_text('{"format": "fieldtotable-experiment/1", "resu', encoding="utf-8")
    counted.clear()
    with pytest.warns(StoreWarning, match="000001.json: stored run not reused: not a run record"):
        assert replicate(small_scenario, n=3, executor="serial", store=tmp_path) == expected
    assert counted == [1]


def test_a_different_scenario_is_refused(small_scenario: Scenario, tmp_path: Path) -> None:
    replicate(small_scenario, n=2, executor="serial", store=tmp_path)
    other = apply_overrides(small_scenario, {"scale": 3})
    with pytest.raises(StoreMismatchError, match="different scenario") as caught:
        replicate(other, n=2, executor="serial", store=tmp_path)
    assert str(tmp_path) in str(caught.value)
    assert "another output directory" in str(caught.value)
    with pytest.raises(StoreMismatchError, match="seed 0, not seed 7"):
        replicate(small_scenario, n=2, seed=7, executor="serial", store=tmp_path)
    with pytest.raises(StoreMismatchError, match="a replicate, not a sweep"):
        sweep(small_scenario, {"scale": [1]}, n=2, executor="serial", store=tmp_path)


def test_a_different_grid_is_refused(small_scenario: Scenario, tmp_path: Path) -> None:
    sweep(small_scenario, {"scale": [1, 2]}, n=2, executor="serial", store=tmp_path)
    with pytest.raises(StoreMismatchError, match="different grid"):
        sweep(small_scenario, {"scale": [1, 3]}, n=2, executor="serial", store=tmp_path)


def test_compared_scenarios_may_come_in_another_order(
    small_scenario: Scenario, tmp_path: Path, counted: list[int]
) -> None:
    more = apply_overrides(small_scenario, {"scale": 2})
    compare({"a": small_scenario, "b": more}, n=2, executor="serial", store=tmp_path)
    counted.clear()
    swapped = compare({"b": more, "a": small_scenario}, n=2, executor="serial", store=tmp_path)
    assert counted == []
    assert swapped.baseline == "b"
    with pytest.raises(StoreMismatchError, match="set of scenarios"):
        compare(
            {"a": small_scenario, "c": apply_overrides(small_scenario, {"scale": 3})},
            n=2,
            executor="serial",
            store=tmp_path,
        )


def test_one_process_at_a_time(small_scenario: Scenario, tmp_path: Path) -> None:
    pytest.importorskip("fcntl")
    digest = scenario_hash(small_scenario)
    manifest = Manifest("replicate", "s", digest, 0, 1, (PointRecord("s", digest),))
    with RunStore(tmp_path, manifest), pytest.raises(StoreMismatchError, match="in use"):
        RunStore(tmp_path, manifest)
    with RunStore(tmp_path, manifest):  # released
        pass


def test_a_file_is_not_a_result_directory(small_scenario: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(StoreMismatchError, match="not a directory"):
        replicate(small_scenario, n=2, executor="serial", store=path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "manifest.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(StoreMismatchError, match="not a readable manifest"):
        replicate(small_scenario, n=2, executor="serial", store=tmp_path / "d")


def test_the_old_name_of_the_run_store_still_works_with_a_warning(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    with pytest.warns(DeprecationWarning, match="out= is deprecated.*use store="):
        old = replicate(small_scenario, n=2, executor="serial", out=tmp_path)
    assert list(tmp_path.glob("runs/*/*.json"))
    assert replicate(small_scenario, n=2, executor="serial", store=tmp_path) == old
    with pytest.raises(TypeError, match="store= only"):
        replicate(small_scenario, n=2, executor="serial", store=tmp_path, out=tmp_path)
