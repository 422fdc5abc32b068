"""Decision variables: the values one scenario field may take in an optimisation.

Three kinds, named as in the API and on the command line
(:mod:`~fieldtotable.optimise.parsing` reads the latter)::

    Integer(1, 8)              --var legs.shangrila_kunming.fleet=int:1..8
    Real(20_000, 200_000)      --var hubs.shanghai_dc.storage_kg=real:2e4..2e5
    Choice(["reefer_truck", "rail_reefer"])
                               --var legs.kunming_shanghai.mode=choice:reefer_truck,rail_reefer

Each is a frozen dataclass whose plain attributes are what a search needs (``low``
and ``high`` of a range, ``values`` of a choice; Optuna's ``IntDistribution``,
``FloatDistribution`` and ``CategoricalDistribution`` take exactly these), with
:meth:`~Integer.normalise` (a proposed value in its canonical type, or an error),
:meth:`~Integer.checked_values` (what to try on a scenario before any run) and
:meth:`~Integer.to_text` (the command line's ``KIND:SPEC``). Which field a path
names, and whether it takes these values, is checked against a scenario by
:class:`~fieldtotable.optimise.space.SearchSpace`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeAlias, TypeVar

import numpy as np
import yaml

from fieldtotable.optimise.specification_error import problem
from fieldtotable.scenario.yaml_core import CoreSafeDumper

__all__ = [
    "KINDS",
    "Choice",
    "ChoiceValue",
    "Integer",
    "ParameterValue",
    "Real",
    "Variable",
]

ChoiceValue: TypeAlias = str | int | float | bool | None
"""A value a :class:`Choice` may hold: a YAML scalar (what Optuna's categorical takes)."""

ParameterValue: TypeAlias = ChoiceValue
"""The value of one variable in a proposed configuration."""

_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")
_Number = TypeVar("_Number", int, float)

KINDS = ("int", "real", "choice")
"""The kinds of the command line's ``--var PATH=KIND:SPEC``."""


@dataclass(frozen=True)
class Integer:
    """A whole number from ``low`` to ``high``, both included.

    Attributes
    ----------
    low, high
        The ends of the range (``low <= high``); whole numbers (a float with no
        fractional part is taken as the integer it equals).

    Raises
    ------
    SpecificationError
        For an end that is not a whole number, or ``low > high``.
    """

    low: int
    high: int
    kind: ClassVar[str] = "int"

    def __post_init__(self) -> None:
        label = f"Integer({self.low!r}, {self.high!r})"
        low = _whole_number(self.low, "low end", label)
        high = _whole_number(self.high, "high end", label)
        if low > high:
            raise problem(label, f"low end {low} is above high end {high}")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @property
    def values(self) -> range:
        """Every value of the range, in order."""
        return range(self.low, self.high + 1)

    @property
    def size(self) -> int:
        """How many values the range holds."""
        return self.high - self.low + 1

    def normalise(self, value: object) -> int:
        """Return ``value`` as an ``int`` of the range.

        Parameters
        ----------
        value
            A proposed value: an integer (numpy's too) or a float with no fractional
            part.

        Returns
        -------
        int
            The value.

        Raises
        ------
        SpecificationError
            If it is not a whole number or lies outside the range.
        """
        label = self.to_text()
        number = _whole_number(_plain(value), "value", label)
        if not self.low <= number <= self.high:
            raise problem(label, f"value {number} is outside {self.low}..{self.high}")
        return number

    def checked_values(self) -> tuple[tuple[str, int], ...]:
        """Return the values to try on a scenario before any run: both ends.

        Returns
        -------
        tuple of (str, int)
            ``("low end", low)`` and ``("high end", high)``; one entry when they are
            equal.
        """
        return _ends(self.low, self.high)

    def to_text(self) -> str:
        """Return the command line's spec: ``int:LO..HI``.

        Returns
        -------
        str
            Text that :func:`~fieldtotable.optimise.parsing.parse_variable` reads back
            to an equal variable.
        """
        return f"int:{self.low}..{self.high}"


@dataclass(frozen=True)
class Real:
    """A real number from ``low`` to ``high``, both included.

    Attributes
    ----------
    low, high
        The ends of the range (``low <= high``); finite numbers, kept as ``float``.

    Raises
    ------
    SpecificationError
        For an end that is not a finite number, or ``low > high``.
    """

    low: float
    high: float
    kind: ClassVar[str] = "real"

    def __post_init__(self) -> None:
        label = f"Real({self.low!r}, {self.high!r})"
        low = _finite_number(self.low, "low end", label)
        high = _finite_number(self.high, "high end", label)
        if low > high:
            raise problem(label, f"low end {low!r} is above high end {high!r}")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def normalise(self, value: object) -> float:
        """Return ``value`` as a ``float`` of the range.

        Parameters
        ----------
        value
            A proposed value: a finite number (numpy's too), not a boolean.

        Returns
        -------
        float
            The value (``-0.0`` becomes ``0.0``, so that equal values have one key).

        Raises
        ------
        SpecificationError
            If it is not a finite number or lies outside the range.
        """
        label = self.to_text()
        number = _finite_number(_plain(value), "value", label)
        if not self.low <= number <= self.high:
            raise problem(label, f"value {number!r} is outside {self.low!r}..{self.high!r}")
        return number + 0.0

    def checked_values(self) -> tuple[tuple[str, float], ...]:
        """Return the values to try on a scenario before any run: both ends.

        Returns
        -------
        tuple of (str, float)
            ``("low end", low)`` and ``("high end", high)``; one entry when they are
            equal.
        """
        return _ends(self.low, self.high)

    def to_text(self) -> str:
        """Return the command line's spec: ``real:LO..HI``.

        Returns
        -------
        str
            Text that :func:`~fieldtotable.optimise.parsing.parse_variable` reads back
            to an equal variable (the shortest text of each float that reads back
            exactly).
        """
        return f"real:{self.low!r}..{self.high!r}"


@dataclass(frozen=True)
class Choice:
    """One of a list of values.

    Attributes
    ----------
    values
        The values, in order (kept as a tuple): strings, numbers (finite), booleans
        or ``None``; at least one, none twice (``1`` and ``1.0`` are the same
        value, ``1`` and ``true`` are not).

    Raises
    ------
    SpecificationError
        For no values, a value given twice, or a value that is not a YAML scalar.
    """

    values: tuple[ChoiceValue, ...]
    kind: ClassVar[str] = "choice"

    def __init__(self, values: Sequence[ChoiceValue]) -> None:
        label = f"Choice({values!r})"
        if isinstance(values, str | bytes) or not isinstance(values, Sequence):
            raise problem(label, "the values must be a list, such as ['reefer_truck', 'air']")
        if not values:
            raise problem(label, "no values: a choice needs at least one")
        checked: list[ChoiceValue] = []
        seen: set[tuple[str, object]] = set()
        for raw in values:
            value = _choice_value(raw, label)
            key = _choice_key(value)
            if key in seen:
                raise problem(label, f"value {value!r} is given twice")
            seen.add(key)
            checked.append(value)
        object.__setattr__(self, "values", tuple(checked))

    @property
    def size(self) -> int:
        """How many values the choice holds."""
        return len(self.values)

    def normalise(self, value: object) -> ChoiceValue:
        """Return the value of the choice equal to ``value``.

        Parameters
        ----------
        value
            A proposed value (``1.0`` finds a choice's ``1``; ``true`` does not).

        Returns
        -------
        ChoiceValue
            The value as the choice holds it.

        Raises
        ------
        SpecificationError
            If no value of the choice equals it.
        """
        plain = _plain(value)
        if plain is None or isinstance(plain, str | bool | int | float):
            wanted = _choice_key(plain)
            for candidate in self.values:
                if _choice_key(candidate) == wanted:
                    return candidate
        raise problem(self.to_text(), f"value {plain!r} is not one of the choices")

    def checked_values(self) -> tuple[tuple[str, ChoiceValue], ...]:
        """Return the values to try on a scenario before any run: every value.

        Returns
        -------
        tuple of (str, ChoiceValue)
            ``("choice VALUE", value)`` for each value, in order.
        """
        return tuple((f"choice {value!r}", value) for value in self.values)

    def to_text(self) -> str:
        """Return the command line's spec: ``choice:A,B,...``.

        Returns
        -------
        str
            Each value as a YAML flow scalar (quoted where it would read as something
            else), so that :func:`~fieldtotable.optimise.parsing.parse_variable`
            reads it back to an equal variable.
        """
        return "choice:" + ",".join(_flow_scalar(value) for value in self.values)


Variable: TypeAlias = Integer | Real | Choice
"""A decision variable of any kind."""


# --- reading and checking values -----------------------------------------------------


def _plain(value: object) -> object:
    """Turn a numpy scalar (from a search library or a grid) into a Python one."""
    return value.item() if isinstance(value, np.generic) else value


def _whole_number(value: object, role: str, label: str) -> int:
    value = _plain(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise problem(label, f"{role} {value!r} is not a whole number")


def _finite_number(value: object, role: str, label: str) -> float:
    value = _plain(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
        raise problem(label, f"{role} {value!r} is not a finite number")
    raise problem(label, f"{role} {value!r} is not a number")


def _ends(low: _Number, high: _Number) -> tuple[tuple[str, _Number], ...]:
    if low == high:
        return (("value", low),)
    return (("low end", low), ("high end", high))


def _choice_value(value: object, label: str) -> ChoiceValue:
    value = _plain(value)
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return _finite_number(value, "value", label)
    raise problem(label, f"value {value!r} is not a number, string, boolean or null")


def _choice_key(value: ChoiceValue) -> tuple[str, object]:
    """Return what makes two choice values the same: 1 and 1.0 are, 1 and true are not."""
    if value is None:
        return ("null", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    return ("string", value)


def _flow_scalar(value: ChoiceValue) -> str:
    """Write a value as an item of a YAML flow list (quoted where it must be)."""
    # PyYAML writes a line break raw inside single quotes, where a reader folds it into
    # a space; double quotes escape it.
    style = '"' if isinstance(value, str) and any(c in value for c in _LINE_BREAKS) else None
    text = yaml.dump(
        [value],
        Dumper=CoreSafeDumper,
        default_style=style,
        default_flow_style=True,
        allow_unicode=True,
        width=math.inf,
    )
    return text.strip()[1:-1]
