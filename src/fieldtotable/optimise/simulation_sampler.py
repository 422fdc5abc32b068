"""Simulate configurations of a scenario: the KPIs an optimisation reads, per replication.

:class:`SimulationSampler` turns a configuration (path -> value, see
:class:`~fieldtotable.optimise.space.SearchSpace`) into a scenario, runs the asked
replications through the experiment :class:`~fieldtotable.experiment.engine.Engine`
(on the chosen executor, reading and writing the run store when one is open) and
returns one row per replication: the objective's KPI, then each constraint's KPI, as
:func:`~fieldtotable.results.paths.kpi_value` reads them, in their own units and
signs (the search turns them into a larger-is-better :class:`Sampler`).

Replication ``j`` of every configuration is run with ``replication=j`` and the same
seed, so configurations share their random streams index by index (common random
numbers). :class:`~fieldtotable.optimise.evaluations.Evaluations` keeps what was
simulated, so nothing runs twice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from fieldtotable.experiment.engine import Engine, Point
from fieldtotable.experiment.store import Manifest, RunStore
from fieldtotable.optimise.objectives import Constraint, Objective
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.specification_error import SpecificationError
from fieldtotable.optimise.variables import ParameterValue
from fieldtotable.results.paths import kpi_value
from fieldtotable.scenario.hashing import scenario_hash
from fieldtotable.scenario.schema import Scenario

__all__ = ["ConfigurationSampler", "SimulationSampler"]


class ConfigurationSampler(Protocol):
    """Raw KPI outputs of configurations, one row per replication index."""

    def outputs(
        self, configurations: Sequence[Mapping[str, ParameterValue]], replications: range
    ) -> list[npt.NDArray[np.float64]]:
        """Return, per configuration, an array ``(len(replications), 1 + s)``.

        Parameters
        ----------
        configurations
            Normalised configurations (path -> value).
        replications
            Replication indices; index ``j`` uses the same random streams for every
            configuration.

        Returns
        -------
        list of numpy.ndarray
            Column 0 the objective's KPI, then the s constraints' KPIs, as simulated
            (not negated).
        """
        ...


class SimulationSampler:
    """Runs configurations of a base scenario through an :class:`Engine`.

    Parameters
    ----------
    scenario
        The base scenario; each configuration is applied to it with
        :meth:`SearchSpace.apply`.
    space
        The decision variables.
    objective
        The objective: column 0; or several (two for a Pareto set): columns 0 to
        m - 1, in order.
    constraints
        The constraints: the columns after the objectives', in order.
    seed
        The experiment's seed, the same for every configuration and replication.
    engine
        The engine that runs (and stores) the replications; the caller opens and
        closes it.
    """

    def __init__(
        self,
        scenario: Scenario,
        space: SearchSpace,
        objective: Objective | Sequence[Objective],
        constraints: Sequence[Constraint],
        seed: int,
        engine: Engine,
    ) -> None:
        self.scenario = scenario
        self.space = space
        objectives = (objective,) if isinstance(objective, Objective) else tuple(objective)
        self.kpis = (
            *(goal.kpi for goal in objectives),
            *(constraint.kpi for constraint in constraints),
        )
        self.seed = seed
        self.engine = engine
        self.simulated = 0

    def point(self, configuration: Mapping[str, ParameterValue]) -> Point:
        """Return the engine's point of one configuration.

        Parameters
        ----------
        configuration
            Path -> value, every variable of the space.

        Returns
        -------
        Point
            Labelled by the configuration's key, with its changed scenario.
        """
        changed = self.space.apply(self.scenario, configuration)
        return Point(
            self.space.key(configuration), changed, scenario_hash(changed), dict(configuration)
        )

    def refusal(self, configuration: Mapping[str, ParameterValue]) -> str | None:
        """Return why the scenario refuses ``configuration``'s values together, or ``None``.

        Parameters
        ----------
        configuration
            Path -> value, every variable of the space.

        Returns
        -------
        str or None
            The scenario's problems in one line (``trial PATH=VALUE: ...``), or
            ``None`` when the changed scenario is valid.
        """
        try:
            self.space.apply(self.scenario, configuration)
        except SpecificationError as exc:
            return "; ".join(str(found) for found in exc.problems)
        return None

    def outputs(
        self, configurations: Sequence[Mapping[str, ParameterValue]], replications: range
    ) -> list[npt.NDArray[np.float64]]:
        """Run (or read from the store) the replications of every configuration.

        Parameters
        ----------
        configurations
            Normalised configurations; all are run together, in parallel where the
            executor allows.
        replications
            Replication indices.

        Returns
        -------
        list of numpy.ndarray
            Per configuration, shape ``(len(replications), 1 + s)``.
        """
        points = [self.point(configuration) for configuration in configurations]
        runs = self.engine.run(points, replications, self.seed)
        self.simulated += len(points) * len(replications)
        return [
            np.array(
                [[kpi_value(run, kpi) for kpi in self.kpis] for run in point_runs],
                dtype=np.float64,
            ).reshape(len(replications), len(self.kpis))
            for point_runs in runs
        ]


def open_run_store(
    directory: str, scenario: Scenario, seed: int, specification: object
) -> RunStore:
    """Open the run store of an optimisation in ``directory``.

    Parameters
    ----------
    directory
        The run store's folder.
    scenario
        The base scenario.
    seed
        The experiment's seed.
    specification
        JSON-compatible data of the variables, objective and constraints (kept in the
        manifest for the reader).

    Returns
    -------
    RunStore
        The store; runs are keyed by scenario hash, seed and replication, so any
        configuration's runs are found again whatever order they were asked in.
    """
    manifest = Manifest(
        kind="optimise",
        scenario_name=scenario.name,
        scenario_hash=scenario_hash(scenario),
        seed=seed,
        n="auto",
        points=(),
        grid=specification,
    )
    return RunStore(directory, manifest)


def open_optimisation_folder(
    out: str | os.PathLike[str] | None,
    scenario: Scenario,
    seed: int,
    specification: object,
) -> tuple[Path | None, RunStore | None]:
    """Create the ``out`` folder of an optimisation and open its run store.

    Parameters
    ----------
    out
        The folder, or ``None`` for an optimisation kept in memory.
    scenario, seed, specification
        As for :func:`open_run_store`.

    Returns
    -------
    tuple
        The folder (``None`` without one) and its run store in ``runs/`` (the caller
        closes it), for the Optuna journal to sit beside.
    """
    if out is None:
        return None, None
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    return folder, open_run_store(str(folder / "runs"), scenario, seed, specification)
