"""Checks shared by the plotting tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

UNIT = re.compile(r"\[[^\]]+\]|\([^)]+\)")


def waterfall_bars(figure: Figure) -> dict[str, Rectangle]:
    """The bars of a waterfall by key (patches with gid ``waterfall:<key>``), in order."""
    found = {}
    for patch in figure.axes[0].patches:
        gid = patch.get_gid() or ""
        if gid.startswith("waterfall:") and isinstance(patch, Rectangle):
            found[gid.removeprefix("waterfall:")] = patch
    return found


def axes_of(figure: Figure) -> Iterator[Axes]:
    """The visible Axes of a figure (not colour bars or secondary axes)."""
    for ax in figure.axes:
        if ax.get_visible() and ax.get_label() != "<colorbar>" and hasattr(ax, "patches"):
            yield ax


def titled(figure: Figure) -> bool:
    suptitle = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
    if suptitle.strip():
        return True
    return any(
        ax.get_title(loc).strip() for ax in figure.axes for loc in ("left", "center", "right")
    )


def check_labels(figure: Figure) -> None:
    """A title, labelled axes, and a unit in every axis label.

    Small multiples label only their outer panels, and axes of names
    (configurations, products, outcomes) need no unit: so every axis label shown
    must name a unit in brackets or parentheses, and there must be some.
    """
    assert titled(figure), "the figure has no title"
    labels = [
        label
        for ax in axes_of(figure)
        for label in (ax.get_xlabel(), ax.get_ylabel())
        if label.strip()
    ]
    assert labels, "no axis is labelled"
    for label in labels:
        assert UNIT.search(label), f"axis label without a unit: {label!r}"
