"""The ``fieldtotable sensitivity`` command.

::

    fieldtotable sensitivity SCENARIO --param PATH=LO..HI [--param ...] --kpi KPI
        [--kpi ...] [--method sobol|morris] [--samples N] [-n R]
        [--second-order] [--seed S] [--days D] [--executor ...] [--workers N]
        [--store DIR] [--out DIR] [--report FILE] [--json] [-q]

The handler reads ``--param`` with
:func:`~fieldtotable.sensitivity.parse_parameter`, calls
:func:`~fieldtotable.sensitivity.global_sensitivity` and prints, per KPI, the
parameters ranked by importance (``--json``: the result's JSON); ``--report FILE``
writes the HTML report (:func:`~fieldtotable.report.sensitivity_report`) and ``--out
DIR`` the indices as ``indices.csv`` (one row per KPI and parameter) and
``sensitivity.json``. As on every command, ``-n`` is the replications (here: averaged
at every sample point) and ``--store DIR`` the run store. A bad
parameter (unknown path, a field that takes no real numbers, ``LO >= HI``) or an
unknown KPI is one line each and exit 2; SALib not installed is one line and exit 2.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import math
from pathlib import Path
from typing import Any, TextIO

from fieldtotable.cli.experiment_support import add_run_options, open_shortened
from fieldtotable.cli.options import (
    DEFAULT_SCENARIO,
    EXIT_BAD_INPUT,
    EXIT_OK,
    PROG,
    SCENARIO_HELP,
    add_store,
    report_failed_runs,
    whole_number,
)
from fieldtotable.cli.outputs import TABLES_OPTION, OutputError, check_outputs, command_line
from fieldtotable.errors import FieldToTableError, Problem, ScenarioError
from fieldtotable.experiment.errors import RunFailedError
from fieldtotable.fileio import write_atomic
from fieldtotable.optimise.specification_error import SpecificationError
from fieldtotable.results.paths import kpi_unit
from fieldtotable.scenario.schema import Scenario
from fieldtotable.sensitivity.analysis import METHODS, evaluations_needed
from fieldtotable.sensitivity.indices import MorrisIndices, SensitivityResult, SobolIndices
from fieldtotable.sensitivity.simulation import (
    PARAMETER_LABEL,
    check_inputs,
    global_sensitivity,
    parse_parameter,
)

__all__ = ["DEFAULT_SAMPLES", "add_sensitivity_command", "format_sensitivity", "indices_rows"]

DEFAULT_SAMPLES = {"sobol": 64, "morris": 10}
"""``--samples`` when not given: Sobol's base sample size, Morris's trajectories."""

_count = whole_number(1)
_sample_size = whole_number(2)


def add_sensitivity_command(subparsers: Any) -> None:
    """Add ``sensitivity`` to the main parser's sub-commands.

    Parameters
    ----------
    subparsers
        What ``ArgumentParser.add_subparsers()`` returned; the command sets
        ``handler``, a function ``(args, out, err) -> int``.
    """
    command = subparsers.add_parser(
        "sensitivity",
        help="rank uncertain parameters by their effect on KPIs: Sobol or Morris "
        "(needs the sensitivity extra)",
        description=(
            "Global sensitivity analysis with SALib: every --param varies uniformly over "
            "its range; each sample point is simulated (common random numbers) and the "
            "Sobol indices (S1, ST) or Morris statistics (mu*, sigma) of each --kpi are "
            "reported with bootstrap confidence intervals."
        ),
    )
    command.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help=f"{SCENARIO_HELP} (default: {DEFAULT_SCENARIO})",
    )
    command.add_argument(
        "--param",
        action="append",
        required=True,
        dest="parameters",
        metavar="PATH=LO..HI",
        help="an uncertain parameter and its range, e.g. products.matsutake.q10=1.5..3.5 "
        "(a field of real numbers); at least two; repeatable",
    )
    command.add_argument(
        "--kpi",
        action="append",
        required=True,
        dest="kpis",
        metavar="KPI",
        help="a KPI to analyse, e.g. spoilage_rate or by_product.matsutake.sold_kg; repeatable",
    )
    command.add_argument(
        "--method", choices=METHODS, default="sobol", help="sobol (default) or morris"
    )
    command.add_argument(
        "--samples",
        type=_sample_size,
        metavar="N",
        help="Sobol: base sample size, a power of 2, N (D + 2) points (default: "
        f"{DEFAULT_SAMPLES['sobol']}); Morris: trajectories, N (D + 1) points (default: "
        f"{DEFAULT_SAMPLES['morris']})",
    )
    command.add_argument(
        "-n",
        type=_count,
        default=1,
        dest="n",
        metavar="R",
        help="replications averaged at every point, common random numbers (default: 1)",
    )
    command.add_argument(
        "--second-order",
        action="store_true",
        help="Sobol: also second-order indices (N (2D + 2) runs)",
    )
    add_run_options(command)
    command.add_argument(
        "--dask-address", metavar="URL", help="the Dask scheduler of --executor dask"
    )
    add_store(command)
    command.add_argument(
        TABLES_OPTION,
        dest="tables_dir",
        metavar="DIR",
        help="write the indices to DIR: indices.csv (one row per KPI and parameter) and "
        "sensitivity.json",
    )
    command.add_argument(
        "--report", metavar="FILE", help="also write a self-contained HTML report to FILE"
    )
    command.add_argument(
        "--json", action="store_true", help="print the result as JSON instead of text"
    )
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar on stderr")
    command.set_defaults(handler=_sensitivity, formats=None)


def _read_parameters(texts: list[str]) -> tuple[dict[str, tuple[float, float]], list[Problem]]:
    """Read every ``--param``: the parameters read, and a problem per text that is not."""
    problems: list[Problem] = []
    parameters: dict[str, tuple[float, float]] = {}
    for text in texts:
        try:
            path, bounds = parse_parameter(text)
        except SpecificationError as exc:
            problems += exc.problems
            continue
        if path in parameters:
            problems.append(Problem(f"--param {text}", None, "", "this path is given twice"))
            continue
        parameters[path] = bounds
    return parameters, problems


def _sensitivity(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``fieldtotable sensitivity``."""
    parameters, problems = _read_parameters(args.parameters)
    check_outputs(args)  # a report that could not be written fails before any run
    scenario = open_shortened(args.scenario, args.days)
    try:
        check_inputs(scenario, parameters, args.kpis)
    except SpecificationError as exc:
        problems += [found for found in exc.problems if found.file != PARAMETER_LABEL]
    if problems:  # every bad --param and --kpi, one line each, before any run
        raise SpecificationError(problems)
    samples = args.samples if args.samples is not None else DEFAULT_SAMPLES[args.method]
    try:
        result = global_sensitivity(
            scenario,
            parameters,
            args.kpis,
            method=args.method,
            n=samples,
            seed=args.seed,
            replications=args.n,
            second_order=args.second_order,
            executor=args.executor,
            workers=args.workers,
            dask_address=args.dask_address,
            store=args.store,
            progress=False if args.quiet else err,
        )
    except ScenarioError:
        raise
    except RunFailedError as exc:
        return report_failed_runs(f"{PROG} sensitivity", exc, err)
    except (FieldToTableError, ValueError) as exc:
        print(f"{PROG} sensitivity: error: {exc}", file=err)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False), file=out)
    else:
        print(format_sensitivity(result), file=out)
    if args.tables_dir:
        _write_tables(args.tables_dir, result, err)
    if args.report:
        _write_report(args, result, scenario, err)
    return EXIT_OK


