"""The tornado chart of a global sensitivity analysis (Sobol or Morris)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from fieldtotable.plotting import _style
from fieldtotable.plotting.experiments import kpi_axis_label, kpi_formatter, kpi_name

if TYPE_CHECKING:
    from fieldtotable.sensitivity.indices import SensitivityResult

__all__ = ["sensitivity_indices_chart"]

_TOTAL = "#b8323c"
_FIRST = "#f0a35e"


def _short(path: str) -> str:
    """Return a field path without its section: ``matsutake.shelf_life_days``."""
    head, dot, rest = path.partition(".")
    return rest if dot else head


def sensitivity_indices_chart(
    result: SensitivityResult, kpi: str | None = None, *, ax: Axes | None = None
) -> Figure:
    """Draw one KPI's indices as a tornado: parameters by importance, largest on top.

    Parameters
    ----------
    result
        What :func:`~fieldtotable.sensitivity.global_sensitivity` (or
        :func:`~fieldtotable.sensitivity.analyse_function`) returned.
    kpi
        The KPI to draw (default: the first).
    ax
        Axes to draw into; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        Sobol: per parameter a bar of the total index ``ST`` (gid ``ST:<path>``) and
        below it a thinner bar of the first-order index ``S1`` (gid ``S1:<path>``),
        each with its confidence interval as an error bar. Morris: a bar of ``mu_star``
        (gid ``mu_star:<path>``) with its interval.

    Raises
    ------
    KeyError
        If the result has no such KPI.
    """
    found = result.kpi(kpi) if kpi is not None else result.kpis[0]
    ranked = found.ranked()
    sobol = result.method == "sobol"
    figure, ax = _style.single_axes(ax, 9.0, 1.6 + 0.5 * len(ranked))
    rows = np.arange(len(ranked), dtype=float)
    for row, indices in zip(rows, ranked, strict=True):
        name = "ST" if sobol else "mu_star"
        _bar(
            ax,
            row - (0.17 if sobol else 0.0),
            indices.importance,
            indices.importance_conf,
            0.34 if sobol else 0.6,
            _TOTAL,
            f"{name}:{indices.parameter}",
        )
        if sobol:
            s1 = getattr(indices, "s1", math.nan)
            s1_conf = getattr(indices, "s1_conf", math.nan)
            _bar(ax, row + 0.17, s1, s1_conf, 0.34, _FIRST, f"S1:{indices.parameter}")
    ax.set_yticks(rows, [_style.display_text(_short(i.parameter)) for i in ranked])
    ax.invert_yaxis()
    ax.axvline(0.0, color="#222222", linewidth=0.9)
    _style.style_axes(ax, grid="x")
    level = f"{result.confidence:.0%}"
    if sobol:
        ax.set_xlabel("share of the variance of the KPI", fontsize=_style.LABEL_SIZE)
        handles = [
            Patch(color=_TOTAL, label="total index ST"),
            Patch(color=_FIRST, label="first-order index S1"),
        ]
        _style.legend(ax, handles, loc="lower right")
        subtitle = (
            f"Sobol indices, N = {result.n} ({result.evaluations} points), with {level} "
            "bootstrap intervals; ST includes interactions."
        )
    else:
        ax.xaxis.set_major_formatter(kpi_formatter(found.kpi))
        ax.set_xlabel(
            f"mean |elementary effect| over the range: {kpi_axis_label(found.kpi)}",
            fontsize=_style.LABEL_SIZE,
        )
        subtitle = (
            f"Morris screening, {result.n} trajectories ({result.evaluations} points), "
            f"mu* with {level} bootstrap intervals."
        )
    _style.set_title(ax, f"What moves {kpi_name(found.kpi)}", subtitle)
    _style.apply_fonts(figure)
    return figure


def _bar(
    ax: Axes, row: float, value: float, conf: float, height: float, colour: str, gid: str
) -> None:
    if not math.isfinite(value):
        return
    ax.barh(row, value, height=height, color=colour, alpha=0.9, edgecolor="white", gid=gid)
    if math.isfinite(conf) and conf > 0:
        ax.errorbar(
            value,
            row,
            xerr=conf,
            fmt="none",
            ecolor="#222222",
            capsize=3,
            linewidth=1.0,
        )
