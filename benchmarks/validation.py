"""Every model-against-theory check of docs/validation/, at full size, with figures.

Usage (about a minute on 2 cores)::

    python benchmarks/validation.py [--out-json benchmarks/reference/validation.json]
                                    [--img-dir docs/img]

Runs the checks whose smaller versions are the tests of ``tests/validation/`` (and
uses their helper modules, so the numbers come from the same code):

* queueing: the pre-cooling M/M/1 and M/M/2 stations against Erlang C (30 replications);
* Little's law at the Shanghai DC of the 2023 baseline (10 one-year runs);
* kinetics under step temperature profiles, functions and simulated channel;
* FEFO against FIFO: the weekly-stocked DC chain, its stock-depth sensitivity with
  the calibrated hidden shelf-life CV (0.25) and with CV 0 (lots differ only by their
  temperature history), its sensitivity to that CV (0 .. 0.25) with the weekly truck
  (30 replications each, one seed, so common random numbers throughout), the first
  (shallow-stock) chain (30) and the baseline (10 one-year replications).

Writes ``validation-queueing.png``, ``validation-littles-law.png``,
``validation-kinetics.png`` and ``validation-fefo-fifo.png`` to ``--img-dir`` and the
numbers to ``--out-json``; prints a summary.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "validation"))

from dc_probe import observe_hub  # noqa: E402
from fefo_fifo import (  # noqa: E402
    BAND_PP,
    CALIBRATED_SHELF_LIFE_CV,
    CHAIN,
    DC_STOCK_CHAIN,
    LITERATURE_PP,
    SHELF_LIFE_CVS,
    STOCK_DEPTHS_D,
    WEEKLY_D,
    IssuingComparison,
    compare_issuing,
    saving_slope_per_unit_cv,
    with_stock_depth,
)
from mmc_station import ARRIVAL_RATE_PER_H, UTILISATION, erlang_c, simulate_station  # noqa: E402
from step_profiles import (  # noqa: E402
    ARRHENIUS_PRODUCT,
    BRIEF_HISTORY,
    CHANNEL,
    CHANNEL_HISTORY,
    CHANNEL_SALE_TEMP_C,
    Q10_PRODUCT,
    consumed,
    cyclic_abuse_loss_days,
    expiry_hour,
    remaining_days,
)

import fieldtotable as ft  # noqa: E402
from fieldtotable.model.world import World  # noqa: E402

DPI = 110
MEASURES = ("mean_wait_h", "utilisation", "mean_in_queue", "mean_in_system")
MEASURE_LABELS = ("wait Wq (h)", "utilisation ρ", "queued Lq", "in station L")  # noqa: RUF001


def interval(values: np.ndarray) -> tuple[float, float]:
    """Mean and half-width of the 95 % Student-t interval."""
    n = len(values)
    return float(values.mean()), float(
        stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n)
    )


# -- queueing ---------------------------------------------------------------------------
def queueing(replications: int = 30) -> dict[str, Any]:
    out: dict[str, Any] = {"replications": replications, "stations": {}}
    for servers in (1, 2):
        service_mean = UTILISATION * servers / ARRIVAL_RATE_PER_H
        theory = erlang_c(ARRIVAL_RATE_PER_H, service_mean, servers)
        runs = [simulate_station(servers, service_mean, seed) for seed in range(replications)]
        rows = {}
        for measure in MEASURES:
            mean, half = interval(np.array([getattr(run, measure) for run in runs]))
            expected = getattr(theory, measure)
            rows[measure] = {
                "theory": expected,
                "model_mean": mean,
                "half_width": half,
                "relative_error": (mean - expected) / expected,
                "theory_inside_interval": abs(mean - expected) <= half,
            }
        out["stations"][f"M/M/{servers}"] = rows
    return out


def queueing_figure(numbers: dict[str, Any], path: Path) -> None:
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.add_subplot()
    for offset, (name, rows) in zip((-0.12, 0.12), numbers["stations"].items(), strict=True):
        ratios = [rows[m]["model_mean"] / rows[m]["theory"] for m in MEASURES]
        errors = [rows[m]["half_width"] / rows[m]["theory"] for m in MEASURES]
        ax.errorbar(
            np.arange(len(MEASURES)) + offset, ratios, yerr=errors, fmt="o", capsize=4, label=name
        )
    ax.axhline(1.0, color="grey", lw=1)
    ax.set_xticks(range(len(MEASURES)), MEASURE_LABELS)
    ax.set_ylabel("model / Erlang C")
    ax.set_ylim(0.9, 1.1)
    ax.set_title(
        f"Pre-cooling station, ρ = {UTILISATION}: model mean ± 95 % CI "  # noqa: RUF001
        f"({numbers['replications']} replications)",
        fontsize=10,
    )
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)


# -- Little's law -----------------------------------------------------------------------
def littles_law(seeds: int = 10) -> dict[str, Any]:
    scenario = ft.builtin_scenario("baseline")
    rows = []
    for seed in range(seeds):
        seen = observe_hub(scenario, seed)
        end_a, end_b = seen.end_terms
        rows.append(
            {
                "seed": seed,
                "L_kg": seen.mean_stock_kg,
                "lambda_kg_per_h": seen.arrival_rate_kg_per_h,
                "W_h": seen.mean_sojourn_h,
                "lambda_W_kg": seen.little_product_kg,
                "relative_gap": seen.relative_gap,
                "end_term_stock": end_a,
                "end_term_arrivals": end_b,
                "sample_path_L_kg": seen.sample_path_stock_kg,
                "sample_path_relative_gap": seen.sample_path_stock_kg / seen.mean_stock_kg - 1,
                "arrived_kg": seen.arrived_kg,
                "stock_end_kg": seen.stock_end_kg,
            }
        )
    gaps = np.array([row["relative_gap"] for row in rows])
    return {
        "hub": "shanghai_dc",
        "scenario": "baseline (built in), one year",
        "seeds": seeds,
        "tolerance": 0.02,
        "runs": rows,
        "max_abs_relative_gap": float(np.abs(gaps).max()),
        "mean_relative_gap": float(gaps.mean()),
        "max_abs_sample_path_gap": float(max(abs(row["sample_path_relative_gap"]) for row in rows)),
    }


def littles_law_figure(numbers: dict[str, Any], path: Path) -> None:
    fig = Figure(figsize=(7.5, 3.2))
    left, right = fig.subplots(1, 2)
    rows = numbers["runs"]
    lengths = [row["L_kg"] / 1000 for row in rows]
    products = [row["lambda_W_kg"] / 1000 for row in rows]
    left.plot(lengths, products, "o")
    low, high = min(lengths) * 0.95, max(lengths) * 1.05
    left.plot([low, high], [low, high], color="grey", lw=1)
    left.set_xlabel("L: time-average stock (t)")
    left.set_ylabel("λ × W (t)")  # noqa: RUF001
    left.set_title("Shanghai DC, 10 one-year runs", fontsize=10)
    seeds = [row["seed"] for row in rows]
    right.bar(seeds, [100 * row["relative_gap"] for row in rows], label="(L − λW) / L")  # noqa: RUF001
    right.plot(seeds, [100 * row["end_term_stock"] for row in rows], "v", label="end term A")
    right.plot(seeds, [100 * row["end_term_arrivals"] for row in rows], "^", label="end term B")
    right.axhline(2, color="grey", ls="--", lw=1)
    right.axhline(-2, color="grey", ls="--", lw=1)
    right.set_xlabel("seed")
    right.set_ylabel("% of L")
    right.set_title("gap, tolerance ±2 %", fontsize=10)
    right.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)


# -- kinetics ---------------------------------------------------------------------------
PRODUCTS = {"q10_product": Q10_PRODUCT, "arrhenius_product": ARRHENIUS_PRODUCT}


def kinetics() -> dict[str, Any]:
    from fieldtotable.kinetics import advance_consumed, remaining_shelf_life_days  # noqa: PLC0415

    out: dict[str, Any] = {"brief_history": BRIEF_HISTORY, "channel_history": CHANNEL_HISTORY}
    scenario = ft.load_scenario(CHANNEL)
    result = ft.simulate(scenario, seed=0)
    world = World(scenario, 0, record_flows=True)  # the per-sale records
    world.run()
    for name, product in PRODUCTS.items():
        law = {k: product[k] for k in ("q10", "activation_energy_kj_mol") if k in product}
        used = advance_consumed(
            0.0,
            [h for h, _ in BRIEF_HISTORY],
            [t for _, t in BRIEF_HISTORY],
            shelf_life_ref_days=product["shelf_life_days"],
            ref_temp_c=product["ref_temp_c"],
            **law,
        )
        left = remaining_shelf_life_days(
            used, 2.0, shelf_life_ref_days=product["shelf_life_days"], ref_temp_c=2.0, **law
        )
        index = world.product_ids.index(name)
        sales = [sale[3] for sale in world.ledger.sales if sale[1] == index]
        expected_sale = remaining_days(CHANNEL_HISTORY, CHANNEL_SALE_TEMP_C, product)
        short = {**product, "shelf_life_days": 3.0}
        short_world = World(
            ft.apply_overrides(scenario, {f"products.{name}.shelf_life_days": 3.0}),
            0,
            record_flows=True,
        )
        short_world.run()
        harvests = {
            f.lot: f.time_h
            for f in short_world.ledger.flows
            if f.kind == "harvest" and f.product == name
        }
        spoil_ages = [
            f.time_h - harvests[f.lot]
            for f in short_world.ledger.flows
            if f.kind == "spoil" and f.product == name
        ]
        expected_expiry = expiry_hour(CHANNEL_HISTORY, short)
        out[name] = {
            "law": law,
            "functions": {
                "consumed_closed_form": consumed(BRIEF_HISTORY, product),
                "consumed_model": used,
                "remaining_at_2c_d_closed_form": remaining_days(BRIEF_HISTORY, 2.0, product),
                "remaining_at_2c_d_model": left,
            },
            "channel": {
                "remaining_at_sale_d_closed_form": expected_sale,
                "remaining_at_sale_d_model_kpi": result.by_product[name][
                    "mean_remaining_shelf_life_at_sale_d"
                ],
                "sales": len(sales),
                "max_relative_error_per_sale": max(abs(s / expected_sale - 1) for s in sales),
            },
            "spoilage_3d_shelf_life": {
                "expiry_h_after_harvest_closed_form": expected_expiry,
                "lots_spoiled": len(spoil_ages),
                "max_abs_error_h": max(abs(a - expected_expiry) for a in spoil_ages),
            },
        }
    chicken = ft.builtin_scenario("baseline").products["nixi_chicken"]
    out["herron_cyclic_abuse"] = {
        "product": "nixi_chicken (baseline)",
        "shelf_life_days": chicken.shelf_life_days,
        "ref_temp_c": chicken.ref_temp_c,
        "q10": chicken.q10,
        "loss_days_model": cyclic_abuse_loss_days(
            {
                "shelf_life_days": chicken.shelf_life_days,
                "ref_temp_c": chicken.ref_temp_c,
                "q10": float(chicken.q10 or 0),
            }
        ),
        "loss_days_literature": [1.5, 2.25],
    }
    return out


def kinetics_figure(numbers: dict[str, Any], path: Path) -> None:
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.add_subplot()
    edges = np.cumsum([0.0, *[h for h, _ in CHANNEL_HISTORY]])
    for name, product in PRODUCTS.items():
        times = np.linspace(0, edges[-1], 400)
        fractions = []
        for t in times:
            history = []
            for (hours, temp), start in zip(CHANNEL_HISTORY, edges[:-1], strict=True):
                if t > start:
                    history.append((min(hours, t - start), temp))
            fractions.append(consumed(history, product))
        (line,) = ax.plot(times, fractions, label=f"{name}: closed form")
        sale = numbers[name]["channel"]["remaining_at_sale_d_model_kpi"]
        f_sale = 1 - sale / remaining_days([], CHANNEL_SALE_TEMP_C, product)
        ax.plot([edges[-1]], [f_sale], "o", color=line.get_color(), label=f"{name}: simulated sale")
    for (_hours, temp), start, end in zip(CHANNEL_HISTORY, edges[:-1], edges[1:], strict=True):
        ax.text((start + end) / 2, 0.03, f"{temp:g} °C", ha="center", fontsize=8)
        ax.axvline(end, color="grey", lw=0.5)
    ax.set_xlabel("hours after harvest")
    ax.set_ylabel("fraction of shelf life consumed")
    ax.set_title("Step temperature channel: field, cold room, reefer, DC", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)


# -- FEFO against FIFO -------------------------------------------------------------------
def band_exit_cv(rows: list[dict[str, Any]]) -> float | None:
    """The CV where the mean saving falls below the band, interpolated linearly."""
    for inside, below in itertools.pairwise(rows):
        if inside["reduction_pp"] >= BAND_PP[0] > below["reduction_pp"]:
            share = (inside["reduction_pp"] - BAND_PP[0]) / (
                inside["reduction_pp"] - below["reduction_pp"]
            )
            return float(
                inside["shelf_life_cv"] + share * (below["shelf_life_cv"] - inside["shelf_life_cv"])
            )
    return None


def fefo_fifo(chain_n: int = 30, baseline_n: int = 10) -> dict[str, Any]:
    dc_chain = ft.load_scenario(DC_STOCK_CHAIN)
    runs: dict[tuple[float, float], IssuingComparison] = {}

    def dc_stock(days: float, shelf_life_cv: float) -> IssuingComparison:
        if (days, shelf_life_cv) not in runs:
            scenario = with_stock_depth(dc_chain, days, shelf_life_cv)
            runs[days, shelf_life_cv] = compare_issuing(scenario, chain_n)
        return runs[days, shelf_life_cv]

    depth = [
        {"truck_interval_d": days, "shelf_life_cv": shelf_life_cv,
         "exact_prediction": shelf_life_cv == 0.0, **dc_stock(days, shelf_life_cv).summary()}
        for shelf_life_cv in (CALIBRATED_SHELF_LIFE_CV, 0.0)
        for days in STOCK_DEPTHS_D
    ]  # fmt: skip
    spread_rows = [
        {"shelf_life_cv": cv, **dc_stock(WEEKLY_D, cv).summary()} for cv in SHELF_LIFE_CVS
    ]
    slope = saving_slope_per_unit_cv([(cv, dc_stock(WEEKLY_D, cv)) for cv in SHELF_LIFE_CVS])
    main_case = dc_stock(WEEKLY_D, CALIBRATED_SHELF_LIFE_CV).summary()
    premise_case = dc_stock(WEEKLY_D, 0.0).summary()
    shallow = compare_issuing(ft.load_scenario(CHAIN), chain_n)
    baseline = compare_issuing(ft.builtin_scenario("baseline"), baseline_n)
    return {
        "literature_pp": LITERATURE_PP,
        "band_pp": BAND_PP,
        "dc_stock_chain": main_case,
        "dc_stock_chain_premise": premise_case,
        "stock_depth": depth,
        "shelf_life_cv_sensitivity": {
            "truck_interval_d": WEEKLY_D,
            "rows": spread_rows,
            "slope_pp_per_unit_cv": slope.to_dict(),
            "mean_in_band_up_to_cv": max(
                (row["shelf_life_cv"] for row in spread_rows if row["reduction_pp"] >= BAND_PP[0]),
                default=None,
            ),
            "interval_in_band_up_to_cv": max(
                (
                    row["shelf_life_cv"]
                    for row in spread_rows
                    if row["reduction_pp"] - row["half_width_pp"] >= BAND_PP[0]
                ),
                default=None,
            ),
            "band_exit_cv_interpolated": band_exit_cv(spread_rows),
        },
        "shallow_chain": shallow.summary(),
        "baseline": baseline.summary(),
        "dc_stock_chain_in_band": BAND_PP[0] <= main_case["reduction_pp"] <= BAND_PP[1],
        "dc_stock_chain_premise_in_band": BAND_PP[0]
        <= premise_case["reduction_pp"] - premise_case["half_width_pp"]
        and premise_case["reduction_pp"] + premise_case["half_width_pp"] <= BAND_PP[1],
    }


def shade_band(ax: Any, numbers: dict[str, Any]) -> None:
    """The order-of-magnitude band and the literature's range, as horizontal strips."""
    ax.axhspan(*numbers["band_pp"], color="0.92", label="order-of-magnitude band, 2.7–42")  # noqa: RUF001
    ax.axhspan(*numbers["literature_pp"], color="0.8", label="Jedermann et al.: 8–14 %")  # noqa: RUF001
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(-0.5, 60)


