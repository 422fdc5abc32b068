"""Synthetic systems for the optimiser's tests: normal outputs with CRN, and the Bowl.

System i's output in column c at replication (stream) index j is

    mean[i, c] + sd[i, c] * (sqrt(rho) * Z_shared[j, c] + sqrt(1 - rho) * Z_i[j, c]),

with Z standard normal. ``Z_shared`` is common to all systems (the common random
numbers: the correlation between two systems at the same index is rho), ``Z_i`` is the
system's own. Both are drawn from ``SeedSequence([seed, macro_replication, key,
block])`` for a block of ``BLOCK`` consecutive indices (key 0 for the shared term,
1 + i for system i), so an output depends only on (macro-replication, system, index),
never on the order of the calls. Blocks are cached: sampling is vectorised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from fieldtotable.optimise import Choice, Integer, SearchSpace, parse_constraint, resolve_objective
from fieldtotable.optimise.evaluations import Evaluations
from fieldtotable.optimise.search import search_and_select
from fieldtotable.optimise.search_result import OptimisationResult
from fieldtotable.optimise.variables import ParameterValue

BLOCK = 256
Array = npt.NDArray[np.float64]


class NormalSystems:
    """A sampler over systems 0..k-1 with given means, standard deviations and rho."""

    def __init__(
        self,
        means: npt.ArrayLike,
        sds: npt.ArrayLike = 1.0,
        correlation: float = 0.0,
        seed: int = 0,
        macro_replication: int = 0,
    ) -> None:
        self.means = np.atleast_2d(np.asarray(means, dtype=float))
        if self.means.shape[0] == 1 and np.ndim(means) == 1:
            self.means = self.means.T  # one column: the objective only
        self.sds = np.broadcast_to(np.asarray(sds, dtype=float), self.means.shape)
        self.correlation = correlation
        self.seed = seed
        self.macro_replication = macro_replication
        self._blocks: dict[int, Array] = {}

    def _outputs(self, block: int) -> Array:
        """All systems' outputs for one block of indices: (system, index, column)."""
        cached = self._blocks.get(block)
        if cached is None:
            systems, columns = self.means.shape
            normals = np.stack(
                [
                    np.random.default_rng(
                        np.random.SeedSequence([self.seed, self.macro_replication, key, block])
                    ).standard_normal((BLOCK, columns))
                    for key in range(1 + systems)
                ]
            )
            shared, own = normals[0], normals[1:]
            noise = np.sqrt(self.correlation) * shared + np.sqrt(1 - self.correlation) * own
            cached = self.means[:, np.newaxis, :] + self.sds[:, np.newaxis, :] * noise
            self._blocks[block] = cached
        return cached

    def __call__(self, system: int, replications: range) -> Array:
        first_block, offset = divmod(replications.start, BLOCK)
        if offset + len(replications) <= BLOCK:  # the usual case: one block, a view
            return self._outputs(first_block)[system, offset : offset + len(replications)]
        last_block = (replications.stop - 1) // BLOCK
        joined = np.concatenate(
            [self._outputs(block)[system] for block in range(first_block, last_block + 1)]
        )
        return joined[offset : offset + len(replications)]


class Recorder:
    """Wrap a sampler and count every (system, index) pair it is asked for."""

    def __init__(self, sample: Callable[[int, range], Array]) -> None:
        self.sample = sample
        self.requests: Counter[tuple[int, int]] = Counter()
        self.calls = 0

    def __call__(self, system: int, replications: range) -> Array:
        self.calls += 1
        self.requests.update((system, index) for index in replications)
        return self.sample(system, replications)

    @property
    def repeated(self) -> list[tuple[int, int]]:
        return sorted(pair for pair, count in self.requests.items() if count > 1)

    def indices(self, system: int) -> list[int]:
        return sorted(index for pair_system, index in self.requests if pair_system == system)

    @property
    def runs(self) -> int:
        return sum(self.requests.values())


class Bowl:
    """Objective ``-(x - 5)² + bonus(mode)``, spoilage ``0.02·x``, with CRN noise.

    Replication j draws a shared normal (common to every configuration) and the
    configuration's own, both from ``SeedSequence([j, ...])``: outputs depend only on
    (configuration, index), never on call order. The unconstrained optimum is x = 5
    with mode "b"; under ``spoilage_rate <= 0.09`` (x ≤ 4.5 on average) it is x = 4,
    mode "b", and x = 5 is infeasible on average.
    """

    def __init__(self, noise: float = 0.3, stream: int = 0) -> None:
        self.noise = noise
        self.stream = stream
        self.calls: list[tuple[str, int]] = []

    def outputs(
        self, configurations: Sequence[Mapping[str, ParameterValue]], replications: range
    ) -> list[npt.NDArray[np.float64]]:
        found = []
        for configuration in configurations:
            x = int(configuration["x"])  # type: ignore[arg-type]
            mode = configuration.get("mode", "b")
            rows = []
            for index in replications:
                self.calls.append((f"{x}{mode}", index))
                shared = np.random.default_rng([self.stream, index, 0]).normal()
                own = np.random.default_rng([self.stream, index, 1, x, ord(str(mode))])
                own = own.normal(size=2)
                objective = -((x - 5) ** 2) + (1.5 if mode == "b" else 0.0)
                objective += self.noise * (0.8 * shared + 0.6 * own[0])
                spoilage = 0.02 * x + 0.002 * own[1]
                rows.append([objective, spoilage])
            found.append(np.array(rows))
        return found


def run_bowl(
    budget: int = 200,
    constraints: Sequence[str] = (),
    seed: int = 0,
    noise: float = 0.3,
    **options: object,
) -> tuple[OptimisationResult, Bowl]:
    bowl = Bowl(noise, stream=seed)
    space = SearchSpace({"x": Integer(1, 9), "mode": Choice(["a", "b"])})
    evaluations = Evaluations(bowl, space, resolve_objective("profit_cny", "maximise"))
    settings: dict[str, object] = {
        "delta": 0.5,
        "alpha": 0.05,
        "n0": 5,
        "search_replications": 2,
        "finalists": 4,
        "final_replications": 10,
    }
    settings.update(options)
    result = search_and_select(
        evaluations,
        tuple(parse_constraint(text) for text in constraints),
        budget=budget,
        seed=seed,
        **settings,  # type: ignore[arg-type]
    )
    return result, bowl
