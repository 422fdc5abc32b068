"""Comparison and sweep figures: error bars are the CIs, lines the summary means."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from plotting_checks import check_labels

from fieldtotable import ComparisonResult, SweepResult
from fieldtotable.plotting import comparison_chart, sweep_chart
from fieldtotable.plotting.experiments import kpi_axis_label, kpi_name
from fieldtotable.results.fields import headline_kpis


def by_gid(figure: Figure, prefix: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for ax in figure.axes:
        for artist in [*ax.lines, *ax.collections]:
            gid = artist.get_gid() or ""
            if gid.startswith(prefix):
                found[gid.removeprefix(prefix)] = artist
    return found


def span(collection: LineCollection) -> tuple[float, float]:
    (segment,) = collection.get_segments()
    return float(segment[0][0]), float(segment[1][0])


def test_error_bars_are_the_confidence_intervals(comparison: ComparisonResult) -> None:
    figure = comparison_chart(comparison)
    intervals = by_gid(figure, "ci:")
    means = by_gid(figure, "mean:")
    for key in headline_kpis():
        for name, result in comparison.results.items():
            found = result.kpis[key]
            if math.isfinite(found.half_width):
                assert span(intervals[f"{key}:{name}"]) == pytest.approx((found.low, found.high))
            assert means[f"{key}:{name}"].get_xdata()[0] == pytest.approx(found.mean)
    check_labels(figure)


def test_paired_differences(comparison: ComparisonResult) -> None:
    figure = comparison_chart(comparison, kpis=["spoilage_rate", "sold_kg"])
    intervals = by_gid(figure, "ci:diff:")
    means = by_gid(figure, "mean:diff:")
    assert {key.split(":")[1] for key in means} == {"FIFO"}  # not the baseline
    for key in ("spoilage_rate", "sold_kg"):
        diff = comparison.differences["FIFO"][key]
        assert means[f"{key}:FIFO"].get_xdata()[0] == pytest.approx(diff.mean)
        if math.isfinite(diff.half_width) and diff.half_width > 0:
            assert span(intervals[f"{key}:FIFO"]) == pytest.approx((diff.low, diff.high))
        hollow = means[f"{key}:FIFO"].get_markerfacecolor() == "white"
        assert hollow == (not diff.significant)
    assert len(figure.axes) == 4


def test_unknown_kpi(comparison: ComparisonResult) -> None:
    with pytest.raises(KeyError, match="not in the comparison"):
        comparison_chart(comparison, kpis=["happiness"])


def test_forest_in_given_axes(comparison: ComparisonResult) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert comparison_chart(comparison, ax=ax) is figure
    means = by_gid(figure, "mean:diff:")
    diff = comparison.differences["FIFO"]["sold_kg"]
    relative = 100 * diff.mean / abs(diff.baseline_mean)
    assert means["sold_kg:FIFO"].get_xdata()[0] == pytest.approx(relative)
    check_labels(figure)


def test_sweep_lines_are_the_summary_means(sweep_result: SweepResult) -> None:
    figure = sweep_chart(sweep_result, "sold_kg", x="scale")
    lines = by_gid(figure, "sweep:")
    assert set(lines) == {"2", "3"}  # one line per fleet size
    summary = sweep_result.summary()
    for fleet, line in lines.items():
        rows = sorted(
            (row for row in summary if row["legs.kunming_shanghai.fleet"] == int(fleet)),
            key=lambda row: row["scale"],
        )
        np.testing.assert_allclose(line.get_xdata(), [row["scale"] for row in rows])
        np.testing.assert_allclose(line.get_ydata(), [row["sold_kg_mean"] for row in rows])
    bands = by_gid(figure, "band:")
    assert set(bands) == set(lines)
    check_labels(figure)
    assert figure.axes[0].get_xlabel() == "scale [factor]"


def test_sweep_picks_the_numeric_parameter_with_most_values(sweep_result: SweepResult) -> None:
    figure = sweep_chart(sweep_result, "spoilage_rate")
    assert figure.axes[0].get_xlabel().startswith("scale")
    other = sweep_chart(sweep_result, "spoilage_rate", x="legs.kunming_shanghai.fleet")
    assert set(by_gid(other, "sweep:")) == {"1", "2", "3"}
    assert other.axes[0].get_xlabel() == "legs.kunming_shanghai.fleet [vehicles]"


def test_sweep_errors(sweep_result: SweepResult) -> None:
    with pytest.raises(KeyError, match="not summarised"):
        sweep_chart(sweep_result, "happiness")
    with pytest.raises(KeyError, match="not a swept parameter"):
        sweep_chart(sweep_result, "sold_kg", x="horizon_days")


def test_kpi_names_and_units() -> None:
    assert kpi_axis_label("spoilage_rate") == "spoilage rate [%]"
    assert kpi_axis_label("spoilage_rate", difference=True) == "Δ spoilage rate [percentage points]"
    assert kpi_axis_label("cost_per_kg_sold_cny") == "transport cost per kg sold [CNY/kg]"
    assert kpi_name("by_product.matsutake.sold_kg") == "matsutake: sold"
    assert kpi_name("spoiled_kg_by_stage.hub") == "spoiled (hub)"
