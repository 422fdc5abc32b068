"""Markets in isolation: the store (slots, replenishment, markdown, expiry) and orders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
import simpy

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import HUB, MARKET, Lot
from fieldtotable.model.market import Seller, StoreProcess
from fieldtotable.model.orders import OrdersProcess
from fieldtotable.model.storage import Storage, issue_order_key
from fieldtotable.model.thermal import Ambient
from fieldtotable.scenario.schema import Markdown, Orders, Store

# Shelf life 10 d at 0 °C, Q10 = 2.
KIN = Kinetics(10.0, 0.0, q10=2.0)
R_DC = 1 / 240  # the DC at 0 °C
SHOP_C = 4.0
R_SHOP = KIN.rate_per_h_scalar(SHOP_C)
DAYS = 6
PRODUCTS = ("p", "q")
INDEX = {name: i for i, name in enumerate(PRODUCTS)}
PRICES = [100.0, 50.0]


def make_context() -> Context:
    env = simpy.Environment()
    ledger = Ledger(list(PRODUCTS), [], DAYS, record_flows=True)
    kinetics = [KIN, KIN]
    ambient = Ambient(np.full(24 * (DAYS + 2), 20.0), kinetics)
    # 2023-01-02 is a Monday.
    return Context(
        env,
        ledger,
        Calendar(dt.date(2023, 1, 2), DAYS + 2),
        kinetics,
        {"city": ambient},
        DAYS * 24.0,
    )


def make_dc(ctx: Context) -> Storage:
    return Storage(ctx, "dc", ctx.ambient["city"], 0.0, 1e6, "wait", HUB, 2)


def stock(ctx: Context, dc: Storage, kg: float, product: int = 0, **state: float) -> Lot:
    lot = ctx.new_lot(product, 0, kg, state.get("limit", 1.0), dc.cold, HUB)
    lot.consumed = state.get("consumed", 0.0)
    dc.receive(lot)  # place() recomputes the expiry from the state set above
    return lot


def demand(customers: float, kg: float = 1.0, **extra: Any) -> dict[str, Any]:
    return {
        "customers_per_day": {"dist": "constant", "value": customers},
        "kg_per_customer": kg,
        **extra,
    }


def make_store(
    ctx: Context,
    dc: Storage,
    *,
    markdown: Markdown | None = None,
    scale: float = 1.0,
    **config: Any,
) -> StoreProcess:
    data: dict[str, Any] = {
        "kind": "store",
        "region": "city",
        "supplied_by": "dc",
        "open_hours": (9.0, 10.0),
        "setpoint_c": SHOP_C,
        "shelf_capacity_kg": 1000.0,
        "issuing": "FIFO",
        "replenishment": {"policy": "order_up_to", "at_hour": 6, "target_days_of_demand": 1},
        "demand": {"p": demand(5)},
    }
    data.update(config)
    store = Store.model_validate(data)
    seller = Seller(ctx, "shop", PRICES, [markdown, None], ctx.at_temperature(SHOP_C))
    process = StoreProcess(ctx, "shop", store, dc, INDEX, seller, scale, 0)
    STORES.append(process)
    return process


#: The stores made by the tests: :func:`run` brings their sales up to date.
STORES: list[StoreProcess] = []


def run(ctx: Context, until: float) -> None:
    """Run to ``until`` and serve the stores' slots before it (a world does it each day)."""
    ctx.env.run(until=until)
    for store in STORES:
        if store.context is ctx:
            store.catch_up(until)


def daily(ctx: Context, name: str, product: int = 0) -> list[float]:
    return list(np.asarray(ctx.ledger.daily[name])[product])


def sales(ctx: Context) -> list[tuple[float, int, float, float]]:
    return list(ctx.ledger.sales)


def flows(ctx: Context, kind: str) -> list[tuple[float, float, int]]:
    return [(f.time_h, f.kg, f.lot) for f in ctx.ledger.flows if f.kind == kind]


# -- slots -------------------------------------------------------------------------------


def test_hourly_slots_and_their_shares() -> None:
    ctx = make_context()
    store = make_store(ctx, make_dc(ctx), open_hours=(9.5, 12.0))
    assert store.slots == [(9.5, 10), (10, 11), (11, 12.0)]
    np.testing.assert_allclose(store.slot_shares, [0.2, 0.4, 0.4])


