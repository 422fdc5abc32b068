"""The report of replications of one scenario."""

from __future__ import annotations

import math
from collections.abc import Sequence

from fieldtotable.experiment.results import ExperimentResult
from fieldtotable.experiment.statistics import estimate
from fieldtotable.export.html import (
    esc,
    estimate_text,
    experiment_rows,
    html_table,
    interval_text,
)
from fieldtotable.report.common import (
    assumptions,
    footer,
    headline_cards,
    period,
    reproduce,
    version,
)
from fieldtotable.report.distributions import distributions_section
from fieldtotable.report.money import replications_money
from fieldtotable.report.page import FigureFormat, Figures, FigureSpec, Section, page, scroll
from fieldtotable.report.run import default_question
from fieldtotable.report.scenario_html import product_name, scenario_summary
from fieldtotable.results.fields import headline_kpis
from fieldtotable.scenario.schema import Scenario
from fieldtotable.tables import display_unit, format_number

__all__ = ["experiment_report"]


def _estimate_table(
    rows: Sequence[tuple[str, Sequence[float]]], unit: str, confidence: float, header: str
) -> str:
    body = []
    for label, values in rows:
        found = estimate(values, confidence)
        body.append([label, estimate_text(found, unit), interval_text(found, unit)])
    level = f"{confidence * 100:g}%"
    headers = [header, f"mean ± half-width\n{unit}", f"{level} interval\n{unit}"]
    return scroll(html_table(headers, body))


def experiment_report(
    result: ExperimentResult,
    scenario: Scenario,
    *,
    question: str | None = None,
    command: str | None = None,
    figures: FigureFormat = "svg",
) -> str:
    """Return a self-contained HTML report of replications of one scenario.

    Parameters
    ----------
    result
        The replications (from :func:`fieldtotable.replicate`).
    scenario
        The scenario replicated.
    question, command, figures
        As for :func:`run_report`.

    Returns
    -------
    str
        One HTML document: every KPI with its confidence interval, spoilage by stage,
        the profit and loss (waterfall of the means, profit by market, cost per kg sold
        by stage, with intervals) and KPIs by product over the replications, the
        scenario, figures of replication 0, assumptions and how to reproduce the numbers.
    """
    fig = Figures(figures)
    level = f"{result.confidence * 100:g}%"
    first = result.runs[0]
    # Drawn first: the section comes right after the KPIs, and figures are numbered
    # in the order they are drawn.
    distributions = distributions_section({result.scenario_name: result}, fig)
    waterfall = fig(
        FigureSpec(
            "spoilage_waterfall",
            (first,),
            {"scenario": scenario},
            "Where the harvest goes, replication 0",
            "One sample path: from kg harvested, what is rejected, spoiled at each stage, "
            "sold or left in the channel. The table above gives the means over all "
            "replications.",
        )
    )
    money = replications_money(result, scenario, fig)  # its figure comes before the map
    network = fig(
        FigureSpec(
            "network_map",
            (first,),
            {"scenario": scenario},
            "The channel",
            "Sources, collection points, hubs and markets, with the legs between them "
            "drawn by transport mode (flows of replication 0).",
        )
    )
    headers = ["KPI", "unit", "mean ± half-width", f"{level} interval", "sd"]
    kpis = scroll(html_table(headers, experiment_rows(result), align="llrrr", raw=True))
    cards = {}
    for key in headline_kpis():
        if key in result.kpis:
            found = result.kpis[key]
            unit = display_unit(key)
            half = format_number(found.half_width, unit)
            cards[key] = (format_number(found.mean, unit), f"± {half} ({level} interval)")
    stages = _estimate_table(
        [
            (stage, [run.spoiled_kg_by_stage.get(stage, math.nan) for run in result.runs])
            for stage in first.spoiled_kg_by_stage
        ],
        "kg",
        result.confidence,
        "stage",
    )
    products = _estimate_table(
        [
            (
                product_name(scenario, product),
                [
                    run.by_product.get(product, {}).get("spoilage_rate", math.nan)
                    for run in result.runs
                ],
            )
            for product in first.by_product
        ],
        "%",
        result.confidence,
        "product: spoilage rate",
    )
    command_replay = [
        "fieldtotable",
        "replicate",
        "scenario.yaml",
        "-n",
        str(result.n),
        "--seed",
        str(result.seed),
        "--report",
        "report.html",
    ]
    python = (
        "from fieldtotable import load_scenario, replicate\n"
        f'result = replicate(load_scenario("scenario.yaml"), n={result.n}, seed={result.seed})'
    )
    sections = [
        Section("headline", "Key figures", headline_cards(cards)),
        Section("kpis", "All KPIs", kpis),
        Section(
            "distributions",
            "Distributions and tails",
            distributions,
        ),
        Section("spoilage", "Where spoilage happens", stages + waterfall),
        Section("money", "Profit and loss", money),
        Section("products", "By product", products),
        Section("scenario", "The scenario", network + scenario_summary(scenario)),
        Section(
            "assumptions",
            "Assumptions",
            assumptions(
                [("", scenario, result.scenario_hash)],
                seeds=f"{result.seed} (replication i uses seed {result.seed}, replication i)",
                replications=f"{result.n} independent replications",
                statistics=[
                    (
                        "Intervals",
                        f"{level} confidence intervals: mean ± t · sd / √n (Student t, "
                        "n \N{MINUS SIGN} 1 degrees of freedom)",
                    )
                ],
            ),
        ),
        Section(
            "reproduce",
            "Reproduce",
            reproduce(
                command=command,
                replay=command_replay,
                python=python,
                files=[("scenario.yaml", scenario, result.scenario_hash)],
            ),
        ),
    ]
    meta = esc(
        f"{result.n} replications · seed {result.seed} · {period(scenario)} · "
        f"fieldtotable {version()}"
    )
    return page(
        title=scenario.name,
        kicker="fieldtotable · replications report",
        question=question or default_question(scenario),
        meta=meta,
        sections=sections,
        footer=footer([result.scenario_hash]),
    )
