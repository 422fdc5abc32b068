"""Scenario variants: ``extends`` merges a parent, and problems keep their own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtotable.errors import ScenarioError
from fieldtotable.scenario import Scenario, builtin_scenario, load_scenario, parse_scenario
from fieldtotable.scenario import loader as loader_module
from fieldtotable.scenario.extends import (
    MAX_EXTENDS_DEPTH,
    BuiltinSource,
    FileSource,
    resolve_extends,
)

SMALL = Path(__file__).resolve().parents[1] / "data" / "small.yaml"
SMALL_TEXT = SMALL.read_text(encoding="utf-8")


def line_of(text: str, snippet: str) -> int:
    [number] = [i for i, line in enumerate(text.splitlines(), 1) if snippet in line]
    return number


def write(folder: Path, name: str, text: str) -> Path:
    file = folder / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def problems(path: Path | str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``base.yaml`` (a copy of small.yaml) in a temporary working directory."""
    monkeypatch.chdir(tmp_path)
    return write(tmp_path, "base.yaml", SMALL_TEXT)


# --- merging ------------------------------------------------------------------------


def test_child_changes_only_what_it_names(base: Path) -> None:
    write(
        base.parent,
        "v.yaml",
        "extends: base.yaml\n"
        "name: variant\n"
        "scale: 2\n"
        "legs:\n"
        "  cp_shanghai:\n"
        "    fleet: 5\n"
        "    dispatch: {policy: scheduled, departures_h: [6, 18]}\n",
    )
    parent = load_scenario(base)
    child = load_scenario("v.yaml")
    assert child.name == "variant"
    assert child.scale == 2
    leg = child.legs["cp_shanghai"]
    assert leg.fleet == 5
    assert leg.dispatch.departures_h == (6, 18)  # type: ignore[union-attr]
    # Everything else is the parent's.
    assert (
        leg.model_copy(update={"fleet": 3, "dispatch": parent.legs["cp_shanghai"].dispatch})
        == (parent.legs["cp_shanghai"])
    )
    assert child.products == parent.products
    assert child.markets == parent.markets
    assert child.model_copy(update={"name": parent.name, "scale": 1.0, "legs": parent.legs}) == (
        parent
    )


def test_a_list_replaces_the_parents_list(base: Path) -> None:
    write(
        base.parent,
        "v.yaml",
        "extends: base.yaml\nlegs:\n  cp_shanghai:\n    closures:\n"
        "      - {per_year: 1, duration_h: 12}\n",
    )
    [closure] = load_scenario("v.yaml").legs["cp_shanghai"].closures
    assert closure.per_year == 1
    assert closure.months == tuple(range(1, 13))


def test_a_differently_tagged_mapping_replaces(base: Path) -> None:
    write(
        base.parent,
        "v.yaml",
        "extends: base.yaml\n"
        "legs:\n"
        "  cp_shanghai:\n"
        "    transit_time_h: {dist: uniform, low: 40, high: 50}\n"
        "    dispatch: {policy: full_or_timeout, min_load_kg: 9000, max_wait_h: 24}\n",
    )
    leg = load_scenario("v.yaml").legs["cp_shanghai"]
    assert leg.transit_time_h.dist == "uniform"
    assert leg.transit_time_h.mode is None  # the parent's triangular mode is gone
    assert leg.dispatch.policy == "full_or_timeout"


def test_a_same_tagged_mapping_merges(base: Path) -> None:
    write(
        base.parent,
        "v.yaml",
        "extends: base.yaml\nlegs:\n  cp_shanghai:\n"
        "    transit_time_h: {dist: triangular, high: 70}\n",
    )
    time = load_scenario("v.yaml").legs["cp_shanghai"].transit_time_h
    assert (time.low, time.mode, time.high) == (44, 48, 70)


def test_chains_resolve_in_order(base: Path) -> None:
    folder = base.parent
    write(folder, "b.yaml", "extends: base.yaml\nname: b\nscale: 2\nhorizon_days: 20\n")
    write(folder, "c/c.yaml", "extends: ../b.yaml\nname: c\nscale: 3\n")
    scenario = load_scenario(folder / "c" / "c.yaml")
    assert (scenario.name, scenario.scale, scenario.horizon_days) == ("c", 3, 20)


