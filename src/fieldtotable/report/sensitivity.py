"""The report of a global sensitivity analysis: per KPI, the ranked indices and a tornado.

::

    from fieldtotable.report import sensitivity_report, write_report
    from fieldtotable.sensitivity import global_sensitivity

    result = global_sensitivity(scenario, parameters, ["spoilage_rate"], method="morris")
    write_report(sensitivity_report(result, scenario=scenario), "sensitivity.html")

One self-contained HTML page: the question, the parameters with their ranges and
the design (method, sample size, runs, seed, replications), then per KPI a table of
the indices, most important first, and a tornado chart (Sobol: ST and S1 with their
intervals; Morris: mu* with its interval), what the indices mean, and how to
reproduce the result.
"""

from __future__ import annotations

import math

from fieldtotable.export.html import esc, html_table
from fieldtotable.report.common import facts, footer, version
from fieldtotable.report.page import FigureFormat, Figures, FigureSpec, Section, page, scroll
from fieldtotable.results.paths import kpi_unit
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario
from fieldtotable.sensitivity.indices import (
    KpiSensitivity,
    MorrisIndices,
    SensitivityResult,
    SobolIndices,
)

__all__ = ["sensitivity_report"]

_NOTHING = "\N{EN DASH}"

_SOBOL_MEANING = (
    "<p>Every parameter varies uniformly over its range, all at once. The "
    "<strong>first-order index S1</strong> is the share of the KPI's variance that the "
    "parameter explains on its own; the <strong>total index ST</strong> adds every "
    "interaction it takes part in. ST near 0: the parameter can be fixed anywhere in its "
    "range. ST well above S1: it acts through interactions. The intervals are bootstrap "
    "intervals of the estimates (Saltelli 2010; SALib, Herman &amp; Usher 2017); "
    "slightly negative estimates of a small index are sampling error.</p>"
)
_MORRIS_MEANING = (
    "<p>Morris screening (Morris 1991; Campolongo et al. 2007): trajectories through a "
    "grid of the ranges, one parameter moved at a time. <strong>mu*</strong> is the mean "
    "absolute change of the KPI when one parameter moves across its range (in the "
    "KPI's unit): it ranks the parameters. <strong>mu</strong> keeps the sign (the "
    "direction of the effect); <strong>sigma</strong> large next to mu* means the effect "
    "depends on the other parameters (interactions) or is not linear. Morris ranks; it "
    "does not apportion the variance (use Sobol for that).</p>"
)


def _number(value: float) -> str:
    return _NOTHING if not math.isfinite(value) else f"{value:.4g}"


def _plus_minus(value: float, conf: float) -> str:
    return f"{_number(value)} ± {_number(conf)}"


def _table(found: KpiSensitivity, result: SensitivityResult) -> str:
    ranked = found.ranked()
    low_high = result.parameters
    if result.method == "sobol":
        headers = ["rank", "parameter", "range", "ST ± half-width", "S1 ± half-width"]
        rows = [
            [
                str(rank),
                indices.parameter,
                f"{low_high[indices.parameter][0]:g} .. {low_high[indices.parameter][1]:g}",
                _plus_minus(indices.st, indices.st_conf),
                _plus_minus(indices.s1, indices.s1_conf),
            ]
            for rank, indices in enumerate(ranked, 1)
            if isinstance(indices, SobolIndices)
        ]
        align = "rllrr"
    else:
        unit = kpi_unit(found.kpi)
        headers = [
            "rank",
            "parameter",
            "range",
            f"mu* ± half-width\n{unit}",
            f"mu\n{unit}",
            f"sigma\n{unit}",
        ]
        rows = [
            [
                str(rank),
                indices.parameter,
                f"{low_high[indices.parameter][0]:g} .. {low_high[indices.parameter][1]:g}",
                _plus_minus(indices.mu_star, indices.mu_star_conf),
                _number(indices.mu),
                _number(indices.sigma),
            ]
            for rank, indices in enumerate(ranked, 1)
            if isinstance(indices, MorrisIndices)
        ]
        align = "rllrrr"
    return scroll(html_table(headers, rows, align=align))


def _kpi_section(found: KpiSensitivity, result: SensitivityResult, draw: Figures) -> str:
    unit = kpi_unit(found.kpi)
    spread = (
        f"<p>Over the sample points the KPI has mean {_number(found.output_mean)} and "
        f"standard deviation {_number(found.output_sd)} {esc(unit)}.</p>"
    )
    if found.output_sd == 0:
        return spread + '<p class="note">No parameter moved this KPI: every index is 0.</p>'
    figure = draw(
        FigureSpec(
            "sensitivity_indices_chart",
            (result,),
            {"kpi": found.kpi},
            f"What moves {found.kpi}",
            "Parameters by importance, largest on top, with confidence intervals.",
        )
    )
    return spread + _table(found, result) + figure


def sensitivity_report(
    result: SensitivityResult,
    *,
    scenario: Scenario | None = None,
    command: str | None = None,
    figures: FigureFormat = "svg",
) -> str:
    """Return a self-contained HTML report of one global sensitivity analysis.

    Parameters
    ----------
    result
        What :func:`~fieldtotable.sensitivity.global_sensitivity` returned.
    scenario
        The scenario analysed, for the title and the footer's hash; optional.
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
    parameters = scroll(
        html_table(
            ["parameter", "low", "high"],
            [[path, f"{low:g}", f"{high:g}"] for path, (low, high) in result.parameters.items()],
            align="lrr",
        )
    )
    design = facts(
        [
            ("method", result.method),
            (
                "sample size" if result.method == "sobol" else "trajectories",
                str(result.n),
            ),
            ("sample points", str(result.evaluations)),
            ("simulation runs", str(result.runs)),
            ("replications per point", str(result.replications)),
            ("seed", str(result.seed)),
            ("confidence", f"{result.confidence:.0%}"),
            ("wall time", f"{result.wall_time_s:.1f} s"),
        ]
    )
    noise = (
        "<p>Every sample point runs the same replication indices with the same seed "
        "(common random numbers), so points differ by their parameters, not by their "
        f"luck; each point's KPI is the mean of its {result.replications} replication(s). "
        "The indices of a stochastic model still hold some of its noise (the noise is "
        "not the same function of every parameter); more replications shrink it.</p>"
    )
    sections = [
        Section("design", "Parameters and design", parameters + design + noise),
        Section(
            "meaning",
            "What the indices mean",
            _SOBOL_MEANING if result.method == "sobol" else _MORRIS_MEANING,
        ),
        *(
            Section(f"kpi-{index}", f"Indices of {found.kpi}", _kpi_section(found, result, draw))
            for index, found in enumerate(result.kpis)
        ),
        Section(
            "reproduce",
            "Reproduce",
            f"<p>The command that made this report:</p><pre>{esc(command)}</pre>"
            if command
            else "<p>Run the same analysis with the same seed: the design and every run are "
            "the same.</p>",
        ),
    ]
    name = scenario.name if scenario is not None else result.model
    kpis = ", ".join(found.kpi for found in result.kpis)
    return page(
        title=f"Sensitivity: {kpis}",
        kicker=f"fieldtotable · global sensitivity report · {name}",
        question=f"Which uncertain parameters of {name} move {kpis} the most?",
        meta=esc(
            f"{result.method} · {result.evaluations} points · {result.runs} runs · "
            f"seed {result.seed} · fieldtotable {version()}"
        ),
        sections=sections,
        footer=footer([] if scenario is None else [scenario_hash(scenario)]),
    )
