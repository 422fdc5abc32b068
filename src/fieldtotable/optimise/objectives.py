"""The objective and the constraints of an optimisation: KPIs of the result-field registry.

::

    objective = resolve_objective("profit_cny")          # maximise: the registry says
                                                         # higher is better
    constraint = Constraint("spoilage_rate", "<=", 0.08)
    constraint.slack(0.05)   # -0.03: <= 0 means it holds (Optuna's convention)
    constraint.holds(0.05)   # True

A KPI is a key of :data:`~fieldtotable.results.fields.KPIS` (``profit_cny``) or a
dotted breakdown path (``by_product.matsutake.spoilage_rate``, see
:func:`~fieldtotable.results.paths.kpi_value`). The registry alone settles whether a
key or a breakdown's metric exists; whether a breakdown path's product, leg or node
exists depends on the scenario (:meth:`Objective.problems`,
:meth:`Constraint.problems`). The command line's texts (``--subject-to
'spoilage_rate <= 0.08'``) are read by :mod:`~fieldtotable.optimise.parsing`.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
from dataclasses import dataclass
from typing import Literal, TypeAlias

from fieldtotable.errors import Problem
from fieldtotable.model.lot import STAGES
from fieldtotable.optimise.specification_error import CONSTRAINT_LABEL, problem
from fieldtotable.results.fields import KPIS, field_of, section
from fieldtotable.results.paths import BREAKDOWNS, kpi_unit, unknown_kpis
from fieldtotable.scenario.schema import Scenario

__all__ = [
    "DIRECTIONS",
    "SENSES",
    "Constraint",
    "Direction",
    "Objective",
    "Sense",
    "kpi_problem",
    "resolve_objective",
]

Direction: TypeAlias = Literal["maximise", "minimise"]
"""Whether the objective is to be made as high or as low as it can be."""

DIRECTIONS: tuple[Direction, ...] = ("maximise", "minimise")
"""The directions an objective may take."""

Sense: TypeAlias = Literal["<=", ">="]
"""How a constraint compares its KPI with its limit."""

SENSES: tuple[Sense, ...] = ("<=", ">=")
"""The comparisons a constraint may make (a mean is never judged strictly: no ``<``)."""

_DIRECTION_OF_BETTER: dict[str, Direction] = {"higher": "maximise", "lower": "minimise"}


@dataclass(frozen=True)
class Objective:
    """The KPI an optimisation makes as high or as low as it can.

    Attributes
    ----------
    kpi
        A KPI key of the registry or a dotted breakdown path.
    direction
        ``maximise`` or ``minimise``; :func:`resolve_objective` fills it in from the
        registry when not given.

    Raises
    ------
    SpecificationError
        For an unknown KPI or a direction that is neither, named ``--maximise KPI``
        (or ``--minimise KPI``).
    """

    kpi: str
    direction: Direction

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            close = difflib.get_close_matches(str(self.direction), DIRECTIONS, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise problem(
                f"objective {self.kpi}",
                f"direction must be 'maximise' or 'minimise' (got {self.direction!r}){hint}",
            )
        message = kpi_problem(self.kpi)
        if message is not None:
            raise problem(self.label, message)

    @property
    def label(self) -> str:
        """How problems name the objective: the command line's ``--maximise KPI``."""
        return f"--{self.direction} {self.kpi}"

    @property
    def optuna_direction(self) -> Literal["maximize", "minimize"]:
        """The direction as Optuna spells it (``maximize``, ``minimize``)."""
        return "maximize" if self.direction == "maximise" else "minimize"

    @property
    def unit(self) -> str:
        """The KPI's unit (``CNY``, ``fraction``), from the registry."""
        return kpi_unit(self.kpi)

    def better(self, candidate: float, incumbent: float) -> bool:
        """Return whether ``candidate`` is strictly better than ``incumbent``.

        Parameters
        ----------
        candidate, incumbent
            Values of the KPI (NaN is never better, and anything beats NaN).

        Returns
        -------
        bool
            ``candidate > incumbent`` when maximising, ``<`` when minimising.
        """
        if math.isnan(candidate):
            return False
        if math.isnan(incumbent):
            return True
        return candidate > incumbent if self.direction == "maximise" else candidate < incumbent

    def problems(self, scenario: Scenario) -> list[Problem]:
        """Return what is wrong with the KPI on ``scenario`` (a breakdown path's ids).

        Parameters
        ----------
        scenario
            The scenario whose products, legs and nodes a breakdown path may name.

        Returns
        -------
        list of Problem
            One problem named ``--maximise KPI`` when the path names an entity the
            scenario lacks; empty otherwise.
        """
        return [
            Problem(self.label, None, "", f"unknown KPI {bad}")
            for bad in unknown_kpis([self.kpi], scenario)
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.kpi}"


