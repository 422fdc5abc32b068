"""The report of an optimisation: the question, the answer and how sure, and the search.

::

    from fieldtotable.optimise.search import optimise
    from fieldtotable.report import optimisation_report, write_report

    result = optimise(scenario, variables, "sold_value_cny", sensitivity=True)
    write_report(optimisation_report(result, scenario=scenario), "optimisation.html")

One self-contained HTML page: the question (objective, constraints, variables with
their ranges, settings), the answer (the best configuration, its objective and
constraints on fresh replications with 95 % intervals, the claim; a prominent warning
when there is no best or the probability guarantee does not hold), the runs by phase
against the budget, the search's history, the finalists, the sensitivity around the
best (when it was computed) and every trial.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fieldtotable.export.html import esc, html_table
from fieldtotable.optimise.search_result import Estimate, OptimisationResult
from fieldtotable.optimise.variables import ParameterValue
from fieldtotable.report.common import facts, footer, version
from fieldtotable.report.page import FigureFormat, Figures, FigureSpec, Section, card, page, scroll
from fieldtotable.results.paths import kpi_unit
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario

__all__ = ["optimisation_report"]

_NOTHING = "\N{EN DASH}"
_PHASE_MEANINGS = {
    "search": "Optuna's TPE proposing configurations, each on the search block",
    "feasibility": "Batur & Kim's feasibility check of the finalists (block from 1,000,000)",
    "selection": "Kim & Nelson's selection of the best (block from 2,000,000)",
    "final": "the winner's fresh replications for its estimates (block from 3,000,000)",
    "sensitivity": "the winner's neighbours on its final block: outside the budget",
}


def optimisation_report(
    result: OptimisationResult,
    *,
    scenario: Scenario | None = None,
    question: str | None = None,
    command: str | None = None,
    figures: FigureFormat = "svg",
) -> str:
    """Return a self-contained HTML report of one optimisation.

    Parameters
    ----------
    result
        What :func:`fieldtotable.optimise.search.optimise` returned (one objective);
        run it with ``sensitivity=True`` for the sensitivity section.
    scenario
        The scenario optimised, for the title and the footer's hash; optional.
    question
        The question the report answers (default: one built from the objective and
        the constraints).
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
    kpi = result.objective.partition(" ")[2]
    sections = [
        Section("question", "The question", _question(result)),
        Section("answer", "The answer", _answer(result, kpi)),
        # A two-objective result's Pareto front (with each point's intervals) belongs
        # here, between the answer and the cost of finding it.
        Section("runs", "Runs by phase", _runs(result)),
        Section("search", "The search", _search(result, draw)),
        Section("finalists", "The finalists", _finalists(result, kpi)),
        Section("sensitivity", "Sensitivity around the best", _sensitivity(result, kpi, draw)),
        Section("trials", "Every trial", _trials(result, kpi)),
        Section("reproduce", "Reproduce", _reproduce(result, command)),
    ]
    name = scenario.name if scenario is not None else "the scenario"
    where = f" of {name}" if scenario is not None else ""
    asked = question or (
        f"Which configuration{where} should we choose to {result.objective}"
        + (f", subject to {'; '.join(result.constraints)}" if result.constraints else "")
        + "?"
    )
    meta = esc(
        f"budget {result.budget} runs · seed {result.settings.get('seed')} · "
        f"{len(result.trials)} configurations evaluated · fieldtotable {version()}"
    )
    return page(
        title=f"Optimisation: {result.objective}",
        kicker=f"fieldtotable · optimisation report · {name}",
        question=asked,
        meta=meta,
        sections=sections,
        footer=footer([] if scenario is None else [scenario_hash(scenario)]),
    )


# --- numbers -------------------------------------------------------------------------


def _number(value: float) -> str:
    return _NOTHING if math.isnan(value) else f"{value:.6g}"


def _interval(found: Estimate) -> str:
    low, high = found.ci
    return _NOTHING if math.isnan(low) else f"{low:.6g} .. {high:.6g}"


def _unit(kpi: str) -> str:
    return kpi_unit(kpi) or "as recorded"


def _params(params: Iterable[tuple[str, ParameterValue]]) -> str:
    return ", ".join(f"{path} = {value}" for path, value in params)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    return scroll(html_table(headers, rows, align=align))


# --- sections ------------------------------------------------------------------------


def _question(result: OptimisationResult) -> str:
    settings = result.settings
    variables = [str(text) for text in settings.get("variables", [])]
    rows = [text.partition("=") for text in variables]
    table = _table(
        ["variable (field path)", "values it may take"],
        [[path, spec] for path, _, spec in rows],
        align="ll",
    )
    items = [
        ("objective", result.objective),
        ("constraints", "; ".join(result.constraints) or "none"),
        ("budget", f"{result.budget} one-replication simulation runs for the decision"),
        ("α", f"{settings.get('alpha')} (probability of a wrong selection allowed)"),
        ("δ", f"{settings.get('delta'):.6g} (indifference zone, objective's unit)"),
        ("replications", _replications_text(settings)),
        ("seed", str(settings.get("seed"))),
    ]
    return table + facts(items)