def test_customers_are_served_at_the_middle_of_each_hour() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 1000.0)
    make_store(
        ctx,
        dc,
        open_hours=(9.5, 12.0),
        demand={"p": demand(8)},
        replenishment={"policy": "order_up_to", "at_hour": 6, "target_days_of_demand": 3},
    )
    run(ctx, until=DAYS * 24.0)
    times = {t % 24 for t, *_ in sales(ctx)}
    assert times <= {9.75, 10.5, 11.5}
    assert len(times) >= 2  # 8 customers a day over 6 days spread over the slots
    assert daily(ctx, "demand") == pytest.approx([8.0] * DAYS)
    assert daily(ctx, "sold") == pytest.approx([8.0] * DAYS)
    assert daily(ctx, "lost_sales") == pytest.approx([0.0] * DAYS)


def test_a_slot_at_a_delivery_is_served_after_it() -> None:
    """A slot whose middle is the moment of the review and delivery sees the delivery.

    The shop (open 9-10, one slot at 9.5) reviews at 9.5 with no lead time; its shelf
    starts empty, so the day-0 customers are served only if the delivery comes first.
    """
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 1000.0)
    make_store(
        ctx,
        dc,
        demand={"p": demand(5)},
        replenishment={
            "policy": "order_up_to", "at_hour": 9.5, "lead_time_h": 0, "target_days_of_demand": 2,
        },
    )  # fmt: skip
    run(ctx, until=DAYS * 24.0)
    assert [t for t, *_ in sales(ctx)][:1] == [9.5]
    assert daily(ctx, "sold") == pytest.approx([5.0] * DAYS)


# -- replenishment -----------------------------------------------------------------------


def test_order_up_to_quantities_and_lead_time() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 1000.0)
    weekday = [1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0]  # mean 9/7
    store = make_store(
        ctx,
        dc,
        demand={"p": demand(5, weekday_factors=weekday)},
        replenishment={
            "policy": "order_up_to",
            "at_hour": 6,
            "target_days_of_demand": 2,
            "lead_time_h": 1.5,
        },
    )
    target = 2 * 5 * 9 / 7
    run(ctx, until=6.5)
    assert store.in_transit_kg[0] == pytest.approx(target)
    assert store.shelf_kg[0] == 0.0
    run(ctx, until=7.6)
    assert store.in_transit_kg[0] == pytest.approx(0.0)
    assert store.shelf_kg[0] == pytest.approx(target)
    run(ctx, until=DAYS * 24.0)
    delivered = flows(ctx, "deliver")
    # Day 0 fills to the target; later days replace what sold the day before
    # (5 customers Monday-Friday, 10 on Saturday 2023-01-07, day 5).
    assert [t for t, _, _ in delivered] == [7.5, 31.5, 55.5, 79.5, 103.5, 127.5]
    assert [kg for _, kg, _ in delivered] == pytest.approx([target, 5, 5, 5, 5, 5])
    assert daily(ctx, "sold") == pytest.approx([5, 5, 5, 5, 5, 10])
    assert dc.kg_of([0]) == pytest.approx(1000 - target - 25)


def test_s_s_orders_only_at_or_below_s() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 1000.0)
    make_store(
        ctx,
        dc,
        demand={"p": demand(4)},
        replenishment={"policy": "s_S", "at_hour": 6, "levels": {"p": {"s_kg": 4, "S_kg": 10}}},
    )
    run(ctx, until=DAYS * 24.0)
    # Day 0: 0 <= 4, order 10; day 1: 6 on hand, no order; day 2: 2 <= 4, order 8; ...
    assert [(t, kg) for t, kg, _ in flows(ctx, "deliver")] == [
        (7.0, pytest.approx(10.0)),
        (55.0, pytest.approx(8.0)),
        (103.0, pytest.approx(8.0)),
    ]
    assert daily(ctx, "sold") == pytest.approx([4] * DAYS)


def test_scale_multiplies_demand_and_reorder_levels() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 1000.0)
    make_store(
        ctx,
        dc,
        scale=3.0,
        demand={"p": demand(4)},
        replenishment={"policy": "s_S", "at_hour": 6, "levels": {"p": {"s_kg": 4, "S_kg": 10}}},
    )
    run(ctx, until=DAYS * 24.0)
    assert flows(ctx, "deliver")[0][1] == pytest.approx(30.0)
    assert daily(ctx, "demand") == pytest.approx([12.0] * DAYS)


def test_shelf_capacity_shares_room_between_products() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 1000.0, 0)
    stock(ctx, dc, 1000.0, 1)
    store = make_store(
        ctx,
        dc,
        shelf_capacity_kg=30.0,
        demand={"p": demand(0, 1), "q": demand(0, 1)},
        replenishment={
            "policy": "s_S",
            "at_hour": 6,
            "levels": {"p": {"s_kg": 1, "S_kg": 40}, "q": {"s_kg": 1, "S_kg": 20}},
        },
    )
    run(ctx, until=6.5)
    # 60 kg wanted, room for 30: both cut by half.
    assert store.in_transit_kg == pytest.approx([20.0, 10.0])
    run(ctx, until=DAYS * 24.0)
    assert store.held_kg == pytest.approx(30.0)  # nothing sold, nothing more ordered


