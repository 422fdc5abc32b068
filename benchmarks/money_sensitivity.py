"""Sensitivity of the 2023 baseline's profit to its least certain cost figures (issue 13).

Usage, from the repository root (about 3 minutes on one core)::

    python benchmarks/money_sensitivity.py

A one-at-a-time study of ``scenarios/baseline_2023.yaml``: each factor of
:data:`FACTORS` is set to its low and its high value with everything else at the
base, and every configuration runs the same 10 replications (seed 0, common random
numbers) with ``fieldtotable.experiment.compare``; profit's change is the paired
difference to the base, replication by replication. The ranges and their sources are
in each factor's ``reason`` and in docs/calibration.md, section 12. Money fields do
not act on the simulation (they price it afterwards), so every configuration moves
the same kg and the differences are exact functions of the activity; their intervals
are narrow because only the activity varies between replications.

Writes ``sensitivity.md`` (the baseline's money with intervals, then the factors'
table) and ``sensitivity.csv`` to ``--out`` (default ``benchmarks/reference/money``);
``--days`` makes a shorter study (the tests use it).
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fieldtotable as ft
from fieldtotable.experiment import compare
from fieldtotable.experiment.compare import ComparisonResult

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "baseline_2023.yaml"
BASE = "base"

OTHER_PRODUCTS = (
    "yak_meat_chilled",
    "yak_meat_frozen",
    "tibetan_chicken_eggs",
    "nixi_chicken",
    "highland_vegetables",
    "lily_bulbs",
    "honey",
    "wine",
)


@dataclass(frozen=True)
class Factor:
    """One uncertain cost figure and its range.

    Attributes
    ----------
    name
        Short identifier (configuration names are ``<name> low`` / ``<name> high``).
    label
        The figure in words, with its unit.
    base, low, high
        The values in words (the scenario's and the range's ends).
    low_overrides, high_overrides
        Field path -> value for the low and high configurations.
    reason
        Where the range comes from.
    """

    name: str
    label: str
    base: str
    low: str
    high: str
    low_overrides: Mapping[str, Any]
    high_overrides: Mapping[str, Any]
    reason: str


def _farm_gate(scenario: ft.Scenario, factor: float) -> dict[str, float]:
    return {
        f"products.{p}.farm_gate_price_cny_per_kg": round(
            scenario.products[p].farm_gate_price_cny_per_kg * factor, 6
        )
        for p in OTHER_PRODUCTS
    }


def factors(scenario: ft.Scenario) -> tuple[Factor, ...]:
    """Return the study's factors for ``scenario`` (the 2023 baseline)."""
    cooling = scenario.finance.cooling
    return (
        Factor(
            "matsutake_farm_gate",
            "matsutake farm-gate price (CNY/kg)",
            "250",
            "200",
            "333",
            {"products.matsutake.farm_gate_price_cny_per_kg": 200.0},
            {"products.matsutake.farm_gate_price_cny_per_kg": 333.0},
            '"Matsutake Shanghai retail/online, peak": Shanghai pays 1.5-2.5 x the origin '
            "price; the model's sale price 500 / 2.5 and / 1.5",
        ),
        Factor(
            "other_farm_gate",
            "farm-gate prices of the other eight products",
            "as calibrated",
            "x 0.8",
            "x 1.2",
            _farm_gate(scenario, 0.8),
            _farm_gate(scenario, 1.2),
            "each is an ESTIMATE ratio of farm-gate to Shanghai price (yak, eggs, chicken, "
            "vegetables, lily, wine) or the low end of an ESTIMATE range (honey 60-100); "
            "+-20 % spans the rows' ranges",
        ),
        Factor(
            "long_haul_per_km",
            "Kunming -> Shanghai truck cost per km (CNY/km)",
            "5.3",
            "4.45",
            "6.15",
            {"legs.kunming_shanghai.cost_cny_per_km": 4.45},
            {"legs.kunming_shanghai.cost_cny_per_km": 6.15},
            '"Reefer FTL Kunming->Shanghai": 11,000-15,000 CNY per truck (diesel, tolls, '
            "two drivers; ESTIMATE): with 500 CNY per trip over 2,356 km, 4.45-6.15 CNY/km",
        ),
        Factor(
            "shop_counter_capital",
            "shop counter capital (CNY per kg of shelf)",
            "100",
            "50",
            "200",
            {"markets.shanghai_store.shelf_capital.price_cny_per_unit": 50.0},
            {"markets.shanghai_store.shelf_capital.price_cny_per_unit": 200.0},
            "no fact row: a 2 m multi-deck chiller (20-30 k CNY) holds 200-300 kg, "
            "67-150 CNY/kg, widened to a factor 2 each way",
        ),
        Factor(
            "online_fixed",
            "online orders' fixed cost (CNY/year)",
            "200,000",
            "100,000",
            "400,000",
            {"markets.online_orders.fixed_cny_per_year": 100_000.0},
            {"markets.online_orders.fixed_cny_per_year": 400_000.0},
            "no fact row: one shop operator at Shanghai wages (~130 k with social "
            "insurance) plus platform fees, a factor 2 each way",
        ),
        Factor(
            "cooling_law",
            "cooling-law coefficients (base load and UA)",
            "0.03 W/kg, 0.005 W/(kg K)",
            "x 0.5",
            "x 6",
            {
                "finance.cooling.base_w_per_kg": cooling.base_w_per_kg * 0.5,
                "finance.cooling.ua_w_per_kg_k": cooling.ua_w_per_kg_k * 0.5,
            },
            {
                "finance.cooling.base_w_per_kg": cooling.base_w_per_kg * 6,
                "finance.cooling.ua_w_per_kg_k": cooling.ua_w_per_kg_k * 6,
            },
            '"Large Shanghai DC" 0.05 to "Small chill room" 0.6 kWh/m3/day at ~200 kg/m3: '
            "0.00025-0.003 kWh/kg/day chilled (base 0.0005 at 5 K)",
        ),
    )


