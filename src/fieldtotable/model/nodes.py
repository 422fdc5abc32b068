"""The node kinds of the model: the built-in ones, and how to add one.

A node kind is a scenario schema class, a process class and the statistics it
reports. The built-in kinds (``source``, ``collection_point``, ``hub``, ``store``,
``orders``) are registered here; code adds a place kind with one call::

    register_node_kind(
        "cross_dock",
        schema=CrossDock,                 # a NodeConfig subclass: the `nodes` entries
        process=CrossDockProcess,         # build(), receive(), stats(), end_of_day()
        label="cross-dock",
        metrics={"lots_forwarded": Metric("count", "lots sent on")},
    )

after which a scenario may hold ``nodes: {xdock: {kind: cross_dock, ...}}``; the
node is built by the world, its statistics are its ``by_node`` entry, and reports
and the network map show it. The how-to *Add a node kind* walks through one.
"""

from __future__ import annotations

from collections.abc import Mapping

from fieldtotable.model.collection import CollectionPointProcess, SourceProcess
from fieldtotable.model.hub import HubProcess
from fieldtotable.model.kinds import Metric, NodeKind, add_kind, registered, remove_kind
from fieldtotable.model.market import StoreProcess
from fieldtotable.model.orders import OrdersProcess
from fieldtotable.scenario.kinds import (
    BUILTIN_KINDS,
    NODES_SECTION,
    NodeSchema,
    node_schema,
    register_node_schema,
    unregister_node_schema,
)
from fieldtotable.scenario.schema_nodes import NodeConfig

__all__ = [
    "Metric",
    "NodeKind",
    "added_node_kinds",
    "install_node_kind",
    "node_kind",
    "node_kinds",
    "register_node_kind",
    "unregister_node_kind",
]

_STORAGE_METRICS = {
    "peak_stock_kg": Metric(
        "kg", "highest stock held at the node (whole horizon)", "Peak stock", "max"
    ),
    "capacity_kg": Metric(
        "kg", "the node's storage capacity (cold room or storage)", "Capacity", "level"
    ),
    "overflow_kg": Metric(
        "kg", "kg that found the node's storage full (whole horizon)", "Found it full"
    ),
    "refused_kg": Metric(
        "kg",
        "kg the node refused because it was full, at its gate or door (whole horizon)",
        "Refused",
    ),
    "overflow_store_kg": Metric(
        "kg", "kg moved into the node's rented overflow store (whole horizon)", "Overflowed"
    ),
    "peak_overflow_store_kg": Metric(
        "kg",
        "highest kg in the node's overflow store (whole horizon)",
        "Peak in overflow",
        "max",
    ),
}


def register_node_kind(
    name: str,
    *,
    schema: type[NodeConfig],
    process: type,
    label: str,
    metrics: Mapping[str, Metric],
    sends_legs: bool = True,
    receives_legs: bool = True,
    supplies_markets: bool = True,
) -> NodeKind:
    """Add a kind of place: its scenario schema, its process and its statistics.

    Parameters
    ----------
    name
        The kind's name, the ``kind`` key of its entries in the scenario's ``nodes``.
    schema
        Its entries' pydantic model: a subclass of
        :class:`~fieldtotable.scenario.schema_nodes.NodeConfig` whose ``kind`` is
        ``Literal[name]``.
    process
        Its process class (see :class:`~fieldtotable.model.kinds.PlaceProcess`):
        ``build(node_id, config, setup)``, ``receive(lots)``, ``storage``,
        ``ambient``, ``stats()``, ``end_of_day()``.
    label
        The kind in words, for tables, reports and the map legend.
    metrics
        The keys of ``stats()``, in order, with unit and meaning (the node's
        ``by_node`` entry; the results reference lists them).
    sends_legs, receives_legs, supplies_markets
        Whether legs may start and end at such a place, and markets be supplied by it.

    Returns
    -------
    NodeKind
        The registered kind.

    Raises
    ------
    ValueError
        If the name is taken, or ``schema`` is not a ``NodeConfig`` subclass.
    """
    if not (isinstance(schema, type) and issubclass(schema, NodeConfig)):
        raise ValueError(f"node kind {name!r}: the schema must be a subclass of NodeConfig")
    if name in registered():
        raise ValueError(f"node kind {name!r} is already registered")
    scenario_side = NodeSchema(
        name,
        schema,
        NODES_SECTION,
        "place",
        label,
        sends_legs=sends_legs,
        receives_legs=receives_legs,
        supplies_markets=supplies_markets,
    )
    register_node_schema(scenario_side)
    kind = NodeKind(scenario_side, process, dict(metrics))
    add_kind(kind)
    return kind


def unregister_node_kind(name: str) -> None:
    """Remove a kind added with :func:`register_node_kind` (built-in kinds stay).

    Parameters
    ----------
    name
        The kind's name.
    """
    unregister_node_schema(name)
    remove_kind(name)


def added_node_kinds() -> tuple[NodeKind, ...]:
    """Return the kinds added by code (not the built-in ones), in registration order.

    Returns
    -------
    tuple of NodeKind
        What :func:`register_node_kind` added and :func:`unregister_node_kind` left.
    """
    return tuple(kind for name, kind in registered().items() if name not in BUILTIN_KINDS)


def install_node_kind(kind: NodeKind) -> None:
    """Register a kind made in another process, unless one of its name is registered.

    The process and Dask executors' workers receive the parent's added kinds this way
    (see :mod:`fieldtotable.experiment.extensions`).

    Parameters
    ----------
    kind
        A kind returned by :func:`register_node_kind` in the parent process.
    """
    if kind.name not in registered():
        register_node_schema(kind.schema)
        add_kind(kind)


def node_kind(name: str) -> NodeKind:
    """Return the registered kind ``name`` (``KeyError`` if there is none).

    Parameters
    ----------
    name
        The kind's name (``"hub"``).

    Returns
    -------
    NodeKind
        Its schema, process class and metrics.
    """
    return registered()[name]


def node_kinds() -> Mapping[str, NodeKind]:
    """Return every registered kind by name, built-in kinds first (a live, read-only view).

    Returns
    -------
    Mapping of str to NodeKind
        In registration order.
    """
    return registered()


for _name, _process, _metrics in (
    ("source", SourceProcess, {}),
    (
        "collection_point",
        CollectionPointProcess,
        {
            **_STORAGE_METRICS,
            "precooled_lots": Metric(
                "count", "lots that were pre-cooled (collection points)", "Pre-cooled lots"
            ),
            "mean_precooling_wait_h": Metric(
                "h",
                "mean hours a lot waited for pre-cooling capacity (collection points)",
                "Pre-cooling wait",
                "ratio",
            ),
        },
    ),
    ("hub", HubProcess, _STORAGE_METRICS),
    (
        "store",
        StoreProcess,
        {
            "peak_shelf_kg": Metric(
                "kg",
                "highest kg on the store's shelves (whole horizon; stores)",
                "Peak shelf",
                "max",
            ),
            "shelf_capacity_kg": Metric(
                "kg", "the store's shelf capacity (stores)", "Shelf capacity", "level"
            ),
        },
    ),
    ("orders", OrdersProcess, {}),
):
    add_kind(NodeKind(node_schema(_name), _process, _metrics))
