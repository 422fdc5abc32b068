"""``fieldtotable sensitivity``: the ranked table, JSON, the report, one line per bad input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from fieldtotable.cli import main

pytest.importorskip("SALib")

MINIMAL = str(Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml")
PARAMS = ["--param", "products.matsutake.shelf_life_days=2..8", "--param", "scale=0.5..2"]
FAST = ["--days", "10", "-q"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["sensitivity", MINIMAL, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_ranks_the_parameters_per_kpi(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, *PARAMS, "--kpi", "spoilage_rate", "--kpi", "sold_kg", "--samples", "4", *FAST
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("sobol: 2 parameters, sample size 4, 16 points")
    assert any(line.startswith("spoilage_rate [fraction]") for line in lines)
    first = lines.index(next(line for line in lines if line.startswith("spoilage_rate"))) + 2
    assert lines[first].split()[:2] == ["1", "products.matsutake.shelf_life_days"]
    assert "sold_kg [kg]" in out


def test_json_and_report_of_morris(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = tmp_path / "sensitivity.html"
    store = tmp_path / "store"
    args = [*PARAMS, "--kpi", "spoilage_rate", "--method", "morris", "--samples", "3", "--json"]
    code, out, err = run(capsys, *args, "--store", str(store), "--report", str(report), *FAST)
    assert code == 0, err
    data = json.loads(out)
    assert data["method"] == "morris"
    assert data["evaluations"] == 3 * 3
    assert set(data["kpis"][0]["indices"][0]) == {
        "parameter",
        "mu_star",
        "mu_star_conf",
        "mu",
        "sigma",
    }
    tables = tmp_path / "tables"
    assert not tables.exists()
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html
    assert "mu*" in html
    assert "fieldtotable sensitivity" in html  # the command that reproduces it
    again, out_again, err = run(capsys, *args, "--store", str(store), "--out", str(tables), *FAST)
    assert again == 0, err
    assert json.loads(out_again)["kpis"] == data["kpis"]
    assert err.strip() == f"2 files written to {tables}"
    csv_lines = (tables / "indices.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0] == "kpi,rank,parameter,low,high,mu_star,mu_star_conf,mu,sigma"
    assert csv_lines[1].startswith("spoilage_rate,1,products.matsutake.shelf_life_days,2.0,8.0,")
    assert json.loads((tables / "sensitivity.json").read_text(encoding="utf-8")) == json.loads(
        out_again
    )


def test_replications_are_averaged_at_every_point(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        *PARAMS,
        "--kpi",
        "sold_kg",
        "--method",
        "morris",
        "--samples",
        "2",
        "-n",
        "2",
        "--json",
        *FAST,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["replications"] == 2
    assert data["runs"] <= 2 * data["evaluations"]
    assert data["runs"] % 2 == 0


def test_every_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "--param",
        "products.matsutake.shelf_lif_days=2..8",
        "--param",
        "legs.shangrila_shanghai.mode=1..2",
        "--param",
        "scale=2..1",
        "--param",
        "scale",
        "--kpi",
        "spoilage",
        *FAST,
    )
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 5, lines
    assert any(line.startswith("--param scale=2..1: LO must be below HI") for line in lines)
    assert any(line.startswith("--param scale: expected PATH=LO..HI") for line in lines)
    assert any("shelf_lif_days" in line and "did you mean" in line for line in lines)
    assert any(line.startswith("--param legs.shangrila_shanghai.mode=") for line in lines)
    assert any(line.startswith("--kpi spoilage: unknown KPI") for line in lines)
    assert "Traceback" not in err


def test_a_sobol_n_that_is_no_power_of_two_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, *PARAMS, "--kpi", "sold_kg", "--samples", "10", *FAST)
    assert code == 2
    assert err.strip().splitlines() == [
        "fieldtotable sensitivity: error: n must be a power of 2 for sobol (the Sobol' "
        "sequence is balanced only then), not 10"
    ]


def test_without_salib_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "SALib", None)
    code, out, err = run(capsys, *PARAMS, "--kpi", "sold_kg", *FAST)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "fieldtotable sensitivity: error: sensitivity needs SALib, which is not installed: "
        "pip install 'fieldtotable[sensitivity]'"
    ]
