"""Running the replications of one or more configurations: store, backend and progress.

:class:`Engine` is what :func:`~fieldtotable.experiment.replicate`,
:func:`~fieldtotable.experiment.compare` and :func:`~fieldtotable.experiment.sweep`
share. Given configurations (:class:`Point`) and a range of replications, it reads
the runs already in the result store, runs the missing ones on the backend (each
distinct scenario and replication once), writes each to the store as it finishes,
and returns every run in (point, replication) order. The backend starts only when
some run is missing, and stays up between calls (``n="auto"`` adds replications
in batches).
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from fieldtotable.experiment.errors import RunFailedError, RunFailure
from fieldtotable.experiment.executors import (
    Backend,
    Task,
    check_executor,
    default_workers,
    open_backend,
)
from fieldtotable.experiment.progress import ProgressBar, ProgressSetting, progress_bar
from fieldtotable.experiment.runs import RunSpec
from fieldtotable.experiment.store import Manifest, RunStore
from fieldtotable.results import RunResult
from fieldtotable.scenario.schema import Scenario

__all__ = ["Engine", "Point", "check_count", "check_seed", "open_store"]


@dataclass(frozen=True)
class Point:
    """One configuration of an experiment.

    Attributes
    ----------
    label
        The configuration in words (a scenario name, ``legs.a.fleet=2, scale=5``).
    scenario
        Its scenario.
    scenario_hash
        :func:`~fieldtotable.experiment.store.scenario_hash` of the scenario.
    overrides
        Its sweep overrides (empty otherwise).
    """

    label: str
    scenario: Scenario
    scenario_hash: str
    overrides: dict[str, Any] = field(default_factory=dict)


class Engine:
    """Runs replications of configurations; use as a context manager.

    Parameters
    ----------
    executor, workers, dask_address
        Where runs execute (see :func:`~fieldtotable.experiment.executors.open_backend`).
    store
        Where finished runs are kept, or ``None``.
    progress
        Progress bar setting (see :func:`~fieldtotable.experiment.progress.progress_bar`).
    description
        Shown before the progress bar.
    """

    def __init__(
        self,
        executor: str,
        workers: int | None,
        dask_address: str | None,
        store: RunStore | None,
        progress: ProgressSetting,
        description: str,
    ) -> None:
        self.executor = executor
        self.workers = workers
        self.dask_address = dask_address
        self.store = store
        self._backend: Backend | None = None
        check_executor(executor, workers, dask_address)
        self._bar: ProgressBar = progress_bar(progress, description)

    @property
    def parallel_runs(self) -> int:
        """Runs that proceed at once (1 before the backend starts, for serial)."""
        if self._backend is not None:
            return self._backend.workers
        if self.executor == "serial":
            return 1
        return self.workers or default_workers()

    def _start(self) -> Backend:
        if self._backend is None:
            self._backend = open_backend(self.executor, self.workers, self.dask_address)
        return self._backend

    def run(self, points: Sequence[Point], replications: range, seed: int) -> list[list[RunResult]]:
        """Return replications ``replications`` of every point, from the store or run now.

        Parameters
        ----------
        points
            The configurations.
        replications
            Replication indices, e.g. ``range(0, 30)``.
        seed
            The experiment's seed.

        Returns
        -------
        list of list of RunResult
            ``runs[p][k]`` is replication ``replications[k]`` of ``points[p]``.

        Raises
        ------
        RunFailedError
            If any run raised; the others have finished (and are stored).
        """
        return self.run_blocks([(point, replications) for point in points], seed)

    def run_blocks(self, blocks: Sequence[tuple[Point, range]], seed: int) -> list[list[RunResult]]:
        """Return, for each block, the given replications of its point.

        Like :meth:`run`, with each point's own replication indices (a nested
        design gives each parameter draw its own replications), all run at once.

        Parameters
        ----------
        blocks
            ``(point, replications)`` pairs.
        seed
            The experiment's seed.

        Returns
        -------
        list of list of RunResult
            ``runs[b][k]`` is replication ``blocks[b][1][k]`` of ``blocks[b][0]``.

        Raises
        ------
        RunFailedError
            If any run raised; the others have finished (and are stored).
        """
        points = [point for point, _ in blocks]
        found: dict[tuple[str, int], RunResult] = {}
        missing: dict[tuple[str, int], tuple[int, Point]] = {}
        for index, (point, replications) in enumerate(blocks):
            for replication in replications:
                key = (point.scenario_hash, replication)
                if key in found or key in missing:
                    continue
                stored = (
                    self.store.load(point.scenario_hash, seed, replication)
                    if self.store is not None
                    else None
                )
                if stored is not None:
                    found[key] = stored
                else:
                    missing[key] = (index, point)
        self._bar.grow(len(found) + len(missing))
        self._bar.advance(len(found))
        failures: list[RunFailure] = []
        if missing:
            tasks: list[Task] = [
                (
                    point.scenario,
                    RunSpec(index, point.label, seed, replication, point.scenario_hash),
                )
                for (_, replication), (index, point) in missing.items()
            ]
            for spec, outcome in self._start().run(tasks):
                if isinstance(outcome, RunFailure):
                    failures.append(outcome)
                else:
                    key = (points[spec.point].scenario_hash, spec.replication)
                    if self.store is not None:
                        self.store.save(key[0], seed, spec.replication, outcome)
                    found[key] = outcome
                self._bar.advance()
        if failures:
            raise RunFailedError(failures, completed=len(found))
        return [[found[(p.scenario_hash, r)] for r in block] for p, block in blocks]

    def note(self, text: str) -> None:
        """Show ``text`` on the progress bar, after the counts."""
        self._bar.note(text)

    def close(self) -> None:
        """Stop the backend and finish the progress bar."""
        self._bar.close()
        if self._backend is not None:
            backend, self._backend = self._backend, None
            backend.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# --- argument checks shared by replicate, compare and sweep --------------------------


def check_count(n: object, name: str = "n") -> int:
    """Return ``n`` if it is a whole number >= 1.

    Raises
    ------
    ValueError
        Otherwise.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{name} must be a whole number >= 1, not {n!r}")
    return n


def check_seed(seed: object) -> int:
    """Return ``seed`` if it is a whole number >= 0.

    Raises
    ------
    ValueError
        Otherwise.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, not {seed!r}")
    return seed


def store_argument(
    store: str | os.PathLike[str] | None, out: str | os.PathLike[str] | None
) -> str | os.PathLike[str] | None:
    """Return the run store folder given as ``store=``, or as the old ``out=``.

    ``out=`` was the run store's name before the command line gave ``--out`` to the
    tables and ``--store`` to the run store; it still works for one release, with a
    :class:`DeprecationWarning`.

    Raises
    ------
    TypeError
        If both are given.
    """
    if out is None:
        return store
    if store is not None:
        raise TypeError("give the run store as store= only (out= is its old name)")
    warnings.warn(
        "out= is deprecated and will be removed in the next release; use store=",
        DeprecationWarning,
        stacklevel=3,
    )
    return out


@contextlib.contextmanager
def open_store(
    store: str | os.PathLike[str] | None, manifest: Manifest
) -> Iterator[RunStore | None]:
    """Open the run store at ``store`` for the experiment of ``manifest`` (nothing for ``None``).

    Raises
    ------
    StoreMismatchError
        If ``store`` holds a different experiment or is in use.
    """
    if store is None:
        yield None
        return
    with RunStore(store, manifest) as opened:
        yield opened
