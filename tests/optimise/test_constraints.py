"""Objective and constraints: KPIs of the registry, directions, --subject-to texts, slack."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable import Scenario, load_scenario
from fieldtotable.optimise import (
    Constraint,
    Integer,
    Objective,
    SearchSpace,
    SpecificationError,
    check_specification,
    parse_constraint,
    parse_constraints,
    resolve_objective,
)
from fieldtotable.optimise.phases import default_tolerance
from fieldtotable.results.field import ResultField
from fieldtotable.results.fields import KPIS, register_kpi, unregister_kpi

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario(SCENARIOS / "baseline_2023.yaml")


def one_line(error: SpecificationError) -> str:
    assert len(error.problems) == 1
    text = str(error)
    assert "\n" not in text
    return text


# --- the objective -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi", "direction"),
    [
        ("profit_cny", "maximise"),
        ("fill_rate", "maximise"),
        ("spoilage_rate", "minimise"),
        ("co2_kg", "minimise"),
        ("by_product.matsutake.spoilage_rate", "minimise"),
    ],
)
def test_the_direction_defaults_to_the_registrys_better_side(kpi: str, direction: str) -> None:
    assert resolve_objective(kpi) == Objective(kpi, direction)  # type: ignore[arg-type]


def test_every_kpi_makes_an_objective_or_asks_for_a_direction() -> None:
    directions = {"higher": "maximise", "lower": "minimise"}
    for key, found in KPIS.items():
        if found.better is None:
            with pytest.raises(SpecificationError, match="say which"):
                resolve_objective(key)
        else:
            assert resolve_objective(key).direction == directions[found.better]


def test_a_given_direction_wins_over_the_registry() -> None:
    assert resolve_objective("spoilage_rate", "maximise").direction == "maximise"
    assert resolve_objective("demand_kg", "minimise") == Objective("demand_kg", "minimise")


def test_optuna_spells_the_direction_its_own_way() -> None:
    assert Objective("profit_cny", "maximise").optuna_direction == "maximize"
    assert Objective("co2_kg", "minimise").optuna_direction == "minimize"


def test_better_follows_the_direction_and_never_prefers_nan() -> None:
    maximise, minimise = Objective("profit_cny", "maximise"), Objective("co2_kg", "minimise")
    assert maximise.better(2.0, 1.0)
    assert not maximise.better(1.0, 1.0)
    assert minimise.better(1.0, 2.0)
    assert not minimise.better(math.nan, 2.0)
    assert minimise.better(2.0, math.nan)


def test_the_unit_comes_from_the_registry() -> None:
    assert Objective("profit_cny", "maximise").unit == "CNY"
    assert Constraint("spoilage_rate", "<=", 0.08).unit == "fraction"


@pytest.mark.parametrize(
    ("kpi", "direction", "expected"),
    [
        ("profit", "maximise", "--maximise profit: unknown KPI 'profit'; did you mean "
                               "'profit_cny'?"),
        ("profit", None, "objective profit: unknown KPI 'profit'; did you mean 'profit_cny'?"),
        ("profit_cny", "maximize", "objective profit_cny: direction must be 'maximise' or "
                                   "'minimise' (got 'maximize'); did you mean 'maximise'?"),
        ("profit_cny", "up", "objective profit_cny: direction must be 'maximise' or 'minimise' "
                             "(got 'up')"),
        ("demand_kg", None, "objective demand_kg: the registry calls neither higher nor lower "
                            "better for this KPI; say which: direction='maximise' or 'minimise' "
                            "(--maximise or --minimise)"),
        ("", "minimise", "--minimise : a KPI must be a non-empty text (got '')"),
        ("zzz", "minimise", "--minimise zzz: unknown KPI 'zzz' (a key of KPI_DEFINITIONS, or a "
                            "path under by_product, by_leg, by_node, by_market, "
                            "spoiled_kg_by_stage; docs/reference/results.md lists them)"),
    ],
)  # fmt: skip
def test_a_bad_objective_is_one_line(kpi: str, direction: str | None, expected: str) -> None:
    with pytest.raises(SpecificationError) as caught:
        resolve_objective(kpi, direction)
    assert one_line(caught.value) == expected


@pytest.fixture
def added_kpi() -> Iterator[str]:
    key = "sold_per_trip_kg"
    register_kpi(
        ResultField(key, "kg", "sold_kg / trips", better="higher"), compute=lambda run: 0.0
    )
    yield key
    unregister_kpi(key)


def test_a_kpi_added_by_code_is_a_kpi(added_kpi: str) -> None:
    assert resolve_objective(added_kpi) == Objective(added_kpi, "maximise")
    assert parse_constraint(f"{added_kpi} >= 100") == Constraint(added_kpi, ">=", 100.0)


# --- constraints ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("spoilage_rate <= 0.08", Constraint("spoilage_rate", "<=", 0.08)),
        ("fill_rate>=0.90", Constraint("fill_rate", ">=", 0.9)),
        ("profit_cny >= 1e6", Constraint("profit_cny", ">=", 1_000_000.0)),
        ("  profit_cny>=-2.5e5  ", Constraint("profit_cny", ">=", -250_000.0)),
        ("co2_kg <= 200000", Constraint("co2_kg", "<=", 200_000.0)),
        (
            "by_product.matsutake.spoilage_rate <= 0.1",
            Constraint("by_product.matsutake.spoilage_rate", "<=", 0.1),
        ),
        ("spoiled_kg_by_stage.transit<=100", Constraint("spoiled_kg_by_stage.transit", "<=", 100)),
    ],
)
def test_parse_constraint(text: str, expected: Constraint) -> None:
    constraint = parse_constraint(text)
    assert constraint == expected
    assert type(constraint.limit) is float
    assert constraint.tolerance is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("spoilage_rate < 0.08", "operator '<' is not allowed; use <= or >="),
        ("fill_rate > 0.9", "operator '>' is not allowed; use <= or >="),
        ("fill_rate == 0.9", "operator '==' is not allowed; use <= or >="),
        ("fill_rate = 0.9", "operator '=' is not allowed; use <= or >="),
        ("fill_rate =< 0.9", "operator '=<' is not allowed; use <= or >="),
        ("fill_rate => 0.9", "operator '=>' is not allowed; use <= or >="),
        ("fill_rate != 0.9", "operator '!=' is not allowed; use <= or >="),
        ("fill_rate ≥ 0.9", "operator '≥' is not allowed; use <= or >="),
        ("fill_rate 0.9", "expected KPI<=LIMIT or KPI>=LIMIT, e.g. 'spoilage_rate <= 0.08'"),
        ("", "expected KPI<=LIMIT or KPI>=LIMIT, e.g. 'spoilage_rate <= 0.08'"),
        (">= 0.9", "no KPI before '>='; expected KPI<=LIMIT or KPI>=LIMIT, e.g. "
                   "'spoilage_rate <= 0.08'"),
        ("fill_rate >=", "no limit after '>='; expected KPI<=LIMIT or KPI>=LIMIT, e.g. "
                         "'spoilage_rate <= 0.08'"),
        ("0 <= fill_rate <= 1", "one comparison per constraint: give each bound its own "
                                "--subject-to"),
        ("0.9 <= fill_rate", "write the KPI first: 'fill_rate >= 0.9'"),
        ("spoilage <= 0.08", "unknown KPI 'spoilage'; did you mean 'spoilage_rate', 'spoiled_kg' "
                             "or 'spoilage_loss_cny'?"),
        ("fill rate >= 0.9", "unknown KPI 'fill rate'; did you mean 'fill_rate'?"),
        ("by_product.matsutake.spoilage <= 0.1", "unknown KPI 'by_product.matsutake.spoilage': "
                                                 "by_product has no 'spoilage'; did you mean "
                                                 "'spoilage_rate', 'spoiled_kg' or "
                                                 "'spoilage_loss_cny'?"),
        ("spoiled_kg_by_stage.road <= 1", "unknown KPI 'spoiled_kg_by_stage.road': "
                                          "spoiled_kg_by_stage has no 'road'"),
        ("fill_rate >= abc", "limit 'abc' is not a number"),
        ("fill_rate >= 1_000", "limit '1_000' is not a number"),
        ("fill_rate >= 90%", "limit '90%' is not a number; write a fraction: 0.9"),
        ("fill_rate >= .inf", "limit .inf is not a finite number"),
        ("fill_rate >= .nan", "limit .nan is not a finite number"),
        ("fill_rate >= 1e999", "limit 1e999 is not a finite number"),
    ],
)  # fmt: skip
def test_a_constraint_that_cannot_parse_is_one_line(text: str, expected: str) -> None:
    with pytest.raises(SpecificationError) as caught:
        parse_constraint(text)
    assert one_line(caught.value) == f"--subject-to {text}: {expected}"


def test_parse_constraints_reports_every_bad_text_and_a_repeated_bound() -> None:
    with pytest.raises(SpecificationError) as caught:
        parse_constraints(
            ["fill_rate >= 0.9", "spoilage_rate < 0.08", "fill_rate>=0.95", "fill_rate <= 1"]
        )
    assert str(caught.value).splitlines() == [
        "--subject-to spoilage_rate < 0.08: operator '<' is not allowed; use <= or >=",
        "--subject-to fill_rate>=0.95: fill_rate already has a >= bound ('fill_rate >= 0.9')",
    ]


def test_parse_constraints_keeps_the_order() -> None:
    assert parse_constraints(["spoilage_rate <= 0.08", "fill_rate >= 0.90"]) == (
        Constraint("spoilage_rate", "<=", 0.08),
        Constraint("fill_rate", ">=", 0.9),
    )
    assert parse_constraints([]) == ()


def test_slack_is_optunas_convention_and_holds_reads_it() -> None:
    at_most = Constraint("spoilage_rate", "<=", 0.08)
    at_least = Constraint("fill_rate", ">=", 0.9)
    assert at_most.slack(0.05) == pytest.approx(-0.03)
    assert at_most.slack(0.10) == pytest.approx(0.02)
    assert at_least.slack(0.95) == pytest.approx(-0.05)
    assert at_least.slack(0.85) == pytest.approx(0.05)
    assert at_most.holds(0.08)
    assert at_least.holds(0.9)
    assert not at_most.holds(0.0800001)
    assert not at_least.holds(0.8999999)


def test_an_undefined_kpi_meets_no_constraint() -> None:
    for constraint in (Constraint("fill_rate", ">=", 0.9), Constraint("fill_rate", "<=", 0.9)):
        assert math.isnan(constraint.slack(math.nan))
        assert not constraint.holds(math.nan)


def test_the_tolerance_is_carried_not_used_by_holds() -> None:
    constraint = Constraint("spoilage_rate", "<=", 0.08).with_tolerance(0.005)
    assert constraint.tolerance == 0.005
    assert not constraint.holds(0.082)
    assert constraint.with_tolerance(None).tolerance is None


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Constraint("fill_rate", "<", 0.9),  # type: ignore[arg-type]
         "--subject-to fill_rate < 0.9: operator '<' is not allowed; use <= or >="),
        (lambda: Constraint("fill", ">=", 0.9),
         "--subject-to fill >= 0.9: unknown KPI 'fill'; did you mean 'fill_rate'?"),
        (lambda: Constraint("fill_rate", ">=", math.inf),
         "--subject-to fill_rate >= inf: limit must be a finite number (got inf)"),
        (lambda: Constraint("fill_rate", ">=", True),
         "--subject-to fill_rate >= True: limit must be a number (got True)"),
        (lambda: Constraint("fill_rate", ">=", "0.9"),  # type: ignore[arg-type]
         "--subject-to fill_rate >= '0.9': limit must be a number (got '0.9')"),
        (lambda: Constraint("fill_rate", ">=", 0.9, tolerance=-0.01),
         "--subject-to fill_rate >= 0.9: tolerance must be >= 0 (got -0.01)"),
        (lambda: Constraint("fill_rate", ">=", 0.9, tolerance=math.nan),
         "--subject-to fill_rate >= 0.9: tolerance must be a finite number (got nan)"),
    ],
)  # fmt: skip
def test_a_bad_constraint_made_in_python_is_one_line(make: object, expected: str) -> None:
    with pytest.raises(SpecificationError) as caught:
        make()  # type: ignore[operator]
    assert one_line(caught.value) == expected


KPI_KEYS = st.sampled_from(sorted(KPIS))
LIMITS = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(kpi=KPI_KEYS, sense=st.sampled_from(["<=", ">="]), limit=LIMITS)
def test_parse_reads_back_what_to_text_writes(kpi: str, sense: str, limit: float) -> None:
    constraint = Constraint(kpi, sense, limit)  # type: ignore[arg-type]
    assert parse_constraint(constraint.to_text()) == constraint
    assert parse_constraint(constraint.to_text().replace(" ", "")) == constraint
    assert constraint.label == f"--subject-to {constraint.to_text()}"


@settings(max_examples=200, deadline=None)
@given(sense=st.sampled_from(["<=", ">="]), limit=LIMITS, value=LIMITS)
def test_holds_exactly_when_the_slack_is_not_positive(
    sense: str, limit: float, value: float
) -> None:
    constraint = Constraint("profit_cny", sense, limit)  # type: ignore[arg-type]
    holds = value <= limit if sense == "<=" else value >= limit
    assert constraint.holds(value) is holds
    if not math.isinf(constraint.slack(value)):  # the difference of two huge floats
        assert (constraint.slack(value) <= 0) is holds


# --- against a scenario --------------------------------------------------------------


def test_check_specification_passes_a_good_one(baseline: Scenario) -> None:
    check_specification(
        baseline,
        SearchSpace({"legs.shangrila_kunming.fleet": Integer(1, 8)}),
        resolve_objective("profit_cny"),
        parse_constraints(
            ["spoilage_rate <= 0.08", "fill_rate >= 0.90", "by_product.matsutake.fill_rate>=0.8"]
        ),
    )


def test_check_specification_reports_every_problem_one_line_each(baseline: Scenario) -> None:
    with pytest.raises(SpecificationError) as caught:
        check_specification(
            baseline,
            SearchSpace(
                {
                    "legs.shangrila_kunming.fleet": Integer(0, 8),
                    "legs.kunming_shanghai.mode": Integer(1, 2),
                }
            ),
            [
                resolve_objective("profit_cny"),
                resolve_objective("by_product.truffle.sold_kg", "maximise"),
            ],
            [Constraint("by_leg.nowhere.trips", "<=", 3), Constraint("fill_rate", ">=", 0.9)],
        )
    assert str(caught.value).splitlines() == [
        "--var legs.shangrila_kunming.fleet=int:0..8: low end 0: must be >= 1",
        "--var legs.kunming_shanghai.mode=int:1..2: a number range does not fit this field: "
        "must be 'reefer_truck', 'rail_reefer', 'air' or 'van'",
        "--maximise by_product.truffle.sold_kg: unknown KPI by_product.truffle.sold_kg "
        "(by_product ids: highland_vegetables, honey, lily_bulbs, matsutake, nixi_chicken, "
        "tibetan_chicken_eggs, wine, yak_meat_chilled, yak_meat_frozen)",
        "--subject-to by_leg.nowhere.trips <= 3.0: unknown KPI by_leg.nowhere.trips (by_leg "
        "ids: deqin_cp_hub, kunming_shanghai, shangrila_cp_hub, shangrila_kunming, "
        "shangrila_shanghai_air, weixi_cp_hub)",
    ]


@pytest.mark.parametrize(
    ("text", "tolerance"),
    [
        ("fill_rate >= 0.9 ± 0.005", 0.005),
        ("fill_rate>=0.9+-0.002", 0.002),
        ("co2_kg <= 1e4 +/- 50", 50.0),
    ],
)
def test_a_tolerance_after_the_limit_is_read_and_written_back(text: str, tolerance: float) -> None:
    found = parse_constraint(text)
    assert found.tolerance == tolerance
    assert parse_constraint(found.to_text()) == found


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fill_rate >= 0.9 ±", "no tolerance after '±'"),
        ("fill_rate >= 0.9 ± 0", "the tolerance must be above 0"),
        ("fill_rate >= 0.9 ± -1", "the tolerance must be above 0"),
        ("fill_rate >= 0.9 ± wide", "tolerance 'wide' is not a number"),
    ],
)
def test_a_bad_tolerance_is_one_line(text: str, message: str) -> None:
    with pytest.raises(SpecificationError, match=message) as caught:
        parse_constraint(text)
    assert str(caught.value).count("\n") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("spoilage_rate <= 0.08", 0.004),  # 5 % of 0.08
        ("fill_rate >= 0.9", 0.005),  # 5 % of 1 - 0.9, not of 0.9 (0.045 would pass 86 %)
        ("by_product.matsutake.spoilage_rate <= 0", 0.005),
        ("fill_rate >= 1", 0.005),
        ("co2_kg <= 12000", 600.0),
        ("profit_cny >= 0", 0.01),
        ("fill_rate >= 0.9 ± 0.001", 0.001),
    ],
)
def test_the_default_tolerance_is_5_percent_of_the_room_a_limit_has(
    text: str, expected: float
) -> None:
    assert default_tolerance(parse_constraint(text)) == pytest.approx(expected)
