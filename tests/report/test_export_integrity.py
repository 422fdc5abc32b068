"""Exports are all-or-nothing on a full disk, and CSV text cells cannot run as formulas."""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disk_full import file_size_limit
from fieldtotable import RunResult, Scenario, parse_scenario, simulate
from fieldtotable.cli import main
from fieldtotable.export import Table, read_csv_table, read_json_table, write_run
from fieldtotable.export.files import (
    FORMULA_STARTS,
    neutralise_csv_text,
    restore_csv_text,
    write_tables,
)
from fieldtotable.fileio import StagedFolder
from fieldtotable.report import write_report

DATA = Path(__file__).resolve().parents[1] / "data"

#: Ids of small.yaml renamed so that each starts with a character a spreadsheet
#: reads as a formula.
HOSTILE_IDS = {"matsutake": "=cmd", "pickers": "+src", "cp": "-cp", "shanghai_dc": "@dc"}


def _everything(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# --- all-or-nothing -------------------------------------------------------------------


def test_a_full_disk_leaves_no_new_export_folder(run: RunResult, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out"
    with file_size_limit(600), pytest.raises(OSError, match="File too large") as caught:
        write_run(run, target, formats=("csv", "json"))
    assert caught.value.errno == errno.EFBIG
    assert os.listdir(tmp_path) == []  # not even the folders made for it


def test_a_full_disk_leaves_an_old_export_as_it_was(
    run: RunResult, scenario: Scenario, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write_run(run, out, formats=("csv", "json"))
    (out / "mine.txt").write_text("the user's own file", encoding="utf-8")
    before = _everything(out)
    other = simulate(scenario, seed=9)
    with file_size_limit(600), pytest.raises(OSError, match="File too large"):
        write_run(other, out, formats=("csv", "json"), scenario=scenario)
    assert _everything(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(before)  # no staging folder left
    # With room, the new export replaces the old files and keeps the user's own.
    written = write_run(other, out, formats=("csv", "json"), scenario=scenario)
    assert {p.name for p in written} | {"mine.txt"} == {p.name for p in out.iterdir()}
    assert (out / "mine.txt").read_text(encoding="utf-8") == "the user's own file"


def test_files_are_published_only_when_all_are_written(tmp_path: Path) -> None:
    target = tmp_path / "out"

    def fail_half_way() -> None:
        with StagedFolder(target) as staging:
            (staging / "one.csv").write_text("x\n", encoding="utf-8")
            assert not target.exists()
            raise RuntimeError("the second file failed")

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert os.listdir(tmp_path) == []
    with StagedFolder(target) as staging:
        (staging / "one.csv").write_text("x\n", encoding="utf-8")
    assert os.listdir(target) == ["one.csv"]
    with pytest.raises(NotADirectoryError), StagedFolder(target / "one.csv"):
        pass


def test_published_files_have_the_usual_permissions(run: RunResult, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    write_run(run, tmp_path / "out", formats=("csv",))
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o777 & ~umask
    assert (tmp_path / "out" / "kpis.csv").stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_full_disk_leaves_an_old_report_as_it_was(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text("<p>old</p>", encoding="utf-8")
    with file_size_limit(100), pytest.raises(OSError, match="File too large"):
        write_report("<p>" + "new " * 1000 + "</p>", report)
    assert report.read_text(encoding="utf-8") == "<p>old</p>"
    assert os.listdir(tmp_path) == ["report.html"]


def _command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(DATA / "small.yaml", "small.yaml")
    return ["run", "small.yaml", "--days", "3"]


def test_run_out_on_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _command(tmp_path, monkeypatch)
    with file_size_limit(3000):
        assert main([*argv, "--out", "out/tables", "--format", "csv", "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "fieldtotable run: error: argument --out: cannot write to out/tables: File too large\n"
    )
    assert sorted(os.listdir(tmp_path)) == ["small.yaml"]


def test_report_output_on_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _command(tmp_path, monkeypatch)
    argv[0] = "report"
    with file_size_limit(3000):
        assert main([*argv, "-o", "r.html"]) == 2
    assert capsys.readouterr().err == (
        "fieldtotable report: error: argument --output: cannot write r.html: File too large\n"
    )
    assert sorted(os.listdir(tmp_path)) == ["small.yaml"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_report_path_that_is_a_pipe_is_refused_before_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _command(tmp_path, monkeypatch)
    os.mkfifo("r.html")
    assert main([*argv, "--report", "r.html"]) == 2
    assert capsys.readouterr().err == (
        "fieldtotable run: error: argument --report: r.html: not a regular file: it is a "
        "named pipe (FIFO)\n"
    )


# --- CSV injection --------------------------------------------------------------------


@pytest.mark.parametrize("first", FORMULA_STARTS)
def test_text_starting_like_a_formula_gets_a_quote(first: str) -> None:
    assert neutralise_csv_text(f"{first}cmd") == f"'{first}cmd"
    assert restore_csv_text(f"'{first}cmd") == f"{first}cmd"


def test_other_text_is_unchanged() -> None:
    for text in ("", "cmd", "a=b", "'", "'quoted'", " =x", "'a"):
        assert neutralise_csv_text(text) == text
        assert restore_csv_text(text) == text


@given(st.text())
def test_neutralising_is_undone_exactly(text: str) -> None:
    written = neutralise_csv_text(text)
    assert not written.startswith(FORMULA_STARTS)
    assert restore_csv_text(written) == text


def _hostile_scenario() -> Scenario:
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    for old, new in HOSTILE_IDS.items():
        text = re.sub(rf"\b{old}\b", json.dumps(new), text)
    return parse_scenario(text, "hostile.yaml").with_horizon(3)


def test_csv_exports_neutralise_ids_and_json_keeps_them(tmp_path: Path) -> None:
    run = simulate(_hostile_scenario(), seed=1)
    write_run(run, tmp_path, formats=("csv", "json"))
    cells: set[str] = set()
    for file in tmp_path.glob("*.csv"):
        with file.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                cells.update(row)
    texts = [cell for cell in cells if cell and not _is_number(cell)]
    assert not [cell for cell in texts if cell.startswith(FORMULA_STARTS)]
    assert {"'=cmd", "'-cp", "'@dc"} <= cells  # sources are in no table
    # Numbers are never quoted, negative ones included.
    assert not [cell for cell in cells if cell.startswith("'") and _is_number(cell[1:])]
    # JSON has the ids as they are; CSV reads back to the same table.
    products = read_json_table(tmp_path / "by_product.json")
    assert "=cmd" in products.column("product")
    assert read_csv_table(tmp_path / "by_product.csv") == products
    assert read_csv_table(tmp_path / "daily.csv") == read_json_table(tmp_path / "daily.json")


def test_negative_numbers_and_header_cells(tmp_path: Path) -> None:
    table = Table(
        "t",
        ("-name", "value", "count"),
        {"-name": "str", "value": "float", "count": "int"},
        [{"-name": "-5", "value": -1.5, "count": -3}, {"-name": "@x", "value": 2.0, "count": 1}],
    )
    write_tables({"t": table}, tmp_path, formats=("csv",))
    lines = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["'-name,value,count", "'-5,-1.5,-3", "'@x,2.0,1"]
    assert read_csv_table(tmp_path / "t.csv") == table
    assert read_csv_table(tmp_path / "t.csv", types=table.types) == table


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
