"""replicate, compare and sweep: what they return and what they refuse."""

from __future__ import annotations

import importlib.util
import json
import math
import pickle

import pytest

from fieldtotable import KPI_DEFINITIONS, Scenario, ScenarioError, apply_overrides, simulate
from fieldtotable.experiment import (
    ExperimentError,
    StoppingRule,
    compare,
    replicate,
    sweep,
)
from fieldtotable.experiment import runs as runs_module
from fieldtotable.experiment.statistics import estimate, stopping_n
from nan_aware import same


def test_replicate_estimates_every_kpi_from_the_replications(small_scenario: Scenario) -> None:
    result = replicate(small_scenario, n=4, seed=9, executor="serial")
    assert result.n == 4
    assert result.seed == 9
    assert set(result.kpis) == set(KPI_DEFINITIONS)
    for i, run in enumerate(result.runs):
        assert run == simulate(small_scenario, 9, replication=i)
    for key, found in result.kpis.items():
        assert result.values[key] == tuple(run.kpis[key] for run in result.runs) or any(
            math.isnan(v) for v in result.values[key]
        )
        assert same(found, estimate(result.values[key]))
    assert result.unit("sold_kg") == "kg"
    assert result.stopping is None


def test_replicate_with_breakdown_kpis(small_scenario: Scenario) -> None:
    keys = ["sold_kg", "by_product.matsutake.spoilage_rate", "by_leg.cp_shanghai.trips"]
    keys += ["by_node.cp.peak_stock_kg", "spoiled_kg_by_stage.transit"]
    result = replicate(small_scenario, n=3, executor="serial", kpis=keys)
    assert list(result.kpis) == keys
    run = result.runs[1]
    assert (
        result.values["by_product.matsutake.spoilage_rate"][1]
        == (run.by_product["matsutake"]["spoilage_rate"])
    )
    assert result.values["by_leg.cp_shanghai.trips"][1] == run.by_leg["cp_shanghai"]["trips"]
    assert result.values["spoiled_kg_by_stage.transit"][1] == run.spoiled_kg_by_stage["transit"]
    assert result.unit("by_leg.cp_shanghai.trips") == "count"
    assert result.unit("by_product.matsutake.spoilage_rate") == "fraction"


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("sold", "KPI_DEFINITIONS"),
        ("by_product.truffle.sold_kg", "by_product ids: matsutake, yak_meat_chilled"),
        ("by_leg.cp_shanghai.speed", "by_leg metrics"),
        ("spoiled_kg_by_stage.shelf", "stages"),
    ],
)
def test_unknown_kpis_are_refused_before_anything_runs(
    small_scenario: Scenario, key: str, hint: str
) -> None:
    with pytest.raises(ExperimentError, match="unknown KPI") as caught:
        replicate(small_scenario, n=2, executor="serial", kpis=[key])
    assert hint in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 0}, "n must be"),
        ({"n": 2.5}, "n must be"),
        ({"n": "many"}, "n must be"),
        ({"seed": -1}, "seed must be"),
        ({"confidence": 1.5}, "confidence"),
        ({"n": 3, "stopping": StoppingRule()}, 'needs n="auto"'),
    ],
)
def test_replicate_checks_its_arguments(
    small_scenario: Scenario, kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        replicate(small_scenario, executor="serial", **kwargs)  # type: ignore[arg-type]


def test_auto_stops_at_the_rule_and_does_not_depend_on_workers(
    small_scenario: Scenario,
) -> None:
    rule = StoppingRule(kpis=("sold_kg", "harvested_kg"), relative_half_width=0.05, n_min=4)
    serial = replicate(small_scenario, "auto", executor="serial", stopping=rule)
    assert serial.stopping is not None
    assert serial.stopping.reached
    assert serial.stopping.runs_done >= serial.n
    assert serial.n == stopping_n(serial.values, rule)
    assert all(serial.kpis[k].relative_half_width <= 0.05 for k in rule.kpis)
    assert serial.stopping.relative_half_widths["sold_kg"] == (
        serial.kpis["sold_kg"].relative_half_width
    )
    parallel = replicate(small_scenario, "auto", executor="process", workers=2, stopping=rule)
    assert parallel == serial


def test_auto_reports_an_unreached_target_at_the_cap(small_scenario: Scenario) -> None:
    rule = StoppingRule(kpis=("sold_kg",), relative_half_width=1e-6, n_min=2, n_max=5)
    result = replicate(small_scenario, "auto", executor="serial", stopping=rule)
    assert result.n == 5
    assert result.stopping is not None
    assert not result.stopping.reached


def test_compare_pairs_every_configuration_with_the_baseline(small_scenario: Scenario) -> None:
    more = apply_overrides(small_scenario, {"scale": 2})
    fewer = apply_overrides(small_scenario, {"legs.cp_shanghai.fleet": 1})
    result = compare({"base": small_scenario, "more": more, "fewer": fewer}, n=4)
    assert result.names == ("base", "more", "fewer")
    assert result.baseline == "base"
    assert set(result.differences) == {"more", "fewer"}
    assert result.results["more"] == replicate(more, n=4, executor="serial")
    diff = result.differences["more"]["harvested_kg"]
    expected = [
        m - b
        for m, b in zip(
            result.results["more"].values["harvested_kg"],
            result.results["base"].values["harvested_kg"],
            strict=True,
        )
    ]
    assert diff.mean == pytest.approx(sum(expected) / 4, rel=1e-12)
    # Twice the supply from the same draws: exactly twice the harvest in every replication.
    assert expected == pytest.approx(list(result.results["base"].values["harvested_kg"]))
    assert "harvested_kg" in result.significant("more")
    other = compare({"base": small_scenario, "more": more}, n=4, baseline="more")
    assert other.differences["base"]["harvested_kg"].mean == pytest.approx(-diff.mean)


def test_the_same_scenario_twice_differs_by_exactly_zero(small_scenario: Scenario) -> None:
    result = compare({"a": small_scenario, "b": small_scenario}, n=3, executor="serial")
    for key, diff in result.differences["b"].items():
        assert diff.mean == 0.0 or math.isnan(diff.mean), key
        assert not diff.significant


def test_compare_names_scenarios_by_their_name(small_scenario: Scenario) -> None:
    other = small_scenario.model_copy(update={"name": "other"})
    result = compare([small_scenario, other], n=2, executor="serial")
    assert result.names == (small_scenario.name, "other")
    with pytest.raises(ValueError, match="two configurations are named"):
        compare([small_scenario, small_scenario], n=2)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"baseline": "c"}, "baseline 'c' is not among"),
        ({"n": 0}, "n must be"),
    ],
)
def test_compare_checks_its_arguments(
    small_scenario: Scenario, kwargs: dict[str, object], match: str
) -> None:
    pair = {"a": small_scenario, "b": small_scenario}
    with pytest.raises(ValueError, match=match):
        compare(pair, executor="serial", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least two"):
        compare({"a": small_scenario})


def test_sweep_runs_the_full_factorial(small_scenario: Scenario) -> None:
    grid = {"legs.cp_shanghai.fleet": [1, 3], "scale": [1, 2, 4]}
    result = sweep(small_scenario, grid, n=2, executor="serial")
    assert result.parameters == ("legs.cp_shanghai.fleet", "scale")
    assert [p.overrides for p in result.points] == [
        {"legs.cp_shanghai.fleet": f, "scale": s} for f in (1, 3) for s in (1, 2, 4)
    ]
    assert result.points[4].label == "legs.cp_shanghai.fleet=3, scale=2"
    point = result.points[4]
    assert point.result == replicate(
        apply_overrides(small_scenario, point.overrides), n=2, executor="serial"
    )
    rows = result.rows()
    assert len(rows) == 6 * 2
    assert rows[9]["point"] == 4
    assert rows[9]["replication"] == 1
    assert rows[9]["scale"] == 2
    assert rows[9]["sold_kg"] == point.result.values["sold_kg"][1]
    summary = result.summary()
    assert len(summary) == 6
    assert summary[4]["sold_kg_mean"] == point.result.kpis["sold_kg"].mean
    assert summary[4]["sold_kg_half_width"] == point.result.kpis["sold_kg"].half_width


def test_sweep_takes_an_explicit_list_of_variants(small_scenario: Scenario) -> None:
    variants = [{"scale": 2}, {"legs.cp_shanghai.fleet": 1, "scale": 3}, {}]
    result = sweep(small_scenario, variants, n=2, executor="serial")
    assert result.parameters == ("scale", "legs.cp_shanghai.fleet")
    assert [p.label for p in result.points] == [
        "scale=2",
        "legs.cp_shanghai.fleet=1, scale=3",
        "(base scenario)",
    ]
    assert result.rows()[0]["legs.cp_shanghai.fleet"] is None


def test_sweep_reports_every_bad_point_once_before_running(
    small_scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runs_module, "simulate", None)  # nothing may run
    with pytest.raises(ScenarioError) as caught:
        sweep(small_scenario, {"legs.cp_shanghai.fleet": [0, 2], "scael": [1, 2]}, n=2)
    assert [str(p) for p in caught.value.problems] == [
        "grid scael=1: scael: unknown field; did you mean 'scale'?"
    ]
    with pytest.raises(ScenarioError) as caught:
        sweep(small_scenario, {"legs.cp_shanghai.fleet": [0, 2, -1]}, n=2)
    assert [str(p) for p in caught.value.problems] == [
        "grid legs.cp_shanghai.fleet=0: must be >= 1 (got 0)",
        "grid legs.cp_shanghai.fleet=-1: must be >= 1 (got -1)",
    ]


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({}, "grid is empty"),
        ({"scale": 2}, "must be a list"),
        ({"scale": "12"}, "must be a list"),
        ({"scale": []}, "no values"),
        ([], "non-empty list"),
        ([3], "must be a mapping"),
        ({"": [1]}, "non-empty string"),
    ],
)
def test_malformed_grids_are_refused(small_scenario: Scenario, grid: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sweep(small_scenario, grid, n=2)  # type: ignore[arg-type]


def test_results_are_plain_data_and_picklable(small_scenario: Scenario) -> None:
    more = apply_overrides(small_scenario, {"scale": 2})
    pair = compare({"a": small_scenario, "b": more}, n=2, executor="serial")
    for result in (pair, pair.results["a"], sweep(small_scenario, {"scale": [1]}, n=2)):
        text = result.to_json()
        json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON {c}"))
        assert pickle.loads(pickle.dumps(result)) == result
    data = pair.to_dict()
    assert data["differences"]["b"]["sold_kg"]["unit"] == "kg"
    assert set(data["differences"]["b"]["sold_kg"]) >= {
        "mean",
        "half_width",
        "low",
        "high",
        "p_value",
        "significant",
    }
    assert "runs" not in data["results"]["a"]
    assert len(pair.results["a"].to_dict(runs=True)["runs"]) == 2


def test_to_pandas(small_scenario: Scenario) -> None:
    result = replicate(small_scenario, n=2, executor="serial")
    if importlib.util.find_spec("pandas") is None:
        with pytest.raises(ImportError, match="pip install pandas"):
            result.to_pandas()
        return
    frame = result.to_pandas()
    assert list(frame["replication"]) == [0, 1]
    assert "sold_kg" in frame.columns
