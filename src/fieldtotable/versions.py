"""The versions of the software a result depends on, recorded with every saved result.

A run is fixed by its scenario, seed and replication *and* by the code that turns the
random draws into events: fieldtotable's own, SimPy's event ordering and NumPy's
generators (SciPy for the experiments' intervals). Exports, run stores and reports
record them so that a published figure says what reproduces it.
"""

from __future__ import annotations

import importlib.metadata
import platform

__all__ = ["DEPENDENCIES", "__version__", "software_versions"]

__version__ = "0.1.0"
"""fieldtotable's own version (``fieldtotable.__version__``)."""

DEPENDENCIES = ("simpy", "numpy", "scipy")
"""The libraries whose versions can change a result (PyPI names)."""


def software_versions() -> dict[str, str]:
    """Return the versions of Python, fieldtotable and the libraries results depend on.

    Returns
    -------
    dict of str to str
        ``python``, ``fieldtotable``, ``simpy``, ``numpy`` and ``scipy``, each mapped to
        its version string (``"unknown"`` for a library installed without metadata).
    """
    versions = {"python": platform.python_version(), "fieldtotable": __version__}
    for name in DEPENDENCIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "unknown"
    return versions