def test_text_resolves_relative_to_its_file_name(base: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    write(other, "p.yaml", SMALL_TEXT)
    scenario = parse_scenario("extends: p.yaml\nscale: 4\n", filename=str(other / "v.yaml"))
    assert scenario.scale == 4
    # Text without a real file name resolves relative to the current folder.
    assert parse_scenario("extends: base.yaml\nscale: 5\n").scale == 5


def test_the_model_has_no_extends_field() -> None:
    assert "extends" not in Scenario.model_fields
    with pytest.raises(ScenarioError, match="unknown key"):
        loader_module.validate_scenario_data({"extends": "x.yaml"})


# --- problems, located in the file that wrote them ------------------------------------


def test_problem_in_an_inherited_value_names_the_parent(base: Path) -> None:
    text = SMALL_TEXT.replace("    fleet: 3\n", "    fleet: 0\n")
    write(base.parent, "bad_parent.yaml", text)
    write(base.parent, "v.yaml", "extends: bad_parent.yaml\nname: v\ncold_room: 1\n")
    assert problems("v.yaml") == [
        "v.yaml:3: cold_room: unknown key (allowed: name, description, start_date, "
        "horizon_days, warmup_days, scale, climate, products, sources, collection_points, "
        "hubs, nodes, legs, markets, routing, finance, uncertain)",
        f"bad_parent.yaml:{line_of(text, 'fleet: 0')}: legs.cp_shanghai.fleet: "
        "must be >= 1 (got 0)",
    ]


def test_problem_in_the_childs_value_names_the_child(base: Path) -> None:
    write(base.parent, "v.yaml", "extends: base.yaml\nlegs:\n  cp_shanghai:\n    fleet: -2\n")
    assert problems("v.yaml") == ["v.yaml:4: legs.cp_shanghai.fleet: must be >= 1 (got -2)"]


def test_network_problem_in_a_parent_names_the_parent(base: Path) -> None:
    text = SMALL_TEXT.replace("    to: shanghai_dc\n", "    to: nowhere_dc\n")
    write(base.parent, "p.yaml", text)
    write(base.parent, "sub/v.yaml", "extends: ../p.yaml\nscale: 2\n")
    assert problems(Path("sub") / "v.yaml") == [
        f"p.yaml:{line_of(text, 'to: nowhere_dc')}: legs.cp_shanghai.to: "
        "unknown hub 'nowhere_dc' (known: shanghai_dc)"
    ]


def test_a_missing_parent_is_reported_at_the_extends_line(base: Path) -> None:
    write(base.parent, "v.yaml", "name: v\n\nextends: nothing_here.yaml\n")
    assert problems("v.yaml") == [
        "v.yaml:3: extends: cannot extend 'nothing_here.yaml': file not found"
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [("3", "3"), ("''", "''"), ("", "nothing"), ("[a.yaml]", "['a.yaml']")]
)
def test_extends_must_be_a_file_name(base: Path, value: str, shown: str) -> None:
    write(base.parent, "v.yaml", f"extends: {value}\n")
    assert problems("v.yaml") == [
        f"v.yaml:1: extends: must name the scenario file to extend (got {shown})"
    ]


def test_cycles_are_errors_naming_the_files(base: Path) -> None:
    write(base.parent, "a.yaml", "extends: b.yaml\n")
    write(base.parent, "b.yaml", "name: b\nextends: a.yaml\n")
    assert problems("a.yaml") == ["b.yaml:2: extends: extends cycle: a.yaml -> b.yaml -> a.yaml"]
    write(base.parent, "self.yaml", "extends: ./self.yaml\n")
    assert problems("self.yaml") == ["self.yaml:1: extends: extends cycle: self.yaml -> self.yaml"]


def test_too_long_a_chain_is_refused(base: Path) -> None:
    for index in range(MAX_EXTENDS_DEPTH + 1):
        parent = "base.yaml" if index == 0 else f"v{index - 1}.yaml"
        write(base.parent, f"v{index}.yaml", f"extends: {parent}\n")
    load_scenario(f"v{MAX_EXTENDS_DEPTH - 2}.yaml")
    [message] = problems(f"v{MAX_EXTENDS_DEPTH}.yaml")
    assert f"extends chain longer than {MAX_EXTENDS_DEPTH} files" in message


def test_extends_below_the_top_level_is_an_error(base: Path) -> None:
    write(
        base.parent,
        "v.yaml",
        "extends: base.yaml\nlegs:\n  cp_shanghai:\n    extends: other.yaml\n    fleet: 0\n",
    )
    assert problems("v.yaml") == [
        "v.yaml:4: legs.cp_shanghai.extends: extends is allowed only at the top level "
        "of a scenario file",
        "v.yaml:5: legs.cp_shanghai.fleet: must be >= 1 (got 0)",
    ]


def test_a_parent_with_a_syntax_error_is_named(base: Path) -> None:
    write(base.parent, "p.yaml", "name: [unclosed\n")
    write(base.parent, "v.yaml", "extends: p.yaml\n")
    [message] = problems("v.yaml")
    assert message.startswith("p.yaml:")
    assert "YAML syntax error" in message


def test_a_parent_must_be_a_mapping(base: Path) -> None:
    write(base.parent, "p.yaml", "- just\n- a list\n")
    write(base.parent, "v.yaml", "extends: p.yaml\n")
    assert problems("v.yaml") == [
        "p.yaml:1: a scenario to extend must be a mapping of sections, found a list"
    ]


def test_a_child_with_a_list_at_the_top_is_reported(base: Path) -> None:
    write(base.parent, "v.yaml", "- extends\n")
    [message] = problems("v.yaml")
    assert message.startswith("v.yaml:1: a scenario must be a mapping")


# --- built-in scenarios --------------------------------------------------------------


def test_builtin_extends_resolve_in_the_package_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    write(data, "base.yaml", SMALL_TEXT)
    write(data, "double.yaml", "extends: base.yaml\nname: double\nscale: 2\n")
    write(data, "nested/triple.yaml", "extends: ../double.yaml\nscale: 3\n")
    write(data, "escape.yaml", "extends: ../outside.yaml\n")
    write(tmp_path, "outside.yaml", SMALL_TEXT)
    monkeypatch.setattr(loader_module, "library_root", lambda: data)
    assert builtin_scenario("double").scale == 2
    assert builtin_scenario("double").name == "double"
    source = BuiltinSource(data, "nested/triple.yaml")
    resolved = resolve_extends(source.read(), source)
    assert resolved.data["scale"] == 3
    assert resolved.data["name"] == "double"
    assert resolved.locate(("name",)) == ("<builtin>/double.yaml", 2)
    assert resolved.locate(("legs", "cp_shanghai", "fleet"))[0] == "<builtin>/base.yaml"
    with pytest.raises(ScenarioError) as caught:
        builtin_scenario("escape")
    assert str(caught.value) == (
        "<builtin>/escape.yaml:1: extends: cannot extend '../outside.yaml': "
        "a built-in scenario can only extend another built-in one"
    )


def test_origins_follow_each_node(base: Path) -> None:
    child = "extends: base.yaml\nlegs:\n  cp_shanghai:\n    fleet: 4\n"
    resolved = resolve_extends(child, FileSource("v.yaml"))
    assert "extends" not in resolved.data
    assert resolved.locate(("legs", "cp_shanghai", "fleet")) == ("v.yaml", 4)
    assert resolved.locate(("legs", "cp_shanghai")) == ("v.yaml", 3)
    assert resolved.locate(("legs", "cp_shanghai", "to")) == (
        "base.yaml",
        line_of(SMALL_TEXT, "to: shanghai_dc"),
    )
    assert resolved.locate(("name",)) == ("base.yaml", 1)
