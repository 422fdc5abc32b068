"""``to_pandas`` (typed, tidy, units in names) and ``_repr_html_`` for Jupyter."""

from __future__ import annotations

import inspect
import math
import sys

import pytest
from report_checks import DESIGN_KPIS

from fieldtotable import (
    KPI_DEFINITIONS,
    ComparisonResult,
    ExperimentResult,
    RunResult,
    SweepResult,
)
from fieldtotable.export import RUN_TABLES
from fieldtotable.export.html import kpi_label
from fieldtotable.tables import display_unit, format_estimate, format_number
from nan_aware import same


def test_to_pandas_without_pandas_says_how_to_install(
    run: RunResult, experiment: ExperimentResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match="pip install pandas"):
        run.to_pandas()
    with pytest.raises(ImportError, match=r"the 'export' extra .*fieldtotable\[export\]"):
        run.to_pandas("daily")
    with pytest.raises(ImportError, match="pip install pandas"):
        experiment.to_pandas("summary")


def test_run_kpis_frame_has_every_kpi(run: RunResult) -> None:
    pytest.importorskip("pandas")
    frame = run.to_pandas()
    assert list(frame.columns) == ["kpi", "value", "unit", "meaning"]
    assert list(frame["kpi"]) == list(KPI_DEFINITIONS)
    assert set(DESIGN_KPIS) <= set(frame["kpi"])
    assert str(frame["value"].dtype) == "float64"
    assert str(frame["kpi"].dtype) == "string"
    for key, value, unit in zip(frame["kpi"], frame["value"], frame["unit"], strict=True):
        expected = run.kpis[key]
        assert (math.isnan(value) and math.isnan(expected)) or value == expected
        assert unit == KPI_DEFINITIONS[key][0]


def test_run_frames_are_typed_and_tidy(run: RunResult) -> None:
    pytest.importorskip("pandas")
    frames = run.to_pandas("all")
    assert list(frames) == list(RUN_TABLES)
    daily = frames["daily"]
    assert str(daily["day"].dtype) == "int64"
    assert str(daily["measured"].dtype) == "bool"
    assert str(daily["sold_kg"].dtype) == "float64"
    assert list(daily["sold_kg"]) == run.daily["sold_kg"]
    assert int(daily["measured"].sum()) == run.horizon_days - run.warmup_days
    products = run.to_pandas("by_product").set_index("product")
    for product, values in run.by_product.items():
        for key, value in values.items():
            got = products.loc[product, key]
            assert (math.isnan(got) and math.isnan(value)) or got == value
    with pytest.raises(ValueError, match="no table 'nope'"):
        run.to_pandas("nope")


def test_experiment_frames(experiment: ExperimentResult) -> None:
    pytest.importorskip("pandas")
    replications = experiment.to_pandas()
    assert list(replications["replication"]) == list(range(experiment.n))
    assert str(replications["replication"].dtype) == "int64"
    assert set(KPI_DEFINITIONS) <= set(replications.columns)
    summary = experiment.to_pandas("summary").set_index("kpi")
    for key, found in experiment.kpis.items():
        assert same(float(summary.loc[key, "mean"]), found.mean)
        assert summary.loc[key, "unit"] == KPI_DEFINITIONS[key][0]
        assert summary.loc[key, "n"] == found.n
    daily = experiment.to_pandas("runs_daily")
    assert len(daily) == experiment.n * experiment.runs[0].horizon_days
    assert set(experiment.to_pandas("all")) == {"summary", "replications", "cost_by_stage"}


def test_run_repr_html_shows_every_kpi(run: RunResult) -> None:
    page = run._repr_html_()
    assert run.scenario_name in page
    for key in KPI_DEFINITIONS:
        unit = display_unit(key)
        assert f'<code class="key">{key}</code>' in page
        assert f'<td class="num">{format_number(run.kpis[key], unit)}</td>' in page


def test_experiment_repr_html_shows_intervals(experiment: ExperimentResult) -> None:
    page = experiment._repr_html_()
    assert f"{experiment.n} replications" in page
    for key, found in experiment.kpis.items():
        assert format_estimate(found, display_unit(key)) in page
        assert kpi_label(key) in page


def test_comparison_and_sweep_repr_html(comparison: ComparisonResult, swept: SweepResult) -> None:
    page = comparison._repr_html_()
    assert "more trucks minus base" in page
    diff = comparison.differences["more trucks"]["sold_kg"]
    assert format_estimate(diff, "kg") in page
    page = swept._repr_html_()
    for point in swept.points:
        assert format_estimate(point.result.kpis["spoilage_rate"], "%") in page


RESULT_TYPES = (RunResult, ExperimentResult, ComparisonResult, SweepResult)


@pytest.mark.parametrize("result_type", RESULT_TYPES, ids=lambda t: t.__name__)
def test_every_result_type_has_one_to_pandas_signature(result_type: type) -> None:
    signature = inspect.signature(result_type.to_pandas)
    assert str(signature) == "(self, table: 'str | None' = None) -> 'Any'"
    assert result_type.DEFAULT_TABLE in (result_type.to_pandas.__doc__ or "")


def test_default_table_is_the_named_main_table(
    run: RunResult,
    experiment: ExperimentResult,
    comparison: ComparisonResult,
    swept: SweepResult,
) -> None:
    pytest.importorskip("pandas")
    for result in (run, experiment, comparison, swept):
        main = result.to_pandas()
        assert main.equals(result.to_pandas(type(result).DEFAULT_TABLE))
        every = result.to_pandas("all")
        assert type(result).DEFAULT_TABLE in every
        assert every[type(result).DEFAULT_TABLE].equals(main)
        with pytest.raises(ValueError, match="no table 'nope'"):
            result.to_pandas("nope")


def test_comparison_frames(comparison: ComparisonResult) -> None:
    pytest.importorskip("pandas")
    differences = comparison.to_pandas()
    assert set(differences["configuration"]) == {"more trucks"}
    assert set(differences["baseline"]) == {"base"}
    sold = differences.set_index("kpi").loc["sold_kg"]
    assert sold["mean"] == comparison.differences["more trucks"]["sold_kg"].mean
    assert str(differences["significant"].dtype) == "bool"
    assert set(comparison.to_pandas("all")) == {
        "summary",
        "differences",
        "replications",
        "cost_by_stage",
    }
    replications = comparison.to_pandas("replications")
    assert len(replications) == comparison.n * len(comparison.names)
    daily = comparison.to_pandas("runs_daily")
    assert list(daily.columns[:2]) == ["configuration", "replication"]


def test_sweep_frames(swept: SweepResult) -> None:
    pytest.importorskip("pandas")
    rows = swept.to_pandas()
    assert len(rows) == sum(point.result.n for point in swept.points)
    assert {"point", "replication", "scale", "sold_kg"} <= set(rows.columns)
    summary = swept.to_pandas("summary")
    assert len(summary) == len(swept.points) * len(swept.kpis)
    assert list(swept.to_pandas("points")["point"]) == [p.index for p in swept.points]
    assert set(swept.to_pandas("all")) == {"points", "summary", "replications", "cost_by_stage"}
    with pytest.raises(TypeError):
        swept.to_pandas(summary=True)  # type: ignore[call-arg]
