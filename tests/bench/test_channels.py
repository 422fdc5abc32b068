"""The channel study's machinery on a tiny study: few replications of a short horizon."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import math
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldtotable import FieldToTableError, load_scenario
from fieldtotable.bench import (
    ISSUING,
    METRICS,
    OVERLOADS,
    SCALES,
    VARIANTS,
    ChannelStudyResult,
    Variant,
    binding,
    channel_configurations,
    find_scenarios_dir,
    run_channel_study,
    write_study,
)
from fieldtotable.cli import bench as cli_bench
from fieldtotable.cli.bench import add_bench_commands

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
DAYS = 10
STAGE_NAMES = ("collection", "transit", "hub", "market")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def study() -> ChannelStudyResult:
    return run_channel_study(
        n=2, scenarios_dir=SCENARIOS, scales=(1.0, 10.0), days=DAYS, executor="serial",
        progress=False,
    )  # fmt: skip


def _comparable(scenario: object) -> dict[str, object]:
    data = scenario.model_dump()  # type: ignore[attr-defined]
    for key in ("name", "description"):
        data.pop(key, None)
    return data


def test_the_design_is_scale_x_mode_with_the_reference() -> None:
    configurations = channel_configurations(SCENARIOS)
    assert tuple(float(k) for k in range(1, 11)) == SCALES
    assert len(configurations) == len(SCALES) * len(VARIANTS) * len(ISSUING) == 50
    names = [c.name for c in configurations]
    assert len(set(names)) == len(names)
    assert names[:5] == [
        f"1x {key} FEFO" for key in ("road", "road_ftl", "rail", "air", "road_wait")
    ]
    for config in configurations:
        assert config.scenario.scale == config.scale
        assert {m.issuing for m in config.scenario.markets.values()} == {config.issuing}
    # Both issuing policies on request, FIFO first.
    both = channel_configurations(SCENARIOS, scales=(2.0,), issuing=("FIFO", "FEFO"))
    assert [c.name for c in both][:2] == ["2x road FIFO", "2x road FEFO"]


def test_the_realistic_policies_refuse_and_serve_the_most_perishable_first() -> None:
    by_name = {c.name: c.scenario for c in channel_configurations(SCENARIOS, scales=(3.0,))}
    for name in ("3x road FEFO", "3x road_ftl FEFO", "3x rail FEFO", "3x air FEFO"):
        scenario = by_name[name]
        stores = [*scenario.collection_points.values(), *scenario.hubs.values()]
        assert {store.overload.policy for store in stores} == {"refuse_upstream"}
        assert all(store.overload.back_pressure for store in stores)
        assert {store.priority.order for store in stores} == {"least_shelf_life"}
        assert scenario.products["matsutake"].local_price_cny_per_kg == 200
        assert scenario.products["honey"].local_price_cny_per_kg is None
    reference = by_name["3x road_wait FEFO"]
    stores = [*reference.collection_points.values(), *reference.hubs.values()]
    assert {store.overload.policy for store in stores} == {"wait_ambient"}
    assert reference.products["matsutake"].local_price_cny_per_kg is None
    with pytest.raises(FieldToTableError, match="unknown overload setting 'queue'"):
        Variant("x", "x", "baseline_2023.yaml", "x", overload="queue")
    assert set(OVERLOADS) == {"refuse", "as_file"}


def test_configurations_reuse_the_scenario_files() -> None:
    by_name = {
        c.name: c.scenario
        for c in channel_configurations(SCENARIOS, scales=(1.0, 10.0), issuing=("FIFO", "FEFO"))
    }
    assert _comparable(by_name["1x road_wait FIFO"]) == _comparable(
        load_scenario(SCENARIOS / "fifo_store.yaml")
    )
    assert _comparable(by_name["10x road_wait FEFO"]) == _comparable(
        load_scenario(SCENARIOS / "scale_10x.yaml")
    )
    rail = by_name["1x rail FEFO"].model_dump()
    expected = load_scenario(SCENARIOS / "rail_kunming_shanghai.yaml").model_dump()
    for section in ("legs", "sources", "markets", "routing"):
        assert rail[section] == expected[section]


def test_every_configuration_has_every_metric(study: ChannelStudyResult) -> None:
    assert len(study.configurations) == 10
    for config in study.configurations:
        found = study.estimates[config.name]
        assert set(found) == {m.key for m in METRICS}
        assert found["spoilage_rate"].n == 2
        assert found["throughput_kg_per_day"].mean > 0
        stages = sum(found[f"spoilage_{stage}"].mean for stage in STAGE_NAMES)
        assert stages == pytest.approx(found["spoilage_rate"].mean, abs=1e-12)


def test_common_random_numbers_share_the_harvest(study: ChannelStudyResult) -> None:
    results = study.comparison.results
    for scale in (1, 10):
        harvests = {
            tuple(run.kpis["harvested_kg"] for run in results[f"{scale}x {v.key} FEFO"].runs)
            for v in VARIANTS
        }
        assert len(harvests) == 1  # the same harvest in every configuration of a scale


def test_best_configuration_per_scale(study: ChannelStudyResult) -> None:
    for scale in study.scales:
        best = study.best(scale)
        differences = study.spoilage_vs_best[scale]
        assert differences[best].mean == 0.0
        assert all(d.mean >= 0 for d in differences.values())
        assert best.startswith(f"{scale:g}x ")


def test_capacity_indicators_and_binding(study: ChannelStudyResult) -> None:
    indicators = study.capacity["10x road FEFO"]
    assert "store:shanghai_store:peak_shelf" in indicators
    assert "node:shanghai_dc:overflow" in indicators
    assert "node:shangrila_cp:refused" in indicators
    assert "leg:kunming_shanghai:utilisation" in indicators
    assert binding({"leg:a:utilisation": 0.95, "leg:a:load_factor": 0.5}) == ["leg:a"]
    assert binding({"node:b:peak": 0.5, "node:b:overflow": 0.0}) == []
    assert binding({"node:b:peak": 0.5, "node:b:overflow": 0.0, "node:b:refused": 0.02}) == [
        "node:b"
    ]
    assert binding({"store:s:peak_shelf": 1.0, "store:s:fill_rate": 0.5}) == ["store:s"]
    assert binding({"store:s:peak_shelf": 0.5, "store:s:fill_rate": 0.5}) == []


def test_write_study(study: ChannelStudyResult, tmp_path: Path) -> None:
    paths = write_study(study, tmp_path, command="fieldtotable bench channels --quick")
    text = paths["markdown"].read_text(encoding="utf-8")
    for heading in ("## Results", "## Lowest spoilage at each scale", "## What binds"):
        assert heading in text
    assert "fieldtotable bench channels --quick" in text
    with paths["csv"].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10
    spoilage = float(rows[0]["spoilage_rate_mean"])
    assert math.isclose(spoilage, study.estimates[rows[0]["configuration"]]["spoilage_rate"].mean)
    assert paths["capacity_csv"].stat().st_size > 0
    assert paths["figure"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_text_cells_of_the_tables_are_never_formulas(
    study: ChannelStudyResult, tmp_path: Path
) -> None:
    first = study.configurations[0]
    renamed = dataclasses.replace(first, name="=HYPERLINK(1)", variant="@cmd")
    tampered = dataclasses.replace(
        study,
        configurations=(renamed, *study.configurations[1:]),
        estimates={**study.estimates, renamed.name: study.estimates[first.name]},
        capacity={**study.capacity, renamed.name: study.capacity[first.name]},
        spoilage_vs_best={
            scale: {
                renamed.name if name == first.name else name: difference
                for name, difference in differences.items()
            }
            for scale, differences in study.spoilage_vs_best.items()
        },
    )
    paths = write_study(tampered, tmp_path, command="fieldtotable bench channels")
    for table in ("csv", "capacity_csv"):
        with paths[table].open(encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert "'=HYPERLINK(1)" in cells
        assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]
    with paths["csv"].open(encoding="utf-8", newline="") as handle:
        assert "'@cmd" in next(iter(csv.reader(handle.readlines()[1:])))


def test_scenarios_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(FieldToTableError, match="--scenarios"):
        find_scenarios_dir(tmp_path)


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def cli(*argv: str) -> Outcome:
    parser = argparse.ArgumentParser(prog="fieldtotable")
    commands = parser.add_subparsers(dest="command", required=True)
    add_bench_commands(commands)
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    code = args.handler(args, out, err)
    return Outcome(code, out.getvalue(), err.getvalue())


def test_cli_quick_run_writes_the_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The command's wiring is under test, not the study: --quick over 5 days instead of
    # 30 runs every configuration through the same code (the study's machinery is
    # checked above, on the module's study).
    monkeypatch.setattr(cli_bench, "QUICK_DAYS", 5)
    folder = tmp_path / "study"
    outcome = cli(
        "bench", "channels", "--quick", "-n", "1", "--executor", "serial", "--out", str(folder),
        "--scenarios", str(SCENARIOS), "--quiet",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    assert "## Results" in outcome.out
    assert (folder / "channels.md").is_file()
    assert (folder / "channels.png").is_file()
    assert (folder / "runs").is_dir()


def test_cli_reports_a_missing_scenarios_folder(tmp_path: Path) -> None:
    outcome = cli(
        "bench", "channels", "--quick", "--out", str(tmp_path / "x"),
        "--scenarios", str(tmp_path), "--quiet",
    )  # fmt: skip
    assert outcome.code == 2
    assert outcome.err.startswith("fieldtotable bench channels: error:")


def test_an_installed_wheel_finds_the_scenario_library_it_ships(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The wheel carries scenarios/ as fieldtotable/scenario/library (pyproject.toml) ...
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped == {"scenarios": "fieldtotable/scenario/library"}
    # ... and the study looks there when the working folder has no scenarios/.
    library = tmp_path / "site-packages" / "fieldtotable" / "scenario"
    shutil.copytree(REPO / "scenarios", library / "library")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("fieldtotable.scenario.builtin.resources.files", lambda _package: library)
    assert find_scenarios_dir() == library / "library"


def test_cli_quick_run_covers_the_two_ends_unless_scales_are_given(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="fieldtotable")
    add_bench_commands(parser.add_subparsers(dest="command", required=True))
    quick = parser.parse_args(["bench", "channels", "--quick"])
    assert cli_bench._scales_argument(quick) == cli_bench.QUICK_SCALES == (1.0, 10.0)
    chosen = parser.parse_args(["bench", "channels", "--quick", "--scales", "2,7.5"])
    assert cli_bench._scales_argument(chosen) == (2.0, 7.5)
    full = parser.parse_args(["bench", "channels", "--issuing", "fifo,FEFO"])
    assert cli_bench._scales_argument(full) == SCALES
    assert full.issuing == ("FIFO", "FEFO")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--scales", "1,x", "not a list of numbers"),
        ("--scales", "0,2", "must be > 0"),
        ("--scales", "2,2", "given twice"),
        ("--issuing", "LIFO", "give FEFO, FIFO or FIFO,FEFO"),
        ("--issuing", "FEFO,fefo", "given twice"),
    ],
)
def test_cli_rejects_bad_factors_in_one_line(
    option: str, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="fieldtotable")
    add_bench_commands(parser.add_subparsers(dest="command", required=True))
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["bench", "channels", option, value])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err.splitlines()[-1]
