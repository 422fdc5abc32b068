"""Fixed shelf life in fieldtotable and in SupplyNetPy: the same small network in both.

Network (both libraries): supplier -> distribution centre (DC) -> one store, one
perishable product with a fixed shelf life, everything at one constant temperature.

* **Supply (push, daily).** Every day ``LOTS_PER_DAY`` equal lots reach the DC at
  ``DEPARTURE_HOUR``, each harvested ``Case.supply_age_h`` hours earlier. The DC
  holds at most ``Case.dc_capacity_kg``; a lot that does not fit is turned away
  whole. fieldtotable: ``LOTS_PER_DAY`` sources harvest at ``Case.harvest_hour``
  (20:00), a truck leaves at 02:00 and takes 24 h, the hub has ``on_full: refuse``. SupplyNetPy:
  the DC orders, once a day with lead time 0, as many whole lots from an infinite
  supplier as fit in its free room (:func:`whole_lot_daily_orders`) and dates them
  ``Case.supply_age_h`` hours back (``manufacture_date``).
* **Store.** Reviews its stock on hand plus on order at 06:00 with an (s, S) rule;
  the DC ships at once (oldest units first) and the order arrives ``STORE_LEAD_H``
  hours later. Customers come as a Poisson process around the clock, want 1 kg each,
  take what is there; the rest of the sale is lost. SupplyNetPy can instead replay
  fieldtotable's own customers (:func:`fieldtotable_customer_days`). Issue is oldest first (FIFO) at
  the DC and at the store.
* **Expiry.** A unit expires ``Case.shelf_life_d`` days after its harvest
  (SupplyNetPy: manufacturing) date wherever it is and is thrown away: the waste.
  With whole-day shelf lives this happens at 20:00, when neither node has anything
  else to do (see the page ``docs/validation/supplynetpy.md`` for why that matters).

Waste, sales and DC admissions are measured over ``Case.measured_days`` days after a
warm-up of ``WARMUP_D`` days.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import simpy

from fieldtotable import Scenario, simulate
from fieldtotable.model.context import Calendar, replication_seed, stream
from fieldtotable.model.store_demand import DemandDraws
from fieldtotable.scenario.loader import validate_scenario_data

TEMPERATURE_C = 2.0
LOTS_PER_DAY = 10
DEPARTURE_HOUR = 2.0  # the truck's daily departure; it reaches the DC 24 h later
TRANSIT_H = 24.0
STORE_REVIEW_HOUR = 6.0
STORE_LEAD_H = 6.0
WARMUP_D = 30
LARGE_CAPACITY_KG = 1e6
FIELDTOTABLE_SEED = 2024
SUPPLYNETPY_SEED = 4202


@dataclass(frozen=True)
class Case:
    """One parameter set of the comparison.

    Attributes
    ----------
    name
        Label of the case.
    shelf_life_d
        Fixed shelf life from harvest, days.
    reorder_point_kg, order_up_to_kg
        The store's (s, S) levels, on stock on hand plus on order.
    dc_capacity_kg
        Most kg the DC holds; it is also the kg offered to it every day, so the
        DC is topped up to (nearly) full each morning.
    customers_per_day
        Poisson customers a day at the store (1 kg each).
    measured_days
        Days measured after the warm-up.
    harvest_hour
        Hour of the daily harvest, hence (whole-day shelf lives) of every expiry.
    """

    name: str
    shelf_life_d: float
    reorder_point_kg: float
    order_up_to_kg: float
    dc_capacity_kg: float
    customers_per_day: float = 20.0
    measured_days: int = 200
    harvest_hour: float = 20.0

    @property
    def supply_age_h(self) -> float:
        """Age of a lot on arrival at the DC: wait for the truck, then the trip."""
        return (DEPARTURE_HOUR - self.harvest_hour) % 24 + TRANSIT_H

    @property
    def first_dc_arrival_d(self) -> float:
        """Day (fractional) on which the first harvest, that of day 0, reaches the DC."""
        return (self.harvest_hour + self.supply_age_h) / 24

    @property
    def horizon_days(self) -> int:
        """Warm-up plus measured days."""
        return WARMUP_D + self.measured_days

    @property
    def lot_kg(self) -> float:
        """Kg of one supply lot."""
        return self.dc_capacity_kg / LOTS_PER_DAY

    def with_shelf_life(self, shelf_life_d: float) -> Case:
        """The same case with another shelf life."""
        return replace(
            self, name=f"{self.name}, shelf life {shelf_life_d:g} d", shelf_life_d=shelf_life_d
        )

    def with_harvest_hour(self, harvest_hour: float) -> Case:
        """The same case with the harvest (and so every expiry) at another hour."""
        return replace(
            self, name=f"{self.name}, harvest at {harvest_hour:g} h", harvest_hour=harvest_hour
        )


#: The cases of the comparison: short shelf life, and two longer ones with deeper stock.
CASES = (
    Case(
        "short shelf life",
        shelf_life_d=4,
        reorder_point_kg=10,
        order_up_to_kg=30,
        dc_capacity_kg=40,
    ),
    Case(
        "medium shelf life",
        shelf_life_d=6,
        reorder_point_kg=20,
        order_up_to_kg=60,
        dc_capacity_kg=70,
    ),
    Case(
        "long shelf life", shelf_life_d=8, reorder_point_kg=20, order_up_to_kg=80, dc_capacity_kg=90
    ),
)


@dataclass(frozen=True)
class Outcome:
    """What one replication measured after the warm-up (kg).

    Attributes
    ----------
    waste_kg
        Expired and thrown away (DC and store).
    supplied_kg
        Admitted into the DC.
    sold_kg, demand_kg
        Sold to customers, and wanted by them.
    days
        Measured days.
    """

    waste_kg: float
    supplied_kg: float
    sold_kg: float
    demand_kg: float
    days: int

    @property
    def waste_kg_per_day(self) -> float:
        """Waste per measured day."""
        return self.waste_kg / self.days

    @property
    def waste_fraction(self) -> float:
        """Waste as a share of what the DC admitted."""
        return self.waste_kg / self.supplied_kg

    @property
    def fill_rate(self) -> float:
        """Sold / wanted."""
        return self.sold_kg / self.demand_kg


# -- fieldtotable ------------------------------------------------------------------
def fieldtotable_scenario(case: Case) -> Scenario:
    """The network as a fieldtotable scenario (fixed shelf life: one flat temperature)."""
    flat = {"monthly_mean_c": [TEMPERATURE_C] * 12, "daily_range_c": 0}
    sources = {
        f"supplier_{index}": {
            "region": "flat",
            "collection_point": "supplier_cp",
            "harvest_hour": case.harvest_hour,
            "hours_to_collection": 0,
            "supply": {"item": {"kg_per_day": case.lot_kg}},
        }
        for index in range(LOTS_PER_DAY)
    }
    store = {
        "kind": "store",
        "region": "flat",
        "supplied_by": "dc",
        "open_hours": [0, 24],
        "setpoint_c": TEMPERATURE_C,
        "shelf_capacity_kg": LARGE_CAPACITY_KG,
        "issuing": "FIFO",
        "replenishment": {
            "policy": "s_S",
            "at_hour": STORE_REVIEW_HOUR,
            "lead_time_h": STORE_LEAD_H,
            "levels": {"item": {"s_kg": case.reorder_point_kg, "S_kg": case.order_up_to_kg}},
        },
        "demand": {
            "item": {
                "customers_per_day": {"dist": "poisson", "mean": case.customers_per_day},
                "kg_per_customer": 1,
            }
        },
    }
    data = {
        "name": f"SupplyNetPy comparison, {case.name}",
        "start_date": "2023-01-01",
        "horizon_days": case.horizon_days,
        "warmup_days": WARMUP_D,
        "climate": {"flat": flat},
        "products": {
            "item": {
                "temperature_class": "chilled",
                "shelf_life_days": case.shelf_life_d,
                "ref_temp_c": TEMPERATURE_C,
                "q10": 2,
                "shelf_life_cv": 0,
                "price_cny_per_kg": 12,
            }
        },
        "sources": sources,
        "collection_points": {
            "supplier_cp": {
                "region": "flat",
                "grading_reject_fraction": 0,
                "precooling": {"time_h": 0},
                "cold_room_kg": LARGE_CAPACITY_KG,
                "setpoint_c": TEMPERATURE_C,
            }
        },
        "hubs": {
            "dc": {
                "region": "flat",
                "handling_time_h": 0,
                "dock_exposure_h": 0,
                "storage_kg": case.dc_capacity_kg,
                "on_full": "refuse",
                "setpoint_c": TEMPERATURE_C,
            }
        },
        "legs": {
            "supplier_dc": {
                "from": "supplier_cp",
                "to": "dc",
                "mode": "reefer_truck",
                "distance_km": 100,
                "transit_time_h": TRANSIT_H,
                "fleet": 5,  # enough trucks for a departure every day
                "vehicle_capacity_kg": LARGE_CAPACITY_KG,
                "dispatch": {"policy": "scheduled", "departures_h": [DEPARTURE_HOUR]},
                "setpoint_c": TEMPERATURE_C,
                "loading_h": 0,
                "cost_cny_per_trip": 100,
            }
        },
        "markets": {"store": store},
    }
    return validate_scenario_data(data)


def run_fieldtotable(case: Case, replication: int) -> Outcome:
    """Replication ``replication`` of ``case`` in fieldtotable."""
    result = simulate(fieldtotable_scenario(case), FIELDTOTABLE_SEED, replication=replication)
    kpis = result.kpis
    arrived_kg = math.fsum(result.daily["arrived_at_market_hub_kg"][WARMUP_D:])
    return Outcome(
        waste_kg=kpis["spoiled_kg"],
        supplied_kg=arrived_kg - kpis["refused_kg"],  # lots are refused on arrival
        sold_kg=kpis["sold_kg"],
        demand_kg=kpis["demand_kg"],
        days=case.measured_days,
    )


def fieldtotable_customer_days(case: Case, replication: int) -> list[float]:
    """The customers of fieldtotable's replication, as arrival times in days.

    Replays the store's demand draws with the model's own
    :class:`~fieldtotable.model.store_demand.DemandDraws` (its random stream, its blocks
    of days: Poisson counts spread over the 24 hour slots by a multinomial draw) and
    places each customer where fieldtotable serves it: in the middle of its hour. A
    customer takes 1 kg, so a slot's kg is its count. Fed to :func:`run_supplynetpy`,
    SupplyNetPy then meets exactly the same customers.
    """
    scenario = fieldtotable_scenario(case)
    shares = np.full(24, 1.0) / 24.0
    draws = DemandDraws(
        0,
        scenario.markets["store"].demand["item"],  # type: ignore[union-attr]
        stream(replication_seed(FIELDTOTABLE_SEED, replication), "market", "store", "item"),
        scale=scenario.scale,
        calendar=Calendar(scenario.start_date, case.horizon_days),
        slot_shares=shares,
        opening_h=0.0,
        horizon_h=case.horizon_days * 24.0,
        path="markets.store.demand.item",
    )
    times: list[float] = []
    for day in range(case.horizon_days):
        drawn = draws.day(day)
        if drawn is None:
            continue
        slot_kg, _busy = drawn
        for hour, kg in enumerate(slot_kg):
            times.extend([(day * 24 + hour + 0.5) / 24] * round(kg))
    return times


# -- SupplyNetPy -------------------------------------------------------------------
def _supplynetpy() -> Any:
    """SupplyNetPy's public API (an optional dependency), under its documented name."""
    import SupplyNetPy.Components as scm  # noqa: PLC0415, N813 -- optional; its docs' name

    return scm


