"""The results reference (``docs/reference/results.md``), generated from the code.

Every KPI, every field of :class:`~fieldtotable.RunResult` and of the experiment
results, the keys inside each breakdown and the columns of the exported tables, with
units and meanings. The text comes from the definition constants next to the code
that produces the keys (the result-field registry,
:mod:`fieldtotable.results.fields`, and the node kinds' statistics), from the ``Attributes``
sections of the result classes' docstrings, and from the table builders of
:mod:`fieldtotable.export` run on a placeholder result; nothing is written twice.
Regenerate with ``python -m tools.reference_pages``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from tools.reference_pages.markdown import dataclass_rows, inline, summary_paragraphs, table, wrap

from fieldtotable.experiment.compare import ComparisonResult
from fieldtotable.experiment.results import ExperimentResult, StoppingReport, summarize_runs
from fieldtotable.experiment.statistics import Difference, Estimate, StoppingRule
from fieldtotable.experiment.sweep import SweepPoint, SweepResult
from fieldtotable.export.experiment_tables import (
    EXPERIMENT_LABEL_COLUMNS,
    comparison_table_set,
    experiment_table_set,
    sweep_table_set,
)
from fieldtotable.export.files import METADATA_FILE
from fieldtotable.export.tables import LABEL_COLUMNS, RUN_TABLE_ROWS, Table, run_table_set
from fieldtotable.model.lot import STAGES
from fieldtotable.results import REMAINING_BINS, STAGE_DEFINITIONS, RunResult
from fieldtotable.results.fields import KPIS, SECTIONS, ResultField, section
from fieldtotable.results.money_stages import COST_STAGE_DEFINITIONS, COST_STAGES

__all__ = [
    "PAGE_PATH",
    "breakdown_definitions",
    "example_run",
    "expand_keys",
    "results_markdown",
]

PAGE_PATH = "docs/reference/results.md"
"""Where the page lives, relative to the repository root."""

_PLACEHOLDER_KPI = "sold_kg"
"""The KPI the placeholder experiments summarise (shown as ``<kpi>``)."""


def breakdown_definitions() -> dict[str, dict[str, tuple[str, str]]]:
    """Return the unit and meaning of every key of every breakdown of a run.

    Returns
    -------
    dict of str to dict of str to tuple of (str, str)
        Per :class:`~fieldtotable.RunResult` field (``spoiled_kg_by_stage``,
        ``by_product``, ``by_leg``, ``by_node``, ``by_market``, ``daily``), key to
        ``(unit, meaning)``, from the registry. Keys that depend on the scenario are
        patterns: ``spoiled_kg_<stage>``, ``stock_<node>_kg``.

    Raises
    ------
    RuntimeError
        If a stage has no definition.
    """
    if tuple(STAGE_DEFINITIONS) != STAGES:
        raise RuntimeError("reference: STAGE_DEFINITIONS must list every stage of STAGES")
    return {
        name: {key: (found.unit, found.definition) for key, found in section(name).items()}
        for name in SECTIONS
        if name != "kpis"
    }


def example_run() -> RunResult:
    """Return a placeholder run holding every key once (ids such as ``<product>``).

    Returns
    -------
    RunResult
        All values 0; one product, leg, node and market, each named by a
        placeholder; daily series named by the patterns of the registry's section
        ``daily``.
    """
    definitions = breakdown_definitions()

    def zeros(keys: Mapping[str, object]) -> dict[str, float]:
        return dict.fromkeys(keys, 0.0)

    product = {
        **{key: 0.0 for key in definitions["by_product"] if key != "spoiled_kg_<stage>"},
        **{f"spoiled_kg_{stage}": 0.0 for stage in STAGES},
    }
    return RunResult(
        scenario_name="<scenario>",
        seed=0,
        replication=0,
        horizon_days=1,
        warmup_days=0,
        kpis=zeros(KPIS),
        spoiled_kg_by_stage=zeros(STAGE_DEFINITIONS),
        by_product={"<product>": product},
        by_leg={"<leg>": zeros(definitions["by_leg"])},
        by_node={"<node>": zeros(definitions["by_node"])},
        by_market={"<market>": zeros(definitions["by_market"])},
        daily={key: [0.0] for key in definitions["daily"]},
        remaining_at_sale={"<product>": [0.0] * REMAINING_BINS},
        events_processed=0,
    )


def _example_experiment() -> ExperimentResult:
    return summarize_runs(
        [example_run(), example_run()],
        [_PLACEHOLDER_KPI],
        scenario_name="<scenario>",
        scenario_hash="",
        seed=0,
        confidence=0.95,
    )


def _code(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _definition_rows(definitions: Mapping[str, tuple[str, str]]) -> list[list[str]]:
    return [[f"`{key}`", unit, inline(meaning)] for key, (unit, meaning) in definitions.items()]


# --------------------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------------------

_INTRO = """\
# Results reference

