"""The hand-written parts of the scenario-format reference: prose, examples, unit tables.

:mod:`fieldtotable.scenario.reference` assembles ``docs/scenario-format.md`` from the
models; this module holds only the text that cannot come from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.schema import (
    Closures,
    CollectionPoint,
    FullOrTimeoutDispatch,
    Hub,
    Leg,
    Location,
    Markdown,
    Orders,
    OrderStream,
    OrderUpTo,
    Precooling,
    Product,
    ReeferFailure,
    RegionClimate,
    ReorderLevels,
    ReorderPoint,
    Routing,
    Scenario,
    ScheduledDispatch,
    Source,
    Store,
    StoreDemand,
    Supply,
)

DOC_PATH = "docs/scenario-format.md"
"""Where the reference lives, relative to the repository root."""

REGENERATE_COMMAND = (
    'python -c "from fieldtotable.scenario.reference import scenario_format_markdown as m; '
    f"open('{DOC_PATH}', 'w', encoding='utf-8').write(m())\""
)
"""The shell command, run at the repository root, that rewrites :data:`DOC_PATH`."""

NO_UNIT = "—"
"""The unit column of a field that is not a quantity (a name, an id, a choice)."""

SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_kg_per_h", "kg/h"),
    ("_cny_per_kg", "CNY/kg"),
    ("_cny_per_km", "CNY/km"),
    ("_cny_per_trip", "CNY/trip"),
    ("_kg_per_tonne_km", "kg/(t·km)"),
    ("_kg_per_km", "kg/km"),
    ("_kj_mol", "kJ/mol"),
    ("_kg", "kg"),
    ("_km", "km"),
    ("_h", "h"),
    ("_c", "°C"),
    ("_days", "d"),
    ("_fraction", "fraction (0-1)"),
)
"""Field-name endings and the unit they stand for, tried in order (DESIGN.md §3)."""

NAME_UNITS: dict[str, str] = {
    "harvest_hour": "h (hour of day)",
    "at_hour": "h (hour of day)",
    "departures_h": "h (hour of day)",
    "open_hours": "h (hour of day)",
    "hours_to_collection": "h",
    "first_day": "d",
    "target_days_of_demand": "d",
    "months": "month (1-12)",
    "active_months": "month (1-12)",
    "kg": "kg",
    "kg_per_day": "kg/day",
    "kg_per_customer": "kg/customer",
    "customers_per_day": "customers/day",
    "per_year": "1/year",
    "fleet": "vehicles",
    "units": "units",
    "q10": "factor per 10 °C",
    "shelf_life_cv": "ratio (sd / mean)",
    "probability_per_trip": "probability (0-1)",
    "discount": "fraction (0-1)",
    "scale": "factor",
    "season": "factor",
    "weekday_factors": "factor",
    "lon": "° (east)",
    "lat": "° (north)",
}
"""Units of fields whose names carry none, or not the right one."""

_DISTRIBUTION_UNITS: dict[str, str] = {
    "dist": NO_UNIT,
    "value": "the field's",
    "low": "the field's",
    "high": "the field's",
    "mode": "the field's",
    "mean": "the field's",
    "sd": "the field's",
    "cv": "ratio (sd / mean)",
    "values": "the field's",
    "weights": "relative",
}

_KEY_NAMES: dict[str, str] = {
    "climate": "region",
    "products": "product",
    "sources": "source",
    "collection_points": "collection_point",
    "hubs": "hub",
    "legs": "leg",
    "markets": "market",
    "supply": "product",
    "demand": "product",
    "orders": "product",
    "levels": "product",
    "prefer_modes": "product",
    "grading_reject_fraction": "product",
    "class_setpoints_c": "class",
}
"""What the keys of each mapping field are (shown as ``<name>`` in paths)."""

_KIND_MEANINGS: dict[str, str] = {
    "constant": "always `value`",
    "uniform": "uniform between `low` and `high`",
    "triangular": "triangular from `low` to `high`, most likely at `mode`",
    "normal": "normal with mean `mean` and standard deviation `sd`; draws below 0 become 0",
    "lognormal": (
        "lognormal with mean `mean` and coefficient of variation `cv` of the value "
        "itself (not of its logarithm)"
    ),
    "gamma": "gamma with mean `mean` and coefficient of variation `cv` (shape 1 / cv²)",
    "poisson": "Poisson count with mean `mean`",
    "empirical": "one of `values`, with probabilities in proportion to `weights` (equal "
    "when omitted)",
}

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


_INTRO = """\
# Scenario file format

<!-- Generated from the scenario models by
     fieldtotable.scenario.reference.scenario_format_markdown(); do not edit.
     Regenerate with:
     @REGENERATE@ -->

