"""Temperature logs named by scenario files: reading, one-line errors, extends, --set, hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtotable import apply_overrides
from fieldtotable.errors import ScenarioError
from fieldtotable.scenario import load_scenario, parse_scenario
from fieldtotable.scenario.dump import dump_scenario
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.temperature_logs import LogFileError, parse_log_csv

SMALL = Path(__file__).resolve().parents[1] / "data" / "small.yaml"
SMALL_TEXT = SMALL.read_text(encoding="utf-8")
TRIP = "elapsed_h,temp_c\n0,2\n10,2\n10.5,20\n12,20\n12.5,2\n48,2.5\n"


def _with_leg_log(text: str, path: str) -> str:
    return text.replace(
        "    setpoint_c: 2\n    loading_h: 1\n",
        f"    setpoint_c: 2\n    temperature_log: {path}\n    loading_h: 1\n",
    )


def _with_hub_log(text: str, path: str, repeat: str = "daily") -> str:
    return text.replace(
        "storage_kg: 60000, setpoint_c: 2}",
        f"storage_kg: 60000, setpoint_c: 2, temperature_log: {{file: {path}, repeat: {repeat}}}}}",
    )


def _write(folder: Path, name: str, text: str) -> Path:
    file = folder / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [str(problem) for problem in caught.value.problems]


def test_a_leg_log_is_read_relative_to_the_scenario_file(tmp_path: Path) -> None:
    _write(tmp_path, "logs/trip.csv", TRIP)
    scenario = load_scenario(_write(tmp_path, "s.yaml", _with_leg_log(SMALL_TEXT, "logs/trip.csv")))
    log = scenario.legs["cp_shanghai"].temperature_log
    assert log is not None
    assert log.file == "logs/trip.csv"
    assert log.elapsed_h == (0, 10, 10.5, 12, 12.5, 48)
    assert log.temp_c == (2, 2, 20, 20, 2, 2.5)


def test_a_hub_profile_is_read_with_its_repeat(tmp_path: Path) -> None:
    _write(tmp_path, "room.csv", "# a logger in the cold room\nelapsed_h,temp_c\n0,2\n12,6\n24,2\n")
    scenario = load_scenario(_write(tmp_path, "s.yaml", _with_hub_log(SMALL_TEXT, "room.csv")))
    log = scenario.hubs["shanghai_dc"].temperature_log
    assert log is not None
    assert (log.repeat, log.elapsed_h, log.temp_c) == ("daily", (0, 12, 24), (2, 6, 2))


def test_the_hash_follows_the_csv_content_not_only_its_path(tmp_path: Path) -> None:
    csv = _write(tmp_path, "trip.csv", TRIP)
    scenario_file = _write(tmp_path, "s.yaml", _with_leg_log(SMALL_TEXT, "trip.csv"))
    first = scenario_hash(load_scenario(scenario_file))
    assert scenario_hash(load_scenario(scenario_file)) == first
    csv.write_text(TRIP.replace("12,20", "12,21"), encoding="utf-8")
    assert scenario_hash(load_scenario(scenario_file)) != first


def test_a_dumped_scenario_holds_the_records_and_reloads_without_the_csv(tmp_path: Path) -> None:
    csv = _write(tmp_path, "trip.csv", TRIP)
    scenario = load_scenario(_write(tmp_path, "s.yaml", _with_leg_log(SMALL_TEXT, "trip.csv")))
    text = dump_scenario(scenario)
    csv.unlink()
    again = parse_scenario(text)
    assert again == scenario
    assert scenario_hash(again) == scenario_hash(scenario)


def test_an_inherited_log_is_read_relative_to_the_parent_that_names_it(tmp_path: Path) -> None:
    _write(tmp_path, "base/logs/trip.csv", TRIP)
    _write(tmp_path, "base/base.yaml", _with_leg_log(SMALL_TEXT, "logs/trip.csv"))
    child = _write(tmp_path, "variants/v.yaml", "extends: ../base/base.yaml\nname: variant\n")
    log = load_scenario(child).legs["cp_shanghai"].temperature_log
    assert log is not None
    assert log.temp_c[2] == 20


def test_set_reads_a_log_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "logs/trip.csv", TRIP)
    scenario = parse_scenario(SMALL_TEXT)
    changed = apply_overrides(scenario, {"legs.cp_shanghai.temperature_log": "logs/trip.csv"})
    log = changed.legs["cp_shanghai"].temperature_log
    assert log is not None
    assert log.file == "logs/trip.csv"
    assert scenario_hash(changed) != scenario_hash(scenario)


@pytest.mark.parametrize(
    ("csv", "line", "message"),
    [
        ("time,temp\n0,2\n", 1, "the header must be 'elapsed_h,temp_c'"),
        ("elapsed_h,temp_c\n0,2\n5,warm\n", 3, "temp_c: not a number ('warm')"),
        ("elapsed_h,temp_c\n0,2\nnan,3\n", 3, "elapsed_h: must be finite"),
        ("elapsed_h,temp_c\n0,2\n5,3\n5,4\n", 4, "elapsed_h: must increase strictly"),
        ("elapsed_h,temp_c\n1,2\n", 2, "elapsed_h: the first record must be at 0"),
        ("elapsed_h,temp_c\n0,2\n4,95\n", 3, "temp_c: 95 °C is outside [-60, 60]"),
        ("elapsed_h,temp_c\n0,2\n4\n", 3, "expected 2 cells"),
    ],
)
def test_a_bad_csv_is_one_line_naming_file_line_field_and_column(
    tmp_path: Path, csv: str, line: int, message: str
) -> None:
    _write(tmp_path, "trip.csv", csv)
    found = _problems(_write(tmp_path, "s.yaml", _with_leg_log(SMALL_TEXT, "trip.csv")))
    assert len(found) == 1
    shown = str(tmp_path / "trip.csv")
    assert found[0].startswith(f"{shown}:{line}: legs.cp_shanghai.temperature_log: ")
    assert message in found[0]


def test_a_missing_csv_is_one_line(tmp_path: Path) -> None:
    found = _problems(_write(tmp_path, "s.yaml", _with_leg_log(SMALL_TEXT, "nowhere.csv")))
    assert len(found) == 1
    assert "nowhere.csv: legs.cp_shanghai.temperature_log: cannot read" in found[0]


def test_a_profile_must_cover_its_period(tmp_path: Path) -> None:
    _write(tmp_path, "room.csv", "elapsed_h,temp_c\n0,2\n20,3\n")
    found = _problems(_write(tmp_path, "s.yaml", _with_hub_log(SMALL_TEXT, "room.csv")))
    assert len(found) == 1
    assert "hubs.shanghai_dc.temperature_log" in found[0]
    assert "must end with a record at elapsed_h 24" in found[0]


def test_parse_log_csv_skips_blank_and_comment_lines() -> None:
    assert parse_log_csv("\n# logger 42\nelapsed_h,temp_c\n\n0,1.5\n# door\n2,3\n") == (
        [0.0, 2.0],
        [1.5, 3.0],
    )
    with pytest.raises(LogFileError, match="no records"):
        parse_log_csv("elapsed_h,temp_c\n")
