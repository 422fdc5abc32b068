"""Report and export options of the command line: ``--report``, ``--out``, ``--format``.

::

    fieldtotable report [SCENARIO] [--seed N] [--days N] [--set PATH=VALUE] -o report.html
    fieldtotable run [SCENARIO] --report report.html --out tables/ [--format csv ...]
    fieldtotable replicate|compare|sweep ... --report report.html --out tables/

``--out DIR`` is the folder of the exported tables on every command (an
experiment's run store is ``--store DIR``).

The helpers check the options before anything runs (a folder that does not exist,
Parquet without pyarrow) and write the files after; a problem raises
:class:`OutputError`, which the command line prints as one line and exits 2. The
work is done by :mod:`fieldtotable.report` and :mod:`fieldtotable.export`.
"""

from __future__ import annotations

import argparse
import importlib
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from fieldtotable.experiment import ComparisonResult, SweepResult
from fieldtotable.export import (
    FORMATS,
    check_formats,
    default_formats,
    write_comparison,
    write_experiment,
    write_run,
    write_sweep,
)
from fieldtotable.fileio import check_writable_target

if TYPE_CHECKING:
    from types import ModuleType

    from fieldtotable.results import RunResult
    from fieldtotable.scenario.schema import Scenario

__all__ = [
    "TABLES_OPTION",
    "OutputError",
    "add_output_options",
    "check_outputs",
    "command_line",
    "write_experiment_outputs",
    "write_run_outputs",
]


TABLES_OPTION = "--out"
"""The option naming the folder of the exported tables, on every command."""
_STORE_MANIFEST = "manifest.json"