A scenario describes one configuration of the field-to-table channel: the products,
where they are harvested, the collection points, hubs and transport legs they pass, the
markets that buy them, the climate on the way and how lots are routed. It is a YAML
file: `fieldtotable validate FILE` checks it, `fieldtotable run FILE` simulates it, and
`fieldtotable show FILE` prints it as the model sees it, every default written out. In
Python: `fieldtotable.load_scenario(path)` or `fieldtotable.parse_scenario(text)`.

This page is generated from the scenario models (`src/fieldtotable/scenario/schema.py`
and `distributions.py`): the meaning of each field is its docstring, which is also its
`description` in the JSON Schema that editors use.

## The file

- A YAML mapping whose keys are the sections below. A section that holds several
  things (regions, products, sources, nodes, legs, markets) maps an id you choose to
  each entry; ids are mapping keys, so a duplicate is an error, never a silent
  overwrite. Collection points and hubs share one namespace of node ids.
- Unknown keys are errors (with a "did you mean" when a key is close to a known one).
  Numbers are numbers: `"5"` or `true` where a number belongs is an error, and integer
  fields (`horizon_days`, `warmup_days`, `fleet`, `units`, months) take whole numbers.
- Names refer to each other: a `region` to a key of `climate`, `collection_point` to a
  collection point, a leg's `from` to a collection point or hub and its `to` to a hub,
  `supplied_by` to a hub, product keys to `products`. Loading checks them all, and the
  flows: every product a source supplies must reach a market selling it, every market
  demand must be reachable from a source, and legs must not form a cycle.
- Every problem is reported, one line each, with file, line and field path:
  `scenario.yaml:42: legs.a.vehicle_capacity_kg: must be > 0 (got -5)`. Checks run in
  two passes: every field problem at once; then, once the fields are right, every
  problem of the network (unknown names, unreachable markets, cycles). YAML is read
  safely: plain data only, no tags, no code.

## Units and conventions

- The simulation clock runs in hours (a float) from 00:00 of `start_date`. An hour of
  the day is a number in [0, 24): 13.5 is half past one in the afternoon.
- Mass in kg, temperature in °C, money in CNY, distance in km, CO2 in kg. Field names
  carry their unit (table below); the *unit* column of each section gives the unit of
  every field, including those whose name carries none.
- Months are numbered 1 (January) to 12; a list of monthly values has 12 entries,
  January first. A list of weekday values has 7 entries, Monday first. Fractions and
  probabilities are numbers from 0 to 1, not percentages.
- Randomness comes from the run's seed only: each random component (a source's
  harvest, a leg's transit times, a store's customers) draws from its own stream keyed
  by its id, so adding a leg does not change the harvest draws (common random numbers
  across configurations).

| field name ends in | unit |
|---|---|
@SUFFIXES@

## Distributions

