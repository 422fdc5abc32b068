"""Optimisation: which configuration of a scenario is best, under constraints.

The specification of an optimisation: decision variables (:class:`Integer`,
:class:`Real`, :class:`Choice`) by field path in a :class:`SearchSpace`, the
objective (:class:`Objective`, any KPI of the result-field registry) and the
constraints (:class:`Constraint`, ``"spoilage_rate <= 0.08"``), with the command
line's texts read by :func:`parse_variable` and :func:`parse_constraint`;
:func:`check_specification` checks them all against a scenario before any run. Every
bad input raises a :class:`SpecificationError`, one line per problem.
"""

from fieldtotable.optimise.objectives import (
    DIRECTIONS,
    SENSES,
    Constraint,
    Direction,
    Objective,
    Sense,
    resolve_objective,
)
from fieldtotable.optimise.parsing import (
    format_variable,
    parse_constraint,
    parse_constraints,
    parse_variable,
)
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification import check_specification
from fieldtotable.optimise.specification_error import SpecificationError
from fieldtotable.optimise.variables import (
    Choice,
    ChoiceValue,
    Integer,
    ParameterValue,
    Real,
    Variable,
)

__all__ = [
    "DIRECTIONS",
    "SENSES",
    "Choice",
    "ChoiceValue",
    "Constraint",
    "Direction",
    "Integer",
    "Objective",
    "ParameterValue",
    "Real",
    "SearchSpace",
    "Sense",
    "SpecificationError",
    "Variable",
    "check_specification",
    "format_variable",
    "parse_constraint",
    "parse_constraints",
    "parse_variable",
    "resolve_objective",
]
