"""The spoilage waterfall: where the harvested kilograms went."""

from __future__ import annotations

import math
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

__all__ = ["WaterfallStep", "spoilage_waterfall", "waterfall_steps"]


@dataclass(frozen=True)
class WaterfallStep:
    """One bar of the waterfall.

    Attributes
    ----------
    key
        ``harvested``, ``rejected``, ``refused``, ``spoiled_<stage>``, ``sold`` or
        ``in_system`` (the artist's gid is ``waterfall:<key>``).
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
    refused (only when non-zero), spoiled at each stage, sold, and left in the
    system at the end. With a warm-up, the last bar is what the measured harvest
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

    level = harvested
    tops: list[float] = []
    for index, step in enumerate(steps):
        if index == 0 or step.key == "in_system":
            bottom = 0.0
        else:
            bottom = level - step.kg
            level = bottom
        bars = ax.bar(
            index,
            step.kg,
            bottom=bottom,
            width=0.62,
            color=_colour(step.key),
            edgecolor="white",
            linewidth=0.8,
        )
        bars.patches[0].set_gid(f"waterfall:{step.key}")
        top = bottom + max(step.kg, 0.0)
        tops.append(top)
        text = _style.kg_text(step.kg, harvested)
        if harvested > 0 and index > 0:
            text += f"\n{no_negative_zero(step.kg * share, 1):.1f} %"
        ax.annotate(
            text,
            xy=(index, top),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=_style.NOTE_SIZE + 0.5,
            color=_style.COLOURS["text"],
        )
    # Dashed connectors: the level after each bar carries to the next one.
    level = harvested
    for index, step in enumerate(steps[:-1]):
        if index > 0:
            level -= step.kg
        ax.plot(
            [index + 0.31, index + 0.69],
            [level, level],
            color=_style.COLOURS["muted"],
            linewidth=0.8,
            linestyle=(0, (2, 2)),
        )

    ax.set_xticks(range(len(steps)), [step.label for step in steps], fontsize=_style.TICK_SIZE)
    ax.set_xlim(-0.6, len(steps) - 0.4)
    ax.set_ylim(0, max([*tops, 1.0]) * 1.12)
    ax.yaxis.set_major_formatter(_style.compact_formatter())
    ax.set_ylabel("mass [kg]", fontsize=_style.LABEL_SIZE)
    _style.style_axes(ax)
    if harvested > 0:

        def to_share(kg: Any) -> Any:
            return kg * share

        def to_kg(percent: Any) -> Any:
            return percent / share

        right = ax.secondary_yaxis("right", functions=(to_share, to_kg))
        right.set_ylabel("share of the harvest [%]", fontsize=_style.LABEL_SIZE)
        right.tick_params(labelsize=_style.TICK_SIZE)
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
