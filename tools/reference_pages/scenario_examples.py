"""The example scenario files and ``--set`` assignments shown in the scenario-format reference."""

from __future__ import annotations

EXAMPLE_HEADING = "## A complete example"
"""The heading above the example scenario in the reference."""

EXAMPLE_SCENARIO = """\
# yaml-language-server: $schema=../schema/scenario.schema.json
name: small example channel
description: One collection point, one truck leg to Shanghai, a store and order buyers.
start_date: 2023-07-01
horizon_days: 30
climate:
  shangri_la: [-3.8, -1.6, 1.7, 5.2, 9.6, 12.6, 13.2, 12.5, 11.1, 6.5, 0.8, -2.9]
  shanghai:
    monthly_mean_c: [4.2, 4.0, 11.4, 15.9, 21.6, 24.0, 30.2, 28.4, 25.6, 20.7, 13.1, 7.5]
    daily_range_c: 7
products:
  matsutake:
    display_name: matsutake
    temperature_class: chilled
    shelf_life_days: 5
    ref_temp_c: 2
    q10: 2.5
    shelf_life_cv: 0.15
    price_cny_per_kg: 500
    markdown: {below_remaining_fraction: 0.3, discount: 0.4}
    weight_loss: {per_day: 0.0075, temp_c: 2}   # 0.75 %/day at 2 degC, by the q10 elsewhere
    breakage: {loading: 0.002, unloading: 0.001, picking: 0.001}
  yak_meat_frozen:
    temperature_class: frozen
    shelf_life_days: 270
    ref_temp_c: -18
    q10: 2
    price_cny_per_kg: 110
sources:
  pickers:
    region: shangri_la
    collection_point: shangrila_cp
    harvest_hour: 9
    hours_to_collection: {dist: triangular, low: 2, mode: 5, high: 12}
    supply:
      matsutake:
        kg_per_day: {dist: lognormal, mean: 120, cv: 0.5}
        season: [0, 0, 0, 0, 0, 0, 0.7, 1.0, 0.8, 0.3, 0, 0]
  yak_plant:
    region: shangri_la
    collection_point: shangrila_cp
    harvest_hour: 6
    hours_to_collection: 2          # a bare number is a constant
    supply:
      yak_meat_frozen: {kg_per_day: {dist: normal, mean: 150, sd: 30}}
collection_points:
  shangrila_cp:
    region: shangri_la
    grading_reject_fraction: {matsutake: 0.03}
    precooling: {units: 2, capacity_kg_per_h: 400, time_h: {dist: uniform, low: 1.5, high: 3}}
    cold_room_kg: 20000
    setpoint_c: 0
    class_setpoints_c: {frozen: -18}
hubs:
  shanghai_dc: {region: shanghai, handling_time_h: 2, storage_kg: 60000, setpoint_c: 0,
                class_setpoints_c: {frozen: -18}}
legs:
  shangrila_shanghai:
    from: shangrila_cp
    to: shanghai_dc
    mode: reefer_truck
    distance_km: 3000
    transit_time_h: {dist: triangular, low: 44, mode: 48, high: 60}
    fleet: 3
    vehicle_capacity_kg: 15000
    dispatch: {policy: scheduled, departures_h: [18]}
    setpoint_c: 0
    class_setpoints_c: {frozen: -18}
    loading_h: 1
    reefer_failure: {probability_per_trip: 0.02, duration_h: {dist: uniform, low: 2, high: 8}}
    closures: {per_year: 3, months: [6, 7, 8, 9], duration_h: {dist: lognormal, mean: 24, cv: 1}}
    cost_cny_per_trip: 500
    cost_cny_per_km: 10
    co2_kg_per_km: 0.8
    co2_kg_per_tonne_km: 0.013
markets:
  shanghai_store:
    kind: store
    region: shanghai
    supplied_by: shanghai_dc
    open_hours: [9, 21]
    setpoint_c: 4
    class_setpoints_c: {frozen: -18}
    shelf_capacity_kg: 800
    issuing: FEFO
    replenishment: {policy: order_up_to, at_hour: 6, target_days_of_demand: 2}
    demand:
      matsutake:
        customers_per_day: {dist: poisson, mean: 40}
        kg_per_customer: {dist: uniform, low: 0.25, high: 1.0}
        weekday_factors: [0.9, 0.9, 0.9, 1.0, 1.1, 1.3, 1.2]
      yak_meat_frozen:
        customers_per_day: {dist: poisson, mean: 20}
        kg_per_customer: {dist: uniform, low: 0.5, high: 2.5}
  institutional_buyers:
    kind: orders
    supplied_by: shanghai_dc
    orders:
      yak_meat_frozen: {every_days: 7, first_day: 1, kg: {dist: normal, mean: 600, sd: 120}}
      matsutake: {every_days: 1, kg: {dist: normal, mean: 60, sd: 10}}
routing:
  default: fastest
  prefer_modes: {matsutake: [reefer_truck]}
"""
"""A small, complete scenario shown in the reference (a test loads it)."""

EXTENDS_EXAMPLE = """\
# yaml-language-server: $schema=../schema/scenario.schema.json
extends: baseline_2023.yaml          # relative to this file
name: baseline, twice the volume
scale: 2
legs:
  kunming_shanghai: {fleet: 4}       # only what changes
"""
"""A variant of ``scenarios/baseline_2023.yaml`` shown in the reference."""

SET_EXAMPLES: tuple[str, ...] = (
    "legs.shangrila_shanghai.fleet=4",
    "scale=2",
    "legs.shangrila_shanghai.dispatch.departures_h=[6, 18]",
    "markets.shanghai_store.issuing=FIFO",
    "legs.shangrila_shanghai.transit_time_h={dist: uniform, low: 40, high: 56}",
)
"""``--set`` assignments shown in the reference, for :data:`EXAMPLE_SCENARIO`."""
