"""The ``nodes`` section: places of kinds added by code (a cross-dock, an overflow store).

Each entry names its ``kind``; the schema class registered for that kind
(:mod:`fieldtotable.scenario.kinds`) validates the rest, and reports problems at
their own field path (``nodes.xdock.handling_time_h``) like every other section.
A kind's schema class derives from :class:`NodeConfig`::

    class CrossDock(NodeConfig):
        kind: Literal["cross_dock"]
        handling_time_h: NonNegativeFloat = 1.0
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

import pydantic_core
from pydantic import SerializeAsAny, ValidationError, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core.core_schema import ErrorType

from fieldtotable.scenario.kinds import NODES_SECTION, node_schemas
from fieldtotable.scenario.schema_types import Frozen, Location

__all__ = ["NodeConfig", "NodeEntry"]

_CORE_ERROR_TYPES = frozenset(get_args(ErrorType))


class NodeConfig(Frozen):
    """Base of the schema of a node kind added by code (an entry of ``nodes``)."""

    kind: str
    """The node's kind: a name registered with
    :func:`fieldtotable.model.nodes.register_node_kind`."""
    region: str
    """Climate region (a key of ``climate``): the air temperature at the node (on its
    dock, of loading onto legs leaving it, of a reefer failure near it)."""
    location: Location | None = None
    """Position on a map (``{lon: .., lat: ..}``, degrees), used by the network map
    figure only; no effect on the simulation. Nodes without one are laid out
    automatically."""

    def routing_hours(self) -> float:
        """Return the expected hours a lot spends here on arrival, for ranking paths.

        Returns
        -------
        float
            0 unless the kind says otherwise (a hub: its dock and handling hours).
        """
        return 0.0


def _validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate one ``nodes`` entry with the schema class of its ``kind``."""
    if isinstance(value, NodeConfig):
        return value
    if not isinstance(value, dict):
        return handler(value)  # the base model reports what is wrong with it
    kind = value.get("kind")
    kinds = {
        name: node_schema.schema
        for name, node_schema in node_schemas().items()
        if node_schema.section == NODES_SECTION
    }
    schema = kinds.get(kind) if isinstance(kind, str) else None
    if schema is None:
        known = ", ".join(sorted(kinds)) or "none registered"
        raise pydantic_core.PydanticCustomError(
            "node_kind",
            "unknown node kind {kind} (known: {known})",
            {"kind": repr(kind), "known": known},
        )
    try:
        return schema.model_validate(value)
    except ValidationError as error:
        # Re-raised as the errors of this field, so that each keeps its own path.
        raise pydantic_core.ValidationError.from_exception_data(
            error.title, [_line_detail(e) for e in error.errors()]
        ) from None


def _line_detail(error: Any) -> Any:
    """Return one error of a kind's schema as pydantic re-raises it, type and path kept."""
    kind = error["type"]
    if kind not in _CORE_ERROR_TYPES:  # a custom error of the kind's own validators
        kind = pydantic_core.PydanticCustomError(kind, error["msg"])
    return {"type": kind, "loc": error["loc"], "input": error["input"], "ctx": error.get("ctx", {})}


NodeEntry = Annotated[SerializeAsAny[NodeConfig], WrapValidator(_validate)]
"""One entry of ``nodes``: validated by its kind's schema, dumped with all its fields."""
