"""``global_sensitivity``: Sobol or Morris indices of a scenario's KPIs, by simulation.

::

    result = global_sensitivity(
        scenario,
        {"products.matsutake.shelf_life_days": (3, 7), "scale": (0.5, 2)},
        kpis=["spoilage_rate", "profit_cny"],
        method="morris",
        n=20,
    )

Every sample point of the design (:class:`~fieldtotable.sensitivity.analysis.SensitivityDesign`)
is one configuration, applied to the scenario with
:meth:`SearchSpace.apply <fieldtotable.optimise.SearchSpace.apply>` and run through
the experiment :class:`~fieldtotable.experiment.engine.Engine`: on the serial,
process or Dask executor with identical results, and with a run store (``store=``)
a rerun reads the finished runs instead of simulating them again. Every point runs
replications ``0 .. replications - 1`` with the same seed (common random numbers),
and its KPI is the mean over them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence

import numpy as np

from fieldtotable.errors import Problem
from fieldtotable.experiment.engine import Engine, Point, check_count, check_seed, open_store
from fieldtotable.experiment.progress import ProgressSetting
from fieldtotable.experiment.store import Manifest
from fieldtotable.experiment.sweep import point_label
from fieldtotable.optimise.objectives import kpi_problem
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification_error import (
    VARIABLE_LABEL,
    SpecificationError,
    problem,
)
from fieldtotable.optimise.variables import Real
from fieldtotable.results.paths import kpi_value, unknown_kpis
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario
from fieldtotable.sensitivity.analysis import MORRIS_LEVELS, SensitivityDesign
from fieldtotable.sensitivity.indices import SensitivityResult

__all__ = [
    "KPI_LABEL",
    "PARAMETER_LABEL",
    "check_inputs",
    "global_sensitivity",
    "parse_parameter",
]

PARAMETER_LABEL = "--param"
"""How problems name a parameter: ``--param PATH=LO..HI``."""

KPI_LABEL = "--kpi"
"""How problems name a KPI: ``--kpi KPI``."""

_WHOLE_NUMBERS = "the field takes whole numbers only"
"""How the search space says a real range names a field of whole numbers."""


def parse_parameter(text: str) -> tuple[str, tuple[float, float]]:
    """Read the command line's ``--param PATH=LO..HI``.

    Parameters
    ----------
    text
        ``products.matsutake.q10=1.5..3.5``.

    Returns
    -------
    path : str
        The field path.
    bounds : tuple of float
        ``(low, high)``.

    Raises
    ------
    SpecificationError
        With one problem named ``--param TEXT`` when the text is not ``PATH=LO..HI``
        with numbers ``LO < HI``.
    """
    label = f"{PARAMETER_LABEL} {text}"
    path, equals, spec = text.partition("=")
    low_text, dots, high_text = spec.partition("..")
    if not equals or not path.strip() or not dots:
        raise problem(label, "expected PATH=LO..HI, e.g. products.matsutake.q10=1.5..3.5")
    try:
        low, high = float(low_text), float(high_text)
    except ValueError:
        raise problem(label, f"LO and HI must be numbers (got {spec!r})") from None
    if not (np.isfinite(low) and np.isfinite(high)):
        raise problem(label, "LO and HI must be finite numbers")
    if not low < high:
        raise problem(label, f"LO must be below HI (got {low!r}..{high!r})")
    return path.strip(), (low, high)


def check_inputs(
    scenario: Scenario, parameters: Mapping[str, tuple[float, float]], kpis: Sequence[str]
) -> SearchSpace:
    """Check every parameter and KPI on ``scenario``; return the parameters as a space.

    The parameters are checked as :class:`~fieldtotable.optimise.variables.Real`
    variables of a :class:`~fieldtotable.optimise.space.SearchSpace` (each end
    applied on its own), their problems renamed ``--param PATH=LO..HI``.

    Parameters
    ----------
    scenario
        The base scenario.
    parameters
        Field path -> ``(low, high)``.
    kpis
        KPI keys or breakdown paths.

    Returns
    -------
    SearchSpace
        The parameters as real variables, in order.

    Raises
    ------
    SpecificationError
        With one problem per parameter at fault (an unknown path, a field that takes
        no real numbers, an end the scenario refuses, ``LO >= HI``) and per unknown
        KPI; or saying there is no parameter or no KPI.
    """
    variables: dict[str, Real] = {}
    ends: dict[str, str] = {}
    for path, (low, high) in parameters.items():
        label = f"{PARAMETER_LABEL} {path}={low!r}..{high!r}"
        if not low < high:
            ends[path] = f"{label}: LO must be below HI (got {low!r}..{high!r})"
            continue
        variables[path] = Real(low, high)
    by_variable: dict[str, Problem] = {}
    space: SearchSpace | None = None
    found: list[Problem] = []
    if variables:
        try:
            space = SearchSpace(variables)
        except SpecificationError as exc:
            found += exc.problems
        else:
            by_variable = {refused.file or "": refused for refused in space.problems(scenario)}
    for path, (low, high) in parameters.items():
        label = f"{PARAMETER_LABEL} {path}={low!r}..{high!r}"
        if path in ends:
            found.append(Problem(label, None, "", ends[path].split(": ", 1)[1]))
        elif path in variables:
            refused = by_variable.get(f"{VARIABLE_LABEL} {path}={variables[path].to_text()}")
            if refused is not None:
                message = refused.message
                if message.startswith(_WHOLE_NUMBERS):
                    message = f"{_WHOLE_NUMBERS}; a parameter must be a field of real numbers"
                found.append(Problem(label, None, "", message))
    if not parameters:
        found.append(Problem(PARAMETER_LABEL, None, "", "no parameter: give --param PATH=LO..HI"))
    if not kpis:
        found.append(Problem(KPI_LABEL, None, "", "no KPI: give at least one --kpi KPI"))
    for kpi in kpis:
        wrong = kpi_problem(kpi)
        if wrong is None:
            unknown = unknown_kpis([kpi], scenario)
            wrong = unknown[0] if unknown else None
        if wrong is not None:
            found.append(Problem(f"{KPI_LABEL} {kpi}", None, "", wrong))
    if found or space is None:
        raise SpecificationError(found)
    return space


def global_sensitivity(
    scenario: Scenario,
    parameters: Mapping[str, tuple[float, float]],
    kpis: Sequence[str],
    method: str = "sobol",
    n: int = 64,
    seed: int = 0,
    *,
    replications: int = 1,
    second_order: bool = False,
    confidence: float = 0.95,
    executor: str = "serial",
    workers: int | None = None,
    dask_address: str | None = None,
    store: str | os.PathLike[str] | None = None,
    progress: ProgressSetting = None,
) -> SensitivityResult:
    """Compute Sobol or Morris indices of KPIs of ``scenario`` for uncertain parameters.

    Parameters
    ----------
    scenario
        The base scenario.
    parameters
        Field path (as ``--set`` takes it, a field that takes real numbers) ->
        ``(low, high)``: each parameter varies uniformly over its range; at least two.
    kpis
        KPI keys or breakdown paths (``spoilage_rate``,
        ``by_product.matsutake.spoilage_rate``).
    method
        ``"sobol"`` (first- and total-order indices with bootstrap intervals; ``n``
        a power of 2; ``n (D + 2)`` sample points, ``n (2D + 2)`` with
        ``second_order``) or ``"morris"`` (elementary-effect screening; ``n``
        trajectories of ``D + 1`` points).
    n
        Base sample size (Sobol) or trajectories (Morris).
    seed
        The experiment's seed: it seeds SALib's sampling and bootstrap, and every run.
    replications
        Replications per sample point, averaged (the same indices at every point:
        common random numbers). With 1, the indices of a stochastic model include
        some of its noise; more replications shrink it.
    second_order
        Sobol only: also compute second-order indices.
    confidence
        Level of the bootstrap intervals.
    executor, workers, dask_address, store, progress
        As for :func:`~fieldtotable.experiment.replicate`: where runs execute, and
        the run store a rerun resumes from.

    Returns
    -------
    SensitivityResult
        Per KPI, per parameter, the indices with their confidence half-widths.

    Raises
    ------
    SpecificationError
        Before any run, with one line per parameter at fault (an unknown path, a
        field that takes no real numbers, an end the scenario refuses, ``LO >= HI``)
        and per unknown KPI; or with the problems of a sample point whose values the
        scenario refuses together.
    ValueError
        For a bad method, ``n``, ``seed``, ``replications`` or ``confidence``.
    FieldToTableError
        When SALib is not installed.
    RunFailedError, StoreMismatchError
        As for :func:`~fieldtotable.experiment.replicate`.
    """
    started = time.perf_counter()
    seed = check_seed(seed)
    check_count(replications, "replications")
    space = check_inputs(scenario, parameters, kpis)
    design = SensitivityDesign(
        method,
        {
            path: (variable.low, variable.high)
            for path, variable in space.items()
            if isinstance(variable, Real)
        },
        n,
        seed,
        second_order=second_order,
        confidence=confidence,
    )
    points: dict[str, Point] = {}
    rows: list[str] = []
    for configuration in design.configurations():
        key = space.key(configuration)
        if key not in points:
            changed = space.apply(scenario, configuration)
            points[key] = Point(
                point_label(configuration), changed, scenario_hash(changed), configuration
            )
        rows.append(key)
    manifest = Manifest(
        kind="sensitivity",
        scenario_name=scenario.name,
        scenario_hash=scenario_hash(scenario),
        seed=seed,
        n=replications,
        points=(),
        grid={
            "method": method,
            "parameters": {p: list(b) for p, b in design.bounds.items()},
            "n": n,
        },
    )
    distinct = list(points.values())
    with (
        open_store(store, manifest) as run_store,
        Engine(
            executor, workers, dask_address, run_store, progress, f"sensitivity ({method})"
        ) as engine,
    ):
        runs = engine.run(distinct, range(replications), seed)
    means = {
        key: [float(np.mean([kpi_value(run, kpi) for run in point_runs])) for kpi in kpis]
        for key, point_runs in zip(points, runs, strict=True)
    }
    outputs = np.array([means[key] for key in rows], dtype=np.float64)
    return SensitivityResult(
        method=method,
        model=scenario.name,
        parameters=dict(design.bounds),
        kpis=design.analyse(outputs, kpis),
        n=n,
        seed=seed,
        replications=replications,
        evaluations=len(rows),
        runs=len(distinct) * replications,
        confidence=confidence,
        second_order=design.second_order,
        levels=MORRIS_LEVELS if method == "morris" else None,
        wall_time_s=time.perf_counter() - started,
    )
