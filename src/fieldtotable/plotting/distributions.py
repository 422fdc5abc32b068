"""Distributions over replications: the empirical CDF of a KPI, one line per configuration.

A bar with an interval shows the mean; the ECDF shows every replication, so the bad
years, the spread and a long tail are seen at once, and two configurations that rank
one way by the mean and the other by the tail can be told apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fieldtotable.plotting import _style
from fieldtotable.plotting.experiments import kpi_axis_label, kpi_formatter, kpi_name

if TYPE_CHECKING:
    from fieldtotable.experiment.results import ExperimentResult

__all__ = ["distribution_chart"]


def distribution_chart(
    results: Mapping[str, ExperimentResult],
    kpi: str,
    *,
    period: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw the empirical CDF of a KPI over the replications of each configuration.

    Parameters
    ----------
    results
        Configuration name -> its replications (one entry for a single experiment).
    kpi
        The KPI key or breakdown path.
    period
        ``month`` or ``week``: the ECDF of the KPI per period over every period of
        every replication instead.
    ax
        Axes to draw into; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. Each configuration's step line has the gid ``ecdf:<name>``; the
        dashed vertical line (gid ``mean:<name>``) is its mean. A configuration with no
        defined value is left out.

    Raises
    ------
    ValueError
        When no configuration has a defined value of the KPI (or the period is
        unknown, or the KPI has no period form).
    """
    figure, ax = _style.single_axes(ax, 9.0, 5.2)
    drawn = 0
    replications = set()
    for index, (name, result) in enumerate(results.items()):
        if period is None:
            raw = result.replication_values(kpi)
        else:
            raw = tuple(value for run in result.period_values(kpi, period) for value in run)
        values = np.sort(np.asarray(raw, dtype=float))
        values = values[~np.isnan(values)]
        if values.size == 0:
            continue
        replications.add(result.n)
        shares = np.arange(1, values.size + 1) / values.size
        colour = _style.cycle(index)
        ax.step(
            np.concatenate([[values[0]], values]),
            np.concatenate([[0.0], shares]),
            where="post",
            color=colour,
            linewidth=1.8,
            label=name,
            gid=f"ecdf:{name}",
        )
        ax.axvline(
            float(values.mean()), color=colour, linestyle="--", linewidth=1.0, gid=f"mean:{name}"
        )
        drawn += 1
    if drawn == 0:
        raise ValueError(f"no configuration has a defined value of {kpi!r}")
    ax.xaxis.set_major_formatter(kpi_formatter(kpi))
    ax.set_xlabel(kpi_axis_label(kpi), fontsize=_style.LABEL_SIZE)
    unit = "replications" if period is None else f"{period}s of every replication"
    ax.set_ylabel(f"share of {unit} at or below", fontsize=_style.LABEL_SIZE)
    ax.set_ylim(0.0, 1.0)
    _style.style_axes(ax, grid="both")
    if drawn > 1:
        _style.legend(ax, loc="best")
    counts = ", ".join(str(n) for n in sorted(replications))
    subtitle = f"{counts} replications · dashed: the mean · every step is one " + (
        "replication" if period is None else period
    )
    name = kpi_name(kpi)
    per = "" if period is None else f" per {period}"
    _style.set_title(ax, f"{name[:1].upper()}{name[1:]}{per}: distribution", subtitle)
    _style.apply_fonts(figure)
    return figure
