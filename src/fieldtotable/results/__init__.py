"""Results: the record of one run and the registry of every result field.

:class:`RunResult` (:mod:`~fieldtotable.results.run`) is what
:func:`fieldtotable.simulate` returns; :mod:`~fieldtotable.results.build` makes it
from a finished run. Every KPI and breakdown key is defined once, with its unit,
meaning, label and direction, in the registry of :mod:`~fieldtotable.results.fields`
(:data:`KPIS`, :func:`section`; :func:`register_kpi` adds a KPI);
:mod:`~fieldtotable.results.paths` reads a KPI or a dotted breakdown path out of a
result.
"""

from fieldtotable.results.fields import (
    KPI_DEFINITIONS,
    KPIS,
    REMAINING_BINS,
    STAGE_DEFINITIONS,
    ResultField,
    register_kpi,
    section,
    unregister_kpi,
)
from fieldtotable.results.measure import MeasuredRun
from fieldtotable.results.run import RunResult

__all__ = [
    "KPIS",
    "KPI_DEFINITIONS",
    "REMAINING_BINS",
    "STAGE_DEFINITIONS",
    "MeasuredRun",
    "ResultField",
    "RunResult",
    "register_kpi",
    "section",
    "unregister_kpi",
]
