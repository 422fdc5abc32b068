"""Exports: tables with units in their names, and files that read back to the same numbers."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest
from report_checks import DESIGN_KPIS

import fieldtotable
from fieldtotable import KPI_DEFINITIONS, ComparisonResult, ExperimentResult, RunResult, Scenario
from fieldtotable.experiment import SweepResult, scenario_hash
from fieldtotable.export import (
    METADATA_FILE,
    RUN_TABLES,
    Table,
    check_formats,
    comparison_table_set,
    experiment_table_set,
    parquet_available,
    read_csv_table,
    read_json_table,
    run_table_set,
    run_tables,
    sweep_table_set,
    write_comparison,
    write_experiment,
    write_run,
    write_sweep,
)
from fieldtotable.export import files as files_module
from fieldtotable.scenario import parse_scenario


def same(left: Any, right: Any) -> bool:
    """Equal to the last bit, NaN equal to NaN, and of the same type."""
    if isinstance(left, float) and isinstance(right, float):
        return (math.isnan(left) and math.isnan(right)) or left == right
    return type(left) is type(right) and left == right


def assert_same_table(read: Table, written: Table) -> None:
    assert read.columns == written.columns
    assert read.types == written.types
    assert len(read.rows) == len(written.rows)
    for got, expected in zip(read.rows, written.rows, strict=True):
        for column in written.columns:
            assert same(got[column], expected[column]), (written.name, column, got, expected)


def test_the_kpi_table_has_every_kpi_with_value_and_unit(run: RunResult) -> None:
    rows = run_tables(run)["kpis"]
    assert [row["kpi"] for row in rows] == list(KPI_DEFINITIONS)
    assert set(DESIGN_KPIS) <= {row["kpi"] for row in rows}
    for row in rows:
        assert same(row["value"], run.kpis[row["kpi"]])
        assert row["unit"] == KPI_DEFINITIONS[row["kpi"]][0]
        assert row["meaning"] == KPI_DEFINITIONS[row["kpi"]][1]


def test_run_tables_hold_the_result_numbers(run: RunResult) -> None:
    tables = run_tables(run)
    assert list(tables) == list(RUN_TABLES)
    for row in tables["by_product"]:
        for key, value in run.by_product[row["product"]].items():
            assert same(row[key], value)
    assert {
        row["stage"]: row["spoiled_kg"] for row in tables["by_stage"]
    } == run.spoiled_kg_by_stage
    for row in tables["by_leg"]:
        assert all(same(row[k], v) for k, v in run.by_leg[row["leg"]].items())
    for row in tables["by_node"]:
        assert all(same(row[k], v) for k, v in run.by_node[row["node"]].items())
    for row in tables["by_market"]:
        assert all(same(row[k], v) for k, v in run.by_market[row["market"]].items())
    daily = tables["daily"]
    assert [row["day"] for row in daily] == list(range(run.horizon_days))
    assert [row["measured"] for row in daily] == [
        d >= run.warmup_days for d in range(run.horizon_days)
    ]
    for key, series in run.daily.items():
        assert all(same(row[key], value) for row, value in zip(daily, series, strict=True))
    sold = {}
    for row in tables["remaining_at_sale"]:
        sold.setdefault(row["product"], []).append(row["sold_kg"])
        assert row["remaining_fraction_low"] < row["remaining_fraction_high"]
    assert sold == run.remaining_at_sale


def test_columns_carry_units_or_a_unit_column(run: RunResult) -> None:
    tables = run_table_set(run)
    assert {"sold_kg", "sold_value_cny", "mean_field_to_market_h", "spoilage_rate"} <= set(
        tables["by_product"].columns
    )
    assert {"cost_cny", "co2_kg", "kg_carried", "load_factor"} <= set(tables["by_leg"].columns)
    assert "unit" in tables["kpis"].columns
    daily_units = {c for c in tables["daily"].columns if c not in {"day", "date", "measured"}}
    assert all(c.endswith(("_kg", "_cny")) for c in daily_units)


def test_daily_table_dates_follow_the_start_date(run: RunResult, scenario: Scenario) -> None:
    rows = run_table_set(run)["daily"].rows
    start = scenario.start_date
    assert [row["date"] for row in rows[:2]] == [
        start.isoformat(),
        (start + dt.timedelta(days=1)).isoformat(),
    ]
    assert rows[-1]["date"] == (start + dt.timedelta(days=len(rows) - 1)).isoformat()


def test_csv_and_json_read_back_to_the_same_numbers(
    run: RunResult, scenario: Scenario, tmp_path: Path
) -> None:
    written = write_run(run, tmp_path, formats=("csv", "json"), scenario=scenario)
    names = {path.name for path in written}
    for name in RUN_TABLES:
        assert {f"{name}.csv", f"{name}.json"} <= names
    assert written[-1].name == METADATA_FILE
    for name, table in run_table_set(run).items():
        assert_same_table(read_csv_table(tmp_path / f"{name}.csv"), table)
        assert_same_table(read_json_table(tmp_path / f"{name}.json"), table)


def test_csv_numbers_are_exact_without_metadata(run: RunResult, tmp_path: Path) -> None:
    write_run(run, tmp_path, formats=("csv",))
    (tmp_path / METADATA_FILE).unlink()
    with (tmp_path / "kpis.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        value = run.kpis[row["kpi"]]
        text = row["value"]
        if math.isnan(value):
            assert text == ""
        else:
            assert text == repr(value)
            assert float(text) == value
    guessed = read_csv_table(tmp_path / "by_leg.csv")
    assert guessed.types["trips"] == "float"
    assert guessed.types["leg"] == "str"


def test_csv_kpis_cover_design_kpis(run: RunResult, tmp_path: Path) -> None:
    write_run(run, tmp_path, formats=("csv",))
    with (tmp_path / "kpis.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["kpi", "value", "unit", "meaning"]
        keys = [row["kpi"] for row in reader]
    assert keys == list(KPI_DEFINITIONS)
    assert set(DESIGN_KPIS) <= set(keys)


def test_json_writes_nan_as_null_and_types_columns(run: RunResult, tmp_path: Path) -> None:
    write_run(run, tmp_path, formats=("json",))
    data = json.loads((tmp_path / "by_node.json").read_text("utf-8"))
    assert data["name"] == "by_node"
    assert data["columns"]["node"] == "str"
    hubs = [row for row in data["rows"] if row["node"] == "shanghai_dc"]
    assert hubs[0]["mean_precooling_wait_h"] is None  # hubs do not pre-cool: NaN


def test_metadata_says_what_was_exported(
    run: RunResult, scenario: Scenario, tmp_path: Path
) -> None:
    write_run(run, tmp_path, scenario=scenario)
    meta = json.loads((tmp_path / METADATA_FILE).read_text("utf-8"))
    assert meta["kind"] == "run"
    assert meta["seed"] == run.seed
    assert meta["fieldtotable_version"] == fieldtotable.__version__
    # What reproduces the numbers: the code as well as the scenario and seed.
    import numpy as np  # noqa: PLC0415
    import simpy  # noqa: PLC0415

    assert meta["versions"]["numpy"] == np.__version__
    assert meta["versions"]["simpy"] == simpy.__version__
    assert meta["versions"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert meta["scenario_hash"] == scenario_hash(scenario)
    assert meta["kpi_definitions"]["sold_kg"] == {
        "unit": "kg",
        "meaning": KPI_DEFINITIONS["sold_kg"][1],
    }
    assert meta["tables"]["kpis"]["rows"] == len(KPI_DEFINITIONS)
    # the resolved scenario beside the tables reproduces the run
    again = parse_scenario((tmp_path / "scenario.yaml").read_text("utf-8"))
    assert scenario_hash(again) == scenario_hash(scenario)
    assert fieldtotable.simulate(again, seed=run.seed) == run


@pytest.mark.skipif(not parquet_available(), reason="pyarrow is not installed")
def test_parquet_reads_back_to_the_same_numbers(run: RunResult, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    write_run(run, tmp_path, formats=("parquet",))
    for name, table in run_table_set(run).items():
        read = pq.read_table(tmp_path / f"{name}.parquet")
        assert tuple(read.column_names) == table.columns
        for column in table.columns:
            values = read.column(column).to_pylist()
            assert all(
                same(got, exp) for got, exp in zip(values, table.column(column), strict=True)
            )
    kinds = {str(f.type) for f in pq.read_schema(tmp_path / "daily.parquet")}
    assert kinds == {"int64", "string", "bool", "double"}


def test_parquet_without_pyarrow_is_a_clear_error(
    run: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files_module, "parquet_available", lambda: False)
    with pytest.raises(ImportError, match="pip install pyarrow"):
        write_run(run, tmp_path / "out", formats=("csv", "parquet"))
    assert not (tmp_path / "out").exists()  # nothing written


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export format 'xlsx'"):
        check_formats(["csv", "xlsx"])
    with pytest.raises(ValueError, match="no export format"):
        check_formats([])


def test_experiment_tables(experiment: ExperimentResult, tmp_path: Path) -> None:
    tables = experiment_table_set(experiment)
    assert set(tables) == {"summary", "replications", "cost_by_stage"}
    summary = {row["kpi"]: row for row in tables["summary"].rows}
    assert list(summary) == list(experiment.kpis)
    for key, found in experiment.kpis.items():
        row = summary[key]
        assert row["unit"] == KPI_DEFINITIONS[key][0]
        for field in ("mean", "sd", "half_width", "low", "high", "confidence"):
            assert same(row[field], getattr(found, field))
        assert row["n"] == found.n
    reps = tables["replications"].rows
    assert [row["replication"] for row in reps] == list(range(experiment.n))
    for key, values in experiment.values.items():
        assert all(same(row[key], v) for row, v in zip(reps, values, strict=True))
    write_experiment(experiment, tmp_path)
    for name, table in tables.items():
        assert_same_table(read_csv_table(tmp_path / f"{name}.csv"), table)
        assert_same_table(read_json_table(tmp_path / f"{name}.json"), table)


def test_experiment_run_tables_stack_every_replication(experiment: ExperimentResult) -> None:
    tables = experiment_table_set(experiment, runs=True)
    daily = tables["runs_daily"]
    assert daily.columns[:2] == ("replication", "day")
    assert len(daily.rows) == experiment.n * experiment.runs[0].horizon_days
    last = [row for row in daily.rows if row["replication"] == experiment.n - 1]
    assert [row["sold_kg"] for row in last] == experiment.runs[-1].daily["sold_kg"]


def test_comparison_tables(comparison: ComparisonResult, tmp_path: Path) -> None:
    tables = comparison_table_set(comparison)
    diffs = tables["differences"].rows
    assert {row["configuration"] for row in diffs} == {"more trucks"}
    for row in diffs:
        found = comparison.differences[row["configuration"]][row["kpi"]]
        assert row["baseline"] == "base"
        assert row["significant"] is found.significant
        assert same(row["mean"], found.mean)
        assert same(row["p_value"], found.p_value)
    summary = tables["summary"].rows
    assert len(summary) == 2 * len(comparison.results["base"].kpis)
    write_comparison(comparison, tmp_path, runs=True)
    for name, table in comparison_table_set(comparison, runs=True).items():
        assert_same_table(read_csv_table(tmp_path / f"{name}.csv"), table)
        assert_same_table(read_json_table(tmp_path / f"{name}.json"), table)


def test_sweep_tables(swept: SweepResult, tmp_path: Path) -> None:
    tables = sweep_table_set(swept)
    points = tables["points"].rows
    assert [row["point"] for row in points] == [0, 1, 2, 3]
    column = "legs.cp_shanghai.dispatch.departures_h"
    assert tables["points"].types[column] == "str"  # lists are written as JSON text
    assert [json.loads(row[column]) for row in points] == [[18], [18], [6, 18], [6, 18]]
    assert tables["points"].types["scale"] == "int"
    assert len(tables["replications"].rows) == len(swept.rows())
    write_sweep(swept, tmp_path)
    for name, table in tables.items():
        assert_same_table(read_csv_table(tmp_path / f"{name}.csv"), table)
        assert_same_table(read_json_table(tmp_path / f"{name}.json"), table)
