"""Remaining shelf life at sale: bars are the run's histograms, thresholds the markdown rules."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from plotting_checks import check_labels

from fieldtotable import RunResult, Scenario, simulate
from fieldtotable.plotting import shelf_life_at_sale
from fieldtotable.plotting.shelf_life import bin_centres


def patches_by_product(figure: Figure) -> dict[str, list]:
    found: dict[str, list] = {}
    for ax in figure.axes:
        for patch in ax.patches:
            gid = patch.get_gid() or ""
            if gid.startswith("remaining:"):
                found.setdefault(gid.removeprefix("remaining:"), []).append(patch)
    return found


def thresholds(figure: Figure) -> dict[str, float]:
    found = {}
    for ax in figure.axes:
        for line in ax.lines:
            gid = line.get_gid() or ""
            if gid.startswith("markdown:"):
                xs = set(np.asarray(line.get_xdata(), float))
                assert len(xs) == 1
                found[gid.removeprefix("markdown:")] = xs.pop()
    return found


def test_bars_are_the_histograms(run: RunResult, baseline: Scenario) -> None:
    figure = shelf_life_at_sale(run, scenario=baseline)
    found = patches_by_product(figure)
    sold = {p for p, kg in run.remaining_at_sale.items() if sum(kg) > 0}
    assert set(found) == sold
    for product, patches in found.items():
        heights = [patch.get_height() for patch in patches]
        np.testing.assert_allclose(heights, run.remaining_at_sale[product])
        centres = [patch.get_x() + patch.get_width() / 2 for patch in patches]
        np.testing.assert_allclose(centres, bin_centres())
    check_labels(figure)


def test_markdown_thresholds(run: RunResult, baseline: Scenario) -> None:
    found = thresholds(shelf_life_at_sale(run, scenario=baseline))
    expected = {
        product: item.markdown.below_remaining_fraction
        for product, item in baseline.products.items()
        if item.markdown is not None and sum(run.remaining_at_sale[product]) > 0
    }
    assert expected  # the baseline marks down matsutake, chicken, vegetables, yak
    assert found == pytest.approx(expected)


def test_without_a_scenario_there_are_no_thresholds(run: RunResult) -> None:
    figure = shelf_life_at_sale(run)
    assert thresholds(figure) == {}
    titles = [ax.get_title(loc="left") for ax in figure.axes]
    assert "matsutake" in titles


def test_rows_in_one_axes_keep_each_products_shape(run: RunResult, baseline: Scenario) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert shelf_life_at_sale(run, scenario=baseline, ax=ax) is figure
    for product, patches in patches_by_product(figure).items():
        heights = np.array([patch.get_height() for patch in patches])
        kg = np.asarray(run.remaining_at_sale[product])
        np.testing.assert_allclose(heights / heights.max(), kg / kg.max())
    assert thresholds(figure)["matsutake"] == pytest.approx(0.3)
    check_labels(figure)


def test_products_without_sales_are_named(short: Scenario) -> None:
    result = simulate(short, seed=0)  # January: no matsutake in season
    figure = shelf_life_at_sale(result, scenario=short)
    assert "matsutake" not in patches_by_product(figure)
    texts = " ".join(text.get_text() for text in figure.findobj(Text))
    assert "nothing sold:" in texts
    assert "matsutake" in texts.split("nothing sold:")[1]
