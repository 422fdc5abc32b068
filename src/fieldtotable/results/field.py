"""One result field: a key of a run's results with its unit, meaning and presentation.

The registry of every field is :mod:`fieldtotable.results.fields`; the built-in
definitions are in :mod:`fieldtotable.results.builtin_fields`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from fieldtotable.model.kinds import Aggregation

if TYPE_CHECKING:
    from fieldtotable.results.measure import MeasuredRun

__all__ = ["Aggregation", "Better", "KpiComputation", "ResultField"]

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
