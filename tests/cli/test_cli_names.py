"""The command line and names: built-in scenarios, suggestions, one meaning per option.

Built-in names work wherever a command takes a SCENARIO; ``fieldtotable scenarios``
lists them; a misspelt command, option or choice is answered with the closest name;
``--out`` is the folder of a command's files and ``--store`` the run store on every
command, the old names working for one release with a notice.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldtotable import builtin_scenario, builtin_scenario_names
from fieldtotable.cli import build_parser, main
from fieldtotable.cli.options import RenamedOption

SMALL_TEXT = (Path(__file__).resolve().parents[1] / "data" / "small.yaml").read_text("utf-8")
EXPERIMENT = ("-n", "2", "--days", "5", "--executor", "serial", "-q")


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


Cli = Callable[..., Outcome]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    (tmp_path / "small.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


def one_error_line(outcome: Outcome) -> str:
    assert outcome.code == 2, outcome
    assert "Traceback" not in outcome.err
    [line] = outcome.err.splitlines()
    return line


# --- built-in scenarios by name -------------------------------------------------------------


@pytest.mark.parametrize("name", builtin_scenario_names())
def test_validate_every_library_scenario_by_name(cli: Cli, name: str) -> None:
    outcome = cli("validate", name, "--wide")  # one line (by default a long one wraps)
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith(f"OK: {builtin_scenario(name).name} (")


def test_run_by_name(cli: Cli) -> None:
    outcome = cli("run", "scale_5x", "--days", "3", "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["scenario_name"] == builtin_scenario("scale_5x").name
    assert data["horizon_days"] == 3


def test_run_baseline_is_the_built_in_one(cli: Cli) -> None:
    named = cli("run", "baseline", "--days", "2", "--json")
    default = cli("run", "--days", "2", "--json")
    assert named.code == default.code == 0
    assert json.loads(named.out)["kpis"] == json.loads(default.out)["kpis"]


def test_show_and_compare_by_name(cli: Cli) -> None:
    assert cli("show", "minimal").out.startswith("name: Minimal channel")
    outcome = cli("compare", "baseline", "fifo_store", *EXPERIMENT)
    assert outcome.code == 0, outcome.err
    assert "fifo_store" in outcome.out


def test_an_unknown_name_is_one_line_with_a_suggestion(cli: Cli) -> None:
    line = one_error_line(cli("run", "scale_5", "--days", "3"))
    assert line == (
        "scale_5: no such file, and no built-in scenario of that name (did you mean scale_5x?)"
    )
    assert one_error_line(cli("replicate", "baselin", *EXPERIMENT)).endswith(
        "(did you mean baseline?)"
    )


def test_a_local_file_wins_over_a_name(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "minimal").write_text(SMALL_TEXT, encoding="utf-8")
    assert cli("validate", "minimal").out.startswith("OK: small test channel")


def test_extends_by_name_from_a_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("extends: scale_5x\nname: mine\n", encoding="utf-8")
    outcome = cli("run", "mine.yaml", "--days", "3", "--json")
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["scenario_name"] == "mine"


def test_a_misspelt_leg_in_a_variant_is_one_line(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "variant.yaml").write_text(
        "extends: baseline\nname: v\nlegs:\n  shangrila_kunmng: {vehicle_capacity_kg: 9000}\n",
        encoding="utf-8",
    )
    assert one_error_line(cli("validate", "variant.yaml")) == (
        "variant.yaml:4: legs.shangrila_kunmng: no such leg in the parent "
        "(did you mean shangrila_kunming?)"
    )


# --- fieldtotable scenarios ------------------------------------------------------------------


def test_scenarios_lists_the_library_in_aligned_columns(cli: Cli) -> None:
    outcome = cli("scenarios", "--wide")  # one line each (by default descriptions wrap)
    assert outcome.code == 0
    lines = outcome.out.splitlines()
    names = builtin_scenario_names()
    assert [line.split()[0] for line in lines] == names
    column = max(map(len, names)) + 2
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines)
    assert "scale_5x" in outcome.out
    assert "five times the supply and demand" in outcome.out


def test_scenarios_json(cli: Cli) -> None:
    data = json.loads(cli("scenarios", "--json").out)
    assert [entry["name"] for entry in data] == builtin_scenario_names()
    assert all(entry["description"] for entry in data)


# --- suggestions for misspelt commands and options ------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["rnu"], "fieldtotable: error: unknown command 'rnu' (did you mean 'run'?)"),
        (
            ["scenario"],
            "fieldtotable: error: unknown command 'scenario' (did you mean 'scenarios'?)",
        ),
        (
            ["bench", "channel"],
            "fieldtotable bench: error: unknown command 'channel' (did you mean 'channels'?)",
        ),
        (
            ["run", "--sed", "3"],
            "fieldtotable run: error: unknown option '--sed' (did you mean '--seed'?)",
        ),
        (
            ["replicate", "--stroe=x"],
            "fieldtotable replicate: error: unknown option '--stroe' (did you mean '--store'?)",
        ),
    ],
)
def test_misspelt_names_get_a_suggestion(cli: Cli, args: list[str], line: str) -> None:
    assert one_error_line(cli(*args)) == line


def test_a_misspelt_choice_gets_a_suggestion(cli: Cli) -> None:
    line = one_error_line(cli("replicate", "--executor", "proces"))
    assert "invalid choice: 'proces' (did you mean 'process'?)" in line


def test_an_unknown_command_far_from_every_other(cli: Cli) -> None:
    line = one_error_line(cli("xyzzy"))
    assert line == "fieldtotable: error: unknown command 'xyzzy' (see 'fieldtotable --help')"


def test_several_unknown_options_one_line_each(cli: Cli) -> None:
    outcome = cli("run", "--sed", "1", "--dayz", "3")
    assert outcome.code == 2
    assert outcome.err.splitlines() == [
        "fieldtotable run: error: unknown option '--sed' (did you mean '--seed'?)",
        "fieldtotable run: error: unknown option '--dayz' (did you mean '--days'?)",
    ]


# --- one meaning per option name -----------------------------------------------------------


def _commands(
    parser: argparse.ArgumentParser, words: str = ""
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, f"{words} {name}".strip())
    return found or [(words, parser)]


def test_one_meaning_per_option_name() -> None:
    meaning: dict[str, set[str]] = {}
    for words, parser in _commands(build_parser()):
        for action in parser._actions:
            if isinstance(action, RenamedOption):
                continue
            for option in action.option_strings:
                meaning.setdefault(option, set()).add(action.dest)
        options = {o for a in parser._actions for o in a.option_strings}
        if "--store" in options:
            assert "--out" in options, words
    assert meaning["--store"] == {"store"}
    assert meaning["--report"] == {"report"}
    assert meaning["-n"] == {"n"}
    # --out: the folder of the command's files (tables; the study's tables and figure).
    assert meaning["--out"] <= {"tables_dir", "out"}
    assert "--export" not in meaning  # only as an old name
    assert "--n" not in meaning


def test_experiment_out_writes_tables_and_store_keeps_runs(cli: Cli, tmp_path: Path) -> None:
    outcome = cli("replicate", "small.yaml", *EXPERIMENT, "--out", "tables", "--store", "runs")
    assert outcome.code == 0, outcome.err
    assert (tmp_path / "tables" / "summary.csv").is_file()
    assert (tmp_path / "runs" / "manifest.json").is_file()
    assert outcome.out.rstrip().endswith("| runs in runs")


def test_old_export_still_works_with_a_notice(cli: Cli, tmp_path: Path) -> None:
    outcome = cli("replicate", "small.yaml", *EXPERIMENT, "--export", "old")
    assert outcome.code == 0, outcome.err
    assert (tmp_path / "old" / "summary.csv").is_file()
    assert outcome.err.splitlines()[0] == (
        "fieldtotable replicate: warning: --export is deprecated and will be removed in the "
        "next release; use --out"
    )


def test_out_naming_an_old_run_store_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert cli("replicate", "small.yaml", *EXPERIMENT, "--store", "runs").code == 0
    line = one_error_line(cli("replicate", "small.yaml", *EXPERIMENT, "--out", "runs"))
    assert line == (
        "fieldtotable replicate: error: argument --out: runs holds a run store; --out is the "
        "folder of the exported tables, the run store is --store DIR"
    )


def test_report_takes_report_as_every_command_does(cli: Cli, tmp_path: Path) -> None:
    outcome = cli("report", "small.yaml", "--days", "3", "--report", "r.html")
    assert outcome.code == 0, outcome.err
    assert (tmp_path / "r.html").is_file()


def test_bench_n_and_store(cli: Cli, tmp_path: Path) -> None:
    parser = build_parser()
    args = parser.parse_args(["bench", "channels", "--n", "3", "--store", "s"])
    assert (args.n, args.store, args.out) == (3, "s", "bench-channels")
    assert parser.parse_args(["bench", "channels", "-n", "4"]).n == 4
