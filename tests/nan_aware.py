"""Equality that treats two NaNs as equal, for results holding a ratio over nothing.

A KPI that is a ratio over nothing is NaN (a channel without parcels has no mean shelf
life at the door), and ``nan != nan``: comparisons of whole KPI mappings or rows use
:func:`same`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["same"]


def same(left: Any, right: Any) -> bool:
    """Return whether ``left`` equals ``right``, NaN equal to NaN, in nested data too."""
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if (
        isinstance(left, Sequence)
        and isinstance(right, Sequence)
        and not isinstance(left, str | bytes)
        and not isinstance(right, str | bytes)
    ):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    if hasattr(left, "__dataclass_fields__") and type(left) is type(right):
        return all(same(getattr(left, f), getattr(right, f)) for f in left.__dataclass_fields__)
    return bool(left == right)