def fefo_figure(numbers: dict[str, Any], path: Path) -> None:
    fig = Figure(figsize=(9.5, 4.6))
    depth_ax, spread_ax = fig.subplots(1, 2, sharey=True, width_ratios=(1.25, 1))
    shade_band(depth_ax, numbers)
    for exact, label, colour, shift in (
        (False, f"weekly-stocked DC chain, CV {CALIBRATED_SHELF_LIFE_CV:g} (calibrated)", "C0",
         -0.06),
        (True, "same, CV 0 (lots differ only by temperature history)", "C1", 0.06),
    ):  # fmt: skip
        rows = [row for row in numbers["stock_depth"] if row["exact_prediction"] == exact]
        depth_ax.errorbar(
            [row["truck_interval_d"] + shift for row in rows],
            [row["reduction_pp"] for row in rows],
            yerr=[row["half_width_pp"] for row in rows],
            fmt="o-", capsize=3, color=colour, label=label,
        )  # fmt: skip
    for key, label, marker in (
        ("shallow_chain", "first chain (< 1 d of stock)", "s"),
        ("baseline", "2023 baseline", "^"),
    ):
        depth_ax.errorbar(
            [0.4], [numbers[key]["reduction_pp"]], yerr=[numbers[key]["half_width_pp"]],
            fmt=marker, capsize=3, color="0.3" if key == "baseline" else "C2", label=label,
        )  # fmt: skip
    depth_ax.set_xlabel("days of supply per long-haul truck\n(stock depth at the DC)")
    depth_ax.set_ylabel("FIFO − FEFO spoilage (points of volume)")  # noqa: RUF001
    depth_ax.set_title("against stock depth", fontsize=10)
    shade_band(spread_ax, numbers)
    sensitivity = numbers["shelf_life_cv_sensitivity"]
    rows = sensitivity["rows"]
    spread_ax.errorbar(
        [row["shelf_life_cv"] for row in rows],
        [row["reduction_pp"] for row in rows],
        yerr=[row["half_width_pp"] for row in rows],
        fmt="D-", capsize=3, color="C3",
    )  # fmt: skip
    spread_ax.axvline(CALIBRATED_SHELF_LIFE_CV, color="C0", ls=":", lw=1)
    spread_ax.annotate(
        "calibrated CV\n(unsourced)", (CALIBRATED_SHELF_LIFE_CV, -0.3), ha="right",
        fontsize=8, xytext=(-4, 0), textcoords="offset points",
    )  # fmt: skip
    spread_ax.set_xlabel("lot-to-lot shelf-life CV, hidden from FEFO\n(7 days of supply per truck)")
    spread_ax.set_title("weekly-stocked DC chain, against the hidden spread", fontsize=10)
    fig.suptitle("Waste saved by FEFO, mean ± 95 % CI (common random numbers)", fontsize=10)
    handles, labels = depth_ax.get_legend_handles_labels()
    fig.legend(handles, labels, frameon=False, fontsize=7, loc="lower center", ncol=3)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    fig.savefig(path, dpi=DPI)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/validation.py")
    parser.add_argument(
        "--out-json", type=Path, default=ROOT / "benchmarks/reference/validation.json"
    )
    parser.add_argument("--img-dir", type=Path, default=ROOT / "docs/img")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    numbers: dict[str, Any] = {}
    timings: dict[str, float] = {}
    steps = (
        ("queueing", queueing, queueing_figure),
        ("littles_law", littles_law, littles_law_figure),
        ("kinetics", kinetics, kinetics_figure),
        ("fefo_fifo", fefo_fifo, fefo_figure),
    )
    args.img_dir.mkdir(parents=True, exist_ok=True)
    for name, run, draw in steps:
        began = time.perf_counter()
        numbers[name] = run()
        timings[name] = time.perf_counter() - began
        draw(numbers[name], args.img_dir / f"validation-{name.replace('_', '-')}.png")
        print(f"{name}: {timings[name]:.1f} s", flush=True)
    numbers["run"] = {
        "command": "python benchmarks/validation.py",
        "wall_time_s": time.perf_counter() - started,
        "seconds_by_check": timings,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "fieldtotable": ft.__version__,
    }
    args.out_json.parent.mkdir(parents=True, exist_ok=True)
    args.out_json.write_text(json.dumps(numbers, indent=2, default=float) + "\n", encoding="utf-8")
    print(json.dumps(numbers, indent=1, default=float)[:4000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
