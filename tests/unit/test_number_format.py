"""Numbers in tables never read ``-0.0`` or ``+0.0%``."""

from __future__ import annotations

import math

import pytest

from fieldtotable.tables.format import format_change, format_number, no_negative_zero


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (0.125, "+12.5%"),
        (-0.03, "-3.0%"),
        (0.0, "0.0%"),
        (-0.0, "0.0%"),
        (-1e-17, "0.0%"),
        (4e-4, "0.0%"),
        (-4e-4, "0.0%"),
        (12.3456, "+1,234.6%"),
        (math.nan, "n/a"),
        (None, "n/a"),
    ],
)
def test_format_change(fraction: float | None, text: str) -> None:
    assert format_change(fraction) == text


def test_format_change_options() -> None:
    assert format_change(0.1234, decimals=2, space=" ") == "+12.34 %"
    assert format_change(-1e-9, space=" ") == "0.0 %"


@pytest.mark.parametrize("unit", ["%", "kg", "CNY", "CNY/kg", "count", "h", ""])
def test_no_negative_zero_in_any_unit(unit: str) -> None:
    # Units with fixed decimals round tiny negatives to a plain 0; an unknown unit
    # shows small numbers as they are (-1e-17), but never -0.
    values = (-0.0, -1e-17, -1e-4) if unit else (-0.0,)
    for value in values:
        assert format_number(value, unit).lstrip("0.,%") == "", (value, unit)
    assert no_negative_zero(-0.04, 1) == 0.0
    assert no_negative_zero(-0.06, 1) == -0.06
