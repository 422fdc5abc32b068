"""Batur & Kim's feasibility check on synthetic systems.

At a mean ε beyond the limit the check must declare feasible with probability at
most β, and at a mean ε inside it with probability at least 1 - β (notes §7), each up
to 3 standard errors of the estimate over M macro-replications. The M
macro-replications run as M independent systems (rho = 0, their own streams) in one
call: the check of each system depends only on its own outputs.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pytest
from synthetic_systems import NormalSystems, Recorder

from fieldtotable.optimise import (
    FeasibilityResult,
    StochasticConstraint,
    feasibility_check,
    feasibility_eta,
)

N0 = 20
BETA = 0.05
TOLERANCE = 0.25  # ε = sigma/4
MACRO_REPLICATIONS = 2000  # tolerance 3·sqrt(0.05·0.95/2000) = 0.015
SLACK = 3 * math.sqrt(BETA * (1 - BETA) / MACRO_REPLICATIONS)


def constrained(
    means: np.ndarray, sd: float = 1.0, correlation: float = 0.0, seed: int = 0
) -> NormalSystems:
    """Systems whose objective is 0 and whose constraint outputs have the given means."""
    means = np.atleast_2d(np.asarray(means, dtype=float))
    objective = np.zeros((means.shape[0], 1))
    return NormalSystems(np.hstack([objective, means]), sd, correlation, seed=seed)


def fraction_feasible(mean_offset: float, sense: Literal["<=", ">="], limit: float = 2.0) -> float:
    # For '>=' the output is mirrored: a mean ε "beyond" the limit is below it.
    direction = 1.0 if sense == "<=" else -1.0
    means = np.full((MACRO_REPLICATIONS, 1), limit + direction * mean_offset)
    result = feasibility_check(
        constrained(means, seed=21 if sense == "<=" else 22),
        range(MACRO_REPLICATIONS),
        [StochasticConstraint(1, limit, TOLERANCE, sense)],
        n0=N0,
        beta=BETA,
        first_stream=0,
    )
    return len(result.feasible) / MACRO_REPLICATIONS


@pytest.mark.slow
@pytest.mark.parametrize("sense", ["<=", ">="])
def test_unacceptable_systems_are_rarely_declared_feasible(sense: Literal["<=", ">="]) -> None:
    assert fraction_feasible(+TOLERANCE, sense) <= BETA + SLACK


@pytest.mark.slow
@pytest.mark.parametrize("sense", ["<=", ">="])
def test_desirable_systems_are_declared_feasible(sense: Literal["<=", ">="]) -> None:
    assert fraction_feasible(-TOLERANCE, sense) >= 1 - BETA - SLACK


def test_a_check_ends_by_the_closing_of_its_region() -> None:
    # R(r) = 0 from r = 2η(n0-1)S²/ε² on: no system may run past ⌈that⌉ (or n0).
    means = np.zeros((50, 1))  # exactly at the limit: the longest checks
    sample = constrained(means, seed=23)
    result = feasibility_check(
        sample, range(50), [StochasticConstraint(1, 0.0, TOLERANCE)], N0, BETA, 0
    )
    eta = feasibility_eta(BETA, N0)
    for system in range(50):
        variance = np.var(sample(system, range(N0))[:, 1], ddof=1)
        closing = math.ceil(2 * eta * (N0 - 1) * variance / TOLERANCE**2)
        assert result.checks[system].replications <= max(N0, closing)


def test_far_from_the_limit_the_first_stage_decides() -> None:
    sample = Recorder(constrained(np.array([[-3.0], [3.0]]), sd=0.1))
    result = feasibility_check(sample, [0, 1], [StochasticConstraint(1, 0.0, 0.5)], N0, BETA, 40)
    assert result.feasible == (0,)
    assert result.checks[0].verdicts == ("feasible",)
    assert result.checks[1].verdicts == ("infeasible",)
    assert result.total_runs == sample.runs == 2 * N0


def test_every_constraint_must_hold_and_the_first_infeasible_one_ends_the_check() -> None:
    # Constraint 1 is far beyond its limit; constraint 2 sits exactly on its own, with a
    # tolerance so fine that its region stays wide open after the first stage.
    sample = Recorder(constrained(np.array([[5.0, 0.0]]), seed=24))
    constraints = [
        StochasticConstraint(1, 0.0, TOLERANCE, name="spoilage_rate"),
        StochasticConstraint(2, 0.0, 0.01, name="fill_rate"),
    ]
    result = feasibility_check(sample, [0], constraints, N0, BETA, 0)
    check = result.checks[0]
    assert not check.feasible
    assert result.feasible == ()
    assert check.verdicts == ("infeasible", "undecided")
    assert check.replications == N0  # stopped at once, the second left undecided


def test_feasible_on_one_constraint_is_not_enough() -> None:
    sample = constrained(np.array([[-5.0, 5.0], [-5.0, -5.0]]), seed=25)
    constraints = [StochasticConstraint(1, 0.0, 1.0), StochasticConstraint(2, 0.0, 1.0)]
    result = feasibility_check(sample, [0, 1], constraints, N0, BETA, 0)
    assert result.feasible == (1,)
    assert result.checks[0].verdicts == ("feasible", "infeasible")


def test_a_greater_or_equal_limit_reads_the_output_in_its_own_sign() -> None:
    sample = constrained(np.array([[0.95], [0.80]]), sd=0.01, seed=26)
    fill = StochasticConstraint(1, 0.9, 0.02, sense=">=", name="fill_rate")
    result = feasibility_check(sample, [0, 1], [fill], N0, BETA, 0)
    assert result.feasible == (0,)
    assert result.checks[0].constraint_means[0] == pytest.approx(0.95, abs=0.01)
    assert result.checks[1].constraint_means[0] == pytest.approx(0.80, abs=0.01)
    assert str(fill) == "fill_rate >= 0.9 (tolerance 0.02)"


def test_budget_is_accounted_and_each_stream_asked_once() -> None:
    means = np.linspace(-0.5, 0.5, 8)[:, np.newaxis]
    sample = Recorder(constrained(means, correlation=0.5, seed=27))
    result = feasibility_check(
        sample, range(8), [StochasticConstraint(1, 0.0, TOLERANCE)], N0, BETA, 300
    )
    assert sample.repeated == []
    assert result.total_runs == sample.runs
    for system in range(8):
        replications = result.checks[system].replications
        assert sample.indices(system) == list(range(300, 300 + replications))


def test_same_inputs_give_the_same_result() -> None:
    def run() -> FeasibilityResult:
        sample = constrained(np.linspace(-0.3, 0.3, 6)[:, np.newaxis], correlation=0.3, seed=28)
        return feasibility_check(
            sample, range(6), [StochasticConstraint(1, 0.0, TOLERANCE)], N0, BETA, 0
        )

    assert run() == run()


def test_a_replication_cap_leaves_a_close_call_undecided_and_not_feasible() -> None:
    sample = Recorder(constrained(np.zeros((1, 1)), seed=29))
    result = feasibility_check(
        sample, [0], [StochasticConstraint(1, 0.0, 0.01)], N0, BETA, 0, max_replications=N0 + 5
    )
    assert result.budget_exhausted
    assert result.feasible == ()
    assert result.checks[0].verdicts == ("undecided",)
    assert sample.runs == N0 + 5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"column": 0, "limit": 0.0, "tolerance": 1.0}, "column must be an integer of at least 1"),
        ({"column": 1, "limit": math.nan, "tolerance": 1.0}, "limit must be a finite number"),
        (
            {"column": 1, "limit": 0.0, "tolerance": 0.0},
            "tolerance must be a finite number above 0",
        ),
        ({"column": 1, "limit": 0.0, "tolerance": 1.0, "sense": "<"}, "sense must be '<=' or '>='"),
    ],
)
def test_a_bad_constraint_is_refused(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        StochasticConstraint(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"systems": []}, r"at least 1 system\(s\) needed, got 0"),
        ({"constraints": []}, "at least one constraint needed"),
        ({"constraints": [(1, 0.0, 1.0)]}, "constraints must be StochasticConstraint"),
        ({"beta": 0.5}, "beta must lie strictly between 0 and 0.5"),
        ({"n0": 1}, "n0 must be an integer of at least 2"),
        ({"max_replications": 3}, f"max_replications must be an integer of at least {N0}"),
    ],
)
def test_bad_arguments_are_refused_before_sampling(
    changes: dict[str, object], message: str
) -> None:
    sample = Recorder(constrained(np.zeros((2, 1))))
    arguments: dict[str, object] = {
        "systems": range(2),
        "constraints": [StochasticConstraint(1, 0.0, 1.0)],
        "n0": N0,
        "beta": BETA,
        "first_stream": 0,
    } | changes
    with pytest.raises(ValueError, match=message):
        feasibility_check(sample, **arguments)  # type: ignore[arg-type]
    assert sample.calls == 0


def test_a_sampler_without_the_constraint_column_is_refused() -> None:
    sample = NormalSystems(np.zeros(2), 1.0)  # the objective only
    with pytest.raises(ValueError, match=r"expected \(20, at least 3\)"):
        feasibility_check(sample, [0], [StochasticConstraint(2, 0.0, 1.0)], N0, BETA, 0)