<!-- Generated from the code by tools.reference_pages.results_page.results_markdown();
     do not edit. Regenerate with:  python -m tools.reference_pages -->

What a simulation returns, key by key, with units. `simulate(scenario, seed=...)`
returns a [`RunResult`](#runresult); `replicate`, `compare` and `sweep` return an
[`ExperimentResult`](#experimentresult), a [`ComparisonResult`](#comparisonresult)
and a [`SweepResult`](#sweepresult). The same keys name the columns of the exported
tables ([Export files](#export-files)) and the values in `fieldtotable run --json`.

Conventions: mass in kg, money in CNY, time in hours (`_h`) or days (`_d`), CO2 in kg.
A `fraction` is a number in [0, 1] (`spoilage_rate` 0.106, not 10.6 %). KPIs and
breakdowns are measured after the scenario's `warmup_days` unless the meaning says
*whole horizon*; daily series cover the whole horizon. A ratio over nothing (a fill
rate with no demand) is NaN in Python and `null` in JSON. Mass balance, checked after
every run over the whole horizon: `harvested = rejected + refused + spoiled + sold +
in_system_end` (to 1e-6 relative). With a warm-up the measured days balance too:
`in_system_kg_warmup_end + harvested_kg = rejected_kg + refused_kg + spoiled_kg +
sold_kg + in_system_kg_end`, per product as well.

This page is generated from the definitions next to the code that produces each key
(the result-field registry of `fieldtotable.results.fields`, the node kinds of
`fieldtotable.model.nodes`, `fieldtotable.export`) and the docstrings of the result
classes, so it lists exactly what the code produces.
"""


def _shown(found: ResultField) -> str:
    return ", ".join(
        name for name, flag in (("headline", found.headline), ("sweep", found.sweep)) if flag
    )


def _kpi_rows() -> list[list[str]]:
    return [
        [
            f"`{key}`",
            found.unit,
            inline(found.title),
            found.better or "—",
            found.aggregation,
            _shown(found) or "—",
            inline(found.definition),
        ]
        for key, found in KPIS.items()
    ]


def _kpi_section() -> list[str]:
    lines = [
        "## KPIs",
        "",
        wrap(
            "The keys of `RunResult.kpis`, in this order: the result-field registry "
            "(`fieldtotable.results.fields.KPIS`; `fieldtotable.KPI_DEFINITIONS` maps each "
            "key to its unit and meaning). Experiments summarise these keys by default. "
            "*Label* is the name tables, reports and figures show; *better* the direction "
            "that is better for a planner (comparisons call a significant change better or "
            "worse by it); *aggregation* how the number combines across products, markets "
            "or nodes (`sum` adds up, `ratio` is recomputed from its summed parts, `max` is a "
            "peak, `level` a quantity at one moment or a setting); *shown* whether reports "
            "and comparison figures lead with it (`headline`) and sweep tables show it "
            "unless told otherwise (`sweep`). A KPI is added with "
            "`fieldtotable.results.register_kpi` (its field and its computation)."
        ),
        "",
    ]
    headers = ["key", "unit", "label", "better", "aggregation", "shown", "meaning"]
    return [*lines, *table(headers, _kpi_rows()), ""]


_BREAKDOWN_TEXT = {
    "spoiled_kg_by_stage": "Spoiled kg by the stage where the shelf life ran out. The four "
    "stages add up to the `spoiled_kg` KPI.",
    "by_product": "Per product id, the KPIs that make sense per product (the registry's "
    "`per_product` KPIs) and the spoiled kg of each stage "
    "(`spoiled_kg_collection`, `spoiled_kg_transit`, `spoiled_kg_hub`, `spoiled_kg_market`).",
    "by_leg": "Per leg id (`fieldtotable.results.section('by_leg')`).",
    "by_node": "Per place id: collection points, hubs and the `nodes` of kinds added by "
    "code. Each kind reports its own statistics, declared where the kind is registered "
    "(`fieldtotable.model.nodes`); the keys of the built-in kinds follow. Hubs have no "
    "pre-cooling keys.",
    "by_market": "Per market id (`fieldtotable.results.section('by_market')`); order "
    "streams have no shelf keys.",
    "daily": "Daily series over the whole horizon, warm-up included: index *i* is day *i* "
    "(`fieldtotable.results.section('daily')`). `<stage>` stands for each stage "
    "of `spoiled_kg_by_stage`, `<node>` for each place and store.",
}


def _run_section() -> list[str]:
    lines = ["## RunResult", ""]
    lines += [wrap(paragraph) + "\n" for paragraph in summary_paragraphs(RunResult)]
    lines += [
        wrap(
            "`fieldtotable.RunResult`: frozen; `to_dict()` / `to_json()` give every field "
            "but `flows` as plain data, `to_pandas(table)` the [export tables](#run-tables)."
        ),
        "",
        *table(["field", "type", "meaning"], dataclass_rows(RunResult)),
        "",
    ]
    for name, definitions in breakdown_definitions().items():
        lines += [f"### {name}", "", wrap(_BREAKDOWN_TEXT[name]), ""]
        lines += [*table(["key", "unit", "meaning"], _definition_rows(definitions)), ""]
    lines += [
        "### remaining_at_sale",
        "",
        wrap(
            f"Per product id, a list of {REMAINING_BINS} numbers: the kg sold after the "
            "warm-up whose labelled remaining fraction of shelf life at sale (`1 - "
            f"consumed`, what markdown rules look at) fell in each of {REMAINING_BINS} "
            f"equal bins: bin 0 holds [0, {1 / REMAINING_BINS:g}), the last "
            f"[{1 - 1 / REMAINING_BINS:g}, 1]. Unit: kg per bin."
        ),
        "",
        "### Dotted KPI paths",
        "",
        wrap(
            "Experiments (`replicate(..., kpis=...)`, `--kpi KEY`) take a KPI key or a "
            "dotted path into a breakdown: `by_product.<product>.<key>`, "
            "`by_leg.<leg>.<key>`, `by_node.<node>.<key>`, `by_market.<market>.<key>`, "
            "`spoiled_kg_by_stage.<stage>`, e.g. `by_product.matsutake.spoilage_rate`."
        ),
        "",
    ]
    return lines


def _experiment_section() -> list[str]:
    lines = ["## Experiment results", ""]
    lines += [
        wrap(
            "Frozen dataclasses in `fieldtotable.experiment`. Equality compares every "
            "field but wall times, with NaN equal to NaN; `to_dict()` / `to_json()` give "
            "plain data (runs left out). `to_pandas(table=None)` has one signature on "
            "every result type: without a name it returns the type's main table "
            "(`RunResult`: `kpis`, `ExperimentResult`: `replications`, `ComparisonResult`: "
            "`differences`, `SweepResult`: `replications`), with a name that table, "
            '`runs_<name>` every run\'s table stacked, and `"all"` a dict of every table.'
        ),
        "",
    ]
    classes: list[type] = [
        ExperimentResult,
        Estimate,
        StoppingReport,
        StoppingRule,
        ComparisonResult,
        Difference,
        SweepResult,
        SweepPoint,
    ]
    for cls in classes:
        lines += [f"### {cls.__name__}", ""]
        lines += [wrap(paragraph) + "\n" for paragraph in summary_paragraphs(cls)[:1]]
        lines += [*table(["field", "type", "meaning"], dataclass_rows(cls)), ""]
    return lines


def expand_keys(keys: Sequence[str]) -> list[str]:
    """Return the keys with ``<stage>`` replaced by each stage (other patterns kept).

    Parameters
    ----------
    keys
        Breakdown keys, some of them patterns such as ``spoiled_kg_<stage>``.

    Returns
    -------
    list of str
        The keys, each ``<stage>`` pattern replaced by one key per stage.
    """
    expanded: list[str] = []
    for key in keys:
        if "<stage>" in key:
            expanded += [key.replace("<stage>", stage) for stage in STAGES]
        else:
            expanded.append(key)
    return expanded


def _run_columns(name: str, tab: Table) -> str:
    """Return the columns of a run table in words: label columns, then breakdown keys."""
    definitions = list(breakdown_definitions().get(name, {}))
    keys = {*definitions, *expand_keys(definitions)}
    labels = [column for column in tab.columns if column not in keys]
    if not keys:
        return _code(labels)
    what = "series" if name == "daily" else "key"
    return f"{_code(labels)}, then every {what} of [{name}](#{name})"


def _experiment_columns(tab: Table, statistics: type | None) -> str:
    parts: list[str] = []
    names = [field.name for field in dataclasses.fields(statistics)] if statistics else []
    for column in tab.columns:
        if column == _PLACEHOLDER_KPI:
            parts.append("one column per KPI")
        elif column == "<parameter>":
            parts.append("one column per swept parameter (its path)")
        elif column in names and statistics is not None:
            if column == names[0]:
                parts.append(
                    f"the fields of [{statistics.__name__}](#{statistics.__name__.lower()})"
                )
        else:
            parts.append(f"`{column}`")
    return ", ".join(parts)


_EXPORT_SAFETY = [
    wrap(
        "An export is written all-or-nothing: every file goes first into a temporary "
        "folder beside its place (inside `DIR` when `DIR` already exists), is flushed to "
        "disk, and is moved into place only when all of them are written. If one cannot "
        "be written (the disk is full, permission is refused), the temporary folder and "
        "any folder made for it are removed, files already in `DIR` are left as they "
        "were, and the command line prints one line (`fieldtotable run: error: argument "
        "--out: cannot write to DIR: No space left on device`) and exits 2. Other files "
        "in `DIR` are kept; files of the same names are replaced. HTML reports "
        "(`--report`, `report -o`) are written the same way, to a temporary file moved "
        "into place."
    ),
    "",
    wrap(
        "**CSV and spreadsheets.** A CSV cell that starts with `=`, `+`, `-` or `@` (or a "
        "tab or a carriage return) is read by spreadsheet programs as a formula, which "
        "can run commands or send data away ([CSV injection, "
        "OWASP](https://owasp.org/www-community/attacks/CSV_Injection)). Node, product, "
        "leg and market ids are free text, so the CSV files put a single quote `'` before "
        "every *text* cell (header cells included) that starts with one of those "
        "characters: a product `=cmd` is written `'=cmd`, which a spreadsheet shows as the "
        "text `=cmd`. Numbers are never changed (`-1.5` stays `-1.5`), and JSON and "
        "Parquet files hold the ids exactly as they are. A text that itself starts with "
        "quotes followed by one of those characters gets one more quote, so "
        "`read_csv_table` (and `fieldtotable.export.files.restore_csv_text`) give back "
        "the original text exactly; a CSV reader of your own should remove one leading "
        "`'` from such cells."
    ),
    "",
]


def _export_section() -> list[str]:
    run_tables = run_table_set(example_run())
    lines = [
        "## Export files",
        "",
        wrap(
            "`--out DIR` on `fieldtotable run`, `report` and the experiment commands, "
            "`fieldtotable.export.write_run` (and `write_experiment`, `write_comparison`, "
            "`write_sweep`) write one file per table and format (`NAME.csv`, `NAME.json`, "
            f"`NAME.parquet`) and `{METADATA_FILE}` (what was exported, the scenario hash, "
            "every table's columns and types, the unit and meaning of every KPI). "
            "`to_pandas()` returns the same tables as data frames. Column names are the "
            "keys above; undefined numbers are empty CSV cells and JSON `null`."
        ),
        "",
        *_EXPORT_SAFETY,
        "### Run tables",
        "",
    ]
    rows = [
        [f"`{name}`", RUN_TABLE_ROWS[name], _run_columns(name, tab)]
        for name, tab in run_tables.items()
    ]
    lines += [*table(["table", "one row per", "columns"], rows), ""]
    label_rows = [
        [f"`{column}`", unit or "—", inline(meaning)]
        for column, (unit, meaning) in LABEL_COLUMNS.items()
    ]
    lines += ["Columns that are not KPIs or breakdown keys:", ""]
    lines += [*table(["column", "unit", "meaning"], label_rows), ""]

    experiment = _example_experiment()
    point = SweepPoint(0, {"<parameter>": 1}, "<parameter>=1", experiment)
    sweep = SweepResult("<scenario>", ("<parameter>",), (point,), 0, 2, 0.95)
    comparison = ComparisonResult.build(
        {"<baseline>": experiment, "<configuration>": experiment},
        "<baseline>",
        seed=0,
        confidence=0.95,
    )
    sets = {
        "replicate": experiment_table_set(experiment),
        "compare": comparison_table_set(comparison),
        "sweep": sweep_table_set(sweep),
    }
    statistics = {"summary": Estimate, "differences": Difference, "cost_by_stage": Estimate}
    rows = [
        [kind, f"`{name}`", _experiment_columns(tab, statistics.get(name))]
        for kind, tables in sets.items()
        for name, tab in tables.items()
    ]
    lines += [
        "### Experiment tables",
        "",
        wrap(
            "With `runs=True` (`write_experiment(..., runs=True)`) every run table "
            "`<name>` is also written stacked as `runs_<name>`: the experiment's label "
            "columns (`configuration` or `point` and the parameters), `replication`, "
            "then the run table's columns."
        ),
        "",
        *table(["experiment", "table", "columns"], rows),
        "",
        "Columns that are not statistics or KPIs:",
        "",
        *table(
            ["column", "meaning"],
            [[f"`{column}`", inline(text)] for column, text in EXPERIMENT_LABEL_COLUMNS.items()],
        ),
        "",
    ]
    return lines


def _stage_cost_section() -> list[str]:
    rows = [[f"`{stage}`", inline(COST_STAGE_DEFINITIONS[stage])] for stage in COST_STAGES]
    return [
        "### Cost per kg sold by stage",
        "",
        wrap(
            "`RunResult.cost_cny_by_stage` splits `total_cost_cny` into stages along the "
            "channel (`fieldtotable.simulate` computes it with "
            "`fieldtotable.results.money_stages.cost_by_stage(result, scenario)`); each "
            "stage divided by `sold_kg` gives its cost per kg sold, and the stages add up "
            "to `total_cost_cny` and `total_cost_per_kg_sold_cny`. Yearly amounts (capital "
            "annuities, fixed costs) are charged pro rata over the measured days, in full "
            "whatever the activity, so the scenario says which stage they belong to. The "
            "run table `cost_by_stage` and the experiment tables `cost_by_stage` (the cost "
            "per kg sold of each stage with its confidence interval) export it; the run, "
            "replications, comparison and sweep reports show it."
        ),
        "",
        *table(["stage", "holds"], rows),
        "",
    ]


def results_markdown() -> str:
    """Return the results reference, as Markdown.

    Returns
    -------
    str
        The text of ``docs/reference/results.md``: the KPIs, the fields of
        :class:`~fieldtotable.RunResult` and the keys of its breakdowns, the
        experiment results and the columns of the exported tables.
    """
    lines = [_INTRO, *_kpi_section(), *_stage_cost_section(), *_run_section()]
    lines += [*_experiment_section(), *_export_section()]
    return "\n".join(lines).rstrip("\n") + "\n"
