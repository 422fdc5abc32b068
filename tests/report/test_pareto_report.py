"""The Pareto report: the front with its intervals, the trade-offs, the chart, one file."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_checks import is_local, references

from fieldtotable import load_scenario
from fieldtotable.cli import main
from fieldtotable.optimise import Integer
from fieldtotable.optimise.pareto_result import ParetoResult
from fieldtotable.optimise.search import optimise
from fieldtotable.plotting import pareto_front_chart
from fieldtotable.report import pareto_report

MINIMAL = Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml"
FLEET = "legs.shangrila_shanghai.fleet"


@pytest.fixture(scope="module")
def pareto() -> ParetoResult:
    # One to four trucks on the minimal channel's leg, ten days: more trucks sell more
    # and emit more, so every fleet size is a trade-off.
    return optimise(
        load_scenario(MINIMAL).with_horizon(10),
        {FLEET: Integer(1, 4)},
        ["sold_value_cny", "co2_kg"],
        ["maximise", "minimise"],
        budget=80,
        progress=False,
    )


def test_the_report_shows_the_front_its_trade_offs_and_the_chart(pareto: ParetoResult) -> None:
    html = pareto_report(pareto)
    for anchor in ("question", "front", "trade-offs", "runs", "trials", "reproduce"):
        assert f'<section id="{anchor}">' in html
    assert html.count('<figure class="chart" id="figure-') == 1
    assert "no probability-of-correct-selection guarantee" in html
    for member in pareto.front:
        low, high = member.objectives[0].ci
        assert f"{member.objectives[0].mean:.6g} [{low:.6g}, {high:.6g}]" in html
    for found in pareto.comparisons:
        assert f"{found.first + 1} vs {found.second + 1}" in html
    found_references = references(html)
    assert "script" not in found_references.tags
    assert all(is_local(url) for _, _, url in found_references.urls)


def test_the_chart_draws_trials_candidates_and_the_front(pareto: ParetoResult) -> None:
    figure = pareto_front_chart(pareto)
    gids = {artist.get_gid() for artist in figure.axes[0].get_children()}
    assert {"trials", "front"} <= gids
    (front,) = [line for line in figure.axes[0].get_lines() if line.get_gid() == "front"]
    assert len(front.get_xdata()) == len(pareto.front)


def test_the_command_line_writes_the_pareto_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "pareto.html"
    code = main(
        [
            "optimise", str(MINIMAL), "--var", f"{FLEET}=int:1..3", "--maximise",
            "sold_value_cny", "--minimise", "co2_kg", "--days", "10", "--budget", "60",
            "--report", str(report), "-q",
        ]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Pareto set" in report.read_text(encoding="utf-8")
    assert f"report written to {report}" in captured.err