def whole_lot_daily_orders(scm: Any) -> type:
    """The DC's supply rule as a SupplyNetPy replenishment policy class.

    Once a day (from ``first_review_delay``) the DC orders as many whole lots of
    ``lot`` units, at most ``lots``, as fit in its free room: the rule by which a
    fieldtotable hub with ``on_full: refuse`` admits a day's lots one by one.
    """

    class WholeLotDailyOrders(scm.InventoryReplenishment):  # type: ignore[misc]
        _param_keys = ("lot", "lots", "first_review_delay")

        def run(self) -> Generator[simpy.Event, Any, None]:
            lot, lots = self.params["lot"], self.params["lots"]
            yield self.env.timeout(self.params["first_review_delay"])
            while True:
                free = self.node.inventory.capacity - self.node.inventory.level
                fitting = min(lots, math.floor(free / lot + 1e-9))
                if fitting > 0:
                    self.node.place_order(fitting * lot)
                yield self.env.timeout(1)

    return WholeLotDailyOrders


def _replay(
    env: simpy.Environment, customers: Any, days: Sequence[float]
) -> Generator[simpy.Event, Any, None]:
    """Start one SupplyNetPy customer (1 unit) at each of ``days``."""
    for number, day in enumerate(days):
        yield env.timeout(day - env.now)
        env.process(customers.customer(f"replayed {number}", 1))


