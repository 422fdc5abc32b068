"""Shelf-life kinetics against closed forms under step temperature profiles.

Lots pushed through known piecewise-constant temperature histories, (1) through the
public kinetics functions and (2) through a small simulated channel whose every
temperature is known (``data/step_temperature_channel.yaml``), must use exactly the
shelf life the closed forms of ``step_profiles.py`` give, for the Q10 and the
Arrhenius law. The update is exact for piecewise-constant temperature (no time
steps), so the tolerance is rounding: 1e-12 relative for the functions, 1e-9 for the
simulation (whose clock sums hours in floating point). A literature check closes:
24 h of cyclic abuse cost Nixi chicken the order of shelf life Herron et al. measured.
"""

from __future__ import annotations

import pytest
from step_profiles import (
    ARRHENIUS_PRODUCT,
    BRIEF_HISTORY,
    CHANNEL,
    CHANNEL_FIRST_SALE_H,
    CHANNEL_HISTORY,
    CHANNEL_SALE_TEMP_C,
    Q10_PRODUCT,
    consumed,
    cyclic_abuse_loss_days,
    expiry_hour,
    remaining_days,
    shelf_life_days,
)

import fieldtotable as ft
from fieldtotable.kinetics import Kinetics, advance_consumed, remaining_shelf_life_days
from fieldtotable.model.world import World

PRODUCTS = {"q10_product": Q10_PRODUCT, "arrhenius_product": ARRHENIUS_PRODUCT}
#: Hand values of the brief's history (4 degC 24 h, 20 degC 6 h, 2 degC 48 h), shelf life
#: left at 2 degC, days: pinned so that a shared mistake in the closed form shows.
BRIEF_REMAINING_AT_2C_D = {"q10_product": 5.498011179453, "arrhenius_product": 4.572505781650}


def kinetics(product: dict[str, float]) -> Kinetics:
    return Kinetics(
        product["shelf_life_days"],
        product["ref_temp_c"],
        product.get("q10"),
        product.get("activation_energy_kj_mol"),
    )


@pytest.mark.parametrize("name", PRODUCTS)
def test_public_functions_follow_the_closed_form(name: str) -> None:
    product = PRODUCTS[name]
    law = {key: product[key] for key in ("q10", "activation_energy_kj_mol") if key in product}
    hours = [h for h, _ in BRIEF_HISTORY]
    temps = [t for _, t in BRIEF_HISTORY]
    used = advance_consumed(
        0.0,
        hours,
        temps,
        shelf_life_ref_days=product["shelf_life_days"],
        ref_temp_c=product["ref_temp_c"],
        **law,
    )
    assert used == pytest.approx(consumed(BRIEF_HISTORY, product), rel=1e-12)
    left = remaining_shelf_life_days(
        used, 2.0, shelf_life_ref_days=product["shelf_life_days"], ref_temp_c=2.0, **law
    )
    assert left == pytest.approx(remaining_days(BRIEF_HISTORY, 2.0, product), rel=1e-12)
    assert left == pytest.approx(BRIEF_REMAINING_AT_2C_D[name], rel=1e-11)
    # The Kinetics object, segment by segment on its scalar fast path, agrees.
    law_of_product = kinetics(product)
    stepwise = 0.0
    for segment_hours, temp in BRIEF_HISTORY:
        stepwise = law_of_product.advance_scalar(stepwise, segment_hours, temp)
    assert stepwise == pytest.approx(used, rel=1e-12)
    assert law_of_product.remaining_days(stepwise, 2.0) == pytest.approx(left, rel=1e-12)


