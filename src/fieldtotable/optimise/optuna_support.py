"""Everything the search asks of Optuna, behind one adapter.

Optuna is an optional dependency (``pip install 'fieldtotable[optimise]'``):
:func:`require_optuna` imports it or raises a one-line
:class:`~fieldtotable.errors.FieldToTableError`. The search builds its distributions
with :func:`distributions`, its study with :func:`create_study` (TPE with every
default that Optuna 5 changed set explicitly) or, for two objectives,
:func:`create_pareto_study` (NSGA-II, every setting explicit) and reports a trial's
constraint slacks with :func:`set_constraint_slacks`, which uses
``Trial.set_constraint`` where Optuna has it (5.0 on) and the ``constraints_func`` of
the sampler otherwise (4.x), so the search never touches a deprecated API.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from fieldtotable.errors import FieldToTableError
from fieldtotable.optimise.objectives import Objective
from fieldtotable.optimise.space import SearchSpace
from fieldtotable.optimise.variables import Choice, Integer

__all__ = [
    "CONSTRAINT_SLACKS",
    "PARETO_POPULATION",
    "create_pareto_study",
    "create_study",
    "distributions",
    "require_optuna",
    "set_constraint_slacks",
]

CONSTRAINT_SLACKS = "constraint_slacks"
"""The user attribute holding a trial's constraint slacks (``<= 0``: the mean holds)."""

STUDY_NAME = "fieldtotable-optimise"
"""The name of the study in a journal file."""

PARETO_POPULATION = 20
"""NSGA-II's population: small, so a search of a few dozen configurations evolves."""


def require_optuna() -> ModuleType:
    """Return the ``optuna`` module, or say in one line how to install it.

    Returns
    -------
    module
        ``optuna``.

    Raises
    ------
    FieldToTableError
        When Optuna is not installed.
    """
    try:
        import optuna  # noqa: PLC0415  # optional: imported only when optimise runs
    except ImportError:
        raise FieldToTableError(
            "optimise needs Optuna, which is not installed: pip install 'fieldtotable[optimise]'"
        ) from None
    return optuna


def _has_set_constraint(optuna: ModuleType) -> bool:
    return hasattr(optuna.trial.Trial, "set_constraint")


def distributions(space: SearchSpace) -> dict[str, Any]:
    """Return Optuna's distribution of each variable, by path.

    Parameters
    ----------
    space
        The decision variables.

    Returns
    -------
    dict
        ``IntDistribution`` for :class:`Integer`, ``CategoricalDistribution`` for
        :class:`Choice`, ``FloatDistribution`` for :class:`Real`.
    """
    optuna = require_optuna()
    found: dict[str, Any] = {}
    for path, variable in space.items():
        if isinstance(variable, Integer):
            found[path] = optuna.distributions.IntDistribution(variable.low, variable.high)
        elif isinstance(variable, Choice):
            found[path] = optuna.distributions.CategoricalDistribution(list(variable.values))
        else:
            found[path] = optuna.distributions.FloatDistribution(variable.low, variable.high)
    return found


def create_study(
    objective: Objective,
    seed: int,
    journal: str | os.PathLike[str] | None,
    constant_liar: bool = False,
) -> Any:
    """Return a fresh single-objective TPE study, in a journal file when one is given.

    The sampler is ``TPESampler(seed=seed, multivariate=True, n_startup_trials=10,
    constant_liar=constant_liar)``, every setting explicit (Optuna 5 changed the defaults of
    ``multivariate`` and ``constant_liar``). A journal file that already exists is
    replaced, with its lock: the search replays from its run store instead (see
    :func:`~fieldtotable.optimise.search.optimise`), so one optimisation at a time may
    use a folder.

    Parameters
    ----------
    objective
        The objective; its direction is the study's.
    seed
        The sampler's seed.
    journal
        The journal file (``JournalStorage(JournalFileBackend(path))``), or ``None``
        for a study in memory.
    constant_liar
        TPE's constant liar, for proposals asked in batches (pending trials count as
        poor, so a batch spreads out).

    Returns
    -------
    optuna.Study
        The study.
    """
    optuna = require_optuna()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    options: dict[str, Any] = {
        "seed": seed,
        "multivariate": True,
        "n_startup_trials": 10,
        "constant_liar": constant_liar,
    }
    if not _has_set_constraint(optuna):
        options["constraints_func"] = _constraints_from_user_attrs
    with warnings.catch_warnings():
        # Optuna 4 calls multivariate TPE experimental; the setting is deliberate.
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(**options)
    return optuna.create_study(
        direction=objective.optuna_direction,
        sampler=sampler,
        storage=_fresh_storage(optuna, journal),
        study_name=STUDY_NAME,
    )


