"""fieldtotable performance in one run: floor, baseline year, growth, and the fair ratios.

Usage::

    python benchmarks/perf/run.py [--quick] [--repeat 3] [--out DIR] [--only SECTIONS]

Sections (``--only floor,baseline,growth,lean,timeouts,grid``; all by default):

* ``floor``: bare SimPy events/s -- processes on timeouts, and processes queueing
  for a resource (request, timeout, release): the ceiling of any SimPy model.
* ``baseline``: one year of the built-in 2023 baseline: wall time (building the
  world and running it; building the result table adds ~20 ms), events, events/s
  and its ratio to both floors, lots created, peak memory.
* ``growth``: the same against volume (``scale`` 1-20), horizon (1-5 years),
  producers (10-1,000: each source split into parts sharing its supply, so the
  kilograms stay and the lots multiply) and markets (the store split into 1-20
  stores sharing its demand), with the fitted exponent ``b`` of
  ``cost ~ x**b`` for wall time, events, lots and peak memory.
* ``lean``, ``timeouts``, ``grid``: the ratios of issue 17, both sides alternated
  in fresh processes (see ``fair.py``): fieldtotable ÷ the lean hand-written SimPy
  model of the baseline (``lean_floor.py``), the baseline year ÷ a million bare
  SimPy timeouts, and fieldtotable ÷ SupplyNetPy on the peer network (``peer.py``;
  ``pip install 'fieldtotable[bench]'``) at {1, 10, 50} stores x {5, 100, 1,000}
  customers a day.

Every measurement runs in a fresh forked process (the parent has done the imports
and built the scenario). The floor, baseline and growth sections report the median
over ``--repeat`` runs and the peak memory (growth of the resident set during the
run, the largest over the repeats); the fair ratios report min and median of each
side and the load average around every run. Events are SimPy's own count.

Writes ``DIR/perf.json``, a markdown summary ``DIR/perf.md`` and ``DIR/growth.png``
(default DIR: ``benchmarks/perf/results``) and prints the summary. ``--quick``
measures fewer points on short horizons, each comparison once or twice (for a check
that everything runs, not for the figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import fair
import floor
import numpy as np
import workloads
from isolation import repeated

import fieldtotable
from fieldtotable import Scenario, builtin_scenario, simulate
from fieldtotable.model.world import World, events_processed
from fieldtotable.versions import model_build

HERE = Path(__file__).resolve().parent
SECTIONS = ("floor", "baseline", "growth", "lean", "timeouts", "grid")

#: Growth axis -> the values measured (in the axis' own unit: see grown()).
GROWTH_FULL: dict[str, list[float]] = {
    "volume": [1, 2, 5, 10, 20],
    "horizon_years": [1, 2, 3, 4, 5],
    "producers": [10, 30, 100, 300, 1000],
    "markets": [3, 4, 7, 12, 22],
}
GROWTH_QUICK: dict[str, list[float]] = {
    "volume": [1, 5, 20],
    "horizon_years": [1, 2],
    "producers": [10, 100],
    "markets": [3, 7],
}


# --- tasks ------------------------------------------------------------------------------


def model_task(scenario: Scenario, seed: int = 0) -> Callable[[], dict[str, Any]]:
    """One run of ``scenario``: build and run the world (the result table is left out)."""

    def task() -> dict[str, Any]:
        started = time.perf_counter()
        world = World(scenario, seed)
        built = time.perf_counter()
        world.run()
        ended = time.perf_counter()
        return {
            "wall_s": ended - started,
            "build_s": built - started,
            "run_s": ended - built,
            "events": events_processed(world.env),
            "lots": world.context._next_id,  # lots created, split parts included
            "harvested_kg": world.ledger.arrays()["harvested"].sum().item(),
        }

    return task


def floor_task(measure: Callable[[], tuple[int, float]]) -> Callable[[], dict[str, Any]]:
    """One run of a bare-SimPy floor."""

    def task() -> dict[str, Any]:
        events, seconds = measure()
        return {"wall_s": seconds, "events": events}

    return task


# --- sections ----------------------------------------------------------------------------


def measure_floor(repeat: int) -> dict[str, Any]:
    """Bare SimPy events/s (timeouts; resource request/release)."""
    out = {}
    for name, measure in (
        ("timeouts", floor.bare_timeouts),
        ("queueing", floor.bare_queueing),
    ):
        figures = repeated(floor_task(measure), repeat)
        figures["events_per_s"] = figures["events"] / figures["wall_s"]
        out[name] = figures
        print(f"  floor {name}: {figures['events_per_s']:,.0f} events/s", flush=True)
    return out


def measure_baseline(repeat: int, floors: dict[str, Any] | None) -> dict[str, Any]:
    """One year of the built-in baseline against the floors."""
    figures = repeated(model_task(builtin_scenario("baseline")), repeat)
    figures["events_per_s"] = figures["events"] / figures["wall_s"]
    figures["run_events_per_s"] = figures["events"] / figures["run_s"]
    for name, found in (floors or {}).items():
        figures[f"ratio_to_{name}"] = figures["events_per_s"] / found["events_per_s"]
        figures[f"run_ratio_to_{name}"] = figures["run_events_per_s"] / found["events_per_s"]
    print(
        f"  baseline: {figures['wall_s']:.3f} s, {figures['events']:,} events, "
        f"{figures['events_per_s']:,.0f} events/s",
        flush=True,
    )
    return figures


def grown(axis: str, value: float) -> Scenario:
    """The baseline grown to ``value`` along ``axis``."""
    base = builtin_scenario("baseline")
    if axis == "volume":
        return workloads.more_volume(base, value)
    if axis == "horizon_years":
        return workloads.longer(base, int(value))
    if axis == "producers":
        return workloads.more_producers(base, round(value / len(base.sources)))
    if axis == "markets":
        stores = sum(1 for market in base.markets.values() if market.kind == "store")
        others = len(base.markets) - stores
        return workloads.more_stores(base, round((value - others) / stores))
    raise ValueError(axis)


def exponent(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log y against log x."""
    if len(xs) < 2 or any(y <= 0 for y in ys):
        return math.nan
    slope, _ = np.polyfit(np.log(xs), np.log(ys), 1)
    return float(slope)


