"""The lean floor: a hand-written SimPy model of the baseline year, as lean as we can make it.

It runs the workload of the built-in 2023 baseline (``scenarios/baseline_2023.yaml``)
with no library code on the hot path: the same lots (one per source, product and
harvest day), the same stages (collection point with grading and precooling, the
legs with their dispatch rules and fleets, the hubs' handling, the Shanghai DC, a
store with hourly shop slots and daily order-up-to replenishment, the two
order markets), the same trips, and per-lot aging with the Q10 (or Arrhenius) float
math at every stage's temperature. Its parameters are read from the scenario's data
(a plain dict); the model itself is written here, callbacks on SimPy timeouts where a
process is not needed.

Left out (features of the library, not the workload the floor prices; some of them
are part of fieldtotable's overhead over this floor): costs and CO2, closures and
reefer failures, breakage and weight loss, markdowns, the ledger's per-day tables,
the capacity limits of stores, shelves and precoolers.

:func:`run` returns the wall time and the workload counts (lots created, split parts
included; trips; shop slots served; kg harvested and sold), which
``tests/bench/test_perf_fair.py`` compares with the library's run of the same
scenario.
"""

from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from fieldtotable import builtin_scenario

GAS_CONSTANT = 8.314e-3  # kJ / (mol K)
#: The workload counts :func:`run` reports (and the library's run is compared on).
COUNTS = ("lots", "trips", "shop_slots", "harvested_kg", "sold_kg", "spoiled_kg")


class Lot:
    """Kilograms of one product with the shelf life they have left (days at the reference)."""

    __slots__ = ("kg", "left_d", "product", "updated_h")

    def __init__(self, product: str, kg: float, left_d: float, now: float) -> None:
        self.product, self.kg, self.left_d, self.updated_h = product, kg, left_d, now


