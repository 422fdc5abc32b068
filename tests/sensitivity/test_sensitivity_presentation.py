"""The tornado chart and the HTML report of a global sensitivity analysis."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

pytest.importorskip("SALib")
pytest.importorskip("matplotlib")

from fieldtotable.plotting import save_svg, sensitivity_indices_chart
from fieldtotable.report import sensitivity_report
from fieldtotable.sensitivity import SensitivityResult, analyse_function

BOUNDS = {"products.a.shelf_life_days": (1.0, 2.0), "scale": (0.0, 1.0), "inert": (0.0, 1.0)}


def model(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.column_stack([4.0 * x[:, 0] + x[:, 1] ** 2, np.full(len(x), 3.0)])


@pytest.fixture(scope="module", params=["sobol", "morris"])
def result(request: pytest.FixtureRequest) -> SensitivityResult:
    n = 64 if request.param == "sobol" else 10
    return analyse_function(
        model, BOUNDS, method=request.param, n=n, outputs=("sold_kg", "spoilage_rate")
    )


def gids(figure: object) -> list[str]:
    return [a.get_gid() for a in figure.findobj() if a.get_gid()]  # type: ignore[attr-defined]


def test_the_tornado_draws_every_parameter_most_important_on_top(
    result: SensitivityResult,
) -> None:
    figure = sensitivity_indices_chart(result, "sold_kg")
    found = gids(figure)
    if result.method == "sobol":
        assert [g for g in found if g.startswith("ST:")] == [
            "ST:products.a.shelf_life_days",
            "ST:scale",
            "ST:inert",
        ]
        assert len([g for g in found if g.startswith("S1:")]) == 3
    else:
        assert next(g for g in found if g.startswith("mu_star:")) == (
            "mu_star:products.a.shelf_life_days"
        )
    assert "<svg" in save_svg(figure)


def test_the_report_has_a_table_and_a_chart_per_moving_kpi(result: SensitivityResult) -> None:
    html = sensitivity_report(result, command="fieldtotable sensitivity ...")
    assert html.count("<svg") == 1  # spoilage_rate does not move: a note, no chart
    assert "No parameter moved this KPI" in html
    assert "products.a.shelf_life_days" in html
    assert ("ST ± half-width" if result.method == "sobol" else "mu* ± half-width") in html
    assert "<script" not in html
    assert "fieldtotable sensitivity ..." in html
