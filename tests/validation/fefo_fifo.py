"""FEFO against FIFO issuing, with common random numbers: the waste saved, in % of volume.

Used by ``test_fefo_fifo_literature.py`` and ``benchmarks/validation.py``. The waste
reduction is the paired difference of the spoilage rate (spoiled kg / harvested kg)
between FIFO and FEFO, replication by replication, in percentage points of the
volume: the unit of the literature's "8-14 % of the transported volume".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import fieldtotable as ft
from fieldtotable.experiment.statistics import Estimate, estimate

DATA = Path(__file__).resolve().parent / "data"
#: The literature's setting: a DC stocked with a week's supply at a time (main case).
DC_STOCK_CHAIN = DATA / "fefo_dc_stock_chain.yaml"
#: The first chain: heterogeneous matsutake lots, less than a day of stock at the DC.
CHAIN = DATA / "fefo_heterogeneous_chain.yaml"
#: The long-haul leg of ``DC_STOCK_CHAIN`` whose run interval sets the DC's stock depth.
LONG_HAUL = "shangrila_shanghai"
#: Truck intervals (days of supply per delivery) of the stock-depth sensitivity.
STOCK_DEPTHS_D = (1.0, 2.0, 3.5, 5.0, 7.0)
#: The weekly truck of the main case: the DC receives a week's supply at a time.
WEEKLY_D = 7.0
#: The lots' hidden shelf-life spread of the 2023 baseline's vegetables: an unsourced
#: estimate in docs/calibration.md ("a mix of leafy greens, field-to-field variation").
CALIBRATED_SHELF_LIFE_CV = 0.25
#: Hidden shelf-life spreads of the sensitivity at the weekly-stocked DC: from 0 (lots
#: differ only by their temperature history, the literature's premise) to the
#: calibrated estimate.
SHELF_LIFE_CVS = (0.0, 0.05, 0.1, 0.15, CALIBRATED_SHELF_LIFE_CV)
#: Jedermann et al. (via domain-facts.md): FEFO cut losses by 8-14 % of the volume.
LITERATURE_PP = (8.0, 14.0)
#: The same order of magnitude: within a factor 3 (about sqrt(10)) of either end.
ORDER_OF_MAGNITUDE_FACTOR = 3.0
BAND_PP = (
    LITERATURE_PP[0] / ORDER_OF_MAGNITUDE_FACTOR,
    LITERATURE_PP[1] * ORDER_OF_MAGNITUDE_FACTOR,
)


@dataclass(frozen=True)
class IssuingComparison:
    """FEFO and FIFO on the same replications.

    Attributes
    ----------
    n
        Replications of each policy.
    fefo_spoilage_pct, fifo_spoilage_pct
        Mean spoilage rate of each policy, % of the kg harvested.
    reduction_pp, half_width_pp
        Mean paired difference FIFO - FEFO, percentage points of the kg harvested,
        and the half-width of its 95 % interval.
    relative_pct
        The reduction as a share of FIFO's waste, %.
    fefo_fill_rate_pct, fifo_fill_rate_pct
        Mean fill rate of each policy, %.
    reductions_pp
        The reduction in each replication ``0 .. n-1``, percentage points.
    """

    n: int
    fefo_spoilage_pct: float
    fifo_spoilage_pct: float
    reduction_pp: float
    half_width_pp: float
    relative_pct: float
    fefo_fill_rate_pct: float
    fifo_fill_rate_pct: float
    reductions_pp: tuple[float, ...] = field(default=(), repr=False)

    @property
    def interval_pp(self) -> tuple[float, float]:
        """The 95 % interval of the reduction, percentage points."""
        return self.reduction_pp - self.half_width_pp, self.reduction_pp + self.half_width_pp

    def summary(self) -> dict[str, float]:
        """Every field but the per-replication reductions, for a JSON record."""
        return {name: value for name, value in self.__dict__.items() if name != "reductions_pp"}


def with_issuing(scenario: ft.Scenario, issuing: str) -> ft.Scenario:
    """``scenario`` with every market (store and order streams) issuing ``issuing``."""
    return ft.apply_overrides(
        scenario, {f"markets.{market}.issuing": issuing for market in scenario.markets}
    )


def with_stock_depth(
    scenario: ft.Scenario, interval_days: float, shelf_life_cv: float | None = None
) -> ft.Scenario:
    """``DC_STOCK_CHAIN`` with its long-haul truck every ``interval_days``.

    The truck leaves when the oldest cargo has waited ``interval_days`` (its 15 t load
    is never reached), so the DC receives that many days of supply at a time.
    ``shelf_life_cv``, if given, replaces the lots' hidden shelf-life variability of
    every product (0: FEFO's prediction is exact).
    """
    changes: dict[str, float] = {f"legs.{LONG_HAUL}.dispatch.max_wait_h": 24 * interval_days}
    if shelf_life_cv is not None:
        changes.update(
            {f"products.{product}.shelf_life_cv": shelf_life_cv for product in scenario.products}
        )
    return ft.apply_overrides(scenario, changes)


def compare_issuing(
    scenario: ft.Scenario, n: int, seed: int = 0, executor: str = "serial"
) -> IssuingComparison:
    """Run ``scenario`` with FEFO and with FIFO issuing on common random numbers."""
    comparison = ft.compare(
        {"FEFO": with_issuing(scenario, "FEFO"), "FIFO": with_issuing(scenario, "FIFO")},
        n=n,
        seed=seed,
        baseline="FEFO",
        executor=executor,
        kpis=["spoilage_rate", "fill_rate"],
    )
    fefo, fifo = comparison.results["FEFO"].kpis, comparison.results["FIFO"].kpis
    difference = comparison.differences["FIFO"]["spoilage_rate"]
    per_replication = zip(
        comparison.results["FIFO"].values["spoilage_rate"],
        comparison.results["FEFO"].values["spoilage_rate"],
        strict=True,
    )
    return IssuingComparison(
        n=n,
        fefo_spoilage_pct=100 * fefo["spoilage_rate"].mean,
        fifo_spoilage_pct=100 * fifo["spoilage_rate"].mean,
        reduction_pp=100 * difference.mean,
        half_width_pp=100 * difference.half_width,
        relative_pct=100 * difference.mean / fifo["spoilage_rate"].mean,
        fefo_fill_rate_pct=100 * fefo["fill_rate"].mean,
        fifo_fill_rate_pct=100 * fifo["fill_rate"].mean,
        reductions_pp=tuple(
            100 * (fifo_rate - fefo_rate) for fifo_rate, fefo_rate in per_replication
        ),
    )


def saving_slope_per_unit_cv(points: Sequence[tuple[float, IssuingComparison]]) -> Estimate:
    """How the saving changes with the hidden shelf-life spread, replication by replication.

    ``points`` are ``(shelf_life_cv, comparison)`` pairs run with the same seed and
    replications, so replication ``i`` of every point shares its random streams. The
    least-squares slope of the saving against the CV is fitted in each replication;
    the result is the mean slope (points of volume per unit of CV) with its 95 %
    Student-t interval across the replications.
    """
    cvs = np.array([cv for cv, _comparison in points])
    savings = np.array([comparison.reductions_pp for _cv, comparison in points])
    slopes = np.polyfit(cvs, savings, 1)[0]  # one fit per column (replication)
    return estimate([float(slope) for slope in slopes])
