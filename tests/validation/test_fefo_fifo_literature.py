"""FEFO against FIFO where the intelligent-container literature finds its effect.

Jedermann et al. (domain-facts.md) report that FEFO issuing instead of FIFO cut the
losses of highly perishable goods by 8-14 % of the transported volume. Their setting
(docs/validation/fefo-fifo.md): a product keeping days to two weeks, lots whose
temperature histories differ invisibly, and a distribution centre holding days of
stock, where the rule picks the lot that ships to retail. FEFO there ranks lots by the
shelf life predicted from their measured temperature history, as the model's FEFO
does. FEFO and FIFO run on common random numbers; the saving is the paired difference
of the spoilage rate, in points of the volume harvested.

Two chains:

* ``data/fefo_dc_stock_chain.yaml``, the literature's setting built from the 2023
  baseline's vegetable chain: a weekly long-haul truck, so the Shanghai DC receives a
  week's supply at a time.

  - Under the literature's premise (lots differ only by their temperature history:
    ``shelf_life_cv`` 0), FEFO saves 4.58 +- 0.48 points (30 replications), inside
    the order-of-magnitude band: enforced here.
  - The saving falls as the lots' hidden, biological shelf-life spread grows (the
    CV sensitivity: 4.58, 4.23, 3.17, 2.07, 0.77 points at CV 0 .. 0.25): enforced.
  - With the calibrated, unsourced CV 0.25 it saves 0.77 +- 0.60 points, below the
    band: a strict expected failure, so that a model that one day reaches the band
    there fails here and the page gets rewritten.
* ``data/fefo_heterogeneous_chain.yaml``, the first chain (matsutake, less than a day
  of stock at the DC): FEFO saves 1.5 +- 0.5 points, significant.

10 replications per point (the docs run uses 30); the tolerances below are those of
10 replications. The whole file takes about 5 s.
"""

from __future__ import annotations

import functools

import pytest
from fefo_fifo import (
    BAND_PP,
    CALIBRATED_SHELF_LIFE_CV,
    CHAIN,
    DC_STOCK_CHAIN,
    LONG_HAUL,
    SHELF_LIFE_CVS,
    WEEKLY_D,
    IssuingComparison,
    compare_issuing,
    saving_slope_per_unit_cv,
    with_stock_depth,
)

import fieldtotable as ft

REPLICATIONS = 10


@functools.cache
def dc_stock(interval_days: float, shelf_life_cv: float) -> IssuingComparison:
    """FEFO and FIFO, 10 replications of the DC-stock chain (about 0.5 s)."""
    scenario = with_stock_depth(ft.load_scenario(DC_STOCK_CHAIN), interval_days, shelf_life_cv)
    return compare_issuing(scenario, REPLICATIONS)


@functools.cache
def shallow_chain() -> IssuingComparison:
    """FEFO and FIFO on 10 replications of the first chain (about 0.5 s)."""
    return compare_issuing(ft.load_scenario(CHAIN), REPLICATIONS)


def test_the_dc_stock_chain_has_the_literatures_setting() -> None:
    scenario = ft.load_scenario(DC_STOCK_CHAIN)
    product = scenario.products["highland_vegetables"]
    assert product.shelf_life_days <= 14  # keeps days to two weeks
    assert product.shelf_life_cv == CALIBRATED_SHELF_LIFE_CV  # the baseline's estimate
    dispatch = scenario.legs[LONG_HAUL].dispatch
    assert dispatch.policy == "full_or_timeout"
    assert dispatch.max_wait_h == WEEKLY_D * 24  # a week's supply per truck
    run = ft.simulate(scenario, seed=0)
    daily_supply_kg = run.kpis["harvested_kg"] / (scenario.horizon_days - scenario.warmup_days)
    assert dispatch.min_load_kg > WEEKLY_D * 1.5 * daily_supply_kg  # the timeout sends it


def test_under_the_literatures_premise_the_saving_is_in_the_band() -> None:
    # Lots differ only by their temperature history (CV 0), which FEFO sees.
    result = dc_stock(WEEKLY_D, 0.0)
    low, high = result.interval_pp
    assert BAND_PP[0] <= low, result  # 4.10 +- 0.96 here, 4.58 +- 0.48 at n=30
    assert high <= BAND_PP[1], result


def test_the_saving_falls_as_the_hidden_shelf_life_spread_grows() -> None:
    points = [(cv, dc_stock(WEEKLY_D, cv)) for cv in SHELF_LIFE_CVS]
    premise, calibrated = points[0][1], points[-1][1]
    # The intervals do not overlap: 4.10 +- 0.96 against 0.95 +- 1.14 here.
    assert premise.interval_pp[0] > calibrated.interval_pp[1], (premise, calibrated)
    slope = saving_slope_per_unit_cv(points)  # per replication, across the five CVs
    assert slope.high < 0, slope  # -13.9 +- 5.8 points per unit CV here, -16.2 +- 3.2 at n=30


def test_calibrated_dc_stock_chain_saves_little() -> None:
    result = dc_stock(WEEKLY_D, CALIBRATED_SHELF_LIFE_CV)
    assert -0.5 < result.reduction_pp < 2.0, result  # 0.95 +- 1.14 here, 0.77 +- 0.60 at n=30
    assert result.fifo_spoilage_pct > 20  # a week of stock costs much waste under both rules


def test_under_the_literatures_premise_the_saving_grows_with_stock_depth() -> None:
    daily, weekly = dc_stock(1.0, 0.0), dc_stock(WEEKLY_D, 0.0)
    assert daily.interval_pp[0] > 0, daily  # significant already with daily trucks
    assert weekly.reduction_pp > daily.reduction_pp + 2, (daily, weekly)


def test_shallow_chain_fefo_wastes_less_than_fifo() -> None:
    result = shallow_chain()
    low, _high = result.interval_pp
    assert low > 0, result  # significant, on common random numbers
    assert result.fefo_fill_rate_pct > result.fifo_fill_rate_pct  # what FEFO saves, sells


@pytest.mark.xfail(
    strict=True,
    reason="with the calibrated, unsourced shelf-life CV 0.25 the model's FEFO saves "
    "~0.8 points of volume at the weekly-stocked DC, below the 2.7-42 band "
    "(docs/validation/fefo-fifo.md)",
)
def test_with_the_calibrated_hidden_spread_the_saving_is_in_the_band() -> None:
    result = dc_stock(WEEKLY_D, CALIBRATED_SHELF_LIFE_CV)
    low, high = BAND_PP
    assert low <= result.reduction_pp <= high, (result, BAND_PP)
