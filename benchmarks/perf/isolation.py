"""Measuring in fresh processes, and comparing two sides fairly by alternating them.

* :func:`isolated` runs one task in a forked process and returns its figures (wall
  time, peak memory growth, and whatever the task reports);
* :func:`repeated` runs one task several times, each in a fresh process;
* :func:`alternate` measures the two sides of a ratio interleaved -- A, B, A, B, ...,
  every run in a fresh process -- so that a change of machine load reaches both
  sides alike instead of going straight into the ratio. It reports the min and the
  median of each side, the ratio of the medians and of the mins (first side ÷
  second side), and the 1-minute load average before and after every run. It also
  reports each run's CPU time (user + system of the child) and the ratio of the CPU
  medians: on a machine with more runnable processes than cores, a run's wall time
  grows with its share of the CPU and its CPU time much less.

Each run also reports its minor page faults (``minor_faults``, Linux and macOS). A
forked process shares the parent's memory until it writes to a page, and the first
write to each page copies it; a run that touches many of the parent's objects pays
for that in its first run only. ``warmup`` runs the task that many times in the
fresh process before the measured run, as pyperf's warm-ups do: with ``warmup=1`` a
figure is the cost of a run in a process that has run one already.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

Task = Callable[[], dict[str, Any]]


def load_average() -> float:
    """The 1-minute load average now (NaN where the platform has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan


def _rss_kb() -> int:
    """Resident set size now, KiB (Linux); 0 where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except OSError:
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def _peak_kb() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS


def _minor_faults() -> int:
    """Minor page faults of this process so far (0 where the platform has no count)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _measured(task: Task, warmup: int) -> dict[str, Any]:
    """Run ``task`` ``warmup`` times unmeasured, then once with its CPU time and page faults."""
    for _ in range(warmup):
        task()
    faults = _minor_faults()
    cpu_started = time.process_time()
    figures = task()
    figures["cpu_s"] = time.process_time() - cpu_started
    figures["minor_faults"] = _minor_faults() - faults
    return figures


def _child(pipe: Connection, task: Task, warmup: int) -> None:
    start = _rss_kb()
    try:
        figures = _measured(task, warmup)
        figures["peak_mb"] = max(_peak_kb() - start, 0) / 1024
        pipe.send(figures)
    except BaseException as exc:  # report it in the parent
        pipe.send({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        pipe.close()


def isolated(task: Task, warmup: int = 0) -> dict[str, Any]:
    """Run ``task`` in a forked process (where fork exists); return its figures.

    ``warmup`` unmeasured runs of ``task`` come first in the same process.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        figures = _measured(task, warmup)
        figures["peak_mb"] = math.nan
        return figures
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, task, warmup))
    process.start()
    send.close()
    received: dict[str, Any] = receive.recv()
    process.join()
    if "error" in received:
        raise RuntimeError(received["error"])
    return received


def repeated(task: Task, repeat: int) -> dict[str, Any]:
    """Median wall times, the largest peak memory, other figures from the first run."""
    runs = [isolated(task) for _ in range(repeat)]
    out = dict(runs[0])
    for key in runs[0]:
        if key.endswith("_s"):
            out[key] = statistics.median(run[key] for run in runs)
    out["peak_mb"] = max(run["peak_mb"] for run in runs)
    out["repeat"] = repeat
    return out


def _side_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Min and median wall (and CPU) time of one side's runs, other figures from the first."""
    walls = [run["wall_s"] for run in runs]
    cpus = [run["cpu_s"] for run in runs]
    out = {key: value for key, value in runs[0].items() if not key.endswith("_s")}
    out.update(
        min_s=min(walls),
        median_s=statistics.median(walls),
        walls_s=walls,
        cpu_min_s=min(cpus),
        cpu_median_s=statistics.median(cpus),
        cpus_s=cpus,
        minor_faults_median=statistics.median(run["minor_faults"] for run in runs),
        loads=[(run["load_before"], run["load_after"]) for run in runs],
    )
    return out


def alternate(first: Task, second: Task, rounds: int, warmup: int = 0) -> dict[str, Any]:
    """Measure ``first`` and ``second`` interleaved, ``rounds`` times each.

    Every run is one fresh process (after ``warmup`` unmeasured runs in it, see the
    module); the order is first, second, first, second, ...
    Returns ``{"first": ..., "second": ..., "ratio_of_medians": ...,
    "ratio_of_mins": ..., "cpu_ratio_of_medians": ..., "load_min": ...,
    "load_max": ...}``, the ratios being
    first ÷ second (wall time), and each side's ``min_s``, ``median_s``, every wall
    time and the load average before and after each of its runs.
    """
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    runs: dict[str, list[dict[str, Any]]] = {"first": [], "second": []}
    for _ in range(rounds):
        for side, task in (("first", first), ("second", second)):
            before = load_average()
            figures = isolated(task, warmup)
            figures["load_before"], figures["load_after"] = before, load_average()
            runs[side].append(figures)
    ours, theirs = _side_summary(runs["first"]), _side_summary(runs["second"])
    loads = [
        load
        for side in runs.values()
        for run in side
        for load in (run["load_before"], run["load_after"])
    ]
    return {
        "first": ours,
        "second": theirs,
        "rounds": rounds,
        "warmup": warmup,
        "ratio_of_medians": ours["median_s"] / theirs["median_s"],
        "ratio_of_mins": ours["min_s"] / theirs["min_s"],
        "cpu_ratio_of_medians": ours["cpu_median_s"] / theirs["cpu_median_s"],
        "load_min": min(loads),
        "load_max": max(loads),
    }
