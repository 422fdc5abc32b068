"""The scenario library by name: one library, names, descriptions, the resolution rule.

Every file of ``scenarios/`` is a built-in scenario named after the file; a name works
wherever a scenario is named (:func:`fieldtotable.open_scenario`, ``extends:``), an
existing path wins over a name, and an unknown name suggests the closest one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fieldtotable as ft
from fieldtotable.errors import ScenarioError
from fieldtotable.scenario import builtin, builtin_scenario_descriptions, open_scenario
from fieldtotable.scenario import loader as loader_module
from fieldtotable.scenario.builtin import describe_text, did_you_mean, unknown_scenario_message

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SMALL_TEXT = (ROOT / "tests" / "data" / "small.yaml").read_text(encoding="utf-8")
NAMES = sorted(path.stem for path in SCENARIOS.glob("*.yaml"))


def test_the_library_is_the_scenarios_folder() -> None:
    assert ft.builtin_scenario_names() == NAMES
    assert {"baseline", "baseline_2023", "scale_5x", "minimal"} <= set(NAMES)
    # One source: no scenario file is kept inside the package's sources.
    package = ROOT / "src" / "fieldtotable"
    assert not list(package.rglob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_every_library_scenario_loads_by_name(name: str) -> None:
    scenario = ft.builtin_scenario(name)
    assert scenario == ft.load_scenario(SCENARIOS / f"{name}.yaml")
    assert open_scenario(name) == scenario
    assert open_scenario(f"{name}.yaml") == scenario


def test_baseline_is_the_2023_channel_without_a_copy() -> None:
    assert ft.builtin_scenario() == ft.builtin_scenario("baseline_2023")
    text = (SCENARIOS / "baseline.yaml").read_text(encoding="utf-8")
    assert "extends: baseline_2023.yaml" in text
    assert len(text.splitlines()) < 30


def test_every_scenario_has_a_one_line_description() -> None:
    descriptions = builtin_scenario_descriptions()
    assert list(descriptions) == NAMES
    for name, text in descriptions.items():
        assert text, name
        assert "\n" not in text
        assert len(text) > 20, name
    assert (
        descriptions["baseline_2023"] == "Diqing -> Shanghai field-to-table channel, 2023 baseline."
    )


def test_describe_text_takes_the_first_sentence_of_the_leading_comment() -> None:
    text = (
        "# yaml-language-server: $schema=x.json\n#\n# First line of it,\n"
        "# continued. Second sentence.\n#\n# Other paragraph.\nname: x\n"
    )
    assert describe_text(text) == "First line of it, continued."
    assert describe_text("name: x\ndescription: >-\n  Folded text. More.\n") == "Folded text."
    assert describe_text("name: x\ndescription: One line\n") == "One line"
    assert describe_text("name: x\n") == ""


def test_an_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(ScenarioError) as caught:
        open_scenario("scale_5")
    assert str(caught.value) == (
        "scale_5: no such file, and no built-in scenario of that name (did you mean scale_5x?)"
    )
    with pytest.raises(ScenarioError) as caught:
        ft.builtin_scenario("baselin")
    assert str(caught.value) == "no built-in scenario 'baselin' (did you mean baseline?)"


def test_a_name_far_from_every_other_lists_them() -> None:
    message = unknown_scenario_message("zzzz", ["a_b", "c_d"])
    assert message == "no such file, and no built-in scenario of that name (built-in: a_b, c_d)"
    assert unknown_scenario_message("nothere.yaml", ["a_b"]) == "file not found"
    assert unknown_scenario_message("dir/x", ["a_b"]) == "file not found"
    assert did_you_mean("rnu", ["run", "report"], quote=True) == " (did you mean 'run'?)"
    assert did_you_mean("zzz", ["run"]) == ""


def test_an_existing_path_wins_over_a_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scale_5x").write_text(SMALL_TEXT.replace("name:", "name: local #"), "utf-8")
    assert open_scenario("scale_5x").name.startswith("local")
    assert open_scenario("scale_5x.yaml").scale == 5  # no such file here: the built-in one


def test_extends_by_built_in_name(tmp_path: Path) -> None:
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: scale_5x\nname: mine\nlegs:\n  kunming_shanghai: {fleet: 9}\n")
    scenario = ft.load_scenario(variant)
    assert scenario.scale == 5
    assert scenario.legs["kunming_shanghai"].fleet == 9
    variant.write_text("extends: baseline.yaml\nname: mine\n")  # the built-in, no such file
    assert ft.load_scenario(variant).legs == ft.builtin_scenario().legs


def test_extends_a_relative_file_before_a_name(tmp_path: Path) -> None:
    (tmp_path / "baseline.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: baseline.yaml\nscale: 2\n")
    assert set(ft.load_scenario(variant).legs) == set(ft.parse_scenario(SMALL_TEXT).legs)


def test_extends_an_unknown_name(tmp_path: Path) -> None:
    variant = tmp_path / "variant.yaml"
    variant.write_text("name: x\nextends: baselin\n")
    with pytest.raises(ScenarioError) as caught:
        ft.load_scenario(variant)
    assert str(caught.value) == (
        f"{variant}:2: extends: cannot extend 'baselin': no such file, and no built-in "
        "scenario of that name (did you mean baseline?)"
    )


def test_a_library_file_extends_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "base.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    (library / "double.yaml").write_text("extends: base\nscale: 2\n", encoding="utf-8")
    (library / "bad.yaml").write_text("extends: bse\n", encoding="utf-8")
    monkeypatch.setattr(loader_module, "library_root", lambda: library)
    assert ft.builtin_scenario("double").scale == 2
    with pytest.raises(ScenarioError, match=r"cannot extend 'bse': .*did you mean base\?"):
        ft.builtin_scenario("bad")


def test_a_wheel_reads_its_packaged_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "fieldtotable" / "scenario"
    (package / "library").mkdir(parents=True)
    (package / "library" / "only.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    monkeypatch.setattr(builtin.resources, "files", lambda _package: package)
    assert builtin.library_root() == package / "library"
    assert ft.builtin_scenario_names() == ["only"]
    assert ft.builtin_scenario("only").name == ft.parse_scenario(SMALL_TEXT).name