def test_full_shelf_with_nothing_to_order_does_not_crash() -> None:
    # 14.302 kg of room shared by 169.639 + 152.991 kg wanted: the scaled parts add up
    # to a hair over the capacity, so the next day's room is slightly negative while
    # nothing is wanted (stock above s).
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 1000.0, 0)
    stock(ctx, dc, 1000.0, 1)
    store = make_store(
        ctx,
        dc,
        shelf_capacity_kg=14.302,
        demand={"p": demand(0, 1), "q": demand(0, 1)},
        replenishment={
            "policy": "s_S",
            "at_hour": 6,
            "levels": {
                "p": {"s_kg": 0.001, "S_kg": 169.639},
                "q": {"s_kg": 0.001, "S_kg": 152.991},
            },
        },
    )
    run(ctx, until=DAYS * 24.0)
    assert store.held_kg == pytest.approx(14.302)
    assert len(flows(ctx, "deliver")) == 2  # only day 0 orders


# -- selling -----------------------------------------------------------------------------


def test_lost_sales_when_stock_is_short() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 3.0)
    make_store(ctx, dc, demand={"p": demand(5)})
    run(ctx, until=DAYS * 24.0)
    assert daily(ctx, "demand") == pytest.approx([5.0] * DAYS)
    assert daily(ctx, "sold") == pytest.approx([3.0] + [0.0] * (DAYS - 1))
    assert daily(ctx, "lost_sales") == pytest.approx([2.0] + [5.0] * (DAYS - 1))


def test_markdown_below_the_remaining_fraction() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    old = stock(ctx, dc, 1.0, consumed=0.68)
    fresh = stock(ctx, dc, 1.0)
    make_store(
        ctx,
        dc,
        markdown=Markdown(below_remaining_fraction=0.3, discount=0.4),
        demand={"p": demand(2)},
        issuing="FIFO",
        replenishment={"policy": "order_up_to", "at_hour": 6, "target_days_of_demand": 1},
    )
    run(ctx, until=10.0)
    # 0-6 h at the DC, 6-9.5 h in the van and on the shelf at 4 °C.
    consumed_old = 0.68 + 6 * R_DC + 3.5 * R_SHOP
    assert 1 - consumed_old < 0.3
    assert 1 - (6 * R_DC + 3.5 * R_SHOP) > 0.3
    value = daily(ctx, "sold_value_cny")[0]
    assert value == pytest.approx(1.0 * 100 * 0.6 + 1.0 * 100)
    assert daily(ctx, "markdown_sold")[0] == pytest.approx(1.0)
    sold = {f.lot for f in ctx.ledger.flows if f.kind == "sell"}
    assert sold == {old.id, fresh.id}
    remaining = sorted(r for *_, r in sales(ctx))
    assert remaining[0] == pytest.approx((1 - consumed_old) / R_SHOP / 24, rel=1e-9)


