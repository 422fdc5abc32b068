"""The network map: nodes at their coordinates, legs as wide as the kg they carried."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.transforms import Bbox
from plotting_checks import check_labels

from fieldtotable import RunResult, Scenario, simulate
from fieldtotable.plotting import network_map, save_png, save_svg
from fieldtotable.plotting._layout import clusters, layout
from fieldtotable.plotting.network import leg_width, spoilage_by_place


def artists(figure: Figure, prefix: str, ax_index: int = 0) -> dict[str, object]:
    ax = figure.axes[ax_index]
    found: dict[str, object] = {}
    for artist in [*ax.lines, *ax.patches, *ax.collections]:
        gid = artist.get_gid() or ""
        if gid.startswith(prefix):
            found[gid.removeprefix(prefix)] = artist
    return found


def all_nodes(scenario: Scenario) -> dict[str, object]:
    return {**scenario.collection_points, **scenario.hubs, **scenario.markets}


def test_nodes_sit_at_their_coordinates(run: RunResult, baseline: Scenario) -> None:
    figure = network_map(run, baseline)
    nodes = artists(figure, "node:")
    assert set(nodes) == set(all_nodes(baseline))
    for node_id, node in all_nodes(baseline).items():
        assert node.location is not None
        marker = nodes[node_id]
        assert marker.get_xdata()[0] == node.location.lon
        assert marker.get_ydata()[0] == node.location.lat
    assert "schematic" not in figure.get_suptitle()
    check_labels(figure)


def test_leg_widths_grow_with_kg_carried(run: RunResult, baseline: Scenario) -> None:
    legs = artists(network_map(run, baseline), "leg:")
    assert set(legs) == set(baseline.legs)
    assert all(isinstance(patch, FancyArrowPatch) for patch in legs.values())
    ranked = sorted(baseline.legs, key=lambda leg: run.by_leg[leg]["kg_carried"])
    widths = [legs[leg].get_linewidth() for leg in ranked]
    assert widths == sorted(widths)
    assert widths[0] < widths[-1]
    busiest = max(run.by_leg[leg]["kg_carried"] for leg in baseline.legs)
    for leg in baseline.legs:
        expected = leg_width(run.by_leg[leg]["kg_carried"], busiest)
        assert legs[leg].get_linewidth() == pytest.approx(expected)


def test_legs_are_coloured_by_mode(run: RunResult, baseline: Scenario) -> None:
    legs = artists(network_map(run, baseline), "leg:")
    colours = {}
    for leg_id, leg in baseline.legs.items():
        colours.setdefault(leg.mode, set()).add(tuple(legs[leg_id].get_edgecolor()))
    assert all(len(found) == 1 for found in colours.values())
    assert len({next(iter(found)) for found in colours.values()}) == len(colours)


def test_spoilage_bubbles_match_the_flow_log(run: RunResult, baseline: Scenario) -> None:
    spoiled = spoilage_by_place(run)
    assert spoiled is not None
    assert sum(spoiled.values()) == pytest.approx(run.kpis["spoiled_kg"], rel=1e-6)
    bubbles = artists(network_map(run, baseline), "spoilage:")
    places = {place for place, kg in spoiled.items() if kg > 0}
    assert set(bubbles) == places & (set(all_nodes(baseline)) | set(baseline.legs))
    sizes = {place: float(bubble.get_sizes()[0]) for place, bubble in bubbles.items()}
    ranked = sorted(sizes, key=spoiled.__getitem__)
    assert [sizes[p] for p in ranked] == sorted(sizes.values())


def test_without_flow_log_spoilage_by_stage_is_written(short: Scenario) -> None:
    result = simulate(short, seed=0)
    figure = network_map(result, short)
    assert artists(figure, "spoilage:") == {}
    texts = " ".join(text.get_text() for ax in figure.axes for text in ax.texts)
    assert "record_flows=True" in texts


def test_crowded_nodes_get_detail_panels(baseline: Scenario) -> None:
    groups = clusters(layout(baseline))
    assert [set(g) for g in groups] == [
        {"shangrila_cp", "deqin_cp", "weixi_cp", "shangrila_hub"},
        {"shanghai_dc", "shanghai_store", "institutional_buyers", "online_orders"},
    ]
    figure = network_map(scenario=baseline)
    assert len(figure.axes) == 3
    detail = artists(figure, "node:", ax_index=1)
    assert set(detail) == set(all_nodes(baseline))  # drawn; the view shows the group
    x0, x1 = figure.axes[1].get_xlim()
    assert x0 < baseline.collection_points["deqin_cp"].location.lon < x1
    assert not x0 < baseline.hubs["kunming_dc"].location.lon < x1


def test_without_coordinates_a_layout_is_used(run: RunResult, baseline: Scenario) -> None:
    bare = baseline.model_copy(
        update={
            "hubs": {
                key: hub.model_copy(update={"location": None}) for key, hub in baseline.hubs.items()
            }
        }
    )
    figure = network_map(run, bare)
    assert "schematic layout: no coordinates for" in figure.get_suptitle()
    nodes = artists(figure, "node:")
    positions = {node: (m.get_xdata()[0], m.get_ydata()[0]) for node, m in nodes.items()}
    # layered: collection points left of hubs, hubs left of markets
    assert max(positions[cp][0] for cp in bare.collection_points) < positions["kunming_dc"][0]
    assert positions["shanghai_dc"][0] < min(positions[m][0] for m in bare.markets)
    assert len(figure.axes) == 1  # no detail panels without a geographic map
    check_labels(figure)


def test_without_a_run_widths_are_equal(baseline: Scenario) -> None:
    legs = artists(network_map(scenario=baseline), "leg:")
    assert len({patch.get_linewidth() for patch in legs.values()}) == 1


def test_draws_into_given_axes(run: RunResult, baseline: Scenario) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert network_map(run, baseline, ax=ax) is figure
    assert len(figure.axes) == 1
    nodes = artists(figure, "node:")
    lon = baseline.hubs["kunming_dc"].location.lon
    assert np.isclose(nodes["kunming_dc"].get_xdata()[0], lon)


def _overlap(a: Bbox, b: Bbox) -> bool:
    return a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5


def _page_checks(figure: Figure) -> None:
    """Everything on the page, no tick labels run together, the note under everything."""
    page = figure.bbox
    boxes = [ax.get_tightbbox() for ax in figure.axes]
    legend = figure.axes[0].get_legend()
    assert legend is not None
    boxes.append(legend.get_window_extent())
    for box in boxes:
        assert box is not None
        assert page.x0 - 1 <= box.x0, box
        assert box.x1 <= page.x1 + 1, box
        assert page.y0 - 1 <= box.y0, box
        assert box.y1 <= page.y1 + 1, box
    for ax in figure.axes:
        low, high = sorted(ax.get_xlim())
        shown = [
            label.get_window_extent()
            for tick, label in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
            if low <= tick <= high and label.get_text()
        ]
        assert not any(_overlap(a, b) for i, a in enumerate(shown) for b in shown[i + 1 :])
    notes = [t for ax in figure.axes for t in ax.texts if "record_flows" in t.get_text()]
    for note in notes:
        extent = note.get_window_extent()
        for ax in figure.axes:
            assert not _overlap(extent, ax.get_window_extent())
            axis = ax.xaxis.get_tightbbox()
            assert axis is None or not _overlap(extent, axis)


def test_the_map_fits_its_page(run: RunResult, baseline: Scenario, short: Scenario) -> None:
    for figure in (network_map(run, baseline), network_map(simulate(short, seed=0), short)):
        before = [ax.get_position().bounds for ax in figure.axes]
        save_svg(figure)
        save_png(figure, dpi=60)
        # no layout engine: the page is the same whatever was drawn before
        assert [ax.get_position().bounds for ax in figure.axes] == before
        _page_checks(figure)


def test_the_schematic_map_fits_its_page(run: RunResult, baseline: Scenario) -> None:
    bare = baseline.model_copy(
        update={
            "hubs": {
                key: hub.model_copy(update={"location": None}) for key, hub in baseline.hubs.items()
            }
        }
    )
    figure = network_map(simulate(bare.with_horizon(30), seed=0), bare)
    save_png(figure, dpi=60)
    _page_checks(figure)


def test_schematic_layers_keep_the_scenario_order(baseline: Scenario) -> None:
    bare = baseline.model_copy(
        update={
            "hubs": {
                key: hub.model_copy(update={"location": None}) for key, hub in baseline.hubs.items()
            }
        }
    )
    nodes = layout(bare).nodes
    points = list(bare.collection_points)
    heights = [nodes[point].y for point in points]
    assert heights == sorted(heights, reverse=True)  # first on top, every time
