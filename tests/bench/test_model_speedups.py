"""Guards of the run-time optimisations: nothing leaks out of a run."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from fieldtotable import load_scenario, simulate

SMALL = Path(__file__).resolve().parents[1] / "data" / "small.yaml"


def test_a_run_restores_the_garbage_collector_thresholds() -> None:
    before = gc.get_threshold()
    simulate(load_scenario(SMALL), seed=0)
    assert gc.get_threshold() == before


def test_concurrent_runs_restore_the_thresholds() -> None:
    before = gc.get_threshold()
    scenario = load_scenario(SMALL)
    threads = [threading.Thread(target=simulate, args=(scenario, seed)) for seed in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.get_threshold() == before