def create_pareto_study(
    objectives: Sequence[Objective], seed: int, journal: str | os.PathLike[str] | None
) -> Any:
    """Return a fresh multi-objective NSGA-II study, in a journal file when one is given.

    The sampler is ``NSGAIISampler(population_size=PARETO_POPULATION, mutation=None,
    mutation_prob=None, crossover=None, crossover_prob=0.9, swapping_prob=0.5,
    seed=seed)``, every setting explicit; constraints reach it as for
    :func:`create_study` (``Trial.set_constraint``, or ``constraints_func`` on
    Optuna 4). A journal that already holds the study has it deleted first.

    Parameters
    ----------
    objectives
        The objectives; their directions are the study's, in order.
    seed
        The sampler's seed.
    journal
        The journal file, or ``None`` for a study in memory.

    Returns
    -------
    optuna.Study
        The study.
    """
    optuna = require_optuna()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    options: dict[str, Any] = {
        "population_size": PARETO_POPULATION,
        "mutation": None,
        "mutation_prob": None,
        "crossover": None,
        "crossover_prob": 0.9,
        "swapping_prob": 0.5,
        "seed": seed,
    }
    if not _has_set_constraint(optuna):
        options["constraints_func"] = _constraints_from_user_attrs
    sampler = optuna.samplers.NSGAIISampler(**options)
    return optuna.create_study(
        directions=[objective.optuna_direction for objective in objectives],
        sampler=sampler,
        storage=_fresh_storage(optuna, journal),
        study_name=STUDY_NAME,
    )


def _fresh_storage(optuna: ModuleType, journal: str | os.PathLike[str] | None) -> Any:
    """Return a new journal's storage (``None``: in memory)."""
    if journal is None:
        return None
    # An earlier journal is replaced, not reopened: the search replays from the run
    # store, and a process killed while writing may have left a torn last line and a
    # stale lock (which Optuna would wait 30 s to break).
    for stale in (Path(journal), Path(f"{os.fspath(journal)}.lock")):
        stale.unlink(missing_ok=True)
    backend = optuna.storages.journal.JournalFileBackend(os.fspath(journal))
    return optuna.storages.JournalStorage(backend)


def set_constraint_slacks(trial: Any, slacks: Sequence[float]) -> None:
    """Record a trial's constraint slacks where Optuna's sampler reads them.

    Call before ``study.tell``. The slacks steer the search only: feasibility is
    decided later, on fresh replications.

    Parameters
    ----------
    trial
        The trial asked for.
    slacks
        One per constraint, ``<= 0`` when the search mean meets it.
    """
    # An undefined KPI (NaN) meets no constraint; Optuna refuses NaN, so: infinitely far.
    values = [math.inf if math.isnan(value) else float(value) for value in slacks]
    trial.set_user_attr(CONSTRAINT_SLACKS, values)
    if _has_set_constraint(require_optuna()):
        for index, value in enumerate(values):
            trial.set_constraint(f"c{index}", value)


def _constraints_from_user_attrs(trial: Any) -> list[float]:
    """``constraints_func`` of Optuna 4: the slacks the search stored on the trial."""
    return list(trial.user_attrs.get(CONSTRAINT_SLACKS, []))
