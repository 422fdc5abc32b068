"""Kim & Nelson's (2001) fully sequential selection of the best, with common random numbers.

Every system runs n0 replications on the same stream indices; the variance of each
pair's difference, S²_il, is estimated from them. Then, at each step r, system i is
eliminated when its mean falls below a survivor's by more than

    W_il(r) = max{0, (δ/(2r))(h²S²_il/δ² - r)},

and every survivor runs one more replication on the next common index. The procedure
stops when one system survives. If the best mean beats every other by at least δ, it
is selected with probability at least 1 - α. Each pair is judged on its own difference
series and the pairs are combined by Bonferroni, so the guarantee holds under common
random numbers, and positive correlation between systems shrinks S²_il and with it the
number of replications.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from fieldtotable.optimise.sampling import Sampler, draw
from fieldtotable.optimise.selection_constants import (
    check_count,
    check_positive,
    kim_nelson_h_squared,
)

__all__ = ["Elimination", "KimNelsonResult", "kim_nelson"]


@dataclass(frozen=True)
class Elimination:
    """One system dropped by the procedure.

    Attributes
    ----------
    system
        The system eliminated.
    replications
        Its replications when it was eliminated (the step r).
    eliminated_by
        The survivor whose mean beat it by more than W_il(r).
    """

    system: int
    replications: int
    eliminated_by: int


@dataclass(frozen=True)
class KimNelsonResult:
    """What :func:`kim_nelson` selected, and what it cost.

    Attributes
    ----------
    selected
        The system selected.
    systems
        The systems compared, in the order given.
    survivors
        The systems left when the procedure stopped: ``(selected,)``, unless the
        replication cap stopped it (or two survivors tied exactly once every triangle
        had closed); the selected one is then the survivor with the largest mean.
    eliminations
        The systems eliminated, in the order they went.
    replications
        Replications per system: system i used streams ``first_stream`` to
        ``first_stream + replications[i] - 1``.
    means
        Each system's sample mean over its own replications. Those indices are common
        to every system that ran at least as long, so two means compare like with like
        up to the shorter run. Means after sequential stopping are biased; quote
        estimates from fresh replications.
    total_runs
        Replications of all systems together.
    n0
        The first-stage sample size.
    delta
        The indifference zone δ.
    alpha
        The error allowed (probability of correct selection at least 1 - α).
    h_squared
        h² = 2η(n0 - 1), the constant of the continuation region.
    first_stream
        The first replication index used.
    budget_exhausted
        True when ``max_replications`` stopped the procedure with more than one
        survivor: the guarantee then does not hold.
    """

    selected: int
    systems: tuple[int, ...]
    survivors: tuple[int, ...]
    eliminations: tuple[Elimination, ...]
    replications: Mapping[int, int]
    means: Mapping[int, float]
    total_runs: int
    n0: int
    delta: float
    alpha: float
    h_squared: float
    first_stream: int
    budget_exhausted: bool

    @property
    def guarantee_holds(self) -> bool:
        """Whether the probability-of-correct-selection guarantee applies to this run."""
        return not self.budget_exhausted

    @property
    def streams(self) -> range:
        """The replication indices the procedure used (the longest-running system's)."""
        return range(self.first_stream, self.first_stream + max(self.replications.values()))


def check_systems(systems: Sequence[int], minimum: int) -> tuple[int, ...]:
    """Return the systems as a tuple of ints, or raise ``ValueError``.

    Parameters
    ----------
    systems
        System identifiers: integers, all different.
    minimum
        The fewest systems allowed.

    Returns
    -------
    tuple of int
        The identifiers, in the order given.

    Raises
    ------
    ValueError
        When there are fewer than ``minimum``, one is not an integer, or one repeats.
    """
    identifiers = tuple(systems)
    for system in identifiers:
        if isinstance(system, bool) or not isinstance(system, numbers.Integral):
            raise ValueError(f"a system must be identified by an integer, not {system!r}")
    if len(identifiers) < minimum:
        raise ValueError(f"at least {minimum} system(s) needed, got {len(identifiers)}")
    if len(set(identifiers)) != len(identifiers):
        raise ValueError(f"systems must all be different, got {list(identifiers)}")
    return tuple(int(system) for system in identifiers)


def kim_nelson(
    sample: Sampler,
    systems: Sequence[int],
    n0: int,
    delta: float,
    alpha: float,
    first_stream: int,
    max_replications: int | None = None,
) -> KimNelsonResult:
    """Select the system with the largest mean objective (KN, common random numbers).

    Parameters
    ----------
    sample
        The sampler; only column 0 (the objective, larger is better) is read.
    systems
        At least two different system identifiers.
    n0
        First-stage replications per system, at least 2.
    delta
        The indifference zone δ > 0, in the objective's unit: the smallest difference
        worth detecting.
    alpha
        The error allowed: if the best mean beats all others by at least δ, it is
        selected with probability at least 1 - α.
    first_stream
        The first replication index of this procedure's block; it uses
        ``first_stream``, ``first_stream + 1``, ... for every system (common random
        numbers) and asks for each (system, index) at most once.
    max_replications
        A cap on the replications per system (at least ``n0``); when reached with
        more than one survivor, the survivor with the largest mean is selected and
        ``budget_exhausted`` is set. None: no cap (the procedure stops by itself, after
        at most n0 + max ⌊h²S²_il/δ²⌋ + 1 replications per system).

    Returns
    -------
    KimNelsonResult
        The selection, the eliminations and the replications used.

    Raises
    ------
    ValueError
        When an argument is out of range or the sampler returns a malformed array.
    """
    identifiers = check_systems(systems, minimum=2)
    check_count("n0", n0, 2)
    check_positive("delta", delta)
    h_squared = kim_nelson_h_squared(alpha, len(identifiers), n0)
    check_count("first_stream", first_stream, 0)
    if max_replications is not None:
        check_count("max_replications", max_replications, n0)

    first_stage = np.stack(
        [
            draw(sample, system, range(first_stream, first_stream + n0), 1)[:, 0]
            for system in identifiers
        ]
    )
    # S²_il: variance of the paired difference X_ij - X_lj over the n0 common indices.
    differences = first_stage[:, np.newaxis, :] - first_stage[np.newaxis, :, :]
    pair_variance = differences.var(axis=2, ddof=1)
    # The step at which the triangle of pair (i, l) closes, W_il = 0 from then on.
    closing_step = h_squared * pair_variance / delta**2

    sums = first_stage.sum(axis=1)
    alive = np.ones(len(identifiers), dtype=bool)
    replications = np.full(len(identifiers), n0)
    eliminations: list[Elimination] = []
    budget_exhausted = False
    step = n0
    while True:
        means = sums / step
        half_width = np.maximum(0.0, delta / (2.0 * step) * (closing_step - step))
        # threshold[i, l] = X̄_l - W_il: i is eliminated when below it for a survivor l.
        threshold = means[np.newaxis, :] - half_width
        threshold[:, ~alive] = -np.inf
        beaten = alive & (means < threshold.max(axis=1))
        eliminations.extend(
            Elimination(
                system=identifiers[index],
                replications=step,
                eliminated_by=identifiers[int(np.argmax(threshold[index]))],
            )
            for index in np.flatnonzero(beaten)
        )
        alive &= ~beaten
        live = np.flatnonzero(alive)
        if len(live) == 1:
            break
        # With every triangle among the survivors closed, those left tie exactly on
        # their means; more replications would change nothing in the rule.
        if not half_width[np.ix_(live, live)].any():
            break
        if max_replications is not None and step >= max_replications:
            budget_exhausted = True
            break
        for index in live:
            next_index = range(first_stream + step, first_stream + step + 1)
            sums[index] += draw(sample, identifiers[index], next_index, 1)[0, 0]
        step += 1
        replications[live] = step

    final_means = sums / replications
    # The survivor with the largest mean; on an exact tie the first in the order given.
    selected = int(live[np.argmax(final_means[live])])
    return KimNelsonResult(
        selected=identifiers[selected],
        systems=identifiers,
        survivors=tuple(identifiers[index] for index in live),
        eliminations=tuple(eliminations),
        replications={
            system: int(count) for system, count in zip(identifiers, replications, strict=True)
        },
        means={system: float(mean) for system, mean in zip(identifiers, final_means, strict=True)},
        total_runs=int(replications.sum()),
        n0=n0,
        delta=float(delta),
        alpha=float(alpha),
        h_squared=h_squared,
        first_stream=first_stream,
        budget_exhausted=budget_exhausted,
    )
