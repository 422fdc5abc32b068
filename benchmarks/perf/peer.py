"""The peer comparison: the same small network in fieldtotable and in SupplyNetPy.

Network (both libraries): one supplier -> one distribution centre (DC) -> N stores.
Each store sells one perishable product to Poisson customers (``customers_per_day``
a day, by default ``CUSTOMERS_PER_DAY``, around the clock, 1 kg each; a customer
takes what is there and the rest is lost), reviews its stock once a day with an
(s, S) rule (order up to ``S_KG`` when the stock on hand and on order is at most
``S_KG_LOW``; s, S and the shelf scale with the customers a day, see
:func:`store_levels`), and is restocked from the
DC ``STORE_LEAD_H`` hours later. The product has a fixed shelf life
(``SHELF_LIFE_D`` days, no lot-to-lot spread, everything held at one temperature);
expired stock is thrown away. One year.

What differs between the two models (they are as close as the two libraries allow):

* Customers. SupplyNetPy makes every customer a SimPy process (arrival, inventory
  get, delivery timeout: about five events each). fieldtotable draws the day's
  customers per store, spreads them over hour slots and serves each slot's
  customers in one event -- its events are coarse on purpose, so it processes far
  fewer events for the same demand.
* The DC's supply. SupplyNetPy's DC orders from an infinite supplier with its own
  (s, S) rule (pull; 1 day lead time). fieldtotable's supply side is push: a
  producer harvests ``SUPPLY_SHARE`` of the expected demand every day, and a daily
  truck carries it from the producer's collection point to the DC (24 h). (A push
  supply above the demand piles up at the DC and spoils there under FIFO; 0.98 keeps
  the DC's stock steady, at the cost of a fill rate a little below 1.)
* Shelf life. SupplyNetPy counts it from arrival at the DC (the infinite supplier's
  units carry no date); fieldtotable from harvest (one day earlier). fieldtotable
  ages every lot with its kinetics (here: constant temperature, so linearly).
* Bookkeeping. SupplyNetPy keeps per-node statistics and formats a log line per
  step (logging switched off, the text is still built); fieldtotable books every
  flow in its ledger by product and day and checks the mass balance after the run.

Both run with no disruptions, no costs of interest, and their default result
summaries; the wall time includes building the network.
"""

from __future__ import annotations

import random
import time
import warnings
from typing import Any

import simpy

from fieldtotable import Scenario, simulate
from fieldtotable.model.world import events_processed
from fieldtotable.scenario.loader import validate_scenario_data

DAYS = 365
CUSTOMERS_PER_DAY = 100.0
SHELF_LIFE_D = 10.0
S_KG_LOW = 100.0  # s: reorder point of a store
S_KG = 300.0  # S: order-up-to level of a store
STORE_CAPACITY_KG = 500.0
STORE_LEAD_H = 6.0
SUPPLY_SHARE = 0.98
TEMP_C = 2.0


def store_levels(customers_per_day: float) -> tuple[float, float, float]:
    """A store's (s, S, capacity) in kg, scaled with its demand (100 a day: 100, 300, 500)."""
    factor = customers_per_day / CUSTOMERS_PER_DAY
    return S_KG_LOW * factor, S_KG * factor, STORE_CAPACITY_KG * factor


def fieldtotable_network(
    stores: int, days: int = DAYS, customers_per_day: float = CUSTOMERS_PER_DAY
) -> Scenario:
    """The peer network as a fieldtotable scenario."""
    s_low, s_high, capacity = store_levels(customers_per_day)
    flat = {"monthly_mean_c": [TEMP_C] * 12, "daily_range_c": 0}
    market = {
        "kind": "store",
        "region": "flat",
        "supplied_by": "dc",
        "open_hours": [0, 24],
        "setpoint_c": TEMP_C,
        "shelf_capacity_kg": capacity,
        "issuing": "FIFO",
        "replenishment": {
            "policy": "s_S",
            "at_hour": 0,
            "lead_time_h": STORE_LEAD_H,
            "levels": {"item": {"s_kg": s_low, "S_kg": s_high}},
        },
        "demand": {
            "item": {
                "customers_per_day": {"dist": "poisson", "mean": customers_per_day},
                "kg_per_customer": 1,
            }
        },
    }
    data = {
        "name": f"peer network, {stores} stores",
        "start_date": "2023-01-01",
        "horizon_days": days,
        "climate": {"flat": flat},
        "products": {
            "item": {
                "temperature_class": "chilled",
                "shelf_life_days": SHELF_LIFE_D,
                "ref_temp_c": TEMP_C,
                "q10": 2,
                "shelf_life_cv": 0,
                "price_cny_per_kg": 12,
            }
        },
        "sources": {
            "supplier": {
                "region": "flat",
                "collection_point": "supplier_cp",
                "harvest_hour": 0,
                "hours_to_collection": 0,
                "supply": {"item": {"kg_per_day": stores * customers_per_day * SUPPLY_SHARE}},
            }
        },
        "collection_points": {
            "supplier_cp": {
                "region": "flat",
                "grading_reject_fraction": 0,
                "precooling": {"time_h": 0},
                "cold_room_kg": 1e9,
                "setpoint_c": TEMP_C,
            }
        },
        "hubs": {
            "dc": {
                "region": "flat",
                "handling_time_h": 0,
                "dock_exposure_h": 0,
                "storage_kg": 1e9,
                "setpoint_c": TEMP_C,
            }
        },
        "legs": {
            "supplier_dc": {
                "from": "supplier_cp",
                "to": "dc",
                "mode": "reefer_truck",
                "distance_km": 100,
                "transit_time_h": 24,
                "fleet": 2,
                "vehicle_capacity_kg": 1e9,
                "dispatch": {"policy": "scheduled", "departures_h": [1]},
                "setpoint_c": TEMP_C,
                "loading_h": 0,
                "cost_cny_per_trip": 100,
            }
        },
        "markets": {f"store_{i}": market for i in range(stores)},
    }
    return validate_scenario_data(data)


