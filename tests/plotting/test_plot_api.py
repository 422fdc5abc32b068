"""One calling convention for every figure, and save helpers that write files."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from fieldtotable import RunResult, Scenario, simulate
from fieldtotable.plotting import (
    comparison_chart,
    daily_series,
    network_map,
    save_pdf,
    save_png,
    save_svg,
    shelf_life_at_sale,
    spoilage_waterfall,
    sweep_chart,
)

RUN_FIGURES = (daily_series, network_map, shelf_life_at_sale, spoilage_waterfall)


@pytest.fixture(scope="module")
def short_run(short: Scenario) -> RunResult:
    return simulate(short, seed=0)


@pytest.mark.parametrize("figure", RUN_FIGURES, ids=lambda f: f.__name__)
def test_run_figures_take_the_result_then_the_scenario(figure: object) -> None:
    parameters = list(inspect.signature(figure).parameters.values())  # type: ignore[arg-type]
    assert [p.name for p in parameters[:2]] == ["result", "scenario"]
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in parameters[:2])
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters[2:])


def test_experiment_figures_take_their_result_first() -> None:
    assert next(iter(inspect.signature(comparison_chart).parameters)) == "comparison"
    assert next(iter(inspect.signature(sweep_chart).parameters)) == "sweep_result"


@pytest.mark.parametrize("figure", RUN_FIGURES, ids=lambda f: f.__name__)
def test_every_run_figure_draws_from_result_and_scenario(
    figure: object, short_run: RunResult, short: Scenario
) -> None:
    positional = figure(short_run, short)  # type: ignore[operator]
    keyword = figure(short_run, scenario=short)  # type: ignore[operator]
    assert len(positional.axes) == len(keyword.axes) > 0


def test_network_map_in_the_old_order_says_the_new_one(
    short_run: RunResult, short: Scenario
) -> None:
    with pytest.raises(TypeError, match=r"network_map\(result, scenario\)"):
        network_map(short, short_run)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"network_map\(scenario=scenario\)"):
        network_map(short)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="needs the scenario"):
        network_map(short_run)


def test_network_map_of_the_channel_alone(short: Scenario) -> None:
    figure = network_map(scenario=short)
    assert any((a.get_gid() or "").startswith("node:") for a in figure.axes[0].get_children())


def test_save_helpers_return_the_content_and_write_it(
    short_run: RunResult, short: Scenario, tmp_path: Path
) -> None:
    figure = spoilage_waterfall(short_run, short)
    png = save_png(figure, tmp_path / "w.png", dpi=40)
    assert png.startswith(b"\x89PNG")
    assert (tmp_path / "w.png").read_bytes() == png
    assert save_png(figure, str(tmp_path / "s.png"), dpi=40) == png
    svg = save_svg(figure, tmp_path / "w.svg")
    assert svg.lstrip().startswith("<?xml")
    assert (tmp_path / "w.svg").read_text(encoding="utf-8") == svg
    pdf = save_pdf(figure, tmp_path / "w.pdf")
    assert pdf.startswith(b"%PDF")
    assert (tmp_path / "w.pdf").read_bytes() == pdf
    assert save_pdf(figure) == pdf  # no creation date: the same bytes again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.png", "w.pdf", "w.png", "w.svg"]


def test_save_to_a_missing_folder_fails_and_leaves_nothing(
    short_run: RunResult, short: Scenario, tmp_path: Path
) -> None:
    figure = spoilage_waterfall(short_run, short)
    with pytest.raises(FileNotFoundError):
        save_png(figure, tmp_path / "missing" / "w.png", dpi=20)
    assert list(tmp_path.iterdir()) == []
