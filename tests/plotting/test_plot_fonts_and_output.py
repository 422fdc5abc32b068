"""Fonts (CJK or not), output helpers, lazy import, thread safety."""

from __future__ import annotations

import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
from matplotlib.text import Text

from fieldtotable import ComparisonResult, RunResult, Scenario, plotting
from fieldtotable.plotting import (
    _style,
    daily_series,
    network_map,
    product_label,
    save_png,
    save_svg,
    shelf_life_at_sale,
    spoilage_waterfall,
)


@pytest.fixture
def no_cjk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as on a machine without any CJK-capable font."""
    monkeypatch.setenv(_style.NO_CJK_ENV, "1")


def test_labels_drop_chinese_without_a_cjk_font(no_cjk: None, baseline: Scenario) -> None:
    assert _style.cjk_font() is None
    assert product_label("matsutake", baseline) == "matsutake"
    assert product_label("yak_meat_chilled", baseline) == "chilled yak meat (vacuum)"
    assert product_label("wine", baseline) == "Shangri-La red wine, ice wine"
    assert product_label("matsutake", None) == "matsutake"
    assert _style.display_text("松茸") == "?"


def test_figures_without_a_cjk_font_hold_no_cjk_and_warn_nothing(
    no_cjk: None, run: RunResult, baseline: Scenario
) -> None:
    figures = [
        shelf_life_at_sale(run, scenario=baseline),
        spoilage_waterfall(run, product="matsutake", scenario=baseline),
        network_map(run, baseline),
        daily_series(run, scenario=baseline),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for figure in figures:
            texts = [text.get_text() for text in figure.findobj(Text)]
            assert not any(_style.has_cjk(text) for text in texts)
            assert save_png(figure, dpi=40).startswith(b"\x89PNG")


@pytest.mark.skipif(_style.cjk_font() is None, reason="no CJK-capable font installed")
def test_with_a_cjk_font_chinese_names_are_drawn_with_it(
    run: RunResult, baseline: Scenario
) -> None:
    assert product_label("matsutake", baseline) == "松茸 matsutake"
    figure = shelf_life_at_sale(run, scenario=baseline)
    chinese = [text for text in figure.findobj(Text) if _style.has_cjk(text.get_text())]
    assert chinese
    assert all(_style.cjk_font() in text.get_fontfamily() for text in chinese)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save_png(figure, dpi=40)


def test_display_text_keeps_latin_text() -> None:
    assert _style.display_text("Diqing -> Shanghai, 2023") == "Diqing -> Shanghai, 2023"


def test_save_helpers(run: RunResult) -> None:
    figure = spoilage_waterfall(run)
    png = save_png(figure)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = save_svg(figure)
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert "<dc:date>" not in svg


def test_importing_draws_in_no_matplotlib() -> None:
    code = (
        "import sys, fieldtotable, fieldtotable.plotting as p; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'; "
        "p.save_png; assert 'matplotlib' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_name() -> None:
    with pytest.raises(AttributeError, match="no attribute 'pie_chart'"):
        _ = plotting.pie_chart


def test_figures_from_several_threads(run: RunResult, baseline: Scenario) -> None:
    threads = 4
    products = list(baseline.products)[:threads]  # as many figures as threads, drawn at once
    assert len(products) == threads

    def draw(product: str) -> bytes:
        return save_png(spoilage_waterfall(run, product=product, scenario=baseline), dpi=30)

    with ThreadPoolExecutor(threads) as pool:
        images = list(pool.map(draw, products))
    assert all(image.startswith(b"\x89PNG") for image in images)


def test_any_chinese_text_is_dropped_without_a_cjk_font(
    no_cjk: None, comparison: ComparisonResult
) -> None:
    renamed = ComparisonResult.build(
        {"基线 baseline": comparison.results["FEFO"], "先进先出 FIFO": comparison.results["FIFO"]},
        "基线 baseline",
        seed=comparison.seed,
        confidence=comparison.confidence,
    )
    figure = plotting.comparison_chart(renamed)
    texts = [text.get_text() for text in figure.findobj(Text)]
    assert not any(_style.has_cjk(text) for text in texts)
    assert "FIFO" in texts
