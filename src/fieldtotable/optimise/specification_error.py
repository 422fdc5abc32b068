"""The error of a bad optimisation specification: a variable, objective or constraint.

A :class:`SpecificationError` is a :class:`~fieldtotable.errors.ScenarioError`, so the
command line prints one line per problem and exits 2, the way it reports a bad
``--set``; each problem names the argument at fault as its ``file`` part::

    --var legs.kunming_shanghai.mode=int:1..8: a number range does not fit this field: ...
    --subject-to spoilage<=0.08: unknown KPI 'spoilage'; did you mean 'spoilage_rate'?

It is also a :class:`ValueError`, which is what Python code expects from a bad
argument (``Integer(8, 1)``).
"""

from __future__ import annotations

from fieldtotable.errors import Problem, ScenarioError

__all__ = ["CONSTRAINT_LABEL", "VARIABLE_LABEL", "SpecificationError", "problem"]

VARIABLE_LABEL = "--var"
"""How problems name a decision variable: ``--var PATH=KIND:SPEC``."""

CONSTRAINT_LABEL = "--subject-to"
"""How problems name a constraint: ``--subject-to 'KPI<=LIMIT'``."""


class SpecificationError(ScenarioError, ValueError):
    """A decision variable, objective or constraint that cannot be used.

    Parameters
    ----------
    problems
        One problem or several (at least one); ``str(error)`` lists them one per line.
        Each problem's ``file`` names the argument (``--var TEXT``, ``--subject-to
        TEXT``), its ``message`` says what is wrong.
    """


def problem(label: str, message: str) -> SpecificationError:
    """Return an error with one problem: ``label: message``.

    Parameters
    ----------
    label
        The argument at fault as typed (``--var legs.a.fleet=int:8..1``); empty when
        there is none (a variable made in Python, before it has a path).
    message
        What is wrong, one line.

    Returns
    -------
    SpecificationError
        The error, ready to raise.
    """
    return SpecificationError(Problem(label or None, None, "", message))
