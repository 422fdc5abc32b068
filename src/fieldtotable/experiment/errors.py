"""Errors of the experiments layer, all in the :class:`~fieldtotable.FieldToTableError` family."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fieldtotable.errors import FieldToTableError

__all__ = [
    "ExperimentError",
    "RunFailedError",
    "RunFailure",
    "StoreError",
    "StoreMismatchError",
    "StoreWarning",
]


class ExperimentError(FieldToTableError):
    """An experiment that cannot be set up: an unknown executor, a missing extra, bad options."""


class StoreError(ExperimentError):
    """A run store (``store=DIR``) that cannot be used: disk full, no permission, ...

    The message names the path and the cause in one line (a lock file that is a
    folder, a run that cannot be written because the disk is full).
    """


class StoreMismatchError(StoreError):
    """A run store (``store=DIR``) that holds the runs of a different experiment."""


class StoreWarning(UserWarning):
    """A stored run that is not reused: it is run again.

    Its file was edited or damaged, or written without a content hash by an older
    version. The message names the file and the reason in one line.
    """


@dataclass(frozen=True)
class RunFailure:
    """One run that raised instead of returning a result.

    Attributes
    ----------
    point
        Index of the configuration (sweep point, compared scenario) in the experiment.
    label
        The configuration in words: a compared scenario's name, a sweep point's
        overrides (``legs.a.fleet=2, scale=5``), the scenario's name for
        :func:`~fieldtotable.experiment.replicate`.
    seed
        The experiment's seed.
    replication
        The replication index: ``simulate(scenario, seed, replication=replication)``
        reproduces the failure.
    error_type
        The exception's class name (``MassBalanceError``).
    message
        The exception's message.
    traceback
        The formatted traceback, as seen where the run ran.
    """

    point: int
    label: str
    seed: int
    replication: int
    error_type: str
    message: str
    traceback: str = ""

    def __str__(self) -> str:
        return (
            f"point {self.point} ({self.label}), seed {self.seed}, replication "
            f"{self.replication}: {self.error_type}: {self.message}"
        )


class RunFailedError(ExperimentError):
    """Some runs of an experiment raised; the others finished (and were stored with ``out``).

    Parameters
    ----------
    failures
        The failed runs (at least one).
    completed
        How many runs of the experiment did finish.

    Attributes
    ----------
    failures : tuple of RunFailure
        The failed runs, in (point, replication) order; each names its point and seed
        and carries the traceback.
    completed : int
        Runs that finished.
    """

    failures: tuple[RunFailure, ...]
    completed: int

    def __init__(self, failures: Iterable[RunFailure], completed: int) -> None:
        found = tuple(sorted(failures, key=lambda f: (f.point, f.replication)))
        if not found:
            raise ValueError("a RunFailedError needs at least one failure")
        self.failures = found
        self.completed = completed
        super().__init__(found, completed)

    def __str__(self) -> str:
        runs = "run" if len(self.failures) == 1 else "runs"
        head = f"{len(self.failures)} {runs} failed ({self.completed} finished):"
        return "\n".join([head, *(f"  {failure}" for failure in self.failures)])
