"""Tail statistics as a plain-text table: one row per KPI, a column per statistic.

:func:`format_tails` lays out what :func:`~fieldtotable.experiment.tail_summary.
experiment_tails` and :func:`~fieldtotable.experiment.tail_summary.comparison_tails`
estimate: per configuration, each KPI's quantiles and CVaR as ``value [low, high]`` in
the KPI's display unit, each target's probability as a percentage, and, in a
comparison, the paired differences against the baseline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fieldtotable.experiment.tail_summary import TailRequest, TailRow
from fieldtotable.experiment.tails import TailEstimate
from fieldtotable.tables.format import display_unit, format_number, format_table

__all__ = ["format_tails"]


def format_tails(
    rows: Mapping[str, Sequence[TailRow]],
    request: TailRequest,
    differences: Mapping[str, Sequence[TailRow]] | None = None,
    baseline: str | None = None,
    *,
    width: int | None = None,
) -> str:
    """Return the tails of one or more configurations as text.

    Parameters
    ----------
    rows
        Configuration name -> its tail rows (one name for a single experiment).
    request
        What was estimated (for the headings).
    differences
        Configuration -> paired differences against ``baseline`` (a comparison).
    baseline
        The baseline's name.
    width
        Columns the tables should fit.

    Returns
    -------
    str
        A heading saying over what the tails are taken and how the intervals are
        made, then a table per configuration (and per difference).
    """
    over = "replications" if request.period is None else f"every complete {request.period}"
    parts = [
        f"tails over {over} (quantiles and CVaR: percentile bootstrap; probabilities: "
        + ("Wilson score" if request.period is None else "cluster bootstrap over replications")
        + "; CVaR averages the worst side of each KPI)"
    ]
    single = len(rows) == 1
    for name, found in rows.items():
        parts.append(_table(found, "" if single else name, width))
    for name, found in (differences or {}).items():
        parts.append(_table(found, f"{name} - {baseline} (paired)", width, difference=True))
    return "\n\n".join(part for part in parts if part)


def _table(rows: Sequence[TailRow], title: str, width: int | None, difference: bool = False) -> str:
    statistics = [row for row in rows if not row.target]
    targets = [row for row in rows if row.target]
    text = []
    if statistics:
        headers = ["KPI", *(_header(found) for found in statistics[0].estimates)]
        table_rows = [
            [row.kpi, *(_cell(found, display_unit(row.kpi)) for found in row.estimates)]
            for row in statistics
        ]
        text.append(format_table(headers, table_rows, width=width))
    if targets and not difference:
        text.append(
            format_table(
                ["target", "probability"],
                [[row.kpi, _cell(row.estimates[0], "%")] for row in targets],
                width=width,
            )
        )
    body = "\n\n".join(text)
    return f"{title}\n{body}" if title and body else body


def _header(found: TailEstimate) -> str:
    label = found.statistic.removeprefix("difference of ")
    return label.split(" of ", 1)[0].split(" (", 1)[0]


def _cell(found: TailEstimate, unit: str) -> str:
    return (
        f"{format_number(found.value, unit)} "
        f"[{format_number(found.low, unit)}, {format_number(found.high, unit)}]"
    )
