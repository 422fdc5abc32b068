"""The sections of the scenario-format reference: their titles, introductions and models."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.schema import (
    ArrivalPriority,
    Breakage,
    Capital,
    ClimateVariation,
    Closures,
    CollectionPoint,
    CoolingLaw,
    EventOrder,
    Finance,
    FreshnessStep,
    FullOrTimeoutDispatch,
    HeatWaves,
    Hub,
    LeastShelfLifePriority,
    Leg,
    Location,
    Markdown,
    NodeConfig,
    Orders,
    OrderStream,
    OrderUpTo,
    Overflow,
    ParcelDelivery,
    Precooling,
    Prior,
    Product,
    ProductPriority,
    ReeferFailure,
    RefuseUpstream,
    RegionClimate,
    ReorderLevels,
    ReorderPoint,
    RouteSwitch,
    Routing,
    Scenario,
    ScheduledDispatch,
    Source,
    Store,
    StoreDemand,
    Supply,
    WaitAmbient,
    WeightLoss,
)
from fieldtotable.scenario.schema_logs import NodeTemperatureLog, TemperatureLog


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
        "The run's calendar and size, and the sections below. `hubs`, `nodes`, `legs` "
        "and `routing` may be left out; everything else is required.",
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
        "destination's in the second). With `variation`, each replication draws its "
        "own weather year: monthly anomalies (AR(1) from month to month), heat waves "
        "and a wetness factor per calendar year that closures may follow "
        "(docs/how-to/weather-years.md).",
        (RegionClimate, ClimateVariation, HeatWaves),
    ),
    Section(
        "products",
        "`products`",
        "Each product's shelf-life kinetics (DESIGN.md §4). A lot's quality is the "
        "fraction `f` of its shelf life consumed: `dt` hours at temperature `T` add "
        "`dt / (24 * SL(T))`. The lot spoils when `f` reaches its variability factor "
        "(1 for a nominal lot); it is then discarded where it is found (when it moves, "
        "is picked, or at the daily inspection of stores), and its kg count as "
        "spoiled at the stage where its shelf life ran out. Handling losses are their "
        "own fate, `damaged`: each loading, unloading and picking destroys the share "
        "`breakage` gives, and lots lose weight (`weight_loss`) in proportion to the "
        "shelf life they use up.",
        (Product, Markdown, Breakage, WeightLoss),
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
        "overload",
        "`overload` and `priority` of collection points and hubs",
        "What a full cold room or hub store does (`overload`, discriminated on "
        "`policy`) and in which order a node's pre-coolers and departing vehicles "
        "serve its lots (`priority`, discriminated on `order`). Every built-in "
        "scenario states its overload policies. The older `on_full: wait` reads as "
        "`{policy: wait_ambient}` and `on_full: refuse` as `{policy: refuse_upstream, "
        "back_pressure: false}`; `on_full` is deprecated. The how-to *Choose an "
        "overload policy* compares them.",
        (
            WaitAmbient,
            RefuseUpstream,
            Overflow,
            ArrivalPriority,
            LeastShelfLifePriority,
            ProductPriority,
        ),
    ),
    Section(
        "nodes",
        "`nodes`",
        "Places of kinds added by code (the how-to *Add a node kind* shows one: a "
        "cross-dock). Each entry names its `kind`; the fields below are those every "
        "kind has, and the kind's own schema adds the rest. Legs may start and end at "
        "such a place, and markets be supplied by it, as its kind allows. Loading a "
        "scenario with a `nodes` entry needs its kind registered first (import the "
        "module that registers it).",
        (NodeConfig,),
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
        "temperature-logs",
        "Temperature logs of legs and nodes",
        "A measured temperature log replayed instead of a setpoint model. In a file a "
        "leg gives a CSV path (`temperature_log: logs/trip.csv`), a collection point or "
        "hub a path and how it repeats (`temperature_log: {file: logs/room.csv, repeat: "
        "daily}`); the path is relative to the scenario file that writes it (to the "
        "current folder for `--set`). The CSV has the header `elapsed_h,temp_c` and one "
        "record per line (blank lines and `#` comments skipped): hours from 0, strictly "
        "increasing, and °C in [-60, 60]; the temperature is linear between records. The "
        "loader puts the records into the scenario next to the path, so the scenario's "
        "hash (the run store's key) changes when the CSV does, a dumped scenario holds "
        "them and needs no CSV, and `extends` and `--set` replace a log as a whole. The "
        "how-to *Replay a temperature log* shows one.",
        (TemperatureLog, NodeTemperatureLog),
    ),
    Section(
        "markets",
        "`markets`",
        "The Shanghai end; every market is supplied by one hub (`supplied_by`). A "
        "store (`kind: store`) replenishes its shelf from the hub once a day and sells "
        "to walk-in customers in its opening hours; expired stock is removed before "
        "each sale and each order. An order market (`kind: orders`) fills recurring "
        "orders straight from the hub's stock, or ships them to the door in passive parcel "
        "boxes (`delivery`; spoiled parcels are refunded), possibly from stock passing "
        "through a hub at origin (`passing_stock`). Demand the stock cannot meet is lost "
        "(`lost_sales_kg`). Every sale is booked at the market's price of the product "
        "(`prices_cny_per_kg`, else the product's `price_cny_per_kg`), marked down when "
        "the lot is close to expiry, times the factor of its freshness step if the "
        "market has `freshness_prices`.",
        (
            Store,
            StoreDemand,
            OrderUpTo,
            ReorderPoint,
            ReorderLevels,
            Orders,
            OrderStream,
            EventOrder,
            ParcelDelivery,
            FreshnessStep,
        ),
    ),
    Section(
        "finance",
        "`finance` and capital",
        "The money of the channel (the money KPIs: `revenue_cny` ... `profit_cny`). "
        "Prices and costs sit on the entities they belong to (a product's farm-gate "
        "price and packaging, a place's handling, rent, capital and fixed cost, a "
        "leg's vehicles, a market's prices, shelves and fixed cost) and all default to "
        "0: a scenario that says nothing about money has no invented costs. This "
        "section holds the discount rate, electricity prices and the cooling-load law; "
        "`Capital` is the price and life of one unit of a capacity. How each cost is "
        "charged and allocated to products and markets: `fieldtotable.model.money`.",
        (Finance, CoolingLaw, Capital),
    ),
    Section(
        "routing",
        "`routing`",
        "Which leg a lot takes next. Lots are routed hop by hop when they leave a "
        "node, towards a hub that supplies a market selling the product, month by "
        "month: a seasonal leg takes over when its season starts. Route switches "
        "(`RouteSwitch`) send a product over another leg while its usual leg is backed up.",
        (Routing, RouteSwitch),
    ),
    Section(
        "uncertain",
        "`uncertain`",
        "Priors on numbers that are not known exactly: field path (as `--set` takes it, "
        "e.g. `products.matsutake.shelf_life_days`) -> the distribution its value is "
        "drawn from. Each replication draws every prior once, from a stream of its own "
        "keyed by the experiment's seed, the replication and the path, so replication "
        "`i` draws the same values in every configuration (paired comparisons) and no "
        "other stream moves; the drawn values replace those at their paths before the "
        "run, and the run records them (`parameters`). A path must name a number the "
        "scenario sets; whole-number fields (a fleet) take `discrete` priors of whole "
        "numbers; the field must accept every value the prior can draw. In a variant "
        "(`extends`), a prior of another `dist` replaces the parent's, keys alone change "
        "just those keys, and `null` drops it. "
        "`fieldtotable uncertainty` splits each KPI's variance into the part the priors "
        "cause and the rest (docs/how-to/uncertain-parameters.md).",
        (Prior,),
    ),
    Section(
        "distributions",
        "Distributions",
        "",
        (Distribution,),
    ),
)
