"""The replicate, compare and sweep commands, on a parser built with add_experiment_commands."""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldtotable import RunResult, Scenario, ScenarioError
from fieldtotable.cli.experiment import add_experiment_commands, parse_grid
from fieldtotable.experiment import runs as runs_module

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def cli(*argv: str) -> Outcome:
    parser = argparse.ArgumentParser(prog="fieldtotable", exit_on_error=False)
    commands = parser.add_subparsers(dest="command", required=True)
    add_experiment_commands(commands)
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    code = args.handler(args, out, err)
    return Outcome(code, out.getvalue(), err.getvalue())


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with small.yaml, and more.yaml that doubles its scale."""
    shutil.copy(DATA / "small.yaml", tmp_path / "small.yaml")
    (tmp_path / "more.yaml").write_text(
        "extends: small.yaml\nname: more\nscale: 2\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


FAST = ("--days", "10", "--executor", "serial")


def test_replicate_prints_every_kpi_with_its_unit_and_interval(files: Path) -> None:
    outcome = cli("replicate", "small.yaml", "-n", "4", *FAST)
    assert outcome.code == 0
    assert outcome.err == ""
    lines = outcome.out.splitlines()
    assert lines[0] == "Replications: small test channel"
    assert "n = 4 replications, seed 0; 95% confidence intervals (Student t)" in outcome.out
    sold = next(line for line in lines if line.strip().startswith("sold_kg "))
    assert re.search(r"sold_kg\s+kg\s+[\d,.]+ ± [\d,.]+\s+\[[\d,.]+, [\d,.]+\]", sold), sold
    rate = next(line for line in lines if line.strip().startswith("spoilage_rate "))
    assert re.search(r"%\s+[\d.]+% ± [\d.]+%\s+\[[\d.]+%, [\d.]+%\]", rate), rate
    assert re.fullmatch(r"seed 0 \| wall time [\d.]+ s", lines[-1])


def test_replicate_json(files: Path) -> None:
    outcome = cli("replicate", "small.yaml", "-n", "3", "--seed", "2", "--json", *FAST)
    data = json.loads(outcome.out)
    assert (data["n"], data["seed"]) == (3, 2)
    assert data["kpis"]["sold_kg"]["unit"] == "kg"
    assert len(data["values"]["sold_kg"]) == 3
    assert outcome.err.startswith("seed 2 | wall time")


def test_replicate_auto(files: Path) -> None:
    outcome = cli(
        "replicate", "small.yaml", "-n", "auto", "--target", "0.1", "--stop-kpi", "sold_kg",
        "--min-n", "3", "--max-n", "30", "--json", *FAST,
    )  # fmt: skip
    data = json.loads(outcome.out)
    assert data["stopping"]["rule"] == {
        "kpis": ["sold_kg"],
        "relative_half_width": 0.1,
        "n_min": 3,
        "n_max": 30,
    }
    assert 3 <= data["n"] <= 30
    text = cli("replicate", "small.yaml", "-n", "auto", "--max-n", "12", *FAST).out
    assert "n chosen sequentially" in text


def test_compare_prints_paired_differences_marked_when_significant(files: Path) -> None:
    # --wide: the interval column (by default it is left out to fit 100 columns).
    outcome = cli(
        "compare", "small.yaml", "more.yaml", "-n", "4", "--kpi", "harvested_kg",
        "--kpi", "fill_rate", "--wide", *FAST,
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    assert "Comparison with small" in outcome.out
    assert "more - small" in outcome.out
    harvested = next(
        line for line in outcome.out.splitlines() if line.strip().startswith("harvested_kg")
    )
    assert harvested.rstrip().endswith("*")
    assert re.search(r"\+[\d,.]+ ± [\d,.]+\s+\[[\d,.]+, [\d,.]+\]\s+\+100\.0%", harvested)
    fill = next(line for line in outcome.out.splitlines() if line.strip().startswith("fill_rate"))
    assert " pp ± " in fill
    assert "* the 95% confidence interval of the difference excludes 0" in outcome.out


def test_compare_baseline_by_name_or_path(files: Path) -> None:
    by_name = cli("compare", "small.yaml", "more.yaml", "-n", "2", "--baseline", "more", "--json",
                  *FAST)  # fmt: skip
    assert json.loads(by_name.out)["baseline"] == "more"
    by_path = cli("compare", "small.yaml", "more.yaml", "-n", "2", "--baseline",
                  str(files / "more.yaml"), "--json", *FAST)  # fmt: skip
    assert json.loads(by_path.out)["baseline"] == "more"
    bad = cli("compare", "small.yaml", "more.yaml", "-n", "2", "--baseline", "other", *FAST)
    assert bad.code == 2
    assert bad.err == (
        "fieldtotable compare: error: argument --baseline: 'other' is not one of the "
        "scenarios (small, more)\n"
    )


def test_compare_needs_two_scenarios(files: Path) -> None:
    outcome = cli("compare", "small.yaml", *FAST)
    assert outcome.code == 2
    assert "at least two" in outcome.err


def test_sweep_with_a_grid_and_an_output_directory(files: Path) -> None:
    outcome = cli(
        "sweep", "small.yaml", "--grid", "legs.cp_shanghai.fleet=1,3", "--grid",
        "legs.cp_shanghai.dispatch.departures_h=[18],[6, 18]", "-n", "2", "--store", "runs",
        *FAST,
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    lines = outcome.out.splitlines()
    assert lines[0] == "Sweep: small test channel"
    assert "4 points x 2 replications" in outcome.out
    assert re.search(r"sold_kg\s+fill_rate\s+spoilage_rate", outcome.out)
    assert re.search(r"\(kg\)\s+\(%\)", outcome.out)
    assert re.search(r"^\s+3\s+3\s+\[6, 18\]\s+[\d,.]+ ± ", outcome.out, re.MULTILINE)
    assert lines[-1].endswith("| runs in runs")
    assert len(list((files / "runs").glob("runs/*/*.json"))) == 8
    again = cli("sweep", "small.yaml", "--grid", "legs.cp_shanghai.fleet=1,3", "-n", "2",
                "--store", "runs", *FAST)  # fmt: skip
    assert again.code == 2
    assert again.err.startswith("fieldtotable sweep: error: runs holds the runs of a sweep")
    assert len(again.err.splitlines()) == 1


def test_bad_grid_and_set_are_scenario_errors(files: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        cli("sweep", "small.yaml", "--grid", "scale", "--grid", "scale=", *FAST)
    assert [str(p) for p in caught.value.problems] == [
        "--grid scale: expected PATH=V1,V2,...",
        "--grid scale=: no values after '='",
    ]
    with pytest.raises(ScenarioError, match="did you mean 'scale'"):
        cli("sweep", "small.yaml", "--grid", "scael=1,2", *FAST)
    with pytest.raises(ScenarioError, match=re.escape("--set legs.cp_shanghai.fleet=0")):
        cli("replicate", "small.yaml", "--set", "legs.cp_shanghai.fleet=0", *FAST)
    with pytest.raises(ScenarioError, match=re.escape("missing.yaml")):
        cli("compare", "small.yaml", "missing.yaml", *FAST)


def test_parse_grid_reads_yaml_values() -> None:
    assert parse_grid(["scale=1,2.5", "x.y=[1, 2],[3]", "z=FIFO,FEFO"]) == {
        "scale": [1, 2.5],
        "x.y": [[1, 2], [3]],
        "z": ["FIFO", "FEFO"],
    }
    with pytest.raises(ScenarioError, match="already in the grid"):
        parse_grid(["scale=1", "scale=2"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--days", "400"), "argument --days: must be at most the scenario's horizon_days, 30"),
        (("--kpi", "sold"), "unknown KPI: sold"),
        (("--stop-kpi", "sold_kg"), "argument --stop-kpi: needs -n auto"),
        (("-n", "auto", "--min-n", "1"), "n_min"),
        (("--dask-address", "tcp://x:1", "--executor", "process"), "needs the dask executor"),
    ],
)
def test_bad_options_take_one_line_and_exit_2(
    files: Path, argv: tuple[str, ...], message: str
) -> None:
    outcome = cli("replicate", "small.yaml", "-n", "2", *argv)
    assert outcome.code == 2
    assert len(outcome.err.splitlines()) == 1
    assert outcome.err.startswith("fieldtotable replicate: error: ")
    assert message in outcome.err


def test_failing_runs_exit_1_with_one_line_each(
    files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(scenario: Scenario, seed: int, *, replication: int) -> RunResult:
        raise RuntimeError(f"bad luck {replication}")

    monkeypatch.setattr(runs_module, "simulate", failing)
    outcome = cli("replicate", "small.yaml", "-n", "2", *FAST)
    assert outcome.code == 1
    lines = outcome.err.splitlines()
    assert lines[:3] == [
        "fieldtotable replicate: 2 runs failed (0 finished):",
        "fieldtotable replicate: point 0 (small test channel), seed 0, replication 0: "
        "RuntimeError: bad luck 0",
        "fieldtotable replicate: point 0 (small test channel), seed 0, replication 1: "
        "RuntimeError: bad luck 1",
    ]
    assert "Traceback" in outcome.err


def test_no_progress_bar_when_quiet_or_not_a_terminal(files: Path) -> None:
    assert cli("replicate", "small.yaml", "-n", "2", *FAST).err == ""
    assert cli("replicate", "small.yaml", "-n", "2", "-q", *FAST).err == ""
