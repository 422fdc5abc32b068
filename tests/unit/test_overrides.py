"""Overrides by dotted path: typed by the schema, paths checked, problems named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import fieldtotable
from fieldtotable.errors import ScenarioError
from fieldtotable.scenario import (
    Scenario,
    apply_overrides,
    load_scenario,
    parse_assignment,
    parse_assignments,
)
from fieldtotable.scenario.overrides import parse_override_path
from fieldtotable.scenario.schema import FullOrTimeoutDispatch, ScheduledDispatch

SMALL = Path(__file__).resolve().parents[1] / "data" / "small.yaml"
LEG = "legs.cp_shanghai"


@pytest.fixture(scope="module")
def small() -> Scenario:
    return load_scenario(SMALL)


def messages(scenario: Scenario, overrides: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        apply_overrides(scenario, overrides)
    return [str(problem) for problem in caught.value.problems]


# --- parse_assignment ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("legs.kunming_shanghai.fleet=4", "legs.kunming_shanghai.fleet", 4),
        ("scale=2.5", "scale", 2.5),
        ("legs.a.dispatch.departures_h=[18, 6]", "legs.a.dispatch.departures_h", [18, 6]),
        ("markets.store.issuing=FIFO", "markets.store.issuing", "FIFO"),
        (" name = a name = with equals ", "name", "a name = with equals"),
        ("start_date=2023-06-01", "start_date", dt.date(2023, 6, 1)),
        ("products.x.markdown=null", "products.x.markdown", None),
        ("x.y={dist: uniform, low: 2, high: 8}", "x.y", {"dist": "uniform", "low": 2, "high": 8}),
        ("name='4'", "name", "4"),
        ("a.b[0]=1", "a.b[0]", 1),
    ],
)
def test_parse_assignment_types_values_as_yaml(text: str, path: str, value: Any) -> None:
    assert parse_assignment(text) == (path, value)
    assert type(parse_assignment(text)[1]) is type(value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("fleet4", "expected PATH=VALUE"),
        ("=4", "expected PATH=VALUE"),
        ("fleet=", "no value after '='"),
        ("fleet=  ", "no value after '='"),
        ("legs..fleet=4", "malformed path"),
        ("legs.=4", "nothing after '.'"),
        ("fleet=[1, 2", "YAML syntax error"),
        ("fleet=!!python/object/apply:os.system [ls]", "not allowed"),
        ("fleet={a: 1, a: 2}", "duplicate key"),
    ],
)
def test_parse_assignment_refuses_bad_text(text: str, words: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_assignment(text)
    [problem] = caught.value.problems
    assert problem.file == f"--set {text}"
    assert problem.line is None
    assert words in problem.message


def test_parse_assignments_reports_every_bad_text_and_keeps_the_last() -> None:
    assert parse_assignments(["scale=2", "fleet=1", "scale=3"]) == {"fleet": 1, "scale": 3}
    assert list(parse_assignments(["scale=2", "fleet=1", "scale=3"])) == ["fleet", "scale"]
    with pytest.raises(ScenarioError) as caught:
        parse_assignments(["a", "scale=2", "b="])
    assert [p.file for p in caught.value.problems] == ["--set a", "--set b="]


@pytest.mark.parametrize(
    ("path", "segments"),
    [
        ("scale", ("scale",)),
        ("legs.a.dispatch.departures_h.0", ("legs", "a", "dispatch", "departures_h", "0")),
        ("legs.a.dispatch.departures_h[0]", ("legs", "a", "dispatch", "departures_h", 0)),
        ("climate['odd region'].daily_range_c", ("climate", "odd region", "daily_range_c")),
        ("a[1][2].b", ("a", 1, 2, "b")),
    ],
)
def test_parse_override_path(path: str, segments: tuple[str | int, ...]) -> None:
    assert parse_override_path(path) == segments


@pytest.mark.parametrize("path", ["", "a..b", "a.", ".a", "a[x]", "a b", "[0]", "a]"])
def test_parse_override_path_refuses_malformed_paths(path: str) -> None:
    with pytest.raises(ValueError, match="path"):
        parse_override_path(path)


# --- apply_overrides: good overrides ----------------------------------------------------


def test_fleet_and_scale(small: Scenario) -> None:
    changed = apply_overrides(small, {f"{LEG}.fleet": 4, "scale": 2})
    assert changed.legs["cp_shanghai"].fleet == 4
    assert changed.scale == 2.0
    assert isinstance(changed.scale, float)
    # The input is untouched and everything else is equal.
    assert small.legs["cp_shanghai"].fleet == 3
    assert changed.model_copy(update={"scale": small.scale, "legs": small.legs}) == small


def test_empty_and_identity_overrides(small: Scenario) -> None:
    assert apply_overrides(small, {}) is small
    assert apply_overrides(small, {f"{LEG}.fleet": 3}) == small
    assert apply_overrides(small, {"scale": 1}) == small


def test_list_value_and_list_index(small: Scenario) -> None:
    changed = apply_overrides(small, {f"{LEG}.dispatch.departures_h": [18, 6]})
    dispatch = changed.legs["cp_shanghai"].dispatch
    assert isinstance(dispatch, ScheduledDispatch)
    assert dispatch.departures_h == (18.0, 6.0)
    for path in (f"{LEG}.dispatch.departures_h.1", f"{LEG}.dispatch.departures_h[1]"):
        again = apply_overrides(changed, {path: 20})
        assert again.legs["cp_shanghai"].dispatch.departures_h == (18.0, 20.0)  # type: ignore[union-attr]


def test_product_field_and_distribution(small: Scenario) -> None:
    changed = apply_overrides(
        small,
        {
            "products.matsutake.q10": 3.5,
            f"{LEG}.transit_time_h": {"dist": "uniform", "low": 40, "high": 50},
            "sources.pickers.hours_to_collection.high": 20,
            f"{LEG}.distance_km": 2800,
        },
    )
    assert changed.products["matsutake"].q10 == 3.5
    assert changed.legs["cp_shanghai"].transit_time_h.dist == "uniform"
    assert changed.sources["pickers"].hours_to_collection.high == 20
    assert (
        apply_overrides(small, {f"{LEG}.transit_time_h": 30})
        .legs["cp_shanghai"]
        .transit_time_h.expected
        == 30
    )


def test_whole_model_and_alias(small: Scenario) -> None:
    changed = apply_overrides(
        small,
        {
            f"{LEG}.dispatch": {"policy": "full_or_timeout", "min_load_kg": 9000, "max_wait_h": 24},
            f"{LEG}.from_": "cp",
            "markets.store.issuing": "FIFO",
            "start_date": dt.date(2023, 8, 1),
        },
    )
    assert isinstance(changed.legs["cp_shanghai"].dispatch, FullOrTimeoutDispatch)
    assert changed.markets["store"].issuing == "FIFO"
    assert changed.start_date == dt.date(2023, 8, 1)
    # A field of the new dispatch is reachable in the same call, after it.
    again = apply_overrides(
        small,
        {
            f"{LEG}.dispatch": {"policy": "full_or_timeout", "min_load_kg": 9000, "max_wait_h": 24},
            f"{LEG}.dispatch.max_wait_h": 12,
        },
    )
    assert again.legs["cp_shanghai"].dispatch.max_wait_h == 12  # type: ignore[union-attr]


def test_new_entries_at_the_last_segment(small: Scenario) -> None:
    changed = apply_overrides(
        small,
        {
            "collection_points.cp.class_setpoints_c.frozen": -18,
            "routing.prefer_modes.matsutake": ["reefer_truck"],
        },
    )
    assert changed.collection_points["cp"].class_setpoints_c == {"frozen": -18.0}
    assert changed.routing.prefer_modes == {"matsutake": ("reefer_truck",)}


def test_unset_optional_model_can_be_filled_field_by_field(small: Scenario) -> None:
    assert small.products["yak_meat_chilled"].markdown is None
    changed = apply_overrides(
        small,
        {
            "products.yak_meat_chilled.markdown.below_remaining_fraction": 0.25,
            "products.yak_meat_chilled.markdown.discount": 0.5,
        },
    )
    markdown = changed.products["yak_meat_chilled"].markdown
    assert markdown is not None
    assert (markdown.below_remaining_fraction, markdown.discount) == (0.25, 0.5)
    assert (
        apply_overrides(small, {"products.matsutake.markdown": None}).products["matsutake"].markdown
        is None
    )


def test_numpy_values_from_sweep_grids(small: Scenario) -> None:
    changed = apply_overrides(
        small,
        {
            f"{LEG}.fleet": np.int64(2),
            "scale": np.float64(1.5),
            f"{LEG}.dispatch.departures_h": np.array([6.0, 18.0]),
        },
    )
    assert changed.legs["cp_shanghai"].fleet == 2
    assert type(changed.legs["cp_shanghai"].fleet) is int
    assert changed.scale == 1.5
    assert changed.legs["cp_shanghai"].dispatch.departures_h == (6.0, 18.0)  # type: ignore[union-attr]


def test_values_are_copied(small: Scenario) -> None:
    hours = [6, 18]
    changed = apply_overrides(small, {f"{LEG}.dispatch.departures_h": hours})
    hours.append(12)
    assert changed.legs["cp_shanghai"].dispatch.departures_h == (6, 18)  # type: ignore[union-attr]


def test_exported_from_the_package() -> None:
    assert fieldtotable.apply_overrides is apply_overrides
    assert "apply_overrides" in fieldtotable.__all__


# --- apply_overrides: problems -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            f"{LEG}.fleet",
            0,
            "--set legs.cp_shanghai.fleet=0: must be >= 1 (got 0)",
        ),
        (
            f"{LEG}.flet",
            4,
            "--set legs.cp_shanghai.flet=4: legs.cp_shanghai.flet: "
            "unknown field; did you mean 'fleet'?",
        ),
        (
            "legs.cp_shanghi.fleet",
            4,
            "--set legs.cp_shanghi.fleet=4: legs.cp_shanghi: "
            "unknown key; did you mean 'cp_shanghai'?",
        ),
        (
            "legs.zzz.fleet",
            4,
            "--set legs.zzz.fleet=4: legs.zzz: unknown key (known: cp_shanghai)",
        ),
        (
            "skale",
            2,
            "--set skale=2: skale: unknown field; did you mean 'scale'?",
        ),
        (
            f"{LEG}.dispatch.departures_h.3",
            5,
            "--set legs.cp_shanghai.dispatch.departures_h.3=5: "
            "legs.cp_shanghai.dispatch.departures_h: has 1 item; index 3 is out of range",
        ),
        (
            f"{LEG}.dispatch.departures_h.first",
            5,
            "--set legs.cp_shanghai.dispatch.departures_h.first=5: "
            "legs.cp_shanghai.dispatch.departures_h: is a list; index it with a number, "
            "not 'first'",
        ),
        (
            f"{LEG}.fleet.count",
            5,
            "--set legs.cp_shanghai.fleet.count=5: legs.cp_shanghai.fleet: "
            "is a single value (3); it has no field 'count'",
        ),
        (
            f"{LEG}.dispatch.max_wait_h",
            5,
            "--set legs.cp_shanghai.dispatch.max_wait_h=5: "
            "legs.cp_shanghai.dispatch.max_wait_h: unknown field (known: departures_h, policy)",
        ),
        (
            f"{LEG}.dispatch.departures_h",
            [25],
            "--set legs.cp_shanghai.dispatch.departures_h=[25]: "
            "legs.cp_shanghai.dispatch.departures_h[0]: must be < 24 (got 25)",
        ),
        (
            "scale",
            "big",
            "--set scale=big: must be a valid number (got 'big')",
        ),
        (
            f"{LEG}.to",
            "nowhere_dc",
            "--set legs.cp_shanghai.to=nowhere_dc: unknown hub 'nowhere_dc' (known: shanghai_dc)",
        ),
        (
            "products.matsutake.q10",
            None,
            "--set products.matsutake.q10=null: products.matsutake: "
            "give exactly one of q10 or activation_energy_kj_mol",
        ),
    ],
)
def test_problems_name_the_override(small: Scenario, path: str, value: Any, expected: str) -> None:
    assert messages(small, {path: value}) == [expected]


def test_every_path_problem_in_one_pass(small: Scenario) -> None:
    found = messages(small, {"skale": 2, f"{LEG}.fleet": 4, "legs.nope.fleet": 1})
    assert [line.split(":")[0] for line in found] == ["--set skale=2", "--set legs.nope.fleet=1"]


def test_every_value_problem_in_one_pass(small: Scenario) -> None:
    found = messages(small, {f"{LEG}.fleet": 0, "scale": -1, "horizon_days": 10})
    assert sorted(found) == [
        "--set legs.cp_shanghai.fleet=0: must be >= 1 (got 0)",
        "--set scale=-1: must be > 0 (got -1)",
    ]


def test_problem_caused_by_several_overrides_names_them_all(small: Scenario) -> None:
    [line] = messages(small, {"markets.store.open_hours.0": 20, "markets.store.open_hours.1": 10})
    # The problem is located at the whole open_hours list (or the store): both are to blame.
    assert line.startswith(
        "--set markets.store.open_hours.0=20, --set markets.store.open_hours.1=10: markets.store"
    )
    assert "opening must be before closing" in line


def test_flow_problem_elsewhere_names_every_override(small: Scenario) -> None:
    # Only yak meat may ride the one leg: matsutake can no longer reach a market.
    found = messages(small, {f"{LEG}.products": ["yak_meat_chilled"], "scale": 2})
    assert found
    for line in found:
        assert line.startswith(
            "--set legs.cp_shanghai.products=[yak_meat_chilled], --set scale=2: "
        )
    assert any("matsutake" in line for line in found)


def test_long_values_are_shortened_in_labels(small: Scenario) -> None:
    [line] = messages(small, {"description": ["x" * 100]})
    label, _, message = line.partition(": ")
    assert label.startswith("--set description=[xxx")
    assert label.endswith("...")
    assert len(label) < 80
    assert message.startswith("must be a valid string")
