"""``global_sensitivity`` on a real scenario: plumbing, executors agree, resume, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("SALib")

from fieldtotable import Scenario, load_scenario  # after the skip
from fieldtotable.experiment import runs
from fieldtotable.optimise import SpecificationError
from fieldtotable.sensitivity import (
    MorrisIndices,
    SensitivityResult,
    evaluations_needed,
    global_sensitivity,
    parse_parameter,
)

MINIMAL = Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml"
PARAMETERS = {"products.matsutake.shelf_life_days": (2.0, 8.0), "scale": (0.5, 2.0)}
KPIS = ["spoilage_rate", "sold_kg"]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(MINIMAL).with_horizon(10)


def test_morris_on_the_minimal_channel(scenario: Scenario) -> None:
    result = global_sensitivity(scenario, PARAMETERS, KPIS, method="morris", n=4, seed=0)
    assert result.evaluations == evaluations_needed("morris", 2, 4)
    assert result.runs <= result.evaluations  # repeated grid points run once
    assert [found.kpi for found in result.kpis] == KPIS
    spoilage = result.kpi("spoilage_rate")
    assert all(isinstance(found, MorrisIndices) for found in spoilage.indices)
    # a longer shelf life lowers spoilage: the strongest parameter, with a negative mu
    top = spoilage.ranked()[0]
    assert top.parameter == "products.matsutake.shelf_life_days"
    assert isinstance(top, MorrisIndices)
    assert top.mu < 0
    data = result.to_json()
    assert data["parameters"]["scale"] == [0.5, 2.0]
    assert data["kpis"][0]["ranking"][0] == "products.matsutake.shelf_life_days"


@pytest.fixture(scope="module")
def serial_sobol(scenario: Scenario) -> SensitivityResult:
    return global_sensitivity(
        scenario, PARAMETERS, ["spoilage_rate"], n=4, replications=2, executor="serial"
    )


def test_sobol_averages_replications_at_every_point(serial_sobol: SensitivityResult) -> None:
    assert serial_sobol.runs == 2 * serial_sobol.evaluations == 2 * 4 * (2 + 2)
    assert serial_sobol.replications == 2


@pytest.mark.parametrize("executor", ["process", "dask"])
def test_every_executor_gives_the_serial_result(
    scenario: Scenario, serial_sobol: SensitivityResult, executor: str
) -> None:
    if executor == "dask":
        pytest.importorskip("distributed")
    found = global_sensitivity(
        scenario,
        PARAMETERS,
        ["spoilage_rate"],
        n=4,
        replications=2,
        executor=executor,
        workers=2,
    )
    assert found == serial_sobol


def test_a_rerun_resumes_from_the_store(
    scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    real = runs.simulate

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "simulate", counted)
    store = tmp_path / "store"
    first = global_sensitivity(scenario, PARAMETERS, KPIS, method="morris", n=3, store=store)
    assert len(calls) == first.runs > 0
    again = global_sensitivity(scenario, PARAMETERS, KPIS, method="morris", n=3, store=store)
    assert len(calls) == first.runs  # nothing simulated again
    assert again == first


def test_every_bad_input_is_one_line(scenario: Scenario) -> None:
    with pytest.raises(SpecificationError) as caught:
        global_sensitivity(
            scenario,
            {
                "products.matsutake.shelf_lif_days": (2.0, 8.0),
                "legs.shangrila_shanghai.mode": (1.0, 2.0),
                "scale": (2.0, 1.0),
            },
            ["spoilage", "sold_kg"],
        )
    lines = str(caught.value).splitlines()
    assert len(lines) == 4, lines
    assert lines[0].startswith("--param products.matsutake.shelf_lif_days=2.0..8.0: ")
    assert lines[1].startswith("--param legs.shangrila_shanghai.mode=1.0..2.0: ")
    assert "LO must be below HI" in lines[2]
    assert lines[3].startswith("--kpi spoilage: unknown KPI 'spoilage'")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scale", "expected PATH=LO..HI"),
        ("scale=1..x", "must be numbers"),
        ("scale=2..1", "LO must be below HI"),
        ("scale=1..inf", "finite"),
    ],
)
def test_parse_parameter_refuses_bad_text(text: str, message: str) -> None:
    with pytest.raises(SpecificationError, match=message):
        parse_parameter(text)


def test_parse_parameter_reads_path_and_range() -> None:
    assert parse_parameter(" scale = 0.5..2") == ("scale", (0.5, 2.0))
