"""The figures of an optimisation: the search's history and the sensitivity tornado."""

from __future__ import annotations

import dataclasses
import math

import pytest
from tests.optimise.synthetic_systems import run_bowl

from fieldtotable.optimise.search_result import OptimisationResult
from fieldtotable.plotting import save_svg, search_history, sensitivity_chart


@pytest.fixture(scope="module")
def constrained() -> OptimisationResult:
    result, _ = run_bowl(constraints=["spoilage_rate <= 0.09"], sensitivity=True)
    assert isinstance(result, OptimisationResult)
    return result


def gids(figure: object) -> set[str]:
    found = set()
    for artist in figure.findobj():  # type: ignore[attr-defined]
        gid = artist.get_gid()
        if gid:
            found.add(gid)
    return found


def test_the_history_marks_feasible_infeasible_finalists_and_the_best_so_far(
    constrained: OptimisationResult,
) -> None:
    figure = search_history(constrained)
    assert {"feasible", "infeasible", "finalists", "best-so-far"} <= gids(figure)
    best_so_far = next(a for a in figure.findobj() if a.get_gid() == "best-so-far")
    heights = [y for y in best_so_far.get_ydata() if not math.isnan(y)]  # NaN before the first
    assert heights == sorted(heights)  # maximising: the best so far never falls
    assert len(best_so_far.get_xdata()) == len(constrained.trials)
    assert "<svg" in save_svg(figure)


def test_the_tornado_has_one_bar_per_neighbour(constrained: OptimisationResult) -> None:
    figure = sensitivity_chart(constrained)
    bars = {gid for gid in gids(figure) if gid.startswith("difference:")}
    assert bars == {f"difference:{r.variable}={r.value}" for r in constrained.sensitivity}


def test_the_figures_refuse_what_they_cannot_draw(constrained: OptimisationResult) -> None:
    with pytest.raises(ValueError, match="sensitivity"):
        sensitivity_chart(dataclasses.replace(constrained, sensitivity=()))
    with pytest.raises(ValueError, match="no trials"):
        search_history(dataclasses.replace(constrained, trials=()))
