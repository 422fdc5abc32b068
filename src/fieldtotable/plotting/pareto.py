"""The Pareto front of a two-objective optimisation: every trial, the candidates, the front."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fieldtotable.plotting import _style
from fieldtotable.plotting.experiments import kpi_axis_label, kpi_formatter

if TYPE_CHECKING:
    from fieldtotable.optimise.pareto_result import ParetoMember, ParetoResult

__all__ = ["pareto_front_chart"]

_TRIAL = "#9AA5B1"
_CANDIDATE = "#0072B2"
_FRONT = "#D55E00"


def pareto_front_chart(result: ParetoResult, *, ax: Axes | None = None) -> Figure:
    """Draw the two objectives: each trial's search means, the candidates and the front.

    Parameters
    ----------
    result
        What :func:`fieldtotable.optimise.search.optimise` returned for two objectives.
    ax
        Axes to draw into; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        Grey dots (gid ``trials``): every configuration's search means; blue error
        bars (gid ``candidates``): each feasible candidate's fresh means with their
        95 % intervals in both objectives (hollow when not declared feasible, gid
        ``infeasible``); an orange line through the front (gid ``front``).

    Raises
    ------
    ValueError
        If the result has no trials.
    """
    if not result.trials:
        raise ValueError("the optimisation has no trials to draw")
    first, second = (text.partition(" ")[2] for text in result.objectives)
    figure, ax = _style.single_axes(ax, 9.0, 5.6)
    searched = np.array([[trial.search[0].mean, trial.search[1].mean] for trial in result.trials])
    ax.scatter(searched[:, 0], searched[:, 1], s=14, color=_TRIAL, alpha=0.7, gid="trials")
    for gid, members, face in (
        ("candidates", [m for m in result.candidates if m.feasible], _CANDIDATE),
        ("infeasible", [m for m in result.candidates if not m.feasible], "none"),
    ):
        if members:
            _bars(ax, members, face, gid)
    front = sorted(result.front, key=lambda member: member.objectives[0].mean)
    if front:
        ax.plot(
            [member.objectives[0].mean for member in front],
            [member.objectives[1].mean for member in front],
            color=_FRONT,
            linewidth=1.8,
            marker="o",
            zorder=4,
            gid="front",
        )
        for number, member in enumerate(result.front, start=1):
            ax.annotate(
                str(number),
                (member.objectives[0].mean, member.objectives[1].mean),
                textcoords="offset points",
                xytext=(6, 6),
                fontsize=_style.NOTE_SIZE,
                color=_FRONT,
            )
    ax.xaxis.set_major_formatter(kpi_formatter(first))
    ax.yaxis.set_major_formatter(kpi_formatter(second))
    ax.set_xlabel(f"{result.objectives[0]}: {kpi_axis_label(first)}", fontsize=_style.LABEL_SIZE)
    ax.set_ylabel(f"{result.objectives[1]}: {kpi_axis_label(second)}", fontsize=_style.LABEL_SIZE)
    _style.style_axes(ax, grid="both")
    subtitle = (
        f"grey: {len(result.trials)} configurations' search means · blue: candidates on "
        "fresh replications with 95 % intervals · orange: the front, numbered as in the table"
    )
    _style.set_title(ax, "The Pareto front", subtitle)
    _style.apply_fonts(figure)
    return figure


def _bars(ax: Axes, members: list[ParetoMember], face: str, gid: str) -> None:
    means = np.array([[m.objectives[0].mean, m.objectives[1].mean] for m in members])
    errors = [
        [_half(m.objectives[axis].ci, m.objectives[axis].mean) for m in members] for axis in (0, 1)
    ]
    ax.errorbar(
        means[:, 0],
        means[:, 1],
        xerr=errors[0],
        yerr=errors[1],
        fmt="o",
        color=_CANDIDATE,
        markerfacecolor=face,
        markersize=6,
        capsize=3,
        linewidth=1.0,
        zorder=3,
        gid=gid,
    )


def _half(interval: tuple[float, float], mean: float) -> float:
    low, high = interval
    return 0.0 if math.isnan(low) else max(mean - low, high - mean)
