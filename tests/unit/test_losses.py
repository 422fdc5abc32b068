"""Losses by fate, stage, node and reason: where every unsold kg left the channel, and why."""

from __future__ import annotations

import collections
import datetime as dt

import numpy as np
import pytest
import simpy

from fieldtotable import simulate
from fieldtotable.experiment.records import run_from_data, run_to_data
from fieldtotable.export.tables import run_table_set
from fieldtotable.kinetics import Kinetics
from fieldtotable.model.context import Calendar, Context
from fieldtotable.model.ledger import LOSS_FATES, Ledger
from fieldtotable.model.lot import COLLECTION
from fieldtotable.model.storage import Storage
from fieldtotable.model.thermal import Ambient
from fieldtotable.results.run import Loss
from fieldtotable.tables.run import format_losses, format_run
from scenario_builders import build_scenario

# Shelf life 10 d at 0 °C, Q10 = 2: 240 h in the cold room (0 °C), 120 h outside (10 °C).
KINETICS = Kinetics(10.0, 0.0, q10=2.0)


def make_storage(on_full: str, *, warmup_days: int = 0) -> tuple[Context, Storage]:
    env = simpy.Environment()
    ledger = Ledger(["p0"], [], 20, warmup_days=warmup_days)
    ambient = Ambient(np.full(24 * 22, 10.0), [KINETICS])
    context = Context(
        env, ledger, Calendar(dt.date(2023, 1, 2), 22), [KINETICS], {"here": ambient}, 480.0
    )
    storage = Storage(context, "cold_room", ambient, 0.0, 100.0, on_full, COLLECTION, 1)
    return context, storage


def deliver(context: Context, storage: Storage, kg: float) -> None:
    lot = context.new_lot(0, 0, kg, 1.0, context.ambient["here"], COLLECTION, "farm", "harvest")
    storage.receive(lot)


def run_until(context: Context, storage: Storage, time_h: float) -> None:
    context.env.run(until=time_h)
    storage.inspect()


def test_lots_spoil_where_they_are_and_doing_what_they_do() -> None:
    context, storage = make_storage("wait")
    deliver(context, storage, 100.0)  # fills the room
    deliver(context, storage, 30.0)  # waits outside at 10 °C: spoils at 120 h
    run_until(context, storage, 130.0)
    waiting = ("spoiled", COLLECTION, "cold_room", "waiting_outside")
    assert context.ledger.losses == {waiting: [30.0]}
    run_until(context, storage, 250.0)  # the room's lot spoils at 240 h
    assert context.ledger.losses == {
        ("spoiled", COLLECTION, "cold_room", "waiting_outside"): [30.0],
        ("spoiled", COLLECTION, "cold_room", "cold_store"): [100.0],
    }


def test_a_full_store_that_refuses_books_the_kg_as_refused_for_a_full_store() -> None:
    context, storage = make_storage("refuse")
    deliver(context, storage, 80.0)
    deliver(context, storage, 30.0)
    assert context.ledger.losses == {("refused", COLLECTION, "cold_room", "store_full"): [30.0]}


def test_losses_during_the_warm_up_are_not_booked() -> None:
    context, storage = make_storage("wait", warmup_days=6)  # 144 h: after the 120 h spoilage
    deliver(context, storage, 100.0)
    deliver(context, storage, 30.0)
    run_until(context, storage, 250.0)
    assert context.ledger.losses == {("spoiled", COLLECTION, "cold_room", "cold_store"): [100.0]}


