"""Where the network map's parts go on its own figure: explicit boxes, in inches.

The map and its detail panels keep distances true (a fixed data aspect), which
matplotlib's constrained layout handles poorly: it leaves wide empty bands around
such Axes, and with a legend outside the map its result depends on what was drawn
before (a PNG after an SVG differs). So the map's own figure has no layout engine:
:func:`map_grid` sizes every box from the text sizes of :mod:`._style`, makes each
map box exactly as wide per unit high as the view it will show, and fits the figure's
height to them. The boxes are fixed when the figure is built, so every output
(PNG at any dpi, SVG) shows the same page.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtotable.plotting import _style

__all__ = ["Box", "MapGrid", "map_grid"]

#: Width of the map's own figure, inches.
PAGE_WIDTH = 12.5
#: Blank border around everything, inches.
EDGE = 0.15
#: Left of a map: tick labels (``31.25°N``) and the axis label, inches.
Y_AXIS = 0.85
#: Under a map: tick labels and the axis label, inches.
X_AXIS = 0.55
#: Left of and under the schematic map (an axis label, no tick labels), inches.
BARE_AXIS = 0.4
#: Above a detail panel: its title ("A: Shanghai"), inches.
PANEL_TITLE = 0.32
#: Between the map's x-axis label and the detail panels' titles, inches.
ROW_GAP = 0.2
#: Least space between two detail panels (right of one, tick labels of the next), inches.
COLUMN_GAP = 0.45
#: Right of a map, for half of its last tick label ("121.8°E"), inches.
X_OVERHANG = 0.35
#: Between the map and its legend (the map's last tick label may stand there), inches.
LEGEND_GAP = X_OVERHANG
#: Above the map, for the letters that name the framed clusters, inches.
LETTER_ROOM = 0.12
#: Height of the map with its legend on the right: least and most, inches.
MAIN_HEIGHT = (2.6, 5.0)
#: Least width per unit height of the map: a north-south channel's view is widened.
MAIN_RATIO = 1.3
#: Height of the schematic (not geographic) map, inches.
SCHEMATIC_HEIGHT = 4.8
#: Most height of the detail panels, inches.
DETAIL_HEIGHT = 3.3
#: Width per unit height of a detail panel: least and most.
DETAIL_RATIO = (1.2, 2.2)
#: Line height, as a share of the font size.
LEADING = 1.3


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in inches from the figure's lower left corner."""

    left: float
    bottom: float
    width: float
    height: float

    @property
    def top(self) -> float:
        """The upper edge, inches from the bottom."""
        return self.bottom + self.height

    @property
    def right(self) -> float:
        """The right edge, inches from the left."""
        return self.left + self.width

    @property
    def ratio(self) -> float:
        """Width per unit height."""
        return self.width / self.height


@dataclass(frozen=True)
class MapGrid:
    """The page of a network map.

    Attributes
    ----------
    width, height
        The figure's size, inches.
    main
        The map (the Axes itself, without tick labels).
    details
        The detail panels, west to east.
    legend
        Where the legend's upper left corner goes, inches.
    title_top
        Where the figure title's top goes, inches from the bottom.
    note
        Where the note's upper left corner goes, inches.
    """

    width: float
    height: float
    main: Box
    details: tuple[Box, ...]
    legend: tuple[float, float]
    title_top: float
    note: tuple[float, float]

    def rect(self, box: Box) -> tuple[float, float, float, float]:
        """Return ``box`` as figure fractions (left, bottom, width, height)."""
        return (
            box.left / self.width,
            box.bottom / self.height,
            box.width / self.width,
            box.height / self.height,
        )

    def fraction(self, point: tuple[float, float]) -> tuple[float, float]:
        """Return a point (inches) as figure fractions."""
        return point[0] / self.width, point[1] / self.height


def text_height(lines: int, size: float) -> float:
    """Height of ``lines`` lines of text of ``size`` points, inches."""
    return lines * size * LEADING / 72.0 if lines > 0 else 0.0


def _main_size(ratio: float | None, across: float) -> tuple[float, float]:
    """Width and height of the map box, given the width it may take."""
    if ratio is None:  # schematic: no aspect to keep
        return across, SCHEMATIC_HEIGHT
    ratio = max(ratio, MAIN_RATIO)
    low, high = MAIN_HEIGHT
    height = min(max(across / ratio, low), high)
    return min(across, height * ratio), height


def _detail_sizes(count: int) -> tuple[float, float, float]:
    """Width and height of each detail panel, and the gap between panels (inches)."""
    across = PAGE_WIDTH - 2 * EDGE - count * Y_AXIS - (count - 1) * COLUMN_GAP - X_OVERHANG
    widest = across / count
    low, high = DETAIL_RATIO
    height = min(DETAIL_HEIGHT, widest / low)
    width = min(widest, height * high)
    gap = COLUMN_GAP + (across - count * width) / (count - 1) if count > 1 else 0.0
    return width, height, gap


def map_grid(
    *,
    ratio: float | None,
    details: int,
    legend: tuple[float, float],
    title_lines: int,
    note_lines: int,
) -> MapGrid:
    """Lay out the map, its legend, its detail panels, title and note.

    Parameters
    ----------
    ratio
        Width per unit height of the whole network's view (distance-true), or
        ``None`` for a schematic map (no aspect to keep).
    details
        How many detail panels go under the map.
    legend
        The legend's width and height, inches.
    title_lines
        Lines of the figure title with its subtitle.
    note_lines
        Lines of the note under everything (0: none).

    Returns
    -------
    MapGrid
        The boxes; map boxes are exactly as wide per unit high as the views to
        show in them (for the map: ``ratio`` unless the page forces otherwise).
    """
    legend_w, legend_h = legend
    y_axis, x_axis = (Y_AXIS, X_AXIS) if ratio is not None else (BARE_AXIS, BARE_AXIS)
    across = PAGE_WIDTH - 2 * EDGE - y_axis - LEGEND_GAP - legend_w
    main_w, main_h = _main_size(ratio, across)
    title = text_height(title_lines, _style.TITLE_SIZE) + 0.05
    # depths below the top edge of the page
    main_top = EDGE + title + LETTER_ROOM
    depth = main_top + max(main_h + x_axis, legend_h)
    boxes: list[tuple[float, float, float, float]] = []  # left, top depth, width, height
    if details:
        width, height, gap = _detail_sizes(details)
        top = depth + ROW_GAP + PANEL_TITLE
        for index in range(details):
            left = EDGE + Y_AXIS + index * (Y_AXIS + width + gap)
            boxes.append((left, top, width, height))
        depth = top + height + X_AXIS
    note_depth = depth + 0.05
    if note_lines:
        depth = note_depth + text_height(note_lines, _style.NOTE_SIZE)
    page = depth + EDGE
    main = Box(EDGE + y_axis, page - main_top - main_h, main_w, main_h)
    return MapGrid(
        width=PAGE_WIDTH,
        height=page,
        main=main,
        details=tuple(Box(left, page - top - h, w, h) for left, top, w, h in boxes),
        legend=(main.right + LEGEND_GAP, main.top),
        title_top=page - EDGE,
        note=(main.left, page - note_depth),
    )
