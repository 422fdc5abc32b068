"""Figures of runs and experiments (matplotlib, imported only when a figure is drawn).

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (safe
without a display and from several threads) and takes an optional Axes to draw into::

    from fieldtotable import builtin_scenario, simulate
    from fieldtotable.plotting import save_png, spoilage_waterfall

    scenario = builtin_scenario("baseline")
    result = simulate(scenario, seed=0)
    figure = spoilage_waterfall(result, scenario)
    png = save_png(figure)                  # PNG bytes
    save_png(figure, "waterfall.png")       # ... also written to a file

Every figure of a run takes the run first and its scenario second,
``figure(result, scenario, *, ...)`` (the scenario adds display names; the network
map needs it); figures of experiments take their result first.

Figures of one run: :func:`spoilage_waterfall`, :func:`daily_series`,
:func:`shelf_life_at_sale`, :func:`network_map`, :func:`pnl_waterfall` (also of
replications' means). Figures of experiments:
:func:`comparison_chart`, :func:`sweep_chart`, :func:`distribution_chart` (the
empirical CDF over replications). Figures of an optimisation:
:func:`search_history`, :func:`sensitivity_chart`, :func:`pareto_front_chart` (two
objectives). Figure of a global sensitivity
analysis: :func:`sensitivity_indices_chart`. Output: :func:`save_png`,
:func:`save_svg`, :func:`save_pdf` (each returns the content and writes it to a path
when one is given). Product names: :func:`product_label` (the Chinese part is dropped
when no CJK-capable font is installed, so labels never show missing glyphs).

Importing this package does not import matplotlib; the first figure does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldtotable.plotting._save import save_pdf, save_png, save_svg
    from fieldtotable.plotting._style import product_label
    from fieldtotable.plotting.distributions import distribution_chart
    from fieldtotable.plotting.experiments import comparison_chart
    from fieldtotable.plotting.global_sensitivity import sensitivity_indices_chart
    from fieldtotable.plotting.network import network_map
    from fieldtotable.plotting.optimisation import search_history, sensitivity_chart
    from fieldtotable.plotting.pareto import pareto_front_chart
    from fieldtotable.plotting.pnl import pnl_waterfall
    from fieldtotable.plotting.series import daily_series
    from fieldtotable.plotting.shelf_life import shelf_life_at_sale
    from fieldtotable.plotting.sweeps import sweep_chart
    from fieldtotable.plotting.waterfall import spoilage_waterfall

__all__ = [
    "comparison_chart",
    "daily_series",
    "distribution_chart",
    "network_map",
    "pareto_front_chart",
    "pnl_waterfall",
    "product_label",
    "save_pdf",
    "save_png",
    "save_svg",
    "search_history",
    "sensitivity_chart",
    "sensitivity_indices_chart",
    "shelf_life_at_sale",
    "spoilage_waterfall",
    "sweep_chart",
]

_HOMES = {
    "comparison_chart": "experiments",
    "daily_series": "series",
    "distribution_chart": "distributions",
    "network_map": "network",
    "pareto_front_chart": "pareto",
    "pnl_waterfall": "pnl",
    "product_label": "_style",
    "save_pdf": "_save",
    "save_png": "_save",
    "save_svg": "_save",
    "search_history": "optimisation",
    "sensitivity_chart": "optimisation",
    "sensitivity_indices_chart": "global_sensitivity",
    "shelf_life_at_sale": "shelf_life",
    "spoilage_waterfall": "waterfall",
    "sweep_chart": "sweeps",
}


def __getattr__(name: str) -> Any:
    """Import the module of a public function on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
