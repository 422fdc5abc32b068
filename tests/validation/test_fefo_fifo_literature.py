"""FEFO against FIFO where the intelligent-container literature finds its effect.

Jedermann et al. (domain-facts.md) report that FEFO issuing instead of FIFO cut the
losses of highly perishable goods by 8-14 % of the transported volume. Their setting
(docs/validation/fefo-fifo.md): a product keeping days to two weeks, lots whose
temperature histories differ invisibly, and a distribution centre holding days of
stock, where the rule picks the lot that ships to retail. FEFO and FIFO run on common
random numbers; the reduction is the paired difference of the spoilage rate, in
points of the volume harvested.

Two chains:

* ``data/fefo_dc_stock_chain.yaml``, the literature's setting built from the 2023
  baseline's vegetable chain: a weekly long-haul truck, so the Shanghai DC receives a
  week's supply at a time. FEFO saves 0.8 +- 0.6 points there (30 replications), far
  below the band: the lots' own shelf-life variability (CV 0.25, invisible to a
  temperature-based prediction) dominates what FEFO can see. The band test is a
  strict expected failure, so that a model that one day reaches it fails here and
  the page gets rewritten. With that variability set to 0 (FEFO's prediction exact),
  the saving grows with the stock depth, to 4.6 +- 0.5 points with weekly trucks,
  inside the band: the mechanism is there; the test checks it.
* ``data/fefo_heterogeneous_chain.yaml``, the first chain (matsutake, less than a day
  of stock at the DC): FEFO saves 1.5 +- 0.5 points, significant.
"""

from __future__ import annotations

import functools

import pytest
from fefo_fifo import (
    BAND_PP,
    CHAIN,
    DC_STOCK_CHAIN,
    LONG_HAUL,
    IssuingComparison,
    compare_issuing,
    with_stock_depth,
)

import fieldtotable as ft

REPLICATIONS = 10


@functools.cache
def dc_stock(interval_days: float, shelf_life_cv: float | None = None) -> IssuingComparison:
    """FEFO and FIFO, 10 replications of the DC-stock chain (about 1 s)."""
    scenario = with_stock_depth(ft.load_scenario(DC_STOCK_CHAIN), interval_days, shelf_life_cv)
    return compare_issuing(scenario, REPLICATIONS)


@functools.cache
def shallow_chain() -> IssuingComparison:
    """FEFO and FIFO on 10 replications of the first chain (about 2.5 s)."""
    return compare_issuing(ft.load_scenario(CHAIN), REPLICATIONS)


def test_the_dc_stock_chain_has_the_literatures_setting() -> None:
    scenario = ft.load_scenario(DC_STOCK_CHAIN)
    product = scenario.products["highland_vegetables"]
    assert product.shelf_life_days <= 14  # keeps days to two weeks
    dispatch = scenario.legs[LONG_HAUL].dispatch
    assert dispatch.policy == "full_or_timeout"
    assert dispatch.max_wait_h == 7 * 24  # a week's supply per truck
    run = ft.simulate(scenario, seed=0)
    daily_supply_kg = run.kpis["harvested_kg"] / (scenario.horizon_days - scenario.warmup_days)
    assert dispatch.min_load_kg > 7 * 1.5 * daily_supply_kg  # the timeout, not the load, sends it


def test_calibrated_dc_stock_chain_saves_little() -> None:
    result = dc_stock(7.0)
    assert -0.5 < result.reduction_pp < 2.0, result  # 0.95 +- 1.14 here, 0.77 +- 0.60 at n=30
    assert result.fifo_spoilage_pct > 20  # a week of stock costs much waste under both rules


def test_with_exact_prediction_the_saving_grows_with_stock_depth() -> None:
    daily, weekly = dc_stock(1.0, 0.0), dc_stock(7.0, 0.0)
    assert daily.interval_pp[0] > 0, daily  # significant already with daily trucks
    assert weekly.reduction_pp > daily.reduction_pp + 2, (daily, weekly)
    assert BAND_PP[0] <= weekly.interval_pp[0], weekly  # inside the band, its interval too


def test_shallow_chain_fefo_wastes_less_than_fifo() -> None:
    result = shallow_chain()
    low, _high = result.interval_pp
    assert low > 0, result  # significant, on common random numbers
    assert result.fefo_fill_rate_pct > result.fifo_fill_rate_pct  # what FEFO saves, sells


@pytest.mark.xfail(
    strict=True,
    reason="in the literature's setting the model's FEFO saves ~0.8 points of volume, "
    "not 8-14 (docs/validation/fefo-fifo.md)",
)
def test_reduction_is_of_the_literatures_order_of_magnitude() -> None:
    low, high = BAND_PP
    assert low <= dc_stock(7.0).reduction_pp <= high, (dc_stock(7.0), BAND_PP)
