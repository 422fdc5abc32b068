"""Every executor gives the same results to the last bit; failing runs are reported."""

from __future__ import annotations

import importlib
import socket
from pathlib import Path
from typing import Any

import pytest

from fieldtotable import RunResult, Scenario, apply_overrides
from fieldtotable.experiment import (
    ExperimentError,
    ExperimentResult,
    RunFailedError,
    compare,
    replicate,
    sweep,
)
from fieldtotable.experiment import runs as runs_module
from fieldtotable.experiment.executors import check_executor, open_backend
from fieldtotable.experiment.runs import RunSpec
from nan_aware import same

N = 6


def _exact(result: ExperimentResult) -> dict[str, Any]:
    """Everything but wall times, as JSON-exact data (floats keep every bit)."""
    data = result.to_dict(runs=True)
    data.pop("wall_time_s")
    for run in data["runs"]:
        run.pop("wall_time_s")
    return data


@pytest.fixture(scope="module")
def serial(small_scenario: Scenario) -> ExperimentResult:
    return replicate(small_scenario, n=N, seed=3, executor="serial", progress=False)


@pytest.mark.parametrize("workers", [1, 2])
def test_process_pool_matches_serial(
    small_scenario: Scenario, serial: ExperimentResult, workers: int
) -> None:
    result = replicate(
        small_scenario, n=N, seed=3, executor="process", workers=workers, progress=False
    )
    assert result == serial
    assert _exact(result) == _exact(serial)
    assert [run.replication for run in result.runs] == list(range(N))


def test_dask_local_cluster_matches_serial(
    small_scenario: Scenario, serial: ExperimentResult
) -> None:
    pytest.importorskip("distributed")
    result = replicate(small_scenario, n=N, seed=3, executor="dask", workers=2, progress=False)
    assert result == serial
    assert _exact(result) == _exact(serial)


def test_dask_local_cluster_starts_while_port_8787_is_taken() -> None:
    """Two clusters at once (xdist workers, or a planner's notebook) must not clash.

    The scheduler's HTTP server takes 8787 unless told otherwise, and a taken
    port is a warning (an error under this suite's filters).
    """
    pytest.importorskip("distributed")
    holder = socket.socket()
    try:
        holder.bind(("0.0.0.0", 8787))
        holder.listen()
    except OSError:
        pass  # someone else holds it already: the same condition
    try:
        backend = open_backend("dask", workers=1)
        backend.close()
    finally:
        holder.close()


def test_sweep_is_the_same_on_every_executor(small_scenario: Scenario) -> None:
    grid = {"legs.cp_shanghai.fleet": [1, 3], "scale": [1, 2]}
    serial = sweep(small_scenario, grid, n=3, executor="serial", progress=False)
    parallel = sweep(small_scenario, grid, n=3, executor="process", workers=2, progress=False)
    assert parallel == serial
    assert same(parallel.rows(), serial.rows())


def test_a_failing_run_is_reported_and_the_others_are_kept(
    small_scenario: Scenario, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = runs_module.simulate

    def flaky(scenario: Scenario, seed: int, *, replication: int) -> RunResult:
        if scenario.scale == 2 and replication == 1:
            raise ZeroDivisionError("boom")
        return real(scenario, seed, replication=replication)

    monkeypatch.setattr(runs_module, "simulate", flaky)
    grid = {"scale": [1, 2]}
    with pytest.raises(RunFailedError) as caught:
        sweep(small_scenario, grid, n=3, seed=5, executor="serial", store=tmp_path, progress=False)
    error = caught.value
    assert error.completed == 5
    [failure] = error.failures
    assert (failure.point, failure.label, failure.seed, failure.replication) == (
        1,
        "scale=2",
        5,
        1,
    )
    assert failure.error_type == "ZeroDivisionError"
    assert "boom" in failure.traceback
    assert "point 1 (scale=2), seed 5, replication 1: ZeroDivisionError: boom" in str(error)
    assert len(list(tmp_path.glob("runs/*/*.json"))) == 5

    # Fixed, the rerun only runs what is missing.
    calls: list[tuple[float, int]] = []

    def counting(scenario: Scenario, seed: int, *, replication: int) -> RunResult:
        calls.append((scenario.scale, replication))
        return real(scenario, seed, replication=replication)

    monkeypatch.setattr(runs_module, "simulate", counting)
    result = sweep(small_scenario, grid, n=3, seed=5, executor="serial", store=tmp_path)
    assert calls == [(2.0, 1)]
    assert result == sweep(small_scenario, grid, n=3, seed=5, executor="serial")


def test_runs_failing_in_worker_processes_name_their_point(small_scenario: Scenario) -> None:
    # A scenario that validation would refuse (its leg names a missing hub): it fails
    # while the world is built, in the worker.
    broken = small_scenario.model_copy(update={"name": "broken", "hubs": {}})
    with pytest.raises(RunFailedError) as caught:
        compare(
            {"good": small_scenario, "broken": broken},
            n=2,
            executor="process",
            workers=2,
            progress=False,
        )
    error = caught.value
    assert error.completed == 2
    assert [(f.point, f.label, f.replication) for f in error.failures] == [
        (1, "broken", 0),
        (1, "broken", 1),
    ]
    assert all(f.traceback for f in error.failures)


def test_executor_options_are_checked(small_scenario: Scenario) -> None:
    with pytest.raises(ExperimentError, match="unknown executor 'threads'"):
        replicate(small_scenario, n=2, executor="threads")
    with pytest.raises(ExperimentError, match="workers"):
        check_executor("process", workers=0)
    with pytest.raises(ExperimentError, match="dask executor"):
        check_executor("process", dask_address="tcp://localhost:8786")


def test_dask_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_distributed(name: str, package: str | None = None) -> Any:
        if name == "distributed":
            raise ImportError("No module named 'distributed'")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_distributed)
    with pytest.raises(ExperimentError, match=r"pip install 'fieldtotable\[dask\]'"):
        open_backend("dask")


def test_serial_backend_yields_in_order(small_scenario: Scenario) -> None:
    backend = open_backend("serial")
    specs = [RunSpec(0, "x", 0, r) for r in range(3)]
    outcomes = list(backend.run([(small_scenario, spec) for spec in specs]))
    backend.close()
    assert [spec for spec, _ in outcomes] == specs
    assert all(isinstance(outcome, RunResult) for _, outcome in outcomes)


def test_process_backend_survives_more_runs_than_its_window(small_scenario: Scenario) -> None:
    more = apply_overrides(small_scenario, {"scale": 1.5})
    result = compare({"a": small_scenario, "b": more}, n=9, executor="process", workers=2)
    assert result.n == 9
    assert result.results["a"] == replicate(small_scenario, n=9, executor="serial")
