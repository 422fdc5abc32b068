"""Tick labels: distinct, no floating-point noise, no negative zero (read from the Axes)."""

from __future__ import annotations

import math
import re

import pytest
from matplotlib.figure import Figure

from fieldtotable import ComparisonResult, Scenario, compare
from fieldtotable.plotting import comparison_chart
from fieldtotable.plotting._ticks import NumberFormatter, is_zero, zero_span_limits
from fieldtotable.plotting.experiments import kpi_formatter

NOISE = re.compile(r"e-\d|^[-+]0(\.0*)?%?$")


def labels(formatter: NumberFormatter, values: list[float]) -> list[str]:
    return list(formatter.format_ticks(values))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            [155_000, 155_500, 156_000, 156_500, 157_000],
            ["155.0k", "155.5k", "156.0k", "156.5k", "157.0k"],
        ),
        ([0, 20_000, 40_000], ["0", "20k", "40k"]),
        ([0, 0.25, 0.5], ["0", "0.25", "0.50"]),
        ([1.2e6, 1.4e6], ["1.2M", "1.4M"]),
        ([89.8, 89.9, 90.0], ["89.8", "89.9", "90.0"]),
        ([-1, 5.551115123125783e-17, 1], ["-1", "0", "1"]),
        ([-2.5e-17, 0.0, 2.5e-17], ["0", "0", "0"]),
    ],
)
def test_number_labels(values: list[float], expected: list[str]) -> None:
    assert labels(NumberFormatter(), values) == expected


def test_signed_and_percent_labels() -> None:
    assert labels(NumberFormatter(signed=True), [-0.5, 0.0, 0.5]) == ["-0.5", "0", "+0.5"]
    assert labels(NumberFormatter(percent=True), [0.0, 0.125, 0.25]) == ["0%", "12.5%", "25.0%"]
    points = NumberFormatter(percent=True, signed=True, suffix="")
    assert labels(points, [-0.01, 0.0, 0.01]) == ["-1", "0", "+1"]
    # A scale makes noise of its size 0, whatever the tick step.
    assert labels(NumberFormatter(signed=True, scale=1e3), [-5e-17, 0.0, 5e-17]) == ["0"] * 3


def test_adjacent_labels_always_differ() -> None:
    formatter = NumberFormatter()
    for low, step in [(155_250, 250), (1_000_000, 10_000), (0.1, 0.0125), (99_990, 5)]:
        texts = labels(formatter, [low + i * step for i in range(6)])
        assert len(set(texts)) == len(texts), texts


def test_zero_helpers() -> None:
    assert is_zero(5e-17, 1.0)
    assert not is_zero(1e-3, 1.0)
    assert is_zero(0.0, 0.0)
    assert zero_span_limits(156_000) == (-1000.0, 1000.0)
    assert zero_span_limits(0.0) == (-1.0, 1.0)
    assert zero_span_limits(0.3, fraction=True) == (-0.01, 0.01)


def drawn_labels(figure: Figure) -> list[list[str]]:
    figure.canvas.draw()
    return [[t.get_text() for t in ax.get_xticklabels() if t.get_text()] for ax in figure.axes]


@pytest.fixture(scope="module")
def self_comparison(short: Scenario) -> ComparisonResult:
    """A scenario compared with itself: every paired difference is exactly 0."""
    return compare({"a": short, "b": short}, n=2, seed=0, executor="serial")


def test_a_comparison_with_itself_has_sane_difference_ticks(
    self_comparison: ComparisonResult,
) -> None:
    for diffs in self_comparison.differences["b"].values():
        assert diffs.mean == 0 or (diffs.n == 0 and math.isnan(diffs.mean))  # no values
    figure = comparison_chart(self_comparison)
    axes = drawn_labels(figure)
    differences = axes[1::2]  # right column: paired differences
    assert differences
    for texts in differences:
        assert "0" in texts
        assert len(texts) == 3
        assert all(not NOISE.search(text) for text in texts), texts
    for texts in axes:
        assert len(set(texts)) == len(texts), texts
        assert not any(NOISE.search(text) for text in texts), texts
    margins = [
        child.get_text() for ax in figure.axes for child in ax.texts if "%" in child.get_text()
    ]
    assert margins
    assert all(text.startswith("0.0 %") for text in margins), margins


def test_forest_of_a_comparison_with_itself(self_comparison: ComparisonResult) -> None:
    figure = Figure()
    comparison_chart(self_comparison, ax=figure.add_subplot())
    (texts,) = drawn_labels(figure)
    assert texts == ["-1", "0", "+1"]


def test_kpi_axis_of_close_values_has_distinct_labels() -> None:
    figure = Figure()
    ax = figure.add_subplot()
    ax.plot([155_600, 156_900], [0, 1])
    ax.xaxis.set_major_formatter(kpi_formatter("sold_kg"))
    (texts,) = drawn_labels(figure)
    assert len(set(texts)) == len(texts) > 2, texts
