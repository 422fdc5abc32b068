"""The shared scenario builder of the tests (``tests/scenario_builders.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fieldtotable import Scenario, ScenarioError, apply_overrides, load_scenario
from scenario_builders import DELETE, SMALL_YAML, build_scenario, scenario_data


def test_without_changes_it_is_small_yaml(make_scenario: Callable[..., Scenario]) -> None:
    assert make_scenario() == load_scenario(SMALL_YAML)
    assert make_scenario() is not make_scenario()


def test_changes_by_dotted_path_agree_with_apply_overrides() -> None:
    changes = {
        "horizon_days": 10,
        "legs.cp_shanghai.fleet": 5,
        "legs.cp_shanghai.dispatch.departures_h.0": 6,
        "markets.store.issuing": "FIFO",
        "collection_points.cp.class_setpoints_c": {"frozen": -18},  # a new key
    }
    assert build_scenario(changes) == apply_overrides(load_scenario(SMALL_YAML), changes)


def test_delete_and_copies() -> None:
    assert (
        build_scenario({"products.matsutake.markdown": DELETE}).products["matsutake"].markdown
        is None
    )
    hours = [6, 18]
    data = scenario_data({"legs.cp_shanghai.dispatch.departures_h": hours})
    hours.append(12)
    assert data["legs"]["cp_shanghai"]["dispatch"]["departures_h"] == [6, 18]
    data["name"] = "changed"
    assert scenario_data()["name"] == "small test channel"  # every call starts afresh


def test_own_base_is_not_modified() -> None:
    base = scenario_data()
    changed = scenario_data({"scale": 2}, base=base)
    assert (changed["scale"], "scale" in base) == (2, False)


def test_misspelt_paths_and_invalid_data_fail() -> None:
    with pytest.raises(KeyError, match=r"legs\.cp_shanghi: no such key"):
        scenario_data({"legs.cp_shanghi.fleet": 4})
    with pytest.raises(TypeError, match="single value"):
        scenario_data({"legs.cp_shanghai.fleet.count": 4})
    with pytest.raises(ScenarioError, match="fleet"):
        build_scenario({"legs.cp_shanghai.fleet": 0})