def indices_rows(result: SensitivityResult) -> list[dict[str, object]]:
    """Return the indices as a tidy table: one row per KPI and parameter, ranked.

    Parameters
    ----------
    result
        What :func:`~fieldtotable.sensitivity.global_sensitivity` returned.

    Returns
    -------
    list of dict
        ``kpi``, ``rank``, ``parameter``, ``low``, ``high``, then the indices of
        :meth:`SobolIndices.to_json` or :meth:`MorrisIndices.to_json` (``None`` for
        a value that is not finite).
    """
    rows: list[dict[str, object]] = []
    for found in result.kpis:
        for rank, indices in enumerate(found.ranked(), 1):
            low, high = result.parameters[indices.parameter]
            values = indices.to_json()
            values.pop("parameter")
            rows.append(
                {
                    "kpi": found.kpi,
                    "rank": rank,
                    "parameter": indices.parameter,
                    "low": low,
                    "high": high,
                    **values,
                }
            )
    return rows


def _write_tables(folder: str, result: SensitivityResult, err: TextIO) -> None:
    """Write ``indices.csv`` and ``sensitivity.json`` to ``folder`` (made if missing)."""
    rows = indices_rows(result)
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        write_atomic(Path(folder) / "indices.csv", table.getvalue())
        write_atomic(
            Path(folder) / "sensitivity.json",
            json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n",
        )
    except OSError as exc:
        raise OutputError(TABLES_OPTION, f"cannot write to {folder}: {exc.strerror}") from None
    print(f"2 files written to {folder}", file=err)


