"""Global sensitivity analysis with SALib: Sobol indices and Morris screening.

:func:`global_sensitivity` runs a scenario at the sample points of a Sobol or Morris
design through the experiment engine (any executor, resumable from a run store) and
returns a :class:`SensitivityResult`; :func:`analyse_function` analyses a plain
function the same way. Needs the ``sensitivity`` extra (``pip install
'fieldtotable[sensitivity]'``).
"""

from fieldtotable.sensitivity.analysis import (
    METHODS,
    MORRIS_LEVELS,
    SensitivityDesign,
    analyse_function,
    evaluations_needed,
    require_salib,
)
from fieldtotable.sensitivity.indices import (
    KpiSensitivity,
    MorrisIndices,
    ParameterIndices,
    SensitivityResult,
    SobolIndices,
)
from fieldtotable.sensitivity.simulation import global_sensitivity, parse_parameter

__all__ = [
    "METHODS",
    "MORRIS_LEVELS",
    "KpiSensitivity",
    "MorrisIndices",
    "ParameterIndices",
    "SensitivityDesign",
    "SensitivityResult",
    "SobolIndices",
    "analyse_function",
    "evaluations_needed",
    "global_sensitivity",
    "parse_parameter",
    "require_salib",
]
