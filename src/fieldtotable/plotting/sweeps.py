"""Sweep figures: a KPI against a swept parameter, one line per other setting."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fieldtotable.plotting import _style
from fieldtotable.plotting.experiments import kpi_axis_label, kpi_formatter, kpi_name
from fieldtotable.scenario.units import NO_UNIT, field_unit

if TYPE_CHECKING:
    from fieldtotable.experiment.statistics import Estimate
    from fieldtotable.experiment.sweep import SweepPoint, SweepResult

__all__ = ["sweep_chart"]


def _numeric(values: Sequence[Any]) -> bool:
    return all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values)


def _parameter_unit(path: str) -> str:
    unit = field_unit(path.rsplit(".", 1)[-1])
    return "value" if unit == NO_UNIT else unit


def _short(path: str) -> str:
    return ".".join(path.split(".")[-2:])


def _x_parameter(sweep_result: SweepResult, x: str | None) -> str:
    parameters = sweep_result.parameters
    if x is not None:
        if x not in parameters:
            raise KeyError(f"{x!r} is not a swept parameter ({', '.join(parameters)})")
        return x
    values = {
        p: _style.unique(pt.overrides.get(p) for pt in sweep_result.points) for p in parameters
    }
    numeric = [p for p in parameters if _numeric([v for v in values[p] if v is not None])]
    pool = numeric or list(parameters)
    return max(pool, key=lambda p: len(values[p]))


def sweep_chart(
    sweep_result: SweepResult,
    kpi: str,
    *,
    x: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw a KPI against a swept parameter: one line per value of the other parameters.

    Parameters
    ----------
    sweep_result
        The result of :func:`fieldtotable.sweep`.
    kpi
        The KPI key (or breakdown path) to show.
    x
        The parameter along the x axis (default: the numeric one with most values).
    ax
        Axes to draw into; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. Each line (gid ``sweep:<label>``) joins the points' means in
        the order of ``x``; the shaded band (gid ``band:<label>``) is the
        confidence interval.

    Raises
    ------
    KeyError
        If the KPI was not summarised or ``x`` is not a swept parameter.
    """
    if kpi not in sweep_result.kpis:
        raise KeyError(f"{kpi!r} was not summarised in the sweep ({', '.join(sweep_result.kpis)})")
    figure, ax = _style.single_axes(ax, 9.0, 5.2)
    along = _x_parameter(sweep_result, x) if sweep_result.parameters else None
    others = [p for p in sweep_result.parameters if p != along]
    # Values may be lists (e.g. departure hours): group by their repr, label by the value.
    groups: dict[str, list[SweepPoint]] = {}
    for point in sweep_result.points:
        groups.setdefault(repr([point.overrides.get(p) for p in others]), []).append(point)
    positions = [pt.overrides.get(along) if along else pt.index for pt in sweep_result.points]
    numeric = _numeric([v for v in positions if v is not None])
    categories = _style.unique(str(v) for v in positions)
    for index, points in enumerate(groups.values()):
        key = [points[0].overrides.get(p) for p in others]
        rows: list[tuple[Any, Estimate]] = [
            (pt.overrides.get(along) if along else pt.index, pt.result.kpis[kpi]) for pt in points
        ]
        rows = [(value, found) for value, found in rows if value is not None or not numeric]
        if numeric:
            rows.sort(key=lambda row: float(row[0]))
            xs = np.array([float(value) for value, _found in rows])
        else:
            xs = np.array([categories.index(str(value)) for value, _found in rows], dtype=float)
        means = np.array([found.mean for _value, found in rows])
        low = np.array([found.low for _value, found in rows])
        high = np.array([found.high for _value, found in rows])
        if len(others) == 1:
            label = str(key[0])
        else:
            label = ", ".join(f"{_short(p)}={v}" for p, v in zip(others, key, strict=True))
        label = label or kpi_name(kpi)
        colour = _style.cycle(index)
        ax.plot(
            xs, means, marker="o", color=colour, linewidth=1.8, label=label, gid=f"sweep:{label}"
        )
        if np.isfinite(low).all() and np.isfinite(high).all():
            ax.fill_between(
                xs, low, high, color=colour, alpha=0.15, linewidth=0, gid=f"band:{label}"
            )
    if numeric:
        ticks = sorted({float(v) for v in positions if v is not None})
        if len(ticks) <= 12:
            ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    else:
        ax.set_xticks(range(len(categories)), categories)
    ax.yaxis.set_major_formatter(kpi_formatter(kpi))
    ax.set_ylabel(kpi_axis_label(kpi), fontsize=_style.LABEL_SIZE)
    if along:
        ax.set_xlabel(f"{along} [{_parameter_unit(along)}]", fontsize=_style.LABEL_SIZE)
    else:
        ax.set_xlabel("point of the sweep [index]", fontsize=_style.LABEL_SIZE)
    _style.style_axes(ax, grid="both")
    if others:
        _style.legend(
            ax,
            loc="best",
            title=", ".join(_short(p) for p in others),
            title_fontsize=_style.NOTE_SIZE + 0.5,
        )
    subtitle = (
        f"{sweep_result.scenario_name} · {sweep_result.n} replications per point · band: "
        f"{100 * sweep_result.confidence:.0f} % confidence interval of the mean"
    )
    name = kpi_name(kpi)
    title = f"{name[:1].upper()}{name[1:]} against {_short(along) if along else 'the sweep point'}"
    _style.set_title(ax, title, subtitle)
    _style.apply_fonts(figure)
    return figure
