"""Tables of experiment results and progress bars."""

from __future__ import annotations

import io
import math
import sys

import pytest

from fieldtotable import Scenario, apply_overrides
from fieldtotable.experiment import compare, replicate, sweep
from fieldtotable.experiment.progress import progress_bar
from fieldtotable.experiment.statistics import Difference, Estimate
from fieldtotable.tables import (
    format_comparison,
    format_estimate,
    format_experiment,
    format_interval,
    format_sweep,
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _estimate(mean: float, half: float) -> Estimate:
    return Estimate(5, mean, 1.0, half, mean - half, mean + half, 0.95)


def _difference(mean: float, half: float) -> Difference:
    return Difference(
        5, mean, 1.0, half, mean - half, mean + half, 0.95, 10.0, mean / 10, 0.01, True
    )


def test_estimates_in_their_display_unit() -> None:
    assert format_estimate(_estimate(1234.56, 12.34), "kg") == "1,234.6 ± 12.3"
    assert format_interval(_estimate(1234.56, 12.34), "kg") == "[1,222.2, 1,246.9]"
    assert format_estimate(_estimate(0.125, 0.01), "%") == "12.5% ± 1.0%"
    undefined = Estimate(1, 3.0, math.nan, math.nan, math.nan, math.nan, 0.95)
    assert format_estimate(undefined, "kg") == "3.0 ± n/a"


def test_differences_carry_their_sign_and_rates_are_in_points() -> None:
    assert format_estimate(_difference(50.0, 2.0), "kg") == "+50.0 ± 2.0"
    assert format_estimate(_difference(-50.0, 2.0), "kg") == "-50.0 ± 2.0"
    assert format_estimate(_difference(0.0, 2.0), "kg") == "0.0 ± 2.0"
    assert format_estimate(_difference(0.031, 0.004), "%") == "+3.1 pp ± 0.4 pp"
    assert format_interval(_difference(0.031, 0.004), "%") == "[2.7, 3.5] pp"


def test_experiment_table_lists_the_chosen_kpis(small_scenario: Scenario) -> None:
    result = replicate(small_scenario, n=3, executor="serial")
    text = format_experiment(result, ["fill_rate", "sold_kg"])
    lines = text.splitlines()
    header = next(line for line in lines if line.strip().startswith("KPI"))
    assert header.split() == ["KPI", "unit", "mean", "±", "half-width", "95%", "CI", "[low,",
                              "high]", "sd"]  # fmt: skip
    rows = [line.split()[0] for line in lines[lines.index(header) + 2 :]]
    assert rows == ["fill_rate", "sold_kg"]


def test_comparison_table_has_one_block_per_configuration(small_scenario: Scenario) -> None:
    configs = {
        "base": small_scenario,
        "x2": apply_overrides(small_scenario, {"scale": 2}),
        "x3": apply_overrides(small_scenario, {"scale": 3}),
    }
    text = format_comparison(compare(configs, n=3, executor="serial"), ["harvested_kg"])
    assert "  x2 - base" in text
    assert "  x3 - base" in text
    assert text.count("harvested_kg") == 2
    assert "+200.0%" in text


def test_sweep_table_puts_units_in_headers(small_scenario: Scenario) -> None:
    result = sweep(small_scenario, {"scale": [1, 2]}, n=2, executor="serial")
    text = format_sweep(result, ["sold_kg", "cost_per_kg_sold_cny"])
    assert "(kg)" in text
    assert "(CNY/kg)" in text
    assert "2 points x 2 replications" in text
    default = format_sweep(result)
    assert "spoilage_rate" in default
    assert "(%)" in default


def test_progress_bar_draws_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # The bar is tqdm's when tqdm is installed (Optuna, in the test extra, brings it)
    # and the built-in one otherwise: both show "done/total".
    terminal = Terminal()
    bar = progress_bar(terminal, "sweep", 4)
    for _ in range(4):
        bar.advance()
    bar.close()
    assert "4/4" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")

    plain = io.StringIO()
    bar = progress_bar(plain, "sweep", 4)
    bar.advance(4)
    bar.close()
    assert plain.getvalue() == ""

    monkeypatch.setattr(sys, "stderr", Terminal())
    bar = progress_bar(None, "x", 1)
    bar.advance()
    bar.close()
    assert "1/1" in sys.stderr.getvalue()  # type: ignore[attr-defined]
    quiet = progress_bar(False, "x", 1)
    quiet.advance()
    quiet.close()


def test_experiments_report_progress(small_scenario: Scenario) -> None:
    terminal = Terminal()
    replicate(small_scenario, n=3, executor="serial", progress=terminal)
    assert "3/3" in terminal.getvalue()
    assert terminal.getvalue().startswith("\rreplicate")


def test_the_built_in_bar_without_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now fails
    terminal = Terminal()
    bar = progress_bar(terminal, "sweep", 4)
    for _ in range(4):
        bar.advance()
    bar.close()
    assert "4/4 runs" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")


@pytest.mark.parametrize("with_tqdm", [True, False])
def test_a_note_follows_the_counts(monkeypatch: pytest.MonkeyPatch, with_tqdm: bool) -> None:
    if not with_tqdm:
        monkeypatch.setitem(sys.modules, "tqdm", None)
    terminal = Terminal()
    bar = progress_bar(terminal, "optimise", 4)
    bar.advance(2)
    bar.note("trial 2, best so far 1.5 (x=3)")
    bar.advance(2)
    bar.close()
    last = terminal.getvalue().rsplit("\r", 1)[-1]
    assert "4/4" in last
    assert "best so far 1.5 (x=3)" in last
    silent = progress_bar(False, "optimise", 1)
    silent.note("nothing to show")
    silent.close()
