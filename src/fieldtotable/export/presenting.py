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
from fieldtotable.export.experiment_tables import experiment_table_set
from fieldtotable.export.frames import pick
from fieldtotable.export.html import comparison_html, experiment_html, run_html, sweep_html
from fieldtotable.export.tables import run_table_set
from fieldtotable.results import presenters
from fieldtotable.results.run import RunResult

__all__ = ["register_presenters"]


def _run_frames(result: RunResult, table: str | None) -> Any:
    return pick(run_table_set(result), table)


def _experiment_frames(result: ExperimentResult, table: str | None) -> Any:
    runs = table is not None and table.startswith("runs_")
    return pick(experiment_table_set(result, runs=runs), table)


def register_presenters() -> None:
    """Register the data frames and HTML tables of every result type."""
    presenters.register(RunResult, to_pandas=_run_frames, to_html=run_html)
    presenters.register(ExperimentResult, to_pandas=_experiment_frames, to_html=experiment_html)
    presenters.register(ComparisonResult, to_html=comparison_html)
    presenters.register(SweepResult, to_html=sweep_html)
