"""Figures of an optimisation: the search's history and the sensitivity around the best."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from fieldtotable.optimise.parsing import parse_constraint
from fieldtotable.plotting import _style
from fieldtotable.plotting.experiments import kpi_axis_label, kpi_formatter, kpi_name

if TYPE_CHECKING:
    from fieldtotable.optimise.search_result import OptimisationResult

__all__ = ["search_history", "sensitivity_chart"]

_FEASIBLE = "#009E73"
_INFEASIBLE = "#D55E00"
_WORSE = "#D55E00"
_BETTER = "#0072B2"


def _objective(result: OptimisationResult) -> tuple[str, bool]:
    """Return the objective's KPI and whether it is maximised."""
    direction, _, kpi = result.objective.partition(" ")
    return kpi, direction == "maximise"


def _meets_on_search_means(result: OptimisationResult) -> list[bool]:
    """Return, per trial, whether its search means meet every constraint."""
    bounds = [parse_constraint(text) for text in result.constraints]
    count = len(bounds)
    return [
        len(trial.search_constraint_means) >= count
        and all(
            bound.holds(mean)
            for bound, mean in zip(bounds, trial.search_constraint_means[:count], strict=True)
        )
        for trial in result.trials
    ]


def search_history(result: OptimisationResult, *, ax: Axes | None = None) -> Figure:
    """Draw the objective's search mean of every trial, in the order first proposed.

    Parameters
    ----------
    result
        What :func:`fieldtotable.optimise.search.optimise` returned.
    ax
        Axes to draw into; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        Filled dots (gid ``feasible``) for trials whose search means meet every
        constraint, crosses (gid ``infeasible``) for the others, rings (gid
        ``finalists``) around the finalists, and the best search mean so far among
        the feasible ones as a step line (gid ``best-so-far``).

    Raises
    ------
    ValueError
        If the result has no trials.
    """
    if not result.trials:
        raise ValueError("the optimisation has no trials to draw")
    kpi, maximise = _objective(result)
    figure, ax = _style.single_axes(ax, 9.0, 4.8)
    numbers = np.arange(1, len(result.trials) + 1, dtype=float)
    means = np.array([trial.search.mean for trial in result.trials], dtype=float)
    meets = np.array(_meets_on_search_means(result), dtype=bool)
    finalist = np.array([trial.finalist for trial in result.trials], dtype=bool)
    ax.scatter(numbers[meets], means[meets], s=30, color=_FEASIBLE, zorder=3, gid="feasible")
    ax.scatter(
        numbers[~meets],
        means[~meets],
        s=34,
        marker="x",
        color=_INFEASIBLE,
        zorder=3,
        gid="infeasible",
    )
    ax.scatter(
        numbers[finalist],
        means[finalist],
        s=130,
        facecolors="none",
        edgecolors="#222222",
        linewidths=1.1,
        zorder=4,
        gid="finalists",
    )
    best_so_far = []
    best = math.nan
    for mean, feasible in zip(means, meets, strict=True):
        if feasible and not math.isnan(mean):
            better = mean > best if maximise else mean < best
            best = mean if math.isnan(best) or better else best
        best_so_far.append(best)
    ax.step(numbers, best_so_far, where="post", color="#222222", linewidth=1.4, gid="best-so-far")
    ax.yaxis.set_major_formatter(kpi_formatter(kpi))
    ax.set_ylabel(kpi_axis_label(kpi), fontsize=_style.LABEL_SIZE)
    ax.set_xlabel("trial, in the order first proposed [number]", fontsize=_style.LABEL_SIZE)
    if len(numbers) <= 20:
        ax.set_xticks(numbers, [f"{n:.0f}" for n in numbers])
    _style.style_axes(ax, grid="both")
    handles = [
        Line2D([], [], marker="o", linestyle="", color=_FEASIBLE, label="meets the constraints"),
        Line2D([], [], marker="x", linestyle="", color=_INFEASIBLE, label="breaks a constraint"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="none",
            markeredgecolor="#222222",
            markersize=10,
            label="finalist",
        ),
        Line2D([], [], color="#222222", label="best so far"),
    ]
    _style.legend(ax, handles, loc="best")
    name = kpi_name(kpi)
    _style.set_title(
        ax,
        f"The search: {name} of each trial",
        "Means over the search replications (common to every trial), judged on those "
        "means alone; the selection settles the finalists on fresh replications.",
    )
    _style.apply_fonts(figure)
    return figure


def sensitivity_chart(result: OptimisationResult, *, ax: Axes | None = None) -> Figure:
    """Draw each neighbour's paired difference to the best, largest first (a tornado).

    Parameters
    ----------
    result
        An optimisation run with ``sensitivity=True`` that found a best.
    ax
        Axes to draw into; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal bar per neighbour (gid ``difference:<variable>=<value>``) from 0
        to the mean difference (neighbour minus best), with its 95 % interval as an
        error bar; worse than the best in the objective's direction in red, better in
        blue, hatched when the neighbour's means break a constraint.

    Raises
    ------
    ValueError
        If the result has no sensitivity records.
    """
    if not result.sensitivity:
        raise ValueError("the optimisation has no sensitivity records (run it with sensitivity)")
    kpi, maximise = _objective(result)
    records = sorted(
        result.sensitivity,
        key=lambda r: -abs(r.difference.mean) if math.isfinite(r.difference.mean) else 0.0,
    )
    figure, ax = _style.single_axes(ax, 9.0, 1.4 + 0.42 * len(records))
    for row, record in enumerate(records):
        mean = record.difference.mean
        low, high = record.difference.ci
        worse = mean < 0 if maximise else mean > 0
        ax.barh(
            row,
            mean,
            height=0.6,
            color=_WORSE if worse else _BETTER,
            alpha=0.85,
            hatch=None if record.meets_constraints else "//",
            edgecolor="white",
            gid=f"difference:{record.variable}={record.value}",
        )
        if math.isfinite(low) and math.isfinite(high):
            ax.errorbar(
                mean,
                row,
                xerr=[[mean - low], [high - mean]],
                fmt="none",
                ecolor="#222222",
                capsize=3,
                linewidth=1.0,
            )
    labels = [
        f"{'.'.join(r.variable.split('.')[-2:])} = {r.value} (best {r.best_value})" for r in records
    ]
    ax.set_yticks(range(len(records)), [_style.display_text(label) for label in labels])
    ax.invert_yaxis()
    ax.axvline(0.0, color="#222222", linewidth=0.9)
    ax.xaxis.set_major_formatter(kpi_formatter(kpi, difference=True))
    ax.set_xlabel(
        f"neighbour minus best: {kpi_axis_label(kpi, difference=True)}",
        fontsize=_style.LABEL_SIZE,
    )
    _style.style_axes(ax, grid="x")
    handles = [
        Patch(color=_WORSE, label="worse than the best"),
        Patch(color=_BETTER, label="better than the best"),
        Patch(facecolor="#999999", hatch="//", edgecolor="white", label="breaks a constraint"),
    ]
    _style.legend(ax, handles, loc="best")
    n = records[0].difference.n
    _style.set_title(
        ax,
        f"Sensitivity of {kpi_name(kpi)} around the best",
        f"One variable at a time; paired differences on the best's {n} final "
        "replications (common random numbers), with 95 % confidence intervals.",
    )
    _style.apply_fonts(figure)
    return figure
