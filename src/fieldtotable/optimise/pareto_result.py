"""What a two-objective optimisation returns: a Pareto set, and its JSON.

:class:`ParetoResult` holds the front (:class:`ParetoMember`: each configuration's
objectives and constraints estimated on fresh replications), every candidate judged,
the pairwise comparisons of the front's members (:class:`ParetoComparison`: which
trade-offs the data show to be real), the runs by phase and every configuration the
search evaluated (:class:`ParetoTrialRecord`). :meth:`ParetoResult.to_json` is the
object the command line's ``--json`` prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fieldtotable.optimise.objectives import Objective
from fieldtotable.optimise.search_result import ConstraintEstimate, Estimate
from fieldtotable.optimise.variables import ParameterValue

__all__ = [
    "ComparisonVerdict",
    "DirectionSequence",
    "ObjectiveSequence",
    "ParetoComparison",
    "ParetoMember",
    "ParetoResult",
    "ParetoTrialRecord",
]

ObjectiveSequence = (
    list[str] | list[Objective] | list[str | Objective] | tuple[str | Objective, ...]
)
"""Two objectives as :func:`~fieldtotable.optimise.optimise` takes them (not a ``str``)."""

DirectionSequence = list[str] | list[str | None] | tuple[str | None, ...]
"""One direction (or ``None``: the registry's) per objective."""

ComparisonVerdict = Literal["trade-off", "first dominates", "second dominates", "not shown"]
"""What the paired differences of two configurations show (see :class:`ParetoComparison`)."""


@dataclass(frozen=True)
class ParetoMember:
    """A candidate configuration, estimated on the fresh final block.

    Attributes
    ----------
    params
        Path -> value.
    objectives
        Per objective (in the order given), its mean and confidence interval over the
        final block, which played no part in choosing the candidate.
    constraints
        Per constraint, its estimate on the final block.
    feasible
        Whether the constraint check declared every constraint met (``True`` when
        there are no constraints).
    on_front
        Whether no other feasible candidate's fresh means dominate it.
    """

    params: Mapping[str, ParameterValue]
    objectives: tuple[Estimate, ...]
    constraints: tuple[ConstraintEstimate, ...]
    feasible: bool
    on_front: bool

    def to_json(self) -> dict[str, Any]:
        """Return the member as JSON-compatible data.

        Returns
        -------
        dict
            ``params``, ``objectives`` (each ``{"mean", "ci", "n"}``),
            ``constraints``, ``feasible`` and ``on_front``.
        """
        return {
            "params": dict(self.params),
            "objectives": [objective.to_json() for objective in self.objectives],
            "constraints": [constraint.to_json() for constraint in self.constraints],
            "feasible": self.feasible,
            "on_front": self.on_front,
        }


@dataclass(frozen=True)
class ParetoComparison:
    """Two members of the front compared on paired (common random number) differences.

    Attributes
    ----------
    first, second
        Positions of the two members in :attr:`ParetoResult.front`.
    differences
        Per objective, the mean and confidence interval of first minus second over
        the final block, signed so that a positive difference favours the first
        (negated for an objective to minimise).
    verdict
        ``trade-off``: each is significantly better in some objective, so neither
        dominates the other; ``first dominates`` (or ``second dominates``): it is
        significantly better in some objective and its mean is no worse in any;
        ``not shown``: the intervals show neither a trade-off nor a dominance.
    """

    first: int
    second: int
    differences: tuple[Estimate, ...]
    verdict: ComparisonVerdict

    def to_json(self) -> dict[str, Any]:
        """Return the comparison as JSON-compatible data.

        Returns
        -------
        dict
            ``first``, ``second``, ``differences`` (each ``{"mean", "ci", "n"}``) and
            ``verdict``.
        """
        return {
            "first": self.first,
            "second": self.second,
            "differences": [difference.to_json() for difference in self.differences],
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class ParetoTrialRecord:
    """One configuration the search evaluated.

    Attributes
    ----------
    params
        Path -> value.
    proposals
        How many times the search proposed it (repeats are served from the cache).
    replications
        How many replications it got, all phases together.
    search
        Per objective, its estimate on the search block (what the search saw).
    constraint_means
        Each constraint KPI's mean on the search block.
    candidate
        Whether it went on to be judged on fresh replications.
    """

    params: Mapping[str, ParameterValue]
    proposals: int
    replications: int
    search: tuple[Estimate, ...]
    constraint_means: tuple[float, ...]
    candidate: bool

    def to_json(self) -> dict[str, Any]:
        """Return the record as JSON-compatible data.

        Returns
        -------
        dict
            ``params``, ``proposals``, ``replications``, ``search`` (per objective),
            ``constraint_means`` (NaN as ``None``) and ``candidate``.
        """
        return {
            "params": dict(self.params),
            "proposals": self.proposals,
            "replications": self.replications,
            "search": [objective.to_json() for objective in self.search],
            "constraint_means": [_number(value) for value in self.constraint_means],
            "candidate": self.candidate,
        }


@dataclass(frozen=True)
class ParetoResult:
    """A Pareto set of configurations for two objectives, what it cost, what it claims.

    Attributes
    ----------
    objectives
        ``maximise KPI`` or ``minimise KPI``, one per objective.
    constraints
        The constraints' texts.
    front
        The feasible candidates no other feasible candidate dominates on fresh means,
        in the order of the first objective (best first); empty when no candidate was
        declared feasible.
    candidates
        Every configuration judged on fresh replications, front members included.
    comparisons
        Every pair of front members, compared on paired differences.
    claim
        What the front does and does not show, in a few sentences.
    runs
        Simulation runs by phase (``search``, ``feasibility``, ``selection`` (always
        0 here), ``final``) and ``total``; ``total <= budget``.
    budget
        The budget given.
    trials
        Every configuration the search evaluated, in the order first proposed.
    settings
        α, n0, the search replications, the candidates, the final replications, how
        constraints were judged (``constraint_judgement``), β (each check's error),
        how many candidates' checks the budget stopped undecided, the seed and the
        variables.
    """

    objectives: tuple[str, ...]
    constraints: tuple[str, ...]
    front: tuple[ParetoMember, ...]
    candidates: tuple[ParetoMember, ...]
    comparisons: tuple[ParetoComparison, ...]
    claim: str
    runs: Mapping[str, int]
    budget: int
    trials: tuple[ParetoTrialRecord, ...]
    settings: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-compatible object the command line's ``--json`` prints.

        Returns
        -------
        dict
            ``objectives``, ``constraints``, ``front``, ``candidates``,
            ``comparisons``, ``claim``, ``runs``, ``budget``, ``trials`` and
            ``settings``.
        """
        return {
            "objectives": list(self.objectives),
            "constraints": list(self.constraints),
            "front": [member.to_json() for member in self.front],
            "candidates": [member.to_json() for member in self.candidates],
            "comparisons": [comparison.to_json() for comparison in self.comparisons],
            "claim": self.claim,
            "runs": dict(self.runs),
            "budget": self.budget,
            "trials": [trial.to_json() for trial in self.trials],
            "settings": dict(self.settings),
        }


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