def _replications_text(settings: Mapping[str, Any]) -> str:
    return (
        f"{settings.get('search_replications')} per configuration in the search; "
        f"n0 = {settings.get('n0')} first-stage per finalist in each selection phase; "
        f"{settings.get('finalists')} finalists compared; "
        f"{settings.get('final_replications')} fresh for the winner"
    )


def _answer(result: OptimisationResult, kpi: str) -> str:
    best = result.best
    claim = f'<p class="question"><strong>Claim.</strong> {esc(result.claim)}</p>'
    if best is None:
        warning = _warning(
            "No configuration was selected: no finalist was shown feasible. Nothing here "
            "recommends a configuration; relax the constraints, widen the variables or "
            "raise the budget."
        )
        return warning + claim
    warning = ""
    if not best.pcs.guarantee_holds:
        warning = _warning(
            "The probability guarantee does not hold: a replication cap (the budget) "
            "cut a selection phase short, so the bound "
            f"{best.pcs.bound:.3g} on the probability of a correct selection is "
            "withdrawn. Treat the configuration below as the best found, not as "
            "selected with a stated probability; raise the budget to restore it."
        )
    unit = _unit(kpi)
    cards = card(
        kpi,
        _number(best.objective.mean),
        unit,
        f"95% interval {_interval(best.objective)}, {best.objective.n} fresh replications",
    )
    if best.pcs.guarantee_holds:
        cards += card(
            "probability of correct selection",
            f"≥ {best.pcs.bound:.3g}",
            "",
            f"δ = {best.pcs.delta:.6g}, among {best.pcs.finalists} finalists",
        )
    params = _table(
        ["variable", "best value"],
        [[path, str(value)] for path, value in best.params.items()],
        align="ll",
    )
    constraints = ""
    if best.constraints:
        constraints = _table(
            ["constraint", "mean", "95% interval", "share of replications met", "tolerance ε"],
            [
                [
                    found.constraint,
                    _number(found.estimate.mean),
                    _interval(found.estimate),
                    f"{found.probability_holds:.0%}",
                    f"{found.tolerance:.6g}",
                ]
                for found in best.constraints
            ],
        )
    note = (
        '<p class="note">Means and intervals are from fresh replications of the best '
        "(the final block), never from the data that selected it.</p>"
    )
    return warning + f'<div class="cards">{cards}</div>' + params + constraints + note + claim


def _warning(text: str) -> str:
    return f'<p class="warning" role="alert"><strong>Warning.</strong> {esc(text)}</p>'


def _runs(result: OptimisationResult) -> str:
    rows = []
    for phase, count in result.runs.items():
        if phase == "total":
            continue
        share = "outside" if phase == "sensitivity" else f"{count / result.budget:.0%}"
        rows.append([phase, str(count), share, _PHASE_MEANINGS.get(phase, "")])
    rows.append(["total (the decision)", str(result.runs["total"]), "", ""])
    table = _table(["phase", "runs", "share of the budget", "what it paid for"], rows, "lrrl")
    text = (
        f"<p>The decision used {result.runs['total']} of its budget of {result.budget} "
        "runs (one run: one replication of one configuration).</p>"
    )
    if result.runs.get("sensitivity", 0):
        text += (
            f"<p>The sensitivity around the best took {result.runs['sensitivity']} more "
            "runs, outside the budget.</p>"
        )
    return text + table


def _search(result: OptimisationResult, draw: Figures) -> str:
    screening = result.settings.get("search_replications")
    most = result.settings.get("max_search_replications")
    text = (
        f"<p>Each new configuration was screened with {screening} replications and got "
        f"more, up to {most}, while it could still be the best or was near a "
        "constraint; replication <i>j</i> uses the same random streams in every "
        "configuration (common random numbers), and a configuration proposed again was "
        "not run again. Search means are noisy and the largest of them is biased "
        "upwards, which is why the finalists are settled on fresh replications.</p>"
    )
    if result.refused:
        listed = "; ".join(
            esc(", ".join(f"{path}={value}" for path, value in refused.params.items()))
            for refused in result.refused
        )
        text += (
            f'<p class="note">{len(result.refused)} configuration(s) proposed were '
            f"refused by the scenario (values that do not fit together) and never run: "
            f"{listed}. First reason: {esc(result.refused[0].reason)}</p>"
        )
    if not result.trials:
        return text + '<p class="note">The search evaluated no configuration.</p>'
    return text + draw(
        FigureSpec(
            "search_history",
            (result,),
            {},
            "The search's history",
            "The objective's mean over the search replications of each configuration, "
            "in the order first proposed: dots meet every constraint on their search "
            "means, crosses break one; rings mark the finalists; the line is the best "
            "search mean so far among those meeting the constraints.",
        )
    )


def _trial_rows(result: OptimisationResult, finalists_only: bool) -> list[list[str]]:
    rows = []
    for number, trial in enumerate(result.trials, start=1):
        if finalists_only and not trial.finalist:
            continue
        is_best = result.best is not None and dict(trial.params) == dict(result.best.params)
        rows.append(
            [
                f"{number}{' (best)' if is_best else ''}",
                _params(trial.params.items()),
                _number(trial.search.mean),
                _number(trial.objective.mean),
                _interval(trial.objective),
                str(trial.replications),
                *(_number(mean) for mean in trial.constraint_means[: len(result.constraints)]),
            ]
        )
    return rows


