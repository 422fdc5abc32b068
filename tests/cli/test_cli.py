"""The command line, in-process (``main([...])``) and as ``python -m fieldtotable``.

Every test of the command calls ``main`` in-process (a real process costs about half a
second to start). What only a real process shows (the ``-m`` and console-script entry
points, the exit status it hands to the shell, what reaches its stdout and stderr,
their encoding, no traceback) is checked once per command family at the end of this
module. Scenario files are copied into a temporary working directory and named
relatively, so that the file part of every error line is known exactly.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import fieldtotable
from fieldtotable import KPI_DEFINITIONS, builtin_scenario_names, load_scenario
from fieldtotable.cli import main
from fieldtotable.cli import run as cli_module
from fieldtotable.tables import (
    MISSING,
    display_unit,
    format_number,
    format_run,
    format_table,
    text_width,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL_TEXT = (DATA / "small.yaml").read_text(encoding="utf-8")

#: ``file:line: path: message``; the path is absent for whole-file problems
#: (a YAML syntax error), and paths never hold spaces.
PROBLEM_LINE = re.compile(
    r"^(?P<file>[^:\s]+):(?P<line>\d+): (?:(?P<path>[A-Za-z_][\w.\[\]']*): )?(?P<message>.+)$"
)
FOOTER = re.compile(r"^seed (?P<seed>\d+) \| wall time [\d.]+ s \| (?P<events>[\d,]+) events$")


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


Cli = Callable[..., Outcome]


@pytest.fixture
def cli(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    """Run the command line in-process in ``tmp_path``, which holds a copy of ``small.yaml``."""
    (tmp_path / "small.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def in_process(*args: str) -> Outcome:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        assert isinstance(code, int)
        return Outcome(code, captured.out, captured.err)

    return in_process


def python_m(cwd: Path, *args: str, encoding: str = "utf-8") -> Outcome:
    """Run ``python -m fieldtotable ARGS`` as a real process in ``cwd``.

    Its standard streams are set to ``encoding`` and read back in it.
    """
    done = subprocess.run(
        [sys.executable, "-m", "fieldtotable", *args],
        capture_output=True,
        text=True,
        encoding=encoding,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        cwd=cwd,
        timeout=300,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def write_variant(directory: Path, name: str, old: str, new: str, marker: str) -> int:
    """Write ``small.yaml`` with ``old`` replaced by ``new``; return the line of ``marker``."""
    assert SMALL_TEXT.count(old) == 1, f"{old!r} must occur once in small.yaml"
    text = SMALL_TEXT.replace(old, new)
    (directory / name).write_text(text, encoding="utf-8")
    lines = text.splitlines()
    assert lines.count(marker) == 1, f"{marker!r} must occur once"
    return lines.index(marker) + 1


def assert_clean_failure(outcome: Outcome) -> None:
    assert outcome.code == 2, outcome
    assert "Traceback" not in outcome.err
    assert outcome.err_lines, "bad input must be explained on stderr"
    assert outcome.out == ""


# --- run ----------------------------------------------------------------------------


def test_run_prints_every_kpi_with_its_unit(cli: Cli) -> None:
    outcome = cli("run", "small.yaml", "--seed", "3", "--wide")  # meanings on one line
    assert outcome.code == 0, outcome.err
    assert "Traceback" not in outcome.err
    assert outcome.err == ""
    lines = outcome.out.splitlines()
    totals = lines[lines.index("Totals") : lines.index("Spoilage by stage")]
    for key, (unit, meaning) in KPI_DEFINITIONS.items():
        rows = [line for line in totals if line.split()[:1] == [key]]
        assert len(rows) == 1, f"KPI {key} must have one row in the totals"
        cells = rows[0].split()
        if unit == "fraction":
            assert "%" in cells
            assert cells[1].endswith("%") or cells[1] == MISSING
        else:
            assert unit in cells, f"unit {unit!r} missing for {key}: {rows[0]!r}"
        assert meaning in rows[0]
    for section in ("Totals", "Spoilage by stage", "By product", "By leg", "By node"):
        assert section in lines
    for name in ("matsutake", "yak_meat_chilled", "cp_shanghai", "shanghai_dc", "transit"):
        assert name in outcome.out
    footer = FOOTER.match(lines[-1])
    assert footer is not None, lines[-1]
    assert footer["seed"] == "3"
    assert int(footer["events"].replace(",", "")) > 0


def test_run_json_has_every_kpi(cli: Cli) -> None:
    outcome = cli("run", "small.yaml", "--json", "--seed", "1")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert set(KPI_DEFINITIONS) <= set(data["kpis"])
    for key in KPI_DEFINITIONS:
        value = data["kpis"][key]
        assert value is None or isinstance(value, int | float), key
    assert data["seed"] == 1
    assert data["scenario_name"] == "small test channel"
    assert data["kpis"]["harvested_kg"] > 0
    # The footer goes to stderr, so that stdout is valid JSON.
    footer = FOOTER.match(outcome.err.strip())
    assert footer is not None, outcome.err
    assert footer["seed"] == "1"


def test_run_json_is_reproducible(cli: Cli) -> None:
    first = json.loads(cli("run", "small.yaml", "--json", "--seed", "7", "--days", "10").out)
    second = json.loads(cli("run", "small.yaml", "--json", "--seed", "7", "--days", "10").out)
    assert first["kpis"] == second["kpis"]


def test_run_replication_reruns_one_run_of_an_experiment(cli: Cli) -> None:
    scenario = load_scenario("small.yaml").with_horizon(10)
    experiment = fieldtotable.replicate(scenario, n=3, seed=7, executor="serial")
    outcome = cli(
        "run", "small.yaml", "--json", "--seed", "7", "--replication", "2", "--days", "10"
    )
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["replication"] == 2
    assert data["kpis"] == json.loads(experiment.runs[2].to_json())["kpis"]
    assert data["kpis"] != json.loads(experiment.runs[1].to_json())["kpis"]
    assert outcome.err.startswith("seed 7 | replication 2 | wall time")
    assert_clean_failure(cli("run", "small.yaml", "--replication", "-1"))


def test_run_days_shortens_the_horizon(cli: Cli) -> None:
    outcome = cli("run", "small.yaml", "--days", "5", "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["horizon_days"] == 5
    assert len(data["daily"]["harvested_kg"]) == 5
    text = cli("run", "small.yaml", "--days", "5")
    assert text.code == 0, text.err
    assert text.out.splitlines()[0].startswith("small test channel | seed 0 | 5 days")


def test_run_days_equal_to_horizon_is_accepted(cli: Cli) -> None:
    horizon = load_scenario(DATA / "small.yaml").horizon_days
    outcome = cli("run", "small.yaml", "--days", str(horizon), "--json")
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["horizon_days"] == horizon


# --- validate -------------------------------------------------------------------------


def test_validate_ok(cli: Cli) -> None:
    scenario = load_scenario(DATA / "small.yaml")
    outcome = cli("validate", "small.yaml")
    assert outcome.code == 0, outcome.err
    assert outcome.err == ""
    assert outcome.out == (
        f"OK: {scenario.name} ({len(scenario.products)} products, "
        f"{len(scenario.sources)} sources, {len(scenario.legs)} legs, "
        f"{len(scenario.markets)} markets)\n"
    )


# --- bad scenarios ----------------------------------------------------------------------

BAD_SCENARIOS = {
    # name: (old text, new text, the line at fault, expected path or None, words)
    "yaml_syntax": (
        "    q10: 2.5\n",
        "    q10: 2.5: 3\n",
        "    q10: 2.5: 3",
        None,
        "YAML syntax error",
    ),
    "unknown_key": (
        "    fleet: 3\n",
        "    fleet: 3\n    colour: red\n",
        "    colour: red",
        "legs.cp_shanghai.colour",
        "unknown key",
    ),
    "negative_capacity": (
        "    vehicle_capacity_kg: 15000\n",
        "    vehicle_capacity_kg: -5\n",
        "    vehicle_capacity_kg: -5",
        "legs.cp_shanghai.vehicle_capacity_kg",
        "must be >= 10",
    ),
    "leg_to_unknown_node": (
        "    to: shanghai_dc\n",
        "    to: nowhere_dc\n",
        "    to: nowhere_dc",
        "legs.cp_shanghai.to",
        "nowhere_dc",
    ),
    "leg_from_unknown_node": (
        "    from: cp\n",
        "    from: atlantis\n",
        "    from: atlantis",
        "legs.cp_shanghai.from",
        "atlantis",
    ),
}


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("case", sorted(BAD_SCENARIOS))
def test_bad_scenario_gives_one_located_line(
    cli: Cli, tmp_path: Path, command: str, case: str
) -> None:
    old, new, marker, path, words = BAD_SCENARIOS[case]
    name = f"{case}.yaml"
    line = write_variant(tmp_path, name, old, new, marker)
    outcome = cli(command, name)
    assert_clean_failure(outcome)
    assert len(outcome.err_lines) == 1, outcome.err
    match = PROBLEM_LINE.match(outcome.err_lines[0])
    assert match is not None, outcome.err_lines[0]
    assert match["file"] == name
    assert int(match["line"]) == line
    assert match["path"] == path
    assert words in match["message"]


def test_every_problem_gets_its_own_line(cli: Cli, tmp_path: Path) -> None:
    text = SMALL_TEXT.replace("    vehicle_capacity_kg: 15000\n", "    vehicle_capacity_kg: -5\n")
    text = text.replace("    cold_room_kg: 20000\n", "    cold_room_kg: 0\n")
    (tmp_path / "two.yaml").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    expected = {
        "collection_points.cp.cold_room_kg": lines.index("    cold_room_kg: 0") + 1,
        "legs.cp_shanghai.vehicle_capacity_kg": lines.index("    vehicle_capacity_kg: -5") + 1,
    }
    outcome = cli("validate", "two.yaml")
    assert_clean_failure(outcome)
    found = {}
    for error_line in outcome.err_lines:
        match = PROBLEM_LINE.match(error_line)
        assert match is not None, error_line
        assert match["file"] == "two.yaml"
        found[match["path"]] = int(match["line"])
    assert found == expected


@pytest.mark.parametrize("command", ["run", "validate"])
def test_missing_file(cli: Cli, command: str) -> None:
    outcome = cli(command, "no_such_file.yaml")
    assert_clean_failure(outcome)
    assert len(outcome.err_lines) == 1
    assert outcome.err_lines[0].startswith("no_such_file.yaml: ")
    assert "not found" in outcome.err_lines[0]


def test_directory_instead_of_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    outcome = cli("validate", "folder")
    assert_clean_failure(outcome)
    assert outcome.err_lines[0].startswith("folder: ")


# --- bad options and usage ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["run", "small.yaml", "--days", "0"], "--days"),
        (["run", "small.yaml", "--days", "-3"], "--days"),
        (["run", "small.yaml", "--days", "two"], "--days"),
        (["run", "small.yaml", "--days", "31"], "horizon_days"),
        (["run", "small.yaml", "--seed", "-1"], "--seed"),
        (["run", "small.yaml", "--seed", "1.5"], "--seed"),
        (["run", "small.yaml", "--colour"], "--colour"),
        (["validate"], "SCENARIO"),
        ([], "COMMAND"),
        (["simulate"], "simulate"),
    ],
)
def test_bad_options_exit_2_in_one_line(cli: Cli, args: list[str], words: str) -> None:
    outcome = cli(*args)
    assert_clean_failure(outcome)
    assert len(outcome.err_lines) == 1, outcome.err
    assert "error" in outcome.err_lines[0]
    assert words in outcome.err_lines[0]


def test_version(cli: Cli) -> None:
    outcome = cli("--version")
    assert outcome.code == 0
    assert outcome.out.strip() == f"fieldtotable {fieldtotable.__version__}"


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["validate", "--help"]])
def test_help(cli: Cli, args: list[str]) -> None:
    outcome = cli(*args)
    assert outcome.code == 0
    assert "usage: fieldtotable" in outcome.out


# --- the built-in baseline ----------------------------------------------------------------


@pytest.fixture
def baseline_available() -> None:
    if "baseline" not in builtin_scenario_names():
        pytest.skip("scenarios/baseline.yaml is not in this checkout")


@pytest.mark.usefixtures("baseline_available")
def test_run_without_scenario_uses_the_baseline(cli: Cli) -> None:
    name = fieldtotable.builtin_scenario("baseline").name
    outcome = cli("run", "--days", "3", "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["scenario_name"] == name
    assert data["horizon_days"] == 3
    assert set(KPI_DEFINITIONS) <= set(data["kpis"])
    text = cli("run", "--days", "3")
    assert text.code == 0, text.err
    assert text.out.splitlines()[0].startswith(f"{name} | seed 0 | 3 days")


def test_missing_builtin_scenario_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_module, "DEFAULT_SCENARIO", "no_such_builtin")
    code = main(["run", "--days", "2"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.splitlines() == [
        line for line in captured.err.splitlines() if "no built-in scenario" in line
    ]
    assert len(captured.err.splitlines()) == 1


# --- defects are not bad input -------------------------------------------------------------


def test_internal_errors_propagate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a defect")

    monkeypatch.setattr(cli_module, "simulate", broken)
    with pytest.raises(RuntimeError, match="a defect"):
        main(["run", str(DATA / "small.yaml")])


# --- the console script ------------------------------------------------------------------


def test_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "fieldtotable"
    found = str(script) if script.exists() else shutil.which("fieldtotable")
    if found is None:
        pytest.skip("the fieldtotable console script is not installed")
    good = subprocess.run(
        [found, "validate", str(DATA / "small.yaml")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("OK: ")
    bad = subprocess.run(
        [found, "validate", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


# --- the tables, directly --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234567.891, "kg", "1,234,567.9"),
        (0.1234, "%", "12.3%"),
        (1.0, "%", "100.0%"),
        (520918.587, "CNY", "520,919"),
        (124.388, "CNY/kg", "124.39"),
        (16.0, "count", "16"),
        (-1e-12, "kg", "0.0"),
        (math.nan, "%", MISSING),
        (None, "kg", MISSING),
        (math.inf, "kg", "inf"),
    ],
)
def test_format_number(value: float | None, unit: str, text: str) -> None:
    assert format_number(value, unit) == text


def test_display_units() -> None:
    assert display_unit("fill_rate") == "%"
    assert display_unit("spoilage_rate") == "%"
    assert display_unit("trips") == "count"
    assert display_unit("harvested_kg") == "kg"
    assert display_unit("cost_per_kg_sold_cny") == "CNY/kg"


def test_format_table_aligns_and_handles_empty() -> None:
    table = format_table(["name", "mass\nkg"], [["a", "1.0"], ["bbb", "10.0"]])
    assert table.splitlines() == [
        "        mass",
        "  name    kg",
        "  ----  ----",
        "  a      1.0",
        "  bbb   10.0",
    ]
    assert format_table(["a", "b"], []) == "  (none)"
    with pytest.raises(ValueError, match="cells"):
        format_table(["a", "b"], [["only one"]])


def test_chinese_names_line_up() -> None:
    assert text_width("松茸 matsutake") == 14
    table = format_table(["product", "kg"], [["松茸 matsutake", "1.0"], ["honey", "22.0"]])
    lines = table.splitlines()
    assert {text_width(line) for line in lines} == {text_width(lines[0])}


def test_format_run_uses_scenario_names() -> None:
    scenario = load_scenario(DATA / "small.yaml")
    result = fieldtotable.simulate(scenario.with_horizon(3), seed=0)
    with_names = format_run(result, scenario)
    assert "cp -> shanghai_dc" in with_names
    assert "reefer_truck" in with_names
    assert "collection point" in with_names
    without = format_run(result)
    assert "cp -> shanghai_dc" not in without
    for key in KPI_DEFINITIONS:
        assert key in with_names
        assert key in without


# --- show, schema and --set ------------------------------------------------------------------


def test_show_prints_a_scenario_that_loads_back_equal(cli: Cli, tmp_path: Path) -> None:
    outcome = cli("show", "small.yaml")
    assert outcome.code == 0, outcome.err
    assert outcome.err == ""
    (tmp_path / "shown.yaml").write_text(outcome.out, encoding="utf-8")
    assert load_scenario(tmp_path / "shown.yaml") == load_scenario(DATA / "small.yaml")


@pytest.mark.usefixtures("baseline_available")
def test_show_without_scenario_prints_the_baseline(cli: Cli) -> None:
    outcome = cli("show")
    assert outcome.code == 0, outcome.err
    assert fieldtotable.parse_scenario(outcome.out) == fieldtotable.builtin_scenario("baseline")


def test_show_resolves_extends_and_set(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "variant.yaml").write_text(
        "extends: small.yaml\nname: variant\nlegs:\n  cp_shanghai: {fleet: 5}\n", encoding="utf-8"
    )
    outcome = cli("show", "variant.yaml", "--set", "scale=2", "--set", "legs.cp_shanghai.fleet=6")
    assert outcome.code == 0, outcome.err
    shown = fieldtotable.parse_scenario(outcome.out)
    assert shown.name == "variant"
    assert shown.scale == 2
    assert shown.legs["cp_shanghai"].fleet == 6
    assert "extends" not in outcome.out


def test_extends_problem_names_the_parent_file_and_line(cli: Cli, tmp_path: Path) -> None:
    line = write_variant(
        tmp_path, "parent.yaml", "    fleet: 3\n", "    fleet: 0\n", "    fleet: 0"
    )
    (tmp_path / "child.yaml").write_text("extends: parent.yaml\nscale: 2\n", encoding="utf-8")
    outcome = cli("validate", "child.yaml")
    assert_clean_failure(outcome)
    assert outcome.err_lines == [
        f"parent.yaml:{line}: legs.cp_shanghai.fleet: must be >= 1 (got 0)"
    ]
    (tmp_path / "orphan.yaml").write_text("scale: 2\nextends: nowhere.yaml\n", encoding="utf-8")
    outcome = cli("show", "orphan.yaml")
    assert_clean_failure(outcome)
    assert outcome.err_lines == [
        "orphan.yaml:2: extends: cannot extend 'nowhere.yaml': file not found"
    ]


def test_schema_prints_the_json_schema(cli: Cli) -> None:
    outcome = cli("schema")
    assert outcome.code == 0, outcome.err
    assert outcome.out == json.dumps(fieldtotable.scenario.scenario_json_schema(), indent=2) + "\n"


def test_set_changes_the_result(cli: Cli) -> None:
    plain = cli("run", "small.yaml", "--json", "--days", "5")
    scaled = cli("run", "small.yaml", "--json", "--days", "5", "--set", "scale=3")
    assert plain.code == 0, plain.err
    assert scaled.code == 0, scaled.err
    harvested = json.loads(plain.out)["kpis"]["harvested_kg"]
    assert json.loads(scaled.out)["kpis"]["harvested_kg"] > 2 * harvested
    validated = cli("validate", "small.yaml", "--set", "name=renamed")
    assert validated.code == 0, validated.err
    assert validated.out.startswith("OK: renamed (")


@pytest.mark.parametrize("command", ["run", "validate", "show"])
def test_set_with_a_bad_path_suggests_the_key(cli: Cli, command: str) -> None:
    outcome = cli(command, "small.yaml", "--set", "legs.cp_shanghi.fleet=4")
    assert_clean_failure(outcome)
    assert outcome.err_lines == [
        "--set legs.cp_shanghi.fleet=4: legs.cp_shanghi: unknown key; did you mean 'cp_shanghai'?"
    ]


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("legs.cp_shanghai.fleet=0", "--set legs.cp_shanghai.fleet=0: must be >= 1 (got 0)"),
        (
            "legs.cp_shanghai.fleat=2",
            "--set legs.cp_shanghai.fleat=2: legs.cp_shanghai.fleat: "
            "unknown field; did you mean 'fleet'?",
        ),
        ("fleet", "--set fleet: expected PATH=VALUE, e.g. legs.kunming_shanghai.fleet=4"),
        ("scale=", "--set scale=: no value after '=' (write null to clear a field)"),
    ],
)
def test_set_problems_are_one_line_each(cli: Cli, assignment: str, expected: str) -> None:
    outcome = cli("validate", "small.yaml", "--set", assignment)
    assert_clean_failure(outcome)
    assert outcome.err_lines == [expected]


def test_several_bad_sets_are_reported_together(cli: Cli) -> None:
    outcome = cli("validate", "small.yaml", "--set", "scale=0", "--set", "legs.cp_shanghai.fleet=0")
    assert_clean_failure(outcome)
    assert sorted(outcome.err_lines) == [
        "--set legs.cp_shanghai.fleet=0: must be >= 1 (got 0)",
        "--set scale=0: must be > 0 (got 0)",
    ]


@pytest.mark.parametrize("args", [["show", "--help"], ["schema", "--help"]])
def test_help_of_new_commands(cli: Cli, args: list[str]) -> None:
    outcome = cli(*args)
    assert outcome.code == 0
    assert "usage: fieldtotable" in outcome.out


# --- real processes: once per command family -------------------------------------------
#
# The tests above call ``main`` in-process. These start ``python -m fieldtotable`` for
# what only a real process shows: the ``-m`` entry point, the exit status the shell
# sees, what reaches the real stdout and stderr (and in which encoding), and that bad
# input never ends in a traceback. ``test_console_script`` covers the installed script.


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A working directory holding a copy of ``small.yaml``."""
    (tmp_path / "small.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    return tmp_path


def test_process_run(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcome = python_m(workdir, "run", "small.yaml", "--days", "3", "--seed", "2", "--json")
    assert outcome.code == 0, outcome.err
    # stdout holds the JSON alone; the footer goes to stderr.
    footer = FOOTER.match(outcome.err.rstrip("\n"))
    assert footer is not None, outcome.err
    assert footer["seed"] == "2"
    data = json.loads(outcome.out)
    assert main(["run", str(workdir / "small.yaml"), "--days", "3", "--seed", "2", "--json"]) == 0
    in_process = json.loads(capsys.readouterr().out)
    assert data.pop("wall_time_s") > 0
    in_process.pop("wall_time_s")
    assert data == in_process  # the same run, to the last digit


def test_process_report(workdir: Path) -> None:
    outcome = python_m(workdir, "report", "small.yaml", "--days", "2", "-o", "r.html")
    assert outcome.code == 0, outcome.err
    assert outcome.err == ""
    assert "report written to r.html" in outcome.out
    assert FOOTER.match(outcome.out.splitlines()[-1]), outcome.out
    page = (workdir / "r.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "small test channel" in page


def test_process_validate_writes_names_in_the_stream_encoding(workdir: Path) -> None:
    text = SMALL_TEXT.replace("name: small test channel", "name: 松茸 → 上海")
    (workdir / "cjk.yaml").write_text(text, encoding="utf-8")
    as_utf8 = python_m(workdir, "validate", "cjk.yaml")
    assert as_utf8.code == 0, as_utf8.err
    assert as_utf8.out.startswith("OK: 松茸 → 上海 (2 products")
    assert as_utf8.err == ""
    # A stream that cannot encode the name gets escapes, not a UnicodeEncodeError.
    as_ascii = python_m(workdir, "validate", "cjk.yaml", encoding="ascii")
    assert as_ascii.code == 0, as_ascii.err
    assert as_ascii.out.startswith("OK: \\u677e\\u8338 \\u2192 \\u4e0a\\u6d77 (2 products")
    assert as_ascii.err == ""


def test_process_show(workdir: Path) -> None:
    outcome = python_m(workdir, "show", "small.yaml", "--set", "scale=2")
    assert outcome.code == 0, outcome.err
    assert outcome.err == ""
    shown = fieldtotable.parse_scenario(outcome.out)
    assert shown == load_scenario(workdir / "small.yaml").model_copy(update={"scale": 2.0})


def test_process_schema(workdir: Path) -> None:
    outcome = python_m(workdir, "schema")
    assert outcome.code == 0, outcome.err
    assert outcome.err == ""
    assert outcome.out == json.dumps(fieldtotable.scenario.scenario_json_schema(), indent=2) + "\n"


def test_process_experiment_command(workdir: Path) -> None:
    outcome = python_m(
        workdir, "replicate", "small.yaml", "-n", "2", "--days", "3", "--executor", "serial",
        "--json",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert (data["n"], data["seed"]) == (2, 0)
    assert len(data["values"]["sold_kg"]) == 2
    assert re.fullmatch(r"seed 0 \| wall time [\d.]+ s\n", outcome.err), outcome.err


def test_process_bench_bad_input(workdir: Path) -> None:
    (workdir / "empty").mkdir()
    outcome = python_m(
        workdir, "bench", "channels", "--quick", "--executor", "serial", "--scenarios", "empty",
        "--out", "study", "--quiet",
    )  # fmt: skip
    assert_clean_failure(outcome)
    assert len(outcome.err_lines) == 1, outcome.err
    assert outcome.err_lines[0].startswith("fieldtotable bench channels: error:")
    assert not (workdir / "study" / "channels.md").exists()


def test_process_help(workdir: Path) -> None:
    # --help and --version leave through argparse's exit inside main: one process
    # shows that path hands 0 to the shell (test_version checks --version's text).
    usage = python_m(workdir, "--help")
    assert (usage.code, usage.err) == (0, "")
    assert usage.out.startswith("usage: fieldtotable")
    for command in ("run", "report", "validate", "show", "schema", "replicate", "bench"):
        assert command in usage.out


def test_process_bad_input_exits_2_with_one_line_per_problem(workdir: Path) -> None:
    # Problems in a scenario file: one located line each.
    text = SMALL_TEXT.replace("    vehicle_capacity_kg: 15000\n", "    vehicle_capacity_kg: -5\n")
    text = text.replace("    cold_room_kg: 20000\n", "    cold_room_kg: 0\n")
    (workdir / "two.yaml").write_text(text, encoding="utf-8")
    outcome = python_m(workdir, "validate", "two.yaml")
    assert_clean_failure(outcome)
    assert len(outcome.err_lines) == 2, outcome.err
    for line in outcome.err_lines:
        match = PROBLEM_LINE.match(line)
        assert match is not None, line
        assert match["file"] == "two.yaml"
    # A usage error, refused by argparse inside main: one line.
    outcome = python_m(workdir, "run", "small.yaml", "--days", "0")
    assert_clean_failure(outcome)
    assert len(outcome.err_lines) == 1, outcome.err
    assert outcome.err_lines[0].startswith("fieldtotable run: error: argument --days")
