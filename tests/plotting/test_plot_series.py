"""Daily series: the lines drawn are the run's daily arrays."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import dates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from plotting_checks import check_labels

from fieldtotable import RunResult, Scenario, simulate
from fieldtotable.model.lot import STAGES
from fieldtotable.plotting import daily_series
from fieldtotable.plotting.series import series_panels


def lines(figure: Figure, prefix: str) -> dict[str, Line2D]:
    found = {}
    for ax in figure.axes:
        for line in ax.lines:
            gid = line.get_gid() or ""
            if gid.startswith(prefix):
                found[gid.removeprefix(prefix)] = line
    return found


def test_lines_are_the_daily_series(run: RunResult, baseline: Scenario) -> None:
    figure = daily_series(run, scenario=baseline)
    drawn = lines(figure, "daily:")
    expected = {"harvested_kg", "arrived_at_market_hub_kg", "sold_kg", "in_transit_kg"}
    expected |= {f"spoiled_{stage}_kg" for stage in STAGES}
    expected |= {key for key in run.daily if key.startswith("stock_")}
    assert set(drawn) == expected
    for key, line in drawn.items():
        np.testing.assert_array_equal(np.asarray(line.get_ydata(), float), run.daily[key])
    check_labels(figure)


def test_smoothed_lines_follow_the_series(run: RunResult) -> None:
    smooth = lines(daily_series(run), "smooth:")["harvested_kg"]
    values = np.asarray(run.daily["harvested_kg"])
    middle = np.asarray(smooth.get_ydata(), float)[100]
    assert middle == pytest.approx(values[97:104].mean())


def test_calendar_axis_from_the_start_date(run: RunResult, baseline: Scenario) -> None:
    figure = daily_series(run, scenario=baseline)
    line = lines(figure, "daily:")["sold_kg"]
    first = dates.num2date(np.asarray(line.get_xdata(), float)[0]).date()
    assert first == baseline.start_date
    assert len(line.get_xdata()) == run.horizon_days
    months = [t.get_text() for t in figure.axes[-1].get_xticklabels()]
    assert "Jul" in months


def test_day_numbers_without_a_scenario(run: RunResult) -> None:
    figure = daily_series(run)
    line = lines(figure, "daily:")["sold_kg"]
    np.testing.assert_array_equal(line.get_xdata(), np.arange(run.horizon_days))
    assert "[d]" in figure.axes[-1].get_xlabel()
    check_labels(figure)


def test_panels_group_nodes_by_kind(run: RunResult, baseline: Scenario) -> None:
    panels = series_panels(run, baseline)
    by_title = {panel.title: {key for key, _label, _colour in panel.series} for panel in panels}
    points = next(keys for title, keys in by_title.items() if "collection points" in title)
    assert points == {f"stock_{cp}_kg" for cp in baseline.collection_points}
    without = series_panels(run, None)
    assert [p.series for p in without] == [p.series for p in panels]


def test_capacity_drawn_only_when_stock_nears_it(run: RunResult, baseline: Scenario) -> None:
    scenario = baseline.model_copy(update={"name": "tight"})
    figure = daily_series(run, scenario=scenario)
    shown = {
        (line.get_gid() or "").removeprefix("capacity:")
        for ax in figure.axes
        for line in ax.lines
        if (line.get_gid() or "").startswith("capacity:")
    }
    for node, values in run.by_node.items():
        near = max(run.daily[f"stock_{node}_kg"]) >= 0.8 * values["capacity_kg"]
        assert (node in shown) == near


def test_draws_into_given_axes(run: RunResult) -> None:
    figure = Figure()
    count = len(series_panels(run))
    axes = figure.subplots(count, 1)
    assert daily_series(run, axes=list(axes)) is figure
    with pytest.raises(ValueError, match=f"draws {count} panels"):
        daily_series(run, axes=list(axes)[:1])


def test_warm_up_is_shaded(short: Scenario) -> None:
    result = simulate(short.model_copy(update={"warmup_days": 5}), seed=0)
    figure = daily_series(result, scenario=short)
    spans = [patch for patch in figure.axes[0].patches if patch.get_gid() == "warmup"]
    assert len(spans) == 1
    assert "warm-up" in " ".join(text.get_text() for text in figure.findobj(Text))
