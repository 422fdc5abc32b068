"""The process executor (loky) against the pool it replaced (forkserver), alternating.

Usage::

    python benchmarks/perf_process_pool.py [--runs 2,8,32] [--workers 2] [--rounds 3]
    python benchmarks/perf_process_pool.py --scenario scenarios/scale_5x.yaml --json

The reference is a :class:`concurrent.futures.ProcessPoolExecutor` with the
``forkserver`` start method and ``fieldtotable.experiment.runs`` preloaded, which
is what the process executor was before loky. For each number of runs, each round
times both sides one after the other (the order alternates between rounds):

- ``cold``: a new pool, its start-up included (loky's reusable executor is shut down
  first) — what the first experiment of a session waits for;
- ``warm``: loky's pool kept from the previous call (the forkserver reference has no
  such reuse and starts a new pool each time) — every later experiment.

Reported: median wall times and the ratio loky / reference (below 1: loky faster).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing
import statistics
import time
from typing import Any

import loky

from fieldtotable import builtin_scenario, load_scenario
from fieldtotable.experiment.executors import open_backend
from fieldtotable.experiment.runs import RunSpec, run_one
from fieldtotable.scenario.schema import Scenario


def _specs(count: int) -> list[RunSpec]:
    return [RunSpec(point=0, label="", seed=0, replication=index) for index in range(count)]


def reference(scenario: Scenario, count: int, workers: int) -> float:
    """Seconds for ``count`` runs on a fresh forkserver pool (the old executor)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["fieldtotable.experiment.runs"])
    started = time.perf_counter()
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(run_one, scenario, spec) for spec in _specs(count)]
        for future in cf.as_completed(futures):
            future.result()
    return time.perf_counter() - started


def ours(scenario: Scenario, count: int, workers: int, *, cold: bool) -> float:
    """Seconds for ``count`` runs on the process executor."""
    if cold:
        loky.get_reusable_executor(max_workers=workers).shutdown(wait=True, kill_workers=True)
    started = time.perf_counter()
    backend = open_backend("process", workers)
    for _ in backend.run((scenario, spec) for spec in _specs(count)):
        pass
    backend.close()
    return time.perf_counter() - started


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Alternate both sides over every run count; return the medians and ratios."""
    scenario = (
        builtin_scenario("baseline") if args.scenario is None else load_scenario(args.scenario)
    )
    rows = []
    for count in [int(part) for part in args.runs.split(",")]:
        times: dict[str, list[float]] = {"reference": [], "cold": [], "warm": []}
        for round_ in range(args.rounds):
            sides = ["reference", "cold", "warm"]
            for side in sides if round_ % 2 == 0 else sides[::-1]:
                if side == "reference":
                    times[side].append(reference(scenario, count, args.workers))
                elif side == "cold":
                    times[side].append(ours(scenario, count, args.workers, cold=True))
                else:
                    ours(scenario, 1, args.workers, cold=False)  # make sure the pool is up
                    times[side].append(ours(scenario, count, args.workers, cold=False))
        medians = {side: statistics.median(values) for side, values in times.items()}
        rows.append(
            {
                "runs": count,
                **{f"{side}_s": value for side, value in medians.items()},
                "cold_ratio": medians["cold"] / medians["reference"],
                "warm_ratio": medians["warm"] / medians["reference"],
            }
        )
    return {"scenario": scenario.name, "workers": args.workers, "rows": rows}


def main() -> None:
    """Parse the options, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", help="a scenario file (default: the built-in baseline)")
    parser.add_argument("--runs", default="2,8,32", help="numbers of runs, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    figures = measure(args)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['scenario']}, {figures['workers']} workers (medians, s)")
    heads = ("forkserver", "loky cold", "loky warm", "cold/ref", "warm/ref")
    print(f"{'runs':>5} " + " ".join(f"{head:>10}" for head in heads))
    for row in figures["rows"]:
        print(
            f"{row['runs']:>5} {row['reference_s']:>10.2f} {row['cold_s']:>10.2f} "
            f"{row['warm_s']:>10.2f} {row['cold_ratio']:>10.2f} {row['warm_ratio']:>10.2f}"
        )


if __name__ == "__main__":
    main()
