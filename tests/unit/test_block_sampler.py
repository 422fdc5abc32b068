"""Block draws hand out the numbers of one-by-one draws, to the last bit."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from fieldtotable.scenario.distributions import Distribution, make_block_sampler, make_sampler

CASES: list[dict[str, Any]] = [
    {"dist": "constant", "value": 3.5},
    {"dist": "uniform", "low": 1.5, "high": 7.25},
    {"dist": "uniform", "low": -2.0, "high": 1.0},
    {"dist": "triangular", "low": 1.0, "mode": 2.0, "high": 5.0},
    {"dist": "triangular", "low": -1.0, "mode": 0.0, "high": 3.0},
    {"dist": "triangular", "low": 2.0, "mode": 2.0, "high": 2.0},
    {"dist": "normal", "mean": 3.0, "sd": 1.2},
    {"dist": "normal", "mean": 0.5, "sd": 2.0},
    {"dist": "lognormal", "mean": 120.0, "cv": 0.5},
    {"dist": "lognormal", "mean": 10.0, "cv": 0.0},
    {"dist": "gamma", "mean": 6.0, "cv": 0.3},
    {"dist": "gamma", "mean": 6.0, "cv": 2.0},
    {"dist": "poisson", "mean": 4.2},
    {"dist": "poisson", "mean": 420.0},
    {"dist": "empirical", "values": [1.0, 2.0, 4.0], "weights": [1.0, 3.0, 2.0]},
]


@pytest.mark.parametrize("block", [1, 7, 64])
@pytest.mark.parametrize("case", CASES, ids=lambda case: str(case["dist"]))
def test_block_draws_equal_scalar_draws(case: dict[str, Any], block: int) -> None:
    distribution = Distribution.model_validate(case)
    scalar = make_sampler(distribution, np.random.default_rng(11))
    blocked = make_block_sampler(distribution, np.random.default_rng(11), block)
    expected = [scalar() for _ in range(300)]
    drawn = [blocked() for _ in range(300)]
    assert all(type(x) is float for x in drawn)
    # Bit for bit (NaN never comes up: every value is a finite number).
    assert [math.copysign(1.0, x) for x in drawn] == [math.copysign(1.0, x) for x in expected]
    assert drawn == expected