def measure_growth(repeat: int, axes: dict[str, list[float]]) -> dict[str, Any]:
    """Wall time, events, lots and memory along each growth axis, with fitted exponents."""
    out: dict[str, Any] = {}
    for axis, values in axes.items():
        points = []
        for value in values:
            scenario = grown(axis, value)
            figures = repeated(model_task(scenario), repeat)
            figures["x"] = value
            points.append(figures)
            print(
                f"  growth {axis}={value:g}: {figures['wall_s']:.2f} s, "
                f"{figures['events']:,} events, {figures['lots']:,} lots, "
                f"{figures['peak_mb']:.0f} MB",
                flush=True,
            )
        xs = [p["x"] for p in points]
        out[axis] = {
            "points": points,
            "exponents": {
                key: exponent(xs, [p[key] for p in points])
                for key in ("wall_s", "events", "lots", "peak_mb", "harvested_kg")
            },
        }
    return out


# --- machine, summary, figure ------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    return {
        "cpu": cpu,
        "usable_cores": cores,
        "load_average_1min_at_start": load,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "simpy": metadata.version("simpy"),
        "numpy": np.__version__,
        "fieldtotable": fieldtotable.__version__,
        "model": model_build(),  # "compiled" (mypyc, hatch_build.py) or "python"
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _fmt(value: float, digits: int = 2) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "n/a"
    return f"{value:,.{digits}f}"


