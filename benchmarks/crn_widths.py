"""Half-widths of KPI differences with and without common random numbers.

Run from the repository root (about 30 s on one core)::

    python benchmarks/crn_widths.py

For each pair of configurations it runs ``compare`` (common random numbers, seed 0)
and then each side on its own with independent seeds (0 and 1), and prints the 95 %
half-width of the difference both ways. The independent interval is the same Student-t
interval applied to the runs side by side, as in ``tests/experiment/test_validity.py``.
The table in ``docs/explanation/randomness.md`` comes from this script.
"""

from __future__ import annotations

from pathlib import Path

import fieldtotable as ft
from fieldtotable.experiment import compare, replicate
from fieldtotable.experiment.statistics import paired_difference

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
KPIS = ("spoiled_kg", "sold_kg", "spoilage_rate", "fill_rate")


def widths(label: str, base: ft.Scenario, variant: ft.Scenario, replications: int) -> None:
    """Print the CRN and independent half-widths of ``variant - base`` for each KPI."""
    paired = compare(
        {"base": base, "variant": variant},
        n=replications,
        seed=0,
        executor="serial",
        progress=False,
        kpis=KPIS,
    )
    base_alone = replicate(
        base, n=replications, seed=0, executor="serial", progress=False, kpis=KPIS
    )
    variant_alone = replicate(
        variant, n=replications, seed=1, executor="serial", progress=False, kpis=KPIS
    )
    for kpi in KPIS:
        crn = paired.differences["variant"][kpi]
        independent = paired_difference(variant_alone.values[kpi], base_alone.values[kpi])
        # Identical runs on both sides give a paired interval of width 0.
        ratio = independent.half_width / crn.half_width if crn.half_width else float("inf")
        print(
            f"{label:<32} {kpi:<14} n={replications:<3}"
            f" CRN {crn.mean:+.4g} ± {crn.half_width:.4g}"
            f" | independent {independent.mean:+.4g} ± {independent.half_width:.4g}"
            f" | ratio {ratio:.1f}"
        )


def main() -> None:
    """Measure the pairs quoted in the documentation."""
    baseline = ft.load_scenario(SCENARIOS / "baseline_2023.yaml")
    fifo = ft.load_scenario(SCENARIOS / "fifo_store.yaml")
    widths("baseline vs fifo_store", baseline, fifo, 10)
    minimal = ft.load_scenario(SCENARIOS / "minimal.yaml")
    three_trucks = ft.apply_overrides(minimal, {"legs.shangrila_shanghai.fleet": 3})
    widths("minimal, fleet 5 -> 3", minimal, three_trucks, 20)
    minimal_fifo = ft.apply_overrides(minimal, {"markets.shanghai_store.issuing": "FIFO"})
    widths("minimal, FEFO -> FIFO", minimal, minimal_fifo, 10)


if __name__ == "__main__":
    main()