@pytest.mark.parametrize("name", PRODUCTS)
def test_simulated_channel_follows_the_closed_form(name: str) -> None:
    scenario = ft.load_scenario(CHANNEL)
    expected = remaining_days(CHANNEL_HISTORY, CHANNEL_SALE_TEMP_C, PRODUCTS[name])
    result = ft.simulate(scenario, seed=0)
    product = result.by_product[name]
    assert product["spoiled_kg"] == 0
    assert product["sold_kg"] == 1700  # days 3-19: one 100 kg lot a day
    assert product["mean_remaining_shelf_life_at_sale_d"] == pytest.approx(expected, rel=1e-9)
    assert product["mean_field_to_market_h"] == pytest.approx(sum(h for h, _ in CHANNEL_HISTORY))
    # Sale by sale, not only on average.
    world = World(scenario, 0, record_flows=True)  # the per-sale records
    world.run()
    index = world.product_ids.index(name)
    sales = [sale for sale in world.ledger.sales if sale[1] == index]
    assert len(sales) == 17
    assert sales[0][0] == CHANNEL_FIRST_SALE_H
    assert [remaining for *_, remaining in sales] == pytest.approx([expected] * 17, rel=1e-9)


@pytest.mark.parametrize("name", PRODUCTS)
def test_simulated_spoilage_happens_at_the_closed_form_time(name: str) -> None:
    # With 3 days' shelf life the lots run out before their sale -- the Q10 lots in the
    # reefer (42.2 h after harvest), the Arrhenius lots in the cold room (22.0 h); the
    # ledger books each loss at the moment the consumed fraction reaches 1.
    short = {**PRODUCTS[name], "shelf_life_days": 3.0}
    scenario = ft.apply_overrides(
        ft.load_scenario(CHANNEL), {f"products.{name}.shelf_life_days": 3.0}
    )
    world = World(scenario, 0, record_flows=True)
    world.run()
    spoiled = [flow for flow in world.ledger.flows if flow.kind == "spoil" and flow.product == name]
    assert spoiled
    # Found in the cold room or the reefer ("end": still there when the run stops).
    assert {flow.place for flow in spoiled} <= {"station", "station_dc", "end"}
    assert len(spoiled) >= 17
    harvests = {
        flow.lot: flow.time_h
        for flow in world.ledger.flows
        if flow.kind == "harvest" and flow.product == name
    }
    expected = expiry_hour(CHANNEL_HISTORY, short)
    assert expected < sum(hours for hours, _ in CHANNEL_HISTORY)  # before the sale
    for flow in spoiled:
        assert flow.time_h - harvests[flow.lot] == pytest.approx(expected, rel=1e-9)


def test_q10_and_arrhenius_agree_at_the_reference_and_differ_away_from_it() -> None:
    assert shelf_life_days(2.0, Q10_PRODUCT) == shelf_life_days(2.0, ARRHENIUS_PRODUCT) == 10.0
    # 80 kJ/mol near 2 degC is Q10 ~ 3.5, steeper than 2.5: the Arrhenius lot loses more.
    assert remaining_days(BRIEF_HISTORY, 2.0, ARRHENIUS_PRODUCT) < remaining_days(
        BRIEF_HISTORY, 2.0, Q10_PRODUCT
    )


def test_cyclic_abuse_costs_chicken_the_order_of_shelf_life_measured() -> None:
    # Herron et al. 2022: 24 h of 2 h 4 degC / 2 h 23 degC cost chicken fillets stored
    # at 4 degC 1.5-2.25 days. The baseline's Nixi chicken (10 d at 0 degC, Q10 2.8)
    # loses 3.0 d: the same order, and more, because a Q10 fitted over 0-10 degC
    # overstates ageing at 23 degC (Saltveit: Q10 1.5-2.0 over 20-30 degC). Accepted:
    # within a factor 2 of the measured range.
    chicken = ft.builtin_scenario("baseline").products["nixi_chicken"]
    assert chicken.q10 is not None
    product = {
        "shelf_life_days": chicken.shelf_life_days,
        "ref_temp_c": chicken.ref_temp_c,
        "q10": chicken.q10,
    }
    loss = cyclic_abuse_loss_days(product)
    assert loss == pytest.approx(3.036, abs=0.001)
    assert 1.5 / 2 <= loss <= 2.25 * 2
