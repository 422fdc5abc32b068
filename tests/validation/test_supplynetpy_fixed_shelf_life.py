"""Fixed shelf life against SupplyNetPy's perishable inventory (issue 7).

The same supplier -> DC -> store network with a fixed shelf life, FIFO issue, a daily
(s, S) review at the store and lost sales is built in both libraries
(``supplynetpy_network.py``; the page ``docs/validation/supplynetpy.md`` explains the
matching). Two checks:

* **Same customers, same waste.** SupplyNetPy replays the customers of a fieldtotable
  replication; both must then waste, sell and admit the same kilograms, exactly.
* **Same expected waste.** Each library with its own random customers, 30 seeded
  replications each: Welch's interval for the difference of the mean waste must
  contain 0, and must be narrow enough that a shelf life one day shorter in
  fieldtotable is detected as different.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldtotable import load_scenario

pytest.importorskip("SupplyNetPy.Components", reason="the peer library (supplynetpy) is missing")

from supplynetpy_network import (
    CASES,
    Case,
    Outcome,
    fieldtotable_customer_days,
    fieldtotable_scenario,
    run_fieldtotable,
    run_supplynetpy,
)
from supplynetpy_statistics import Comparison, Interval, replicate

PAGE = Path(__file__).resolve().parents[2] / "docs" / "validation" / "supplynetpy.md"
REPLICATIONS = 30
#: The cases compared statistically (the medium one is covered by the replay and by
#: ``benchmarks/validation_supplynetpy.py``): about 17 % and 11 % waste.
STATISTICAL_CASES = (CASES[0], CASES[2])
WASTE_METRICS: dict[str, Callable[[Outcome], float]] = {
    "waste_kg_per_day": lambda outcome: outcome.waste_kg_per_day,
    "waste_fraction": lambda outcome: outcome.waste_fraction,
}


def _case_id(case: Case) -> str:
    return case.name.replace(" ", "_")


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_the_same_customers_give_the_same_waste_to_the_kilogram(case: Case) -> None:
    for replication in range(2):
        ours = run_fieldtotable(case, replication)
        theirs = run_supplynetpy(case, replication, fieldtotable_customer_days(case, replication))
        assert 0.05 < ours.waste_fraction < 0.3  # waste is material
        assert theirs == ours  # waste, DC admissions, sales and demand, to the kg


def test_the_replay_tells_a_shorter_shelf_life_apart() -> None:
    case = CASES[1]
    customers = fieldtotable_customer_days(case, 0)
    ours = run_fieldtotable(case, 0)
    theirs = run_supplynetpy(case.with_shelf_life(case.shelf_life_d - 1), 0, customers)
    assert theirs.waste_kg > 1.5 * ours.waste_kg


def test_an_expiry_between_inspection_and_delivery_is_a_known_difference() -> None:
    # On the page: fieldtotable removes expired DC stock at its nightly inspection,
    # SupplyNetPy at once. With every expiry at 01:00, just before the 02:00
    # delivery, expired lots still take room in fieldtotable's DC and fresh ones are
    # refused: the replay no longer matches.
    case = CASES[2].with_harvest_hour(1)
    differing = 0
    for replication in range(2):
        ours = run_fieldtotable(case, replication)
        customers = fieldtotable_customer_days(case, replication)
        differing += run_supplynetpy(case, replication, customers) != ours
    assert differing > 0


def test_the_documented_scenario_is_the_medium_case(tmp_path: Path) -> None:
    page = PAGE.read_text(encoding="utf-8")
    found = re.search(r"<!-- file: fixed_shelf_life.yaml -->\n```yaml\n(.*?)\n```", page, re.S)
    assert found is not None
    path = tmp_path / "fixed_shelf_life.yaml"
    path.write_text(found.group(1), encoding="utf-8")
    documented = load_scenario(path).model_dump(exclude={"name"})
    assert documented == fieldtotable_scenario(CASES[1]).model_dump(exclude={"name"})


@pytest.fixture(scope="module")
def supplynetpy_outcomes() -> dict[str, list[Outcome]]:
    """SupplyNetPy's replications (its own customers) of the statistical cases."""
    return {case.name: replicate(run_supplynetpy, case, REPLICATIONS) for case in STATISTICAL_CASES}


# About 12 s for both tests together (30 replications of two cases in two libraries):
# the confidence intervals must be narrow enough to tell a day of shelf life apart.
@pytest.mark.slow
@pytest.mark.parametrize("case", STATISTICAL_CASES, ids=_case_id)
def test_expected_waste_agrees_within_confidence_intervals(
    case: Case, supplynetpy_outcomes: dict[str, list[Outcome]]
) -> None:
    ours = replicate(run_fieldtotable, case, REPLICATIONS)
    theirs = supplynetpy_outcomes[case.name]
    for metric in WASTE_METRICS.values():
        ours_values = [metric(outcome) for outcome in ours]
        theirs_values = [metric(outcome) for outcome in theirs]
        for values in (ours_values, theirs_values):
            interval = Interval.of(values)
            assert interval.half_width < 0.1 * interval.mean  # informative intervals
        comparison = Comparison.of(ours_values, theirs_values, confidence=0.99)
        assert comparison.contains_zero, comparison
        # ... and narrow: a day less shelf life adds about the whole waste again.
        assert comparison.high - comparison.low < 0.25 * Interval.of(theirs_values).mean


@pytest.mark.slow
def test_a_shelf_life_one_day_shorter_is_detected(
    supplynetpy_outcomes: dict[str, list[Outcome]],
) -> None:
    case = STATISTICAL_CASES[1]
    shorter = replicate(run_fieldtotable, case.with_shelf_life(case.shelf_life_d - 1), REPLICATIONS)
    theirs = supplynetpy_outcomes[case.name]
    for metric in WASTE_METRICS.values():
        comparison = Comparison.of(
            [metric(outcome) for outcome in shorter],
            [metric(outcome) for outcome in theirs],
            confidence=0.99,
        )
        assert comparison.low > 0.0, comparison  # clearly more waste
        assert comparison.p_value < 1e-6
