"""The lot: ageing by place, splitting, exposures, expiry times."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.kinetics import Kinetics, hours_to_limit
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import COLLECTION, HUB, MARKET, STAGES, TRANSIT, Lot
from fieldtotable.model.thermal import Ambient, ConstantTemperature

# Shelf life 10 d at 0 °C, Q10 = 2: 1/240 per hour at 0 °C, 1/120 at 10 °C.
KIN = Kinetics(10.0, 0.0, q10=2.0)
COLD = ConstantTemperature(0.0, [KIN])
WARM = ConstantTemperature(10.0, [KIN])
R_COLD = 1 / 240
R_WARM = 1 / 120


def lot(kg: float = 100.0, limit: float = 1.0, env: ConstantTemperature = COLD) -> Lot:
    return Lot(7, 0, 3, kg, limit, env, 0.0, COLLECTION)


def test_new_lot_state() -> None:
    x = Lot(7, 0, 3, 100.0, 0.8, COLD, 5.0, COLLECTION)
    assert (x.id, x.product, x.source, x.kg, x.limit) == (7, 0, 3, 100.0, 0.8)
    assert x.consumed == 0.0
    assert x.harvested_h == x.arrived_h == x.updated_h == 5.0
    assert x.stage == COLLECTION
    assert x.expires_at_h == pytest.approx(5.0 + 0.8 * 240, rel=1e-12)
    assert not x.is_spoiled
    assert x.remaining_fraction() == 1.0


def test_advance_accumulates_and_never_goes_back() -> None:
    x = lot()
    x.advance(24.0)
    assert x.consumed == pytest.approx(24 * R_COLD, rel=1e-12)
    assert x.updated_h == 24.0
    x.advance(10.0)  # the past: nothing changes
    assert x.consumed == pytest.approx(24 * R_COLD, rel=1e-12)
    assert x.updated_h == 24.0
    x.advance(48.0)
    assert x.consumed == pytest.approx(48 * R_COLD, rel=1e-12)


def test_place_settles_time_before_and_changes_rate_after() -> None:
    x = lot()
    x.place(WARM, 48.0, TRANSIT)
    assert x.consumed == pytest.approx(48 * R_COLD, rel=1e-12)
    assert x.environment is WARM
    assert x.stage == TRANSIT
    assert x.arrived_h == 48.0
    assert x.harvested_h == 0.0
    x.advance(58.0)
    assert x.consumed == pytest.approx(48 * R_COLD + 10 * R_WARM, rel=1e-12)


def test_place_expiry_matches_kinetics_hours_to_limit() -> None:
    x = lot(limit=0.9)
    x.place(WARM, 48.0, HUB)
    hours = hours_to_limit(0.2, 10.0, shelf_life_ref_days=10.0, ref_temp_c=0.0, q10=2.0, limit=0.9)
    assert hours == pytest.approx((0.9 - 0.2) * 120, rel=1e-12)
    assert x.expires_at_h == pytest.approx(48.0 + hours, rel=1e-12)


@settings(max_examples=80, deadline=None)
@given(
    shelf_life=st.floats(0.5, 60.0),
    ref=st.floats(-2.0, 10.0),
    q10=st.floats(1.2, 5.0),
    temp_a=st.floats(-2.0, 30.0),
    temp_b=st.floats(-2.0, 30.0),
    hours_a=st.floats(0.0, 200.0),
    limit=st.floats(0.5, 1.6),
)
def test_place_expiry_matches_hours_to_limit_property(
    shelf_life: float,
    ref: float,
    q10: float,
    temp_a: float,
    temp_b: float,
    hours_a: float,
    limit: float,
) -> None:
    kin = Kinetics(shelf_life, ref, q10=q10)
    env_a = ConstantTemperature(temp_a, [kin])
    env_b = ConstantTemperature(temp_b, [kin])
    x = Lot(0, 0, 0, 1.0, limit, env_a, 0.0, COLLECTION)
    x.place(env_b, hours_a, TRANSIT)
    if x.consumed >= limit:
        # It ran out in env_a before the move: the stage and time of that are kept.
        assert x.stage == COLLECTION
        expected = kin.hours_to_limit(0.0, temp_a, limit)
    else:
        assert x.stage == TRANSIT
        expected = hours_a + kin.hours_to_limit(x.consumed, temp_b, limit)
    assert x.expires_at_h == pytest.approx(expected, rel=1e-9, abs=1e-9)
    # Ageing to the expiry time reaches the limit exactly.
    x.advance(x.expires_at_h)
    if x.expires_at_h > hours_a:
        assert x.consumed == pytest.approx(limit, rel=1e-9)


def test_add_exposure_swaps_the_interval_rate() -> None:
    x = lot()
    x.advance(100.0)
    x.add_exposure(WARM, 20.0, 30.0)
    assert x.consumed == pytest.approx(100 * R_COLD + 10 * (R_WARM - R_COLD), rel=1e-12)
    # Expiry recomputed from the current state, in the current (cold) environment.
    assert x.environment is COLD
    assert x.expires_at_h == pytest.approx(100.0 + (1 - x.consumed) * 240, rel=1e-12)


def test_add_exposure_can_spoil_the_lot() -> None:
    x = lot(limit=0.5)
    x.advance(100.0)  # 0.4167 consumed
    x.add_exposure(WARM, 0.0, 100.0)  # all of it at 10 °C: 0.833
    assert x.is_spoiled
    assert x.expires_at_h == 100.0  # already past the limit: "now"


def test_take_preserves_quality_state_and_conserves_kg() -> None:
    x = Lot(4, 0, 2, 100.0, 0.85, COLD, 3.0, COLLECTION)
    x.place(WARM, 30.0, TRANSIT)
    x.advance(40.0)
    part = x.take(35.5, 99)
    assert part.id == 99
    assert part.kg == 35.5
    assert x.kg == pytest.approx(64.5, rel=1e-15)
    assert part.kg + x.kg == pytest.approx(100.0, rel=1e-15)
    for name in (
        "product",
        "source",
        "limit",
        "consumed",
        "environment",
        "updated_h",
        "harvested_h",
        "arrived_h",
        "stage",
        "expires_at_h",
    ):
        assert getattr(part, name) == getattr(x, name), name
    # Both parts age identically afterwards.
    part.advance(70.0)
    x.advance(70.0)
    assert part.consumed == x.consumed


def test_remaining_fraction_is_nominal_and_clipped() -> None:
    x = lot(limit=1.3)
    x.advance(0.25 * 240)
    assert x.remaining_fraction() == pytest.approx(0.75, rel=1e-12)
    x.advance(1.2 * 240)
    assert x.remaining_fraction() == 0.0
    assert not x.is_spoiled  # limit 1.3 not yet reached
    x.advance(1.3 * 240 + 1e-6)
    assert x.is_spoiled


def test_repr_names_stage() -> None:
    x = lot()
    x.stage = MARKET
    assert "stage=market" in repr(x)
    assert STAGES[MARKET] == "market"


# -- context: ids, splits, spoilage booking -------------------------------------------


def make_context() -> Context:
    env = simpy.Environment()
    ledger = Ledger(["p"], [], 10, record_flows=True)
    calendar = Calendar(dt.date(2023, 1, 2), 12)
    ambient = Ambient(np.full(24 * 12, 10.0), [KIN])
    return Context(env, ledger, calendar, [KIN], {"here": ambient}, 240.0)


def test_context_new_lot_split_remove() -> None:
    ctx = make_context()
    a = ctx.new_lot(0, 0, 50.0, 1.0, COLD, COLLECTION)
    b = ctx.new_lot(0, 0, 20.0, 1.0, COLD, COLLECTION)
    assert (a.id, b.id) == (0, 1)
    part = ctx.split(a, 10.0)
    assert part.id == 2
    assert list(ctx.live) == [0, 1, 2]
    assert sum(x.kg for x in ctx.live.values()) == pytest.approx(70.0)
    ctx.remove(b)
    assert list(ctx.live) == [0, 2]


def test_spoil_if_expired_books_at_expiry_time_and_stage() -> None:
    ctx = make_context()
    x = ctx.new_lot(0, 0, 12.0, 0.5, ctx.at_temperature(10.0), COLLECTION)
    assert x.expires_at_h == pytest.approx(60.0)
    x.place(ctx.at_temperature(10.0), 30.0, HUB)
    ctx.env.run(until=50.0)
    assert not ctx.spoil_if_expired(x, "dc")
    ctx.env.run(until=100.0)
    assert ctx.spoil_if_expired(x, "dc")
    assert x.id not in ctx.live
    spoiled = np.asarray(ctx.ledger.spoiled)
    assert spoiled[HUB, 0, 2] == pytest.approx(12.0)  # day 2 = hour 60
    assert spoiled.sum() == pytest.approx(12.0)
    (flow,) = ctx.ledger.flows
    assert (flow.kind, flow.kg, flow.place, flow.lot) == ("spoil", 12.0, "dc", x.id)
    assert flow.time_h == pytest.approx(60.0)


def test_at_temperature_is_shared() -> None:
    ctx = make_context()
    assert ctx.at_temperature(2.0) is ctx.at_temperature(2.0)
    assert ctx.at_temperature(2.0) is not ctx.at_temperature(3.0)
