"""What code added to the registries, carried to the executors' worker processes.

A worker of the ``process`` or ``dask`` executor is a fresh interpreter: it knows the
built-in node kinds and KPIs, not those that a script, a notebook or a plugin
registered (:func:`~fieldtotable.model.nodes.register_node_kind`,
:func:`~fieldtotable.results.register_kpi`). Each task therefore carries a snapshot of
those additions, and the worker installs whatever it lacks before it runs, in the
order they were registered (KPIs are computed in that order). Classes and functions
defined in a script travel by value (cloudpickle), so the worker never imports the
script itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtotable.experiment.errors import RunFailure
from fieldtotable.experiment.runs import RunSpec, run_one
from fieldtotable.model.kinds import NodeKind
from fieldtotable.model.nodes import added_node_kinds, install_node_kind
from fieldtotable.results import RunResult
from fieldtotable.results.fields import KpiComputation, ResultField, added_kpis, install_kpi
from fieldtotable.scenario.schema import Scenario

__all__ = ["Extensions", "current_extensions", "run_extended"]


@dataclass(frozen=True)
class Extensions:
    """The node kinds and KPIs added by code in the parent process.

    Attributes
    ----------
    node_kinds
        The added node kinds, in registration order.
    kpis
        The added KPIs with their computations, in registration order.
    """

    node_kinds: tuple[NodeKind, ...] = ()
    kpis: tuple[tuple[ResultField, KpiComputation], ...] = ()

    def install(self) -> None:
        """Register, in this process, every kind and KPI it does not have yet."""
        for kind in self.node_kinds:
            install_node_kind(kind)
        for result_field, compute in self.kpis:
            install_kpi(result_field, compute)


def current_extensions() -> Extensions:
    """Return what code has added to the registries of this process so far.

    Returns
    -------
    Extensions
        Empty when nothing was added: the common case costs nothing to send.
    """
    return Extensions(added_node_kinds(), added_kpis())


def run_extended(
    extensions: Extensions, scenario: Scenario, spec: RunSpec
) -> RunResult | RunFailure:
    """Install ``extensions``, then :func:`~fieldtotable.experiment.runs.run_one`.

    Parameters
    ----------
    extensions
        The parent's additions to the registries.
    scenario, spec
        The run.

    Returns
    -------
    RunResult or RunFailure
        As :func:`~fieldtotable.experiment.runs.run_one`.
    """
    extensions.install()
    return run_one(scenario, spec)
