"""``fieldtotable run`` fits 100 terminal columns by default; ``--wide`` prints everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtotable import KPI_DEFINITIONS, builtin_scenario_names
from fieldtotable.cli import main
from fieldtotable.tables.format import TERMINAL_WIDTH, format_table, text_width

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
