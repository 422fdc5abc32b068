"""Tail statistics read from an experiment's replications (a mixin of its result).

:class:`TailMethods` gives :class:`~fieldtotable.experiment.results.ExperimentResult`
its ``quantile``, ``cvar`` and ``probability`` -- over replications, or over the
months or weeks of every replication -- with the estimators of
:mod:`fieldtotable.experiment.tails`; :func:`bad_direction` reads a KPI's bad side
from the result-field registry.
"""

from __future__ import annotations

from fieldtotable.experiment.tails import (
    DEFAULT_RESAMPLES,
    BadDirection,
    TailEstimate,
    clustered_tail,
    cvar_estimate,
    quantile_estimate,
    target_probability,
)
from fieldtotable.results.fields import field_of
from fieldtotable.results.paths import kpi_value
from fieldtotable.results.periods import period_series
from fieldtotable.results.run import RunResult

__all__ = ["TailMethods", "bad_direction"]


def bad_direction(key: str) -> BadDirection:
    """Return the bad side of a KPI from the result-field registry.

    Parameters
    ----------
    key
        A KPI key or a dotted breakdown path.

    Returns
    -------
    {"higher", "lower"}
        ``lower`` for a KPI whose higher values are better (fill rate, profit),
        ``higher`` for one whose lower values are better (spoilage, cost).

    Raises
    ------
    ValueError
        If the registry does not know the KPI or calls neither side better.
    """
    found = field_of(key)
    better = getattr(found, "better", None)
    if better == "higher":
        return "lower"
    if better == "lower":
        return "higher"
    raise ValueError(
        f"the registry calls neither higher nor lower better for {key!r}: give bad='higher' "
        "or bad='lower'"
    )


class TailMethods:
    """Tail statistics of a result holding replications (see the module)."""

    seed: int
    confidence: float
    values: dict[str, tuple[float, ...]]
    runs: tuple[RunResult, ...]

    def replication_values(self, key: str) -> tuple[float, ...]:
        """Return a KPI's value in every replication, in replication order.

        Parameters
        ----------
        key
            A KPI key or a dotted breakdown path (read from the runs when it is not
            one of :attr:`values`).

        Returns
        -------
        tuple of float
            One value per replication (NaN where undefined).
        """
        if key in self.values:
            return self.values[key]
        return tuple(kpi_value(run, key) for run in self.runs)

    def period_values(self, key: str, period: str) -> tuple[tuple[float, ...], ...]:
        """Return a KPI per complete month or week of every replication.

        Parameters
        ----------
        key
            ``spoilage_rate``, ``fill_rate`` or a daily series (``sold_kg``, ...).
        period
            ``month`` or ``week`` (see :func:`fieldtotable.results.periods.period_series`).

        Returns
        -------
        tuple of tuple of float
            One row per replication, one value per period.
        """
        return tuple(
            tuple(found.value for found in period_series(run, key, period)) for run in self.runs
        )

    def quantile(
        self,
        key: str,
        probability: float,
        *,
        period: str | None = None,
        resamples: int = DEFAULT_RESAMPLES,
        seed: int | None = None,
    ) -> TailEstimate:
        """Estimate a quantile of a KPI over the replications (P5 ... P95).

        Parameters
        ----------
        key
            A KPI key or a dotted breakdown path.
        probability
            In (0, 1): 0.95 for P95.
        period
            ``month`` or ``week``: the quantile of the KPI per period over every
            period of every replication (the interval resamples whole replications).
        resamples
            Bootstrap resamples of the interval.
        seed
            Seed of the bootstrap (default: the experiment's seed, so the same
            experiment gives the same interval).

        Returns
        -------
        TailEstimate
            The quantile and its percentile-bootstrap interval at :attr:`confidence`.
        """
        if period is not None:
            return clustered_tail(
                self.period_values(key, period),
                "quantile",
                level=probability,
                label=f"P{probability * 100:g} of {period}ly {key}",
                confidence=self.confidence,
                resamples=resamples,
                seed=self.seed if seed is None else seed,
            )
        return quantile_estimate(
            self.replication_values(key),
            probability,
            confidence=self.confidence,
            resamples=resamples,
            seed=self.seed if seed is None else seed,
        )

    def cvar(
        self,
        key: str,
        level: float = 0.95,
        *,
        bad: BadDirection | None = None,
        resamples: int = DEFAULT_RESAMPLES,
        seed: int | None = None,
        period: str | None = None,
    ) -> TailEstimate:
        """Estimate the conditional value at risk of a KPI in its bad direction.

        Parameters
        ----------
        key
            A KPI key or a dotted breakdown path.
        level
            In (0, 1): 0.95 averages the worst 5 % of the replications.
        bad
            ``higher`` or ``lower``; by default from the registry (:func:`bad_direction`).
        resamples, seed, period
            As for :meth:`quantile` (``period="month"``: CVaR of monthly values).

        Returns
        -------
        TailEstimate
            CVaR and its percentile-bootstrap interval at :attr:`confidence`.
        """
        side = bad_direction(key) if bad is None else bad
        if period is not None:
            return clustered_tail(
                self.period_values(key, period),
                "cvar",
                level=level,
                bad=side,
                label=f"CVaR{level * 100:g} of {period}ly {key} ({side} is bad)",
                confidence=self.confidence,
                resamples=resamples,
                seed=self.seed if seed is None else seed,
            )
        return cvar_estimate(
            self.replication_values(key),
            level,
            side,
            confidence=self.confidence,
            resamples=resamples,
            seed=self.seed if seed is None else seed,
        )

    def probability(
        self, key: str, sense: str, limit: float, *, period: str | None = None
    ) -> TailEstimate:
        """Estimate the chance that a replication meets a target (``fill_rate >= 0.9``).

        Parameters
        ----------
        key
            A KPI key or a dotted breakdown path.
        sense
            ``<=`` or ``>=``.
        limit
            The target's value, in the KPI's unit.
        period
            ``month`` or ``week``: the share of periods (of every replication) that
            meet it, with a cluster-bootstrap interval over replications.

        Returns
        -------
        TailEstimate
            The share of replications (or periods) meeting it and its Wilson (or
            cluster-bootstrap) interval at :attr:`confidence`.
        """
        if sense not in ("<=", ">="):
            raise ValueError(f"sense must be '<=' or '>=', got {sense!r}")
        if period is not None:
            return clustered_tail(
                self.period_values(key, period),
                "share",
                sense="<=" if sense == "<=" else ">=",
                limit=limit,
                label=f"share of {period}s with {key} {sense} {limit:g}",
                confidence=self.confidence,
                seed=self.seed,
            )
        return target_probability(
            self.replication_values(key),
            "<=" if sense == "<=" else ">=",
            limit,
            confidence=self.confidence,
            name=key,
        )
