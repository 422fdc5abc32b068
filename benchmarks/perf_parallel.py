"""Speed-up of replications with more workers, locally or on a Dask cluster.

Usage::

    python benchmarks/perf_parallel.py [--replications 20] [--workers 1,2,4] [--json]
    python benchmarks/perf_parallel.py --scenario scenarios/baseline_2023.yaml --set scale=5
    # scale-out on a bigger machine or a cluster:
    python benchmarks/perf_parallel.py --replications 200 --workers 8,16,32,64
    python benchmarks/perf_parallel.py --executor dask --dask-address tcp://host:8786 \\
        --replications 500 --serial-runs 10

First the serial time of the replications is measured (``--serial-runs K`` times
only K of them and scales up, to spare a long wait on big experiments). Then, for
each worker count, ``replicate(..., executor=..., workers=w)`` runs the same
replications, pool or cluster start-up included (that is what a user waits for).
Reported per worker count: wall time, speed-up over serial, parallel efficiency
(speed-up / workers), and whether the KPIs are identical to the serial run's to the
last bit (they must be). With ``--dask-address`` the cluster's thread count is the
worker count and ``--workers`` is ignored.

Parallel efficiency depends on the run length: runs of a fraction of a second
amortise the ~0.4 s start of a process pool only over many replications.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import time
from typing import Any

from fieldtotable import apply_overrides, builtin_scenario, load_scenario
from fieldtotable.experiment import replicate
from fieldtotable.experiment.executors import default_workers
from fieldtotable.scenario import parse_assignments


def worker_counts(text: str | None) -> list[int]:
    """``1,2,4`` -> [1, 2, 4]; by default 1, 2, 4, ... up to the usable cores."""
    if text:
        return sorted({int(part) for part in text.split(",") if part.strip()})
    cores = default_workers()
    counts = [1]
    while counts[-1] * 2 <= cores:
        counts.append(counts[-1] * 2)
    if counts[-1] != cores:
        counts.append(cores)
    return counts


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Run the measurements; return the figures."""
    scenario = (
        builtin_scenario("baseline") if args.scenario is None else load_scenario(args.scenario)
    )
    scenario = apply_overrides(scenario, parse_assignments(args.set))
    n = args.replications
    serial_n = min(n, args.serial_runs or n)
    started = time.perf_counter()
    serial = replicate(scenario, serial_n, args.seed, executor="serial", progress=False)
    serial_s = (time.perf_counter() - started) * n / serial_n
    figures: dict[str, Any] = {
        "scenario": scenario.name,
        "replications": n,
        "executor": args.executor,
        "cores": default_workers(),
        "serial_wall_s": serial_s,
        "serial_extrapolated_from": serial_n,
        "mean_run_s": serial_s / n,
        "points": [],
    }
    counts = [0] if args.dask_address else worker_counts(args.workers)
    for workers in counts:
        started = time.perf_counter()
        result = replicate(
            scenario,
            n,
            args.seed,
            executor=args.executor,
            workers=workers or None,
            dask_address=args.dask_address,
            progress=False,
        )
        wall = time.perf_counter() - started
        used = workers or result_workers(args.dask_address)
        same = identical(result.values, serial.values, serial_n)
        figures["points"].append(
            {
                "workers": used,
                "wall_s": wall,
                "speed_up": serial_s / wall,
                "efficiency": serial_s / wall / used,
                "identical_to_serial": same,
            }
        )
    return figures


def identical(
    values: dict[str, tuple[float, ...]], reference: dict[str, tuple[float, ...]], count: int
) -> bool:
    """Whether the first ``count`` values of every KPI are bit-for-bit the same."""
    return all(
        a == b or (math.isnan(a) and math.isnan(b))
        for key in reference
        for a, b in zip(values[key][:count], reference[key][:count], strict=True)
    )


def result_workers(address: str | None) -> int:
    """Threads of the Dask cluster at ``address``."""
    if address is None:
        return 1
    client_class = importlib.import_module("distributed").Client  # optional dependency
    with client_class(address) as client:
        return int(sum(client.nthreads().values()))


def main() -> None:
    """Parse the options, measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", help="scenario YAML (default: the built-in baseline)")
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    parser.add_argument("--replications", "-n", type=int, default=20)
    parser.add_argument("--workers", help="comma-separated worker counts (default 1,2,4..cores)")
    parser.add_argument("--executor", choices=("process", "dask"), default="process")
    parser.add_argument("--dask-address", help="scheduler of an existing Dask cluster")
    parser.add_argument("--serial-runs", type=int, help="time only K serial runs and scale up")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.dask_address:
        args.executor = "dask"
    figures = measure(args)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{figures['scenario']}: {figures['replications']} replications, "
        f"{figures['mean_run_s']:.3f} s per run, serial {figures['serial_wall_s']:.2f} s "
        f"({figures['cores']} usable cores, executor {figures['executor']})"
    )
    print(f"{'workers':>8}  {'wall s':>8}  {'speed-up':>8}  {'efficiency':>10}  identical")
    for point in figures["points"]:
        print(
            f"{point['workers']:>8}  {point['wall_s']:>8.2f}  {point['speed_up']:>7.2f}x  "
            f"{point['efficiency']:>9.0%}  {point['identical_to_serial']}"
        )


if __name__ == "__main__":
    main()
