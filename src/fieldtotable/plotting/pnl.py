"""The P&L waterfall: from revenue, down by each cost line, to profit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fieldtotable.model.money import COST_LINES
from fieldtotable.plotting import _style
from fieldtotable.plotting.waterfall import Bar, draw_bars, share_axis
from fieldtotable.tables.format import no_negative_zero

if TYPE_CHECKING:
    from fieldtotable.experiment.results import ExperimentResult
    from fieldtotable.results import RunResult
    from fieldtotable.scenario.schema import Scenario

__all__ = ["PNL_COLOURS", "cny_text", "pnl_lines", "pnl_waterfall"]

PNL_COLOURS = {
    "revenue_cny": "#009E73",
    "cost": "#E69F00",
    "profit": "#0072B2",
    "loss": "#D55E00",
}
"""Okabe-Ito colours of the waterfall's bars: revenue, every cost line, profit or loss."""

_LABELS = {
    "revenue_cny": "revenue",
    "purchase_cost_cny": "purchase\n(farm gate)",
    "handling_cost_cny": "handling",
    "storage_cost_cny": "storage\n(energy, rent)",
    "packaging_cost_cny": "packaging",
    "capital_cost_cny": "capital\n(annualised)",
    "fixed_cost_cny": "fixed\ncosts",
    "transport_cost_cny": "transport",
}


def cny_text(value: float, reference: float) -> str:
    """Write an amount of money in the unit of the largest one shown alongside.

    Parameters
    ----------
    value
        The amount, CNY.
    reference
        The largest amount shown with it: from 1 M CNY amounts are in millions (two
        decimals), from 10 k CNY in thousands (one decimal), else in yuan.

    Returns
    -------
    str
        ``64.42 M``, ``530.1 k``, ``950`` (never ``-0``), or ``n/a``.
    """
    if not math.isfinite(value):
        return "n/a"
    scale = abs(reference) if math.isfinite(reference) else abs(value)
    if scale >= 1e6:
        return f"{no_negative_zero(value / 1e6, 2):,.2f} M"
    if scale >= 1e4:
        return f"{no_negative_zero(value / 1e3, 1):,.1f} k"
    return f"{no_negative_zero(value, 0):,.0f}"


def pnl_lines(
    result: RunResult | ExperimentResult,
    *,
    product: str | None = None,
    market: str | None = None,
) -> dict[str, float]:
    """Return revenue, the seven cost lines and profit of a run or of replications' means.

    Parameters
    ----------
    result
        A run, or replications (then the mean of each line over them).
    product, market
        A product's or a market's own P&L (at most one of them); the channel's when
        both are omitted.

    Returns
    -------
    dict of str to float
        ``revenue_cny``, every key of :data:`~fieldtotable.model.money.COST_LINES` and
        ``profit_cny``, CNY, and ``margin_rate`` (of replications: the mean of the
        runs' margins, as their summary gives it).

    Raises
    ------
    KeyError
        If the product or market is not in the result.
    ValueError
        If both a product and a market are given.
    """
    if product is not None and market is not None:
        raise ValueError("give a product or a market, not both")
    keys = ["revenue_cny", *COST_LINES, "profit_cny", "margin_rate"]
    runs = getattr(result, "runs", None)
    if runs is None:
        return _lines_of(result, keys, product, market)
    per_run = [_lines_of(run, keys, product, market) for run in runs]
    return {key: math.fsum(lines[key] for lines in per_run) / len(per_run) for key in keys}


def _lines_of(
    result: Any, keys: list[str], product: str | None, market: str | None
) -> dict[str, float]:
    values: Mapping[str, float]
    if product is not None:
        if product not in result.by_product:
            raise KeyError(f"no product {product!r} in the result (products: "
                           f"{', '.join(result.by_product)})")  # fmt: skip
        values = result.by_product[product]
    elif market is not None:
        if market not in result.by_market:
            raise KeyError(f"no market {market!r} in the result (markets: "
                           f"{', '.join(result.by_market)})")  # fmt: skip
        values = result.by_market[market]
    else:
        values = result.kpis
    return {key: float(values.get(key, math.nan)) for key in keys}


