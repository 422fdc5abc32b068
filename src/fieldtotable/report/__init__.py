"""Self-contained HTML reports: a run, replications, a comparison, a sweep, an optimisation.

::

    from fieldtotable import builtin_scenario, simulate
    from fieldtotable.report import run_report, write_report

    scenario = builtin_scenario("baseline")
    html = run_report(simulate(scenario, seed=0), scenario, question="Is 2023 enough?")
    write_report(html, "report.html")

A report is one HTML file that a planner can read without this package or a network
connection: the question, the scenario (products, nodes, legs with their modes,
markets), the KPIs (with confidence intervals for experiments; units in the
headers), figures with captions (inline SVG, or base64 PNG with
``figures="png"``), the assumptions, and the seed, version, scenario hash and
command that reproduce it. The style sheet is inline; there is no script, no web
font and no reference to anything outside the file. Figures come from
:mod:`fieldtotable.plotting`; a figure it cannot provide is replaced by a visible
note.
"""

from __future__ import annotations

import os
from pathlib import Path

from fieldtotable.fileio import write_atomic
from fieldtotable.report.experiments import comparison_report, sweep_report
from fieldtotable.report.optimisation import optimisation_report
from fieldtotable.report.page import FigureFormat
from fieldtotable.report.pareto import pareto_report
from fieldtotable.report.replications import experiment_report
from fieldtotable.report.run import run_report
from fieldtotable.report.sensitivity import sensitivity_report

__all__ = [
    "FigureFormat",
    "comparison_report",
    "experiment_report",
    "optimisation_report",
    "pareto_report",
    "run_report",
    "sensitivity_report",
    "sweep_report",
    "write_report",
]


def write_report(html: str, path: str | os.PathLike[str]) -> Path:
    """Write a report to ``path`` (UTF-8), replacing any file there.

    Parameters
    ----------
    html
        The report, from :func:`run_report`, :func:`experiment_report`,
        :func:`comparison_report`, :func:`sweep_report`,
        :func:`optimisation_report`, :func:`pareto_report` or :func:`sensitivity_report`.
    path
        The file to write; its folder must exist.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    OSError
        If the file cannot be written (a full disk: the file is then left as it was,
        never half-written; it is written to a temporary file and moved into place),
        or ``path`` is a folder, a device or a named pipe (``NotRegularFileError``).
    """
    return write_atomic(path, html)
