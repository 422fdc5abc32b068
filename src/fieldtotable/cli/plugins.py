"""Modules that extend fieldtotable (node kinds, KPIs), imported before a command runs.

A module that registers a node kind (:func:`fieldtotable.model.nodes.register_node_kind`)
or a KPI (:func:`fieldtotable.results.register_kpi`) does so when it is imported. The
command line imports, before it reads a scenario:

- every module named in the environment variable ``FIELDTOTABLE_PLUGINS``
  (comma-separated, e.g. ``FIELDTOTABLE_PLUGINS=cross_dock,my_kpis``), found on the
  Python path;
- every entry point of the group ``fieldtotable.plugins`` of the installed packages,
  which a package declares in its ``pyproject.toml``::

      [project.entry-points."fieldtotable.plugins"]
      cross_dock = "my_channel.cross_dock"
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os

__all__ = ["ENTRY_POINT_GROUP", "ENVIRONMENT_VARIABLE", "PluginError", "load_plugins"]

ENTRY_POINT_GROUP = "fieldtotable.plugins"
"""The entry-point group whose modules the command line imports."""
ENVIRONMENT_VARIABLE = "FIELDTOTABLE_PLUGINS"
"""The environment variable naming further modules to import (comma-separated)."""


class PluginError(Exception):
    """A plugin module that could not be imported."""


def load_plugins(environment: dict[str, str] | None = None) -> list[str]:
    """Import the plugin modules (see the module docstring).

    Parameters
    ----------
    environment
        The environment to read ``FIELDTOTABLE_PLUGINS`` from (default: ``os.environ``).

    Returns
    -------
    list of str
        The modules imported, in order.

    Raises
    ------
    PluginError
        Naming the first module that could not be imported, and why.
    """
    environ = os.environ if environment is None else environment
    names = [name.strip() for name in environ.get(ENVIRONMENT_VARIABLE, "").split(",")]
    modules = [name for name in names if name]
    modules += [
        entry.value.partition(":")[0]
        for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    ]
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # any failure of a plugin is reported in one line
            raise PluginError(
                f"plugin {name!r} could not be imported: {type(exc).__name__}: {exc}"
            ) from None
    return modules
