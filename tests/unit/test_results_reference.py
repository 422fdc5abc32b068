"""The results reference (docs/reference/results.md): current, and complete for real runs."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from tools.reference_pages import REGENERATE_COMMAND
from tools.reference_pages.__main__ import main as regenerate
from tools.reference_pages.markdown import attribute_docs
from tools.reference_pages.results_page import (
    PAGE_PATH,
    breakdown_definitions,
    expand_keys,
    results_markdown,
)

import fieldtotable
from fieldtotable.experiment.compare import ComparisonResult
from fieldtotable.experiment.results import ExperimentResult, StoppingReport
from fieldtotable.experiment.statistics import Difference, Estimate, StoppingRule
from fieldtotable.experiment.sweep import SweepPoint, SweepResult
from fieldtotable.export import comparison_table_set, experiment_table_set, run_table_set
from fieldtotable.export.experiment_tables import EXPERIMENT_LABEL_COLUMNS
from fieldtotable.export.tables import LABEL_COLUMNS, RUN_TABLE_ROWS, RUN_TABLES
from fieldtotable.model.lot import STAGES
from fieldtotable.results import KPI_DEFINITIONS, STAGE_DEFINITIONS, RunResult, section
from fieldtotable.results.paths import kpi_unit

LEG_METRIC_DEFINITIONS = {key: (f.unit, f.definition) for key, f in section("by_leg").items()}
NODE_METRIC_DEFINITIONS = {key: (f.unit, f.definition) for key, f in section("by_node").items()}
MARKET_METRIC_DEFINITIONS = {key: (f.unit, f.definition) for key, f in section("by_market").items()}
DAILY_SERIES_DEFINITIONS = {key: (f.unit, f.definition) for key, f in section("daily").items()}

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / PAGE_PATH
RESULT_CLASSES = [
    RunResult,
    ExperimentResult,
    Estimate,
    StoppingReport,
    StoppingRule,
    ComparisonResult,
    Difference,
    SweepResult,
    SweepPoint,
]
DAYS = 20  # long enough for every breakdown to fill (trips, sales, pre-cooling)


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scenario() -> fieldtotable.Scenario:
    """The built-in baseline (collection points, hubs, a store and order streams), short."""
    return fieldtotable.apply_overrides(
        fieldtotable.builtin_scenario("baseline"), {"horizon_days": DAYS}
    )


@pytest.fixture(scope="module")
def run(scenario: fieldtotable.Scenario) -> RunResult:
    return fieldtotable.simulate(scenario, seed=0)


@pytest.fixture(scope="module")
def comparison(scenario: fieldtotable.Scenario) -> ComparisonResult:
    variant = fieldtotable.apply_overrides(scenario, {"scale": 2})
    return fieldtotable.compare(
        {"base": scenario, "double": variant}, n=2, executor="serial", progress=False
    )


# --- the page is what the code says ----------------------------------------------------


def test_page_is_up_to_date(page: str) -> None:
    assert page == results_markdown(), f"{PAGE_PATH} is stale; run {REGENERATE_COMMAND}"


def test_generation_is_deterministic() -> None:
    assert results_markdown() == results_markdown()


def test_regenerate_command_reports_no_stale_page() -> None:
    assert regenerate(["--check", "--root", str(ROOT)]) == 0


def test_regenerate_check_detects_a_stale_page(tmp_path: Path) -> None:
    stale = tmp_path / PAGE_PATH
    stale.parent.mkdir(parents=True)
    stale.write_text("old\n", encoding="utf-8")
    assert regenerate(["--check", "--root", str(tmp_path)]) == 1
    assert stale.read_text(encoding="utf-8") == "old\n"


# --- every definition is complete --------------------------------------------------------


def every_definition() -> Iterable[tuple[str, str, str]]:
    for key, (unit, meaning) in KPI_DEFINITIONS.items():
        yield "kpis", key, f"{unit}|{meaning}"
    for breakdown, definitions in breakdown_definitions().items():
        for key, (unit, meaning) in definitions.items():
            yield breakdown, key, f"{unit}|{meaning}"


@pytest.mark.parametrize(("where", "key", "text"), list(every_definition()))
def test_every_key_has_unit_and_meaning_on_the_page(
    page: str, where: str, key: str, text: str
) -> None:
    unit, meaning = text.split("|", 1)
    assert unit.strip(), f"{where}.{key} has no unit"
    assert meaning.strip(), f"{where}.{key} has no meaning"
    assert f"| `{key}` | {unit} |" in page, f"{where}.{key} is not on {PAGE_PATH}"


def test_stages_are_defined_in_order() -> None:
    assert tuple(STAGE_DEFINITIONS) == STAGES


@pytest.mark.parametrize("cls", RESULT_CLASSES, ids=lambda cls: cls.__name__)
def test_every_result_field_is_documented(page: str, cls: type) -> None:
    documented = attribute_docs(cls)
    match = re.search(rf"^##+ {cls.__name__}\n(.*?)(?=^##)", page + "\n##", re.S | re.M)
    assert match is not None, f"no section for {cls.__name__} on {PAGE_PATH}"
    section = match.group(1)
    for field in dataclasses.fields(cls):
        assert documented.get(field.name), f"{cls.__name__}.{field.name}: no Attributes entry"
        assert f"| `{field.name}` |" in section, f"{cls.__name__}.{field.name} not on the page"


def test_experiment_units_agree_with_the_definitions() -> None:
    """``kpi_unit`` (experiments, exports) reads the same units as the page."""
    for key, (unit, _) in LEG_METRIC_DEFINITIONS.items():
        assert kpi_unit(f"by_leg.some_leg.{key}") == unit
    for key, (unit, _) in NODE_METRIC_DEFINITIONS.items():
        assert kpi_unit(f"by_node.some_node.{key}") == unit
    for key, (unit, _) in KPI_DEFINITIONS.items():
        assert kpi_unit(key) == unit


# --- every key a real run produces is documented ------------------------------------------


def union(entries: Iterable[dict[str, float]]) -> set[str]:
    keys: set[str] = set()
    for entry in entries:
        keys |= set(entry)
    return keys


def test_kpi_keys(run: RunResult) -> None:
    assert list(run.kpis) == list(KPI_DEFINITIONS)


def test_stage_keys(run: RunResult) -> None:
    assert list(run.spoiled_kg_by_stage) == list(STAGE_DEFINITIONS)
    assert math.isclose(sum(run.spoiled_kg_by_stage.values()), run.kpis["spoiled_kg"])


def test_product_keys(run: RunResult) -> None:
    documented = expand_keys(list(breakdown_definitions()["by_product"]))
    assert run.by_product
    for product, values in run.by_product.items():
        assert list(values) == documented, product


def test_leg_keys(run: RunResult) -> None:
    assert run.by_leg
    for leg, values in run.by_leg.items():
        assert list(values) == list(LEG_METRIC_DEFINITIONS), leg


def test_node_keys(run: RunResult, scenario: fieldtotable.Scenario) -> None:
    assert set(run.by_node) == {*scenario.collection_points, *scenario.hubs}
    assert union(run.by_node.values()) == set(NODE_METRIC_DEFINITIONS)
    for node in scenario.hubs:
        assert "precooled_lots" not in run.by_node[node]


def test_market_keys(run: RunResult, scenario: fieldtotable.Scenario) -> None:
    kinds = {market.kind for market in scenario.markets.values()}
    assert kinds == {"store", "orders"}  # both kinds, so every key shows up
    assert union(run.by_market.values()) == set(MARKET_METRIC_DEFINITIONS)
    for market, values in run.by_market.items():
        assert set(values) <= set(MARKET_METRIC_DEFINITIONS), market


def daily_pattern(key: str) -> str:
    """The definition a daily key belongs to (``stock_kunming_dc_kg`` -> ``stock_<node>_kg``)."""
    for stage in STAGES:
        if key == f"spoiled_{stage}_kg":
            return "spoiled_<stage>_kg"
    match = re.fullmatch(r"stock_(.+)_kg", key)
    return "stock_<node>_kg" if match else key


def test_daily_keys(run: RunResult, scenario: fieldtotable.Scenario) -> None:
    patterns = [daily_pattern(key) for key in run.daily]
    assert set(patterns) == set(DAILY_SERIES_DEFINITIONS)
    stores = [m for m, market in scenario.markets.items() if market.kind == "store"]
    nodes = {*scenario.collection_points, *scenario.hubs, *stores}
    assert {key for key in run.daily if key.startswith("stock_")} == {
        f"stock_{node}_kg" for node in nodes
    }
    assert all(len(series) == DAYS for series in run.daily.values())


def test_remaining_at_sale(run: RunResult, page: str) -> None:
    for counts in run.remaining_at_sale.values():
        assert f"a list of {len(counts)} numbers" in page


def test_run_dict_has_every_documented_field(run: RunResult) -> None:
    documented = {field.name for field in dataclasses.fields(RunResult)} - {"flows"}
    # weather and parameters: written only when the scenario's climate varies or it
    # declares uncertain parameters.
    optional = {"parameters", *(() if run.weather else ("weather",))}
    assert set(run.to_dict()) == documented - optional
    with_parameters = dataclasses.replace(run, parameters={"products.x.q10": 2.5})
    assert set(with_parameters.to_dict()) == (documented - optional) | {"parameters"}


# --- every exported column is documented ---------------------------------------------------


def test_run_table_columns(run: RunResult) -> None:
    tables = run_table_set(run)
    assert list(tables) == list(RUN_TABLES) == list(RUN_TABLE_ROWS)
    definitions = breakdown_definitions()
    for name, table in tables.items():
        # pnl_by_market, pnl_by_product: keys of the breakdowns by_market, by_product
        keys = set(expand_keys(list(definitions.get(name.removeprefix("pnl_"), {}))))
        for column in table.columns:
            known = column in LABEL_COLUMNS or column in keys
            if name == "daily":
                known = known or daily_pattern(column) in DAILY_SERIES_DEFINITIONS
            assert known, f"{name}.{column} is not documented"


def test_experiment_table_columns(comparison: ComparisonResult) -> None:
    statistics = {f.name for cls in (Estimate, Difference) for f in dataclasses.fields(cls)}
    tables = {
        **{
            f"replicate.{k}": v for k, v in experiment_table_set(comparison.results["base"]).items()
        },
        **{f"compare.{k}": v for k, v in comparison_table_set(comparison).items()},
    }
    for name, table in tables.items():
        for column in table.columns:
            documented = (
                column in EXPERIMENT_LABEL_COLUMNS
                or column in statistics
                or column in KPI_DEFINITIONS
            )
            assert documented, f"{name}.{column} is not documented"


def test_sweep_table_columns(scenario: fieldtotable.Scenario, page: str) -> None:
    sweep = fieldtotable.sweep(
        fieldtotable.apply_overrides(scenario, {"horizon_days": 5}),
        {"scale": [1, 2]},
        n=2,
        executor="serial",
        progress=False,
    )
    from fieldtotable.export import sweep_table_set  # noqa: PLC0415

    for name, table in sweep_table_set(sweep).items():
        assert f"| sweep | `{name}` |" in page
        for column in table.columns:
            documented = (
                column in EXPERIMENT_LABEL_COLUMNS
                or column in sweep.parameters
                or column in {f.name for f in dataclasses.fields(Estimate)}
                or column in KPI_DEFINITIONS
            )
            assert documented, f"sweep {name}.{column} is not documented"
