"""Results: the record of one run and the registry of every result field.

:class:`RunResult` (:mod:`~fieldtotable.results.run`) is what
:func:`fieldtotable.simulate` returns; :mod:`~fieldtotable.results.build` makes it
from a finished run's ledger. Every KPI
and breakdown key is defined once, with its unit and meaning, in
:mod:`~fieldtotable.results.fields`; :mod:`~fieldtotable.results.paths` reads a KPI
or a dotted breakdown path out of a result.
"""

from fieldtotable.results.fields import (
    DAILY_SERIES_DEFINITIONS,
    KPI_DEFINITIONS,
    LEG_METRIC_DEFINITIONS,
    MARKET_METRIC_DEFINITIONS,
    NODE_METRIC_DEFINITIONS,
    PRODUCT_KPIS,
    REMAINING_BINS,
    STAGE_DEFINITIONS,
)
from fieldtotable.results.run import RunResult

__all__ = [
    "DAILY_SERIES_DEFINITIONS",
    "KPI_DEFINITIONS",
    "LEG_METRIC_DEFINITIONS",
    "MARKET_METRIC_DEFINITIONS",
    "NODE_METRIC_DEFINITIONS",
    "PRODUCT_KPIS",
    "REMAINING_BINS",
    "STAGE_DEFINITIONS",
    "RunResult",
]
