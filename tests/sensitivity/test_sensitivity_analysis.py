"""The analysis core on functions with known indices: Ishigami (Sobol), an inert input (Morris)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest

pytest.importorskip("SALib")

from fieldtotable.sensitivity import (
    MorrisIndices,
    SensitivityDesign,
    SobolIndices,
    analyse_function,
    evaluations_needed,
)

PI = math.pi
ISHIGAMI_BOUNDS = {"x1": (-PI, PI), "x2": (-PI, PI), "x3": (-PI, PI)}
# Ishigami (a = 7, b = 0.1): the analytic indices (Saltelli et al. 2008, Sobol' & Levitan 1999).
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)
TOLERANCE = 0.01
"""Slack added to each reported half-width (the bootstrap interval is itself estimated)."""


def ishigami(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sin(x[:, 0]) + 7.0 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_sobol_indices_lie_within_their_intervals() -> None:
    result = analyse_function(ishigami, ISHIGAMI_BOUNDS, method="sobol", n=2048, seed=0)
    assert result.evaluations == 2048 * (3 + 2) == evaluations_needed("sobol", 3, 2048)
    indices = result.kpis[0].indices
    for found, s1, st in zip(indices, ISHIGAMI_S1, ISHIGAMI_ST, strict=True):
        assert isinstance(found, SobolIndices)
        assert abs(found.s1 - s1) <= found.s1_conf + TOLERANCE, found
        assert abs(found.st - st) <= found.st_conf + TOLERANCE, found
        assert found.st_conf < 0.1
    assert [found.parameter for found in result.kpis[0].ranked()] == ["x1", "x2", "x3"]


def test_sobol_second_order_of_ishigami_finds_the_x1_x3_interaction() -> None:
    result = analyse_function(
        ishigami, ISHIGAMI_BOUNDS, method="sobol", n=1024, seed=1, second_order=True
    )
    assert result.evaluations == evaluations_needed("sobol", 3, 1024, second_order=True)
    pairs = result.kpis[0].second_order
    assert set(pairs) == {"x1,x2", "x1,x3", "x2,x3"}
    value, conf = pairs["x1,x3"]
    assert abs(value - 0.2437) <= conf + 0.03  # S13 = ST3 (x3 acts only with x1)


def test_same_seed_same_indices_other_seed_other_sample() -> None:
    first = analyse_function(ishigami, ISHIGAMI_BOUNDS, n=256, seed=3)
    again = analyse_function(ishigami, ISHIGAMI_BOUNDS, n=256, seed=3)
    other = analyse_function(ishigami, ISHIGAMI_BOUNDS, n=256, seed=4)
    assert first == again
    assert first.kpis != other.kpis


def test_morris_ranks_an_inert_parameter_last() -> None:
    def linear_and_square(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return 3.0 * x[:, 0] + x[:, 1] ** 2 + 0.0 * x[:, 2]

    bounds = {"strong": (0.0, 1.0), "inert": (0.0, 1.0), "weak": (0.0, 1.0)}
    result = analyse_function(
        lambda x: linear_and_square(x[:, [0, 2, 1]]), bounds, method="morris", n=20, seed=0
    )
    ranked = result.kpis[0].ranked()
    assert [found.parameter for found in ranked] == ["strong", "weak", "inert"]
    assert all(isinstance(found, MorrisIndices) for found in ranked)
    assert ranked[-1].importance == 0.0
    assert ranked[0].importance == pytest.approx(3.0)
    assert result.evaluations == 20 * 4


def test_an_output_nothing_moves_gets_indices_of_zero() -> None:
    result = analyse_function(
        lambda x: np.full(len(x), 5.0), {"a": (0.0, 1.0), "b": (0.0, 1.0)}, n=64
    )
    found = result.kpis[0]
    assert found.output_sd == 0.0
    assert all(index.importance == 0.0 for index in found.indices)
    data = result.to_json()
    assert data["kpis"][0]["indices"][0]["S1"] == 0.0


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_sample_points_never_leave_their_ranges(method: str) -> None:
    # 0.1 + 1.0 * (0.7 - 0.1) is 0.7000000000000001 in floating point
    bounds = {"a": (0.1, 0.7), "b": (-3.3, 0.7), "c": (1.1, 2.3)}
    samples = SensitivityDesign(method, bounds, 16, seed=0).samples
    for column, (low, high) in zip(samples.T, bounds.values(), strict=True):
        assert low <= column.min()
        assert column.max() <= high
    if method == "morris":
        assert 0.7 in samples[:, 0]  # the grid's end is the range's end


@pytest.mark.parametrize(
    ("method", "n", "bounds", "message"),
    [
        ("fast", 64, {"a": (0, 1), "b": (0, 1)}, "method must be one of"),
        ("sobol", 100, {"a": (0, 1), "b": (0, 1)}, "power of 2"),
        ("morris", 1, {"a": (0, 1), "b": (0, 1)}, "n must be"),
        ("sobol", 64, {"a": (0, 1)}, "at least two parameters"),
        ("sobol", 64, {"a": (1, 1), "b": (0, 1)}, "below the high end"),
    ],
)
def test_bad_designs_are_refused(
    method: str, n: int, bounds: dict[str, tuple[float, float]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        analyse_function(lambda x: x[:, 0], bounds, method=method, n=n)


def test_non_finite_outputs_are_refused() -> None:
    with pytest.raises(ValueError, match="not finite"):
        analyse_function(
            lambda x: np.where(x[:, 0] > 0.5, np.inf, x[:, 0]),
            {"a": (0.0, 1.0), "b": (0.0, 1.0)},
            n=8,
        )


def test_without_salib_one_line_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys  # noqa: PLC0415

    from fieldtotable.errors import FieldToTableError  # noqa: PLC0415
    from fieldtotable.sensitivity import require_salib  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "SALib", None)
    with pytest.raises(FieldToTableError) as caught:
        require_salib()
    assert str(caught.value) == (
        "sensitivity needs SALib, which is not installed: pip install 'fieldtotable[sensitivity]'"
    )
