"""The constants of Kim & Nelson and Batur & Kim, against values worked by hand."""

from __future__ import annotations

import math

import pytest

from fieldtotable.optimise import (
    bonferroni_beta,
    feasibility_eta,
    kim_nelson_eta,
    kim_nelson_h_squared,
)


@pytest.mark.parametrize(
    ("alpha", "systems", "n0", "eta", "h_squared"),
    [
        # 2α/(k-1) = 0.1, exponent -2/(n0-1) = -2: η = ½(100 - 1), h² = 2·49.5·1.
        (0.05, 2, 2, 49.5, 99.0),
        # 2α/(k-1) = 0.1, exponent -1: η = ½(10 - 1), h² = 2·4.5·2.
        (0.1, 3, 3, 4.5, 18.0),
        # 2α/(k-1) = 1/90, exponent -2/9: η = ½(90^(2/9) - 1) = ½(e^(2·ln 90/9) - 1).
        (0.05, 10, 10, 0.5 * (math.exp(2 * math.log(90) / 9) - 1), 18 * 0.85908343),
    ],
)
def test_kim_nelson_constants_by_hand(
    alpha: float, systems: int, n0: int, eta: float, h_squared: float
) -> None:
    assert kim_nelson_eta(alpha, systems, n0) == pytest.approx(eta, rel=1e-12)
    assert kim_nelson_h_squared(alpha, systems, n0) == pytest.approx(h_squared, rel=1e-8)


def test_kim_nelson_eta_of_the_notes_example() -> None:
    # k = 10, n0 = 10, α = 0.05 (the notes' own check): η = 0.85908...
    assert kim_nelson_eta(0.05, 10, 10) == pytest.approx(0.8590834, abs=1e-7)


def test_h_squared_grows_with_the_systems_and_the_confidence() -> None:
    assert kim_nelson_h_squared(0.05, 20, 10) > kim_nelson_h_squared(0.05, 10, 10)
    assert kim_nelson_h_squared(0.01, 10, 10) > kim_nelson_h_squared(0.05, 10, 10)


@pytest.mark.parametrize(
    ("beta", "n0", "eta"),
    [
        (0.05, 3, 4.5),  # (2β)^(-1) = 10
        (0.05, 2, 49.5),  # (2β)^(-2) = 100
        (0.05, 20, 0.5 * (10 ** (2 / 19) - 1)),  # 0.137137...
        (0.01, 11, 0.5 * (50**0.2 - 1)),  # (0.02)^(-2/10) = 50^(1/5)
    ],
)
def test_feasibility_eta_by_hand(beta: float, n0: int, eta: float) -> None:
    assert feasibility_eta(beta, n0) == pytest.approx(eta, rel=1e-12)


def test_bonferroni_beta_splits_the_error_over_every_check() -> None:
    assert bonferroni_beta(0.05, 5, 2) == pytest.approx(0.005)
    assert bonferroni_beta(0.1, 1, 1) == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((0.0, 10, 10), "alpha must lie strictly between 0 and 1"),
        ((1.0, 10, 10), "alpha must lie strictly between 0 and 1"),
        ((-0.1, 10, 10), "alpha must lie strictly between 0 and 1"),
        ((float("nan"), 10, 10), "alpha must lie strictly between 0 and 1"),
        ((True, 10, 10), "alpha must lie strictly between 0 and 1"),
        ((0.05, 1, 10), "number_of_systems must be an integer of at least 2"),
        ((0.05, 2.0, 10), "number_of_systems must be an integer of at least 2"),
        ((0.05, 10, 1), "n0 must be an integer of at least 2"),
        ((0.05, 10, 2.5), "n0 must be an integer of at least 2"),
        ((0.6, 2, 10), r"alpha must be below \(k - 1\)/2 = 0.5 for k = 2 systems"),
    ],
)
def test_kim_nelson_constants_refuse_bad_arguments(
    arguments: tuple[float, int, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        kim_nelson_eta(*arguments)
    with pytest.raises(ValueError, match=message):
        kim_nelson_h_squared(*arguments)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((0.5, 10), r"beta must lie strictly between 0 and 0.5"),
        ((0.0, 10), r"beta must lie strictly between 0 and 0.5"),
        ((0.05, 1), "n0 must be an integer of at least 2"),
    ],
)
def test_feasibility_eta_refuses_bad_arguments(arguments: tuple[float, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        feasibility_eta(*arguments)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((1.0, 2, 2), "alpha_feasibility must lie strictly between 0 and 1"),
        ((0.05, 0, 2), "number_of_systems must be an integer of at least 1"),
        ((0.05, 2, 0), "constraints must be an integer of at least 1"),
        ((0.9, 1, 1), "leaves each an error of 0.9; it must stay below 0.5"),
    ],
)
def test_bonferroni_beta_refuses_bad_arguments(
    arguments: tuple[float, int, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        bonferroni_beta(*arguments)
