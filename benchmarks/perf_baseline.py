"""Speed of one simulated year of the built-in baseline, against bare SimPy in the same run.

Usage::

    python benchmarks/perf_baseline.py [--repeat 5] [--json]

Reports, for the baseline (1x) and the baseline at 10x volume (``scale: 10``):
wall time per simulated year (median of ``--repeat`` runs), SimPy events processed
and events per second. The reference is measured in the same process, right before:

* ``bare_timeouts``: processes that only wait on timeouts -- the floor of any SimPy
  model (no model logic at all);
* ``bare_queueing``: processes that queue for a ``simpy.Resource`` and hold it for a
  timeout -- the event mix of a typical logistics model (requests, releases,
  timeouts), still with no model logic.

The ratios (library events/s over reference events/s, 10x wall time over 1x) are
the figures to compare across machines; absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from fieldtotable import builtin_scenario, simulate

sys.path.insert(0, str(Path(__file__).resolve().parent / "perf"))
from floor import bare_queueing, bare_timeouts

from fieldtotable.model.world import World, events_processed


def model_year(scale: float, seed: int) -> tuple[int, float]:
    """Events and seconds of one baseline year (building the world included)."""
    scenario = builtin_scenario("baseline")
    scenario = scenario.model_copy(update={"scale": scenario.scale * scale})
    started = time.perf_counter()
    world = World(scenario, seed)
    world.run()
    return events_processed(world.env), time.perf_counter() - started


def median_rate(measure: Any, repeat: int, *args: Any) -> tuple[int, float, float]:
    """Median seconds and events/s over ``repeat`` runs of ``measure``."""
    runs = [measure(*args) for _ in range(repeat)]
    events = runs[0][0]
    seconds = statistics.median(s for _, s in runs)
    return events, seconds, events / seconds


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    simulate(builtin_scenario("baseline"), seed=0)  # warm imports and caches
    _, _, timeouts_rate = median_rate(bare_timeouts, args.repeat)
    _, _, queueing_rate = median_rate(bare_queueing, args.repeat)
    events_1x, seconds_1x, rate_1x = median_rate(model_year, args.repeat, 1.0, 0)
    events_10x, seconds_10x, _ = median_rate(model_year, args.repeat, 10.0, 0)
    figures = {
        "bare_timeouts_events_per_s": timeouts_rate,
        "bare_queueing_events_per_s": queueing_rate,
        "baseline_1x_wall_s": seconds_1x,
        "baseline_1x_events": events_1x,
        "baseline_1x_events_per_s": rate_1x,
        "baseline_10x_wall_s": seconds_10x,
        "baseline_10x_events": events_10x,
        "ratio_events_per_s_vs_bare_timeouts": rate_1x / timeouts_rate,
        "ratio_events_per_s_vs_bare_queueing": rate_1x / queueing_rate,
        "ratio_wall_10x_vs_1x": seconds_10x / seconds_1x,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    width = max(map(len, figures))
    for name, value in figures.items():
        text = f"{value:,.0f}" if value >= 100 else f"{value:.3f}"
        print(f"{name:<{width}}  {text}")


if __name__ == "__main__":
    main()
