"""The nodes of a scenario with their kinds: its places and markets, in build order.

Code that must treat every kind of node alike (the world that builds them, the
routing, the results' paths, tables, reports and the network map) reads them here
rather than section by section.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fieldtotable.scenario.kinds import PLACE_SECTIONS, NodeSchema, kind_of
from fieldtotable.scenario.schema import Scenario

__all__ = ["markets", "places"]


def _entries(scenario: Scenario, sections: tuple[str, ...]) -> Iterator[tuple[str, str, Any]]:
    for section in sections:
        for node_id, config in getattr(scenario, section).items():
            yield section, node_id, config


def places(scenario: Scenario) -> dict[str, tuple[NodeSchema, Any]]:
    """Return every place of a scenario with its kind, in the order the model builds them.

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    dict of str to (NodeSchema, config)
        Collection points, then hubs, then the ``nodes`` entries, each in file order.
        An id used in two sections appears once, with its first entry (the network
        checks report the clash).
    """
    found: dict[str, tuple[NodeSchema, Any]] = {}
    for section, node_id, config in _entries(scenario, PLACE_SECTIONS):
        found.setdefault(node_id, (kind_of(section, config), config))
    return found


def markets(scenario: Scenario) -> dict[str, tuple[NodeSchema, Any]]:
    """Return every market of a scenario with its kind, in file order.

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    dict of str to (NodeSchema, config)
        Each market id with its kind (``store``, ``orders``) and entry.
    """
    return {
        node_id: (kind_of(section, config), config)
        for section, node_id, config in _entries(scenario, ("markets",))
    }
