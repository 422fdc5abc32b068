"""The result-field registry: every KPI and breakdown key of a run, defined once.

Each field has a key, a unit, a definition, a label, whether higher or lower is
better for the planner, whether it heads reports, whether sweep tables show it by
default, and how it aggregates. Tables, reports, exports, experiment summaries,
figures and the generated results reference all read this registry, so that adding
a KPI is its computation and one entry::

    register_kpi(
        ResultField("sold_per_trip_kg", "kg", "sold_kg / trips", label="Sold per trip"),
        compute=lambda run: run.kpi("sold_kg") / run.kpi("trips"),
    )

A KPI's computation reads the run through a
:class:`~fieldtotable.results.measure.MeasuredRun` (sums over the measured days) and
may use the KPIs registered before it. The keys of ``by_node`` and ``by_market`` are
declared with their node kinds (:mod:`fieldtotable.model.nodes`) and read from
there: a node kind adds its statistics where it is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from fieldtotable.model.kinds import Aggregation
from fieldtotable.model.ledger import REMAINING_BINS as LEDGER_REMAINING_BINS
from fieldtotable.model.lot import STAGES
from fieldtotable.model.nodes import node_kinds

if TYPE_CHECKING:
    from fieldtotable.results.measure import MeasuredRun

__all__ = [
    "KPIS",
    "KPI_DEFINITIONS",
    "REMAINING_BINS",
    "SECTIONS",
    "STAGE_DEFINITIONS",
    "Aggregation",
    "Better",
    "KpiComputation",
    "ResultField",
    "field_of",
    "headline_kpis",
    "kpi_computation",
    "register_kpi",
    "section",
    "sweep_kpis",
    "unregister_kpi",
]

Better = Literal["higher", "lower"]
"""Which direction of a field is better for the planner."""


@dataclass(frozen=True)
class ResultField:
    """One key of a run's results.

    Attributes
    ----------
    key
        The key (``spoilage_rate``); its ending carries the unit where it has one.
    unit
        ``kg``, ``CNY``, ``h``, ``d``, ``fraction``, ``count``, ``kg/d``, ...
    definition
        What the number is, in a sentence (the reference page's "meaning").
    label
        A short name for tables, reports and figures (``Spoilage rate``).
    better
        ``higher``, ``lower`` or ``None`` (neither: a volume such as demand).
    headline
        Whether reports and comparison figures lead with it.
    sweep
        Whether sweep tables show it unless asked for others.
    aggregation
        How it combines (:data:`Aggregation`).
    per_product
        Whether it is also computed per product (``by_product``); KPIs only.
    """

    key: str
    unit: str
    definition: str
    label: str = ""
    better: Better | None = None
    headline: bool = False
    sweep: bool = False
    aggregation: Aggregation = "sum"
    per_product: bool = False

    @property
    def title(self) -> str:
        """The label, or the key when the field has none."""
        return self.label or self.key


KpiComputation = Callable[["MeasuredRun"], float]
"""A KPI's computation: the run's measured sums -> the KPI's value."""

SECTIONS = (
    "kpis",
    "spoiled_kg_by_stage",
    "by_product",
    "by_leg",
    "by_node",
    "by_market",
    "daily",
)
"""The sections of a :class:`~fieldtotable.RunResult` whose keys the registry defines."""

#: Number of bins of :attr:`RunResult.remaining_at_sale` (re-exported from the ledger).
REMAINING_BINS = LEDGER_REMAINING_BINS

#: What each stage of :attr:`RunResult.spoiled_kg_by_stage` covers (the keys of
#: :data:`fieldtotable.model.lot.STAGES`, in order).
STAGE_DEFINITIONS: dict[str, str] = {
    "collection": "in the field, on the way to the collection point and at the collection"
    " point (grading, pre-cooling, cold room)",
    "transit": "loading and on a leg (reefer failures and closures included); unloading"
    " counts to the hub",
    "hub": "at a consolidation hub or DC, dock exposure included",
    "market": "in a store: on its delivery van from the DC, on the shelf",
}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


_BUILTIN_KPIS: tuple[tuple[ResultField, KpiComputation], ...] = (
    (
        ResultField(
            "harvested_kg", "kg", "all kg that entered the system from sources",
            label="Harvested", per_product=True,
        ),
        lambda run: run.total("harvested"),
    ),
    (
        ResultField(
            "rejected_kg", "kg", "removed at grading",
            label="Rejected at grading", better="lower", per_product=True,
        ),
        lambda run: run.total("rejected"),
    ),
    (
        ResultField(
            "refused_kg", "kg", "turned away by a full store set to on_full: refuse",
            label="Refused by full stores", better="lower", per_product=True,
        ),
        lambda run: run.total("refused"),
    ),
    (
        ResultField(
            "spoiled_kg", "kg", "discarded because shelf life ran out (all stages)",
            label="Spoiled (all stages)", better="lower", per_product=True,
        ),
        lambda run: run.spoiled(),
    ),
    (
        ResultField(
            "sold_kg", "kg", "sold to any market (markdown sales included)",
            label="Sold", better="higher", headline=True, sweep=True, per_product=True,
        ),
        lambda run: run.total("sold"),
    ),
    (
        ResultField(
            "sold_value_cny", "CNY", "revenue of all sales",
            label="Sales value", better="higher", headline=True, per_product=True,
        ),
        lambda run: run.total("sold_value_cny"),
    ),
    (
        ResultField(
            "markdown_sold_kg", "kg", "sold at a markdown price",
            label="Sold at a markdown", per_product=True,
        ),
        lambda run: run.total("markdown_sold"),
    ),
    (
        ResultField(
            "demand_kg", "kg", "demand of walk-in customers and orders",
            label="Demand", per_product=True,
        ),
        lambda run: run.total("demand"),
    ),
    (
        ResultField(
            "lost_sales_kg", "kg", "demand that could not be met from stock",
            label="Lost sales", better="lower", per_product=True,
        ),
        lambda run: run.total("lost_sales"),
    ),
    (
        ResultField(
            "fill_rate", "fraction", "sold_kg / demand_kg",
            label="Fill rate", better="higher", headline=True, sweep=True,
            aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.kpi("sold_kg"), run.kpi("demand_kg")),
    ),
    (
        ResultField(
            "spoilage_rate", "fraction", "spoiled_kg / harvested_kg",
            label="Spoilage rate", better="lower", headline=True, sweep=True,
            aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.kpi("spoiled_kg"), run.kpi("harvested_kg")),
    ),
    (
        ResultField(
            "throughput_kg_per_day", "kg/d", "sold_kg per measured day",
            label="Throughput", better="higher", per_product=True,
        ),
        lambda run: run.kpi("sold_kg") / run.days,
    ),
    (
        ResultField(
            "in_system_kg_end", "kg", "kg still in the system at the end of the horizon",
            label="Still in the channel at the end", aggregation="level", per_product=True,
        ),
        lambda run: run.in_system(),
    ),
    (
        ResultField(
            "arrived_at_market_hub_kg", "kg", "kg unloaded at a hub that supplies markets",
            label="Arrived at the market hub", per_product=True,
        ),
        lambda run: run.total("arrived_at_market_hub"),
    ),
    (
        ResultField(
            "mean_field_to_market_h", "h", "kg-weighted mean hours from harvest to a market",
            label="Field to market, mean", better="lower", headline=True,
            aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.total("field_to_market_kg_h"), run.total("delivered_to_market")),
    ),
    (
        ResultField(
            "mean_remaining_shelf_life_at_sale_d", "d",
            "kg-weighted mean remaining shelf life at sale, at the market's temperature",
            label="Shelf life left at sale, mean", better="higher", aggregation="ratio",
            per_product=True,
        ),
        lambda run: _ratio(run.total("remaining_shelf_life_kg_d"), run.kpi("sold_kg")),
    ),
    (
        ResultField(
            "mean_remaining_fraction_at_sale", "fraction",
            "kg-weighted mean remaining fraction of the lot's shelf life at sale"
            " (comparable across products, unlike days)",
            label="Share of shelf life left at sale, mean", better="higher", headline=True,
            sweep=True, aggregation="ratio", per_product=True,
        ),
        lambda run: _ratio(run.total("remaining_fraction_kg"), run.kpi("sold_kg")),
    ),
    (
        ResultField(
            "transport_cost_cny", "CNY", "cost of all trips (per trip, per km, per kg)",
            label="Transport cost", better="lower",
        ),
        lambda run: run.legs("cost_cny"),
    ),
    (
        ResultField(
            "cost_per_kg_sold_cny", "CNY/kg", "transport_cost_cny / sold_kg",
            label="Transport cost per kg sold", better="lower", headline=True, sweep=True,
            aggregation="ratio",
        ),
        lambda run: _ratio(run.kpi("transport_cost_cny"), run.kpi("sold_kg")),
    ),
    (
        ResultField(
            "co2_kg", "kg", "CO2 of all trips (per tonne-km carried and per vehicle-km)",
            label="CO\N{SUBSCRIPT TWO} emitted", better="lower", headline=True,
        ),
        lambda run: run.legs("co2_kg"),
    ),
    (
        ResultField("trips", "count", "vehicle trips on all legs", label="Vehicle trips"),
        lambda run: run.legs("trips"),
    ),
)  # fmt: skip

_KPIS: dict[str, ResultField] = {}
_COMPUTATIONS: dict[str, KpiComputation] = {}

KPIS: Mapping[str, ResultField] = MappingProxyType(_KPIS)
"""Every KPI of :attr:`RunResult.kpis <fieldtotable.RunResult.kpis>`, in order (a live,
read-only view of the registry)."""


def register_kpi(result_field: ResultField, compute: KpiComputation) -> ResultField:
    """Add a KPI: every run computes it after the KPIs registered before it.

    Parameters
    ----------
    result_field
        Its key, unit, definition and presentation (``per_product=True``: computed
        per product as well, with the product's sums).
    compute
        ``MeasuredRun -> float``; NaN for a value that is undefined in a run (a ratio
        over nothing).

    Returns
    -------
    ResultField
        The field as registered.

    Raises
    ------
    ValueError
        If the key is taken.
    """
    if result_field.key in _KPIS:
        raise ValueError(f"KPI {result_field.key!r} is already registered")
    _KPIS[result_field.key] = result_field
    _COMPUTATIONS[result_field.key] = compute
    return result_field


def unregister_kpi(key: str) -> None:
    """Remove a KPI added with :func:`register_kpi` (built-in KPIs stay).

    Parameters
    ----------
    key
        The KPI's key.

    Raises
    ------
    ValueError
        For a built-in KPI.
    KeyError
        For a key that is not registered.
    """
    if key in _BUILTIN_KEYS:
        raise ValueError(f"the built-in KPI {key!r} cannot be removed")
    del _KPIS[key]
    del _COMPUTATIONS[key]


def kpi_computation(key: str) -> KpiComputation:
    """Return the computation of a registered KPI.

    Parameters
    ----------
    key
        The KPI's key.

    Returns
    -------
    KpiComputation
        ``MeasuredRun -> float``.

    Raises
    ------
    KeyError
        If no KPI has that key.
    """
    return _COMPUTATIONS[key]


def headline_kpis() -> tuple[str, ...]:
    """Return the KPIs reports and comparison figures lead with.

    Returns
    -------
    tuple of str
        Their keys, in registry order.
    """
    return tuple(key for key, found in _KPIS.items() if found.headline)


def sweep_kpis() -> tuple[str, ...]:
    """Return the KPIs sweep tables show unless asked for others.

    Returns
    -------
    tuple of str
        Their keys, in registry order.
    """
    return tuple(key for key, found in _KPIS.items() if found.sweep)


class _Definitions(Mapping[str, tuple[str, str]]):
    """KPI key -> (unit, definition), read from the registry as it stands."""

    def __getitem__(self, key: str) -> tuple[str, str]:
        found = _KPIS[key]
        return found.unit, found.definition

    def __iter__(self) -> Iterator[str]:
        return iter(_KPIS)

    def __len__(self) -> int:
        return len(_KPIS)

    def __repr__(self) -> str:
        return f"KPI_DEFINITIONS({dict(self)!r})"


KPI_DEFINITIONS: Mapping[str, tuple[str, str]] = _Definitions()
"""Every KPI key with its unit and meaning, in order: the results contract (a live view
of :data:`KPIS`)."""

_LEG_FIELDS = (
    ResultField("trips", "count", "vehicle trips on the leg", label="Trips"),
    ResultField("kg_carried", "kg", "kg loaded onto the leg's vehicles", label="Carried"),
    ResultField(
        "mean_load_kg", "kg", "kg_carried / trips", label="Mean load", aggregation="ratio"
    ),
    ResultField(
        "load_factor", "fraction", "mean_load_kg / vehicle capacity",
        label="Load factor", aggregation="ratio",
    ),
    ResultField(
        "tonne_km", "t·km", "tonnes carried times the leg's distance, summed over trips",
        label="Tonne-km",
    ),
    ResultField(
        "cost_cny", "CNY", "cost of the leg's trips (per trip, per km, per kg)",
        label="Cost", better="lower",
    ),
    ResultField("co2_kg", "kg", "CO2 of the leg's trips", label="CO\N{SUBSCRIPT TWO}",
                better="lower"),
    ResultField(
        "utilisation", "fraction",
        "share of the fleet's hours spent on trips (whole horizon: fleet x horizon hours)",
        label="Fleet busy", aggregation="ratio",
    ),
    ResultField(
        "closed_h", "h",
        "hours the leg was closed (its closures, merged) after the warm-up: departures"
        " wait, trips under way stop",
        label="Closed",
    ),
)  # fmt: skip

_MARKET_FIELDS = (
    ResultField("demand_kg", "kg", "demand of the market's customers or orders", label="Demand"),
    ResultField(
        "sold_kg", "kg", "kg sold by the market (markdown sales included)",
        label="Sold", better="higher",
    ),
    ResultField(
        "lost_sales_kg", "kg", "demand the market could not meet from stock",
        label="Lost sales", better="lower",
    ),
    ResultField(
        "fill_rate", "fraction", "sold_kg / demand_kg",
        label="Fill rate", better="higher", aggregation="ratio",
    ),
    ResultField(
        "sold_value_cny", "CNY", "revenue of the market's sales",
        label="Sales value", better="higher",
    ),
)  # fmt: skip

_DAILY_FIELDS = (
    ResultField("harvested_kg", "kg/d", "kg that entered the system from sources"),
    ResultField("rejected_kg", "kg/d", "kg removed at grading"),
    ResultField("spoiled_kg", "kg/d", "kg discarded because shelf life ran out (all stages)"),
    ResultField("spoiled_<stage>_kg", "kg/d", "kg spoiled at one stage"),
    ResultField("sold_kg", "kg/d", "kg sold to any market"),
    ResultField("demand_kg", "kg/d", "demand of walk-in customers and orders"),
    ResultField("lost_sales_kg", "kg/d", "demand that could not be met from stock"),
    ResultField("arrived_at_market_hub_kg", "kg/d", "kg unloaded at a hub that supplies markets"),
    ResultField("sold_value_cny", "CNY/d", "revenue of all sales"),
    ResultField("transport_cost_cny", "CNY/d", "cost of the trips loaded that day"),
    ResultField("co2_kg", "kg/d", "CO2 of the trips loaded that day"),
    ResultField(
        "in_transit_kg", "kg",
        "kg held at no node or store at the end of the day: on the way from the field,"
        " in pre-cooling, on legs and delivery vans",
        aggregation="level",
    ),
    ResultField(
        "stock_<node>_kg", "kg", "stock held at a node at the end of the day",
        aggregation="level",
    ),
)  # fmt: skip


def _kind_fields(role: str) -> dict[str, ResultField]:
    """Return the statistics of every registered node kind of ``role``, first one first."""
    found: dict[str, ResultField] = {}
    for kind in node_kinds().values():
        if kind.schema.role != role:
            continue
        for key, metric in kind.metrics.items():
            if key in found:
                if found[key].unit != metric.unit:
                    raise ValueError(
                        f"node kind {kind.name!r} reports {key!r} in {metric.unit}, "
                        f"another kind in {found[key].unit}"
                    )
                continue
            found[key] = ResultField(
                key, metric.unit, metric.definition, label=metric.label,
                aggregation=metric.aggregation,
            )  # fmt: skip
    return found


def section(name: str) -> dict[str, ResultField]:
    """Return the fields of one section of a run's results, in order.

    Parameters
    ----------
    name
        One of :data:`SECTIONS`. ``by_product`` holds the per-product KPIs and the
        spoiled kg of each stage; ``by_node`` the statistics of every registered
        place kind, ``by_market`` the sales of every market and the statistics of
        its kind; ``daily`` has patterns (``spoiled_<stage>_kg``, ``stock_<node>_kg``).

    Returns
    -------
    dict of str to ResultField
        Key -> field.

    Raises
    ------
    ValueError
        For an unknown section.
    """
    if name == "kpis":
        return dict(_KPIS)
    if name == "spoiled_kg_by_stage":
        return {
            stage: ResultField(stage, "kg", f"spoiled {meaning} (after the warm-up)")
            for stage, meaning in STAGE_DEFINITIONS.items()
        }
    if name == "by_product":
        fields = {key: found for key, found in _KPIS.items() if found.per_product}
        fields["spoiled_kg_<stage>"] = ResultField(
            "spoiled_kg_<stage>", "kg", "spoiled_kg at one stage (after the warm-up)"
        )
        return fields
    if name == "by_leg":
        return {found.key: found for found in _LEG_FIELDS}
    if name == "by_node":
        return _kind_fields("place")
    if name == "by_market":
        return {**{found.key: found for found in _MARKET_FIELDS}, **_kind_fields("market")}
    if name == "daily":
        return {found.key: found for found in _DAILY_FIELDS}
    raise ValueError(f"no section {name!r}; choose from: {', '.join(SECTIONS)}")


def field_of(key: str) -> ResultField | None:
    """Return the field of a KPI key or a dotted breakdown path (``None`` if unknown).

    Parameters
    ----------
    key
        ``sold_kg``, ``by_product.matsutake.sold_kg``, ``by_leg.a.trips``,
        ``by_node.cp.peak_stock_kg``, ``by_market.shop.fill_rate``,
        ``spoiled_kg_by_stage.transit``.

    Returns
    -------
    ResultField or None
        The field that defines it.
    """
    if key in _KPIS:
        return _KPIS[key]
    part, _, rest = key.partition(".")
    if part == "spoiled_kg_by_stage":
        return section(part).get(rest)
    if part not in SECTIONS or part in ("kpis", "daily"):
        return None
    metric = rest.rpartition(".")[2]
    fields = section(part)
    if part == "by_product" and metric.startswith("spoiled_kg_") and metric[11:] in STAGES:
        return fields["spoiled_kg_<stage>"]
    return fields.get(metric)


_BUILTIN_KEYS = frozenset(found.key for found, _ in _BUILTIN_KPIS)

for _field, _compute in _BUILTIN_KPIS:
    register_kpi(_field, _compute)
