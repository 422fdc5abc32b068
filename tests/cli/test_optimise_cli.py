"""``fieldtotable optimise``: the answer as text and JSON, and one line per bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldtotable.cli import main

MINIMAL = str(Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml")
FAST = ["--days", "10", "--budget", "60", "--delta", "1000"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["optimise", MINIMAL, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_lists_best_runs_and_trials(capsys: pytest.CaptureFixture[str]) -> None:
    # Fleet 1..3 of the minimal channel's one truck leg over 10 days: three trucks
    # sell the most (about 155 k CNY against 44 k for one).
    code, out, err = run(
        capsys,
        "--var",
        "legs.shangrila_shanghai.fleet=int:1..3",
        "--maximise",
        "sold_value_cny",
        "--subject-to",
        "spoilage_rate <= 0.5",
        "--json",
        *FAST,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["best"]["params"] == {"legs.shangrila_shanghai.fleet": 3}
    assert len(data["best"]["objective"]["ci"]) == 2
    assert data["best"]["constraints"][0]["probability_holds"] == 1.0
    assert 0 < data["best"]["pcs"]["bound"] < 1
    assert data["runs"]["total"] <= 60
    assert len(data["trials"]) == 3


def test_text_names_the_best_and_the_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "--var",
        "legs.shangrila_shanghai.fleet=int:1..2",
        "--maximise",
        "sold_value_cny",
        *FAST,
    )
    assert code == 0, err
    assert "legs.shangrila_shanghai.fleet = 2" in out
    assert "runs: " in out
    assert "of 60" in out


def test_every_bad_specification_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "--var",
        "legs.nowhere.fleet=int:1..3",
        "--var",
        "legs.shangrila_shanghai.mode=int:1..3",
        "--var",
        "legs.shangrila_shanghai.fleet=choice:",
        "--maximise",
        "sold_value",
        "--subject-to",
        "fill_rate <",
    )
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 3  # the parse problems first: one per variable, KPI, constraint
    assert lines[0].startswith("--var legs.shangrila_shanghai.fleet=choice:")
    assert lines[1].startswith("--maximise sold_value: unknown KPI")
    assert lines[2].startswith("--subject-to fill_rate <:")
    code, out, err = run(
        capsys,
        "--var",
        "legs.nowhere.fleet=int:1..3",
        "--var",
        "legs.shangrila_shanghai.mode=int:1..3",
        "--maximise",
        "sold_value_cny",
    )
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 2
    assert "unknown key" in lines[0]
    assert "a number range does not fit this field" in lines[1]
