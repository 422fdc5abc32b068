"""Where runs execute: ``serial``, ``process`` (local cores) or ``dask`` (a cluster).

Every backend takes ``(scenario, spec)`` pairs and yields ``(spec, outcome)`` as runs
finish, in whatever order they finish; the experiment functions put the outcomes
back in (point, replication) order, so results never depend on the backend or the
number of workers. A backend keeps only a bounded number of runs in flight (about
two per worker), so memory does not grow with the size of an experiment, and
killing the parent loses at most those runs.

* ``serial``: in this process, one run after the other.
* ``process``: loky's reusable process pool (the executor behind joblib), ``workers``
  processes, all usable cores by default. Workers are fresh interpreters started by
  fork and exec (never a bare ``fork``, which is unsafe in a process with threads);
  they do not import the main module, so a script needs no
  ``if __name__ == "__main__":`` guard. Workers exit by themselves if the parent
  dies, even by SIGKILL, and after a minute without work.
* ``dask``: a ``distributed.Client`` at ``dask_address`` (``tcp://host:8786``), or
  a ``LocalCluster`` of ``workers`` single-threaded processes when no address is
  given. Needs the ``dask`` extra (``pip install 'fieldtotable[dask]'``); on a
  cluster, every worker needs fieldtotable installed.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import importlib
import os
import threading
import time
import traceback
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import loky

from fieldtotable.experiment.errors import ExperimentError, RunFailure
from fieldtotable.experiment.extensions import current_extensions, run_extended
from fieldtotable.experiment.runs import RunSpec, run_one
from fieldtotable.results import RunResult
from fieldtotable.scenario.schema import Scenario

__all__ = [
    "EXECUTORS",
    "Backend",
    "Outcome",
    "Task",
    "check_executor",
    "default_workers",
    "open_backend",
]

EXECUTORS = ("serial", "process", "dask")
"""The executor names."""

Task = tuple[Scenario, RunSpec]
"""A run to do: its scenario and spec."""
Outcome = RunResult | RunFailure
"""What a run gives back."""

IDLE_WORKER_TIMEOUT_S = 60
"""Seconds an idle worker of the process executor waits for work before it exits."""

_IN_FLIGHT_PER_WORKER = 2
_WATCH_INTERVAL_S = 0.5


def default_workers() -> int:
    """Return the number of cores this process may use (at least 1).

    Returns
    -------
    int
        The usable cores.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Backend(Protocol):
    """Runs tasks and yields their outcomes as they finish."""

    #: Runs that proceed at once.
    workers: int

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[RunSpec, Outcome]]:
        """Run every task; yield each one's spec and outcome as it finishes.

        Parameters
        ----------
        tasks
            The runs to do.

        Yields
        ------
        tuple of (RunSpec, Outcome)
            Each task's spec and its result or failure, in the order they finish.
        """

    def close(self) -> None:
        """Release processes and connections."""


def _failure(spec: RunSpec, exc: BaseException) -> RunFailure:
    return RunFailure(
        point=spec.point,
        label=spec.label,
        seed=spec.seed,
        replication=spec.replication,
        error_type=type(exc).__name__,
        message=str(exc) or type(exc).__name__,
        traceback="".join(traceback.format_exception(exc)),
    )


class SerialBackend:
    """Runs in this process, one after the other."""

    workers = 1

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[RunSpec, Outcome]]:
        """Run every task in order."""
        for scenario, spec in tasks:
            yield spec, run_one(scenario, spec)

    def close(self) -> None:
        """Nothing to release."""


# --- local processes -----------------------------------------------------------------


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie not yet reaped counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # pragma: no cover - alive, but not ours to signal
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):  # no /proc: not Linux
        return False


def _watch_parent(parent: int, original_ppid: int) -> None:
    """Exit this worker once the process that started the pool is gone."""
    while True:
        time.sleep(_WATCH_INTERVAL_S)
        if os.getppid() != original_ppid or _gone(parent):
            os._exit(1)


def _worker_init(parent: int) -> None:
    """Start a watchdog thread so that workers never outlive a killed parent."""
    if os.name == "posix":
        watchdog = threading.Thread(
            target=_watch_parent, args=(parent, os.getppid()), daemon=True, name="parent-watch"
        )
        watchdog.start()


class ProcessBackend:
    """Runs in a pool of local worker processes (loky's reusable executor).

    The workers are fresh interpreters that never import the main module, so a
    script needs no ``if __name__ == "__main__":`` guard, and code fed through
    standard input works too; node kinds and KPIs registered by the script travel
    with each task (:mod:`fieldtotable.experiment.extensions`). The pool stays up,
    idle, for :data:`IDLE_WORKER_TIMEOUT_S` after a call, so that the next
    experiment of a session starts at once.

    Parameters
    ----------
    workers
        Number of processes.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._extensions = current_extensions()

    def _open(self) -> Any:
        return loky.get_reusable_executor(
            max_workers=self.workers,
            timeout=IDLE_WORKER_TIMEOUT_S,
            initializer=_worker_init,
            initargs=(os.getpid(),),
        )

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[RunSpec, Outcome]]:
        """Run every task, a bounded number at a time, yielding outcomes as they finish."""
        queue = iter(tasks)
        pending: dict[cf.Future[Outcome], RunSpec] = {}
        window = self.workers * _IN_FLIGHT_PER_WORKER
        executor = self._open()
        try:
            while True:
                for scenario, spec in queue:
                    try:
                        future = executor.submit(run_extended, self._extensions, scenario, spec)
                    except cf.process.BrokenProcessPool as exc:
                        yield spec, _failure(spec, exc)
                        executor = self._open()
                        continue
                    pending[future] = spec
                    if len(pending) >= window:
                        break
                if not pending:
                    return
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                broken = False
                for future in done:
                    spec = pending.pop(future)
                    try:
                        outcome = future.result()
                    except Exception as exc:  # a worker died: report the run
                        broken = broken or isinstance(exc, cf.process.BrokenProcessPool)
                        outcome = _failure(spec, exc)
                    yield spec, outcome
                if broken:
                    # The pool is unusable: report the runs it took down, then go on
                    # with a fresh pool for the rest (loky replaces a broken one).
                    for future, spec in list(pending.items()):
                        del pending[future]
                        yield spec, _failure(spec, cf.process.BrokenProcessPool("a worker died"))
                    executor = self._open()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Nothing to stop: idle workers end by themselves after the idle timeout."""


