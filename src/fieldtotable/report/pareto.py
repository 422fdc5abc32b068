"""The report of a two-objective optimisation: the Pareto front, its trade-offs, the search.

::

    result = optimise(scenario, variables, ["profit_cny", "co2_kg"], ["maximise", "minimise"])
    write_report(pareto_report(result, scenario=scenario), "pareto.html")

One self-contained HTML page: the question, the front (each member's objectives and
constraints on fresh replications with 95 % intervals, and a chart of every trial, the
candidates and the front), which trade-offs the data show to be real, the claim
(there is no probability-of-correct-selection statement for a Pareto set), the runs by
phase and every configuration the search evaluated.
"""

from __future__ import annotations

import math

from fieldtotable.export.html import esc, html_table
from fieldtotable.optimise.pareto_result import ParetoMember, ParetoResult
from fieldtotable.optimise.search_result import Estimate
from fieldtotable.report.common import facts, footer, version
from fieldtotable.report.page import FigureFormat, Figures, FigureSpec, Section, page, scroll
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario

__all__ = ["pareto_report"]

_NOTHING = "\N{EN DASH}"
_VERDICTS = {
    "trade-off": "a real trade-off: each is significantly better in one objective",
    "first dominates": "the first is significantly better somewhere and no worse on average",
    "second dominates": "the second is significantly better somewhere and no worse on average",
    "not shown": "not shown either way: one of the two may dominate the other",
}


def pareto_report(
    result: ParetoResult,
    *,
    scenario: Scenario | None = None,
    command: str | None = None,
    figures: FigureFormat = "svg",
) -> str:
    """Return a self-contained HTML report of a two-objective optimisation.

    Parameters
    ----------
    result
        What :func:`fieldtotable.optimise.search.optimise` returned for two objectives.
    scenario
        The scenario optimised, for the title and the footer's hash; optional.
    command
        The command line that made the result, shown under "Reproduce".
    figures
        ``"svg"`` (inline) or ``"png"`` (base64).

    Returns
    -------
    str
        One HTML document, with no script and no reference outside it.
    """
    draw = Figures(figures)
    chart = draw(
        FigureSpec(
            "pareto_front_chart",
            (result,),
            {},
            "The Pareto front",
            "Every configuration's search means (grey), the candidates on fresh "
            "replications with their 95 % intervals (blue) and the front (orange).",
        )
    )
    sections = [
        Section("question", "The question", _question(result)),
        Section("front", "The Pareto front", _front(result) + chart),
        Section("trade-offs", "Which trade-offs are real", _comparisons(result)),
        Section("runs", "Runs by phase", _runs(result)),
        Section("trials", "Every configuration evaluated", _trials(result)),
        Section("reproduce", "Reproduce", _reproduce(command)),
    ]
    name = scenario.name if scenario is not None else "the scenario"
    asked = (
        f"Which configurations of {name} can neither {result.objectives[0]} nor "
        f"{result.objectives[1]} further without giving up the other"
        + (f", subject to {'; '.join(result.constraints)}" if result.constraints else "")
        + "?"
    )
    meta = esc(
        f"budget {result.budget} runs · seed {result.settings.get('seed')} · "
        f"{len(result.trials)} configurations evaluated · fieldtotable {version()}"
    )
    return page(
        title=f"Pareto set: {' and '.join(result.objectives)}",
        kicker=f"fieldtotable · optimisation report · {name}",
        question=asked,
        meta=meta,
        sections=sections,
        footer=footer([] if scenario is None else [scenario_hash(scenario)]),
    )


def _estimate(found: Estimate) -> str:
    low, high = found.ci
    if math.isnan(found.mean):
        return _NOTHING
    if math.isnan(low):
        return f"{found.mean:.6g}"
    return f"{found.mean:.6g} [{low:.6g}, {high:.6g}]"


def _table(headers: list[str], rows: list[list[str]], align: str | None = None) -> str:
    return scroll(html_table(headers, rows, align=align))


