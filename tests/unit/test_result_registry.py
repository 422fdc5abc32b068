"""One result-field registry: a KPI added there alone reaches every table and page."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from tools.reference_pages.results_page import results_markdown

import fieldtotable as ft
from fieldtotable.export import write_experiment, write_run
from fieldtotable.export.html import kpi_label
from fieldtotable.report import experiment_report, run_report
from fieldtotable.results import (
    KPIS,
    MeasuredRun,
    ResultField,
    register_kpi,
    section,
    unregister_kpi,
)
from fieldtotable.results.fields import field_of, headline_kpis, sweep_kpis
from fieldtotable.results.paths import kpi_unit
from fieldtotable.tables import format_experiment, format_run

DATA = Path(__file__).resolve().parents[1] / "data"

SOLD_PER_TRIP = ResultField(
    "sold_per_trip_kg",
    "kg",
    "sold_kg / trips: what one vehicle trip brings to a market",
    label="Sold per trip",
    better="higher",
    headline=True,
    sweep=True,
    aggregation="ratio",
)


def sold_per_trip(run: MeasuredRun) -> float:
    trips = run.kpi("trips")
    return run.kpi("sold_kg") / trips if trips > 0 else math.nan


@pytest.fixture
def added_kpi() -> Iterator[ResultField]:
    register_kpi(SOLD_PER_TRIP, sold_per_trip)
    yield SOLD_PER_TRIP
    unregister_kpi(SOLD_PER_TRIP.key)


@pytest.fixture(scope="module")
def small() -> ft.Scenario:
    return ft.load_scenario(DATA / "small.yaml")


def test_a_kpi_added_to_the_registry_reaches_every_output(
    added_kpi: ResultField, small: ft.Scenario, tmp_path: Path
) -> None:
    key = added_kpi.key
    run = ft.simulate(small, seed=0)
    assert list(run.kpis)[-1] == key
    assert run.kpis[key] == pytest.approx(run.kpis["sold_kg"] / run.kpis["trips"], rel=1e-12)

    # The CSV export: a row with its value, unit and meaning.
    write_run(run, tmp_path / "run", formats=["csv"])
    with (tmp_path / "run" / "kpis.csv").open(encoding="utf-8") as file:
        rows = {row["kpi"]: row for row in csv.DictReader(file)}
    assert float(rows[key]["value"]) == run.kpis[key]
    assert rows[key]["unit"] == "kg"
    assert rows[key]["meaning"] == added_kpi.definition

    # The run report: its label and a headline card; the text tables too.
    html = run_report(run, small)
    assert "Sold per trip" in html
    assert html.count("Sold per trip") >= 2  # the card and the KPI table
    assert key in format_run(run, small)

    # The experiment summary (every registered KPI by default) and its export.
    replications = ft.replicate(small.with_horizon(20), n=3, executor="serial")
    assert key in replications.kpis
    assert replications.unit(key) == "kg"
    assert key in format_experiment(replications)
    write_experiment(replications, tmp_path / "experiment", formats=["csv"])
    with (tmp_path / "experiment" / "summary.csv").open(encoding="utf-8") as file:
        summary = {row["kpi"]: row for row in csv.DictReader(file)}
    assert summary[key]["unit"] == "kg"
    assert float(summary[key]["mean"]) == pytest.approx(replications.kpis[key].mean)
    assert "Sold per trip" in experiment_report(replications, small)

    # The results reference page.
    page = results_markdown()
    assert (
        f"| `{key}` | kg | Sold per trip | higher | ratio | headline, sweep | sold_kg / trips"
        in page
    )


def test_the_registry_forgets_a_removed_kpi(added_kpi: ResultField, small: ft.Scenario) -> None:
    unregister_kpi(added_kpi.key)
    try:
        assert added_kpi.key not in KPIS
        assert added_kpi.key not in ft.simulate(small.with_horizon(5), seed=0).kpis
    finally:
        register_kpi(added_kpi, sold_per_trip)  # the fixture removes it again


def test_the_registry_refuses_a_duplicate_and_keeps_built_ins() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_kpi(ResultField("sold_kg", "kg", "again"), lambda run: 0.0)
    with pytest.raises(ValueError, match="built-in"):
        unregister_kpi("sold_kg")


def test_an_infinite_kpi_is_an_error_not_a_number(small: ft.Scenario) -> None:
    register_kpi(ResultField("broken_kg", "kg", "infinite"), lambda run: math.inf)
    try:
        with pytest.raises(ft.errors.SimulationError, match="broken_kg is infinite"):
            ft.simulate(small.with_horizon(5), seed=0)
    finally:
        unregister_kpi("broken_kg")


def test_presentation_reads_the_registry() -> None:
    assert kpi_label("spoilage_rate") == KPIS["spoilage_rate"].label == "Spoilage rate"
    assert headline_kpis() == tuple(key for key, found in KPIS.items() if found.headline)
    assert set(sweep_kpis()) <= set(headline_kpis()) | {"sold_kg"}
    assert kpi_unit("by_leg.any.load_factor") == "fraction"
    assert kpi_unit("by_market.any.peak_shelf_kg") == "kg"
    assert kpi_unit("by_product.any.spoiled_kg_transit") == "kg"
    assert field_of("by_node.any.no_such_metric") is None
    assert kpi_unit("no_such_kpi") == ""
    for name in ("kpis", "by_product", "by_leg", "by_node", "by_market", "daily"):
        for key, found in section(name).items():
            assert found.key == key
            assert found.unit
            assert found.definition
            assert found.aggregation in {"sum", "ratio", "max", "level"}


def test_totals_aggregate_the_products_as_the_registry_says(small: ft.Scenario) -> None:
    run = ft.simulate(small, seed=2)
    for key, found in KPIS.items():
        if not found.per_product:
            continue
        values = [product[key] for product in run.by_product.values()]
        if found.aggregation in {"sum", "level"}:
            assert run.kpis[key] == pytest.approx(sum(values), rel=1e-9), key
        else:  # a ratio of sums is not the sum, nor in general the mean, of the ratios
            assert found.aggregation == "ratio", key
            finite = [value for value in values if not math.isnan(value)]
            if not finite:  # a ratio over nothing (no parcels in this channel)
                assert math.isnan(run.kpis[key]), key
                continue
            assert min(finite) - 1e-9 <= run.kpis[key] <= max(finite) + 1e-9, key
