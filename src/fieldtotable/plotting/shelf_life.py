"""Remaining shelf life at sale: the distribution per product, with the markdown threshold."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fieldtotable.plotting import _style
from fieldtotable.results import REMAINING_BINS

if TYPE_CHECKING:
    from fieldtotable.results import RunResult
    from fieldtotable.scenario.schema import Scenario

__all__ = ["bin_centres", "markdown_threshold", "shelf_life_at_sale"]

_BAR = "#0072B2"
_MARKDOWN = "#D55E00"
_COLUMNS = 3


def bin_centres(bins: int = REMAINING_BINS) -> np.ndarray:
    """Centres of the remaining-fraction bins of ``RunResult.remaining_at_sale``."""
    return (np.arange(bins) + 0.5) / bins


def markdown_threshold(product: str, scenario: Scenario | None) -> float | None:
    """Return the product's markdown threshold (``below_remaining_fraction``), if any."""
    if scenario is None or product not in scenario.products:
        return None
    markdown = scenario.products[product].markdown
    return None if markdown is None else markdown.below_remaining_fraction


def _summary(result: RunResult, product: str, reference: float) -> str:
    values = result.by_product.get(product, {})
    sold = values.get("sold_kg", 0.0)
    parts = [f"{_style.kg_text(sold, reference)} sold"]
    marked = values.get("markdown_sold_kg", 0.0)
    if sold > 0 and marked > 0:
        parts.append(f"{100 * marked / sold:.0f} % marked down")
    days = values.get("mean_remaining_shelf_life_at_sale_d", math.nan)
    if math.isfinite(days):
        parts.append(f"mean {days:.3g} d left")
    return " · ".join(parts)


def _sold_products(result: RunResult) -> tuple[list[str], list[str]]:
    sold = [p for p, kg in result.remaining_at_sale.items() if sum(kg) > 0]
    unsold = [p for p in result.remaining_at_sale if p not in sold]
    return sold, unsold


def _threshold_line(ax: Axes, threshold: float, low: float, high: float, product: str) -> None:
    ax.axvspan(0, threshold, ymin=0, ymax=1, color=_MARKDOWN, alpha=0.06, zorder=0)
    ax.plot(
        [threshold, threshold],
        [low, high],
        color=_MARKDOWN,
        linewidth=1.3,
        linestyle=(0, (4, 2)),
        gid=f"markdown:{product}",
    )


def _panels(result: RunResult, scenario: Scenario | None, products: list[str]) -> Figure:
    rows = max(1, math.ceil(len(products) / _COLUMNS))
    columns = min(_COLUMNS, max(1, len(products)))
    figure = _style.new_figure(3.9 * columns + 0.6, 2.55 * rows + 1.0)
    grid = figure.subplots(rows, columns, sharex=True, squeeze=False)
    centres = bin_centres(len(next(iter(result.remaining_at_sale.values()), [0.0] * 20)))
    width = centres[1] - centres[0] if len(centres) > 1 else 1.0
    reference = max((result.by_product[p].get("sold_kg", 0.0) for p in products), default=0.0)
    for index, ax in enumerate(grid.flat):
        if index >= len(products):
            ax.set_visible(False)
            continue
        product = products[index]
        kg = np.asarray(result.remaining_at_sale[product], dtype=float)
        bars = ax.bar(centres, kg, width=width * 0.9, color=_BAR, linewidth=0)
        for patch in bars.patches:
            patch.set_gid(f"remaining:{product}")
        threshold = markdown_threshold(product, scenario)
        top = float(kg.max()) * 1.08 if kg.max() > 0 else 1.0
        if threshold is not None:
            _threshold_line(ax, threshold, 0.0, top, product)
        ax.set_ylim(0, top)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(_style.percent_formatter())
        ax.yaxis.set_major_formatter(_style.compact_formatter())
        ax.set_title(
            _style.product_label(product, scenario),
            fontsize=_style.LABEL_SIZE,
            fontweight="bold",
            loc="left",
            pad=14,
        )
        ax.annotate(
            _summary(result, product, reference),
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=_style.NOTE_SIZE,
            color=_style.COLOURS["muted"],
            va="bottom",
        )
        _style.style_axes(ax)
        if index % columns == 0:
            ax.set_ylabel(
                f"sold [kg per {100 / REMAINING_BINS:g} % bin]", fontsize=_style.LABEL_SIZE - 0.5
            )
        if index + columns >= len(products):
            ax.xaxis.set_tick_params(labelbottom=True)
            ax.set_xlabel(
                "remaining shelf life at sale [% of nominal]", fontsize=_style.LABEL_SIZE - 0.5
            )
    return figure


