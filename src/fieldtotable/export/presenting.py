"""The export tables and HTML tables as the presenters of the result types.

Result objects do not import presentation code; their ``to_pandas()`` and
``_repr_html_`` go through :mod:`fieldtotable.results.presenters`, where
:func:`register_presenters` puts the functions of this package. The package's
``__init__`` calls it, and ``import fieldtotable`` imports the package.
"""

from __future__ import annotations

from typing import Any

from fieldtotable.experiment.compare import ComparisonResult
from fieldtotable.experiment.results import ExperimentResult
from fieldtotable.experiment.sweep import SweepResult
from fieldtotable.export.experiment_tables import (
    comparison_table_set,
    experiment_table_set,
    sweep_table_set,
)
from fieldtotable.export.frames import pick
from fieldtotable.export.html import comparison_html, experiment_html, run_html, sweep_html
from fieldtotable.export.tables import run_table_set
from fieldtotable.results import presenters
from fieldtotable.results.run import RunResult

__all__ = ["register_presenters"]


def _stacked_runs(table: str | None) -> bool:
    """Tell whether ``table`` names the stacked tables of every run (``runs_<name>``)."""
    return table is not None and table.startswith("runs_")


def _run_frames(result: RunResult, table: str | None) -> Any:
    return pick(run_table_set(result), table, RunResult.DEFAULT_TABLE)


def _experiment_frames(result: ExperimentResult, table: str | None) -> Any:
    tables = experiment_table_set(result, runs=_stacked_runs(table))
    return pick(tables, table, ExperimentResult.DEFAULT_TABLE)


def _comparison_frames(result: ComparisonResult, table: str | None) -> Any:
    tables = comparison_table_set(result, runs=_stacked_runs(table))
    return pick(tables, table, ComparisonResult.DEFAULT_TABLE)


def _sweep_frames(result: SweepResult, table: str | None) -> Any:
    tables = sweep_table_set(result, runs=_stacked_runs(table))
    return pick(tables, table, SweepResult.DEFAULT_TABLE)


def register_presenters() -> None:
    """Register the data frames and HTML tables of every result type."""
    presenters.register(RunResult, to_pandas=_run_frames, to_html=run_html)
    presenters.register(ExperimentResult, to_pandas=_experiment_frames, to_html=experiment_html)
    presenters.register(ComparisonResult, to_pandas=_comparison_frames, to_html=comparison_html)
    presenters.register(SweepResult, to_pandas=_sweep_frames, to_html=sweep_html)
