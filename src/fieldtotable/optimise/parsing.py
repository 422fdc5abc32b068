"""The command line's texts of an optimisation: ``--var`` and ``--subject-to``.

Pure functions, no argparse: the command line hands them each option's text and
prints the :class:`~fieldtotable.optimise.specification_error.SpecificationError`
they raise, one line per problem, each naming the argument as typed::

    --var legs.a.fleet=int:8..1: low end 8 is above high end 1
    --subject-to fill_rate > 0.9: operator '>' is not allowed; use <= or >=

Numbers are YAML 1.2 numbers, as in a scenario file or a ``--set`` (``1e6`` is a
number, ``1_000`` is not); choice values are the items of a YAML flow list, as the
values of ``--grid`` (``choice:1,2`` are integers, ``choice:true,false`` booleans,
``choice:'08',yes`` strings).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from typing import Any

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.optimise.objectives import SENSES, Constraint, kpi_problem
from fieldtotable.optimise.specification_error import (
    CONSTRAINT_LABEL,
    VARIABLE_LABEL,
    SpecificationError,
    problem,
)
from fieldtotable.optimise.variables import KINDS, Choice, Integer, Real, Variable
from fieldtotable.scenario.overrides import parse_override_path
from fieldtotable.scenario.yaml_core import FLOAT, INT
from fieldtotable.scenario.yaml_loader import parse_yaml

__all__ = [
    "format_variable",
    "parse_constraint",
    "parse_constraints",
    "parse_variable",
    "read_number",
]

_USAGE = "int:LO..HI, real:LO..HI or choice:A,B,..."
_CONSTRAINT_USAGE = "expected KPI<=LIMIT or KPI>=LIMIT, e.g. 'spoilage_rate <= 0.08'"
# Every run of comparison characters is an operator, so that '<', '=<', '==' and '=>'
# are each reported as written rather than half-read.
_OPERATOR = re.compile(r"[<>=!≤≥]+")
# The feasibility check's tolerance ε after the limit: 'fill_rate >= 0.9 ± 0.005'.
_TOLERANCE = re.compile(r"±|\+/?-")


def parse_variable(text: str) -> tuple[str, Variable]:
    """Read the command line's ``--var PATH=KIND:SPEC``.

    Parameters
    ----------
    text
        ``legs.shangrila_kunming.fleet=int:1..8``,
        ``hubs.shanghai_dc.storage_kg=real:20000..200000``,
        ``legs.kunming_shanghai.mode=choice:reefer_truck,rail_reefer``.

    Returns
    -------
    tuple of (str, Variable)
        The path (stripped; not yet checked against a scenario) and the variable.

    Raises
    ------
    SpecificationError
        With one problem named ``--var TEXT``: no ``=``, a malformed path, no
        ``KIND:``, an unknown kind, a range that is not ``LO..HI`` with numbers
        (whole numbers for ``int``) and ``LO <= HI``, an empty choice, a choice
        value given twice or one that is not a scalar.
    """
    label = f"{VARIABLE_LABEL} {text}"
    path, equals, spec = text.partition("=")
    path = path.strip()
    if not equals or not path:
        raise problem(label, "expected PATH=KIND:SPEC, e.g. legs.shangrila_kunming.fleet=int:1..8")
    try:
        parse_override_path(path)
    except ValueError as exc:
        raise problem(label, str(exc)) from None
    kind, colon, rest = spec.partition(":")
    kind = kind.strip()
    if not colon:
        raise problem(label, f"expected KIND:SPEC after '=': {_USAGE}")
    if kind not in KINDS:
        close = difflib.get_close_matches(kind.lower(), KINDS, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise problem(label, f"unknown kind {kind!r}; {hint}use {_USAGE}")
    try:
        if kind == "choice":
            return path, Choice(_read_choice_values(rest, label))
        low, high = _read_range(rest, kind, label)
        if kind == "int":
            return path, Integer(_whole(low, "low end", label), _whole(high, "high end", label))
        return path, Real(low, high)
    except SpecificationError as exc:
        # The constructor names the variable in Python terms; the command line names
        # the argument as typed.
        raise problem(label, exc.problems[0].message) from None


def format_variable(path: str, variable: Variable) -> str:
    """Write a variable as the command line's ``PATH=KIND:SPEC``.

    Parameters
    ----------
    path
        The field path.
    variable
        The variable.

    Returns
    -------
    str
        ``legs.a.fleet=int:1..8``; :func:`parse_variable` reads it back to
        ``(path, variable)``.
    """
    return f"{path}={variable.to_text()}"


def parse_constraint(text: str) -> Constraint:
    """Read the command line's ``--subject-to 'KPI<=LIMIT'`` (or ``>=``).

    Parameters
    ----------
    text
        ``spoilage_rate <= 0.08``, ``fill_rate>=0.90``, ``profit_cny >= 1e6``,
        ``by_product.matsutake.spoilage_rate <= 0.1``; spaces are optional. A
        tolerance ε for the feasibility check may follow the limit:
        ``fill_rate >= 0.9 ± 0.005`` (or ``+-``).

    Returns
    -------
    Constraint
        The constraint, with the tolerance given or none (the default then applies:
        :func:`~fieldtotable.optimise.phases.default_tolerance`).

    Raises
    ------
    SpecificationError
        With one problem named ``--subject-to TEXT``: no operator, an operator other
        than ``<=`` and ``>=`` (``<``, ``==``, ``=<``), more than one, no KPI or no
        limit, the limit before the KPI, a KPI the registry does not know (with the
        closest keys), a limit that is not a finite number.
    """
    label = f"{CONSTRAINT_LABEL} {text}"
    text, tolerance = _split_tolerance(text, label)
    operators = list(_OPERATOR.finditer(text))
    if not operators:
        raise problem(label, _CONSTRAINT_USAGE)
    first = operators[0]
    sense = first.group()
    if sense not in SENSES:
        raise problem(label, f"operator {sense!r} is not allowed; use <= or >=")
    if len(operators) > 1:
        raise problem(label, "one comparison per constraint: give each bound its own --subject-to")
    kpi, limit_text = text[: first.start()].strip(), text[first.end() :].strip()
    if not kpi:
        raise problem(label, f"no KPI before {sense!r}; {_CONSTRAINT_USAGE}")
    if not limit_text:
        raise problem(label, f"no limit after {sense!r}; {_CONSTRAINT_USAGE}")
    if _is_number(kpi) and not _is_number(limit_text):
        flipped = ">=" if sense == "<=" else "<="
        raise problem(label, f"write the KPI first: '{limit_text} {flipped} {kpi}'")
    message = kpi_problem(kpi)
    if message is not None:
        raise problem(label, message)
    if limit_text.endswith("%") and _is_number(limit_text[:-1]):
        fraction = float(limit_text[:-1]) / 100
        raise problem(
            label, f"limit {limit_text!r} is not a number; write a fraction: {fraction:g}"
        )
    limit = read_number(limit_text, "limit", label)
    return Constraint(kpi, sense, float(limit), tolerance)


def _split_tolerance(text: str, label: str) -> tuple[str, float | None]:
    """Split ``KPI >= LIMIT ± EPS`` (or ``+-``) into the comparison and ε."""
    found = _TOLERANCE.search(text)
    if found is None:
        return text, None
    tolerance_text = text[found.end() :].strip()
    if not tolerance_text:
        raise problem(
            label, f"no tolerance after {found.group()!r}; e.g. 'fill_rate >= 0.9 ± 0.005'"
        )
    tolerance = float(read_number(tolerance_text, "tolerance", label))
    if not tolerance > 0:
        raise problem(label, f"the tolerance must be above 0 (got {tolerance_text})")
    return text[: found.start()], tolerance


def parse_constraints(texts: Iterable[str]) -> tuple[Constraint, ...]:
    """Read several ``--subject-to`` texts.

    Parameters
    ----------
    texts
        One text per ``--subject-to`` (see :func:`parse_constraint`).

    Returns
    -------
    tuple of Constraint
        In the order given.

    Raises
    ------
    SpecificationError
        With one problem per text that cannot be read, or that bounds a KPI the same
        way as an earlier one (``fill_rate >= 0.9`` and ``fill_rate >= 0.95``: one
        of them says nothing); each named ``--subject-to TEXT``.
    """
    problems: list[Problem] = []
    constraints: list[Constraint] = []
    first: dict[tuple[str, str], str] = {}
    for text in texts:
        try:
            constraint = parse_constraint(text)
        except SpecificationError as exc:
            problems += exc.problems
            continue
        key = (constraint.kpi, constraint.sense)
        if key in first:
            message = f"{constraint.kpi} already has a {constraint.sense} bound ({first[key]!r})"
            problems.append(Problem(f"{CONSTRAINT_LABEL} {text}", None, "", message))
            continue
        first[key] = text
        constraints.append(constraint)
    if problems:
        raise SpecificationError(problems)
    return tuple(constraints)


def read_number(text: str, role: str, label: str) -> int | float:
    """Read a YAML 1.2 core number (``8``, ``2.5``, ``2e5``, ``0x10``), as a scenario would.

    Parameters
    ----------
    text
        The number as typed (spaces around it are ignored).
    role
        What the number is, for messages (``low end``, ``limit``).
    label
        The argument at fault, for messages (``--var TEXT``).

    Returns
    -------
    int or float
        An ``int`` for an integer text, else a finite ``float``.

    Raises
    ------
    SpecificationError
        For no text, a text that is not a number, or one that is not finite
        (``.inf``, ``.nan``, ``1e999``).
    """
    text = text.strip()
    if not text:
        raise problem(label, f"no {role}")
    if INT.match(text):
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        return int(text[2:] if base != 10 else text, base)
    if FLOAT.match(text):
        # No bound of a field or a KPI is infinite or NaN; 1e999 overflows to inf.
        if text.lower().endswith((".inf", ".nan")) or not math.isfinite(float(text)):
            raise problem(label, f"{role} {text} is not a finite number")
        return float(text)
    raise problem(label, f"{role} {text!r} is not a number")


# --- pieces --------------------------------------------------------------------------


def _is_number(text: str) -> bool:
    stripped = text.strip()
    return bool(INT.match(stripped) or FLOAT.match(stripped))


def _whole(value: int | float, role: str, label: str) -> int:
    if isinstance(value, int):
        return value
    if value.is_integer():
        return int(value)
    raise problem(label, f"{role} {value!r} is not a whole number")


def _read_range(text: str, kind: str, label: str) -> tuple[int | float, int | float]:
    low_text, dots, high_text = text.partition("..")
    if not dots:
        raise problem(label, f"expected LO..HI after '{kind}:', e.g. {kind}:1..8")
    return (
        read_number(low_text, "low end", label),
        read_number(high_text, "high end", label),
    )


def _read_choice_values(text: str, label: str) -> list[Any]:
    if not text.strip():
        raise problem(label, "no values after 'choice:'; give at least one: choice:A,B,...")
    try:
        # The same reading as --grid PATH=V1,V2: a YAML flow list, so that a quoted
        # value may hold a comma.
        values, _ = parse_yaml(f"[{text}]", label)
    except ScenarioError as exc:
        raise problem(label, exc.problems[0].message) from None
    if not isinstance(values, list) or not values:
        raise problem(label, "no values after 'choice:'; give at least one: choice:A,B,...")
    return values
