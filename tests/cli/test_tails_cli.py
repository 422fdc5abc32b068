"""``--quantiles``, ``--cvar``, ``--target`` and ``--period`` on replicate, compare and sweep."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldtotable.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
MINIMAL = str(SCENARIOS / "minimal.yaml")
FAST = ["--days", "35", "--executor", "serial", "-q"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_replicate_prints_quantiles_cvar_and_a_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "replicate",
        MINIMAL,
        "-n",
        "6",
        *FAST,
        "--quantiles",
        "5,50,95",
        "--cvar",
        "90%",
        "--target",
        "fill_rate>=0.6",
    )
    assert code == 0, err
    tails = out.split("tails over replications", 1)[1]
    assert "P5" in tails
    assert "P95" in tails
    assert "CVaR90" in tails
    assert "fill_rate >= 0.6" in tails
    for kpi in ("spoilage_rate", "fill_rate", "sold_value_cny"):
        assert kpi in tails


def test_json_holds_the_tails_by_configuration(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "replicate",
        MINIMAL,
        "-n",
        "6",
        *FAST,
        "--json",
        "--cvar",
        "0.9",
        "--kpi",
        "spoilage_rate",
        "--target",
        "fill_rate>=0.6",
        "--period",
        "week",
    )
    assert code == 0, err
    data = json.loads(out)
    (rows,) = data["tails"]["by_configuration"].values()
    assert data["tails"]["period"] == "week"
    assert rows[0]["estimates"][0]["statistic"].startswith("CVaR90 of weekly spoilage_rate")
    assert rows[1]["estimates"][0]["statistic"] == "share of weeks with fill_rate >= 0.6"
    assert 0 <= rows[1]["estimates"][0]["value"] <= 1


def test_a_number_is_still_the_precision_target_of_n_auto(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A loose precision target stops at the first check (--min-n 4); a strict one
    # goes on to the cap: --target's older meaning is kept beside the new one.
    counts = []
    for target in ("0.9", "0.0001"):
        code, out, err = run(
            capsys,
            "replicate",
            MINIMAL,
            "-n",
            "auto",
            *FAST,
            "--json",
            "--target",
            target,
            "--min-n",
            "4",
            "--max-n",
            "8",
            "--stop-kpi",
            "spoilage_rate",
        )
        assert code == 0, err
        counts.append(json.loads(out)["n"])
    assert counts == [4, 8]


def test_compare_adds_paired_differences(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bigger = tmp_path / "bigger.yaml"
    bigger.write_text(f"extends: {MINIMAL}\nname: bigger\nscale: 2\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "compare",
        MINIMAL,
        str(bigger),
        "-n",
        "5",
        *FAST,
        "--cvar",
        "0.9",
        "--kpi",
        "spoilage_rate",
    )
    assert code == 0, err
    assert "bigger - minimal (paired)" in out


def test_sweep_has_tails_per_point(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "sweep",
        MINIMAL,
        "--grid",
        "scale=1,2",
        "-n",
        "4",
        *FAST,
        "--quantiles",
        "50",
        "--kpi",
        "spoilage_rate",
    )
    assert code == 0, err
    tails = out.split("tails over replications", 1)[1]
    assert "scale=1" in tails
    assert "scale=2" in tails


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--period", "week"], "argument --period: needs --quantiles, --cvar or --target"),
        (["--quantiles", "0,50"], "argument --quantiles: each must lie between 0 and 100"),
        (["--quantiles", "five"], "argument --quantiles: must be percentages"),
        (["--cvar", "1.5"], "argument --cvar: must lie between 0 and 1"),
        (["--target", "fill_rate>x"], "argument --target: 'fill_rate>x' is not KPI<=X"),
        (["--target", "no_such_kpi>=1"], "unknown KPI for the tails: no_such_kpi"),
        (
            ["--cvar", "0.9", "--kpi", "profit_cny", "--period", "week"],
            "'profit_cny' has no weekly",
        ),
    ],
)
def test_bad_tail_options_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    code, _out, err = run(capsys, "replicate", MINIMAL, "-n", "3", *FAST, *options)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert message in lines[0]
