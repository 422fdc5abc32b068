"""The sampler the selection procedures draw from, and the check of what it returns.

A sampler is any callable ``sample(system, replications)``: for one system and a
range of absolute replication (stream) indices it returns an array of shape
``(len(replications), 1 + s)``, one row per index in order. Column 0 is the
objective, larger is better (the caller negates a KPI to be minimised); columns 1 to
s are the constraint outputs. Replication ``j`` of every system must use the same
random streams (common random numbers): the procedures pair systems by index, and a
procedure only ever asks for an index once per system.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Sampler"]


class Sampler(Protocol):
    """A simulation of numbered systems, one row of outputs per replication index."""

    def __call__(self, system: int, replications: range) -> npt.ArrayLike:
        """Return the outputs of ``system`` for each index of ``replications``.

        Parameters
        ----------
        system
            The system's identifier, as given to the procedure.
        replications
            Absolute replication (stream) indices, consecutive and increasing.

        Returns
        -------
        numpy.typing.ArrayLike
            Shape ``(len(replications), 1 + s)``: the objective (larger is better)
            then the s constraint outputs, one row per index.
        """
        ...


def draw(
    sample: Sampler, system: int, replications: range, columns: int
) -> npt.NDArray[np.float64]:
    """Call the sampler and check its answer: finite floats, one row per index.

    Parameters
    ----------
    sample
        The sampler.
    system
        The system to sample.
    replications
        The replication indices to ask for.
    columns
        How many leading columns the caller reads (the rest are ignored).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(replications), columns)``, float64.

    Raises
    ------
    ValueError
        When the sampler returns the wrong shape or a value that is not finite.
    """
    outputs = np.asarray(sample(system, replications), dtype=np.float64)
    if outputs.ndim != 2 or outputs.shape[0] != len(replications) or outputs.shape[1] < columns:
        raise ValueError(
            f"the sampler returned shape {outputs.shape} for system {system} and "
            f"replications {replications}; expected ({len(replications)}, at least {columns})"
        )
    outputs = outputs[:, :columns]
    if not np.isfinite(outputs).all():
        # A NaN would silently freeze the sequential tests (every comparison false).
        raise ValueError(
            f"the sampler returned a value that is not finite for system {system} and "
            f"replications {replications}"
        )
    return outputs