KPIS = (
    "profit_cny",
    "revenue_cny",
    "total_cost_cny",
    "total_cost_per_kg_sold_cny",
    "producer_income_cny",
    "margin_rate",
    "storage_cost_cny",
    "capital_cost_cny",
    "fixed_cost_cny",
    "transport_cost_cny",
    "purchase_cost_cny",
)
"""The KPIs of every configuration."""

BASE_ROWS = (
    ("profit_cny", "`profit_cny` (M CNY)", 1e-6, 2),
    ("revenue_cny", "`revenue_cny` (M CNY)", 1e-6, 2),
    ("total_cost_cny", "`total_cost_cny` (M CNY)", 1e-6, 2),
    ("total_cost_per_kg_sold_cny", "`total_cost_per_kg_sold_cny` (CNY/kg)", 1.0, 2),
    ("producer_income_cny", "`producer_income_cny` (M CNY)", 1e-6, 2),
    ("margin_rate", "`margin_rate` (%)", 100.0, 1),
)
"""The baseline's money rows: KPI, heading, scale, decimals."""


@dataclass(frozen=True)
class SensitivityStudy:
    """The comparison and its factors."""

    result: ComparisonResult
    factors: tuple[Factor, ...]


def run_study(
    n: int = 10,
    seed: int = 0,
    days: int | None = None,
    executor: str = "serial",
    workers: int | None = None,
) -> SensitivityStudy:
    """Run the base and each factor's low and high configuration; see the module docstring."""
    scenario = ft.load_scenario(SCENARIO)
    if days is not None:
        scenario = ft.apply_overrides(scenario, {"horizon_days": days})
    found = factors(scenario)
    configurations = {BASE: scenario}
    for factor in found:
        configurations[f"{factor.name} low"] = ft.apply_overrides(scenario, factor.low_overrides)
        configurations[f"{factor.name} high"] = ft.apply_overrides(scenario, factor.high_overrides)
    result = compare(
        configurations,
        n=n,
        seed=seed,
        baseline=BASE,
        executor=executor,
        workers=workers,
        kpis=KPIS,
        progress=False,
    )
    return SensitivityStudy(result, found)


def _pm(mean: float, half_width: float, scale: float, decimals: int, sign: str = "") -> str:
    return f"{mean * scale:{sign},.{decimals}f} ± {half_width * scale:,.{decimals}f}"


def markdown(study: SensitivityStudy) -> str:
    """Return the baseline's money and the factors' table as Markdown."""
    result = study.result
    base = result.results[BASE].kpis
    lines = ["| KPI | mean ± 95 % CI |", "|---|---:|"]
    for kpi, title, scale, decimals in BASE_ROWS:
        lines.append(f"| {title} | {_pm(base[kpi].mean, base[kpi].half_width, scale, decimals)} |")
    lines += [
        "",
        "| figure | base | low | high | profit change at low (M CNY) "
        "| profit change at high (M CNY) | swing (M CNY) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for factor in study.factors:
        low = result.differences[f"{factor.name} low"]["profit_cny"]
        high = result.differences[f"{factor.name} high"]["profit_cny"]
        lines.append(
            f"| {factor.label} | {factor.base} | {factor.low} | {factor.high} "
            f"| {_pm(low.mean, low.half_width, 1e-6, 3, '+')} "
            f"| {_pm(high.mean, high.half_width, 1e-6, 3, '+')} "
            f"| {abs(high.mean - low.mean) / 1e6:.3f} |"
        )
    lines.append("")
    lines.append(
        f"{result.n} replications per configuration, seed {result.seed}, common random "
        f"numbers; mean ± half-width of the {result.confidence * 100:g} % Student-t "
        "interval; changes are paired differences to the base."
    )
    return "\n".join(lines) + "\n"


def write_csv(study: SensitivityStudy, path: Path) -> None:
    """Write every configuration's KPIs and difference to the base, one row per KPI."""
    result = study.result
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["configuration", "kpi", "mean", "half_width", "difference", "difference_half_width"]
        )
        for name in result.names:
            for kpi in KPIS:
                found = result.results[name].kpis[kpi]
                diff = result.differences.get(name, {}).get(kpi)
                writer.writerow(
                    [
                        name,
                        kpi,
                        found.mean,
                        found.half_width,
                        "" if diff is None else diff.mean,
                        "" if diff is None else diff.half_width,
                    ]
                )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the study, write its table and CSV, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10, help="replications per configuration")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--days", type=int, default=None, help="shorter horizon (tests)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "reference" / "money")
    parser.add_argument("--executor", default="serial", choices=("serial", "process"))
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    study = run_study(args.n, args.seed, args.days, args.executor, args.workers)
    wall = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    table = markdown(study)
    (args.out / "sensitivity.md").write_text(table, encoding="utf-8")
    write_csv(study, args.out / "sensitivity.csv")
    print(table)
    runs = len(study.result.names) * args.n
    print(
        f"{runs} runs in {wall:.0f} s ({args.executor}); Python {platform.python_version()}, "
        f"fieldtotable {ft.__version__}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
