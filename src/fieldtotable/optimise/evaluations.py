"""What has been simulated of each configuration, and which phase paid for it.

:class:`Evaluations` sits between the search and a
:class:`~fieldtotable.optimise.simulation_sampler.ConfigurationSampler`: it asks the
sampler only for (configuration, replication) pairs it has not seen, keeps every row,
and charges each new pair to the phase running at the time (``search``,
``feasibility``, ``selection``, ``final``, and ``sensitivity`` for the optional look
around the best, which the budget does not cover). :meth:`Evaluations.ranking_sampler` gives
the ranking-and-selection procedures their :class:`~fieldtotable.optimise.sampling.Sampler`
over numbered systems, with the objective made larger-is-better.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from fieldtotable.optimise.objectives import Objective
from fieldtotable.optimise.sampling import Sampler
from fieldtotable.optimise.simulation_sampler import ConfigurationSampler
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.variables import ParameterValue

__all__ = ["BUDGET_PHASES", "PHASES", "Evaluations"]

BUDGET_PHASES = ("search", "feasibility", "selection", "final")
"""The phases of the decision, whose runs together count against the budget."""
PHASES = (*BUDGET_PHASES, "sensitivity")
"""The phases runs are charged to, in the order they happen; ``sensitivity`` (the
neighbours of the best, :mod:`~fieldtotable.optimise.sensitivity`) is outside the budget."""


class Evaluations:
    """Every row simulated, by configuration key and replication index.

    Parameters
    ----------
    sampler
        Where new rows come from.
    space
        The decision variables (for the configurations' keys).
    objective
        The objective (its direction makes column 0 larger-is-better for ranking).
    """

    def __init__(self, sampler: ConfigurationSampler, space: SearchSpace, objective: Objective):
        self.sampler = sampler
        self.space = space
        self.objective = objective
        self.rows: dict[str, dict[int, npt.NDArray[np.float64]]] = {}
        self.configurations: dict[str, dict[str, ParameterValue]] = {}
        self.runs: Counter[str] = Counter(dict.fromkeys(PHASES, 0))
        self.systems: list[str] = []
        self.refused: dict[str, str | None] = {}

    @property
    def total_runs(self) -> int:
        """Runs charged to the phases the budget covers (:data:`BUDGET_PHASES`) together."""
        return sum(self.runs[phase] for phase in BUDGET_PHASES)

    def register(self, params: Mapping[str, object]) -> str:
        """Return the key of a configuration, remembering its normalised values.

        Parameters
        ----------
        params
            Path -> value.

        Returns
        -------
        str
            :meth:`SearchSpace.key` of it.
        """
        key = self.space.key(params)
        if key not in self.configurations:
            self.configurations[key] = self.space.normalise(params)
            self.rows[key] = {}
        return key

    def refusal(self, key: str) -> str | None:
        """Return why the scenario refuses a registered configuration, or ``None``.

        Asks the sampler's ``refusal`` method (a synthetic sampler without one refuses
        nothing), once per configuration.

        Parameters
        ----------
        key
            A registered configuration key.

        Returns
        -------
        str or None
            The reason in one line, or ``None`` when the configuration can run.
        """
        if key not in self.refused:
            check = getattr(self.sampler, "refusal", None)
            self.refused[key] = None if check is None else check(self.configurations[key])
        return self.refused[key]

    def has(self, key: str, replications: range) -> bool:
        """Return whether every replication of ``key`` in ``replications`` is known."""
        known = self.rows.get(key, {})
        return all(index in known for index in replications)

    def sample(
        self, keys: Sequence[str], replications: range, phase: str
    ) -> list[npt.NDArray[np.float64]]:
        """Return the raw rows of each configuration, simulating only what is missing.

        Parameters
        ----------
        keys
            Registered configuration keys.
        replications
            Replication indices.
        phase
            The phase new runs are charged to (one of :data:`PHASES`).

        Returns
        -------
        list of numpy.ndarray
            Per key, shape ``(len(replications), 1 + s)``: objective KPI, constraint
            KPIs, as simulated.
        """
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {PHASES}, not {phase!r}")
        spans: dict[range, list[str]] = {}
        for key in dict.fromkeys(keys):
            absent = [index for index in replications if index not in self.rows[key]]
            if absent:
                # The span of what is missing; known rows inside it are not charged again.
                spans.setdefault(range(absent[0], absent[-1] + 1), []).append(key)
        for span, missing in spans.items():
            fresh = self.sampler.outputs([self.configurations[key] for key in missing], span)
            for key, outputs in zip(missing, fresh, strict=True):
                known = self.rows[key]
                for offset, index in enumerate(span):
                    if index not in known:
                        known[index] = np.asarray(outputs[offset], dtype=np.float64)
                        self.runs[phase] += 1
        return [np.array([self.rows[key][index] for index in replications]) for key in keys]

    def ranking_sampler(self, phase: str) -> Sampler:
        """Return a :class:`Sampler` over system numbers (see :meth:`system`).

        Parameters
        ----------
        phase
            The phase its runs are charged to.

        Returns
        -------
        Sampler
            Column 0 the objective, negated when minimising (larger is better), then
            the constraint KPIs as simulated.
        """
        sign = 1.0 if self.objective.direction == "maximise" else -1.0

        def sample(system: int, replications: range) -> npt.NDArray[np.float64]:
            outputs = self.sample([self.systems[system]], replications, phase)[0].copy()
            outputs[:, 0] *= sign
            return outputs

        return sample

    def system(self, key: str) -> int:
        """Return the system number of a configuration key for the ranking procedures."""
        if key not in self.systems:
            self.systems.append(key)
        return self.systems.index(key)

    def replications_of(self, key: str) -> list[int]:
        """Return the replication indices known of a configuration, in order."""
        return sorted(self.rows.get(key, {}))