def resolve_objective(kpi: str, direction: str | None = None) -> Objective:
    """Return the objective on ``kpi``, its direction from the registry when not given.

    Parameters
    ----------
    kpi
        A KPI key of the registry or a dotted breakdown path.
    direction
        ``maximise`` or ``minimise``; ``None`` takes the registry's: maximise a KPI
        where higher is better (``profit_cny``), minimise one where lower is
        (``spoilage_rate``).

    Returns
    -------
    Objective
        The objective.

    Raises
    ------
    SpecificationError
        For an unknown KPI (with the closest keys), a direction that is neither, or
        no direction for a KPI the registry calls neither better higher nor lower
        (``demand_kg``).
    """
    if direction is None:
        message = kpi_problem(kpi)
        if message is not None:
            raise problem(f"objective {kpi}", message)
        found = field_of(kpi)
        better = None if found is None else found.better
        if better is None:
            raise problem(
                f"objective {kpi}",
                "the registry calls neither higher nor lower better for this KPI; "
                "say which: direction='maximise' or 'minimise' (--maximise or --minimise)",
            )
        return Objective(kpi, _DIRECTION_OF_BETTER[better])
    return Objective(kpi, direction)  # type: ignore[arg-type]  # checked in __post_init__


@dataclass(frozen=True)
class Constraint:
    """A bound on the expected value of a KPI: ``spoilage_rate <= 0.08``.

    Attributes
    ----------
    kpi
        A KPI key of the registry or a dotted breakdown path.
    sense
        ``<=`` (at most ``limit``) or ``>=`` (at least ``limit``).
    limit
        The bound, in the KPI's unit; finite (kept as ``float``).
    tolerance
        The indifference zone of the feasibility decision, in the KPI's unit: a mean
        within ``tolerance`` of the limit may be judged either way (the search
        supplies one when ``None``); finite and ``>= 0``. :meth:`holds` and
        :meth:`slack` do not use it: they are the constraint itself.

    Raises
    ------
    SpecificationError
        For an unknown KPI, a sense other than ``<=`` and ``>=``, a limit that is not a
        finite number, or a tolerance that is not a finite number ``>= 0``; named
        ``--subject-to TEXT``.
    """

    kpi: str
    sense: Sense
    limit: float
    tolerance: float | None = None

    def __post_init__(self) -> None:
        label = f"{CONSTRAINT_LABEL} {self.kpi} {self.sense} {self.limit!r}"
        if self.sense not in SENSES:
            raise problem(label, f"operator {self.sense!r} is not allowed; use <= or >=")
        message = kpi_problem(self.kpi)
        if message is not None:
            raise problem(label, message)
        object.__setattr__(self, "limit", _finite(self.limit, "limit", label))
        if self.tolerance is not None:
            tolerance = _finite(self.tolerance, "tolerance", label)
            if tolerance < 0:
                raise problem(label, f"tolerance must be >= 0 (got {tolerance!r})")
            object.__setattr__(self, "tolerance", tolerance)

    @property
    def label(self) -> str:
        """How problems name the constraint: ``--subject-to KPI <= LIMIT``."""
        return f"{CONSTRAINT_LABEL} {self.to_text()}"

    @property
    def unit(self) -> str:
        """The KPI's unit (``fraction``, ``CNY``), from the registry."""
        return kpi_unit(self.kpi)

    def slack(self, value: float) -> float:
        """Return how far ``value`` is past the limit: ``<= 0`` when the constraint holds.

        Parameters
        ----------
        value
            A value (an estimate of the mean) of the KPI.

        Returns
        -------
        float
            ``value - limit`` for ``<=``, ``limit - value`` for ``>=``: Optuna's
            convention for ``constraints_func``. NaN for a NaN value.
        """
        return value - self.limit if self.sense == "<=" else self.limit - value

    def holds(self, value: float) -> bool:
        """Return whether ``value`` meets the constraint (``slack(value) <= 0``).

        Parameters
        ----------
        value
            A value (an estimate of the mean) of the KPI.

        Returns
        -------
        bool
            ``True`` when it does; ``False`` for NaN (an undefined KPI, such as a fill
            rate with no demand, meets no constraint).
        """
        return self.slack(value) <= 0

    def with_tolerance(self, tolerance: float | None) -> Constraint:
        """Return the constraint with another tolerance.

        Parameters
        ----------
        tolerance
            The new tolerance (finite, ``>= 0``), or ``None``.

        Returns
        -------
        Constraint
            A copy; this one is not changed.
        """
        return dataclasses.replace(self, tolerance=tolerance)

    def to_text(self) -> str:
        """Return the command line's text of the constraint: ``spoilage_rate <= 0.08``.

        Returns
        -------
        str
            Text that :func:`~fieldtotable.optimise.parsing.parse_constraint` reads
            back to an equal constraint (with ``± TOLERANCE`` when one is set).
        """
        text = f"{self.kpi} {self.sense} {self.limit!r}"
        return text if self.tolerance is None else f"{text} ± {self.tolerance!r}"

    def problems(self, scenario: Scenario) -> list[Problem]:
        """Return what is wrong with the KPI on ``scenario`` (a breakdown path's ids).

        Parameters
        ----------
        scenario
            The scenario whose products, legs and nodes a breakdown path may name.

        Returns
        -------
        list of Problem
            One problem named ``--subject-to TEXT`` when the path names an entity the
            scenario lacks; empty otherwise.
        """
        return [
            Problem(self.label, None, "", f"unknown KPI {bad}")
            for bad in unknown_kpis([self.kpi], scenario)
        ]

    def __str__(self) -> str:
        return self.to_text()


