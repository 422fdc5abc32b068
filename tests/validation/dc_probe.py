"""Little's law at a hub: the stock, the arrivals and the sojourns, from separate records.

:func:`observe_hub` runs one replication of a scenario with three independent
observers of one hub's store (by default the Shanghai DC):

* the **stock** ``L``: the store's own count of the kg it holds (``Storage.held_kg``:
  in the cold room plus any waiting outside), read every ``sample_every_h`` hours
  and averaged over the horizon;
* the **arrival rate** ``lambda``: the kg unloaded from the legs into the hub, from
  the ledger's flow log (``arrive`` records), divided by the horizon;
* the **sojourn** ``W``: for every piece of a lot that leaves the store -- picked for
  a market (``Storage.take``), loaded onto a vehicle (``Storage.take_oldest``) or
  discarded as spoiled -- its kg as the store counted them (the weight a lot lost in
  store is settled as it leaves) and the hours since it was admitted (the lot's own
  ``arrived_h`` stamp, which split parts keep), kg-weighted.

The observers only read: the run's kg harvested, sold and spoiled are those of
``simulate`` with the same seed (``test_littles_law_dc.py`` checks it). Used by that test and by
``benchmarks/validation.py``.
"""

from __future__ import annotations

import collections
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from fieldtotable import Scenario
from fieldtotable.model.lot import Lot
from fieldtotable.model.world import World


@dataclass(frozen=True)
class HubObservation:
    """What the observers of one hub saw over one run.

    Attributes
    ----------
    horizon_h
        Length of the run, h.
    mean_stock_kg
        ``L``: time-average kg held by the store.
    arrival_rate_kg_per_h
        ``lambda``: kg unloaded into the hub per hour (flow log).
    mean_sojourn_h
        ``W``: kg-weighted mean hours from admission to departure of the kg that left.
    departed_kg
        Kg that left the store (picked, loaded or spoiled).
    arrived_kg
        Kg unloaded into the hub (flow log).
    stock_end_kg
        Kg in the store at the end of the run.
    stock_end_age_kg_h
        Sum over the kg still held at the end of kg x hours since admission.
    totals_kg
        Kg harvested, sold and spoiled over the run, from its ledger (to check that
        observing changed nothing).
    """

    horizon_h: float
    mean_stock_kg: float
    arrival_rate_kg_per_h: float
    mean_sojourn_h: float
    departed_kg: float
    arrived_kg: float
    stock_end_kg: float
    stock_end_age_kg_h: float
    totals_kg: dict[str, float]

    @property
    def little_product_kg(self) -> float:
        """``lambda x W``, kg."""
        return self.arrival_rate_kg_per_h * self.mean_sojourn_h

    @property
    def relative_gap(self) -> float:
        """``(L - lambda W) / L``."""
        return (self.mean_stock_kg - self.little_product_kg) / self.mean_stock_kg

    @property
    def end_terms(self) -> tuple[float, float]:
        """The two finite-horizon terms of ``(L - lambda W) / L``, which Little's law drops.

        ``L - lambda W = (A - B) / T`` exactly (up to the sampling of ``L``), with
        ``A`` the kg-hours of the kg still held at the end (in ``L``, not in ``W``)
        and ``B = (arrived - departed) x W`` (kg in ``lambda`` that have not left).
        Returned as ``(A / (T L), B / (T L))``; both vanish as the horizon grows.
        """
        scale = self.horizon_h * self.mean_stock_kg
        unfinished = (self.arrived_kg - self.departed_kg) * self.mean_sojourn_h
        return self.stock_end_age_kg_h / scale, unfinished / scale

    @property
    def sample_path_stock_kg(self) -> float:
        """``(sum of kg x sojourn, the kg still held counted to the end) / T``, kg.

        For a store that starts empty this equals the time-average stock exactly
        (the sample-path form of Little's law); it differs from :attr:`mean_stock_kg`
        only by the sampling of the stock.
        """
        total = self.mean_sojourn_h * self.departed_kg + self.stock_end_age_kg_h
        return total / self.horizon_h


def observe_hub(
    scenario: Scenario, seed: int, hub: str = "shanghai_dc", sample_every_h: float = 0.25
) -> HubObservation:
    """Run ``scenario`` with ``seed`` and observe the store of ``hub``."""
    world = World(scenario, seed, record_flows=True)
    env = world.env
    context = world.context
    storage = world.storages[hub]
    admitted: set[int] = set()
    departures: list[tuple[float, float]] = []  # (kg, hours in the store)

    admit, take_front = storage._admit, storage._take_front
    spoil_if_expired = context.spoil_if_expired

    def record(lots: Iterable[Lot]) -> None:
        departures.extend((lot.kg, env.now - lot.arrived_h) for lot in lots)

    def observed_admit(lot: Lot) -> None:
        admitted.add(lot.id)  # split parts that stay keep their id; parts taken leave
        admit(lot)

    def observed_take_front(lots: list[Lot], kg: float) -> list[Lot]:
        # Every pick (Storage.take) and load (Storage.take_oldest) goes through here; the
        # kg are those the store counted, before the weight lost in store is settled.
        picked = take_front(lots, kg)
        record(picked)
        return picked

    def observed_spoil(lot: Lot, place: str, time_h: float | None = None) -> bool:
        kg, admitted_at = lot.kg, lot.arrived_h
        spoiled = spoil_if_expired(lot, place, time_h)
        if spoiled and place == hub and lot.id in admitted:
            departures.append((kg, env.now - admitted_at))
        return spoiled

    storage._admit = observed_admit  # type: ignore[method-assign]
    storage._take_front = observed_take_front  # type: ignore[method-assign]
    context.spoil_if_expired = observed_spoil  # type: ignore[method-assign]

    horizon_h = context.horizon_h
    samples: list[float] = []

    def sampler() -> Generator[simpy.Event, Any, None]:
        # Mid-points of equal slices of the horizon, off the model's whole hours.
        at = sample_every_h / 2
        while at < horizon_h:
            yield env.timeout(at - env.now)
            samples.append(storage.held_kg)
            at += sample_every_h

    env.process(sampler())
    world.run()
    arrays = world.ledger.arrays()

    inbound = {leg_id for leg_id, leg in scenario.legs.items() if leg.to == hub}
    arrived_kg = sum(
        flow.kg for flow in world.ledger.flows if flow.kind == "arrive" and flow.place in inbound
    )
    held = [lot for lots in storage.stock for lot in lots] + list(storage.waiting)
    # The run's end settles the weight the lots still held had lost (booked at the
    # horizon); the store counts them as admitted, and so does the end term.
    lost_at_end: dict[int, float] = collections.defaultdict(float)
    for flow in world.ledger.flows:
        if flow.kind == "damage" and flow.time_h == horizon_h:
            lost_at_end[flow.lot] += flow.kg
    kg = np.array([kg for kg, _hours in departures])
    hours = np.array([hours for _kg, hours in departures])
    return HubObservation(
        horizon_h=horizon_h,
        mean_stock_kg=float(np.mean(samples)),
        arrival_rate_kg_per_h=arrived_kg / horizon_h,
        mean_sojourn_h=float(np.sum(kg * hours) / np.sum(kg)),
        departed_kg=float(np.sum(kg)),
        arrived_kg=arrived_kg,
        stock_end_kg=storage.held_kg,
        stock_end_age_kg_h=sum(
            (lot.kg + lost_at_end[lot.id]) * (horizon_h - lot.arrived_h) for lot in held
        ),
        totals_kg={name: float(arrays[name].sum()) for name in ("harvested", "sold", "spoiled")},
    )
