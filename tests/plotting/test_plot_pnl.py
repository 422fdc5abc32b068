"""The P&L waterfall: revenue less the cost bars is the profit bar."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from plotting_checks import check_labels, waterfall_bars

from fieldtotable import RunResult, Scenario, load_scenario, replicate, simulate
from fieldtotable.model.money import COST_LINES
from fieldtotable.plotting import pnl_waterfall, save_png
from fieldtotable.plotting.pnl import cny_text, pnl_lines

SMALL = Path(__file__).resolve().parents[1] / "data" / "small.yaml"


@pytest.fixture(scope="module")
def small() -> Scenario:
    """A scenario that prices nothing but transport."""
    return load_scenario(SMALL).with_horizon(20)


bars = waterfall_bars


def tick_labels(figure: Figure) -> list[str]:
    figure.canvas.draw()
    return [label.get_text() for label in figure.axes[0].get_yticklabels()]


def check_chain(found: dict[str, Rectangle], lines: dict[str, float]) -> None:
    """Bars in order: revenue from 0, each cost hangs from the last level, profit from 0."""
    keys = list(found)
    assert keys[0] == "revenue_cny"
    assert keys[-1] == "profit_cny"
    assert found["revenue_cny"].get_y() == 0
    assert found["revenue_cny"].get_height() == pytest.approx(lines["revenue_cny"])
    level = lines["revenue_cny"]
    for key in keys[1:-1]:
        patch = found[key]
        assert patch.get_height() == pytest.approx(lines[key])
        assert patch.get_y() + patch.get_height() == pytest.approx(level)
        level = patch.get_y()
    costs = math.fsum(found[key].get_height() for key in keys[1:-1])
    profit = found["profit_cny"]
    assert profit.get_y() == 0
    assert found["revenue_cny"].get_height() - costs == pytest.approx(
        profit.get_height(), rel=1e-9, abs=1e-6
    )
    assert profit.get_height() == pytest.approx(level, rel=1e-9, abs=1e-6)


def test_revenue_less_costs_is_the_profit_bar(run: RunResult, baseline: Scenario) -> None:
    figure = pnl_waterfall(run, baseline)
    found = bars(figure)
    assert list(found) == ["revenue_cny", *COST_LINES, "profit_cny"]  # every line has money
    check_chain(found, run.kpis)
    assert found["profit_cny"].get_height() == pytest.approx(run.kpis["profit_cny"])
    check_labels(figure)
    labels = tick_labels(figure)
    assert any(label.endswith("M") for label in labels)
    assert not any(label.startswith("-0") or label == "-0" for label in labels)
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert cny_text(run.kpis["profit_cny"], run.kpis["revenue_cny"]) + "\n" in "\n".join(texts)
    assert f"margin {100 * run.kpis['margin_rate']:.1f} %" in "\n".join(texts)


def test_a_loss_points_below_zero(run: RunResult, baseline: Scenario) -> None:
    losing = min(run.by_product, key=lambda p: run.by_product[p]["profit_cny"])
    values = run.by_product[losing]
    assert values["profit_cny"] < 0  # highland vegetables lose money in the baseline
    figure = pnl_waterfall(run, baseline, product=losing)
    found = bars(figure)
    check_chain(found, values)
    assert found["profit_cny"].get_height() < 0
    assert figure.axes[0].get_ylim()[0] < values["profit_cny"]
    ticks = figure.axes[0].get_xticklabels()
    assert ticks[-1].get_text() == "loss"
    assert "loss" in figure.axes[0].get_title(loc="left")
    labels = tick_labels(figure)
    assert any(label.startswith("-") for label in labels)
    assert "-0" not in labels
    assert "-0M" not in labels
    save_png(figure)


def test_a_market_and_the_means_of_replications(run: RunResult, small: Scenario) -> None:
    market = next(iter(run.by_market))
    check_chain(bars(pnl_waterfall(run, market=market)), run.by_market[market])
    experiment = replicate(small, n=3, seed=0, executor="serial")
    means = pnl_lines(experiment)
    for key in ("revenue_cny", *COST_LINES, "profit_cny"):
        assert means[key] == pytest.approx(experiment.kpis[key].mean)
    figure = pnl_waterfall(experiment)
    check_chain(bars(figure), means)
    assert "means of 3 replications" in "\n".join(t.get_text() for t in figure.axes[0].texts)


def test_lines_at_zero_are_left_out_and_named(small: Scenario) -> None:
    """A scenario without money: only transport costs; the figure says what is missing."""
    result = simulate(small, seed=0)
    figure = pnl_waterfall(result)
    found = bars(figure)
    assert list(found) == ["revenue_cny", "transport_cost_cny", "profit_cny"]
    check_chain(found, result.kpis)
    texts = "\n".join(t.get_text() for t in figure.axes[0].texts)
    assert "not drawn: purchase, handling, storage, packaging, capital, fixed" in texts


def test_arguments_are_checked(run: RunResult) -> None:
    with pytest.raises(KeyError, match="no product"):
        pnl_waterfall(run, product="caviar")
    with pytest.raises(KeyError, match="no market"):
        pnl_waterfall(run, market="moon")
    with pytest.raises(ValueError, match="not both"):
        pnl_lines(run, product="honey", market="online_orders")


@pytest.mark.parametrize(
    ("value", "reference", "text"),
    [
        (64_420_045.0, 64_420_045.0, "64.42 M"),
        (-1_143_998.0, 1_660_114.0, "-1.14 M"),
        (-1.0, 2e6, "0.00 M"),  # never -0
        (530_100.0, 530_100.0, "530.1 k"),
        (950.0, 950.0, "950"),
        (math.nan, 1.0, "n/a"),
    ],
)
def test_cny_text(value: float, reference: float, text: str) -> None:
    assert cny_text(value, reference) == text
