"""Constants of the ranking-and-selection procedures (pure functions, no sampling).

- Kim & Nelson (2001), fully sequential selection of the best with an indifference
  zone δ: η = ½[(2α/(k-1))^(-2/(n0-1)) - 1] and h² = 2η(n0-1).
- Batur & Kim (2010), the feasibility check of one stochastic constraint with error
  β: η = ½[(2β)^(-2/(n0-1)) - 1].
- The Bonferroni split of a feasibility error α1 over k systems and s constraints:
  β = α1/(k·s), valid under any dependence between the checks (CRN included).

Each function checks its arguments and raises ``ValueError`` naming the bad one, so a
procedure that calls them fails before it samples anything.
"""

from __future__ import annotations

import math
import numbers

__all__ = [
    "bonferroni_beta",
    "feasibility_eta",
    "kim_nelson_eta",
    "kim_nelson_h_squared",
]


def check_probability(name: str, value: float, upper: float = 1.0) -> None:
    """Raise ``ValueError`` unless ``value`` is a real number strictly inside (0, upper)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not 0.0 < float(value) < upper
    ):
        raise ValueError(f"{name} must lie strictly between 0 and {upper:g}, not {value!r}")


def check_count(name: str, value: int, minimum: int) -> None:
    """Raise ``ValueError`` unless ``value`` is an integer of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, not {value!r}")


def check_positive(name: str, value: float) -> None:
    """Raise ``ValueError`` unless ``value`` is a finite real number above 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(float(value))
        or float(value) <= 0.0
    ):
        raise ValueError(f"{name} must be a finite number above 0, not {value!r}")


def kim_nelson_eta(alpha: float, number_of_systems: int, n0: int) -> float:
    """Return Kim & Nelson's η = ½[(2α/(k-1))^(-2/(n0-1)) - 1].

    Parameters
    ----------
    alpha
        The error allowed: the probability of correct selection is at least 1 - α.
        The procedure is only meaningful when 2α/(k - 1) < 1 (for two systems,
        α < 0.5: a coin toss already selects correctly with probability ½).
    number_of_systems
        k, the number of systems compared, at least 2.
    n0
        The first-stage sample size per system, at least 2.

    Returns
    -------
    float
        η, above 0.

    Raises
    ------
    ValueError
        When an argument is out of range.
    """
    check_probability("alpha", alpha)
    check_count("number_of_systems", number_of_systems, 2)
    check_count("n0", n0, 2)
    # 2α/(k-1) ≥ 1 would give η ≤ 0, a continuation region that never opens.
    pairwise_error = 2.0 * alpha / (number_of_systems - 1)
    if pairwise_error >= 1.0:
        raise ValueError(
            f"alpha must be below (k - 1)/2 = {(number_of_systems - 1) / 2:g} "
            f"for k = {number_of_systems} systems, not {alpha!r}"
        )
    return 0.5 * (float(pairwise_error ** (-2.0 / (n0 - 1))) - 1.0)


def kim_nelson_h_squared(alpha: float, number_of_systems: int, n0: int) -> float:
    """Return Kim & Nelson's h² = 2η(n0 - 1), the size of the continuation triangle.

    Parameters
    ----------
    alpha
        The error allowed (probability of correct selection at least 1 - α).
    number_of_systems
        k, the number of systems compared, at least 2.
    n0
        The first-stage sample size per system, at least 2.

    Returns
    -------
    float
        h², above 0.

    Raises
    ------
    ValueError
        When an argument is out of range (see :func:`kim_nelson_eta`).
    """
    return 2.0 * kim_nelson_eta(alpha, number_of_systems, n0) * (n0 - 1)


def feasibility_eta(beta: float, n0: int) -> float:
    """Return Batur & Kim's η = ½[(2β)^(-2/(n0-1)) - 1] for one feasibility check.

    Parameters
    ----------
    beta
        The error allowed for this one check (system, constraint), in (0, 0.5).
    n0
        The first-stage sample size, at least 2.

    Returns
    -------
    float
        η, above 0.

    Raises
    ------
    ValueError
        When an argument is out of range.
    """
    # 2β ≥ 1 would give η ≤ 0: a check no better than a coin toss.
    check_probability("beta", beta, upper=0.5)
    check_count("n0", n0, 2)
    return 0.5 * (float((2.0 * beta) ** (-2.0 / (n0 - 1))) - 1.0)


def bonferroni_beta(alpha_feasibility: float, number_of_systems: int, constraints: int) -> float:
    """Return the error of each feasibility check, β = α1/(k·s) (Bonferroni).

    Parameters
    ----------
    alpha_feasibility
        α1, the error allowed for all the checks together, in (0, 1).
    number_of_systems
        k, the number of systems checked, at least 1.
    constraints
        s, the number of constraints per system, at least 1.

    Returns
    -------
    float
        β, the error allowed to each of the k·s checks.

    Raises
    ------
    ValueError
        When an argument is out of range, or β would reach 0.5.
    """
    check_probability("alpha_feasibility", alpha_feasibility)
    check_count("number_of_systems", number_of_systems, 1)
    check_count("constraints", constraints, 1)
    beta = alpha_feasibility / (number_of_systems * constraints)
    if beta >= 0.5:
        raise ValueError(
            f"alpha_feasibility = {alpha_feasibility!r} over {number_of_systems * constraints} "
            f"check(s) leaves each an error of {beta:g}; it must stay below 0.5"
        )
    return beta
