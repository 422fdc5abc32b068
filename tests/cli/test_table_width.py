"""Every table command fits 100 terminal columns by default; ``--wide`` prints everything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fieldtotable import KPI_DEFINITIONS, builtin_scenario_names
from fieldtotable.cli import main
from fieldtotable.cli.main import build_parser
from fieldtotable.experiment import replicate
from fieldtotable.scenario import load_scenario
from fieldtotable.tables import format_experiment
from fieldtotable.tables.format import TERMINAL_WIDTH, format_table, split_columns, text_width
from fieldtotable.tables.markdown import format_markdown

REPO = Path(__file__).resolve().parents[2]
SCENARIO_FILES = sorted((REPO / "scenarios").glob("*.yaml"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["run", *args]) == 0
    return capsys.readouterr().out


def widest(text: str) -> int:
    return max(text_width(line) for line in text.splitlines())


#: The built-in default scenario (no argument: ``run baseline`` does not name it yet),
#: then every scenario file of the library.
DEFAULT = "(built-in default)"


@pytest.mark.parametrize(
    "scenario",
    [DEFAULT, *(str(path) for path in SCENARIO_FILES)],
    ids=lambda s: Path(s).stem,
)
def test_default_output_fits_100_columns(scenario: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert "baseline" in builtin_scenario_names()
    out = run(capsys, *([] if scenario == DEFAULT else [scenario]), "--days", "20")
    assert widest(out) <= TERMINAL_WIDTH == 100
    for key in KPI_DEFINITIONS:  # every headline and other KPI keeps its row
        assert f"  {key} " in out


def test_wide_prints_every_column(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(REPO / "scenarios" / "baseline_2023.yaml")
    narrow = run(capsys, path, "--days", "20")
    wide = run(capsys, path, "--days", "20", "--wide")
    assert widest(wide) > TERMINAL_WIDTH
    assert " route " in wide
    assert "shangrila_hub -> kunming_dc" in wide
    assert " route " not in narrow
    assert "kg-weighted mean remaining fraction of the lot's shelf life at sale" in wide
    assert len(narrow.splitlines()) > len(wide.splitlines())  # meanings wrapped


def test_format_table_wraps_text_and_breaks_headers() -> None:
    rows = [["松茸 matsutake from Shangri-La", "1,234.5", "a long meaning " * 6]]
    headers = ["product", "harvested\nkg", "meaning"]
    full = format_table(headers, rows, align="lrl")
    assert widest(full) > 60
    fitted = format_table(headers, rows, align="lrl", width=60, wrap=[0, 2])
    assert widest(fitted) <= 60
    words = " ".join(fitted.split())
    assert "a long meaning " * 5 in words + " "
    assert "松茸 matsutake" in fitted
    # Without a width nothing changes.
    assert format_table(headers, rows, align="lrl", width=None) == full


# --- every other command ----------------------------------------------------------------

SMALL = str(REPO / "tests" / "data" / "small.yaml")
FAST = ("--executor", "serial", "-q")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_every_table_command_takes_the_one_wide_option() -> None:
    parser = build_parser()
    for command in (
        ["run"],
        ["replicate"],
        ["compare", "a", "b"],
        ["sweep", "--grid", "scale=1"],
        ["scenarios"],
        ["validate", "x"],
        ["bench", "channels"],
    ):
        assert parser.parse_args([*command, "--wide"]).wide is True
        assert parser.parse_args(command).wide is False


@pytest.mark.parametrize(
    "pair",
    [("baseline", "scale_2x"), ("dispatch_full_truckload", "rail_kunming_shanghai")],
    ids="-vs-".join,
)
def test_compare_fits_and_wide_adds_intervals(
    pair: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["compare", *pair, "-n", "2", "--days", "3", *FAST]
    narrow = cli(capsys, *args)
    wide = cli(capsys, *args, "--wide")
    assert widest(narrow) <= TERMINAL_WIDTH
    assert widest(wide) > TERMINAL_WIDTH
    for key in KPI_DEFINITIONS:  # every KPI keeps its row
        assert f"  {key} " in narrow
    assert "CI of the" in wide
    assert "CI of the" not in narrow
    assert "--wide adds the half-widths" in narrow
    # The means lose their half-widths: the wide table has three ± per row, the narrow one.
    row = next(line for line in narrow.splitlines() if line.startswith("  sold_kg "))
    assert row.count("±") == 1
    row = next(line for line in wide.splitlines() if line.startswith("  sold_kg "))
    assert row.count("±") == 3


@pytest.mark.parametrize("scenario", ["baseline", "minimal", "air_matsutake_direct", SMALL])
def test_replicate_fits(scenario: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = cli(capsys, "replicate", scenario, "-n", "2", "--days", "3", *FAST)
    assert widest(out) <= TERMINAL_WIDTH
    for key in KPI_DEFINITIONS:
        assert f"  {key} " in out


def test_replicate_leaves_out_the_interval_only_where_it_must() -> None:
    result = replicate(load_scenario(SMALL).with_horizon(3), 2, executor="serial", progress=False)
    full = format_experiment(result)
    assert format_experiment(result, width=None) == full
    assert format_experiment(result, width=TERMINAL_WIDTH) == full  # it fits: nothing goes
    narrow = format_experiment(result, width=80)
    assert widest(narrow) <= 80 < widest(full)
    assert "CI [low, high]" in full
    assert "CI [low, high]" not in narrow.split("\n\n")[-1]
    assert "--wide adds the column 95% CI [low, high]" in narrow


def test_sweep_fits_and_splits_rather_than_drops(capsys: pytest.CaptureFixture[str]) -> None:
    kpis = [
        "sold_kg",
        "fill_rate",
        "spoilage_rate",
        "mean_remaining_shelf_life_at_sale_d",
        "cost_per_kg_sold_cny",
        "co2_kg",
        "trips",
    ]
    args = ["sweep", SMALL, "--grid", "scale=1,2", "--grid", "warmup_days=0,1"]
    args += ["-n", "2", "--days", "4", *FAST, *(x for k in kpis for x in ("--kpi", k))]
    narrow = cli(capsys, *args)
    wide = cli(capsys, *args, "--wide")
    assert widest(narrow) <= TERMINAL_WIDTH < widest(wide)
    # Every point's every number is in both; the narrow table repeats the point's values.
    numbers = sorted(re.findall(r"[\d,.]+%? ± [\d,.]+%?", wide))
    assert sorted(re.findall(r"[\d,.]+%? ± [\d,.]+%?", narrow)) == numbers
    assert narrow.count("  point  ") == 2
    assert wide.count("  point  ") == 1


@pytest.mark.parametrize("scenario", ["baseline", "scale_10x"])
def test_sweep_of_builtins_fits(scenario: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sweep", scenario, "--grid", "scale=1,2", "-n", "2", "--days", "3", *FAST]
    assert widest(cli(capsys, *args)) <= TERMINAL_WIDTH
    assert widest(cli(capsys, *args, "--wide")) > TERMINAL_WIDTH


def test_scenarios_fits_and_wide_keeps_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    narrow = cli(capsys, "scenarios")
    wide = cli(capsys, "scenarios", "--wide")
    assert widest(narrow) <= TERMINAL_WIDTH < widest(wide)
    assert len(wide.splitlines()) == len(builtin_scenario_names())
    assert " ".join(narrow.split()) == " ".join(wide.split())  # the same words


@pytest.mark.parametrize("name", builtin_scenario_names())
def test_validate_fits(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    narrow = cli(capsys, "validate", name)
    wide = cli(capsys, "validate", name, "--wide")
    assert widest(narrow) <= TERMINAL_WIDTH
    assert len(wide.splitlines()) == 1
    assert " ".join(narrow.split()) == " ".join(wide.split())


def test_bench_channels_fits_and_wide_prints_the_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["bench", "channels", "--quick", "--executor", "serial", "-q"]
    args += ["--out", str(tmp_path / "out")]
    narrow = cli(capsys, *args)
    wide = cli(capsys, *args, "--wide")  # resumes from the run store: fast
    assert widest(narrow) <= TERMINAL_WIDTH < widest(wide)
    assert "| scale | mode | issuing |" in wide
    assert "|---:|" in wide
    assert "|---" not in narrow
    # Every cell of the wide (markdown) results is in the narrow output.
    for cell in re.findall(r"\| ([\d.]+ ± [\d.]+) ", wide):
        assert cell in narrow


def test_format_markdown_splits_a_wide_table() -> None:
    head = "| scale | mode | " + " | ".join(f"metric number {i} (%)" for i in range(8)) + " |"
    rule = "|---:|---|" + "---:|" * 8
    row = "| 1x | road | " + " | ".join(f"{i}.0 ± 0.{i}" for i in range(8)) + " |"
    text = "\n".join(["# Title", "", "word " * 40, "", head, rule, row])
    assert format_markdown(text, width=None) == text
    fitted = format_markdown(text, width=60)
    assert widest(fitted) <= 60
    assert fitted.count("road") >= 2  # the label columns repeat in each part
    for i in range(8):
        assert f"{i}.0 ± 0.{i}" in fitted


def test_split_columns_keeps_every_cell() -> None:
    headers = ["id", *(f"column {i}" for i in range(10))]
    rows = [["a", *(f"{i * 1000:,}" for i in range(10))]]
    parts = split_columns(headers, rows, keep=1, width=40)
    assert len(parts) > 1
    assert [h for part in parts for h in part[0][1:]] == headers[1:]
    assert all(part[1][0][0] == "a" for part in parts)
    assert split_columns(headers, rows, keep=1, width=None) == [(headers, rows, "l" + "r" * 10)]


def test_headers_break_after_underscores_and_dots() -> None:
    table = format_table(
        ["legs.kunming_shanghai.fleet", "mean_remaining_fraction_at_sale\n(%)"],
        [["2", "83.4% ± 7.5%"]],
        width=34,
    )
    assert widest(table) <= 34
    assert "mean_remaining_" in table
    assert "legs." in table