# --- Dask ----------------------------------------------------------------------------


def _import_distributed() -> Any:
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise ExperimentError(
            "the dask executor needs dask.distributed, which is not installed: "
            "pip install 'fieldtotable[dask]'"
        ) from None


class DaskBackend:
    """Runs on a Dask cluster: at ``address``, or a new ``LocalCluster``.

    Parameters
    ----------
    workers
        Worker processes of the ``LocalCluster`` (ignored with an address).
    address
        Scheduler address of an existing cluster, or ``None``.
    """

    def __init__(self, workers: int, address: str | None) -> None:
        distributed = _import_distributed()
        self._distributed = distributed
        self._cluster: Any = None
        try:
            if address is None:
                self._cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    # The scheduler's HTTP server starts even without a
                    # dashboard, on port 8787 unless told otherwise; two
                    # clusters starting at once then collide (a warning,
                    # an error under pytest). Any free local port will do.
                    scheduler_kwargs={
                        "dashboard": False,
                        "dashboard_address": "127.0.0.1:0",
                    },
                )
                self._client: Any = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(address)
        except OSError as exc:
            self.close()
            where = address or "a LocalCluster"
            raise ExperimentError(
                f"cannot connect to the Dask scheduler at {where}: {exc}"
            ) from None
        threads = sum(self._client.nthreads().values())
        self.workers = max(1, threads) if address is not None else workers
        self._scattered: dict[int, Any] = {}
        self._extensions = current_extensions()

    def _scatter(self, scenario: Scenario) -> Any:
        # Send each scenario to the workers once, not with every run.
        key = id(scenario)
        if key not in self._scattered:
            self._scattered[key] = (
                scenario,
                self._client.scatter(scenario, broadcast=True, hash=False),
            )
        return self._scattered[key][1]

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[RunSpec, Outcome]]:
        """Run every task on the cluster, a bounded number at a time."""
        distributed = self._distributed
        queue = iter(tasks)
        pending: dict[Any, RunSpec] = {}
        window = self.workers * _IN_FLIGHT_PER_WORKER
        try:
            while True:
                for scenario, spec in queue:
                    future = self._client.submit(
                        run_extended, self._extensions, self._scatter(scenario), spec, pure=False
                    )
                    pending[future] = spec
                    if len(pending) >= window:
                        break
                if not pending:
                    return
                done = distributed.wait(list(pending), return_when="FIRST_COMPLETED").done
                for future in done:
                    spec = pending.pop(future)
                    try:
                        outcome = future.result()
                    except Exception as exc:  # a worker died: report the run
                        outcome = _failure(spec, exc)
                    yield spec, outcome
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Close the client, and the ``LocalCluster`` if this backend started one."""
        self._scattered.clear()
        client = getattr(self, "_client", None)
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
            self._cluster = None


def check_executor(
    executor: str, workers: int | None = None, dask_address: str | None = None
) -> None:
    """Check executor options without starting anything.

    Parameters
    ----------
    executor
        ``"serial"``, ``"process"`` or ``"dask"``.
    workers
        Runs at once (at least 1), or ``None`` for the default.
    dask_address
        Address of a Dask scheduler (only with the dask executor).

    Raises
    ------
    ExperimentError
        For an unknown executor, a bad worker count, an address without the dask
        executor, or Dask not installed.
    """
    if executor not in EXECUTORS:
        raise ExperimentError(
            f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}"
        )
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ExperimentError(f"workers must be a whole number >= 1, not {workers!r}")
    if dask_address is not None and executor != "dask":
        raise ExperimentError("a Dask address needs the dask executor (executor='dask')")
    if executor == "dask":
        _import_distributed()


def open_backend(
    executor: str, workers: int | None = None, dask_address: str | None = None
) -> Backend:
    """Start a backend.

    Parameters
    ----------
    executor
        ``"serial"``, ``"process"`` or ``"dask"``.
    workers
        Parallel runs: processes of the pool or of the Dask ``LocalCluster``; all
        usable cores when ``None`` (the cluster's threads with ``dask_address``).
    dask_address
        Scheduler of an existing Dask cluster (``executor="dask"`` only).

    Returns
    -------
    Backend
        The backend; call ``close()`` when done.

    Raises
    ------
    ExperimentError
        As :func:`check_executor`, or if the Dask scheduler cannot be reached.
    """
    check_executor(executor, workers, dask_address)
    count = workers if workers is not None else default_workers()
    if executor == "serial":
        return SerialBackend()
    if executor == "process":
        return ProcessBackend(count)
    return DaskBackend(count, dask_address)
