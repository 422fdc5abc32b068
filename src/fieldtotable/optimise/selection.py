"""Select the best feasible system in two phases (Andradóttir & Kim 2010), and say how sure.

Phase I checks every finalist's constraints (Batur & Kim, error α1 split by Bonferroni
over the K·s checks) on one block of replication indices. Phase II runs Kim & Nelson
among the systems declared feasible (error α2) on a second, disjoint block, so its
data are fresh. If the best feasible system (every constraint mean at least ε inside
its limit) beats by at least δ every finalist that is not clearly infeasible, it is
returned with probability at least 1 - α1 - α2.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from fieldtotable.optimise.feasibility import (
    FeasibilityResult,
    StochasticConstraint,
    SystemFeasibility,
    feasibility_check,
)
from fieldtotable.optimise.kim_nelson import KimNelsonResult, check_systems, kim_nelson
from fieldtotable.optimise.sampling import Sampler
from fieldtotable.optimise.selection_constants import (
    bonferroni_beta,
    check_count,
    check_positive,
    check_probability,
)

__all__ = ["BestFeasibleResult", "SelectionClaim", "select_best_feasible"]


@dataclass(frozen=True)
class SelectionClaim:
    """The parameters of the probability-of-correct-selection claim.

    Attributes
    ----------
    finalists
        K, the number of systems the claim is about.
    alpha_feasibility
        α1, the error allowed to Phase I (all feasibility checks together).
    alpha_selection
        α2, the error allowed to Phase II (Kim & Nelson).
    delta
        δ, the indifference zone in the objective's unit.
    constraints
        The constraints feasibility was judged on, each with its limit q and
        tolerance ε.
    n0
        The first-stage sample size of both phases.
    guarantee_holds
        False when a replication cap cut a phase short: the probability bound then
        does not apply.
    """

    finalists: int
    alpha_feasibility: float
    alpha_selection: float
    delta: float
    constraints: tuple[StochasticConstraint, ...]
    n0: int
    guarantee_holds: bool

    @property
    def tolerances(self) -> tuple[float, ...]:
        """ε of each constraint, in order."""
        return tuple(bound.tolerance for bound in self.constraints)

    @property
    def probability_bound(self) -> float:
        """1 - α1 - α2 (1 - α2 without constraints: Phase I then has nothing to judge)."""
        spent = self.alpha_selection + (self.alpha_feasibility if self.constraints else 0.0)
        return 1.0 - spent


@dataclass(frozen=True)
class BestFeasibleResult:
    """What :func:`select_best_feasible` returned, what it cost, and what it claims.

    Attributes
    ----------
    selected
        The system selected, or None when no finalist was shown feasible.
    feasibility
        Phase I: the feasibility check of every finalist.
    selection
        Phase II: Kim & Nelson among the feasible ones; None when fewer than two were
        declared feasible (nothing to compare).
    runs_by_phase
        Replications by phase: ``{"feasibility": ..., "selection": ...}``.
    claim_parameters
        α1, α2, δ, ε, n0 and K of the claim.
    claim
        The claim in one sentence, and what it does not cover.
    """

    selected: int | None
    feasibility: FeasibilityResult
    selection: KimNelsonResult | None
    runs_by_phase: Mapping[str, int]
    claim_parameters: SelectionClaim
    claim: str

    @property
    def total_runs(self) -> int:
        """Replications of both phases together."""
        return sum(self.runs_by_phase.values())


def select_best_feasible(
    sample: Sampler,
    systems: Sequence[int],
    constraints: Sequence[StochasticConstraint],
    n0: int,
    delta: float,
    alpha_feasibility: float,
    alpha_selection: float,
    feasibility_streams: range,
    selection_streams: range | Callable[[Sequence[int]], range],
) -> BestFeasibleResult:
    """Return the best of the finalists that meet the constraints, with the claim.

    Parameters
    ----------
    sample
        The sampler: column 0 the objective (larger is better), then the outputs
        the constraints read.
    systems
        K ≥ 1 finalists, all different.
    constraints
        The stochastic constraints every selected system must meet (none: Phase I
        declares every finalist feasible without sampling).
    n0
        First-stage replications per system in each phase, at least 2.
    delta
        The indifference zone δ > 0 in the objective's unit.
    alpha_feasibility
        α1, the error of Phase I, split over the K·s checks: β = α1/(K·s).
    alpha_selection
        α2, the error of Phase II.
    feasibility_streams
        Phase I's block of replication indices (step 1, at least ``n0`` long); its
        length caps each system's Phase I replications.
    selection_streams
        Phase II's block, disjoint from Phase I's (fresh data for the selection);
        its length caps each system's Phase II replications. A function of the
        systems declared feasible gives it after Phase I, so that a budget can pay
        Phase II with what Phase I left (called only when two or more are feasible).

    Returns
    -------
    BestFeasibleResult
        The system selected (or None), both phases' results, the runs by phase and
        the claim.

    Raises
    ------
    ValueError
        When an argument is out of range, the blocks overlap, or the sampler returns
        a malformed array.
    """
    identifiers = check_systems(systems, minimum=1)
    bounds = tuple(constraints)
    check_count("n0", n0, 2)
    check_positive("delta", delta)
    check_probability("alpha_feasibility", alpha_feasibility)
    check_probability("alpha_selection", alpha_selection)
    if alpha_feasibility + alpha_selection >= 1.0:
        raise ValueError(
            f"alpha_feasibility + alpha_selection must stay below 1, not "
            f"{alpha_feasibility + alpha_selection:g}"
        )
    if len(identifiers) >= 2 and alpha_selection >= 0.5:
        # Phase II may compare two systems, where KN needs α2 < (k - 1)/2 = 0.5;
        # refuse it now rather than after Phase I has spent its runs.
        raise ValueError(
            f"alpha_selection must be below 0.5 (Phase II may compare two systems), "
            f"not {alpha_selection!r}"
        )
    _check_block("feasibility_streams", feasibility_streams, n0)
    if isinstance(selection_streams, range):
        _check_streams(feasibility_streams, selection_streams, n0)

    if bounds:
        beta = bonferroni_beta(alpha_feasibility, len(identifiers), len(bounds))
        feasibility = feasibility_check(
            sample,
            identifiers,
            bounds,
            n0=n0,
            beta=beta,
            first_stream=feasibility_streams.start,
            max_replications=len(feasibility_streams),
        )
    else:
        feasibility = _all_feasible(identifiers, n0, feasibility_streams.start)
    feasible = feasibility.feasible

    selection: KimNelsonResult | None = None
    selected: int | None = feasible[0] if len(feasible) == 1 else None
    if len(feasible) >= 2:
        if not isinstance(selection_streams, range):
            selection_streams = selection_streams(feasible)
            _check_streams(feasibility_streams, selection_streams, n0)
        selection = kim_nelson(
            sample,
            feasible,
            n0=n0,
            delta=delta,
            alpha=alpha_selection,
            first_stream=selection_streams.start,
            max_replications=len(selection_streams),
        )
        selected = selection.selected

    parameters = SelectionClaim(
        finalists=len(identifiers),
        alpha_feasibility=float(alpha_feasibility),
        alpha_selection=float(alpha_selection),
        delta=float(delta),
        constraints=bounds,
        n0=n0,
        guarantee_holds=not feasibility.budget_exhausted
        and (selection is None or selection.guarantee_holds),
    )
    return BestFeasibleResult(
        selected=selected,
        feasibility=feasibility,
        selection=selection,
        runs_by_phase={
            "feasibility": feasibility.total_runs,
            "selection": 0 if selection is None else selection.total_runs,
        },
        claim_parameters=parameters,
        claim=claim_sentence(parameters, selected, len(feasible)),
    )


def claim_sentence(parameters: SelectionClaim, selected: int | None, feasible: int) -> str:
    """Return the honest claim of a two-phase selection in one sentence.

    Parameters
    ----------
    parameters
        The claim's parameters.
    selected
        The system selected, or None.
    feasible
        How many finalists Phase I declared feasible.

    Returns
    -------
    str
        What the result guarantees, under which assumptions, and what it does not.
    """
    finalists = parameters.finalists
    tolerances = [
        f"ε = {bound.tolerance:g} on {bound.label} {bound.sense} {bound.limit:g}"
        for bound in parameters.constraints
    ]
    judged = f"; feasibility is judged with tolerance {_joined(tolerances)}" if tolerances else ""
    outside = "; nothing is claimed about configurations outside the finalists"
    not_covered = f"{outside}, the global optimum, or differences smaller than δ."
    if selected is None:
        return (
            f"None of the K = {finalists} finalists was shown feasible: a finalist whose "
            f"every constraint mean lay at least ε inside its limit would have been "
            f"declared feasible with probability at least {1 - parameters.alpha_feasibility:g} "
            f"(α1 = {parameters.alpha_feasibility:g}, n0 = {parameters.n0})"
            f"{judged}{outside}."
        )
    if not parameters.guarantee_holds:
        return (
            f"System {selected} is the best-looking of the {feasible} finalist(s) shown "
            f"feasible among K = {finalists}, but a replication cap cut the procedure "
            f"short, so no probability of correct selection is claimed{judged}"
            f"{not_covered}"
        )
    only = " (the only one shown feasible)" if feasible == 1 else ""
    return (
        f"Among the K = {finalists} finalists, if the best feasible one (every constraint "
        f"mean at least ε inside its limit) beats every other not clearly infeasible one "
        f"by at least δ = {parameters.delta:g}, it is returned with probability at least "
        f"{parameters.probability_bound:g} (α1 = {parameters.alpha_feasibility:g}, "
        f"α2 = {parameters.alpha_selection:g}, n0 = {parameters.n0}); "
        f"system {selected} was returned{only}, assuming roughly normal outputs"
        f"{judged}{not_covered}"
    )


def _joined(items: list[str]) -> str:
    """Join the items as prose: ``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _check_block(name: str, block: range, n0: int) -> None:
    if not isinstance(block, range) or block.step != 1 or block.start < 0:
        raise ValueError(f"{name} must be a range of indices from 0 up with step 1, not {block!r}")
    if len(block) < n0:
        raise ValueError(f"{name} {block} holds {len(block)} indices; n0 = {n0} are needed")


def _check_streams(feasibility_streams: range, selection_streams: range, n0: int) -> None:
    """Refuse a selection block shorter than ``n0`` or overlapping Phase I's."""
    _check_block("selection_streams", selection_streams, n0)
    if _overlap(feasibility_streams, selection_streams):
        raise ValueError(
            f"feasibility_streams {feasibility_streams} and selection_streams "
            f"{selection_streams} overlap; each phase needs its own indices"
        )


def _overlap(first: range, second: range) -> bool:
    return max(first.start, second.start) < min(first.stop, second.stop)


def _all_feasible(identifiers: tuple[int, ...], n0: int, first_stream: int) -> FeasibilityResult:
    """Phase I without constraints: every finalist is feasible, no replication used."""
    return FeasibilityResult(
        systems=identifiers,
        constraints=(),
        checks={
            system: SystemFeasibility(
                system=system, feasible=True, verdicts=(), replications=0, constraint_means=()
            )
            for system in identifiers
        },
        feasible=identifiers,
        total_runs=0,
        n0=n0,
        beta=0.0,
        eta=0.0,
        first_stream=first_stream,
        budget_exhausted=False,
    )
