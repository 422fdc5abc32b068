"""The sensitivity around the best: neighbours, paired differences, runs outside the budget."""

from __future__ import annotations

import json

import pytest
from synthetic_systems import Bowl, run_bowl

from fieldtotable.optimise import Choice, Integer, Real, SearchSpace, resolve_objective
from fieldtotable.optimise.evaluations import BUDGET_PHASES, Evaluations
from fieldtotable.optimise.search import FINAL_START
from fieldtotable.optimise.search_result import OptimisationResult
from fieldtotable.optimise.sensitivity import neighbours, sensitivity_around


def test_neighbours_one_variable_at_a_time() -> None:
    space = SearchSpace(
        {"x": Integer(1, 9), "share": Real(0.0, 2.0), "mode": Choice(["a", "b", "c"])}
    )
    found = neighbours(space, {"x": 5, "share": 1.0, "mode": "b"})
    assert found == [
        ("x", 4),
        ("x", 6),
        ("share", pytest.approx(0.8)),
        ("share", pytest.approx(1.2)),
        ("mode", "a"),
        ("mode", "c"),
    ]


def test_neighbours_stay_inside_the_ranges() -> None:
    space = SearchSpace({"x": Integer(1, 9), "share": Real(0.0, 2.0), "fixed": Integer(3, 3)})
    found = neighbours(space, {"x": 9, "share": 0.1, "fixed": 3})
    assert found == [("x", 8), ("share", 0.0), ("share", pytest.approx(0.3))]
    assert neighbours(space, {"x": 1, "share": 0.0, "fixed": 3}) == [
        ("x", 2),
        ("share", pytest.approx(0.2)),
    ]


def test_the_bowl_differences_cover_the_truth_and_reuse_the_best_runs() -> None:
    # At the best (x = 5, mode b): x = 4 and x = 6 lose exactly 1 in expectation, mode
    # a loses 1.5. The neighbours run on the best's final block; the best's own runs
    # there are reused, never simulated again.
    result, bowl = run_bowl(sensitivity=True, final_replications=20)
    assert isinstance(result, OptimisationResult)
    assert result.best is not None
    assert dict(result.best.params) == {"x": 5, "mode": "b"}
    truth = {("x", 4): -1.0, ("x", 6): -1.0, ("mode", "a"): -1.5}
    found = {(record.variable, record.value): record for record in result.sensitivity}
    assert set(found) == set(truth)
    for where, expected in truth.items():
        record = found[where]
        low, high = record.difference.ci
        assert low <= expected <= high, (where, record.difference)
        assert record.difference.n == 20
        assert record.objective.mean == pytest.approx(
            result.best.objective.mean + record.difference.mean
        )
        # Paired on common random numbers: far narrower than the noise's sd of 0.3.
        assert high - low < 0.5
    assert len(bowl.calls) == len(set(bowl.calls))
    sensitivity_calls = [call for call in bowl.calls if call[1] >= FINAL_START]
    assert len(sensitivity_calls) == 4 * 20  # the best's 20 and 3 neighbours' 20 each
    assert result.runs["sensitivity"] == 3 * 20


def test_sensitivity_runs_are_outside_the_budget() -> None:
    result, bowl = run_bowl(budget=150, constraints=["spoilage_rate <= 0.09"], sensitivity=True)
    assert isinstance(result, OptimisationResult)
    runs = result.runs
    assert runs["total"] == sum(runs[phase] for phase in BUDGET_PHASES)
    assert runs["total"] <= 150
    assert runs["sensitivity"] > 0
    assert len(bowl.calls) == len(set(bowl.calls)) == runs["total"] + runs["sensitivity"]
    # At x = 4, mode b under spoilage <= 0.09: x = 5 breaks it on its mean, x = 3 meets it.
    found = {(record.variable, record.value): record for record in result.sensitivity}
    assert found[("x", 5)].meets_constraints is False
    assert found[("x", 3)].meets_constraints is True
    assert found[("x", 5)].constraint_means[0] == pytest.approx(0.10, abs=0.005)
    data = json.loads(json.dumps(result.to_json()))
    assert len(data["sensitivity"]) == 3
    assert {"variable", "value", "difference", "meets_constraints"} <= set(data["sensitivity"][0])


def test_sensitivity_is_off_by_default() -> None:
    result, _ = run_bowl()
    assert isinstance(result, OptimisationResult)
    assert result.sensitivity == ()
    assert result.runs["sensitivity"] == 0
    assert result.to_json()["sensitivity"] == []


def test_sensitivity_around_directly_charges_only_new_runs() -> None:
    bowl = Bowl()
    space = SearchSpace({"x": Integer(1, 9), "mode": Choice(["a", "b"])})
    evaluations = Evaluations(bowl, space, resolve_objective("profit_cny", "maximise"))
    best = evaluations.register({"x": 9, "mode": "a"})
    block = range(FINAL_START, FINAL_START + 5)
    evaluations.sample([best], block, "final")
    records = sensitivity_around(evaluations, best, (), block)
    assert [(record.variable, record.value) for record in records] == [("x", 8), ("mode", "b")]
    assert evaluations.runs["sensitivity"] == 10
    assert evaluations.total_runs == 5  # the final block only: sensitivity is not budget
    # x = 8 gains 16 - 9 = 7 over x = 9; mode b gains the bonus 1.5.
    assert records[0].difference.mean == pytest.approx(7.0, abs=0.6)
    assert records[1].difference.mean == pytest.approx(1.5, abs=0.6)
    assert records[0].constraint_means == ()
    assert records[0].meets_constraints is True
