"""Profit against the Shanghai DC's capacity at 5x the 2023 volume (issue 13).

Usage, from the repository root (about 4 minutes on one core)::

    python benchmarks/dc_capacity.py

Sweeps ``hubs.shanghai_dc.storage_kg`` of ``scenarios/scale_5x.yaml`` over
:data:`CAPACITIES_KG` with ``fieldtotable.experiment.sweep`` (10 replications, seed 0,
common random numbers: replication ``i`` of every capacity draws the same harvests,
transit times and demand), and writes to ``--out`` (default
``benchmarks/reference/money``):

* ``dc_capacity.md``: per capacity the mean ± 95 % half-width of profit, sold value,
  spoilage, fill rate, lost sales, the kg that found the DC full, the DC's rent,
  the capital line and the money sunk in spoiled kg, then profit's paired
  difference to the most profitable capacity;
* ``dc_capacity.csv``: the same, one row per capacity and KPI;

and the figure ``--img`` (default ``docs/img/bench-dc-capacity.png``;
``--img ''`` for none). The table and figure in ``docs/benchmarks.md`` come from it.
``--days`` and ``--capacities`` make a shorter study (the tests use them).
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

import fieldtotable as ft
from fieldtotable.experiment import sweep
from fieldtotable.experiment.statistics import Difference, Estimate, paired_difference
from fieldtotable.experiment.sweep import SweepResult

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "scale_5x.yaml"
PATH = "hubs.shanghai_dc.storage_kg"
CAPACITIES_KG = (
    40_000, 60_000, 80_000, 100_000, 120_000, 140_000, 160_000, 200_000, 300_000, 500_000
)  # fmt: skip
"""The grid: half the 2023 DC (80 t) to six times it; dense where the DC stops binding."""

KPIS = (
    "profit_cny",
    "revenue_cny",
    "total_cost_cny",
    "spoilage_rate",
    "fill_rate",
    "lost_sales_kg",
    "sold_kg",
    "storage_cost_cny",
    "capital_cost_cny",
    "spoilage_loss_cny",
    "by_node.shanghai_dc.overflow_kg",
    "by_node.shanghai_dc.peak_stock_kg",
)
"""The KPIs summarised at every capacity."""

COLUMNS = (
    ("profit_cny", "profit (M CNY)", 1e-6, 2),
    ("revenue_cny", "sold value (M CNY)", 1e-6, 1),
    ("spoilage_rate", "spoilage (%)", 100.0, 1),
    ("fill_rate", "fill rate (%)", 100.0, 1),
    ("lost_sales_kg", "lost sales (t)", 1e-3, 0),
    ("by_node.shanghai_dc.overflow_kg", "found the DC full (t)", 1e-3, 0),
    ("spoilage_loss_cny", "sunk in spoiled kg (M CNY)", 1e-6, 1),
    ("capital_cost_cny", "capital (M CNY)", 1e-6, 3),
)
"""Table columns: KPI, heading, scale, decimals."""

TICKS_T = (40, 60, 80, 100, 140, 200, 300, 500)
"""Capacities labelled on the figure's axes, t."""


@dataclass(frozen=True)
class CapacityStudy:
    """The sweep and what the tables need from it.

    Attributes
    ----------
    result
        The sweep (one point per capacity, in :data:`CAPACITIES_KG` order).
    capacities_kg
        The capacities, kg.
    rent_cny
        The DC's rent over the measured days at each capacity (the scenario's
        ``rent_cny_per_kg_year`` x capacity x years; it does not vary between
        replications).
    best
        Index of the capacity with the highest mean profit.
    to_best
        Profit minus the best capacity's, paired replication by replication.
    """

    result: SweepResult
    capacities_kg: tuple[float, ...]
    rent_cny: tuple[float, ...]
    best: int
    to_best: tuple[Difference, ...]

    def estimate(self, index: int, kpi: str) -> Estimate:
        """Return the estimate of ``kpi`` at capacity number ``index``."""
        return self.result.points[index].result.kpis[kpi]


def run_study(
    n: int = 10,
    seed: int = 0,
    capacities_kg: Sequence[float] = CAPACITIES_KG,
    days: int | None = None,
    executor: str = "serial",
    workers: int | None = None,
) -> CapacityStudy:
    """Sweep the Shanghai DC's capacity of ``scale_5x.yaml``; see the module docstring."""
    scenario = ft.load_scenario(SCENARIO)
    if days is not None:
        scenario = ft.apply_overrides(scenario, {"horizon_days": days})
    result = sweep(
        scenario,
        {PATH: list(capacities_kg)},
        n=n,
        seed=seed,
        executor=executor,
        workers=workers,
        kpis=KPIS,
        progress=False,
    )
    years = (scenario.horizon_days - scenario.warmup_days) / 365.0
    rent = scenario.hubs["shanghai_dc"].rent_cny_per_kg_year
    profits = [point.result.values["profit_cny"] for point in result.points]
    means = [point.result.kpis["profit_cny"].mean for point in result.points]
    best = max(range(len(means)), key=means.__getitem__)
    return CapacityStudy(
        result=result,
        capacities_kg=tuple(float(c) for c in capacities_kg),
        rent_cny=tuple(rent * float(c) * years for c in capacities_kg),
        best=best,
        to_best=tuple(paired_difference(values, profits[best]) for values in profits),
    )