def _trial_headers(result: OptimisationResult, kpi: str) -> list[str]:
    unit = _unit(kpi)
    return [
        "trial",
        "configuration",
        f"search mean\n{unit}",
        f"mean, all replications\n{unit}",
        "95% interval",
        "replications",
        *(f"{text.split(' ')[0]} mean\n{_unit(text.split(' ')[0])}" for text in result.constraints),
    ]


def _finalists(result: OptimisationResult, kpi: str) -> str:
    rows = _trial_rows(result, finalists_only=True)
    if not rows:
        return '<p class="note">No finalists.</p>'
    text = (
        "<p>The configurations the selection compared, on fresh replications: the best "
        "whose search means met every constraint, padded with the least-violating. "
        "Their means here pool every replication they got (search, selection, and the "
        "final or sensitivity block where they had one); the selection's sequential "
        "stopping biases them, so the best's own estimates are those of the answer "
        "above.</p>"
    )
    return text + _table(
        _trial_headers(result, kpi), rows, "llrrrr" + "r" * len(result.constraints)
    )


def _sensitivity(result: OptimisationResult, kpi: str, draw: Figures) -> str:
    if not result.sensitivity:
        why = (
            "there is no best to look around"
            if result.best is None
            else "it was not computed (optimise(..., sensitivity=True), or the command "
            "line's --report)"
        )
        return f'<p class="note">No sensitivity: {esc(why)}.</p>'
    unit = _unit(kpi)
    text = (
        "<p>Each variable moved one step from the best, every other held at the best "
        "(an integer by 1, a real by 10 % of its range, a choice to each other value), "
        "simulated on the best's own final replications. The difference is the "
        "neighbour's objective minus the best's, paired replication by replication "
        "(common random numbers), with its 95 % Student-t interval. It shows how steep "
        "the objective is around the best, one variable at a time: it is local, says "
        "nothing of two variables changed together, and took runs outside the "
        "budget. A neighbour that looks better is not a contradiction of the selection "
        "when it breaks a constraint or lies within δ; otherwise it is worth a second "
        "look.</p>"
    )
    headers = [
        "variable",
        "best → neighbour",
        f"objective mean\n{unit}",
        f"difference to the best\n{unit}",
        "95% interval",
        *(f"{text.split(' ')[0]} mean" for text in result.constraints),
        "meets the constraints (on means)",
    ]
    rows = [
        [
            record.variable,
            f"{record.best_value} → {record.value}",
            _number(record.objective.mean),
            _number(record.difference.mean),
            _interval(record.difference),
            *(_number(mean) for mean in record.constraint_means),
            "yes" if record.meets_constraints else "no",
        ]
        for record in result.sensitivity
    ]
    figure = draw(
        FigureSpec(
            "sensitivity_chart",
            (result,),
            {},
            "Sensitivity around the best",
            "Each neighbour's paired difference to the best, largest first, with its "
            "95 % interval; red is worse than the best, blue better, hatched breaks a "
            "constraint on its means.",
        )
    )
    align = "llrrr" + "r" * len(result.constraints) + "l"
    return text + _table(headers, rows, align) + figure


def _trials(result: OptimisationResult, kpi: str) -> str:
    rows = _trial_rows(result, finalists_only=False)
    if not rows:
        return '<p class="note">No configuration was evaluated.</p>'
    return _table(_trial_headers(result, kpi), rows, "llrrrr" + "r" * len(result.constraints))


def _reproduce(result: OptimisationResult, command: str | None) -> str:
    settings = result.settings
    given = f"<p>The command that made this report:</p><pre>{esc(command)}</pre>" if command else ""
    defaults = {
        "alpha": 0.05,
        "n0": 8,
        "search_replications": 3,
        "max_search_replications": 12,
        "final_replications": 20,
    }
    if any(settings.get(name) != value for name, value in defaults.items()):
        return given + (
            "<p>The result was made with settings the command line does not take (α, "
            "n0 or the replications per phase, listed under the question): call "
            "<code>fieldtotable.optimise.optimise</code> with them and the same seed to "
            "reproduce it.</p>"
        )
    variables = " ".join(f"--var {text}" for text in settings.get("variables", []))
    direction, _, kpi = result.objective.partition(" ")
    constraints = " ".join(f"--subject-to '{text}'" for text in result.constraints)
    replay = (
        f"fieldtotable optimise scenario.yaml {variables} --{direction} {kpi} {constraints} "
        f"--budget {result.budget} --delta {settings.get('delta')!r} --seed "
        f"{settings.get('seed')} --batch {settings.get('batch', 1)} --report report.html"
    )
    return (
        given + "<p>The same search and selection (same seed, same settings, common random "
        "numbers, the scenario saved as scenario.yaml) from the command line:</p>"
        + f"<pre>{esc(' '.join(replay.split()))}</pre>"
    )
