"""The unit of work of every experiment: one replication of one configuration.

:func:`run_one` is a top-level function, so that process pools and Dask workers can
import it by name. It never raises: a run that fails comes back as a
:class:`~fieldtotable.experiment.errors.RunFailure` naming its point and seed, so
that one failing run does not lose the others.

:func:`check_kpis` checks the KPIs an experiment asks for before anything runs
(see :mod:`fieldtotable.results.paths`).
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass

from fieldtotable.experiment.errors import ExperimentError, RunFailure
from fieldtotable.model.prepared import same_scenario
from fieldtotable.results.paths import unknown_kpis
from fieldtotable.results.run import RunResult
from fieldtotable.scenario.schema import Scenario
from fieldtotable.simulation import simulate

__all__ = ["RunSpec", "check_kpis", "run_one"]


@dataclass(frozen=True)
class RunSpec:
    """Which run to do (the scenario travels beside it, once per worker where possible).

    Attributes
    ----------
    point
        Index of the configuration in the experiment.
    label
        The configuration in words, for error messages.
    seed
        The experiment's seed.
    replication
        The replication index.
    scenario_hash
        :func:`~fieldtotable.scenario.hashing.scenario_hash` of the run's scenario, or
        ``""``: with it, a worker process that receives a new copy of a scenario it
        has run before uses the copy it has, and with it the parts its worlds share
        (:mod:`fieldtotable.model.prepared`).
    """

    point: int
    label: str
    seed: int
    replication: int
    scenario_hash: str = ""


def run_one(scenario: Scenario, spec: RunSpec) -> RunResult | RunFailure:
    """Simulate replication ``spec.replication`` of ``scenario`` with seed ``spec.seed``.

    Parameters
    ----------
    scenario
        The configuration.
    spec
        Point, seed and replication.

    Returns
    -------
    RunResult or RunFailure
        ``simulate(scenario, spec.seed, replication=spec.replication)``, or the
        exception it raised, with its traceback, as a :class:`RunFailure`.
    """
    if spec.scenario_hash:
        scenario = same_scenario(spec.scenario_hash, scenario)
    try:
        return simulate(scenario, spec.seed, replication=spec.replication)
    except Exception as exc:  # reported with its point and seed
        return RunFailure(
            point=spec.point,
            label=spec.label,
            seed=spec.seed,
            replication=spec.replication,
            error_type=type(exc).__name__,
            message=str(exc),
            traceback=traceback.format_exc(),
        )


def check_kpis(keys: Sequence[str], scenario: Scenario) -> tuple[str, ...]:
    """Check KPI keys against a scenario before anything runs.

    Parameters
    ----------
    keys
        KPI keys or breakdown paths (see :func:`~fieldtotable.results.paths.kpi_value`).
    scenario
        The scenario whose products, legs and nodes the paths may name.

    Returns
    -------
    tuple of str
        The keys, duplicates removed, in order.

    Raises
    ------
    ExperimentError
        Naming every key that is not a KPI of this scenario.
    """
    if isinstance(keys, str):
        keys = (keys,)
    bad = unknown_kpis(keys, scenario)
    if bad:
        raise ExperimentError("unknown KPI: " + "; ".join(bad))
    return tuple(dict.fromkeys(keys))
