"""The search space: decision variables by field path, checked against a scenario.

::

    space = SearchSpace({
        "legs.shangrila_kunming.fleet": Integer(1, 8),
        "hubs.shanghai_dc.storage_kg": Real(20_000, 200_000),
        "legs.kunming_shanghai.mode": Choice(["reefer_truck", "rail_reefer"]),
    })
    space.validate(scenario)          # every path and every end or choice, before any run
    changed = space.apply(scenario, {"legs.shangrila_kunming.fleet": 3, ...})
    space.key(params)                 # the same text for the same configuration

A path is what ``--set PATH=VALUE`` takes (:mod:`fieldtotable.scenario.overrides`).
:meth:`SearchSpace.validate` applies each end of a range and each value of a choice on
its own with :func:`~fieldtotable.scenario.apply_overrides`, so that an unknown path,
a range on a field that takes no numbers (``legs.a.mode`` with ``int:1..8``), a real
range on a field of whole numbers, an end the schema refuses (``fleet`` 0) and a
choice value the field does not take are all reported before anything runs, one line
per variable. Values that each pass on their own may still fail together (a minimum
load above a vehicle's capacity): :meth:`SearchSpace.apply` reports that
combination.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.optimise.parsing import format_variable, parse_variable
from fieldtotable.optimise.specification_error import (
    VARIABLE_LABEL,
    SpecificationError,
    problem,
)
from fieldtotable.optimise.variables import Choice, Integer, ParameterValue, Real, Variable
from fieldtotable.scenario.overrides import SET_LABEL, apply_overrides, parse_override_path
from fieldtotable.scenario.schema import Scenario

__all__ = ["TRIAL_LABEL", "SearchSpace"]

TRIAL_LABEL = "trial"
"""How problems name a configuration that does not apply: ``trial PATH=VALUE, ...``."""

_GOT = re.compile(r" \(got .*\)$")
_VARIABLE_TYPES = (Integer, Real, Choice)


class SearchSpace(Mapping[str, Variable]):
    """Decision variables by field path: what an optimisation may change in a scenario.

    A read-only mapping, in the order given (the order of the command line's
    ``--var`` options).

    Parameters
    ----------
    variables
        Field path (as ``--set`` takes it) -> :class:`Integer`, :class:`Real` or
        :class:`Choice`; at least one.

    Raises
    ------
    SpecificationError
        For no variables, a malformed path, a value that is not a variable, or two
        paths that name the same field (``departures_h.0`` and ``departures_h[0]``);
        one problem per variable at fault.
    """

    def __init__(self, variables: Mapping[str, Variable]) -> None:
        problems: list[Problem] = []
        checked: dict[str, Variable] = {}
        first: dict[tuple[str | int, ...], str] = {}
        if not variables:
            raise problem("", "no variables: a search space needs at least one")
        for raw_path, variable in variables.items():
            path = raw_path.strip() if isinstance(raw_path, str) else raw_path
            if not isinstance(variable, _VARIABLE_TYPES):
                message = (
                    f"{variable!r} is not a variable; use Integer(LO, HI), Real(LO, HI) "
                    "or Choice([A, B, ...])"
                )
                problems.append(Problem(f"{VARIABLE_LABEL} {path}", None, "", message))
                continue
            label = f"{VARIABLE_LABEL} {format_variable(str(path), variable)}"
            if not isinstance(path, str):
                problems.append(Problem(label, None, "", "the path must be a string"))
                continue
            try:
                field = _field(path)
            except ValueError as exc:
                problems.append(Problem(label, None, "", str(exc)))
                continue
            if field in first:
                problems.append(
                    Problem(label, None, "", f"the same field as the variable {first[field]!r}")
                )
                continue
            first[field] = path
            checked[path] = variable
        if problems:
            raise SpecificationError(problems)
        self._variables = checked

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> SearchSpace:
        """Read the command line's ``--var PATH=KIND:SPEC`` options.

        Parameters
        ----------
        texts
            One text per ``--var`` (see
            :func:`~fieldtotable.optimise.parsing.parse_variable`).

        Returns
        -------
        SearchSpace
            The variables, in the order given (not yet checked against a scenario:
            see :meth:`validate`).

        Raises
        ------
        SpecificationError
            With one problem per text that cannot be read or that names a field an
            earlier text names already, each named ``--var TEXT``; or, for no texts,
            one problem saying so.
        """
        problems: list[Problem] = []
        variables: dict[str, Variable] = {}
        first: dict[tuple[str | int, ...], str] = {}
        count = 0
        for text in texts:
            count += 1
            try:
                path, variable = parse_variable(text)
            except SpecificationError as exc:
                problems += exc.problems
                continue
            field = _field(path)
            if field in first:
                message = f"this field already has a variable ({VARIABLE_LABEL} {first[field]})"
                problems.append(Problem(f"{VARIABLE_LABEL} {text}", None, "", message))
                continue
            first[field] = text
            variables[path] = variable
        if count == 0:
            raise problem("", f"no variables: give at least one {VARIABLE_LABEL} PATH=KIND:SPEC")
        if problems:
            raise SpecificationError(problems)
        return cls(variables)

    def __getitem__(self, path: str) -> Variable:
        return self._variables[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._variables)

    def __len__(self) -> int:
        return len(self._variables)

    def __repr__(self) -> str:
        return f"SearchSpace({self._variables!r})"

    @property
    def grid_size(self) -> int | None:
        """How many configurations a full grid holds; ``None`` when a variable is real."""
        size = 1
        for variable in self._variables.values():
            if isinstance(variable, Real):
                return None
            size *= variable.size
        return size

    def to_texts(self) -> tuple[str, ...]:
        """Return the command line's ``--var`` values that make this space.

        Returns
        -------
        tuple of str
            ``PATH=KIND:SPEC`` per variable, in order; :meth:`from_texts` reads them
            back to an equal space.
        """
        return tuple(format_variable(path, variable) for path, variable in self.items())

    def problems(self, scenario: Scenario) -> list[Problem]:
        """Return what is wrong with each variable on ``scenario`` (see :meth:`validate`).

        Parameters
        ----------
        scenario
            The scenario the optimisation starts from.

        Returns
        -------
        list of Problem
            One per variable at fault, named ``--var PATH=KIND:SPEC``; empty when
            every variable fits.
        """
        found: list[Problem] = []
        for path, variable in self.items():
            message = _variable_problem(scenario, path, variable)
            if message is not None:
                label = f"{VARIABLE_LABEL} {format_variable(path, variable)}"
                found.append(Problem(label, None, "", message))
        return found

    def validate(self, scenario: Scenario) -> None:
        """Check every variable on ``scenario`` before any run.

        Each end of a range and each value of a choice is applied on its own (the
        other fields as the scenario has them) and the scenario re-validated.

        Parameters
        ----------
        scenario
            The scenario the optimisation starts from.

        Raises
        ------
        SpecificationError
            With one problem per variable at fault: an unknown path (with a "did you
            mean"), a number range on a field that takes no numbers, a real range
            on a field of whole numbers, an end or a choice value the field refuses
            (each named, with the schema's reason).
        """
        found = self.problems(scenario)
        if found:
            raise SpecificationError(found)

    def normalise(self, params: Mapping[str, object]) -> dict[str, ParameterValue]:
        """Return a configuration with each value in its variable's canonical type.

        Parameters
        ----------
        params
            Path -> value, for every variable of the space and no other path.

        Returns
        -------
        dict of str to ParameterValue
            In the space's order: ``int`` for :class:`Integer`, ``float`` for
            :class:`Real`, the choice's own value for :class:`Choice`.

        Raises
        ------
        SpecificationError
            For a missing or unknown path, or a value outside its variable.
        """
        problems: list[Problem] = []
        unknown = [path for path in params if path not in self._variables]
        if unknown:
            message = f"not a variable of this search space (variables: {', '.join(self)})"
            problems += [Problem(f"{TRIAL_LABEL} {path}", None, "", message) for path in unknown]
        values: dict[str, ParameterValue] = {}
        for path, variable in self.items():
            label = f"{VARIABLE_LABEL} {format_variable(path, variable)}"
            if path not in params:
                problems.append(Problem(label, None, "", "no value in this configuration"))
                continue
            try:
                values[path] = variable.normalise(params[path])
            except SpecificationError as exc:
                problems.append(Problem(label, None, "", exc.problems[0].message))
        if problems:
            raise SpecificationError(problems)
        return values

    def key(self, params: Mapping[str, object]) -> str:
        """Return a text that is the same for the same configuration, and only for it.

        For caching: a search that proposes a configuration again finds its runs.

        Parameters
        ----------
        params
            Path -> value, as :meth:`normalise` takes it.

        Returns
        -------
        str
            Compact JSON of the normalised values, paths sorted (``2`` and ``2.0``
            of an :class:`Integer` give one key; ``1`` and ``true`` of a
            :class:`Choice` two).

        Raises
        ------
        SpecificationError
            As :meth:`normalise`.
        """
        values = self.normalise(params)
        return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def apply(self, scenario: Scenario, params: Mapping[str, object]) -> Scenario:
        """Return ``scenario`` with the configuration's values set.

        Parameters
        ----------
        scenario
            The scenario the optimisation starts from; it is not changed.
        params
            Path -> value, for every variable of the space (see :meth:`normalise`).

        Returns
        -------
        Scenario
            The changed scenario, validated and network-checked.

        Raises
        ------
        SpecificationError
            As :meth:`normalise`; or with the problems of a configuration whose values
            the scenario refuses together, named ``trial PATH=VALUE``.
        """
        values = self.normalise(params)
        try:
            return apply_overrides(scenario, values)
        except ScenarioError as exc:
            raise SpecificationError(_as_trial(found) for found in exc.problems) from None


# --- checking one variable on a scenario ---------------------------------------------


def _field(path: str) -> tuple[str | int, ...]:
    """Return the segments of a path with list indices as numbers (``a.0`` is ``a[0]``)."""
    return tuple(
        int(segment) if isinstance(segment, str) and segment.isdigit() else segment
        for segment in parse_override_path(path)
    )


def _refusal(scenario: Scenario, path: str, value: ParameterValue) -> list[Problem]:
    """Return the problems of setting ``path`` to ``value`` alone; empty when it applies."""
    try:
        apply_overrides(scenario, {path: value})
    except ScenarioError as exc:
        return list(exc.problems)
    return []


def _variable_problem(scenario: Scenario, path: str, variable: Variable) -> str | None:
    """Return what is wrong with ``variable`` at ``path`` in one line, or ``None``."""
    checked = variable.checked_values()
    failures = [
        (role, value, found)
        for role, value in checked
        if (found := _refusal(scenario, path, value))
    ]
    if not failures:
        return None
    if isinstance(variable, Real):
        hint = _whole_number_hint(scenario, path, variable)
        if hint is not None:
            return hint
    general = {_GOT.sub("", _reason(found)) for _, _, found in failures}
    if len(failures) == len(checked) and len(general) == 1:
        # Every value refused for one reason: the path or the field is wrong, not a
        # value; say it once.
        reason = general.pop()
        if any(refused.path for _, _, found in failures for refused in found):
            return reason  # a path that does not exist, whatever the value
        if len(checked) > 1:
            what = (
                "the field takes none of these values"
                if isinstance(variable, Choice)
                else "a number range does not fit this field"
            )
            return f"{what}: {reason}"
    # The role names the value, so the schema's "(got VALUE)" would say it twice.
    return "; ".join(
        f"{role}: {_reason(found, value_named=True)}"
        if role.startswith("choice")
        else f"{role} {value!r}: {_reason(found, value_named=True)}"
        for role, value, found in failures
    )


def _whole_number_hint(scenario: Scenario, path: str, variable: Real) -> str | None:
    """Say so when a real range names a field of whole numbers.

    The field is one of whole numbers when it takes an integer but refuses the same
    number written as a float (the scenario's integers are strict).
    """
    low, high = math.ceil(variable.low), math.floor(variable.high)
    if low > high:
        return None
    if _refusal(scenario, path, float(low)) and not _refusal(scenario, path, low):
        return f"the field takes whole numbers only: use int:{low}..{high}, not a real range"
    return None


def _reason(found: list[Problem], *, value_named: bool = False) -> str:
    """Write the problems of one value in one line, each with its path where it has one.

    With ``value_named``, the schema's ``(got VALUE)`` is left off the variable's own
    field (the line names the value already).
    """
    return "; ".join(
        f"{p.path}: {p.message}"
        if p.path
        else _GOT.sub("", p.message)
        if value_named
        else p.message
        for p in found
    )


def _as_trial(found: Problem) -> Problem:
    """Name a configuration's problem ``trial PATH=VALUE`` instead of ``--set PATH=VALUE``."""
    label = (found.file or "").replace(f"{SET_LABEL} ", f"{TRIAL_LABEL} ")
    return Problem(label or TRIAL_LABEL, None, found.path, found.message)