def supplynetpy_network(
    case: Case, replication: int, customer_days: Sequence[float] | None = None
) -> tuple[simpy.Environment, dict[str, Any]]:
    """Build the network in SupplyNetPy (time unit: one day); nothing runs yet.

    Parameters
    ----------
    case
        The parameters.
    replication
        Index of the replication (seeds SupplyNetPy's customer stream).
    customer_days
        Customer arrival times to replay instead of SupplyNetPy's own Poisson
        customers (its ``Demand`` then brings only its customer at time 0, who finds
        the store empty before the warm-up ends).
    """
    scm = _supplynetpy()
    scm.global_logger.disable_logging()
    scm.set_seed(replication)  # its own generator, for disruptions only (none here)
    env = simpy.Environment()
    quiet = {"logging": False}
    supplier = scm.Supplier(
        env=env, ID="supplier", name="supplier", node_type="infinite_supplier", **quiet
    )
    supply_age_d = case.supply_age_h / 24
    dc = scm.InventoryNode(
        env=env,
        ID="dc",
        name="dc",
        node_type="distributor",
        capacity=case.dc_capacity_kg,
        initial_level=0,
        inventory_holding_cost=0.0,
        replenishment_policy=whole_lot_daily_orders(scm),
        policy_param={
            "lot": case.lot_kg,
            "lots": LOTS_PER_DAY,
            "first_review_delay": case.first_dc_arrival_d,
        },
        product_sell_price=12,
        product_buy_price=10,
        inventory_type="perishable",
        shelf_life=case.shelf_life_d,
        manufacture_date=lambda now: now - supply_age_d,
        **quiet,
    )
    scm.Link(env=env, ID="supplier_dc", source=supplier, sink=dc, cost=100, lead_time=0)
    store = scm.InventoryNode(
        env=env,
        ID="store",
        name="store",
        node_type="retailer",
        capacity=LARGE_CAPACITY_KG,
        initial_level=0,
        inventory_holding_cost=0.0,
        replenishment_policy=scm.SSReplenishment,
        policy_param={
            "s": case.reorder_point_kg,
            "S": case.order_up_to_kg,
            "period": 1,
            # The DC is empty before its first delivery: fieldtotable's store finds
            # nothing to take and orders nothing; SupplyNetPy's order would wait.
            "first_review_delay": math.floor(case.first_dc_arrival_d) + STORE_REVIEW_HOUR / 24,
        },
        product_sell_price=12,
        product_buy_price=10,
        inventory_type="perishable",
        shelf_life=case.shelf_life_d,
        **quiet,
    )
    scm.Link(env=env, ID="dc_store", source=dc, sink=store, cost=10, lead_time=STORE_LEAD_H / 24)
    if customer_days is None:
        sequence = np.random.SeedSequence(SUPPLYNETPY_SEED, spawn_key=(replication,))
        rng = np.random.default_rng(sequence)
        mean_gap_d = 1 / case.customers_per_day
        arrival_gap: Callable[[], float] = lambda: float(rng.exponential(mean_gap_d))  # noqa: E731
    else:
        arrival_gap = lambda: 10.0 * case.horizon_days  # noqa: E731 -- only the time-0 customer
    customers = scm.Demand(
        env=env,
        ID="customers",
        name="customers",
        order_arrival_model=arrival_gap,
        order_quantity_model=1,
        demand_node=store,
        consume_available=True,
        **quiet,
    )
    if customer_days is not None:
        env.process(_replay(env, customers, customer_days))
    return env, {"dc": dc, "store": store, "customers": customers}


