"""The versions of the software a result depends on, recorded with every saved result.

A run is fixed by its scenario, seed and replication *and* by the code that turns the
random draws into events: fieldtotable's own, SimPy's event ordering and NumPy's
generators (SciPy for the experiments' intervals). Exports, run stores and reports
record them so that a published figure says what reproduces it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.metadata
import pathlib
import platform

__all__ = ["DEPENDENCIES", "__version__", "model_build", "software_versions"]

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


def model_build() -> str:
    """Return how the simulation model is installed: ``"compiled"`` or ``"python"``.

    ``"compiled"`` when its modules are C extensions made by mypyc (the optional build
    ``FIELDTOTABLE_COMPILE=1 pip install .``, docs/performance.md); the results are the
    same to the last bit either way, only the speed differs.

    Returns
    -------
    str
        ``"compiled"`` or ``"python"``.
    """
    # Looked up beside this file: asking does not import the model.
    model = pathlib.Path(__file__).parent / "model"
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if (model / f"lot{suffix}").is_file():
            return "compiled"
    return "python"
