"""The analysis core: SALib's sampling and analysis around any model.

::

    design = SensitivityDesign("sobol", {"x1": (-pi, pi), ...}, n=1024, seed=0)
    outputs = model(design.samples)            # one row per sample, one column per output
    indices = design.analyse(outputs, ["y"])

The model is whatever turns the design's sample points into outputs: a synthetic
test function (:func:`analyse_function`, how the tests check the indices against
known ones) or the simulation
(:func:`~fieldtotable.sensitivity.simulation.global_sensitivity`). SALib is an
optional dependency (``pip install 'fieldtotable[sensitivity]'``); :func:`require_salib`
says so in one line when it is missing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from fieldtotable.errors import FieldToTableError
from fieldtotable.sensitivity.indices import (
    KpiSensitivity,
    MorrisIndices,
    ParameterIndices,
    SensitivityResult,
    SobolIndices,
)

__all__ = [
    "METHODS",
    "MORRIS_LEVELS",
    "SensitivityDesign",
    "analyse_function",
    "evaluations_needed",
    "require_salib",
]

METHODS = ("sobol", "morris")
"""The methods: Sobol (variance-based indices) and Morris (elementary-effect screening)."""

MORRIS_LEVELS = 4
"""Levels of Morris's grid (SALib's default); a step is ``levels / (2 (levels - 1))``."""

BOOTSTRAP_RESAMPLES = 1000
"""Bootstrap resamples behind every confidence interval."""


def require_salib() -> ModuleType:
    """Return the ``SALib`` module, or say in one line how to install it.

    Returns
    -------
    module
        ``SALib``.

    Raises
    ------
    FieldToTableError
        When SALib is not installed.
    """
    try:
        import SALib  # noqa: PLC0415  # optional: imported only when an analysis runs
    except ImportError:
        raise FieldToTableError(
            "sensitivity needs SALib, which is not installed: "
            "pip install 'fieldtotable[sensitivity]'"
        ) from None
    module: ModuleType = SALib
    return module


def evaluations_needed(method: str, parameters: int, n: int, second_order: bool = False) -> int:
    """Return how many model evaluations a design needs.

    Parameters
    ----------
    method
        ``"sobol"`` or ``"morris"``.
    parameters
        The number of parameters, D.
    n
        Base sample size (Sobol) or trajectories (Morris).
    second_order
        Sobol with second-order indices.

    Returns
    -------
    int
        Sobol: ``n (2D + 2)`` with second order, ``n (D + 2)`` without; Morris:
        ``n (D + 1)``.
    """
    if method == "morris":
        return n * (parameters + 1)
    return n * (2 * parameters + 2 if second_order else parameters + 2)


def _check_design(
    method: str, bounds: Mapping[str, tuple[float, float]], n: int, confidence: float
) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if len(bounds) < 2:
        raise ValueError("a sensitivity analysis needs at least two parameters")
    for name, (low, high) in bounds.items():
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"{name}: the low end must be below the high end ({low}..{high})")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be a whole number >= 2, not {n!r}")
    if method == "sobol" and n & (n - 1):
        raise ValueError(
            f"n must be a power of 2 for sobol (the Sobol' sequence is balanced only then), not {n}"
        )
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, not {confidence!r}")


class SensitivityDesign:
    """The sample points of a Sobol or Morris analysis, and their analysis.

    Parameters
    ----------
    method
        ``"sobol"`` (Saltelli's scheme on a scrambled Sobol' sequence) or
        ``"morris"`` (trajectories on a grid of :data:`MORRIS_LEVELS` levels).
    bounds
        Parameter name -> ``(low, high)``, ``low < high``; at least two.
    n
        Base sample size (Sobol, a power of 2) or number of trajectories (Morris).
    seed
        Seeds the sampling and the bootstrap of the confidence intervals.
    second_order
        Sobol only: also compute second-order indices (``n (2D + 2)`` evaluations
        instead of ``n (D + 2)``).
    confidence
        Level of the bootstrap intervals.

    Raises
    ------
    ValueError
        For an unknown method, fewer than two parameters, an empty range, ``n < 2``
        or (Sobol) not a power of 2, a confidence outside (0, 1).
    FieldToTableError
        When SALib is not installed.
    """

    def __init__(
        self,
        method: str,
        bounds: Mapping[str, tuple[float, float]],
        n: int,
        seed: int,
        *,
        second_order: bool = False,
        confidence: float = 0.95,
    ) -> None:
        _check_design(method, bounds, n, confidence)
        require_salib()
        self.method = method
        self.bounds = {name: (float(low), float(high)) for name, (low, high) in bounds.items()}
        self.n = n
        self.seed = seed
        self.second_order = second_order and method == "sobol"
        self.confidence = confidence
        self.problem: dict[str, Any] = {
            "num_vars": len(self.bounds),
            "names": list(self.bounds),
            "bounds": [list(pair) for pair in self.bounds.values()],
        }
        self.samples = self._sample()

    def _sample(self) -> npt.NDArray[np.float64]:
        if self.method == "sobol":
            from SALib.sample import sobol  # noqa: PLC0415  # optional dependency

            found = sobol.sample(
                self.problem, self.n, calc_second_order=self.second_order, seed=self.seed
            )
        else:
            from SALib.sample import morris  # noqa: PLC0415  # optional dependency

            found = morris.sample(self.problem, self.n, num_levels=MORRIS_LEVELS, seed=self.seed)
        # SALib scales by ``low + x (high - low)``, which can miss an end by a rounding
        # error; a parameter's value never leaves its range.
        lows, highs = np.array(list(self.bounds.values()), dtype=np.float64).T
        return np.clip(np.asarray(found, dtype=np.float64), lows, highs)

    def configurations(self) -> list[dict[str, float]]:
        """Return the sample points as name -> value, one per row of :attr:`samples`.

        Returns
        -------
        list of dict
            Plain floats, in the parameters' order.
        """
        names = list(self.bounds)
        return [dict(zip(names, map(float, row), strict=True)) for row in self.samples]

    def analyse(self, outputs: npt.ArrayLike, names: Sequence[str]) -> tuple[KpiSensitivity, ...]:
        """Return the indices of every output.

        Parameters
        ----------
        outputs
            Shape ``(len(samples), len(names))``: each output at each sample point.
        names
            The outputs' names (KPI keys).

        Returns
        -------
        tuple of KpiSensitivity
            One per output, in order. An output that no sample point moved (standard
            deviation 0) gets indices of 0 with intervals of 0.

        Raises
        ------
        ValueError
            If ``outputs`` has the wrong shape or a value that is not finite.
        """
        table = np.asarray(outputs, dtype=np.float64).reshape(len(self.samples), -1)
        if table.shape[1] != len(names):
            raise ValueError(f"outputs have {table.shape[1]} columns for {len(names)} names")
        if not np.all(np.isfinite(table)):
            bad = [
                name
                for name, column in zip(names, table.T, strict=True)
                if not np.all(np.isfinite(column))
            ]
            raise ValueError(f"outputs not finite at some sample points: {', '.join(bad)}")
        return tuple(
            self._analyse_one(column, name) for column, name in zip(table.T, names, strict=True)
        )

    def _analyse_one(self, column: npt.NDArray[np.float64], name: str) -> KpiSensitivity:
        mean, sd = float(np.mean(column)), float(np.std(column))
        if sd <= 1e-12 * max(1.0, abs(mean)):
            return KpiSensitivity(name, self._inert(), mean, sd)
        if self.method == "sobol":
            from SALib.analyze import sobol  # noqa: PLC0415  # optional dependency

            found = sobol.analyze(
                self.problem,
                column,
                calc_second_order=self.second_order,
                num_resamples=BOOTSTRAP_RESAMPLES,
                conf_level=self.confidence,
                # A Generator, not the int: SALib takes an int seed of 0 as "no seed".
                seed=np.random.default_rng(self.seed),
            )
            indices: tuple[ParameterIndices, ...] = tuple(
                SobolIndices(
                    parameter,
                    float(found["S1"][i]),
                    float(found["S1_conf"][i]),
                    float(found["ST"][i]),
                    float(found["ST_conf"][i]),
                )
                for i, parameter in enumerate(self.bounds)
            )
            return KpiSensitivity(name, indices, mean, sd, self._second_order(found))
        from SALib.analyze import morris  # noqa: PLC0415  # optional dependency

        found = morris.analyze(
            self.problem,
            self.samples,
            column,
            num_resamples=BOOTSTRAP_RESAMPLES,
            conf_level=self.confidence,
            num_levels=MORRIS_LEVELS,
            seed=self.seed,
        )
        indices = tuple(
            MorrisIndices(
                parameter,
                float(found["mu_star"][i]),
                float(found["mu_star_conf"][i]),
                float(found["mu"][i]),
                float(found["sigma"][i]),
            )
            for i, parameter in enumerate(self.bounds)
        )
        return KpiSensitivity(name, indices, mean, sd)

    def _inert(self) -> tuple[ParameterIndices, ...]:
        if self.method == "sobol":
            return tuple(SobolIndices(name, 0.0, 0.0, 0.0, 0.0) for name in self.bounds)
        return tuple(MorrisIndices(name, 0.0, 0.0, 0.0, 0.0) for name in self.bounds)

    def _second_order(self, found: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
        if not self.second_order:
            return {}
        names = list(self.bounds)
        return {
            f"{names[i]},{names[j]}": (float(found["S2"][i][j]), float(found["S2_conf"][i][j]))
            for i in range(len(names))
            for j in range(i + 1, len(names))
        }


def analyse_function(
    function: Callable[[npt.NDArray[np.float64]], npt.ArrayLike],
    bounds: Mapping[str, tuple[float, float]],
    *,
    method: str = "sobol",
    n: int = 1024,
    seed: int = 0,
    second_order: bool = False,
    confidence: float = 0.95,
    outputs: Sequence[str] = ("y",),
    name: str | None = None,
) -> SensitivityResult:
    """Analyse a function of the parameters (a test function, a cheap surrogate).

    The same design and analysis as
    :func:`~fieldtotable.sensitivity.simulation.global_sensitivity`, with the
    simulation replaced by ``function``.

    Parameters
    ----------
    function
        Takes the sample matrix (one row per point, one column per parameter in the
        order of ``bounds``) and returns one value per row, or one row of
        ``len(outputs)`` values per row.
    bounds
        Parameter name -> ``(low, high)``.
    method, n, seed, second_order, confidence
        As for :class:`SensitivityDesign`.
    outputs
        The outputs' names.
    name
        The model's name in the result (default: the function's ``__name__``).

    Returns
    -------
    SensitivityResult
        With ``replications`` 1 and ``runs`` 0.

    Raises
    ------
    ValueError, FieldToTableError
        As for :class:`SensitivityDesign` and :meth:`SensitivityDesign.analyse`.
    """
    started = time.perf_counter()
    design = SensitivityDesign(
        method, bounds, n, seed, second_order=second_order, confidence=confidence
    )
    values = np.asarray(function(design.samples), dtype=np.float64)
    kpis = design.analyse(values.reshape(len(design.samples), len(outputs)), outputs)
    return SensitivityResult(
        method=method,
        model=name or str(getattr(function, "__name__", "function")),
        parameters=dict(design.bounds),
        kpis=kpis,
        n=n,
        seed=seed,
        replications=1,
        evaluations=len(design.samples),
        runs=0,
        confidence=confidence,
        second_order=design.second_order,
        levels=MORRIS_LEVELS if method == "morris" else None,
        wall_time_s=time.perf_counter() - started,
    )
