"""Kim & Nelson's fully sequential selection on synthetic systems with common random numbers.

The statistical checks follow the notes (reference/optimisation-notes.md §7): under
the slippage configuration (the best mean δ above all others) the estimated
probability of correct selection over M macro-replications must reach
1 - α - 3·sqrt(α(1 - α)/M); positive correlation between systems must save
replications; no system may run past n0 + max_l ⌊h²S²_il/δ²⌋ + 1.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest
from synthetic_systems import NormalSystems, Recorder

from fieldtotable.optimise import KimNelsonResult, kim_nelson, kim_nelson_h_squared

SYSTEMS = 10
N0 = 10
DELTA = 0.5  # sigma/2, with sigma = 1
ALPHA = 0.05
MACRO_REPLICATIONS = 1000  # PCS tolerance 3·sqrt(0.05·0.95/1000) = 0.021


def slippage_means(systems: int = SYSTEMS) -> np.ndarray:
    means = np.zeros(systems)
    means[0] = DELTA
    return means


@cache
def slippage_runs(correlation: float, macro_replications: int) -> tuple[np.ndarray, np.ndarray]:
    """Selected system and total runs for each macro-replication (computed once per rho)."""
    selected, runs = [], []
    for macro in range(macro_replications):
        sample = NormalSystems(slippage_means(), 1.0, correlation, seed=11, macro_replication=macro)
        result = kim_nelson(sample, range(SYSTEMS), N0, DELTA, ALPHA, first_stream=0)
        selected.append(result.selected)
        runs.append(result.total_runs)
    return np.array(selected), np.array(runs)


@pytest.mark.slow
@pytest.mark.parametrize("correlation", [0.0, 0.5])
def test_slippage_probability_of_correct_selection(correlation: float) -> None:
    selected, _ = slippage_runs(correlation, MACRO_REPLICATIONS)
    pcs = float(np.mean(selected == 0))
    floor = 1 - ALPHA - 3 * math.sqrt(ALPHA * (1 - ALPHA) / MACRO_REPLICATIONS)
    assert pcs >= floor, f"PCS {pcs:.3f} below {floor:.3f} (rho = {correlation})"


@pytest.mark.slow
def test_common_random_numbers_save_replications() -> None:
    # Var(X_i - X_l) = 2sigma²(1 - rho): the triangles shrink as rho rises.
    mean_runs = {rho: slippage_runs(rho, 200)[1].mean() for rho in (0.0, 0.5, 0.9)}
    assert mean_runs[0.9] < 0.5 * mean_runs[0.5] < 0.5 * mean_runs[0.0]


@pytest.mark.slow
def test_spread_means_take_fewer_replications_than_slippage() -> None:
    spread = -DELTA * np.arange(SYSTEMS)  # 0, -δ, -2δ, ...: most are dropped early
    runs = [
        kim_nelson(
            NormalSystems(spread, 1.0, 0.0, seed=12, macro_replication=macro),
            range(SYSTEMS),
            N0,
            DELTA,
            ALPHA,
            first_stream=0,
        ).total_runs
        for macro in range(100)
    ]
    assert np.mean(runs) < 0.6 * slippage_runs(0.0, 200)[1].mean()


def pair_variances(sample: NormalSystems, systems: int, first_stream: int) -> np.ndarray:
    """S²_il from the first n0 outputs, computed here independently of the procedure."""
    first_stage = np.stack(
        [sample(system, range(first_stream, first_stream + N0))[:, 0] for system in range(systems)]
    )
    return np.array(
        [
            [np.var(first_stage[i] - first_stage[other], ddof=1) for other in range(systems)]
            for i in range(systems)
        ]
    )


@pytest.mark.parametrize(
    ("sds", "correlation"),
    [
        (np.ones(5), 0.0),  # equal variances
        (np.linspace(0.5, 2.0, 5), 0.5),  # the best is the least variable
        (np.linspace(2.0, 0.5, 5), 0.9),  # the best is the most variable
    ],
)
def test_no_system_runs_past_the_closing_triangle(sds: np.ndarray, correlation: float) -> None:
    h_squared = kim_nelson_h_squared(ALPHA, 5, N0)
    for macro in range(40):
        sample = NormalSystems(slippage_means(5), sds[:, np.newaxis], correlation, 13, macro)
        result = kim_nelson(sample, range(5), N0, DELTA, ALPHA, first_stream=100)
        bound = N0 + np.floor(h_squared * pair_variances(sample, 5, 100) / DELTA**2).max(axis=1) + 1
        for system in range(5):
            assert result.replications[system] <= bound[system]


def test_budget_is_accounted_and_each_stream_asked_once() -> None:
    sample = Recorder(NormalSystems(slippage_means(), 1.0, 0.3, seed=14))
    result = kim_nelson(sample, range(SYSTEMS), N0, DELTA, ALPHA, first_stream=500)
    assert sample.repeated == []
    assert result.total_runs == sample.runs == sum(result.replications.values())
    for system in range(SYSTEMS):
        # Common random numbers: every system uses the same consecutive indices.
        assert sample.indices(system) == list(range(500, 500 + result.replications[system]))
    assert result.streams == range(500, 500 + max(result.replications.values()))
    # Every other system is eliminated once, by a survivor, at its last replication.
    assert result.survivors == (result.selected,)
    assert sorted(elimination.system for elimination in result.eliminations) == sorted(
        set(range(SYSTEMS)) - {result.selected}
    )
    for elimination in result.eliminations:
        assert elimination.replications == result.replications[elimination.system]
        assert result.replications[elimination.eliminated_by] >= elimination.replications
    assert result.guarantee_holds


def test_same_inputs_give_the_same_result() -> None:
    def run() -> KimNelsonResult:
        sample = NormalSystems(slippage_means(), 1.0, 0.5, seed=15, macro_replication=3)
        return kim_nelson(sample, range(SYSTEMS), N0, DELTA, ALPHA, first_stream=0)

    assert run() == run()


def test_the_means_are_those_of_the_replications_used() -> None:
    sample = NormalSystems(slippage_means(4), 1.0, 0.2, seed=16)
    result = kim_nelson(sample, [3, 1, 0, 2], N0, DELTA, ALPHA, first_stream=7)
    assert result.systems == (3, 1, 0, 2)
    for system, mean in result.means.items():
        outputs = sample(system, range(7, 7 + result.replications[system]))[:, 0]
        assert mean == pytest.approx(outputs.mean(), rel=1e-12)


def test_a_replication_cap_stops_and_says_the_guarantee_is_lost() -> None:
    means = np.zeros(4)  # equal means, large noise: it would run long
    sample = Recorder(NormalSystems(means, 5.0, 0.0, seed=17))
    result = kim_nelson(sample, range(4), N0, DELTA, ALPHA, first_stream=0, max_replications=15)
    assert result.budget_exhausted
    assert not result.guarantee_holds
    assert max(result.replications.values()) == 15
    assert len(result.survivors) > 1
    assert result.selected == max(result.survivors, key=lambda system: result.means[system])


def test_exact_ties_end_once_the_triangles_close() -> None:
    def identical(system: int, replications: range) -> np.ndarray:
        # The same outputs for every system: S²_il = 0, the triangles never open.
        return np.arange(replications.start, replications.stop, dtype=float)[:, np.newaxis]

    result = kim_nelson(identical, [4, 2], N0, DELTA, ALPHA, first_stream=0)
    assert result.selected == 4
    assert result.survivors == (4, 2)
    assert result.total_runs == 2 * N0
    assert result.guarantee_holds


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"systems": [0]}, r"at least 2 system\(s\) needed, got 1"),
        ({"systems": [0, 1, 1]}, "systems must all be different"),
        ({"systems": [0, 1.5]}, "a system must be identified by an integer"),
        ({"n0": 1}, "n0 must be an integer of at least 2"),
        ({"delta": 0.0}, "delta must be a finite number above 0"),
        ({"delta": math.inf}, "delta must be a finite number above 0"),
        ({"alpha": 1.2}, "alpha must lie strictly between 0 and 1"),
        ({"first_stream": -1}, "first_stream must be an integer of at least 0"),
        ({"max_replications": N0 - 1}, f"max_replications must be an integer of at least {N0}"),
    ],
)
def test_bad_arguments_are_refused_before_sampling(
    changes: dict[str, object], message: str
) -> None:
    sample = Recorder(NormalSystems(slippage_means(3), 1.0, 0.0, seed=18))
    arguments: dict[str, object] = {
        "systems": range(3),
        "n0": N0,
        "delta": DELTA,
        "alpha": ALPHA,
        "first_stream": 0,
        "max_replications": None,
    } | changes
    with pytest.raises(ValueError, match=message):
        kim_nelson(sample, **arguments)  # type: ignore[arg-type]
    assert sample.calls == 0


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (np.zeros(N0), r"the sampler returned shape \(10,\)"),
        (np.zeros((N0 - 1, 1)), r"expected \(10, at least 1\)"),
        (np.full((N0, 1), np.nan), "a value that is not finite for system 0"),
    ],
)
def test_a_malformed_sampler_answer_is_refused(output: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kim_nelson(lambda system, replications: output, range(2), N0, DELTA, ALPHA, 0)
