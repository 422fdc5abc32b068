"""The unit and name tables of the scenario-format reference.

The units of a distribution's keys, the names of mapping keys shown in paths, and
the meaning of each kind of distribution; the units of fields by name come from
:mod:`fieldtotable.scenario.units` (the sweep figures use them too).
"""

from __future__ import annotations

from fieldtotable.scenario.units import NAME_UNITS, NO_UNIT, SUFFIX_UNITS

__all__ = ["NAME_UNITS", "NO_UNIT", "SUFFIX_UNITS"]

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
    "nodes": "node",
    "legs": "leg",
    "markets": "market",
    "supply": "product",
    "demand": "product",
    "orders": "product",
    "levels": "product",
    "prefer_modes": "product",
    "grading_reject_fraction": "product",
    "class_setpoints_c": "class",
    "uncertain": "path",
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