def test_expired_stock_is_removed_and_booked_at_the_market() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    doomed = stock(ctx, dc, 4.0, consumed=0.9)
    make_store(
        ctx,
        dc,
        demand={"p": demand(0)},  # nobody buys
        replenishment={"policy": "s_S", "at_hour": 6, "levels": {"p": {"s_kg": 1, "S_kg": 4}}},
    )
    run(ctx, until=DAYS * 24.0)
    expiry = 6.0 + (1 - 0.9 - 6 * R_DC) / R_SHOP  # in the van at 4 °C from 6 h, shelf at 7 h
    (flow,) = [f for f in ctx.ledger.flows if f.kind == "spoil"]
    assert flow.lot == doomed.id
    assert flow.place == "shop"
    assert flow.time_h == pytest.approx(expiry, rel=1e-9)
    spoiled = np.asarray(ctx.ledger.spoiled)
    assert spoiled[MARKET, 0, int(expiry // 24)] == pytest.approx(4.0)
    assert spoiled.sum() == pytest.approx(4.0)
    assert doomed.id not in ctx.live


def test_expired_stock_is_never_sold() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    stock(ctx, dc, 4.0, consumed=0.96)  # runs out at 4 °C during day 1
    store = make_store(ctx, dc, demand={"p": demand(1)})
    run(ctx, until=DAYS * 24.0)
    assert all(r > 0 for *_, r in sales(ctx))
    assert sum(daily(ctx, "sold")) < 4.0
    assert sum(daily(ctx, "sold")) + np.asarray(ctx.ledger.spoiled).sum() == pytest.approx(4.0)
    assert store.held_kg == pytest.approx(0.0)


@pytest.mark.parametrize(("issuing", "first"), [("FEFO", "old"), ("FIFO", "new"), ("LIFO", "late")])
def test_store_issuing_order(issuing: str, first: str) -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    new = stock(ctx, dc, 10.0)
    old = stock(ctx, dc, 10.0, consumed=0.3)  # arrived at the DC with less shelf life
    store = make_store(
        ctx,
        dc,
        demand={"p": demand(0)},
        issuing="FIFO",
        replenishment={"policy": "s_S", "at_hour": 6, "levels": {"p": {"s_kg": 25, "S_kg": 30}}},
    )
    run(ctx, until=7.5)  # day 0 delivers new then old (DC picks FIFO)
    late = stock(ctx, dc, 10.0)
    run(ctx, until=31.5)  # day 1 delivers the third lot
    assert [lot.id for lot in store.shelf[0]] == [new.id, old.id, late.id]
    store.config = store.config.model_copy(update={"issuing": issuing})
    store.sort_key = issue_order_key(issuing, store.chiller_for)
    store.sorts_shelf = issuing != "FIFO"
    sold = store._serve(0, 12.0, ctx.env.now)
    assert sold == pytest.approx(12.0)
    names = {new.id: "new", old.id: "old", late.id: "late"}
    sold_lots = [f.lot for f in ctx.ledger.flows if f.kind == "sell"]
    assert names[sold_lots[0]] == first
    assert len(sold_lots) == 2
    if issuing == "FEFO":
        # Everything sold had consumed at least as much as everything left on the shelf
        # (consumed at sale from the remaining shelf life booked: limit 1, shop rate).
        consumed_sold = [1 - r * 24 * R_SHOP for *_, r in sales(ctx)]
        left = [x.consumed + x.environment.consumed(0, x.updated_h, 31.5) for x in store.shelf[0]]
        assert [names[x.id] for x in store.shelf[0]] == ["new", "late"]
        assert min(consumed_sold) >= max(left) - 1e-12


# -- orders ------------------------------------------------------------------------------


def make_orders(ctx: Context, dc: Storage, **streams: Any) -> OrdersProcess:
    config = Orders.model_validate({"kind": "orders", "supplied_by": "dc", "orders": streams})
    seller = Seller(ctx, "buyers", PRICES, [None, None], dc.cold_for)
    return OrdersProcess(ctx, "buyers", config, dc, INDEX, seller, 1.0, 0)


def test_orders_unmet_kg_is_lost() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    lot = stock(ctx, dc, 30.0)
    make_orders(ctx, dc, p={"every_days": 2, "kg": 50, "at_hour": 10, "first_day": 1})
    run(ctx, until=DAYS * 24.0)
    assert daily(ctx, "demand") == pytest.approx([0, 50, 0, 50, 0, 50])
    assert daily(ctx, "sold") == pytest.approx([0, 30, 0, 0, 0, 0])
    assert daily(ctx, "lost_sales") == pytest.approx([0, 20, 0, 50, 0, 50])
    assert flows(ctx, "deliver") == [(34.0, 30.0, lot.id)]
    assert flows(ctx, "sell") == [(34.0, 30.0, lot.id)]
    ((_, _, kg, remaining),) = sales(ctx)
    assert kg == 30.0
    assert remaining == pytest.approx((1 - 34 * R_DC) * 10, rel=1e-9)  # at the DC's 0 °C
    assert daily(ctx, "sold_value_cny")[1] == pytest.approx(30 * 100)
    assert daily(ctx, "field_to_market_kg_h")[1] == pytest.approx(30 * 34.0)
    assert lot.id not in ctx.live


def test_orders_fefo_from_the_dc_and_season() -> None:
    ctx = make_context()
    dc = make_dc(ctx)
    fresh = stock(ctx, dc, 30.0)
    old = stock(ctx, dc, 30.0, consumed=0.5)
    season = [0.5] + [1.0] * 11
    make_orders(ctx, dc, p={"every_days": 10, "kg": 40, "at_hour": 10, "season": season})
    run(ctx, until=DAYS * 24.0)
    assert daily(ctx, "demand")[0] == pytest.approx(20.0)  # January at half
    assert flows(ctx, "sell") == [(10.0, 20.0, flows(ctx, "sell")[0][2])]
    assert flows(ctx, "sell")[0][2] not in {fresh.id}  # a part of the old lot
    assert old.kg == pytest.approx(10.0)
    assert fresh.kg == pytest.approx(30.0)