class OutputError(Exception):
    """An output option that cannot be honoured (bad folder, missing pyarrow)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"argument {option}: {message}")


def add_output_options(command: argparse.ArgumentParser, *, report: bool = True) -> None:
    """Add ``--report``/``--question`` and the table export options ``--out``/``--format``.

    Parameters
    ----------
    command
        The sub-command's parser.
    report
        Add ``--report PATH`` (the ``report`` command has ``-o`` instead).
    """
    if report:
        command.add_argument(
            "--report",
            metavar="PATH",
            help="also write a self-contained HTML report to PATH",
        )
    command.add_argument(
        "--question",
        metavar="TEXT",
        help="the question the report answers, shown at its top",
    )
    command.add_argument(
        TABLES_OPTION,
        dest="tables_dir",
        metavar="DIR",
        help="write the result's tables to DIR (KPIs, breakdowns, daily series) as CSV and "
        "JSON, and Parquet when pyarrow is installed",
    )
    command.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        dest="formats",
        help=f"with {TABLES_OPTION}: a file format to write (repeatable; default: csv and "
        "json, plus parquet when pyarrow is installed)",
    )


def _report_module() -> ModuleType:
    """Return :mod:`fieldtotable.report`, imported only when a report is asked for.

    It loads matplotlib, which would add a large share to the start-up time of every
    command that writes no report.
    """
    return importlib.import_module("fieldtotable.report")


def command_line(args: argparse.Namespace) -> str | None:
    """Return the command as typed (``fieldtotable run ...``), when the parser kept it."""
    argv = getattr(args, "argv", None)
    return None if argv is None else shlex.join(["fieldtotable", *argv])


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    try:
        return check_formats(args.formats or default_formats())
    except (ImportError, ValueError) as exc:
        raise OutputError("--format", str(exc)) from None


def _report_option(args: argparse.Namespace) -> str:
    return "--output" if getattr(args, "command", None) == "report" else "--report"


def check_outputs(args: argparse.Namespace) -> None:
    """Check the output options before anything runs.

    Raises
    ------
    OutputError
        If the report's folder does not exist or is a file, the tables folder is a
        file, or a format cannot be written (Parquet without pyarrow).
    """
    report = getattr(args, "report", None)
    if report:
        folder = Path(report).parent
        if Path(report).is_dir():
            raise OutputError(_report_option(args), f"{report} is a folder, not a file")
        try:
            check_writable_target(report)  # a pipe, a device: never written into
        except OSError as exc:
            raise OutputError(_report_option(args), f"{report}: {exc.strerror}") from None
        if not folder.is_dir():
            raise OutputError(_report_option(args), f"folder {str(folder)!r} does not exist")
    tables = getattr(args, "tables_dir", None)
    if tables:
        if Path(tables).exists() and not Path(tables).is_dir():
            raise OutputError(TABLES_OPTION, f"{tables} exists and is not a folder")
        store = getattr(args, "store", False)
        if store is not False and store != tables and (Path(tables) / _STORE_MANIFEST).is_file():
            # In 0.1 the experiments' --out named the run store.
            raise OutputError(
                TABLES_OPTION,
                f"{tables} holds a run store; {TABLES_OPTION} is the folder of the "
                "exported tables, the run store is --store DIR",
            )
        _formats(args)
    elif getattr(args, "formats", None):
        raise OutputError("--format", f"needs {TABLES_OPTION} DIR")


def _write_report(args: argparse.Namespace, html: str, err: TextIO) -> None:
    try:
        path = _report_module().write_report(html, args.report)
    except OSError as exc:
        raise OutputError(
            _report_option(args), f"cannot write {args.report}: {exc.strerror}"
        ) from None
    print(f"report written to {path}", file=err)


def _write_tables(args: argparse.Namespace, write: Any, err: TextIO) -> None:
    try:
        files = write(args.tables_dir, formats=_formats(args))
    except OSError as exc:
        raise OutputError(
            TABLES_OPTION, f"cannot write to {args.tables_dir}: {exc.strerror}"
        ) from None
    print(f"{len(files)} files written to {args.tables_dir}", file=err)


def write_run_outputs(
    args: argparse.Namespace, result: RunResult, scenario: Scenario, err: TextIO
) -> None:
    """Write the report and tables of a run that the options ask for.

    Parameters
    ----------
    args
        The parsed options (``report``, ``question``, ``tables_dir``, ``formats``).
    result
        The run.
    scenario
        The scenario as run.
    err
        Where to say what was written.
    """
    if getattr(args, "report", None):
        html = _report_module().run_report(
            result, scenario, question=args.question, command=command_line(args)
        )
        _write_report(args, html, err)
    if getattr(args, "tables_dir", None):

        def write(directory: str, *, formats: tuple[str, ...]) -> list[Path]:
            return write_run(result, directory, formats=formats, scenario=scenario)

        _write_tables(args, write, err)


def _experiment_report(
    args: argparse.Namespace, result: Any, scenarios: Mapping[str, Scenario] | Scenario
) -> str:
    report = _report_module()
    options: dict[str, Any] = {"question": args.question, "command": command_line(args)}
    html: str
    if isinstance(result, ComparisonResult):
        named = scenarios if isinstance(scenarios, Mapping) else {result.baseline: scenarios}
        html = report.comparison_report(result, named, **options)
        return html
    base = next(iter(scenarios.values())) if isinstance(scenarios, Mapping) else scenarios
    if isinstance(result, SweepResult):
        html = report.sweep_report(result, base, kpis=args.kpis, **options)
    else:
        html = report.experiment_report(result, base, **options)
    return html


def write_experiment_outputs(
    args: argparse.Namespace,
    result: Any,
    scenarios: Mapping[str, Scenario] | Scenario,
    err: TextIO,
) -> None:
    """Write the report and tables of ``replicate``, ``compare`` or ``sweep``.

    Parameters
    ----------
    args
        The parsed options.
    result
        An ``ExperimentResult``, ``ComparisonResult`` or ``SweepResult``.
    scenarios
        The scenario (replicate, sweep: the base scenario) or, for a comparison,
        name -> scenario.
    err
        Where to say what was written.
    """
    if getattr(args, "report", None):
        _write_report(args, _experiment_report(args, result, scenarios), err)
    if getattr(args, "tables_dir", None):
        writer: Any = write_experiment
        if isinstance(result, ComparisonResult):
            writer = write_comparison
        elif isinstance(result, SweepResult):
            writer = write_sweep

        def write(directory: str, *, formats: tuple[str, ...]) -> list[Path]:
            paths: list[Path] = writer(result, directory, formats=formats)
            return paths

        _write_tables(args, write, err)
