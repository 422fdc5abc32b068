"""``fieldtotable optimise``: the answer as text and JSON, and one line per bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fieldtotable.report
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


def test_report_writes_the_html_with_the_sensitivity(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "optimisation.html"
    code, out, err = run(
        capsys,
        "--var",
        "legs.shangrila_shanghai.fleet=int:1..3",
        "--maximise",
        "sold_value_cny",
        "--report",
        str(report),
        "--json",
        *FAST,
    )
    assert code == 0, err
    assert f"report written to {report}" in err
    data = json.loads(out)
    assert data["runs"]["total"] <= 60  # the sensitivity's runs are outside the budget
    # The best (3 trucks) has one neighbour in range: 2 trucks, which sells less.
    assert [record["value"] for record in data["sensitivity"]] == [2]
    assert data["sensitivity"][0]["difference"]["mean"] < 0
    assert data["runs"]["sensitivity"] == data["sensitivity"][0]["difference"]["n"]
    html = report.read_text(encoding="utf-8")
    for anchor in ("question", "answer", "runs", "search", "finalists", "sensitivity"):
        assert f'<section id="{anchor}">' in html
    assert "legs.shangrila_shanghai.fleet" in html
    assert "<script" not in html


def test_text_shows_the_sensitivity_when_a_report_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys,
        "--var",
        "legs.shangrila_shanghai.fleet=int:1..2",
        "--maximise",
        "sold_value_cny",
        "--report",
        str(tmp_path / "report.html"),
        *FAST,
    )
    assert code == 0, err
    assert "sensitivity around the best" in out
    assert "legs.shangrila_shanghai.fleet 2 -> 1:" in out


def test_a_report_that_cannot_be_written_is_one_line_before_any_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for target in (tmp_path / "missing" / "report.html", tmp_path):
        code, out, err = run(
            capsys,
            "--var",
            "legs.shangrila_shanghai.fleet=int:1..2",
            "--maximise",
            "sold_value_cny",
            "--report",
            str(target),
            *FAST,
        )
        assert code == 2
        assert out == ""
        assert len(err.splitlines()) == 1
        assert "--report" in err
        assert "Traceback" not in err


def test_a_report_write_that_fails_after_the_run_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(html: str, path: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fieldtotable.report, "write_report", full_disk)
    code, _, err = run(
        capsys,
        "--var",
        "legs.shangrila_shanghai.fleet=int:1..2",
        "--maximise",
        "sold_value_cny",
        "--report",
        str(tmp_path / "report.html"),
        *FAST,
    )
    assert code == 2
    assert err.splitlines()[-1].endswith("No space left on device")
    assert "Traceback" not in err


PARETO = [
    "--var",
    "legs.shangrila_shanghai.fleet=int:1..3",
    "--maximise",
    "sold_value_cny",
    "--minimise",
    "co2_kg",
    "--subject-to",
    "co2_kg <= 12000",
    "--days",
    "10",
    "--budget",
    "60",
]


def test_two_objectives_print_the_front_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    # More trucks sell more and emit more; three break the CO2 cap (about 14.6 t).
    code, out, err = run(capsys, *PARETO)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "objectives: maximise sold_value_cny; minimise co2_kg"
    assert any(line.startswith("Pareto set (2 of ") for line in lines)
    header = next(line for line in lines if "legs.shangrila_shanghai.fleet" in line)
    assert "#" in header
    assert sum("mean ± 95% CI" in line for line in lines) == 1
    rows = [line.split() for line in lines if line.startswith(("  1 ", "  2 "))]
    assert sorted(row[1] for row in rows) == ["1", "2"]
    assert all("±" in row for row in rows)
    assert "no probability-of-correct-selection guarantee" in out
    assert "runs: " in out
    assert "of 60" in out


def test_two_objectives_json_is_the_pareto_result(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *PARETO, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["objectives"] == ["maximise sold_value_cny", "minimise co2_kg"]
    assert [member["params"] for member in data["front"]] == [
        {"legs.shangrila_shanghai.fleet": 2},
        {"legs.shangrila_shanghai.fleet": 1},
    ]
    assert all(len(member["objectives"]) == 2 for member in data["front"])
    assert data["comparisons"][0]["verdict"] == "trade-off"
    assert data["runs"]["total"] <= 60
    assert "best" not in data


def test_no_objective_or_three_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    message = "--maximise/--minimise: give one objective, or two for a Pareto set"
    code, out, err = run(capsys, "--var", "legs.shangrila_shanghai.fleet=int:1..3")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [f"{message} (got 0)"]
    code, out, err = run(
        capsys,
        "--var",
        "legs.shangrila_shanghai.fleet=int:1..3",
        "--maximise",
        "sold_value_cny",
        "--minimise",
        "co2_kg",
        "--minimise",
        "spoilage_rate",
    )
    assert code == 2
    assert out == ""
    assert err.splitlines() == [f"{message} (got 3)"]


def test_delta_with_two_objectives_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, *PARETO, "--delta", "1000")
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "δ applies to one objective" in err


def test_quantiles_and_cvar_of_the_best(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "--var",
        "legs.shangrila_shanghai.fleet=int:1..3",
        "--maximise",
        "sold_value_cny",
        "--subject-to",
        "spoilage_rate <= 0.5",
        "--quantiles",
        "10,90",
        "--cvar",
        "0.9",
        *FAST,
    )
    assert code == 0, err
    assert "tails of sold_value_cny over 20 replications: P10 " in out
    assert "CVaR90 " in out
    assert "tails of spoilage_rate over 20 replications" in out
    code, out, err = run(capsys, *PARETO, "--cvar", "0.9")
    assert code == 2
    assert err.splitlines() == ["tails: tails applies to one objective; a Pareto set has none"]
