"""The command line's report and export options: ``report``, ``--report``, ``--out``,
``--format``; bad output options are one line on stderr and exit 2."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from fieldtotable import KPI_DEFINITIONS, load_scenario, simulate
from fieldtotable.cli import main
from fieldtotable.export import RUN_TABLES, read_csv_table
from fieldtotable.export import files as files_module
from fieldtotable.tables import display_unit, format_number
from nan_aware import same

DATA = Path(__file__).resolve().parents[1] / "data"
EXPERIMENT = ["-n", "2", "--days", "8", "--executor", "serial", "-q"]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(DATA / "small.yaml", tmp_path / "small.yaml")
    variant = (DATA / "small.yaml").read_text("utf-8").replace("fleet: 3", "fleet: 5")
    (tmp_path / "trucks.yaml").write_text(variant, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def kpi_cells(page: str) -> dict[str, str]:
    return dict(re.findall(r'<code>(\w+)</code></td><td class="num">([^<]*)</td>', page))


def test_report_command_writes_a_run_report(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "small.yaml", "--days", "8", "--seed", "4", "-o", "out.html"]) == 0
    out = capsys.readouterr().out
    assert "report written to out.html" in out
    page = (workdir / "out.html").read_text("utf-8")
    result = simulate(load_scenario("small.yaml").with_horizon(8), seed=4)
    cells = kpi_cells(page)
    for key in KPI_DEFINITIONS:
        assert cells[key] == format_number(result.kpis[key], display_unit(key))
    assert "fieldtotable report small.yaml --days 8 --seed 4 -o out.html" in html.unescape(page)


def test_run_writes_report_and_tables(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "run",
            "small.yaml",
            "--days",
            "8",
            "--report",
            "r.html",
            "--out",
            "tables",
            "--format",
            "csv",
            "--question",
            "Enough trucks?",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "Totals" in captured.out  # the usual tables still print
    assert "report written to r.html" in captured.err
    assert f"{len(RUN_TABLES) + 2} files written to tables" in captured.err  # + scenario, metadata
    page = (workdir / "r.html").read_text("utf-8")
    assert "Enough trucks?" in page
    result = simulate(load_scenario("small.yaml").with_horizon(8), seed=0)
    kpis = read_csv_table(workdir / "tables" / "kpis.csv")
    assert same({row["kpi"]: row["value"] for row in kpis.rows}, result.kpis)
    assert [p.name for p in (workdir / "tables").glob("*.json")] == ["metadata.json"]
    meta = json.loads((workdir / "tables" / "metadata.json").read_text("utf-8"))
    assert meta["formats"] == ["csv"]


def test_compare_writes_report_and_export(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["compare", "small.yaml", "trucks.yaml", *EXPERIMENT, "--report", "cmp.html"]
    assert main([*args, "--out", "cmp", "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "report written to cmp.html" in err
    page = (workdir / "cmp.html").read_text("utf-8")
    assert "small vs trucks" in page
    assert "<td>legs.cp_shanghai.fleet</td><td>3</td><td>5</td>" in page
    names = {path.name for path in (workdir / "cmp").iterdir()}
    assert {"summary.json", "differences.json", "replications.json", "metadata.json"} <= names


def test_sweep_and_replicate_write_reports(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    grid = ["--grid", "scale=1,2"]
    assert main(["sweep", "small.yaml", *grid, *EXPERIMENT, "--report", "s.html"]) == 0
    assert "points" in (workdir / "s.html").read_text("utf-8")
    assert main(["replicate", "small.yaml", *EXPERIMENT, "--report", "r.html", "--out", "r"]) == 0
    assert "replications report" in (workdir / "r.html").read_text("utf-8")
    assert (workdir / "r" / "summary.csv").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["run", "small.yaml", "--report", "nowhere/r.html"],
            "run: error: argument --report: folder 'nowhere' does not exist",
        ),
        (
            ["report", "small.yaml", "-o", "nowhere/r.html"],
            "report: error: argument --output: folder 'nowhere' does not exist",
        ),
        (
            ["run", "small.yaml", "--format", "csv"],
            "run: error: argument --format: needs --out DIR",
        ),
        (
            ["run", "small.yaml", "--out", "small.yaml"],
            "run: error: argument --out: small.yaml exists and is not a folder",
        ),
        (
            ["compare", "small.yaml", "trucks.yaml", *EXPERIMENT, "--report", "nowhere/c.html"],
            "compare: error: argument --report: folder 'nowhere' does not exist",
        ),
    ],
)
def test_bad_output_options_exit_2_with_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"fieldtotable {message}"]


def test_parquet_without_pyarrow_exits_2(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files_module, "parquet_available", lambda: False)
    assert main(["run", "small.yaml", "--out", "t", "--format", "parquet"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "fieldtotable run: error: argument --format: Parquet export needs pyarrow: "
        "pip install pyarrow"
    ]
    assert not (workdir / "t").exists()
    # without --format, the default formats leave Parquet out
    assert main(["run", "small.yaml", "--days", "5", "--out", "t"]) == 0
    assert {p.suffix for p in (workdir / "t").iterdir()} == {".csv", ".json", ".yaml"}