def _question(result: ParetoResult) -> str:
    settings = result.settings
    variables = [str(text).partition("=") for text in settings.get("variables", [])]
    table = _table(
        ["variable (field path)", "values it may take"],
        [[path, spec] for path, _, spec in variables],
        align="ll",
    )
    items = [
        ("objectives", "; ".join(result.objectives)),
        ("constraints", "; ".join(result.constraints) or "none"),
        ("budget", f"{result.budget} one-replication simulation runs"),
        ("seed", str(settings.get("seed"))),
    ]
    return table + facts(items)


def _member_row(number: int, member: ParetoMember) -> list[str]:
    return [
        str(number),
        *(str(value) for value in member.params.values()),
        *(_estimate(found) for found in member.objectives),
        *(_estimate(found.estimate) for found in member.constraints),
    ]


def _member_headers(result: ParetoResult) -> list[str]:
    paths = [str(text).partition("=")[0] for text in result.settings.get("variables", [])]
    return [
        "#",
        *paths,
        *(f"{text} (95% interval)" for text in result.objectives),
        *result.constraints,
    ]


def _front(result: ParetoResult) -> str:
    claim = f'<p class="question"><strong>Claim.</strong> {esc(result.claim)}</p>'
    if not result.front:
        warning = (
            '<p class="warning" role="alert"><strong>Warning.</strong> No candidate was '
            "declared feasible: there is no front to recommend. Relax the constraints, "
            "widen the variables or raise the budget.</p>"
        )
        return warning + claim
    rows = [_member_row(number, member) for number, member in enumerate(result.front, start=1)]
    note = (
        '<p class="note">Every number is from fresh replications (the final block, the '
        "same indices for every candidate), never from the data that chose the "
        "candidates; intervals are Student-t at 95 %.</p>"
    )
    return _table(_member_headers(result), rows) + note + claim


def _comparisons(result: ParetoResult) -> str:
    if not result.comparisons:
        return "<p>The front has fewer than two members: nothing to compare.</p>"
    rows = [
        [
            f"{found.first + 1} vs {found.second + 1}",
            *(_estimate(difference) for difference in found.differences),
            found.verdict,
            _VERDICTS.get(found.verdict, ""),
        ]
        for found in result.comparisons
    ]
    headers = [
        "pair",
        *(f"difference in {text}" for text in result.objectives),
        "verdict",
        "meaning",
    ]
    note = (
        '<p class="note">Paired differences (first minus second) on common random numbers, '
        "95 % Student-t intervals one pair at a time (not simultaneous).</p>"
    )
    return _table(headers, rows) + note


def _runs(result: ParetoResult) -> str:
    rows = [[phase, str(count)] for phase, count in result.runs.items() if phase != "total"]
    rows.append(["total", str(result.runs.get("total", 0))])
    return (
        f"<p>{result.runs.get('total', 0)} of the budget of {result.budget} runs (one run: "
        "one replication of one configuration).</p>" + _table(["phase", "runs"], rows, "lr")
    )


def _trials(result: ParetoResult) -> str:
    paths = [str(text).partition("=")[0] for text in result.settings.get("variables", [])]
    rows = [
        [
            str(number),
            *(str(trial.params.get(path, _NOTHING)) for path in paths),
            *(_estimate(found) for found in trial.search),
            str(trial.replications),
            "yes" if trial.candidate else "",
        ]
        for number, trial in enumerate(result.trials, start=1)
    ]
    headers = [
        "#",
        *paths,
        *(f"{text} (search)" for text in result.objectives),
        "replications",
        "candidate",
    ]
    return _table(headers, rows)


def _reproduce(command: str | None) -> str:
    if command:
        return f"<p>The command that made this report:</p><pre>{esc(command)}</pre>"
    return (
        "<p>Call <code>fieldtotable.optimise.optimise</code> with the same scenario, "
        "variables, objectives, constraints, budget and seed: the result is the same.</p>"
    )