def _supplynetpy_totals(nodes: dict[str, Any]) -> np.ndarray:
    """Waste, DC receipts, sales and demand so far (units)."""
    dc, store, customers = nodes["dc"], nodes["store"], nodes["customers"]
    return np.array(
        [
            dc.inventory.waste + store.inventory.waste,
            dc.stats.fulfillment_received[1],
            store.stats.demand_fulfilled[1],
            customers.stats.demand_placed[1],
        ],
        dtype=float,
    )


def run_supplynetpy(
    case: Case, replication: int, customer_days: Sequence[float] | None = None
) -> Outcome:
    """Replication ``replication`` of ``case`` in SupplyNetPy (see :func:`supplynetpy_network`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its advisory warnings about capacities
        env, nodes = supplynetpy_network(case, replication, customer_days)
        env.run(until=WARMUP_D)
        before = _supplynetpy_totals(nodes)
        env.run(until=case.horizon_days)
    waste, supplied, sold, demand = _supplynetpy_totals(nodes) - before
    return Outcome(
        waste_kg=float(waste),
        supplied_kg=float(supplied),
        sold_kg=float(sold),
        demand_kg=float(demand),
        days=case.measured_days,
    )


def supplynetpy_version() -> str | None:
    """Installed SupplyNetPy version, or ``None`` when it is missing."""
    from importlib import metadata  # noqa: PLC0415

    try:
        return metadata.version("supplynetpy")
    except metadata.PackageNotFoundError:
        return None
