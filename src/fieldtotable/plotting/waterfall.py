"""Waterfalls: where the harvested kilograms went, and the drawing every waterfall shares."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fieldtotable.model.lot import STAGES
from fieldtotable.plotting import _style
from fieldtotable.tables.format import no_negative_zero

if TYPE_CHECKING:
    from fieldtotable.results import RunResult
    from fieldtotable.scenario.schema import Scenario

__all__ = [
    "Bar",
    "WaterfallStep",
    "draw_bars",
    "share_axis",
    "spoilage_waterfall",
    "waterfall_steps",
]


@dataclass(frozen=True)
class WaterfallStep:
    """One bar of the waterfall.

    Attributes
    ----------
    key
        ``harvested``, ``rejected``, ``refused``, ``damaged``, ``spoiled_<stage>``,
        ``sold`` or ``in_system`` (the artist's gid is ``waterfall:<key>``).
    label
        The bar's label under the axis.
    kg
        Its size, kg.
    """

    key: str
    label: str
    kg: float


def waterfall_steps(result: RunResult, product: str | None = None) -> list[WaterfallStep]:
    """Return the bars of the waterfall: harvested, then every outcome in the order met.

    The outcomes (all bars but the first) add up to the harvested kg: rejected,
    refused and damaged (each only when non-zero), spoiled at each stage, sold, and
    left in the system at the end. With a warm-up, the last bar is what the measured harvest
    leaves after the other outcomes (the change of stock since the warm-up).

    Raises
    ------
    KeyError
        If ``product`` is not a product of the result.
    """
    if product is None:
        values = dict(result.kpis)
        for stage in STAGES:
            values[f"spoiled_kg_{stage}"] = result.spoiled_kg_by_stage.get(stage, 0.0)
    else:
        if product not in result.by_product:
            known = ", ".join(result.by_product)
            raise KeyError(f"no product {product!r} in the result (products: {known})")
        values = dict(result.by_product[product])
    harvested = values["harvested_kg"]
    steps = [
        WaterfallStep("harvested", "harvested", harvested),
        WaterfallStep("rejected", "rejected\n(grading)", values["rejected_kg"]),
    ]
    if values.get("refused_kg", 0.0) > 0:
        steps.append(WaterfallStep("refused", "refused\n(store full)", values["refused_kg"]))
    if values.get("damaged_kg", 0.0) > 0:
        steps.append(WaterfallStep("damaged", "damaged\n(handling)", values["damaged_kg"]))
    steps += [
        WaterfallStep(f"spoiled_{stage}", f"spoiled\n{_style.STAGE_LABELS[stage]}", values[key])
        for stage in STAGES
        for key in [f"spoiled_kg_{stage}"]
    ]
    steps.append(WaterfallStep("sold", "sold", values["sold_kg"]))
    if result.warmup_days == 0:
        left = values["in_system_kg_end"]
        steps.append(WaterfallStep("in_system", "left in\nthe system", left))
    else:
        left = harvested - sum(step.kg for step in steps[1:])
        steps.append(WaterfallStep("in_system", "stock change\n(after warm-up)", left))
    return steps


@dataclass(frozen=True)
class Bar:
    """One bar of a drawn waterfall, whatever it measures.

    Attributes
    ----------
    key
        The bar's key; its patch gets the gid ``waterfall:<key>``.
    label
        Its label under the axis.
    value
        Its size (kg, CNY); the first bar is a total, the others take away from it.
    colour
        Its fill colour.
    text
        The label written at its end (above it, or under it when it points down).
    """

    key: str
    label: str
    value: float
    colour: str
    text: str


def draw_bars(ax: Axes, bars: Sequence[Bar], *, residual: bool) -> None:
    """Draw a waterfall: a total, then each part taken from it, then what is left.

    The first bar stands on 0 at the height of the total; each next bar hangs from
    the level the previous one left, down by its value (a negative value goes up);
    with ``residual`` the last bar stands on 0 again and is what is left (a
    negative residual points down from 0). Dashed lines carry each level to the
    next bar. The y-axis gets the shared tick formatter and limits that hold every
    bar and its label; the caller sets the labels of the axes and the title.

    Parameters
    ----------
    ax
        Axes to draw into.
    bars
        The bars, in order.
    residual
        The last bar is the remainder, drawn from 0.
    """
    level = 0.0
    ends: list[float] = [0.0]
    last = len(bars) - 1
    for index, bar in enumerate(bars):
        if index == 0 or (residual and index == last):
            bottom = 0.0
            level = bar.value if index == 0 else level
        else:
            bottom = level - bar.value
            level = bottom
        drawn = ax.bar(
            index,
            bar.value,
            bottom=bottom,
            width=0.62,
            color=bar.colour,
            edgecolor="white",
            linewidth=0.8,
        )
        drawn.patches[0].set_gid(f"waterfall:{bar.key}")
        low, high = sorted((bottom, bottom + bar.value))
        # A bar that ends below where it started (a negative residual) is labelled under it.
        down = (index == 0 or (residual and index == last)) and bar.value < 0
        ends += [low, high]
        ax.annotate(
            bar.text,
            xy=(index, low if down else high),
            xytext=(0, -3 if down else 3),
            textcoords="offset points",
            ha="center",
            va="top" if down else "bottom",
            fontsize=_style.NOTE_SIZE + 0.5,
            color=_style.COLOURS["text"],
        )
    # Dashed connectors: the level after each bar carries to the next one.
    level = 0.0
    for index, bar in enumerate(bars[:-1]):
        level = bar.value if index == 0 else level - bar.value
        ax.plot(
            [index + 0.31, index + 0.69],
            [level, level],
            color=_style.COLOURS["muted"],
            linewidth=0.8,
            linestyle=(0, (2, 2)),
        )
    ax.set_xticks(range(len(bars)), [bar.label for bar in bars], fontsize=_style.TICK_SIZE)
    ax.set_xlim(-0.6, len(bars) - 0.4)
    top, bottom = max([*ends, 1.0]), min(ends)
    span = top - bottom
    ax.set_ylim(bottom - (0.12 * span if bottom < 0 else 0.0), top + 0.12 * span)
    if bottom < 0:  # a line at 0 where bars go below it
        ax.axhline(0.0, color=_style.COLOURS["muted"], linewidth=0.8)
    ax.yaxis.set_major_formatter(_style.compact_formatter())
    _style.style_axes(ax)


def share_axis(ax: Axes, whole: float, label: str) -> None:
    """Add a right-hand axis giving the left axis's values as percent of ``whole`` (> 0)."""
    share = 100.0 / whole

    def to_share(value: Any) -> Any:
        return value * share

    def to_value(percent: Any) -> Any:
        return percent / share

    right = ax.secondary_yaxis("right", functions=(to_share, to_value))
    right.set_ylabel(label, fontsize=_style.LABEL_SIZE)
    right.tick_params(labelsize=_style.TICK_SIZE)


def _colour(key: str) -> str:
    return _style.COLOURS.get(key.removeprefix("spoiled_"), _style.COLOURS["spoiled"])


def spoilage_waterfall(
    result: RunResult,
    scenario: Scenario | None = None,
    *,
    product: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw where the harvest went: harvested, then rejected, spoiled per stage, sold, left.

    Parameters
    ----------
    result
        A run.
    scenario
        The run's scenario, for the product's display name.
    product
        A product id for its own waterfall; the whole channel when omitted.
    ax
        Axes to draw into; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. Each bar is a patch with gid ``waterfall:<key>`` (see
        :func:`waterfall_steps`); the outcome bars' heights add up to the harvested kg.
        Every bar is labelled with its kg and its share of the harvest.
    """
    steps = waterfall_steps(result, product)
    figure, ax = _style.single_axes(ax, 10.0, 5.2)
    harvested = steps[0].kg
    share = 100.0 / harvested if harvested > 0 else 0.0

    def text(index: int, step: WaterfallStep) -> str:
        label = _style.kg_text(step.kg, harvested)
        if harvested > 0 and index > 0:
            label += f"\n{no_negative_zero(step.kg * share, 1):.1f} %"
        return label

    draw_bars(
        ax,
        [
            Bar(step.key, step.label, step.kg, _colour(step.key), text(index, step))
            for index, step in enumerate(steps)
        ],
        residual=True,
    )
    ax.set_ylabel("mass [kg]", fontsize=_style.LABEL_SIZE)
    if harvested > 0:
        share_axis(ax, harvested, "share of the harvest [%]")
    else:
        _style.note(ax, "nothing was harvested in the measured period", y=0.5)

    what = "whole channel" if product is None else _style.product_label(product, scenario)
    days = result.horizon_days - result.warmup_days
    rate = (
        result.kpis["spoilage_rate"]
        if product is None
        else result.by_product[product].get("spoilage_rate", float("nan"))
    )
    subtitle = f"{result.scenario_name} · seed {result.seed} · {days} days measured"
    if math.isfinite(rate):
        subtitle += f" · spoilage rate {100 * rate:.1f} %"
    _style.set_title(ax, f"Where the harvest goes: {what}", subtitle)
    _style.apply_fonts(figure)
    return figure