A random quantity is a distribution: a mapping with a `dist` key and the parameters of
that kind, such as `{dist: triangular, low: 2, mode: 5, high: 12}`. A bare number is a
constant: `transit_time_h: 48` means `{dist: constant, value: 48}`. A distribution is
in the unit of its field. Every quantity sampled in the model is non-negative: a draw
below 0 is clipped to 0. The kinds are listed under
[Distributions](#section-distributions).

## Variants: `extends` and `scale`

A file can start from another one and hold only what differs:

```yaml
@EXTENDS@
```

The parent (relative to this file; it may itself extend another) is read first, then
this file is merged into it: a mapping merges key by key, anything else (a list, a
number, a string) replaces the parent's value, and a mapping with another `dist`,
`policy` or `kind` than the parent's replaces it whole. `extends` is allowed only at the
top level. A problem in an inherited value is reported at the parent's line.

`scale` multiplies supply and demand together (the 2x, 5x, 10x question); capacities,
fleets and costs stay as written, so a scaled scenario shows where the channel runs out
of room.

## Changing values without editing the file: `--set`

`fieldtotable run`, `validate` and `show` take `--set PATH=VALUE`, repeatable, where
VALUE is YAML. With the example scenario below:

```sh
@SET@
```

A path is dotted: section names and fields are keys, ids are mapping keys, list items
are indices (`departures_h.0` or `departures_h[0]`), and a key with odd characters is
written `['odd key']`. The last segment may add an entry to a mapping
(`routing.prefer_modes.honey=[rail_reefer]`) or set a whole mapping at once
(`legs.a.dispatch={policy: full_or_timeout, min_load_kg: 12000, max_wait_h: 24}`). In
Python: `fieldtotable.apply_overrides(scenario, {"scale": 2})`; experiment sweeps use
the same paths.

## Editor completion: `$schema`

The JSON Schema of scenario files ships as `schema/scenario.schema.json` (and inside
the package); `fieldtotable schema` prints it. Start a scenario file with a comment
naming it, relative to the file, and editors with the YAML language server complete
keys, check values and show each field's meaning as you type:

```yaml
# yaml-language-server: $schema=../schema/scenario.schema.json
```

A file with `extends` is checked against a lenient copy of the schema in which nothing
is required.

@EXAMPLE_HEADING@

Every section in a few lines; it loads as it is, and the `--set` examples above refer
to it (saved as `example.yaml`).

<!-- file: example.yaml -->
```yaml
@EXAMPLE@
```

## Contents

@CONTENTS@
"""


@dataclass(frozen=True)
class Section:
    """One section of the reference: a part of the scenario file and its models.

    Attributes
    ----------
    anchor
        The section's link target.
    title
        The heading.
    intro
        Markdown shown above the models' tables.
    models
        The models documented in this section, in order.
    """

    anchor: str
    title: str
    intro: str
    models: tuple[type[BaseModel], ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "top-level",
        "Top level",
        "The run's calendar and size, and the sections below. `hubs`, `legs` and "
        "`routing` may be left out; everything else is required.",
        (Scenario,),
    ),
    Section(
        "climate",
        "`climate`",
        "The air temperature of each region, hour by hour: the monthly mean of the "
        "day's month plus an optional daily cycle. Goods are at this temperature "
        "wherever they are not refrigerated: between harvest and the collection point "
        "(the source's region), queueing for pre-cooling or waiting outside a full "
        "cold room (the collection point's), on a hub's dock or outside its full store "
        "(the hub's), while loading onto a leg (the origin's), and during a reefer "
        "failure (the origin's region in the first half of the trip, the "
        "destination's in the second).",
        (RegionClimate,),
    ),
    Section(
        "products",
        "`products`",
        "Each product's shelf-life kinetics (DESIGN.md §4). A lot's quality is the "
        "fraction `f` of its shelf life consumed: `dt` hours at temperature `T` add "
        "`dt / (24 * SL(T))`. The lot spoils when `f` reaches its variability factor "
        "(1 for a nominal lot); it is then discarded where it is found (when it moves, "
        "is picked, or at the daily inspection of stores), and its kg count as "
        "spoiled at the stage where its shelf life ran out.",
        (Product, Markdown),
    ),
    Section(
        "sources",
        "`sources`",
        "Producers, cooperatives and enterprises. Each harvests once a day: every "
        "product in season becomes one lot, and the day's lots travel together to the "
        "source's collection point.",
        (Source, Supply),
    ),
    Section(
        "collection-points",
        "`collection_points`",
        "County collection points. An arriving lot is graded (rejected kg leave the "
        "system), pre-cooled if its temperature class is listed (queueing at the "
        "region's air temperature for a free unit), then kept in the cold room until a "
        "leg loads it. Collection points, hubs and markets may give a `location` for "
        "the network map.",
        (CollectionPoint, Precooling, Location),
    ),
    Section(
        "hubs",
        "`hubs`",
        "Consolidation hubs and distribution centres. A vehicle's cargo is unloaded "
        "onto the dock (`dock_exposure_h` at the region's air temperature), handled "
        "(`handling_time_h`, at the setpoint) and stored until a leg or a market takes "
        "it.",
        (Hub,),
    ),
    Section(
        "legs",
        "`legs`",
        "Transport links, each with its own fleet, from a collection point or hub to a "
        "hub. A trip: loading at the origin's air temperature, departure (held while "
        "the leg is closed), transit in the reefer (perhaps with a failure), "
        "unloading onto the destination's dock, and the empty return. Cost and CO2 are "
        "booked per loaded trip, when the vehicle is loaded.",
        (Leg, ScheduledDispatch, FullOrTimeoutDispatch, ReeferFailure, Closures),
    ),
    Section(
        "markets",
        "`markets`",
        "The Shanghai end; every market is supplied by one hub (`supplied_by`). A "
        "store (`kind: store`) replenishes its shelf from the hub once a day and sells "
        "to walk-in customers in its opening hours; expired stock is removed before "
        "each sale and each order. An order market (`kind: orders`) fills recurring "
        "orders straight from the hub's stock. Demand the stock cannot meet is lost "
        "(`lost_sales_kg`). Every sale is booked at the product's price, marked down "
        "when the lot is close to expiry.",
        (Store, StoreDemand, OrderUpTo, ReorderPoint, ReorderLevels, Orders, OrderStream),
    ),
    Section(
        "routing",
        "`routing`",
        "Which leg a lot takes next. Lots are routed hop by hop when they leave a "
        "node, towards a hub that supplies a market selling the product, month by "
        "month: a seasonal leg takes over when its season starts.",
        (Routing,),
    ),
    Section(
        "distributions",
        "Distributions",
        "",
        (Distribution,),
    ),
)
