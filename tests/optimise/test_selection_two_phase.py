"""The two-phase selection of the best feasible system (feasibility check, then KN).

The trap case of the notes (§7): the system with the best objective breaks a
constraint (its mean 1.5ε beyond the limit); the feasible runner-up, δ above the
rest, must be returned with probability at least 1 - α1 - α2, up to 3 standard errors
over M macro-replications.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from synthetic_systems import NormalSystems, Recorder

from fieldtotable.optimise import (
    BestFeasibleResult,
    StochasticConstraint,
    select_best_feasible,
)

N0 = 10
DELTA = 0.5
ALPHA_FEASIBILITY = 0.05
ALPHA_SELECTION = 0.05
PHASE_ONE = range(1_000, 2_000)
PHASE_TWO = range(2_000, 3_000)
MACRO_REPLICATIONS = 300  # tolerance 3·sqrt(0.1·0.9/300) = 0.052

SPOILAGE = StochasticConstraint(1, 0.08, 0.01, "<=", name="spoilage_rate")
FILL = StochasticConstraint(2, 0.90, 0.02, ">=", name="fill_rate")
CONSTRAINTS = (SPOILAGE, FILL)


def trap(correlation: float = 0.5, macro_replication: int = 0) -> NormalSystems:
    """Five systems: 0 has the best objective but spoils 1.5ε too much; 1 is the best feasible."""
    means = np.array(
        [
            # objective, spoilage_rate, fill_rate
            [1.0, 0.08 + 1.5 * 0.01, 0.95],
            [0.5, 0.08 - 0.01, 0.95],
            [0.0, 0.08 - 0.01, 0.95],
            [0.0, 0.08 - 0.01, 0.95],
            [0.0, 0.08 - 0.01, 0.95],
        ]
    )
    sds = np.array([1.0, 0.02, 0.03])
    return NormalSystems(means, sds, correlation, seed=31, macro_replication=macro_replication)


def select(
    sample: object, systems: object = range(5), constraints: object = CONSTRAINTS, **changes: object
) -> BestFeasibleResult:
    arguments: dict[str, object] = {
        "systems": systems,
        "constraints": constraints,
        "n0": N0,
        "delta": DELTA,
        "alpha_feasibility": ALPHA_FEASIBILITY,
        "alpha_selection": ALPHA_SELECTION,
        "feasibility_streams": PHASE_ONE,
        "selection_streams": PHASE_TWO,
    } | changes
    return select_best_feasible(sample, **arguments)  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_trap_returns_the_feasible_runner_up() -> None:
    results = [select(trap(macro_replication=macro)) for macro in range(MACRO_REPLICATIONS)]
    bound = 1 - ALPHA_FEASIBILITY - ALPHA_SELECTION
    pcs = np.mean([result.selected == 1 for result in results])
    assert pcs >= bound - 3 * math.sqrt(bound * (1 - bound) / MACRO_REPLICATIONS)
    # The infeasible best is declared feasible with probability at most β = α1/(K·s).
    beta = ALPHA_FEASIBILITY / (5 * 2)
    declared = np.mean([0 in result.feasibility.feasible for result in results])
    assert declared <= beta + 3 * math.sqrt(beta * (1 - beta) / MACRO_REPLICATIONS)
    assert all(result.claim_parameters.guarantee_holds for result in results)


def test_runs_are_accounted_by_phase_on_disjoint_blocks() -> None:
    sample = Recorder(trap(macro_replication=1))
    result = select(sample)
    assert sample.repeated == []
    assert result.runs_by_phase["feasibility"] == result.feasibility.total_runs
    assert result.selection is not None
    assert result.runs_by_phase["selection"] == result.selection.total_runs
    assert result.total_runs == sum(result.runs_by_phase.values()) == sample.runs
    for system in range(5):
        indices = sample.indices(system)
        phase_one = [index for index in indices if index in PHASE_ONE]
        phase_two = [index for index in indices if index in PHASE_TWO]
        assert len(phase_one) + len(phase_two) == len(indices)
        assert phase_one == list(range(PHASE_ONE.start, PHASE_ONE.start + len(phase_one)))
        assert phase_two == list(range(PHASE_TWO.start, PHASE_TWO.start + len(phase_two)))
        assert len(phase_one) == result.feasibility.checks[system].replications
        assert len(phase_two) == result.selection.replications.get(system, 0)


def test_same_inputs_give_the_same_result() -> None:
    assert select(trap(macro_replication=2)) == select(trap(macro_replication=2))


def test_the_claim_names_its_parameters() -> None:
    result = select(trap(macro_replication=3))
    parameters = result.claim_parameters
    assert (parameters.finalists, parameters.n0, parameters.delta) == (5, N0, DELTA)
    assert (parameters.alpha_feasibility, parameters.alpha_selection) == (0.05, 0.05)
    assert parameters.constraints == CONSTRAINTS
    assert parameters.tolerances == (0.01, 0.02)
    assert parameters.probability_bound == pytest.approx(0.9)
    assert result.claim.startswith("Among the K = 5 finalists, if the best feasible one")
    for part in (
        "by at least δ = 0.5",
        "with probability at least 0.9 (α1 = 0.05, α2 = 0.05, n0 = 10)",
        f"system {result.selected} was returned",
        "judged with tolerance ε = 0.01 on spoilage_rate <= 0.08 and ε = 0.02 on fill_rate >= 0.9;",
        "nothing is claimed about configurations outside the finalists, the global optimum",
    ):
        assert part in result.claim
    assert result.claim.endswith(".")
    assert ". " not in result.claim  # one sentence


def test_one_feasible_finalist_is_returned_without_a_selection_phase() -> None:
    sample = Recorder(trap(macro_replication=4))
    only_two = StochasticConstraint(1, 0.08, 0.01, name="spoilage_rate")
    result = select(sample, systems=[0, 1], constraints=[only_two])
    assert result.feasibility.feasible == (1,)
    assert result.selected == 1
    assert result.selection is None
    assert result.runs_by_phase["selection"] == 0
    assert not any(index in PHASE_TWO for _, index in sample.requests)
    assert "system 1 was returned (the only one shown feasible)" in result.claim


def test_no_feasible_finalist_is_said_plainly() -> None:
    impossible = StochasticConstraint(1, 0.0, 0.01, name="spoilage_rate")  # all spoil ~8 %
    result = select(trap(macro_replication=5), constraints=[impossible])
    assert result.selected is None
    assert result.selection is None
    assert result.claim.startswith("None of the K = 5 finalists was shown feasible")


def test_without_constraints_every_finalist_goes_to_selection() -> None:
    result = select(trap(macro_replication=6), constraints=[])
    assert result.feasibility.feasible == (0, 1, 2, 3, 4)
    assert result.runs_by_phase["feasibility"] == 0
    assert result.selected == 0  # the best objective, no constraint to break
    assert result.claim_parameters.probability_bound == pytest.approx(0.95)
    assert result == select(trap(macro_replication=6), constraints=[])


def test_a_cap_on_the_blocks_withdraws_the_claim() -> None:
    means = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])  # equal: KN would run long
    sample = NormalSystems(means, np.array([3.0, 0.001]), 0.0, seed=32)
    result = select(
        sample,
        systems=range(3),
        constraints=[StochasticConstraint(1, 0.5, 0.1)],
        feasibility_streams=range(12),
        selection_streams=range(12, 24),
    )
    assert result.selection is not None
    assert result.selection.budget_exhausted
    assert not result.claim_parameters.guarantee_holds
    assert "a replication cap cut the procedure short" in result.claim
    assert "no probability of correct selection is claimed" in result.claim


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"selection_streams": range(1_500, 2_500)}, "overlap; each phase needs its own indices"),
        ({"feasibility_streams": range(5)}, "holds 5 indices; n0 = 10 are needed"),
        (
            {"feasibility_streams": range(0, 100, 2)},
            "must be a range of indices from 0 up with step 1",
        ),
        ({"alpha_feasibility": 0.5, "alpha_selection": 0.5}, "must stay below 1"),
        ({"systems": []}, r"at least 1 system\(s\) needed"),
        ({"delta": -1.0}, "delta must be a finite number above 0"),
        ({"alpha_selection": 0.6, "alpha_feasibility": 0.1}, "alpha_selection must be below 0.5"),
    ],
)
def test_bad_arguments_are_refused_before_sampling(
    changes: dict[str, object], message: str
) -> None:
    sample = Recorder(trap())
    with pytest.raises(ValueError, match=message):
        select(sample, **changes)
    assert sample.calls == 0


def test_phase_two_can_take_its_block_after_phase_one() -> None:
    # A function of the feasible systems gives Phase II's block once Phase I is done;
    # it is called with those systems and its block is checked like a range.
    systems = NormalSystems([[1.0, 0.0], [0.0, 0.0], [0.5, 5.0]], sds=[[1, 0.1]] * 3)
    seen: list[list[int]] = []

    def block(feasible: Sequence[int]) -> range:
        seen.append(list(feasible))
        return range(2_000, 2_000 + 50 * len(feasible))

    constraint = StochasticConstraint(column=1, limit=1.0, tolerance=0.5)
    result = select_best_feasible(
        systems,
        [0, 1, 2],
        [constraint],
        n0=5,
        delta=0.5,
        alpha_feasibility=0.025,
        alpha_selection=0.025,
        feasibility_streams=range(100),
        selection_streams=block,
    )
    assert seen == [[0, 1]]
    assert result.selected == 0
    with pytest.raises(ValueError, match="overlap"):
        select_best_feasible(
            systems,
            [0, 1, 2],
            [constraint],
            n0=5,
            delta=0.5,
            alpha_feasibility=0.025,
            alpha_selection=0.025,
            feasibility_streams=range(100),
            selection_streams=lambda feasible: range(50, 150),
        )
