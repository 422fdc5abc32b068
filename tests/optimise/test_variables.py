"""Decision variables and the command line's --var texts: exact values, exact messages."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.errors import FieldToTableError, ScenarioError
from fieldtotable.optimise import (
    Choice,
    Integer,
    Real,
    SpecificationError,
    Variable,
    format_variable,
    parse_variable,
)
from fieldtotable.optimise.parsing import read_number


def message(error: SpecificationError) -> str:
    assert len(error.problems) == 1
    return str(error)


# --- the variables -------------------------------------------------------------------


def test_integer_keeps_whole_numbers_and_lists_its_values() -> None:
    variable = Integer(1, 8)
    assert (variable.low, variable.high, variable.kind) == (1, 8, "int")
    assert list(variable.values) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert variable.size == 8
    assert variable.checked_values() == (("low end", 1), ("high end", 8))
    assert Integer(3, 3).checked_values() == (("value", 3),)


def test_integer_takes_numpy_integers_and_integral_floats_as_ints() -> None:
    variable = Integer(np.int64(2), 5.0)  # type: ignore[arg-type]
    assert variable == Integer(2, 5)
    assert type(variable.low) is int
    assert type(variable.high) is int


def test_real_keeps_floats() -> None:
    variable = Real(20_000, 200_000)
    assert variable == Real(20_000.0, 200_000.0)
    assert type(variable.low) is float
    assert variable.kind == "real"
    assert variable.checked_values() == (("low end", 20_000.0), ("high end", 200_000.0))


def test_choice_keeps_its_values_in_order_as_a_tuple() -> None:
    variable = Choice(["reefer_truck", "rail_reefer"])
    assert variable.values == ("reefer_truck", "rail_reefer")
    assert variable.size == 2
    assert variable.kind == "choice"
    assert variable.checked_values() == (
        ("choice 'reefer_truck'", "reefer_truck"),
        ("choice 'rail_reefer'", "rail_reefer"),
    )
    assert hash(variable) == hash(Choice(("reefer_truck", "rail_reefer")))


def test_choice_tells_one_from_true_but_not_from_one_point_zero() -> None:
    assert Choice([1, True, None, "1"]).values == (1, True, None, "1")
    with pytest.raises(SpecificationError) as caught:
        Choice([1, 1.0])
    assert message(caught.value) == "Choice([1, 1.0]): value 1.0 is given twice"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Integer(8, 1), "Integer(8, 1): low end 8 is above high end 1"),
        (lambda: Integer(1.5, 3), "Integer(1.5, 3): low end 1.5 is not a whole number"),
        (lambda: Integer(True, 3), "Integer(True, 3): low end True is not a whole number"),
        (lambda: Integer(1, "8"), "Integer(1, '8'): high end '8' is not a whole number"),
        (lambda: Real(2.0, 1.0), "Real(2.0, 1.0): low end 2.0 is above high end 1.0"),
        (lambda: Real(0, math.inf), "Real(0, inf): high end inf is not a finite number"),
        (lambda: Real(math.nan, 1), "Real(nan, 1): low end nan is not a finite number"),
        (lambda: Real("a", 1), "Real('a', 1): low end 'a' is not a number"),
        (lambda: Choice([]), "Choice([]): no values: a choice needs at least one"),
        (lambda: Choice("ab"), "Choice('ab'): the values must be a list, such as "
                               "['reefer_truck', 'air']"),
        (lambda: Choice(["a", "a"]), "Choice(['a', 'a']): value 'a' is given twice"),
        (lambda: Choice([[1], 2]), "Choice([[1], 2]): value [1] is not a number, string, "
                                   "boolean or null"),
        (lambda: Choice([math.nan]), "Choice([nan]): value nan is not a finite number"),
    ],
)  # fmt: skip
def test_a_bad_variable_is_refused_in_one_line(make: object, expected: str) -> None:
    with pytest.raises(SpecificationError) as caught:
        make()  # type: ignore[operator]
    assert message(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_the_error_is_of_the_family_and_a_value_error() -> None:
    with pytest.raises(SpecificationError) as caught:
        Integer(8, 1)
    assert isinstance(caught.value, FieldToTableError)
    assert isinstance(caught.value, ScenarioError)
    assert isinstance(caught.value, ValueError)


def test_a_huge_integer_real_end_is_not_finite() -> None:
    with pytest.raises(SpecificationError, match=r"low end .* is not a finite number"):
        Real(10**400, 10**401)


@pytest.mark.parametrize(
    ("variable", "proposed", "expected"),
    [
        (Integer(1, 8), 3, 3),
        (Integer(1, 8), 3.0, 3),
        (Integer(1, 8), np.int32(8), 8),
        (Real(0, 1), 1, 1.0),
        (Real(-1, 1), -0.0, 0.0),
        (Real(0, 1), np.float32(0.5), 0.5),
        (Choice([1, "a"]), 1.0, 1),
        (Choice([1, "a"]), np.int64(1), 1),
        (Choice([None, "a"]), None, None),
    ],
)
def test_normalise_gives_the_canonical_value(
    variable: Variable, proposed: object, expected: object
) -> None:
    value = variable.normalise(proposed)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("variable", "proposed", "expected"),
    [
        (Integer(1, 8), 9, "int:1..8: value 9 is outside 1..8"),
        (Integer(1, 8), 2.5, "int:1..8: value 2.5 is not a whole number"),
        (Integer(1, 8), True, "int:1..8: value True is not a whole number"),
        (Real(0, 1), 1.5, "real:0.0..1.0: value 1.5 is outside 0.0..1.0"),
        (Real(0, 1), "x", "real:0.0..1.0: value 'x' is not a number"),
        (Choice([1, "a"]), True, "choice:1,a: value True is not one of the choices"),
        (Choice([1, "a"]), [1], "choice:1,a: value [1] is not one of the choices"),
    ],
)
def test_normalise_refuses_a_value_outside(
    variable: Variable, proposed: object, expected: str
) -> None:
    with pytest.raises(SpecificationError) as caught:
        variable.normalise(proposed)
    assert message(caught.value) == expected


# --- parse_variable ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("legs.shangrila_kunming.fleet=int:1..8", ("legs.shangrila_kunming.fleet", Integer(1, 8))),
        (
            "hubs.shanghai_dc.storage_kg=real:20000..200000",
            ("hubs.shanghai_dc.storage_kg", Real(20_000, 200_000)),
        ),
        (
            "legs.kunming_shanghai.mode=choice:reefer_truck,rail_reefer",
            ("legs.kunming_shanghai.mode", Choice(["reefer_truck", "rail_reefer"])),
        ),
        (" a.b = int: -3 .. 0x10 ", ("a.b", Integer(-3, 16))),
        ("a.b=int:1..1e3", ("a.b", Integer(1, 1000))),
        ("a.b=real:2e4..2.5E5", ("a.b", Real(20_000, 250_000))),
        ("a.b=real:.5..1.", ("a.b", Real(0.5, 1.0))),
        ("a.b=real:3..3", ("a.b", Real(3, 3))),
        ("a.departures_h[0]=int:0..23", ("a.departures_h[0]", Integer(0, 23))),
        ("a.b=choice:a", ("a.b", Choice(["a"]))),
        ("a.b=choice:a,", ("a.b", Choice(["a"]))),
    ],
)
def test_parse_variable(text: str, expected: tuple[str, Variable]) -> None:
    assert parse_variable(text) == expected


def test_choice_values_are_yaml_1_2_scalars() -> None:
    _, variable = parse_variable("a.b=choice:1,2.5,true,null,'1e6',yes,08,\"x,y\",1e6")
    assert isinstance(variable, Choice)
    assert variable.values == (1, 2.5, True, None, "1e6", "yes", 8, "x,y", 1e6)
    assert [type(value) for value in variable.values] == [
        int, float, bool, type(None), str, str, int, str, float,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # missing '='
        ("legs.a.fleet", "expected PATH=KIND:SPEC, e.g. legs.shangrila_kunming.fleet=int:1..8"),
        ("=int:1..8", "expected PATH=KIND:SPEC, e.g. legs.shangrila_kunming.fleet=int:1..8"),
        ("a..b=int:1..8", "malformed path at '.b'"),
        # kinds
        ("a.b=4", "expected KIND:SPEC after '=': int:LO..HI, real:LO..HI or choice:A,B,..."),
        ("a.b=int", "expected KIND:SPEC after '=': int:LO..HI, real:LO..HI or choice:A,B,..."),
        ("a.b=float:1..2", "unknown kind 'float'; use int:LO..HI, real:LO..HI or choice:A,B,..."),
        ("a.b=Int:1..2", "unknown kind 'Int'; did you mean 'int'? use int:LO..HI, real:LO..HI "
                         "or choice:A,B,..."),
        # malformed ranges
        ("a.b=int:1-8", "expected LO..HI after 'int:', e.g. int:1..8"),
        ("a.b=real:1,8", "expected LO..HI after 'real:', e.g. real:1..8"),
        ("a.b=int:8..1", "low end 8 is above high end 1"),
        ("a.b=real:8..1", "low end 8.0 is above high end 1.0"),
        ("a.b=int:a..b", "low end 'a' is not a number"),
        ("a.b=int:1..b", "high end 'b' is not a number"),
        ("a.b=int:..8", "no low end"),
        ("a.b=int:1..", "no high end"),
        ("a.b=int:1..2..3", "high end '2..3' is not a number"),
        ("a.b=int:1.5..3", "low end 1.5 is not a whole number"),
        ("a.b=int:1_000..2000", "low end '1_000' is not a number"),
        ("a.b=real:.inf..1", "low end .inf is not a finite number"),
        ("a.b=real:0..1e999", "high end 1e999 is not a finite number"),
        ("a.b=real:.nan..1", "low end .nan is not a finite number"),
        # choices
        ("a.b=choice:", "no values after 'choice:'; give at least one: choice:A,B,..."),
        ("a.b=choice:  ", "no values after 'choice:'; give at least one: choice:A,B,..."),
        ("a.b=choice:a,a", "value 'a' is given twice"),
        ("a.b=choice:1,1.0", "value 1.0 is given twice"),
        ("a.b=choice:[1,2],3", "value [1, 2] is not a number, string, boolean or null"),
        ("a.b=choice:{x: 1}", "value {'x': 1} is not a number, string, boolean or null"),
        ("a.b=choice:.nan", "value nan is not a finite number"),
    ],
)  # fmt: skip
def test_a_bad_var_text_is_one_line_naming_the_argument(text: str, expected: str) -> None:
    with pytest.raises(SpecificationError) as caught:
        parse_variable(text)
    assert message(caught.value) == f"--var {text}: {expected}"


def test_a_choice_that_is_not_yaml_names_the_argument() -> None:
    with pytest.raises(SpecificationError) as caught:
        parse_variable("a.b=choice:a,,b")
    assert message(caught.value).startswith("--var a.b=choice:a,,b: YAML syntax error")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", 8),
        ("-3", -3),
        ("+3", 3),
        ("010", 10),
        ("0x10", 16),
        ("0o17", 15),
        ("1e6", 1e6),
        ("2.5", 2.5),
        (" .5 ", 0.5),
    ],
)
def test_numbers_are_read_as_yaml_1_2_numbers(text: str, expected: float) -> None:
    number = read_number(text, "limit", "--x")
    assert number == expected
    assert type(number) is type(expected)


# --- round trips ---------------------------------------------------------------------

PATHS = st.sampled_from(["legs.a.fleet", "hubs.shanghai_dc.storage_kg", "a.departures_h[0]"])
INTEGERS = st.integers(-(10**12), 10**12)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    FINITE,
    st.text(min_size=0, max_size=12),
    # Texts that YAML would read as something else unless quoted, or that break lines.
    st.sampled_from(
        [
            "",
            " ",
            "a,b",
            "1e6",
            "true",
            "null",
            "~",
            "#x",
            "a: b",
            "[x]",
            "'",
            '"',
            "08",
            "1:30",
            "yes",
            "-",
            "a\nb",
            "\x85",
            "\u2028",
            "松茸 matsutake",
        ]
    ),
)


def _unique(values: list[object]) -> bool:
    try:
        Choice(values)  # type: ignore[arg-type]
    except SpecificationError:
        return False
    return True


VARIABLES = st.one_of(
    st.tuples(INTEGERS, INTEGERS).map(lambda ends: Integer(min(ends), max(ends))),
    st.tuples(FINITE, FINITE).map(lambda ends: Real(min(ends), max(ends))),
    st.lists(SCALARS, min_size=1, max_size=6).filter(_unique).map(Choice),  # type: ignore[arg-type]
)


@settings(max_examples=300, deadline=None)
@given(path=PATHS, variable=VARIABLES)
def test_parse_reads_back_what_format_writes(path: str, variable: Variable) -> None:
    parsed_path, parsed = parse_variable(format_variable(path, variable))
    assert parsed_path == path
    assert parsed == variable
    if isinstance(variable, Choice):
        assert isinstance(parsed, Choice)
        # Equal is not enough for a choice: 1 == 1.0 == True in Python.
        assert [type(value) for value in parsed.values] == [type(v) for v in variable.values]


@settings(max_examples=200, deadline=None)
@given(ends=st.tuples(INTEGERS, INTEGERS), data=st.data())
def test_every_integer_of_a_range_normalises_to_itself(
    ends: tuple[int, int], data: st.DataObject
) -> None:
    variable = Integer(min(ends), max(ends))
    value = data.draw(st.integers(variable.low, variable.high))
    assert variable.normalise(value) == value
    if abs(value) < 2**53:  # a float holds every integer up to 2**53 exactly
        assert variable.normalise(float(value)) == value
