"""Events and wall time of a shop's wake-ups: two source trees, alternating, fresh processes.

Usage::

    python benchmarks/perf/store_wakeups.py --old /work/main/src --new src [--repeats 5]

Cases: the built-in baseline year, and the SupplyNetPy comparison network
(``peer.py``) with 1 and 10 stores at 5, 100 and 1,000 customers a day. Each run is
a fresh ``python`` process with ``PYTHONPATH`` set to one tree; old and new
alternate run by run, so a change of machine load hits both sides. Prints, per case
and side, the events of a run and the min and median wall time of the simulation
(the process start-up and imports left out), and the 1-minute load before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = [
    ("baseline", 0, 0.0),
    *((f"peer {stores} x {customers:g}/day", stores, customers)
      for stores in (1, 10) for customers in (5.0, 100.0, 1000.0)),
]  # fmt: skip

CHILD = """
import json, sys, time
sys.path.insert(0, {here!r})
from fieldtotable import builtin_scenario, simulate
stores, customers = {stores!r}, {customers!r}
if stores:
    import peer
    scenario = peer.fieldtotable_network(stores, customers_per_day=customers)
else:
    scenario = builtin_scenario("baseline")
started = time.perf_counter()
result = simulate(scenario, 0)
wall = time.perf_counter() - started
print(json.dumps({{"wall_s": wall, "events": result.events_processed,
                  "sold_kg": result.kpis["sold_kg"]}}))
"""


def run_once(tree: str, stores: int, customers: float) -> dict[str, float]:
    """Run one case in a fresh process on the source tree ``tree``."""
    code = CHILD.format(here=str(HERE), stores=stores, customers=customers)
    env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Alternate old and new per case; print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--old", required=True)
    parser.add_argument("--new", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()[0]:.2f}")
    print(
        "case | events old | events new | ratio | wall old min/med s | wall new min/med s"
        " | old/new (median)"
    )
    for name, stores, customers in CASES:
        sides: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
        for _ in range(args.repeats):
            for side in ("old", "new"):
                sides[side].append(run_once(getattr(args, side), stores, customers))
        old, new = sides["old"], sides["new"]
        walls = {side: sorted(run["wall_s"] for run in runs) for side, runs in sides.items()}
        med = {side: statistics.median(values) for side, values in walls.items()}
        print(
            f"{name} | {old[0]['events']:,.0f} | {new[0]['events']:,.0f} | "
            f"{old[0]['events'] / new[0]['events']:.2f} | "
            f"{walls['old'][0]:.3f}/{med['old']:.3f} | {walls['new'][0]:.3f}/{med['new']:.3f} | "
            f"{med['old'] / med['new']:.2f}",
            flush=True,
        )
        assert old[0]["sold_kg"] == new[0]["sold_kg"], name  # same results
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