class LeanBaseline:
    """The baseline year in plain SimPy; ``counts`` holds the workload after :meth:`run`."""

    def __init__(self, data: dict[str, Any], days: int = 365, seed: int = 0) -> None:
        self.data = data
        self.days, self.env = days, simpy.Environment()
        self.random, self.numpy = random.Random(seed), np.random.default_rng(seed)
        self.products = self.data["products"]
        self.counts = dict.fromkeys(COUNTS, 0.0)
        self.out_legs: dict[str, list[dict[str, Any]]] = {}
        self.queues: dict[str, list[Lot]] = {}
        for leg_id, leg in self.data["legs"].items():
            leg["id"], leg["free"], leg["deadline"] = leg_id, leg["fleet"], None
            self.out_legs.setdefault(leg["from"], []).append(leg)
            self.queues[leg_id] = []
        self.stock: dict[str, list[Lot]] = {product: [] for product in self.products}  # Shanghai DC
        self.shelf: dict[str, list[Lot]] = {product: [] for product in self.products}

    # --- draws, temperature, aging ------------------------------------------------------
    def draw(self, spec: Any) -> float:
        """One draw of a distribution given as scenario data (a number is a constant)."""
        if not isinstance(spec, dict):
            return float(spec)
        kind, r = spec["dist"], self.random
        if kind == "triangular":
            return r.triangular(spec["low"], spec["high"], spec["mode"])
        if kind == "lognormal":
            sigma2 = math.log(1 + spec["cv"] ** 2)
            return r.lognormvariate(math.log(spec["mean"]) - sigma2 / 2, math.sqrt(sigma2))
        if kind == "uniform":
            return r.uniform(float(spec["low"]), float(spec["high"]))
        if kind == "normal":
            return max(r.gauss(float(spec["mean"]), float(spec["sd"])), 0.0)
        value = spec.get("value", spec.get("mean"))
        return float(value or 0.0)

    def temperature(self, place: dict[str, Any], product: str) -> float:
        """A place's setpoint for the product's temperature class (the air for a source)."""
        kind = self.products[product]["temperature_class"]
        if "setpoint_c" not in place:
            month = min(int(self.env.now // 24 * 12 / 365), 11)
            return float(self.data["climate"][place["region"]]["monthly_mean_c"][month])
        return float((place.get("class_setpoints_c") or {}).get(kind, place["setpoint_c"]))

    def age(self, lot: Lot, celsius: float) -> None:
        """Consume shelf life from ``lot.updated_h`` to now at ``celsius`` (Q10 or Arrhenius)."""
        p, now = self.products[lot.product], self.env.now
        if p.get("activation_energy_kj_mol"):
            inverse = 1 / (p["ref_temp_c"] + 273.15) - 1 / (celsius + 273.15)
            rate = math.exp(p["activation_energy_kj_mol"] / GAS_CONSTANT * inverse)
        else:
            rate = p["q10"] ** ((celsius - p["ref_temp_c"]) / 10)
        lot.left_d -= (now - lot.updated_h) / 24 * rate
        lot.updated_h = now

    def split(self, lot: Lot, kg: float) -> Lot:
        """Take ``kg`` off ``lot`` as a new lot (a split part counts as a lot)."""
        lot.kg -= kg
        self.counts["lots"] += 1
        return Lot(lot.product, kg, lot.left_d, lot.updated_h)

    def later(self, delay_h: float, callback: Any, *args: Any) -> None:
        """Call ``callback(*args)`` after ``delay_h`` hours: one timeout, no process."""
        self.env.timeout(max(delay_h, 0.0)).callbacks.append(lambda _event: callback(*args))

    # --- supply side --------------------------------------------------------------------
    def harvest(self, source: dict[str, Any]) -> Generator[simpy.Event, Any, None]:
        """One lot per product a day at the harvest hour, sent to the collection point."""
        env = self.env
        for day in range(self.days):
            yield env.timeout(day * 24 + source["harvest_hour"] - env.now)
            month = min(int(day * 12 / 365), 11)
            for product, supply in source["supply"].items():
                factor = supply["season"][month] * self.data["scale"]
                if factor <= 0:
                    continue
                kg = self.draw(supply["kg_per_day"]) * factor
                life = self.products[product]["shelf_life_days"]
                lot = Lot(
                    product,
                    kg,
                    life * max(self.random.gauss(1, self.products[product]["shelf_life_cv"]), 0.1),
                    env.now,
                )
                self.counts["lots"] += 1
                self.counts["harvested_kg"] += kg
                delay = self.draw(source["hours_to_collection"])
                self.later(delay, self.at_collection, lot, source)

    def at_collection(self, lot: Lot, source: dict[str, Any]) -> None:
        """Grade and precool (chilled classes), then queue for the outbound leg."""
        self.age(lot, self.temperature(source, lot.product))
        point = self.data["collection_points"][source["collection_point"]]
        lot.kg *= 1 - (point.get("grading_reject_fraction") or {}).get(lot.product, 0.0)
        cooling = point.get("precooling") or {}
        chilled = self.products[lot.product]["temperature_class"] in (cooling.get("classes") or [])
        delay = self.draw(cooling["time_h"]) if chilled else 0.0
        self.later(delay, self.enqueue, lot, source["collection_point"], point)

    # --- legs ---------------------------------------------------------------------------
    def enqueue(self, lot: Lot, node_id: str, node: dict[str, Any]) -> None:
        """Put a lot in the queue of the leg it leaves ``node_id`` by (or into DC stock)."""
        self.age(lot, self.temperature(node, lot.product))
        legs = self.out_legs.get(node_id)
        if not legs:
            self.restock(self.stock[lot.product], [lot])
            return
        month = min(int(self.env.now // 24 * 12 / 365), 11) + 1
        preferred = self.data["routing"]["prefer_modes"].get(lot.product, [])
        usable = [
            leg
            for leg in legs
            if month in leg["active_months"]
            and lot.product in (leg.get("products") or [lot.product])
        ]
        leg = next((leg for leg in usable if leg["mode"] in preferred), None)
        leg = leg or next(leg for leg in usable if leg.get("products") is None)
        self.queues[leg["id"]].append(lot)
        dispatch = leg["dispatch"]
        if dispatch["policy"] == "full_or_timeout":
            if sum(queued.kg for queued in self.queues[leg["id"]]) >= dispatch["min_load_kg"]:
                self.depart(leg)
            elif leg["deadline"] is None:
                leg["deadline"] = self.env.now + dispatch["max_wait_h"]
                self.later(dispatch["max_wait_h"], self.timed_out, leg, leg["deadline"])

    def timed_out(self, leg: dict[str, Any], deadline: float) -> None:
        """The oldest lot has waited ``max_wait_h``: leave (unless the deadline moved)."""
        if leg["deadline"] == deadline:
            self.depart(leg)

    def scheduled(self, leg: dict[str, Any]) -> Generator[simpy.Event, Any, None]:
        """A leg with departure hours: leave at each one with whatever waits."""
        env = self.env
        for day in range(self.days):
            for hour in leg["dispatch"]["departures_h"]:
                yield env.timeout(max(day * 24 + hour - env.now, 0.0))
                self.depart(leg)

    def depart(self, leg: dict[str, Any]) -> None:
        """Load up to the vehicle's capacity (oldest first) and drive, if a vehicle is free."""
        queue = self.queues[leg["id"]]
        if not queue or leg["free"] == 0:
            return
        leg["free"] -= 1
        leg["deadline"] = None
        load, room = [], leg["vehicle_capacity_kg"]
        while queue and room > 1e-9:
            lot = queue[0] if queue[0].kg <= room else self.split(queue[0], room)
            if lot is queue[0]:
                queue.pop(0)
            self.age(lot, self.temperature(self.place(leg["from"]), lot.product))
            load.append(lot)
            room -= lot.kg
        self.counts["trips"] += 1
        transit = leg["loading_h"] + self.draw(leg["transit_time_h"])
        self.later(transit, self.arrive, leg, load)
        self.later(2 * transit, self.vehicle_back, leg)
        if queue and leg["dispatch"]["policy"] == "full_or_timeout":
            leg["deadline"] = self.env.now + leg["dispatch"]["max_wait_h"]
            self.later(leg["dispatch"]["max_wait_h"], self.timed_out, leg, leg["deadline"])

    def vehicle_back(self, leg: dict[str, Any]) -> None:
        """A vehicle is back from its round trip: a waiting full-or-timeout load may leave."""
        leg["free"] += 1
        if leg["dispatch"]["policy"] == "full_or_timeout" and leg["deadline"] is None:
            self.depart(leg)

    def place(self, node_id: str) -> dict[str, Any]:
        """A collection point's or a hub's data."""
        for kind in ("collection_points", "hubs"):
            if node_id in self.data[kind]:
                found: dict[str, Any] = self.data[kind][node_id]
                return found
        raise KeyError(node_id)

    def arrive(self, leg: dict[str, Any], load: list[Lot]) -> None:
        """Unload at the hub: age in transit, then handling before the next queue."""
        hub = self.data["hubs"][leg["to"]]
        for lot in load:
            self.age(lot, self.temperature(leg, lot.product))
            self.later(hub["handling_time_h"], self.enqueue, lot, leg["to"], hub)

    # --- markets ------------------------------------------------------------------------
    def take(
        self, lots: list[Lot], kg: float, place: dict[str, Any], *, sell: bool = False
    ) -> list[Lot]:
        """Up to ``kg`` from ``lots`` (kept in expiry order); expired lots are thrown away.

        A sale takes kilograms off a lot in place; a delivery splits a part off (a new lot).
        """
        taken: list[Lot] = []
        while lots and kg > 1e-9:
            lot = lots[0]
            self.age(lot, self.temperature(place, lot.product))
            if lot.left_d <= 0:
                self.counts["spoiled_kg"] += lots.pop(0).kg
                continue
            if lot.kg <= kg:
                taken.append(lots.pop(0))
                kg -= lot.kg
            elif sell:
                lot.kg -= kg
                taken.append(Lot(lot.product, kg, lot.left_d, lot.updated_h))
                kg = 0.0
            else:
                taken.append(self.split(lot, kg))
                kg = 0.0
        if sell:
            self.counts["sold_kg"] += sum(part.kg for part in taken)
        return taken

    def restock(self, shelf: list[Lot], lots: list[Lot]) -> None:
        """Put delivered lots on the shelf, earliest expiry first (FEFO)."""
        shelf.extend(lots)
        now = self.env.now
        shelf.sort(key=lambda lot: lot.left_d - (now - lot.updated_h) / 24)

    def store(self, market: dict[str, Any]) -> Generator[simpy.Event, Any, None]:
        """Order up to the target at the review hour; serve customers in hourly slots."""
        env, dc = self.env, self.data["hubs"][market["supplied_by"]]
        opens, closes = market["open_hours"]
        slots = int(closes - opens)
        refill = market["replenishment"]
        for day in range(self.days):
            month, weekday = min(int(day * 12 / 365), 11), (day + 6) % 7  # 2023-01-01: Sunday
            yield env.timeout(day * 24 + refill["at_hour"] - env.now)
            plan = {}
            for product, demand in market["demand"].items():
                factor = (
                    demand["weekday_factors"][weekday]
                    * demand["season"][month]
                    * self.data["scale"]
                )
                mean = demand["customers_per_day"]["mean"] * factor
                expected = (
                    mean
                    * (demand["kg_per_customer"]["low"] + demand["kg_per_customer"]["high"])
                    / 2
                )
                short = refill["target_days_of_demand"] * expected - sum(
                    lot.kg for lot in self.shelf[product]
                )
                if short > 0:
                    delivered = self.take(self.stock[product], short, dc)
                    self.later(refill["lead_time_h"], self.restock, self.shelf[product], delivered)
                customers = int(self.numpy.poisson(mean)) if mean > 0 else 0
                if customers:
                    per_slot = self.numpy.multinomial(customers, [1 / slots] * slots)
                    spec = demand["kg_per_customer"]
                    kg = self.numpy.uniform(spec["low"], spec["high"], customers).cumsum()
                    ends = per_slot.cumsum()
                    plan[product] = np.diff(
                        np.concatenate(
                            ([0.0], np.where(ends > 0, kg[np.maximum(ends - 1, 0)], 0.0))
                        )
                    ).tolist()
            for slot in range(slots):
                yield env.timeout(day * 24 + opens + slot + 0.5 - env.now)
                self.counts["shop_slots"] += 1
                for product, wanted in plan.items():
                    if wanted[slot] > 0:
                        self.take(self.shelf[product], wanted[slot], market, sell=True)

    def orders(self, market: dict[str, Any]) -> Generator[simpy.Event, Any, None]:
        """Each product's order on its days, filled from the DC's stock."""
        env, dc = self.env, self.data["hubs"][market["supplied_by"]]
        hour = min(order["at_hour"] for order in market["orders"].values())
        for day in range(self.days):
            yield env.timeout(day * 24 + hour - env.now)
            month = min(int(day * 12 / 365), 11)
            for product, order in market["orders"].items():
                if (
                    day >= (order.get("first_day") or 0)
                    and (day - (order.get("first_day") or 0)) % order["every_days"] == 0
                ):
                    kg = self.draw(order["kg"]) * order["season"][month] * self.data["scale"]
                    if kg > 0:
                        # picked from the DC like a delivery (a split part is a lot), then sold
                        self.counts["sold_kg"] += sum(
                            lot.kg for lot in self.take(self.stock[product], kg, dc)
                        )

    def run(self) -> dict[str, float]:
        """Start every process, run the horizon, return the workload counts."""
        for source in self.data["sources"].values():
            self.env.process(self.harvest(source))
        for leg in self.data["legs"].values():
            if leg["dispatch"]["policy"] == "scheduled":
                self.env.process(self.scheduled(leg))
        for market in self.data["markets"].values():
            self.env.process(
                self.store(market) if market["kind"] == "store" else self.orders(market)
            )
        self.env.run(until=self.days * 24)
        return self.counts


def baseline_data() -> dict[str, Any]:
    """The built-in baseline as plain data (loaded once, before any timing)."""
    data: dict[str, Any] = builtin_scenario("baseline").model_dump(mode="json", by_alias=True)
    return data


def run(days: int = 365, seed: int = 0, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build and run the lean model; wall time (build included) and workload counts."""
    data = copy.deepcopy(data or baseline_data())  # the model writes into its legs
    started = time.perf_counter()
    counts = LeanBaseline(data, days, seed).run()
    return {"wall_s": time.perf_counter() - started, **counts}


if __name__ == "__main__":
    print(run())
