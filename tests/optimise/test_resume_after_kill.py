"""``fieldtotable optimise --out DIR`` killed with SIGKILL resumes to the identical result."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldtotable.cli import main

pytest.importorskip("optuna")

MINIMAL = str(Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml")
ARGUMENTS = [
    "optimise",
    MINIMAL,
    "--days",
    "60",
    "--var",
    "legs.shangrila_shanghai.fleet=int:1..4",
    "--maximise",
    "sold_value_cny",
    "--subject-to",
    "spoilage_rate <= 0.5",
    "--budget",
    "80",
    "--json",
]


def stored_runs(folder: Path) -> list[Path]:
    return sorted(folder.glob("runs/runs/*/*.json"))


def run_in_process(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    code = main([*ARGUMENTS, "--out", str(folder)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result: dict[str, object] = json.loads(captured.out)
    return result


@pytest.mark.slow
def test_a_run_killed_mid_search_resumes_to_the_same_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    killed = tmp_path / "killed"
    log = (tmp_path / "log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "fieldtotable", *ARGUMENTS, "--out", str(killed)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while len(stored_runs(killed)) < 10:
            assert process.poll() is None, (tmp_path / "log").read_text()
            assert time.monotonic() < deadline, "no runs written"
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
        log.close()
    assert process.returncode == -signal.SIGKILL
    before = stored_runs(killed)
    assert (killed / "optuna-journal.log").exists()

    resumed = run_in_process(killed, capsys)
    whole = run_in_process(tmp_path / "whole", capsys)
    assert resumed == whole
    runs = whole["runs"]
    assert isinstance(runs, dict)
    # The resumed run simulated only what the killed one had not stored.
    after = stored_runs(killed)
    assert set(before) < set(after)
    assert len(after) == len(stored_runs(tmp_path / "whole")) == runs["total"]
    # Optuna's journal was rewritten whole: it loads and holds every proposal.
    optuna = pytest.importorskip("optuna")
    storage = optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(killed / "optuna-journal.log"))
    )
    study = optuna.load_study(study_name="fieldtotable-optimise", storage=storage)
    trials = whole["trials"]
    assert isinstance(trials, list)
    assert len(study.trials) == sum(trial["proposals"] for trial in trials)