def _rows(ax: Axes, result: RunResult, scenario: Scenario | None, products: list[str]) -> None:
    """One row per product in a single Axes; bars scaled to each product's largest bin."""
    centres = bin_centres(len(next(iter(result.remaining_at_sale.values()), [0.0] * 20)))
    width = centres[1] - centres[0] if len(centres) > 1 else 1.0
    labels = []
    for row, product in enumerate(reversed(products)):
        kg = np.asarray(result.remaining_at_sale[product], dtype=float)
        scale = 0.85 / kg.max() if kg.max() > 0 else 0.0
        bars = ax.bar(centres, kg * scale, bottom=row, width=width * 0.9, color=_BAR, linewidth=0)
        for patch in bars.patches:
            patch.set_gid(f"remaining:{product}")
        threshold = markdown_threshold(product, scenario)
        if threshold is not None:
            ax.plot(
                [threshold, threshold],
                [row, row + 0.92],
                color=_MARKDOWN,
                linewidth=1.3,
                linestyle=(0, (4, 2)),
                gid=f"markdown:{product}",
            )
        labels.append(_style.product_label(product, scenario))
    ax.set_yticks(np.arange(len(products)) + 0.4, labels, fontsize=_style.TICK_SIZE)
    ax.set_ylim(-0.1, len(products))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_style.percent_formatter())
    ax.set_xlabel("remaining shelf life at sale [% of nominal]", fontsize=_style.LABEL_SIZE)
    ax.set_ylabel("product (bars: kg sold, scaled per product)", fontsize=_style.LABEL_SIZE)
    _style.style_axes(ax, grid="x")


def shelf_life_at_sale(
    result: RunResult,
    scenario: Scenario | None = None,
    *,
    ax: Axes | None = None,
) -> Figure:
    """Draw how fresh goods were when sold: kg sold by remaining shelf life, per product.

    The remaining shelf life is the labelled remaining fraction of the nominal shelf
    life (``1 - consumed``), the quantity markdown rules look at, in the
    :data:`~fieldtotable.results.REMAINING_BINS` bins of
    ``result.remaining_at_sale``. A dashed line marks each product's markdown
    threshold (needs ``scenario``); sales left of it were marked down.

    Parameters
    ----------
    result
        A run.
    scenario
        The run's scenario: product names and markdown thresholds.
    ax
        Axes to draw into: then all products share it, one row each, with bars
        scaled to each product's largest bin. Without it, a new figure with one
        panel per product, in kg.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. Bars have gid ``remaining:<product>`` (one per bin, in bin
        order), threshold lines ``markdown:<product>``.
    """
    products, unsold = _sold_products(result)
    subtitle = (
        f"{result.scenario_name} · seed {result.seed} · dashed: markdown threshold "
        "(sales left of it were marked down)"
    )
    if unsold:
        names = ", ".join(_style.product_label(p, scenario) for p in unsold)
        subtitle += f" · nothing sold: {names}"
    title = "Remaining shelf life at sale"
    if ax is None:
        figure = _panels(result, scenario, products)
        _style.set_figure_title(figure, title, subtitle)
    else:
        figure = _style.root_figure(ax)
        _rows(ax, result, scenario, products)
        _style.set_title(ax, title, subtitle, wrap=60)
    _style.apply_fonts(figure)
    return figure
