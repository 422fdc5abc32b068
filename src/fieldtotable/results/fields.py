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

The field type is :class:`~fieldtotable.results.field.ResultField`, the built-in
definitions are in :mod:`~fieldtotable.results.builtin_fields`. A KPI's computation
reads the run through a
:class:`~fieldtotable.results.measure.MeasuredRun` (sums over the measured days) and
may use the KPIs registered before it. The keys of ``by_node`` and ``by_market`` are
declared with their node kinds (:mod:`fieldtotable.model.nodes`) and read from
there: a node kind adds its statistics where it is registered.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from fieldtotable.model.ledger import REMAINING_BINS as LEDGER_REMAINING_BINS
from fieldtotable.model.lot import STAGES
from fieldtotable.model.nodes import node_kinds
from fieldtotable.results.builtin_fields import (
    BUILTIN_KPIS,
    DAILY_FIELDS,
    LEG_FIELDS,
    MARKET_FIELDS,
    STAGE_DEFINITIONS,
)
from fieldtotable.results.field import Aggregation, Better, KpiComputation, ResultField

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
    "added_kpis",
    "field_of",
    "headline_kpis",
    "install_kpi",
    "kpi_computation",
    "register_kpi",
    "section",
    "sweep_kpis",
    "unregister_kpi",
]

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


def added_kpis() -> tuple[tuple[ResultField, KpiComputation], ...]:
    """Return the KPIs added by code (not the built-in ones) with their computations.

    Returns
    -------
    tuple of (ResultField, KpiComputation)
        In registration order, the order in which runs compute them.
    """
    return tuple(
        (result_field, _COMPUTATIONS[key])
        for key, result_field in _KPIS.items()
        if key not in _BUILTIN_KEYS
    )


def install_kpi(result_field: ResultField, compute: KpiComputation) -> None:
    """Register a KPI made in another process, unless one of its key is registered.

    The process and Dask executors' workers receive the parent's added KPIs this way
    (see :mod:`fieldtotable.experiment.extensions`).

    Parameters
    ----------
    result_field, compute
        As given to :func:`register_kpi` in the parent process.
    """
    if result_field.key not in _KPIS:
        register_kpi(result_field, compute)


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
        spoiled and damaged kg of each stage; ``by_node`` the statistics of every registered
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
        fields["damaged_kg_<stage>"] = ResultField(
            "damaged_kg_<stage>", "kg", "damaged_kg at one stage (after the warm-up)"
        )
        return fields
    if name == "by_leg":
        return {found.key: found for found in LEG_FIELDS}
    if name == "by_node":
        return _kind_fields("place")
    if name == "by_market":
        return {**{found.key: found for found in MARKET_FIELDS}, **_kind_fields("market")}
    if name == "daily":
        return {found.key: found for found in DAILY_FIELDS}
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
    if part == "by_product":
        for fate in ("spoiled", "damaged"):
            prefix = f"{fate}_kg_"
            if metric.startswith(prefix) and metric.removeprefix(prefix) in STAGES:
                return fields[f"{fate}_kg_<stage>"]
    return fields.get(metric)


_BUILTIN_KEYS = frozenset(found.key for found, _ in BUILTIN_KPIS)

for _field, _compute in BUILTIN_KPIS:
    register_kpi(_field, _compute)
