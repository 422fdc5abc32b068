"""A temperature log tabulated per product: lookups against consumed_along, inverses, properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.kinetics import Kinetics, consumed_along
from fieldtotable.kinetics.log_table import LogTable
from fieldtotable.model.logged import LoggedTrip, RepeatingProfile
from fieldtotable.model.lot import Lot
from fieldtotable.model.storage import issue_order_key
from fieldtotable.scenario.schema_logs import NodeTemperatureLog

Q10 = Kinetics(shelf_life_ref_days=5.0, ref_temp_c=2.0, q10=2.5)
ARRHENIUS = Kinetics(shelf_life_ref_days=5.0, ref_temp_c=2.0, activation_energy_kj_mol=80.0)
TIMES = [0.0, 3.0, 10.0, 10.25, 12.0, 12.5, 30.0]
TEMPS = [4.0, 2.0, 2.0, 20.0, 20.0, 3.0, 2.5]


@pytest.mark.parametrize("kinetics", [Q10, ARRHENIUS])
@pytest.mark.parametrize("until", [0.0, 1.5, 3.0, 10.1, 11.0, 12.25, 30.0, 45.0])
def test_consumed_until_matches_consumed_along(kinetics: Kinetics, until: float) -> None:
    table = LogTable(kinetics, TIMES, TEMPS)
    expected = consumed_along(kinetics, TIMES, TEMPS, until_h=until)
    assert table.consumed_until(until) == pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("kinetics", [Q10, ARRHENIUS])
def test_the_whole_log_is_consumed_along_exactly(kinetics: Kinetics) -> None:
    assert LogTable(kinetics, TIMES, TEMPS).total == consumed_along(kinetics, TIMES, TEMPS)


@pytest.mark.parametrize("kinetics", [Q10, ARRHENIUS])
@pytest.mark.parametrize("start", [-5.0, 0.0, 2.0, 10.0, 11.5, 29.0, 40.0])
@pytest.mark.parametrize("amount", [1e-4, 0.01, 0.1, 0.6])
def test_hours_to_consume_inverts_consumed_between(
    kinetics: Kinetics, start: float, amount: float
) -> None:
    table = LogTable(kinetics, TIMES, TEMPS)
    reached = table.hours_to_consume(start, amount)
    assert reached > start
    assert table.consumed_between(start, reached) == pytest.approx(amount, rel=1e-8)


def test_before_and_after_the_log_the_end_temperatures_hold() -> None:
    table = LogTable(Q10, TIMES, TEMPS)
    assert table.consumed_between(-4.0, -1.0) == 3.0 * Q10.rate_per_h_scalar(TEMPS[0])
    assert table.consumed_between(31.0, 41.0) == 10.0 * Q10.rate_per_h_scalar(TEMPS[-1])
    assert table.temperature_at(-1.0) == TEMPS[0]
    assert table.temperature_at(99.0) == TEMPS[-1]
    assert table.temperature_at(11.0) == 20.0


def test_a_trip_is_the_log_shifted_to_its_departure() -> None:
    tables = [LogTable(Q10, TIMES, TEMPS)]
    trip = LoggedTrip(tables, departure_h=100.0)
    assert trip.consumed(0, 100.0, 130.0) == pytest.approx(tables[0].total, rel=1e-12)
    assert trip.temperature_at(111.0) == 20.0
    reached = trip.time_to_consume(0, 105.0, 0.2)
    assert trip.consumed(0, 105.0, reached) == pytest.approx(0.2, rel=1e-9)


def test_a_daily_profile_repeats() -> None:
    times, temps = [0.0, 6.0, 7.0, 24.0], [2.0, 2.0, 15.0, 2.0]
    table = LogTable(Q10, times, temps)
    room = RepeatingProfile([table], 24.0)
    day = table.total
    assert room.consumed(0, 0.0, 72.0) == pytest.approx(3 * day, rel=1e-12)
    assert room.consumed(0, 30.0, 54.0) == pytest.approx(day, rel=1e-12)
    assert room.temperature_at(48.0 + 6.5) == pytest.approx(8.5)
    for start, amount in [(5.0, 0.01), (30.0, 0.5), (6.5, 1.7)]:
        reached = room.time_to_consume(0, start, amount)
        assert room.consumed(0, start, reached) == pytest.approx(amount, rel=1e-9)


def test_a_constant_log_is_bit_for_bit_a_setpoint() -> None:
    rate = Q10.rate_per_h_scalar(2.0)
    trip = LoggedTrip([LogTable(Q10, [0.0, 10.0], [2.0, 2.0])], departure_h=18.3)
    for start, end in [(17.0, 18.3), (18.3, 25.1), (19.7, 70.9), (27.0, 29.0)]:
        assert trip.consumed(0, start, end) == (end - start) * rate
    assert trip.time_to_consume(0, 19.7, 0.3) == 19.7 + 0.3 / rate


_log = st.lists(
    st.tuples(st.floats(0.01, 20.0), st.floats(-5.0, 35.0)), min_size=1, max_size=12
).map(
    lambda steps: (
        [0.0, *[sum(step for step, _ in steps[: i + 1]) for i in range(len(steps))]],
        [5.0, *[temp for _, temp in steps]],
    )
)


@settings(max_examples=60, deadline=None)
@given(
    log=_log,
    cuts=st.lists(st.floats(-10.0, 300.0), min_size=3, max_size=3),
    arrhenius=st.booleans(),
)
def test_consumption_is_monotone_in_time_and_additive_over_splits(
    log: tuple[list[float], list[float]], cuts: list[float], arrhenius: bool
) -> None:
    times, temps = log
    table = LogTable(ARRHENIUS if arrhenius else Q10, times, temps)
    first, middle, last = sorted(cuts)
    assert table.consumed_until(first) <= table.consumed_until(middle)
    assert table.consumed_until(middle) <= table.consumed_until(last)
    whole = table.consumed_between(first, last)
    parts = table.consumed_between(first, middle) + table.consumed_between(middle, last)
    assert whole >= 0.0
    assert math.isclose(whole, parts, rel_tol=1e-9, abs_tol=1e-15)


@pytest.mark.parametrize(("consumed_a", "consumed_b"), [(0.2, 0.25), (0.2, 0.45), (0.3, 0.2)])
def test_fefo_in_a_profiled_room_issues_the_most_consumed_lot_first(
    consumed_a: float, consumed_b: float
) -> None:
    room = RepeatingProfile([LogTable(Q10, [0.0, 6.0, 7.0, 24.0], [2.0, 2.0, 15.0, 2.0])], 24.0)
    early = Lot(0, 0, 0, 10.0, 1.0, room, 3.0, 1)
    late = Lot(1, 0, 0, 10.0, 1.0, room, 8.0, 1)
    early.consumed, late.consumed = consumed_a, consumed_b
    now = 30.0
    key = issue_order_key("FEFO", [room])
    by_key = sorted([early, late], key=key)
    by_consumed_now = sorted(
        [early, late], key=lambda lot: -(lot.consumed + room.consumed(0, lot.updated_h, now))
    )
    assert [lot.id for lot in by_key] == [lot.id for lot in by_consumed_now]


def test_a_yearly_profile_must_end_at_8760_hours() -> None:
    NodeTemperatureLog(repeat="yearly", elapsed_h=(0.0, 8760.0), temp_c=(2.0, 2.0))
    with pytest.raises(ValueError, match="must end with a record at elapsed_h 8760"):
        NodeTemperatureLog(repeat="yearly", elapsed_h=(0.0, 24.0), temp_c=(2.0, 2.0))
