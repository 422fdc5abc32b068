"""The one exception family of fieldtotable (DESIGN.md section 6).

Every error the package raises on purpose derives from :class:`FieldToTableError`.
A bad scenario raises :class:`ScenarioError`, which carries every problem found in
one pass, each with its file, line and field path, so that the command line can
print one line per problem::

    scenario.yaml:42: legs.kunming_shanghai.vehicle_capacity_kg: must be >= 10 (got -5)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "FieldToTableError",
    "MassBalanceError",
    "Problem",
    "ScenarioError",
    "SimulationError",
    "WorkLimitError",
]


class FieldToTableError(Exception):
    """Base class of every error fieldtotable raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, located as precisely as known.

    Parameters
    ----------
    file
        The file name (``"<string>"`` for text parsed from memory), or ``None``.
    line
        The 1-based line in ``file``, or ``None`` when no line applies.
    path
        The field path, dotted, with ``[i]`` for list indices
        (``legs.a.dispatch.departures_h[0]``); empty for the whole file.
    message
        What is wrong, in a few words.
    """

    file: str | None
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return ": ".join(part for part in (where, self.path, self.message) if part)


class ScenarioError(FieldToTableError):
    """A scenario that cannot be read or makes no sense.

    Parameters
    ----------
    problems
        One problem or several (at least one); ``str(error)`` lists them one per line.

    Raises
    ------
    ValueError
        If ``problems`` is empty.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Problem | Iterable[Problem]) -> None:
        found = (problems,) if isinstance(problems, Problem) else tuple(problems)
        if not found:
            raise ValueError("a ScenarioError needs at least one problem")
        self.problems = found
        super().__init__(found)

    @classmethod
    def single(
        cls,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: str = "",
    ) -> ScenarioError:
        """Return an error holding one problem.

        Parameters
        ----------
        message
            What is wrong.
        file, line, path
            Where, as far as known.

        Returns
        -------
        ScenarioError
            The error, ready to raise.
        """
        return cls(Problem(file, line, path, message))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    @property
    def file(self) -> str | None:
        """The file of the first problem."""
        return self.problems[0].file

    @property
    def line(self) -> int | None:
        """The line of the first problem."""
        return self.problems[0].line

    @property
    def path(self) -> str:
        """The field path of the first problem."""
        return self.problems[0].path


class SimulationError(FieldToTableError):
    """A run that could not complete or produced inconsistent state."""


class MassBalanceError(SimulationError):
    """Harvested kg differ from rejected + spoiled + sold + in-system kg after a run."""


class WorkLimitError(ScenarioError, SimulationError):
    """A run that took far more events than its scenario's estimate, stopped.

    Both a :class:`ScenarioError` (the input asks for too much work: one located line,
    exit status 2 on the command line) and a :class:`SimulationError` (the run could not
    complete).
    """
