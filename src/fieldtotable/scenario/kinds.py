"""Node kinds as the scenario sees them: which schema class, which section, which role.

Every node of a scenario is of one kind. The built-in kinds live in their own
sections: ``sources`` (kind ``source``), ``collection_points`` (``collection_point``),
``hubs`` (``hub``) and ``markets`` (``store`` or ``orders``, by their ``kind`` key).
Kinds added by code (:func:`fieldtotable.model.nodes.register_node_kind`) are places
written in the ``nodes`` section with a ``kind`` key; this module validates them
with the schema class registered for that kind.

A kind's *role* says where it stands in the channel: a ``source`` harvests, a
``place`` holds stock that legs carry away and markets draw from (collection points,
hubs, added kinds), a ``market`` sells. Which places legs may start or end at, and
which may supply a market, is part of the kind too; the network checks of
:mod:`fieldtotable.scenario.network` read it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel

from fieldtotable.scenario.schema_markets import Orders, Store
from fieldtotable.scenario.schema_sources import CollectionPoint, Source
from fieldtotable.scenario.schema_transport import Hub

__all__ = [
    "BUILTIN_KINDS",
    "NODES_SECTION",
    "PLACE_SECTIONS",
    "NodeSchema",
    "Role",
    "kind_of",
    "node_schema",
    "node_schemas",
    "register_node_schema",
    "unregister_node_schema",
]

Role = Literal["source", "place", "market"]
"""Where a kind stands in the channel (see the module docstring)."""

NODES_SECTION = "nodes"
"""The scenario section of the places of kinds added by code."""

PLACE_SECTIONS = ("collection_points", "hubs", NODES_SECTION)
"""The sections holding places, in the order the model builds them (see
:func:`fieldtotable.scenario.nodes.places`)."""


@dataclass(frozen=True)
class NodeSchema:
    """One node kind, as far as the scenario is concerned.

    Attributes
    ----------
    kind
        The kind's name (``hub``), the ``kind`` key of its entries in ``nodes``.
    schema
        The pydantic model of one entry (a frozen model with ``region`` and
        ``location``; kinds of the ``nodes`` section derive from
        :class:`~fieldtotable.scenario.schema_nodes.NodeConfig`).
    section
        The scenario section that holds its entries.
    role
        ``source``, ``place`` or ``market``.
    label
        The kind in words, for tables, reports and map legends (``"hub / DC"``).
    sends_legs
        Whether a leg may start at a place of this kind.
    receives_legs
        Whether a leg may end at a place of this kind.
    supplies_markets
        Whether a market may be supplied by a place of this kind.
    """

    kind: str
    schema: type[BaseModel]
    section: str
    role: Role
    label: str
    sends_legs: bool = False
    receives_legs: bool = False
    supplies_markets: bool = False


_SCHEMAS: dict[str, NodeSchema] = {}


def register_node_schema(node_schema: NodeSchema) -> None:
    """Register a node kind with the scenario (its schema class and section).

    Parameters
    ----------
    node_schema
        The kind. A kind added by code must use the ``nodes`` section and the
        ``place`` role.

    Raises
    ------
    ValueError
        If the name is taken or the section or role is not one a new kind may use.
    """
    if node_schema.kind in _SCHEMAS:
        raise ValueError(f"node kind {node_schema.kind!r} is already registered")
    if node_schema.section != NODES_SECTION or node_schema.role != "place":
        raise ValueError(
            f"node kind {node_schema.kind!r}: kinds added by code are places in the "
            f"{NODES_SECTION!r} section"
        )
    _SCHEMAS[node_schema.kind] = node_schema


def unregister_node_schema(kind: str) -> None:
    """Remove a kind added by code (built-in kinds stay).

    Parameters
    ----------
    kind
        The kind's name.

    Raises
    ------
    ValueError
        For a built-in kind.
    KeyError
        For a kind that is not registered.
    """
    if kind in BUILTIN_KINDS:
        raise ValueError(f"the built-in node kind {kind!r} cannot be removed")
    del _SCHEMAS[kind]


def node_schema(kind: str) -> NodeSchema:
    """Return the registered kind ``kind`` (``KeyError`` if there is none)."""
    return _SCHEMAS[kind]


def node_schemas() -> Mapping[str, NodeSchema]:
    """Return every registered kind by name (a read-only, live view)."""
    return MappingProxyType(_SCHEMAS)


_SECTION_KINDS = {"sources": "source", "collection_points": "collection_point", "hubs": "hub"}


def kind_of(section: str, config: Any) -> NodeSchema:
    """Return the kind of one entry of a section.

    Parameters
    ----------
    section
        ``sources``, ``collection_points``, ``hubs``, ``markets`` or ``nodes``.
    config
        The entry (its ``kind`` key decides in ``markets`` and ``nodes``).

    Returns
    -------
    NodeSchema
        The entry's kind.
    """
    fixed = _SECTION_KINDS.get(section)
    return _SCHEMAS[fixed if fixed is not None else config.kind]


BUILTIN_KINDS = ("source", "collection_point", "hub", "store", "orders")
"""The node kinds every installation has (code may add others, never remove these)."""

for _builtin in (
    NodeSchema("source", Source, "sources", "source", "source"),
    NodeSchema(
        "collection_point",
        CollectionPoint,
        "collection_points",
        "place",
        "collection point",
        sends_legs=True,
    ),
    NodeSchema(
        "hub",
        Hub,
        "hubs",
        "place",
        "hub",
        sends_legs=True,
        receives_legs=True,
        supplies_markets=True,
    ),
    NodeSchema("store", Store, "markets", "market", "store"),
    NodeSchema("orders", Orders, "markets", "market", "orders"),
):
    _SCHEMAS[_builtin.kind] = _builtin