def _pm(estimate: Estimate | Difference, scale: float, decimals: int, sign: str = "") -> str:
    mean, half = estimate.mean * scale, estimate.half_width * scale
    return f"{mean:{sign},.{decimals}f} ± {half:,.{decimals}f}"


def markdown(study: CapacityStudy) -> str:
    """Return the study's table as Markdown (the one in docs/benchmarks.md)."""
    head = ["DC capacity (t)", *(title for _, title, _, _ in COLUMNS), "DC rent (M CNY)"]
    head.append("profit \u2212 best (M CNY, paired)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for index, capacity in enumerate(study.capacities_kg):
        cells = [f"{capacity / 1000:,.0f}"]
        cells += [_pm(study.estimate(index, k), s, d) for k, _, s, d in COLUMNS]
        cells.append(f"{study.rent_cny[index] / 1e6:.3f}")
        cells.append("**best**" if index == study.best else _pm(study.to_best[index], 1e-6, 2, "+"))
        lines.append("| " + " | ".join(cells) + " |")
    result = study.result
    lines.append("")
    lines.append(
        f"{result.n} replications per capacity, seed {result.seed}, common random numbers; "
        f"mean ± half-width of the {result.confidence * 100:g} % Student-t interval."
    )
    return "\n".join(lines) + "\n"


def write_csv(study: CapacityStudy, path: Path) -> None:
    """Write one row per capacity and KPI (mean, half-width, low, high) to ``path``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["capacity_kg", "kpi", "mean", "half_width", "low", "high"])
        for index, capacity in enumerate(study.capacities_kg):
            for kpi in KPIS:
                found = study.estimate(index, kpi)
                writer.writerow(
                    [capacity, kpi, found.mean, found.half_width, found.low, found.high]
                )
            writer.writerow([capacity, "dc_rent_cny", study.rent_cny[index], 0.0, "", ""])
            diff = study.to_best[index]
            writer.writerow(
                [capacity, "profit_minus_best_cny", diff.mean, diff.half_width, diff.low, diff.high]
            )


def figure(study: CapacityStudy, path: Path) -> None:
    """Draw profit, its paired difference to the best capacity, spoilage and fill rate."""
    tonnes = [c / 1000 for c in study.capacities_kg]
    count = len(tonnes)
    ticks = [t for t in tonnes if t in TICKS_T] or tonnes
    fig = Figure(figsize=(13, 3.8), layout="constrained")
    left, middle, right = fig.subplots(1, 3)
    profit = [study.estimate(i, "profit_cny") for i in range(count)]
    left.errorbar(
        tonnes,
        [p.mean / 1e6 for p in profit],
        yerr=[p.half_width / 1e6 for p in profit],
        marker="o",
        capsize=3,
    )
    left.set_ylabel("profit (M CNY a year)")
    left.set_title("Profit at 5x volume (mean ± 95 % CI)")
    diff = study.to_best
    middle.errorbar(
        tonnes,
        [d.mean / 1e6 for d in diff],
        yerr=[d.half_width / 1e6 for d in diff],
        marker="o",
        capsize=3,
        color="tab:green",
    )
    rent = [(r - study.rent_cny[study.best]) / 1e6 for r in study.rent_cny]
    middle.plot(tonnes, [-r for r in rent], linestyle="--", color="grey", label="- extra DC rent")
    middle.set_ylim(-2.0, 0.3)
    middle.axhline(0, color="black", linewidth=0.5)
    middle.set_ylabel("profit - best capacity's (M CNY, paired)")
    middle.set_title("Paired difference to the best (zoomed)")
    middle.legend(loc="lower right")
    for kpi, label in (("spoilage_rate", "spoilage"), ("fill_rate", "fill rate")):
        found = [study.estimate(i, kpi) for i in range(count)]
        right.errorbar(
            tonnes,
            [f.mean * 100 for f in found],
            yerr=[f.half_width * 100 for f in found],
            marker="o",
            capsize=3,
            label=label,
        )
    right.set_ylabel("%")
    right.set_title("Spoilage and fill rate")
    right.legend(loc="center right")
    for axes in (left, middle, right):
        axes.axvline(80, color="grey", linestyle=":", label="2023 DC (80 t)")
        axes.set_xscale("log")
        axes.set_xticks(ticks, [f"{t:g}" for t in ticks])
        axes.minorticks_off()
        axes.set_xlabel("Shanghai DC capacity (t, log scale)")
    left.legend(loc="lower right")
    fig.savefig(path, dpi=80)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the study and write its table, CSV and figure; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10, help="replications per capacity")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--days", type=int, default=None, help="shorter horizon (tests)")
    parser.add_argument(
        "--capacities", default=",".join(str(c) for c in CAPACITIES_KG), help="kg, comma-separated"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "reference" / "money")
    parser.add_argument("--img", default=str(ROOT / "docs" / "img" / "bench-dc-capacity.png"))
    parser.add_argument("--executor", default="serial", choices=("serial", "process"))
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    capacities = [float(c) for c in args.capacities.split(",")]
    started = time.perf_counter()
    study = run_study(args.n, args.seed, capacities, args.days, args.executor, args.workers)
    wall = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    table = markdown(study)
    (args.out / "dc_capacity.md").write_text(table, encoding="utf-8")
    write_csv(study, args.out / "dc_capacity.csv")
    if args.img:
        figure(study, Path(args.img))
    print(table)
    runs = len(capacities) * args.n
    print(
        f"{runs} runs in {wall:.0f} s ({args.executor}); Python {platform.python_version()}, "
        f"fieldtotable {ft.__version__}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
