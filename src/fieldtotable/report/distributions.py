"""The report section that shows distributions over replications, not only means.

:func:`distributions_section` draws the empirical CDF of the headline KPIs
(:func:`~fieldtotable.plotting.distribution_chart`), one line per configuration, with
their P5, P50, P95 and CVaR95 on the bad side in a table, so a reader sees the bad years
next to the mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from fieldtotable.experiment.results import ExperimentResult
from fieldtotable.experiment.tail_summary import DEFAULT_TAIL_KPIS, TailRequest, experiment_tails
from fieldtotable.experiment.tails import TailEstimate
from fieldtotable.export.html import esc, html_table
from fieldtotable.report.page import Figures, FigureSpec, scroll
from fieldtotable.tables.format import display_unit, format_number

__all__ = ["REPORT_TAILS", "distributions_section"]

REPORT_TAILS = TailRequest(quantiles=(0.05, 0.5, 0.95), cvar_level=0.95)
"""The tail statistics a report shows next to each distribution."""


def distributions_section(
    results: Mapping[str, ExperimentResult],
    draw: Figures,
    kpis: Sequence[str] = DEFAULT_TAIL_KPIS,
) -> str:
    """Return the HTML of the distributions: a chart and a tails table per KPI.

    Parameters
    ----------
    results
        Configuration name -> its replications.
    draw
        The report's figure drawer.
    kpis
        The KPIs shown (those no configuration defines are left out).

    Returns
    -------
    str
        An introduction, then per KPI its ECDF chart and a table of P5, P50, P95 and
        CVaR95 with their bootstrap intervals; empty when nothing can be shown.
    """
    request = TailRequest(REPORT_TAILS.quantiles, REPORT_TAILS.cvar_level, kpis=tuple(kpis))
    tails = {name: experiment_tails(result, request) for name, result in results.items()}
    parts = []
    for index, kpi in enumerate(request.statistic_kpis):
        if not any(_defined(result, kpi) for result in results.values()):
            continue
        chart = draw(
            FigureSpec(
                "distribution_chart",
                (results, kpi),
                {},
                f"{kpi}: every replication",
                "Empirical CDF over the replications (each step is one replication; "
                "dashed: the mean).",
            )
        )
        unit = display_unit(kpi)
        rows = [
            [esc(name), *(_cell(found, unit) for found in rows[index].estimates)]
            for name, rows in tails.items()
        ]
        headers = ["configuration", "P5", "P50", "P95", "CVaR95 (bad side)"]
        parts.append(chart + scroll(html_table(headers, rows, align="lrrrr", raw=True)))
    if not parts:
        return ""
    introduction = (
        "<p>The distribution of each headline KPI over the replications, with its "
        "quantiles and its CVaR95 (the mean of the worst 5 % of replications, on the "
        "KPI's bad side), each with a 95 % percentile-bootstrap interval: a "
        "configuration that is better on average can be worse in its bad years "
        "(<code>fieldtotable replicate ... --quantiles 5,50,95 --cvar 0.95</code> "
        "prints these).</p>"
    )
    return introduction + "".join(parts)


def _defined(result: ExperimentResult, kpi: str) -> bool:
    return any(not math.isnan(value) for value in result.replication_values(kpi))


def _cell(found: TailEstimate, unit: str) -> str:
    return (
        f"{format_number(found.value, unit)} <small>[{format_number(found.low, unit)}, "
        f"{format_number(found.high, unit)}]</small>"
    )