@pytest.mark.parametrize("warmup_days", [0, 7])
def test_the_losses_of_a_run_add_up_to_its_fates(warmup_days: int) -> None:
    scenario = build_scenario(
        {"warmup_days": warmup_days, "collection_points.cp.cold_room_kg": 300}
    )
    result = simulate(scenario, seed=3)
    totals: dict[str, float] = collections.defaultdict(float)
    for loss in result.losses:
        assert loss.fate in LOSS_FATES
        assert loss.kg > 0
        totals[loss.fate] += loss.kg
    for fate in ("rejected", "spoiled"):
        assert totals[fate] > 0
    for fate in LOSS_FATES:
        assert totals[fate] == pytest.approx(result.kpis[f"{fate}_kg"], rel=1e-9, abs=1e-9)
    by_stage: dict[str, float] = collections.defaultdict(float)
    for loss in result.losses:
        if loss.fate == "spoiled":
            by_stage[loss.stage] += loss.kg
    for stage, kg in result.spoiled_kg_by_stage.items():
        assert by_stage[stage] == pytest.approx(kg, rel=1e-9, abs=1e-9)
    # Grading happens at the collection point; the cold room overflows (300 kg) and
    # its queue outside spoils lots there.
    assert {(loss.node, loss.reason) for loss in result.losses if loss.fate == "rejected"} == {
        ("cp", "graded_out")
    }
    assert any(
        loss.node == "cp" and loss.reason == "waiting_outside"
        for loss in result.losses
        if loss.fate == "spoiled"
    )


def test_spoilage_in_a_failed_reefer_is_booked_to_the_failure() -> None:
    # Matsutake keeps 5 days at 2 °C; a 40 h failure puts it at Shangri-La's or
    # Shanghai's July air (13-30 °C) for most of the trip.
    def transit_losses(probability: float) -> dict[str, float]:
        scenario = build_scenario(
            {
                "legs.cp_shanghai.reefer_failure": {
                    "probability_per_trip": probability,
                    "duration_h": {"dist": "constant", "value": 40},
                },
            }
        )
        kg: dict[str, float] = collections.defaultdict(float)
        for loss in simulate(scenario, seed=0).losses:
            if loss.fate == "spoiled" and loss.stage == "transit":
                assert loss.node == "cp_shanghai"
                kg[loss.reason] += loss.kg
        return kg

    sound, failing = transit_losses(0.0), transit_losses(1.0)
    assert "reefer_failure" not in sound
    assert failing["reefer_failure"] > 1000.0
    # Lots that would have spoiled in a sound reefer keep that reason: the failures
    # add kg under their own reason and leave the others as they were.
    assert failing["in_transit"] == pytest.approx(sound["in_transit"], rel=1e-12)


def test_losses_survive_the_run_record_and_make_the_losses_table() -> None:
    result = simulate(build_scenario({"collection_points.cp.cold_room_kg": 300}), seed=1)
    assert result.losses
    assert run_from_data(run_to_data(result)) == result
    table = run_table_set(result)["losses"]
    assert table.columns == ("fate", "stage", "node", "reason", "product", "kg")
    assert len(table.rows) == len(result.losses)
    assert sum(table.column("kg")) == pytest.approx(sum(loss.kg for loss in result.losses))
    assert result.to_dict()["losses"][0] == {
        name: getattr(result.losses[0], name) for name in Loss.__slots__
    }
    # Sorted: fates in LOSS_FATES order, stages in channel order.
    order = [(LOSS_FATES.index(loss.fate), loss.stage) for loss in result.losses]
    assert [fate for fate, _ in order] == sorted(fate for fate, _ in order)


def test_the_run_text_shows_the_largest_losses_first_and_sums_the_rest() -> None:
    result = simulate(build_scenario({"collection_points.cp.cold_room_kg": 300}), seed=1)
    totals: dict[tuple[str, str, str, str], float] = collections.defaultdict(float)
    for loss in result.losses:
        totals[loss.fate, loss.stage, loss.node, loss.reason] += loss.kg
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    assert len(ranked) > 3
    lines = format_losses(result, rows=3).splitlines()[3:]  # after the header and rule
    assert [line.split()[:4] for line in lines[:3]] == [list(key) for key, _ in ranked[:3]]
    rest = sum(kg for _key, kg in ranked[3:])
    assert lines[3].split()[:2] == [str(len(ranked) - 3), "more"]
    assert float(lines[3].split()[2].replace(",", "")) == pytest.approx(rest, abs=0.05)
    assert "Where the unsold kg went" in format_run(result)
