"""``dump_scenario``: the resolved scenario as YAML that loads back to an equal one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fieldtotable.scenario import (
    Scenario,
    apply_overrides,
    builtin_scenario,
    builtin_scenario_names,
    dump_scenario,
    load_scenario,
    parse_scenario,
)

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "data" / "small.yaml"


def round_trip(scenario: Scenario) -> Scenario:
    return parse_scenario(dump_scenario(scenario), filename="<shown>")


@pytest.mark.parametrize("name", builtin_scenario_names())
def test_builtin_scenarios_round_trip(name: str) -> None:
    scenario = builtin_scenario(name)
    assert round_trip(scenario) == scenario


@pytest.mark.parametrize("path", [SMALL, *sorted((ROOT / "scenarios").glob("*.yaml"))])
def test_files_round_trip(path: Path) -> None:
    scenario = load_scenario(path)
    assert round_trip(scenario) == scenario


def test_overridden_values_round_trip() -> None:
    scenario = apply_overrides(
        load_scenario(SMALL),
        {
            "name": "Diqing → Shanghai: 2x, 'quoted' \"too\"",
            "description": "first line\nsecond line\n",
            "scale": 2.5,
            "legs.cp_shanghai.dispatch": {
                "policy": "full_or_timeout",
                "min_load_kg": 1234.5678901234,
                "max_wait_h": 1e-3,
            },
            "legs.cp_shanghai.transit_time_h": {
                "dist": "empirical",
                "values": [40, 48.5, 60],
                "weights": [1, 2, 1],
            },
            "products.matsutake.display_name": "2023",
            "products.yak_meat_chilled.display_name": "yes",
            "collection_points.cp.class_setpoints_c.frozen": -18,
            "collection_points.cp.grading_reject_fraction": {"matsutake": 0.1},
            "routing.prefer_modes.matsutake": ["reefer_truck"],
        },
    )
    again = round_trip(scenario)
    assert again == scenario
    assert again.products["matsutake"].display_name == "2023"
    assert again.products["yak_meat_chilled"].display_name == "yes"
    assert again.description == "first line\nsecond line\n"


def test_shape_of_the_text() -> None:
    scenario = load_scenario(SMALL)
    text = dump_scenario(scenario)
    assert text.endswith("\n")
    data = yaml.safe_load(text)
    # The schema's key order, YAML keys, every default written, unset fields left out
    # (an empty `nodes` or `uncertain` section too: written only when it holds something).
    assert list(data) == [
        field.alias or name
        for name, field in Scenario.model_fields.items()
        if name not in ("nodes", "uncertain")
    ]
    leg = data["legs"]["cp_shanghai"]
    assert list(leg)[:2] == ["from", "to"]
    assert leg["active_months"] == list(range(1, 13))
    assert "display_name" not in data["products"]["matsutake"]
    assert "start_date: 2023-07-01\n" in text
    assert "    transit_time_h: {dist: triangular, low: 44, high: 60, mode: 48}\n" in text
    assert "    dispatch: {policy: scheduled, departures_h: [18]}\n" in text
    assert "!!" not in text
    assert "&id" not in text
    assert "*id" not in text
