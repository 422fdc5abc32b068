"""Exports of results: tidy tables as CSV, JSON and Parquet, and pandas data frames.

::

    from fieldtotable import builtin_scenario, simulate
    from fieldtotable.export import run_tables, write_run

    scenario = builtin_scenario("baseline")
    result = simulate(scenario, seed=0)
    run_tables(result)["kpis"]          # [{"kpi": "harvested_kg", "value": ..., "unit": "kg"}, ...]
    write_run(result, "out/", scenario=scenario)   # out/kpis.csv, kpis.json, ..., metadata.json
    result.to_pandas()                  # the KPI table as a DataFrame (pandas installed)
    result.to_pandas("all")             # every table, as a dict of DataFrames

A run has the tables ``kpis``, ``by_product``, ``by_stage``, ``by_leg``, ``by_node``,
``by_market``, ``pnl_by_market``, ``pnl_by_product``, ``cost_by_stage``, ``daily``,
``remaining_at_sale`` and ``losses`` (see
:func:`~fieldtotable.export.tables.run_table_set` for their columns); replications
``summary`` (every KPI with its confidence interval), ``replications`` (one row
per replication) and ``cost_by_stage`` (each stage's cost per kg sold with its
interval); comparisons also ``differences``; sweeps also ``points``. Column
names carry units (``sold_kg``, ``sold_value_cny``, ``mean_field_to_market_h``); rates
are fractions. CSV numbers are exact (``repr``): reading a file back gives the same
floats to the last bit (:func:`read_csv_table`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtotable.export.experiment_tables import (
    comparison_table_set,
    experiment_table_set,
    sweep_table_set,
)
from fieldtotable.export.files import (
    FORMATS,
    METADATA_FILE,
    check_formats,
    default_formats,
    parquet_available,
    read_csv_table,
    read_json_table,
    write_tables,
)
from fieldtotable.export.presenting import register_presenters
from fieldtotable.export.tables import RUN_TABLES, Table, run_table_set
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.dump import dump_scenario
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.versions import software_versions

if TYPE_CHECKING:
    from fieldtotable.experiment.compare import ComparisonResult
    from fieldtotable.experiment.results import ExperimentResult
    from fieldtotable.experiment.sweep import SweepResult
    from fieldtotable.scenario.schema import Scenario

__all__ = [
    "FORMATS",
    "METADATA_FILE",
    "RUN_TABLES",
    "Table",
    "check_formats",
    "comparison_table_set",
    "default_formats",
    "experiment_table_set",
    "parquet_available",
    "read_csv_table",
    "read_json_table",
    "run_table_set",
    "run_tables",
    "sweep_table_set",
    "write_comparison",
    "write_experiment",
    "write_run",
    "write_sweep",
]

PathLike = str | os.PathLike[str]

register_presenters()


def run_tables(result: RunResult) -> dict[str, list[dict[str, Any]]]:
    """Return every table of a run as plain rows, keyed by table name.

    Parameters
    ----------
    result
        A finished run.

    Returns
    -------
    dict of str to list of dict
        ``kpis`` (with a ``unit`` column), ``by_product``, ``by_stage``, ``by_leg``,
        ``by_node``, ``by_market``, ``pnl_by_market``, ``pnl_by_product``,
        ``cost_by_stage``, ``daily``, ``remaining_at_sale`` and ``losses``; see
        :func:`~fieldtotable.export.tables.run_table_set` for the columns.
    """
    return {name: table.rows for name, table in run_table_set(result).items()}


def _software() -> dict[str, Any]:
    """Return the metadata that says which code made the numbers."""
    versions = software_versions()
    return {"fieldtotable_version": versions["fieldtotable"], "versions": versions}


def _scenario_parts(scenario: Scenario | None) -> tuple[dict[str, Any], dict[str, str]]:
    if scenario is None:
        return {}, {}
    return {"scenario_hash": scenario_hash(scenario)}, {"scenario.yaml": dump_scenario(scenario)}


def write_run(
    result: RunResult,
    directory: PathLike,
    *,
    formats: Sequence[str] = ("csv", "json"),
    scenario: Scenario | None = None,
) -> list[Path]:
    """Write a run's tables to ``directory``: one file per table and format.

    Parameters
    ----------
    result
        A finished run.
    directory
        Where to write (created if needed; files of the same names are replaced).
    formats
        Among ``"csv"``, ``"json"``, ``"parquet"`` (Parquet needs pyarrow).
    scenario
        The run's scenario: with it, its hash goes into ``metadata.json`` and the
        fully resolved scenario is written as ``scenario.yaml``, which reproduces
        the run with ``fieldtotable run scenario.yaml --seed SEED``.

    Returns
    -------
    list of Path
        The files written, ``metadata.json`` last.

    Raises
    ------
    ValueError
        For an unknown format.
    ImportError
        For ``parquet`` without pyarrow (nothing is written).
    OSError
        If a file cannot be written.
    """
    extra_meta, extra_files = _scenario_parts(scenario)
    metadata = {
        "kind": "run",
        **_software(),
        "scenario_name": result.scenario_name,
        "seed": result.seed,
        "replication": result.replication,
        "horizon_days": result.horizon_days,
        "warmup_days": result.warmup_days,
        **extra_meta,
    }
    return write_tables(
        run_table_set(result),
        directory,
        formats=formats,
        metadata=metadata,
        extra_files=extra_files,
    )


def write_experiment(
    result: ExperimentResult,
    directory: PathLike,
    *,
    formats: Sequence[str] = ("csv", "json"),
    runs: bool = False,
    scenario: Scenario | None = None,
) -> list[Path]:
    """Write replications' tables (``summary``, ``replications``, ``cost_by_stage``).

    Parameters
    ----------
    result
        The replications.
    directory, formats
        As for :func:`write_run`.
    runs
        Also write every run's tables stacked (``runs_daily``, ``runs_by_product``, ...).
    scenario
        As for :func:`write_run`.

    Returns
    -------
    list of Path
        The files written, ``metadata.json`` last.
    """
    extra_meta, extra_files = _scenario_parts(scenario)
    metadata = {
        "kind": "experiment",
        **_software(),
        "scenario_name": result.scenario_name,
        "scenario_hash": result.scenario_hash,
        "seed": result.seed,
        "n": result.n,
        "confidence": result.confidence,
        "common_random_numbers": True,
        **extra_meta,
    }
    return write_tables(
        experiment_table_set(result, runs=runs),
        directory,
        formats=formats,
        metadata=metadata,
        extra_files=extra_files,
    )


def write_comparison(
    comparison: ComparisonResult,
    directory: PathLike,
    *,
    formats: Sequence[str] = ("csv", "json"),
    runs: bool = False,
) -> list[Path]:
    """Write a comparison's tables (``summary``, ``differences``, ``replications``, ...).

    Parameters
    ----------
    comparison
        The comparison.
    directory, formats
        As for :func:`write_run`.
    runs
        Also write every run's tables stacked, with ``configuration`` and ``replication``.

    Returns
    -------
    list of Path
        The files written, ``metadata.json`` last.
    """
    metadata = {
        "kind": "comparison",
        **_software(),
        "configurations": {
            name: {"scenario_name": r.scenario_name, "scenario_hash": r.scenario_hash}
            for name, r in comparison.results.items()
        },
        "baseline": comparison.baseline,
        "seed": comparison.seed,
        "n": comparison.n,
        "confidence": comparison.confidence,
        "common_random_numbers": True,
    }
    return write_tables(
        comparison_table_set(comparison, runs=runs), directory, formats=formats, metadata=metadata
    )


def write_sweep(
    sweep: SweepResult,
    directory: PathLike,
    *,
    formats: Sequence[str] = ("csv", "json"),
    runs: bool = False,
) -> list[Path]:
    """Write a sweep's tables (``points``, ``summary``, ``replications``, ``cost_by_stage``).

    Parameters
    ----------
    sweep
        The sweep.
    directory, formats
        As for :func:`write_run`.
    runs
        Also write every run's tables stacked, with ``point`` and ``replication``.

    Returns
    -------
    list of Path
        The files written, ``metadata.json`` last.
    """
    metadata = {
        "kind": "sweep",
        **_software(),
        "scenario_name": sweep.scenario_name,
        "parameters": list(sweep.parameters),
        "points": [
            {"point": p.index, "label": p.label, "scenario_hash": p.result.scenario_hash}
            for p in sweep.points
        ],
        "seed": sweep.seed,
        "n": sweep.n,
        "confidence": sweep.confidence,
        "common_random_numbers": True,
    }
    return write_tables(
        sweep_table_set(sweep, runs=runs), directory, formats=formats, metadata=metadata
    )
