"""The search space checked against real scenarios: every bad path, end and value, one line each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable import Scenario, load_scenario
from fieldtotable.optimise import (
    Choice,
    Integer,
    Real,
    SearchSpace,
    SpecificationError,
    Variable,
)
from scenario_builders import build_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FLEET = "legs.shangrila_kunming.fleet"
STORAGE = "hubs.shanghai_dc.storage_kg"
MODE = "legs.kunming_shanghai.mode"
ISSUE_VARIABLES: dict[str, Variable] = {
    FLEET: Integer(1, 8),
    STORAGE: Real(20_000, 200_000),
    MODE: Choice(["reefer_truck", "rail_reefer"]),
}


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario(SCENARIOS / "baseline_2023.yaml")


@pytest.fixture(scope="module")
def small() -> Scenario:
    return build_scenario()


def lines(scenario: Scenario, variables: dict[str, Variable]) -> list[str]:
    with pytest.raises(SpecificationError) as caught:
        SearchSpace(variables).validate(scenario)
    return str(caught.value).splitlines()


# --- validation against a scenario ---------------------------------------------------


def test_the_issues_variables_fit_the_baseline(baseline: Scenario) -> None:
    space = SearchSpace(ISSUE_VARIABLES)
    assert space.problems(baseline) == []
    space.validate(baseline)


def test_validation_leaves_the_scenario_as_it_was(baseline: Scenario) -> None:
    before = baseline.model_dump()
    SearchSpace(ISSUE_VARIABLES).validate(baseline)
    assert baseline.model_dump() == before


def test_an_unknown_path_is_named_with_a_did_you_mean(baseline: Scenario) -> None:
    assert lines(baseline, {"legs.kunming_shanghai.flet": Integer(1, 8)}) == [
        "--var legs.kunming_shanghai.flet=int:1..8: legs.kunming_shanghai.flet: unknown "
        "field; did you mean 'fleet'?"
    ]
    assert lines(baseline, {"legs.kunming_shangai.fleet": Integer(1, 8)}) == [
        "--var legs.kunming_shangai.fleet=int:1..8: legs.kunming_shangai: unknown key; "
        "did you mean 'kunming_shanghai'?"
    ]


def test_a_number_range_on_a_field_of_names_is_refused(baseline: Scenario) -> None:
    assert lines(baseline, {MODE: Integer(1, 8)}) == [
        "--var legs.kunming_shanghai.mode=int:1..8: a number range does not fit this field: "
        "must be 'reefer_truck', 'rail_reefer', 'air' or 'van'"
    ]
    assert lines(baseline, {"name": Real(1, 2)}) == [
        "--var name=real:1.0..2.0: a number range does not fit this field: must be a valid string"
    ]


def test_a_real_range_on_a_field_of_whole_numbers_is_refused(baseline: Scenario) -> None:
    assert lines(baseline, {FLEET: Real(1, 8)}) == [
        "--var legs.shangrila_kunming.fleet=real:1.0..8.0: the field takes whole numbers "
        "only: use int:1..8, not a real range"
    ]
    assert lines(baseline, {FLEET: Real(0.5, 7.5)}) == [
        "--var legs.shangrila_kunming.fleet=real:0.5..7.5: the field takes whole numbers "
        "only: use int:1..7, not a real range"
    ]


def test_an_unknown_path_is_said_once_whatever_the_values(baseline: Scenario) -> None:
    assert lines(baseline, {"legs.kunming_shanghai.flet": Integer(3, 3)}) == [
        "--var legs.kunming_shanghai.flet=int:3..3: legs.kunming_shanghai.flet: unknown "
        "field; did you mean 'fleet'?"
    ]
    assert lines(baseline, {"hubs.nowhere.storage_kg": Choice([1, 2, 3])}) == [
        "--var hubs.nowhere.storage_kg=choice:1,2,3: hubs.nowhere: unknown key (known: "
        "kunming_dc, shanghai_dc, shangrila_hub)"
    ]


def test_a_single_value_the_field_refuses_is_named(baseline: Scenario) -> None:
    assert lines(baseline, {FLEET: Integer(0, 0)}) == [
        "--var legs.shangrila_kunming.fleet=int:0..0: value 0: must be >= 1"
    ]
    assert lines(baseline, {MODE: Choice(["boat"])}) == [
        "--var legs.kunming_shanghai.mode=choice:boat: choice 'boat': must be 'reefer_truck', "
        "'rail_reefer', 'air' or 'van'"
    ]


def test_an_integer_range_on_a_field_of_real_numbers_is_fine(baseline: Scenario) -> None:
    SearchSpace({STORAGE: Integer(20_000, 200_000)}).validate(baseline)


def test_each_end_of_a_range_is_checked(baseline: Scenario) -> None:
    assert lines(baseline, {FLEET: Integer(0, 8)}) == [
        "--var legs.shangrila_kunming.fleet=int:0..8: low end 0: must be >= 1"
    ]
    assert lines(baseline, {FLEET: Integer(1, 100_000)}) == [
        "--var legs.shangrila_kunming.fleet=int:1..100000: high end 100000: must be <= 10000"
    ]
    assert lines(baseline, {STORAGE: Real(-5, 1e20)}) == [
        "--var hubs.shanghai_dc.storage_kg=real:-5.0..1e+20: low end -5.0: must be > 0; "
        "high end 1e+20: must be <= 1000000000000"
    ]


def test_every_choice_value_is_checked_and_a_refused_one_named(baseline: Scenario) -> None:
    assert lines(baseline, {MODE: Choice(["reefer_truck", "boat", "air", "ship"])}) == [
        "--var legs.kunming_shanghai.mode=choice:reefer_truck,boat,air,ship: choice 'boat': "
        "must be 'reefer_truck', 'rail_reefer', 'air' or 'van'; choice 'ship': must be "
        "'reefer_truck', 'rail_reefer', 'air' or 'van'"
    ]
    assert lines(baseline, {FLEET: Choice([1, 2.0])}) == [
        "--var legs.shangrila_kunming.fleet=choice:1,2.0: choice 2.0: must be a valid integer"
    ]


def test_a_choice_the_field_wholly_refuses_is_said_once(baseline: Scenario) -> None:
    assert lines(baseline, {MODE: Choice([1, 2])}) == [
        "--var legs.kunming_shanghai.mode=choice:1,2: the field takes none of these values: "
        "must be 'reefer_truck', 'rail_reefer', 'air' or 'van'"
    ]


def test_each_bad_variable_is_one_line_in_order(baseline: Scenario) -> None:
    found = lines(
        baseline,
        {
            "legs.kunming_shanghai.flet": Integer(1, 8),
            FLEET: Integer(2, 4),  # fine: no line
            MODE: Integer(1, 3),
            STORAGE: Real(0, 1000),
        },
    )
    assert [line.split(":", 1)[0] for line in found] == [
        "--var legs.kunming_shanghai.flet=int",
        "--var legs.kunming_shanghai.mode=int",
        "--var hubs.shanghai_dc.storage_kg=real",
    ]


def test_the_minimal_scenario_names_its_own_leg(baseline: Scenario) -> None:
    minimal = load_scenario(SCENARIOS / "minimal.yaml")
    space = SearchSpace(
        {
            "legs.shangrila_shanghai.fleet": Integer(1, 4),
            "legs.shangrila_shanghai.mode": Choice(["reefer_truck", "air"]),
        }
    )
    space.validate(minimal)
    assert [str(problem) for problem in space.problems(baseline)] == [
        "--var legs.shangrila_shanghai.fleet=int:1..4: legs.shangrila_shanghai: unknown key; "
        "did you mean 'shangrila_shanghai_air'?",
        "--var legs.shangrila_shanghai.mode=choice:reefer_truck,air: legs.shangrila_shanghai: "
        "unknown key; did you mean 'shangrila_shanghai_air'?",
    ]


# --- making a space ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, ["no variables: a search space needs at least one"]),
        (
            {"a.b": (1, 8)},
            [
                "--var a.b: (1, 8) is not a variable; use Integer(LO, HI), Real(LO, HI) or "
                "Choice([A, B, ...])"
            ],
        ),
        ({"a..b": Integer(1, 2)}, ["--var a..b=int:1..2: malformed path at '.b'"]),
        (
            {"a.departures_h.0": Integer(1, 2), "a.departures_h[0]": Integer(1, 3)},
            ["--var a.departures_h[0]=int:1..3: the same field as the variable 'a.departures_h.0'"],
        ),
    ],
)
def test_a_bad_space_is_refused(variables: dict[str, object], expected: list[str]) -> None:
    with pytest.raises(SpecificationError) as caught:
        SearchSpace(variables)  # type: ignore[arg-type]
    assert str(caught.value).splitlines() == expected


def test_from_texts_reads_every_var_and_keeps_their_order() -> None:
    space = SearchSpace.from_texts(
        [
            "legs.shangrila_kunming.fleet=int:1..8",
            "hubs.shanghai_dc.storage_kg=real:20000..200000",
            "legs.kunming_shanghai.mode=choice:reefer_truck,rail_reefer",
        ]
    )
    assert dict(space) == ISSUE_VARIABLES
    assert list(space) == [FLEET, STORAGE, MODE]


def test_from_texts_reports_every_bad_text_and_a_path_given_twice() -> None:
    with pytest.raises(SpecificationError) as caught:
        SearchSpace.from_texts(
            [
                "a.b=int:1..2",
                "a.c=float:1..2",
                "a.b=int:1..3",
                "a.d=choice:",
                "a.e.0=int:1..2",
                "a.e[0]=real:1..2",
            ]
        )
    assert str(caught.value).splitlines() == [
        "--var a.c=float:1..2: unknown kind 'float'; use int:LO..HI, real:LO..HI or choice:A,B,...",
        "--var a.b=int:1..3: this field already has a variable (--var a.b=int:1..2)",
        "--var a.d=choice:: no values after 'choice:'; give at least one: choice:A,B,...",
        "--var a.e[0]=real:1..2: this field already has a variable (--var a.e.0=int:1..2)",
    ]


def test_from_texts_needs_a_variable() -> None:
    with pytest.raises(SpecificationError) as caught:
        SearchSpace.from_texts([])
    assert str(caught.value) == "no variables: give at least one --var PATH=KIND:SPEC"


def test_to_texts_reads_back_to_the_same_space() -> None:
    space = SearchSpace(ISSUE_VARIABLES)
    assert space.to_texts() == (
        "legs.shangrila_kunming.fleet=int:1..8",
        "hubs.shanghai_dc.storage_kg=real:20000.0..200000.0",
        "legs.kunming_shanghai.mode=choice:reefer_truck,rail_reefer",
    )
    assert SearchSpace.from_texts(space.to_texts()) == space


def test_grid_size_counts_configurations_when_all_are_finite() -> None:
    assert SearchSpace({FLEET: Integer(1, 8), MODE: Choice(["a", "b"])}).grid_size == 16
    assert SearchSpace(ISSUE_VARIABLES).grid_size is None


# --- configurations: apply, normalise, key -------------------------------------------


def test_apply_sets_every_value(baseline: Scenario) -> None:
    space = SearchSpace(ISSUE_VARIABLES)
    changed = space.apply(baseline, {FLEET: 3, STORAGE: 50_000, MODE: "rail_reefer"})
    assert changed.legs["shangrila_kunming"].fleet == 3
    assert changed.hubs["shanghai_dc"].storage_kg == 50_000.0
    assert changed.legs["kunming_shanghai"].mode == "rail_reefer"
    assert baseline.legs["shangrila_kunming"].fleet == 2


def test_apply_refuses_a_configuration_that_is_not_one_of_the_space(baseline: Scenario) -> None:
    space = SearchSpace(ISSUE_VARIABLES)
    with pytest.raises(SpecificationError) as caught:
        space.apply(baseline, {FLEET: 9, "legs.a.fleet": 1, MODE: "air"})
    assert str(caught.value).splitlines() == [
        "trial legs.a.fleet: not a variable of this search space (variables: "
        "legs.shangrila_kunming.fleet, hubs.shanghai_dc.storage_kg, legs.kunming_shanghai.mode)",
        "--var legs.shangrila_kunming.fleet=int:1..8: value 9 is outside 1..8",
        "--var hubs.shanghai_dc.storage_kg=real:20000.0..200000.0: no value in this configuration",
        "--var legs.kunming_shanghai.mode=choice:reefer_truck,rail_reefer: value 'air' is not "
        "one of the choices",
    ]


def test_values_that_fit_alone_but_not_together_name_the_trial(small: Scenario) -> None:
    opening, closing = "markets.store.open_hours[0]", "markets.store.open_hours[1]"
    space = SearchSpace({opening: Integer(6, 12), closing: Integer(10, 22)})
    space.validate(small)
    with pytest.raises(SpecificationError) as caught:
        space.apply(small, {opening: 12, closing: 10})
    assert str(caught.value) == (
        "trial markets.store.open_hours[0]=12, trial markets.store.open_hours[1]=10: "
        "markets.store.open_hours: opening must be before closing (got 12 to 10)"
    )


def test_the_key_is_the_same_for_the_same_configuration_only() -> None:
    space = SearchSpace(ISSUE_VARIABLES)
    key = space.key({FLEET: 3, STORAGE: 50_000, MODE: "rail_reefer"})
    assert key == (
        '{"hubs.shanghai_dc.storage_kg":50000.0,"legs.kunming_shanghai.mode":"rail_reefer",'
        '"legs.shangrila_kunming.fleet":3}'
    )
    assert space.key({MODE: "rail_reefer", FLEET: 3.0, STORAGE: 50_000.0}) == key
    assert space.key({FLEET: 4, STORAGE: 50_000, MODE: "rail_reefer"}) != key
    assert json.loads(key) == {FLEET: 3, STORAGE: 50_000.0, MODE: "rail_reefer"}


def test_the_key_tells_true_from_one() -> None:
    space = SearchSpace({"a.b": Choice([1, True])})
    assert space.key({"a.b": 1}) != space.key({"a.b": True})
    assert space.key({"a.b": 1.0}) == space.key({"a.b": 1})


def test_normalise_gives_canonical_types_in_the_spaces_order() -> None:
    space = SearchSpace(ISSUE_VARIABLES)
    values = space.normalise({MODE: "reefer_truck", STORAGE: 20_000, FLEET: 2.0})
    assert list(values.items()) == [(FLEET, 2), (STORAGE, 20_000.0), (MODE, "reefer_truck")]
    assert [type(value) for value in values.values()] == [int, float, str]


# --- properties ----------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(ends=st.tuples(st.integers(1, 10_000), st.integers(1, 10_000)), data=st.data())
def test_any_integer_of_a_valid_range_applies_and_reads_back(
    small: Scenario, ends: tuple[int, int], data: st.DataObject
) -> None:
    path = "legs.cp_shanghai.fleet"
    space = SearchSpace({path: Integer(min(ends), max(ends))})
    space.validate(small)
    value = data.draw(st.integers(min(ends), max(ends)))
    changed = space.apply(small, {path: value})
    assert changed.legs["cp_shanghai"].fleet == value
    assert type(changed.legs["cp_shanghai"].fleet) is int


@settings(max_examples=40, deadline=None)
@given(
    ends=st.tuples(st.floats(1.0, 1e9), st.floats(1.0, 1e9)),
    position=st.floats(0.0, 1.0),
)
def test_any_real_of_a_valid_range_applies_and_reads_back(
    small: Scenario, ends: tuple[float, float], position: float
) -> None:
    path = "hubs.shanghai_dc.storage_kg"
    low, high = min(ends), max(ends)
    space = SearchSpace({path: Real(low, high)})
    space.validate(small)
    value = min(max(low + position * (high - low), low), high)
    changed = space.apply(small, {path: value})
    assert changed.hubs["shanghai_dc"].storage_kg == value


@settings(max_examples=25, deadline=None)
@given(low=st.integers(-5, 0), high=st.integers(1, 20))
def test_a_range_reaching_below_the_fields_minimum_is_caught_at_its_low_end(
    small: Scenario, low: int, high: int
) -> None:
    path = "legs.cp_shanghai.fleet"
    [line] = lines(small, {path: Integer(low, high)})
    assert line == f"--var {path}=int:{low}..{high}: low end {low}: must be >= 1"
