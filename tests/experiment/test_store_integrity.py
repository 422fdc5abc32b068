"""Run records carry hashes: an edited, damaged or hash-less record is run again, loudly."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from fieldtotable import RunResult, Scenario
from fieldtotable.cli import main
from fieldtotable.experiment import StoreWarning, replicate, scenario_hash
from fieldtotable.experiment import runs as runs_module
from fieldtotable.experiment.records import (
    FORMAT,
    RecordError,
    check_record,
    inputs_hash,
    make_record,
)
from fieldtotable.scenario.hashing import canonical_json

DATA = Path(__file__).resolve().parents[1] / "data"


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


def _record_file(store: Path, replication: int) -> Path:
    [path] = store.glob(f"runs/*/{replication:06d}.json")
    return path


def _stored(small: Scenario, store: Path) -> list[RunResult]:
    return replicate(small, n=3, seed=2, executor="serial", store=store).runs


def test_a_record_holds_its_inputs_hash_and_content_hash(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    _stored(small_scenario, tmp_path)
    data = json.loads(_record_file(tmp_path, 1).read_text(encoding="utf-8"))
    digest = scenario_hash(small_scenario)
    assert data["inputs_sha256"] == inputs_hash(digest, 2, 1)
    assert len(data["sha256"]) == 64
    content = {key: value for key, value in data.items() if key != "sha256"}
    assert data["sha256"] == hashlib.sha256(canonical_json(content).encode()).hexdigest()
    # Each input changes the inputs hash.
    others = {inputs_hash(digest, 3, 1), inputs_hash(digest, 2, 2), inputs_hash("0" * 64, 2, 1)}
    assert data["inputs_sha256"] not in others
    assert len(others) == 3


def test_a_record_round_trips_through_check(small_scenario: Scenario) -> None:
    from fieldtotable import simulate  # noqa: PLC0415

    run = simulate(small_scenario, 5, replication=2)
    digest = scenario_hash(small_scenario)
    record = json.loads(json.dumps(make_record(digest, 5, 2, run)))
    assert check_record(record, digest, 5, 2) == run
    with pytest.raises(RecordError, match="other inputs"):
        check_record(record, digest, 5, 3)
    with pytest.raises(RecordError, match="other inputs"):
        check_record(record, digest, 6, 2)


def test_an_edited_record_is_run_again_with_a_warning(
    small_scenario: Scenario, tmp_path: Path, counted: list[int]
) -> None:
    expected = _stored(small_scenario, tmp_path)
    path = _record_file(tmp_path, 1)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["result"]["kpis"]["sold_kg"] += 1.0  # different, still valid JSON and a valid run
    path.write_text(json.dumps(data), encoding="utf-8")
    counted.clear()
    with pytest.warns(StoreWarning) as caught:
        again = _stored(small_scenario, tmp_path)
    assert counted == [1]
    assert again == expected
    [warning] = caught
    assert str(warning.message) == (
        f"{path}: stored run not reused: content does not match its sha256 (edited or "
        "damaged); rerunning replication 1"
    )
    # The rerun rewrote a sound record: the next resume reuses it quietly.
    counted.clear()
    assert _stored(small_scenario, tmp_path) == expected
    assert counted == []


def test_a_record_without_a_hash_is_run_again(
    small_scenario: Scenario, tmp_path: Path, counted: list[int]
) -> None:
    """Records of versions before hashes are not trusted: rerun, with a warning."""
    expected = _stored(small_scenario, tmp_path)
    path = _record_file(tmp_path, 0)
    data = json.loads(path.read_text(encoding="utf-8"))
    old = {key: data[key] for key in ("format", "scenario_hash", "seed", "replication", "result")}
    path.write_text(json.dumps(old), encoding="utf-8")
    counted.clear()
    with pytest.warns(StoreWarning, match="no content hash \\(written by an older version\\)"):
        assert _stored(small_scenario, tmp_path) == expected
    assert counted == [0]


def test_a_record_of_other_inputs_is_run_again(
    small_scenario: Scenario, tmp_path: Path, counted: list[int]
) -> None:
    expected = _stored(small_scenario, tmp_path)
    shutil.copyfile(_record_file(tmp_path, 0), _record_file(tmp_path, 2))
    counted.clear()
    with pytest.warns(StoreWarning, match="000002.json: .* the run of other inputs"):
        assert _stored(small_scenario, tmp_path) == expected
    assert counted == [2]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_record_replaced_by_a_pipe_is_run_again_without_blocking(
    small_scenario: Scenario, tmp_path: Path, counted: list[int]
) -> None:
    expected = _stored(small_scenario, tmp_path)
    path = _record_file(tmp_path, 1)
    path.unlink()
    os.mkfifo(path)
    counted.clear()
    with pytest.warns(StoreWarning, match="cannot be read \\(not a regular file: it is a named"):
        assert _stored(small_scenario, tmp_path) == expected
    assert counted == [1]
    assert path.is_file()  # the rerun's record took the pipe's place


def test_records_keep_the_format_tag(small_scenario: Scenario, tmp_path: Path) -> None:
    _stored(small_scenario, tmp_path)
    assert json.loads(_record_file(tmp_path, 0).read_text(encoding="utf-8"))["format"] == FORMAT


def _without_wall_time(data: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in data.items() if key != "wall_time_s"}


def test_the_command_line_warns_in_one_line_and_reruns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(DATA / "small.yaml", "small.yaml")
    argv = ["replicate", "small.yaml", "-n", "2", "--days", "3", "--executor", "serial"]
    argv += ["--store", "store", "--json", "-q"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    path = _record_file(Path("store"), 1)
    path.write_text(path.read_text(encoding="utf-8").replace('"seed": 0', '"seed": 0 '), "utf-8")
    assert main(argv) == 0  # only spacing changed: the content is the same
    assert capsys.readouterr().err.count("warning") == 0
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"trips": 2', '"trips": 3'), encoding="utf-8")
    assert '"trips": 3' in path.read_text(encoding="utf-8")
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert _without_wall_time(json.loads(captured.out)) == _without_wall_time(json.loads(first))
    [line] = [line for line in captured.err.splitlines() if "warning" in line]
    assert line == (
        f"fieldtotable replicate: warning: {path}: stored run not reused: content does not "
        "match its sha256 (edited or damaged); rerunning replication 1"
    )