def run_fieldtotable(
    stores: int, seed: int = 0, days: int = DAYS, customers_per_day: float = CUSTOMERS_PER_DAY
) -> dict[str, Any]:
    """Build and run the fieldtotable network; wall time, events and what moved."""
    started = time.perf_counter()
    result = simulate(fieldtotable_network(stores, days, customers_per_day), seed)
    wall = time.perf_counter() - started
    kpis = result.kpis
    return {
        "wall_s": wall,
        "events": result.events_processed,
        "demand_kg": kpis["demand_kg"],
        "sold_kg": kpis["sold_kg"],
        "spoiled_kg": kpis["spoiled_kg"],
        "fill_rate": kpis["fill_rate"],
    }


def supplynetpy_network(
    stores: int, seed: int = 0, customers_per_day: float = CUSTOMERS_PER_DAY
) -> tuple[simpy.Environment, dict[str, Any]]:
    """Build the peer network in SupplyNetPy (time unit: one day)."""
    import SupplyNetPy.Components as scm  # noqa: PLC0415, N813 -- optional (bench extra); its docs' name

    scm.global_logger.disable_logging()
    scm.set_seed(seed)
    env = simpy.Environment()
    quiet = {"logging": False}
    supplier = scm.Supplier(
        env=env, ID="supplier", name="supplier", node_type="infinite_supplier", **quiet
    )
    demand_per_day = stores * customers_per_day
    s_low, s_high, capacity = store_levels(customers_per_day)
    dc = scm.InventoryNode(
        env=env,
        ID="dc",
        name="dc",
        node_type="distributor",
        capacity=1e9,
        initial_level=0,
        inventory_holding_cost=0.0,
        replenishment_policy=scm.SSReplenishment,
        policy_param={"s": 2 * demand_per_day, "S": 4 * demand_per_day, "period": 1},
        product_sell_price=12,
        product_buy_price=10,
        inventory_type="perishable",
        shelf_life=SHELF_LIFE_D,
        **quiet,
    )
    scm.Link(env=env, ID="supplier_dc", source=supplier, sink=dc, cost=100, lead_time=1)
    nodes: dict[str, Any] = {"dc": dc, "stores": [], "demands": []}
    for index in range(stores):
        store = scm.InventoryNode(
            env=env,
            ID=f"store_{index}",
            name=f"store_{index}",
            node_type="retailer",
            capacity=capacity,
            initial_level=0,
            inventory_holding_cost=0.0,
            replenishment_policy=scm.SSReplenishment,
            policy_param={"s": s_low, "S": s_high, "period": 1},
            product_sell_price=12,
            product_buy_price=10,
            inventory_type="perishable",
            shelf_life=SHELF_LIFE_D,
            **quiet,
        )
        scm.Link(
            env=env,
            ID=f"dc_store_{index}",
            source=dc,
            sink=store,
            cost=10,
            lead_time=STORE_LEAD_H / 24,
        )
        arrivals = random.Random(seed * 100_003 + index)
        demand = scm.Demand(
            env=env,
            ID=f"customers_{index}",
            name=f"customers_{index}",
            order_arrival_model=lambda rng=arrivals: rng.expovariate(customers_per_day),
            order_quantity_model=1,
            demand_node=store,
            consume_available=True,
            **quiet,
        )
        nodes["stores"].append(store)
        nodes["demands"].append(demand)
    return env, nodes


def run_supplynetpy(
    stores: int, seed: int = 0, days: int = DAYS, customers_per_day: float = CUSTOMERS_PER_DAY
) -> dict[str, Any]:
    """Build and run the SupplyNetPy network; wall time, events and what moved."""
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its advisory warnings about capacities
        env, nodes = supplynetpy_network(stores, seed, customers_per_day)
        env.run(until=days)
    wall = time.perf_counter() - started
    demand = sum(d.stats.demand_placed[1] for d in nodes["demands"])
    sold = sum(s.stats.demand_fulfilled[1] for s in nodes["stores"])
    spoiled = nodes["dc"].inventory.waste + sum(s.inventory.waste for s in nodes["stores"])
    return {
        "wall_s": wall,
        "events": events_processed(env),
        "demand_kg": float(demand),
        "sold_kg": float(sold),
        "spoiled_kg": float(spoiled),
        "fill_rate": sold / demand if demand else float("nan"),
    }


def supplynetpy_version() -> str | None:
    """Installed SupplyNetPy version, or ``None`` when it is missing."""
    from importlib import metadata  # noqa: PLC0415

    try:
        return metadata.version("supplynetpy")
    except metadata.PackageNotFoundError:
        return None
