"""Node kinds behind one interface: the processes' protocol and the kind registry.

A node process is built from its scenario entry, the run's shared state and its
random streams (:class:`BuildSetup`), takes lots in (places), and reports its
statistics at the end of a run (:meth:`NodeProcess.stats`, the keys declared with
the kind). The world builds every node through this interface, by role, in a fixed
order: places (collection points, hubs, ``nodes``), then the legs between them, then
sources, then markets.

The registry maps a kind's name to its scenario schema (registered with
:mod:`fieldtotable.scenario.kinds`) and its process class; the built-in kinds and
:func:`~fieldtotable.model.nodes.register_node_kind` live in
:mod:`fieldtotable.model.nodes`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, Self

import numpy as np

from fieldtotable.model.context import Context, Seed, stream
from fieldtotable.model.lot import Lot
from fieldtotable.scenario.kinds import NodeSchema

if TYPE_CHECKING:
    from fieldtotable.model.storage import Storage
    from fieldtotable.model.thermal import Ambient
    from fieldtotable.scenario.schema import Scenario

__all__ = [
    "Aggregation",
    "BuildSetup",
    "Metric",
    "NodeKind",
    "NodeProcess",
    "PlaceProcess",
]


Aggregation = Literal["sum", "ratio", "max", "level"]
"""How a result field combines across the parts of a run (products, markets, nodes):
``sum`` adds up; ``ratio`` is recomputed from its summed parts (never added or
averaged); ``max`` is a peak (the largest wins, peaks at different times do not add);
``level`` is a quantity at one moment or a setting (a capacity, the stock at the end):
it adds up across parts at the same moment, never across days."""


class Metric(NamedTuple):
    """One key a node kind reports in its statistics.

    Attributes
    ----------
    unit
        ``kg``, ``h``, ``count``, ``fraction``, ...
    definition
        What the number is, in a sentence.
    label
        A short name for tables and figures (default: the key).
    aggregation
        How the number combines across nodes or days.
    """

    unit: str
    definition: str
    label: str = ""
    aggregation: Aggregation = "sum"


@dataclass
class BuildSetup:
    """What a node process may use when it is built.

    Attributes
    ----------
    scenario
        The whole scenario (products, prices, scale, ...).
    context
        The run's shared state: clock, calendar, ledger, live lots, environments.
    seed
        The replication's seed; :meth:`stream` derives a component's stream from it.
    product_index
        Product id -> index.
    places
        The places built so far, by id (all of them once places are built).
    source_index
        Source id -> its index (recorded on its lots).
    market_products
        Place id -> the indices of the products for which it supplies a market.
    """

    scenario: Scenario
    context: Context
    seed: Seed
    product_index: dict[str, int]
    places: dict[str, PlaceProcess] = field(default_factory=dict)
    source_index: dict[str, int] = field(default_factory=dict)
    market_products: dict[str, frozenset[int]] = field(default_factory=dict)

    def stream(self, *key: str) -> np.random.Generator:
        """Return the random stream of one component, keyed by its stable id.

        Parameters
        ----------
        *key
            The component's key, e.g. ``("node", "xdock", "handling")``.

        Returns
        -------
        numpy.random.Generator
            A stream that depends only on the replication's seed and ``key``.
        """
        return stream(self.seed, *key)


class NodeProcess(Protocol):
    """What every node process offers the world."""

    node_id: str
    holds_stock: bool
    """Whether the node holds stock: its kg at the end of each day, from
    :meth:`end_of_day`, are the daily series ``stock_<node>_kg``."""

    @classmethod
    def build(cls, node_id: str, config: Any, setup: BuildSetup) -> Self:
        """Build the process of one node.

        Parameters
        ----------
        node_id
            The node's id.
        config
            Its scenario entry (an instance of its kind's schema class).
        setup
            The run's shared state, the scenario and the places built so far.

        Returns
        -------
        Self
            The node's process, ready to run.
        """
        ...

    def stats(self) -> dict[str, float]:
        """Return the node's statistics at the end of the run (its kind's metrics)."""
        ...

    def end_of_day(self) -> float | None:
        """Do the end-of-day work (inspection); return the kg held, or ``None``."""
        ...


class PlaceProcess(NodeProcess, Protocol):
    """A place: lots arrive, are held in its storage, and leave by leg or to a market."""

    storage: Storage
    """The stock legs load from and markets draw from."""
    ambient: Ambient
    """The air of the place's region (loading onto legs, reefer failures near it)."""

    def receive(self, lots: Sequence[Lot]) -> None:
        """Take in lots arriving now (from a source, or unloaded from a leg).

        Parameters
        ----------
        lots
            The lots, brought up to date to now by whoever delivers them.
        """
        ...


@dataclass(frozen=True)
class NodeKind:
    """A registered node kind.

    Attributes
    ----------
    schema
        The kind as the scenario sees it: name, schema class, section, role, label,
        which legs and markets it allows.
    process
        The process class; ``process.build(node_id, config, setup)`` makes one.
    metrics
        The keys of its :meth:`~NodeProcess.stats`, in order, with unit and meaning:
        they are the node's ``by_node`` entry (places) or are added to its
        ``by_market`` entry (markets).
    """

    schema: NodeSchema
    process: type[Any]
    metrics: Mapping[str, Metric]

    @property
    def name(self) -> str:
        """The kind's name."""
        return self.schema.kind


_KINDS: dict[str, NodeKind] = {}


def add_kind(kind: NodeKind) -> None:
    """Add a kind to the registry (see :func:`fieldtotable.model.nodes.register_node_kind`)."""
    if kind.name in _KINDS:
        raise ValueError(f"node kind {kind.name!r} is already registered")
    _KINDS[kind.name] = kind


def remove_kind(name: str) -> None:
    """Remove a kind from the registry."""
    del _KINDS[name]


def registered() -> Mapping[str, NodeKind]:
    """Return the registry as it stands (a live, read-only view, in registration order)."""
    return MappingProxyType(_KINDS)