def pnl_waterfall(
    result: RunResult | ExperimentResult,
    scenario: Scenario | None = None,
    *,
    product: str | None = None,
    market: str | None = None,
    label: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw the P&L: revenue, then each cost line taken from it, then profit (or loss).

    Parameters
    ----------
    result
        A run, or replications (:func:`fieldtotable.replicate`: the bars are the
        means over the replications).
    scenario
        The run's scenario, for the product's display name.
    product, market
        A product's or a market's P&L instead of the channel's.
    label
        What the P&L is of, for the title (a compared configuration's name, a sweep
        point); by default the product, the market or "whole channel".
    ax
        Axes to draw into; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. The bars are patches with gid ``waterfall:<key>``: ``revenue_cny``,
        each cost line that is not exactly 0 (in the order of
        :data:`~fieldtotable.model.money.COST_LINES`; the others are named under the
        axis), and ``profit_cny``, which stands on 0 and is negative for a loss:
        revenue minus the cost bars is the profit bar. Each bar is labelled with its
        amount (CNY, in M or k) and its share of revenue.
    """
    lines = pnl_lines(result, product=product, market=market)
    revenue, profit = lines["revenue_cny"], lines["profit_cny"]
    shown = [key for key in COST_LINES if lines[key] != 0]
    left_out = [key for key in COST_LINES if lines[key] == 0]
    reference = max(
        [
            abs(lines[key])
            for key in ("revenue_cny", *COST_LINES, "profit_cny")
            if math.isfinite(lines[key])
        ]
        + [0.0]
    )
    share = 100.0 / revenue if revenue > 0 else 0.0

    def text(key: str, value: float) -> str:
        label = cny_text(value, reference)
        if share and key != "revenue_cny":
            label += f"\n{no_negative_zero(value * share, 1):.1f} %"
        return label

    loss = profit < 0
    bars = [Bar("revenue_cny", "revenue", revenue, PNL_COLOURS["revenue_cny"], text("", revenue))]
    bars += [
        Bar(key, _LABELS.get(key, key), lines[key], PNL_COLOURS["cost"], text(key, lines[key]))
        for key in shown
    ]
    bars.append(
        Bar(
            "profit_cny",
            "loss" if loss else "profit",
            profit,
            PNL_COLOURS["loss" if loss else "profit"],
            text("profit_cny", profit),
        )
    )
    figure, ax = _style.single_axes(ax, 10.0, 5.2)
    draw_bars(ax, bars, residual=True)
    ax.set_ylabel("money [CNY]", fontsize=_style.LABEL_SIZE)
    if revenue > 0:
        share_axis(ax, revenue, "share of revenue [%]")
    if left_out:
        names = ", ".join(_LABELS[key].split("\n")[0] for key in left_out)
        _style.note(ax, f"Cost lines at 0 in this scenario, not drawn: {names}.", y=-0.2)

    if label is not None:
        what = label
    elif product is not None:
        what = _style.product_label(product, scenario)
    elif market is not None:
        what = _style.node_label(market)
    else:
        what = "whole channel"
    runs = getattr(result, "runs", None)
    first: Any = result if runs is None else runs[0]
    days = first.horizon_days - first.warmup_days
    sample = f"seed {first.seed}" if runs is None else f"means of {len(runs)} replications"
    margin = lines["margin_rate"]
    subtitle = f"{first.scenario_name} · {sample} · {days} days measured · amounts in CNY"
    if math.isfinite(margin):
        subtitle += f" · margin {no_negative_zero(100 * margin, 1):.1f} %"
    _style.set_title(ax, f"From revenue to {'loss' if loss else 'profit'}: {what}", subtitle)
    _style.apply_fonts(figure)
    return figure
