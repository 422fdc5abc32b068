"""The planners' workload: 200 configurations x 20 replications of the baseline year.

Usage::

    python benchmarks/perf/planner.py                       # all 4,000 runs, 2 workers
    python benchmarks/perf/planner.py --points 20           # the first 20 points (400 runs)
    python benchmarks/perf/planner.py --workers 1 --executor serial --points 5

The configurations are a 20 x 5 x 2 grid on the built-in 2023 baseline: the store's
shelf (1,000-2,900 kg), the Kunming-Shanghai trucks (1-5) and the Shangri-La-Kunming
trucks (2-3), each point with 20 replications (common random numbers), run through
:func:`fieldtotable.sweep` as a planner would, pool start-up included. With
``--points`` below 200 it runs the first points of the grid and also states the
time projected to all 200 (runs of one grid take about the same time each, and the
pool's start-up is paid once: the projection scales the time linearly in runs).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from itertools import product
from typing import Any

from fieldtotable import builtin_scenario, sweep
from fieldtotable.versions import model_build

SHELVES_KG = [1000.0 + 100.0 * step for step in range(20)]
LONG_HAUL_TRUCKS = [1, 2, 3, 4, 5]
FEEDER_TRUCKS = [2, 3]
REPLICATIONS = 20
POINTS = len(SHELVES_KG) * len(LONG_HAUL_TRUCKS) * len(FEEDER_TRUCKS)


def grid(points: int) -> list[dict[str, Any]]:
    """The first ``points`` configurations of the grid (shelf varying slowest)."""
    every = [
        {
            "markets.shanghai_store.shelf_capacity_kg": shelf,
            "legs.kunming_shanghai.fleet": long_haul,
            "legs.shangrila_kunming.fleet": feeder,
        }
        for shelf, long_haul, feeder in product(SHELVES_KG, LONG_HAUL_TRUCKS, FEEDER_TRUCKS)
    ]
    return every[:points]


def measure(
    points: int, replications: int, executor: str, workers: int, days: int = 365
) -> dict[str, Any]:
    """Run the workload once; its wall time and the projection to the whole grid."""
    scenario = builtin_scenario("baseline_2023").with_horizon(days)
    started = time.perf_counter()
    result = sweep(
        scenario, grid(points), n=replications, seed=0, executor=executor, workers=workers,
        progress=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    runs = points * replications
    whole = POINTS * REPLICATIONS
    return {
        "points": points,
        "replications": replications,
        "days": days,
        "runs": runs,
        "executor": executor,
        "workers": workers,
        "wall_s": wall,
        "s_per_run": wall / runs,
        "projected_200x20_min": wall / runs * whole / 60,
        "load_1min": os.getloadavg()[0],
        "points_returned": len(result.points),
        "model": model_build(),
    }


def main() -> None:
    """Parse the options, run, print the figures (JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=POINTS)
    parser.add_argument("--replications", type=int, default=REPLICATIONS)
    parser.add_argument("--executor", default="process")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--days", type=int, default=365, help="horizon (a smoke run: 10)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.points <= POINTS:
        parser.error(f"--points must be between 1 and {POINTS}")
    figures = measure(args.points, args.replications, args.executor, args.workers, args.days)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{figures['runs']:,} runs ({args.points} points x {args.replications}) on "
        f"{args.workers} {args.executor} workers: {figures['wall_s']:.1f} s, "
        f"{figures['s_per_run'] * 1000:.0f} ms a run; 200 x 20 projected: "
        f"{figures['projected_200x20_min']:.1f} min (load {figures['load_1min']:.1f}, "
        f"{args.days} days, {figures['model']} model)"
    )


if __name__ == "__main__":
    main()
