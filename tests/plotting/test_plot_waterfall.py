"""The spoilage waterfall: bars are the run's mass balance."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from plotting_checks import check_labels, waterfall_bars

from fieldtotable import RunResult, Scenario, simulate
from fieldtotable.plotting import spoilage_waterfall
from fieldtotable.plotting.waterfall import waterfall_steps

bars = waterfall_bars


def test_outcome_bars_sum_to_the_harvest(run: RunResult, baseline: Scenario) -> None:
    found = bars(spoilage_waterfall(run, scenario=baseline))
    harvested = run.kpis["harvested_kg"]
    assert found["harvested"].get_height() == pytest.approx(harvested)
    outcomes = sum(patch.get_height() for key, patch in found.items() if key != "harvested")
    assert outcomes == pytest.approx(harvested, rel=1e-6)
    assert found["sold"].get_height() == pytest.approx(run.kpis["sold_kg"])
    assert found["rejected"].get_height() == pytest.approx(run.kpis["rejected_kg"])
    for stage, kg in run.spoiled_kg_by_stage.items():
        assert found[f"spoiled_{stage}"].get_height() == pytest.approx(kg)
    assert found["in_system"].get_height() == pytest.approx(run.kpis["in_system_kg_end"])


def test_bars_step_down_from_the_harvest(run: RunResult) -> None:
    """Each loss hangs from where the previous one ended; sold ends at what is left."""
    found = list(bars(spoilage_waterfall(run)).values())
    level = found[0].get_height()
    for patch in found[1:-1]:
        assert patch.get_y() + patch.get_height() == pytest.approx(level, abs=1e-6 * level)
        level = patch.get_y()
    assert found[-1].get_y() == 0
    assert level == pytest.approx(found[-1].get_height(), rel=1e-6)


def test_a_product_waterfall(run: RunResult, baseline: Scenario) -> None:
    figure = spoilage_waterfall(run, product="matsutake", scenario=baseline)
    found = bars(figure)
    values = run.by_product["matsutake"]
    assert found["harvested"].get_height() == pytest.approx(values["harvested_kg"])
    outcomes = sum(patch.get_height() for key, patch in found.items() if key != "harvested")
    assert outcomes == pytest.approx(values["harvested_kg"], rel=1e-6)
    assert "matsutake" in figure.axes[0].get_title(loc="left")
    check_labels(figure)


def test_labels_give_kg_and_share(run: RunResult) -> None:
    figure = spoilage_waterfall(run)
    texts = [text.get_text() for text in figure.axes[0].texts]
    share = 100 * run.kpis["sold_kg"] / run.kpis["harvested_kg"]
    assert any(f"{share:.1f} %" in text for text in texts)
    check_labels(figure)


def test_unknown_product(run: RunResult) -> None:
    with pytest.raises(KeyError, match="no product 'truffles'"):
        spoilage_waterfall(run, product="truffles")


def test_after_a_warm_up_the_last_bar_closes_the_balance(short: Scenario) -> None:
    scenario = short.model_copy(update={"warmup_days": 10})
    result = simulate(scenario, seed=1)
    steps = waterfall_steps(result)
    assert steps[-1].key == "in_system"
    assert sum(step.kg for step in steps[1:]) == pytest.approx(steps[0].kg)


def test_draws_into_given_axes(run: RunResult) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert spoilage_waterfall(run, ax=ax) is figure
    assert bars(figure)
