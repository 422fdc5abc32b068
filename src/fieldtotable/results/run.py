"""The record of one run: :class:`RunResult`, flat, immutable, plain data.

Built from the ledger once a run ends (:mod:`fieldtotable.results.build`); every
field is documented here and every key inside it in the result-field registry
(:mod:`fieldtotable.results.fields`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from fieldtotable.model.ledger import Flow
from fieldtotable.results import presenters

__all__ = ["Loss", "RunResult"]


@dataclass(frozen=True, slots=True)
class Loss:
    """Kg of one product that left the channel unsold one way, at one place, for one reason.

    Attributes
    ----------
    fate
        ``rejected`` (graded out), ``refused`` (turned away), ``damaged`` (broken in
        handling or lost as weight) or ``spoiled`` (shelf life ran out):
        :data:`~fieldtotable.model.ledger.LOSS_FATES`.
    stage
        ``collection``, ``transit``, ``hub`` or ``market``.
    node
        Id of the source, collection point, hub, leg or market where it happened.
    reason
        Why: ``graded_out``; ``store_full`` for a refusal; ``breakage_loading``,
        ``breakage_unloading``, ``breakage_picking`` or ``weight_loss`` for damage;
        for spoilage, what the lot
        was undergoing when its shelf life ran out (``field_to_collection``,
        ``waiting_for_precooling``, ``receiving``, ``precooling``, ``cold_store``,
        ``waiting_outside`` a full store, ``loading``, ``in_transit``,
        ``reefer_failure``, ``dock``, ``handling``, ``delivery_van``, ``on_shelf``).
    product
        Product id.
    kg
        Kg lost after the warm-up.
    """

    fate: str
    stage: str
    node: str
    reason: str
    product: str
    kg: float


def _same(left: Any, right: Any) -> bool:
    """Equality where an undefined number (NaN) equals another undefined number."""
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)


@dataclass(frozen=True, eq=False)
class RunResult:
    """The outcome of one replication.

    Attributes
    ----------
    scenario_name
        The scenario's ``name``.
    seed
        The run's seed.
    replication
        The replication index within an experiment (``None`` for a single run):
        ``simulate(scenario, seed, replication=replication)`` reproduces it.
    horizon_days
        Days simulated.
    warmup_days
        Days at the start left out of the KPIs and breakdowns.
    kpis
        Every registered KPI (:data:`~fieldtotable.results.fields.KPIS`; measured
        after the warm-up).
    spoiled_kg_by_stage
        Spoiled kg per stage (:data:`STAGE_DEFINITIONS`): ``collection`` (field and
        collection point), ``transit`` (loading and legs), ``hub``, ``market`` (shop
        and its delivery van).
    by_product
        Per product id, the per-product KPIs plus ``spoiled_kg_<stage>`` and
        ``damaged_kg_<stage>`` (the registry's section ``by_product``).
    by_leg
        Per leg id, the keys of the registry's section ``by_leg``: ``trips``,
        ``kg_carried``, ``mean_load_kg``, ``load_factor``, ``tonne_km``,
        ``cost_cny``, ``co2_kg``, ``utilisation`` (share of the fleet's hours spent
        on trips), ``closed_h`` (hours the leg was closed after the warm-up).
    by_node
        Per place (collection point, hub, node of an added kind), the statistics its
        kind reports (section ``by_node``): ``peak_stock_kg``, ``capacity_kg``,
        ``overflow_kg`` (kg that found the store full), and for collection points
        ``mean_precooling_wait_h`` and ``precooled_lots``.
    remaining_at_sale
        Per product id, kg sold (after the warm-up) in each of
        :data:`REMAINING_BINS` equal bins of the labelled remaining fraction of shelf
        life at sale (``1 - consumed``, the quantity markdown rules look at): bin 0
        holds [0, 0.05), the last [0.95, 1].
    by_market
        Per market id (measured after the warm-up), the keys of the registry's
        section ``by_market``: ``demand_kg``, ``sold_kg``, ``lost_sales_kg``,
        ``fill_rate``, ``sold_value_cny``; for stores also ``peak_shelf_kg`` and
        ``shelf_capacity_kg`` (peak over the whole run).
    daily
        Daily series over the whole horizon (index = day), the keys of the registry's
        section ``daily``: ``harvested_kg``, ``rejected_kg``, ``spoiled_kg``,
        ``spoiled_<stage>_kg``, ``damaged_kg``, ``sold_kg``, ``sold_value_cny``, ``demand_kg``,
        ``lost_sales_kg``, ``arrived_at_market_hub_kg``, ``transport_cost_cny``,
        ``co2_kg``, ``in_transit_kg`` and ``stock_<node>_kg`` (end-of-day stock of
        every place and store).
    losses
        Every kg that left the channel unsold after the warm-up, as :class:`Loss`
        records by fate, stage, node, reason and product (sorted in that order). Per
        fate they add up to ``rejected_kg``, ``refused_kg``, ``damaged_kg`` and
        ``spoiled_kg``.
    cost_cny_by_stage
        The channel's total cost split by where along the channel it was spent, CNY
        per stage (:data:`~fieldtotable.results.money_stages.COST_STAGES`:
        ``farm_gate``, ``collection``, ``transport``, ``hubs``, ``market``); the
        stages add up to ``total_cost_cny`` (see
        :mod:`fieldtotable.results.money_stages`). Empty for runs stored before the
        field existed.
    weather
        Per climate region with a declared ``variation``, the weather the run drew
        (:meth:`fieldtotable.model.weather.WeatherYear.record`): ``months``
        (``YYYY-MM``), ``monthly_anomaly_c``, ``heat_waves`` (``[start_day, days,
        excess_c]``), ``heat_wave_days``, ``years`` and ``wetness``. Empty when no
        region varies (and then left out of :meth:`to_dict`).
    parameters
        The values drawn for the scenario's uncertain parameters in this run, by
        field path (:mod:`fieldtotable.model.parameter_draws`); empty when the scenario
        declares none.
    events_processed
        SimPy events processed (a measure of the run's work).
    flows
        The per-movement flow log when ``record_flows=True``, else ``None``.
    start_date
        The scenario's ``start_date``: day ``i`` of the daily series is
        ``start_date + i`` days (``None`` for runs stored by version 0.1.0 stores).
    wall_time_s
        Wall-clock seconds of the run (not part of equality).
    """

    DEFAULT_TABLE: ClassVar[str] = "kpis"
    """The table ``to_pandas()`` returns without a name."""

    scenario_name: str
    seed: int
    replication: int | None
    horizon_days: int
    warmup_days: int
    kpis: dict[str, float]
    spoiled_kg_by_stage: dict[str, float]
    by_product: dict[str, dict[str, float]]
    by_leg: dict[str, dict[str, float]]
    by_node: dict[str, dict[str, float]]
    by_market: dict[str, dict[str, float]]
    daily: dict[str, list[float]]
    remaining_at_sale: dict[str, list[float]]
    events_processed: int
    flows: tuple[Flow, ...] | None = None
    start_date: dt.date | None = None
    losses: tuple[Loss, ...] = ()
    cost_cny_by_stage: dict[str, float] = field(default_factory=dict)
    weather: dict[str, dict[str, Any]] = field(default_factory=dict)
    parameters: dict[str, float] = field(default_factory=dict)
    wall_time_s: float = field(default=0.0, compare=False)

    def __eq__(self, other: object) -> bool:
        """Compare every field but the wall time; undefined ratios (NaN) compare equal."""
        if not isinstance(other, RunResult):
            return NotImplemented
        return all(
            _same(getattr(self, f.name), getattr(other, f.name)) for f in fields(self) if f.compare
        )

    __hash__ = None  # type: ignore[assignment]  # mutable mappings inside: not hashable

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-compatible data (NaN becomes ``None``); the flow log is left out.

        Returns
        -------
        dict
            Every field but ``flows``, by name (``weather`` and ``parameters`` only when
            not empty).
        """
        data: dict[str, Any] = _clean(
            {
                "scenario_name": self.scenario_name,
                "seed": self.seed,
                "replication": self.replication,
                "horizon_days": self.horizon_days,
                "warmup_days": self.warmup_days,
                "kpis": self.kpis,
                "spoiled_kg_by_stage": self.spoiled_kg_by_stage,
                "by_product": self.by_product,
                "by_leg": self.by_leg,
                "by_node": self.by_node,
                "by_market": self.by_market,
                "daily": self.daily,
                "remaining_at_sale": self.remaining_at_sale,
                "events_processed": self.events_processed,
                "start_date": None if self.start_date is None else self.start_date.isoformat(),
                "losses": [
                    {name: getattr(loss, name) for name in Loss.__slots__} for loss in self.losses
                ],
                "cost_cny_by_stage": self.cost_cny_by_stage,
                # Only runs with a varying climate carry it: other runs' data is unchanged.
                **({"weather": self.weather} if self.weather else {}),
                # Only runs with uncertain parameters have the key: other runs' data
                # is as it was before the field existed.
                **({"parameters": self.parameters} if self.parameters else {}),
                "wall_time_s": self.wall_time_s,
            }
        )
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the :meth:`to_dict` data as JSON text.

        Parameters
        ----------
        indent
            Spaces per indentation level; ``None`` for one line.

        Returns
        -------
        str
            The JSON text (non-ASCII characters kept).
        """
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_pandas(self, table: str | None = None) -> Any:
        """Return a table of the run as a ``pandas.DataFrame`` (pandas must be installed).

        Every result type has this signature: ``to_pandas()`` gives its main table,
        ``to_pandas(name)`` another one and ``to_pandas("all")`` a dict of them all
        (:class:`~fieldtotable.ExperimentResult`: ``replications``;
        :class:`~fieldtotable.ComparisonResult`: ``differences``;
        :class:`~fieldtotable.SweepResult`: ``replications``). The tables are those
        that :mod:`fieldtotable.export` writes to files.

        Parameters
        ----------
        table
            ``None`` for the main table, ``"kpis"`` (columns ``kpi``, ``value``,
            ``unit``, ``meaning``, one row per KPI); ``"by_product"``,
            ``"by_stage"``, ``"by_leg"``, ``"by_node"``, ``"by_market"``,
            ``"pnl_by_market"``, ``"pnl_by_product"``, ``"cost_by_stage"``,
            ``"daily"``, ``"remaining_at_sale"``, ``"losses"``; or ``"all"`` for a dict of every
            table's frame. Columns are typed and carry units in their names.

        Returns
        -------
        pandas.DataFrame or dict of str to pandas.DataFrame
            The table, or every table by name for ``"all"``.

        Raises
        ------
        ImportError
            If pandas is not installed (the ``export`` extra installs it).
        ValueError
            For an unknown table name.
        """
        return presenters.to_pandas(self, table)

    def _repr_html_(self) -> str:
        """Return the KPIs as an HTML table (shown by Jupyter)."""
        return presenters.to_html(self)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