def _write_report(
    args: argparse.Namespace, result: SensitivityResult, scenario: Scenario, err: TextIO
) -> None:
    """Write the HTML report (the module loads matplotlib: imported only when asked)."""
    report = importlib.import_module("fieldtotable.report")
    html = report.sensitivity_report(result, scenario=scenario, command=command_line(args))
    try:
        path = report.write_report(html, args.report)
    except OSError as exc:
        raise OutputError("--report", f"cannot write {args.report}: {exc.strerror}") from None
    print(f"report written to {path}", file=err)


def _number(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else "-"


def format_sensitivity(result: SensitivityResult) -> str:
    """Return the result as text: per KPI, the parameters ranked by importance.

    Parameters
    ----------
    result
        What :func:`~fieldtotable.sensitivity.global_sensitivity` returned.

    Returns
    -------
    str
        A heading line of the design, then per KPI one line per parameter, most
        important first: Sobol ``ST ± half-width`` and ``S1 ± half-width``; Morris
        ``mu* ± half-width``, ``mu`` and ``sigma``.
    """
    design = evaluations_needed(
        result.method, len(result.parameters), result.n, result.second_order
    )
    size = "sample size" if result.method == "sobol" else "trajectories"
    lines = [
        f"{result.method}: {len(result.parameters)} parameters, {size} {result.n}, "
        f"{design} points, {result.runs} runs ({result.replications} replication(s) per "
        f"point, seed {result.seed}), {result.wall_time_s:.1f} s"
    ]
    width = max(len(path) for path in result.parameters)
    for found in result.kpis:
        unit = kpi_unit(found.kpi)
        lines.append("")
        lines.append(
            f"{found.kpi}" + (f" [{unit}]" if unit else "") + f": mean "
            f"{_number(found.output_mean)}, sd {_number(found.output_sd)} over the points"
        )
        if result.method == "sobol":
            lines.append(f"  rank  {'parameter':<{width}}  {'ST':>16}  {'S1':>16}")
        else:
            lines.append(f"  rank  {'parameter':<{width}}  {'mu*':>20}  {'mu':>10}  {'sigma':>10}")
        for rank, indices in enumerate(found.ranked(), 1):
            head = f"  {rank:>4}  {indices.parameter:<{width}}"
            if isinstance(indices, SobolIndices):
                st = f"{indices.st:.3f} ± {indices.st_conf:.3f}"
                s1 = f"{indices.s1:.3f} ± {indices.s1_conf:.3f}"
                lines.append(f"{head}  {st:>16}  {s1:>16}")
            elif isinstance(indices, MorrisIndices):
                mu_star = f"{_number(indices.mu_star)} ± {_number(indices.mu_star_conf)}"
                lines.append(
                    f"{head}  {mu_star:>20}  {_number(indices.mu):>10}  "
                    f"{_number(indices.sigma):>10}"
                )
    return "\n".join(lines)
