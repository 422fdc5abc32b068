"""Tail requests: parsing targets, and estimates equal to the result's own methods."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from fieldtotable import Scenario, load_scenario
from fieldtotable.experiment import compare, replicate
from fieldtotable.experiment.tail_summary import (
    DEFAULT_TAIL_KPIS,
    TailRequest,
    Target,
    comparison_tails,
    experiment_tails,
    tails_to_dict,
)

MINIMAL = Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml"


@pytest.fixture(scope="module")
def minimal() -> Scenario:
    return load_scenario(MINIMAL).with_horizon(35)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fill_rate>=0.9", Target("fill_rate", ">=", 0.9)),
        (" spoilage_rate <= 8e-2 ", Target("spoilage_rate", "<=", 0.08)),
        (
            "by_product.matsutake.spoilage_rate<=0.1",
            Target("by_product.matsutake.spoilage_rate", "<=", 0.1),
        ),
    ],
)
def test_a_target_reads_back(text: str, expected: Target) -> None:
    assert Target.parse(text) == expected
    assert Target.parse(str(expected)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fill_rate > 0.9", "is not KPI<=X or KPI>=X"),
        ("fill_rate>=", "is not KPI<=X or KPI>=X"),
        ("fill_rate>=high", "is not a number"),
        ("fill_rate>=nan", "finite"),
        ("fill_rate>=inf", "finite"),
    ],
)
def test_a_bad_target_is_one_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        Target.parse(text)
    assert "\n" not in str(caught.value)


def test_a_request_refuses_levels_outside_zero_one_and_unknown_periods() -> None:
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        TailRequest(quantiles=(0.5, 1.0))
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        TailRequest(cvar_level=0.0)
    with pytest.raises(ValueError, match="period"):
        TailRequest(cvar_level=0.9, period="year")
    assert TailRequest().empty
    assert not TailRequest(targets=(Target("fill_rate", ">=", 0.9),)).empty
    assert TailRequest(cvar_level=0.9).statistic_kpis == DEFAULT_TAIL_KPIS


def test_estimates_are_the_results_own(minimal: Scenario) -> None:
    result = replicate(minimal, n=8, executor="serial", progress=False)
    target = Target("fill_rate", ">=", 0.6)
    request = TailRequest((0.1, 0.9), 0.95, (target,), kpis=("spoilage_rate", "sold_kg"))
    rows = experiment_tails(result, request)
    assert [row.kpi for row in rows] == ["spoilage_rate", "sold_kg", "fill_rate >= 0.6"]
    assert [row.target for row in rows] == [False, False, True]
    assert rows[0].estimates == (
        result.quantile("spoilage_rate", 0.1),
        result.quantile("spoilage_rate", 0.9),
        result.cvar("spoilage_rate", 0.95),
    )
    assert rows[2].estimates == (result.probability("fill_rate", ">=", 0.6),)
    weekly = experiment_tails(
        result, TailRequest(cvar_level=0.9, kpis=("spoilage_rate",), period="week")
    )
    assert weekly[0].estimates == (result.cvar("spoilage_rate", 0.9, period="week"),)
    data = tails_to_dict(rows)
    assert isinstance(data, list)
    assert data[2]["target"] is True
    assert data[0]["estimates"][2]["statistic"].startswith("CVaR95")


def test_comparisons_add_paired_differences_over_replications_only(minimal: Scenario) -> None:
    bigger = minimal.model_copy(update={"scale": 2.0})
    result = compare({"one": minimal, "two": bigger}, n=6, executor="serial", progress=False)
    request = TailRequest((0.5,), 0.9, kpis=("spoilage_rate",))
    each, differences = comparison_tails(result, request)
    assert set(each) == {"one", "two"}
    assert list(differences) == ["two"]
    assert differences["two"][0].estimates == (
        result.tail_difference("two", "spoilage_rate", "quantile", 0.5),
        result.tail_difference("two", "spoilage_rate", "cvar", 0.9),
    )
    assert not math.isnan(differences["two"][0].estimates[1].value)
    _, by_period = comparison_tails(
        result, TailRequest(cvar_level=0.9, kpis=("spoilage_rate",), period="week")
    )
    assert by_period == {}
