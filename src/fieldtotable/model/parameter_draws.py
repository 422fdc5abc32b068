"""Drawing a scenario's uncertain parameters for one replication.

Each replication draws every prior of :attr:`Scenario.uncertain
<fieldtotable.scenario.schema.Scenario.uncertain>` once, by inverse transform of one
uniform number from a stream of its own, ``stream(seed, "uncertain", path)``, where
``seed`` is the replication's root seed
(:func:`~fieldtotable.model.context.replication_seed`). That stream depends only on
the experiment's seed, the replication index and the path as written, never on the
configuration nor on the other priors: replication ``i`` draws the same values in
every configuration that declares the same priors (paired comparisons), and no
stream of the model moves (a scenario without priors runs exactly as before; no
component key starts with ``uncertain``).
"""

from __future__ import annotations

from fieldtotable.model.context import Seed, stream
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.uncertain import whole_values

__all__ = ["STREAM_KEY", "draw_parameters"]

STREAM_KEY = "uncertain"
"""First part of the key of every prior's stream: ``("uncertain", path)``."""


def draw_parameters(scenario: Scenario, seed: Seed) -> dict[str, float]:
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
    dict of str to float
        Path -> drawn value, in the order the priors are declared (whole numbers
        for whole-number fields).
    """
    drawn: dict[str, float] = {}
    for key, prior in scenario.uncertain.items():
        value = prior.quantile(float(stream(seed, STREAM_KEY, key).random()))
        drawn[key] = int(value) if whole_values(prior) else value
    return drawn