def kpi_problem(kpi: object) -> str | None:
    """Return why ``kpi`` is not a KPI of the registry, in one line, or ``None``.

    Parameters
    ----------
    kpi
        A KPI key (``spoilage_rate``) or a dotted breakdown path
        (``by_product.matsutake.spoilage_rate``); a breakdown's ids are not checked
        here (they depend on the scenario).

    Returns
    -------
    str or None
        ``unknown KPI 'spoilage'; did you mean 'spoilage_rate'?`` and the like;
        ``None`` for a known KPI.
    """
    if not isinstance(kpi, str) or not kpi.strip():
        return f"a KPI must be a non-empty text (got {kpi!r})"
    if field_of(kpi) is not None:
        return None
    part, dot, rest = kpi.partition(".")
    if dot and part in BREAKDOWNS:
        metric = rest.rpartition(".")[2]
        known = list(STAGES) if part == "spoiled_kg_by_stage" else list(section(part))
        return f"unknown KPI {kpi!r}: {part} has no {metric!r}{_did_you_mean(metric, known)}"
    hint = _did_you_mean(kpi, list(KPIS))
    if hint:
        return f"unknown KPI {kpi!r}{hint}"
    return (
        f"unknown KPI {kpi!r} (a key of KPI_DEFINITIONS, or a path under "
        f"{', '.join(BREAKDOWNS)}; docs/reference/results.md lists them)"
    )


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if not close:
        return ""
    shown = [repr(found) for found in close]
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
    return f"; did you mean {listed}?"


def _finite(value: object, role: str, label: str) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number + 0.0
        raise problem(label, f"{role} must be a finite number (got {value!r})")
    raise problem(label, f"{role} must be a number (got {value!r})")
