"""Drawing a scenario's uncertain parameters for one replication, and applying them.

Each replication draws every prior of :attr:`Scenario.uncertain
<fieldtotable.scenario.schema.Scenario.uncertain>` once, by inverse transform of one
uniform number from a stream of its own, ``stream(seed, "uncertain", path)``, where
``seed`` is the replication's root seed
(:func:`~fieldtotable.model.context.replication_seed`). That stream depends only on
the experiment's seed, the replication index and the path as written, never on the
configuration nor on the other priors: replication ``i`` draws the same values in
every configuration that declares the same priors (paired comparisons), and no
stream of the model moves (a scenario without priors runs exactly as before; no
component key starts with ``uncertain``). :func:`apply_parameters` then puts the
drawn values at their paths, as ``--set`` would, before the world is built.
"""

from __future__ import annotations

from collections.abc import Mapping

from fieldtotable.errors import ScenarioError
from fieldtotable.model.context import Seed, stream
from fieldtotable.scenario.field_paths import assign_at_path, parse_override_path
from fieldtotable.scenario.loader import validate_scenario_data
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.uncertain import SECTION, whole_values

__all__ = ["STREAM_KEY", "apply_parameters", "draw_parameters"]

STREAM_KEY = SECTION
"""First part of the key of every prior's stream: ``("uncertain", path)``."""


def draw_parameters(scenario: Scenario, seed: Seed) -> dict[str, int | float]:
    """Draw every prior of ``scenario`` for one replication.

    Parameters
    ----------
    scenario
        The scenario; its :attr:`~fieldtotable.scenario.schema.Scenario.uncertain`
        priors are drawn (none: an empty mapping).
    seed
        The replication's root seed (an int for a single run, or
        :func:`~fieldtotable.model.context.replication_seed` of an experiment's).

    Returns
    -------
    dict of str to int or float
        Path -> drawn value, in the order the priors are declared (whole numbers
        for whole-number fields).
    """
    drawn: dict[str, int | float] = {}
    for key, prior in scenario.uncertain.items():
        value = prior.quantile(float(stream(seed, STREAM_KEY, key).random()))
        drawn[key] = int(value) if whole_values(prior) else value
    return drawn


def apply_parameters(scenario: Scenario, values: Mapping[str, int | float]) -> Scenario:
    """Return ``scenario`` with drawn values at their paths and no priors left.

    Parameters
    ----------
    scenario
        The scenario with priors.
    values
        Path -> value, as :func:`draw_parameters` gives.

    Returns
    -------
    Scenario
        The scenario to simulate (``scenario`` itself when it has no priors).

    Raises
    ------
    ScenarioError
        If the drawn values together break a rule that each alone keeps (e.g. two
        priors on the ``low`` and ``high`` of one distribution); the problem names
        the draws.
    """
    if not scenario.uncertain:
        return scenario
    data = scenario.model_dump(by_alias=True)
    del data["uncertain"]
    for key, value in values.items():
        assign_at_path(data, parse_override_path(key), value)
    try:
        return validate_scenario_data(data)
    except ScenarioError as exc:
        shown = ", ".join(f"{key}={value:g}" for key, value in values.items())
        raise ScenarioError.single(
            f"the drawn values {shown} together are refused: {exc.problems[0]}",
            path=SECTION,
        ) from None