def summary(figures: dict[str, Any]) -> str:
    """The figures as markdown."""
    lines = [f"# fieldtotable performance ({figures['machine']['date']})", ""]
    m = figures["machine"]
    lines += [
        f"Machine: {m['cpu']}, {m['usable_cores']} usable cores (load "
        f"{m['load_average_1min_at_start']:.1f} at start); {m['platform']}; "
        f"Python {m['python']}, SimPy {m['simpy']}, "
        f"NumPy {m['numpy']}; fieldtotable {m['fieldtotable']} "
        f"({m.get('model', 'python')} model). Wall times: median of "
        f"{figures['repeat']} runs, each in a fresh process.",
        "",
    ]
    floors = figures.get("floor")
    if floors:
        lines += ["## Floor: bare SimPy", "", "| workload | events | events/s |", "|---|---:|---:|"]
        for name, found in floors.items():
            lines.append(f"| {name} | {found['events']:,} | {found['events_per_s']:,.0f} |")
        lines.append("")
    base = figures.get("baseline")
    if base:
        lines += [
            "## Baseline year (built-in 2023 baseline, seed 0)",
            "",
            "| wall s | build s | run s | events | events/s | lots | peak MB |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {base['wall_s']:.3f} | {base['build_s']:.3f} | {base['run_s']:.3f} | "
            f"{base['events']:,} | {base['events_per_s']:,.0f} | {base['lots']:,} | "
            f"{base['peak_mb']:.1f} |",
            "",
        ]
        for name in floors or {}:
            lines.append(
                f"- events/s ÷ bare SimPy {name}: **{base[f'ratio_to_{name}']:.3f}** "
                f"(SimPy loop alone, world building left out: {base[f'run_ratio_to_{name}']:.3f})"
            )
        lines.append("")
    growth = figures.get("growth")
    if growth:
        lines += ["## Growth", ""]
        for axis, found in growth.items():
            lines += [
                f"### {axis}",
                "",
                f"| {axis} | wall s | events | lots | peak MB | harvested kg |",
                "|---:|---:|---:|---:|---:|---:|",
            ]
            for p in found["points"]:
                lines.append(
                    f"| {p['x']:g} | {p['wall_s']:.3f} | {p['events']:,} | {p['lots']:,} | "
                    f"{p['peak_mb']:.1f} | {p['harvested_kg']:,.0f} |"
                )
            e = found["exponents"]
            lines += [
                "",
                f"Fitted exponents (cost ~ {axis}^b): wall time {_fmt(e['wall_s'])}, events "
                f"{_fmt(e['events'])}, lots {_fmt(e['lots'])}, peak memory {_fmt(e['peak_mb'])}"
                f" (kilograms: {_fmt(e['harvested_kg'])}).",
                "",
            ]
    lines += fair.summary(figures)
    return "\n".join(lines)


def plot_growth(growth: dict[str, Any], path: Path) -> None:
    """Wall time and peak memory against each growth axis (log-log), as a PNG."""
    from matplotlib.figure import Figure  # noqa: PLC0415 -- headless, object API
    from matplotlib.ticker import NullFormatter, ScalarFormatter  # noqa: PLC0415

    axes_names = list(growth)
    figure = Figure(figsize=(3.2 * len(axes_names), 3.4), layout="constrained")
    panels = figure.subplots(1, len(axes_names), squeeze=False)[0]
    for panel, axis in zip(panels, axes_names, strict=True):
        points = growth[axis]["points"]
        xs = [p["x"] for p in points]
        panel.loglog(xs, [p["wall_s"] for p in points], "o-", label="wall s")
        panel.loglog(xs, [p["events"] / 1e5 for p in points], "s--", label="events / 1e5")
        panel.loglog(xs, [p["lots"] / 1e4 for p in points], "^:", label="lots / 1e4")
        b = growth[axis]["exponents"]["wall_s"]
        panel.set_title(f"{axis} (wall ~ x^{b:.2f})", fontsize=9)
        panel.set_xlabel(axis)
        panel.set_xticks(xs, [f"{x:g}" for x in xs])
        panel.xaxis.set_minor_formatter(NullFormatter())
        panel.yaxis.set_major_formatter(ScalarFormatter())
        panel.yaxis.set_minor_formatter(NullFormatter())
        panel.grid(visible=True, which="major", alpha=0.3)
    panels[0].legend(fontsize=7)
    figure.savefig(path, dpi=120)


def main() -> None:
    """Measure, write JSON and markdown, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer points (a smoke run)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per point (median)")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    args = parser.parse_args()
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    warm_up = builtin_scenario("baseline")
    simulate(warm_up.with_horizon(30) if args.quick else warm_up, seed=0)  # imports, caches
    figures: dict[str, Any] = {"machine": machine(), "repeat": args.repeat, "quick": args.quick}
    started = time.perf_counter()
    if "floor" in sections:
        figures["floor"] = measure_floor(max(args.repeat, 3))
    if "baseline" in sections:
        figures["baseline"] = measure_baseline(max(args.repeat, 5), figures.get("floor"))
    if "growth" in sections:
        figures["growth"] = measure_growth(args.repeat, GROWTH_QUICK if args.quick else GROWTH_FULL)
    plan = fair.FairPlan.quick() if args.quick else fair.FairPlan.full()
    if "lean" in sections:
        figures["lean"] = fair.measure_lean(plan)
    if "timeouts" in sections:
        figures["timeouts"] = fair.measure_timeouts(plan)
    if "grid" in sections:
        figures["grid"] = fair.measure_grid(plan)
    figures["total_s"] = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "perf.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    text = summary(figures)
    (args.out / "perf.md").write_text(text + "\n", encoding="utf-8")
    if "growth" in figures:
        plot_growth(figures["growth"], args.out / "growth.png")
    print()
    print(text)
    print(f"written to {args.out} in {figures['total_s']:.0f} s")


if __name__ == "__main__":
    main()
