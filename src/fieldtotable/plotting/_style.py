"""Shared look of the figures: colours, fonts (with CJK detection), labels, formatters.

Nothing here changes matplotlib's global state (``rcParams``): fonts, sizes and
colours are set on each artist, so figures can be built in several threads at once
and a user's own style settings are left alone.
"""

from __future__ import annotations

import functools
import math
import os
import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.text import Annotation, Text

from fieldtotable.plotting._ticks import NumberFormatter
from fieldtotable.tables.format import no_negative_zero

if TYPE_CHECKING:
    from fieldtotable.scenario.schema import Scenario

#: Environment variable that, set to a non-empty value, makes the figures behave as
#: if no CJK-capable font were installed (CJK characters dropped from labels).
NO_CJK_ENV = "FIELDTOTABLE_PLOT_NO_CJK"

#: Font families tried first when looking for a font with Chinese characters.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)

# CJK ideographs, radicals, punctuation, kana, hangul, compatibility and full-width forms.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3200-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)

#: Okabe-Ito colours (readable by colour-blind readers), by role.
COLOURS = {
    "harvested": "#0072B2",
    "rejected": "#999999",
    "refused": "#882255",
    "damaged": "#332288",
    "collection": "#E69F00",
    "transit": "#D55E00",
    "hub": "#A6361C",
    "market": "#CC79A7",
    "sold": "#009E73",
    "in_system": "#56B4E9",
    "arrived": "#E69F00",
    "spoiled": "#D55E00",
    "demand": "#555555",
    "grid": "#DDDDDD",
    "text": "#222222",
    "muted": "#666666",
}

#: Colours of transport modes on the network map.
MODE_COLOURS = {
    "reefer_truck": "#0072B2",
    "rail_reefer": "#009E73",
    "air": "#D55E00",
    "van": "#CC79A7",
}

#: A qualitative cycle for lines (configurations, nodes, sweep lines).
CYCLE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#999933",
    "#882255",
    "#444444",
    "#44AA99",
)

#: Stages of spoilage, in the order goods pass them.
STAGE_LABELS = {
    "collection": "collection",
    "transit": "transit",
    "hub": "hub",
    "market": "market",
}

TITLE_SIZE = 13.0
SUBTITLE_SIZE = 9.5
LABEL_SIZE = 10.0
TICK_SIZE = 9.0
NOTE_SIZE = 8.5


@functools.cache
def _installed_cjk_font() -> str | None:
    """Return the family name of an installed font with Chinese characters, if any."""
    from matplotlib import font_manager  # noqa: PLC0415
    from matplotlib.ft2font import FT2Font  # noqa: PLC0415

    by_name: dict[str, str] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    candidates = [name for name in CJK_FAMILIES if name in by_name]
    candidates += sorted(
        name
        for name in by_name
        if name not in candidates
        and re.search(r"CJK|Han Sans|Hei|Ming|Song|Kai|Gothic", name, re.IGNORECASE)
    )
    probe = ord("松")
    for name in candidates:
        try:
            if probe in FT2Font(by_name[name]).get_charmap():
                return name
        except (OSError, RuntimeError, ValueError):  # unreadable font file
            continue
    return None


def cjk_font() -> str | None:
    """Return the family of a font that can draw Chinese characters, or ``None``.

    ``None`` also when the environment variable :data:`NO_CJK_ENV` is set (to test or
    to force ASCII labels).
    """
    if os.environ.get(NO_CJK_ENV):
        return None
    return _installed_cjk_font()


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK character."""
    return _CJK.search(text) is not None


def display_text(text: str) -> str:
    """Return ``text`` as it can be drawn: unchanged, or without its CJK words.

    Without a CJK-capable font every whitespace-separated word holding a CJK
    character is dropped (``"松茸 matsutake"`` becomes ``"matsutake"``), then any
    remaining CJK character; an empty result falls back to ``"?"``.
    """
    if not has_cjk(text) or cjk_font() is not None:
        return text
    words = [word for word in text.split() if not has_cjk(word)]
    cleaned = _CJK.sub("", " ".join(words)).strip(" /,;:-·")
    return cleaned or "?"


def product_label(product_id: str, scenario: Scenario | None) -> str:
    """Return a product's display name, readable with the fonts installed.

    Parameters
    ----------
    product_id
        The product's id.
    scenario
        The scenario holding the product's ``display_name``; ``None`` gives the id.

    Returns
    -------
    str
        The ``display_name`` (the id when there is none); without a CJK-capable
        font, its Chinese part is dropped (the id when nothing is left).
    """
    product = None if scenario is None else scenario.products.get(product_id)
    name = product.display_name if product is not None and product.display_name else product_id
    shown = display_text(name)
    return product_id if shown == "?" else shown


def node_label(node_id: str) -> str:
    """Return a node id in words: ``shanghai_dc`` -> ``shanghai dc``."""
    return display_text(node_id.replace("_", " "))


def region_label(region: str) -> str:
    """Return a region id as a place name: ``shangri_la`` -> ``Shangri-La``."""
    return display_text("-".join(part.capitalize() for part in region.split("_")))


def apply_fonts(figure: Figure) -> None:
    """Make every text of ``figure`` that holds CJK characters drawable.

    With a CJK-capable font, such texts get it as a fallback family; without one,
    their CJK words are dropped (:func:`display_text`), so that no glyph is missing.
    """
    family = cjk_font()
    for artist in figure.findobj(Text):
        if not isinstance(artist, Text) or not has_cjk(artist.get_text()):
            continue
        if family is None:
            artist.set_text(display_text(artist.get_text()))
        else:
            artist.set_fontfamily(["sans-serif", family])


def root_figure(ax: Axes) -> Figure:
    """Return the top-level figure an Axes belongs to."""
    figure: Any = ax.figure
    while isinstance(figure, SubFigure):
        figure = figure.figure
    if not isinstance(figure, Figure):  # pragma: no cover - an Axes always has one
        raise TypeError("the Axes belongs to no Figure")
    return figure


def new_figure(width: float, height: float) -> Figure:
    """Return a new figure with constrained layout (no pyplot, no global state)."""
    return Figure(figsize=(width, height), layout="constrained", facecolor="white")


def single_axes(ax: Axes | None, width: float, height: float) -> tuple[Figure, Axes]:
    """Return ``ax`` and its figure, or a new figure with one Axes."""
    if ax is not None:
        return root_figure(ax), ax
    figure = new_figure(width, height)
    return figure, figure.add_subplot()


def style_axes(ax: Axes, *, grid: str = "y") -> None:
    """Light grid, no top and right spines, readable ticks."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=TICK_SIZE, color=COLOURS["muted"])
    if grid:
        ax.grid(True, axis=grid, color=COLOURS["grid"], linewidth=0.7)  # type: ignore[arg-type]
        ax.set_axisbelow(True)


def set_title(ax: Axes, title: str, subtitle: str = "", *, wrap: int = 100) -> None:
    """Set a bold title, with optional smaller grey lines (wrapped at ``wrap``) under it."""
    lines = textwrap.wrap(display_text(subtitle), wrap) if subtitle else []
    pad = 6 + SUBTITLE_SIZE * 1.25 * len(lines) + (2 if lines else 0)
    ax.set_title(display_text(title), fontsize=TITLE_SIZE, fontweight="bold", loc="left", pad=pad)
    if lines:
        ax.annotate(
            "\n".join(lines),
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 5),
            textcoords="offset points",
            fontsize=SUBTITLE_SIZE,
            color=COLOURS["muted"],
            va="bottom",
            ha="left",
        )


def set_figure_title(
    figure: Figure, title: str, subtitle: str = "", *, y: float | None = None
) -> None:
    """Set the title of a figure of several panels, with an optional grey second line.

    The suptitle holds the title and one empty line per line of the subtitle (so
    that the layout keeps room for it); the subtitle is drawn on those lines. ``y``
    is where the title's top goes (figure fraction; matplotlib's default if omitted).
    """
    lines = subtitle.count("\n") + 1 if subtitle else 0
    where: dict[str, Any] = {} if y is None else {"y": y, "va": "top"}
    heading = figure.suptitle(
        display_text(title) + "\n" * lines,
        fontsize=TITLE_SIZE,
        fontweight="bold",
        x=0.01,
        ha="left",
        **where,
    )
    if subtitle:
        figure.add_artist(
            Annotation(
                display_text(subtitle),
                xy=(0, lines / (lines + 1)),
                xycoords=heading,
                xytext=(0, -1),
                textcoords="offset points",
                fontsize=SUBTITLE_SIZE,
                color=COLOURS["muted"],
                ha="left",
                va="top",
            )
        )


def kg_text(kg: float, reference: float | None = None) -> str:
    """Write a mass in words: ``850 kg``, ``12.3 t``, ``1,230 t``.

    Parameters
    ----------
    kg
        The mass.
    reference
        The largest mass shown alongside: when given, its unit (kg below 10 t,
        tonnes from 10 t) is used for ``kg`` too, so that labels side by side share
        one unit.
    """
    if not math.isfinite(kg):
        return "n/a"
    scale = abs(kg) if reference is None else abs(reference)
    if scale < 1e4:
        return f"{no_negative_zero(kg, 0):,.0f} kg"
    tonnes = no_negative_zero(kg / 1e3, 2)
    if tonnes == 0:
        return "0 t"
    if abs(tonnes) >= 1000:
        return f"{tonnes:,.0f} t"
    if 0 < abs(tonnes) < 1:
        return f"{tonnes:.2f} t"
    return f"{tonnes:,.1f} t"


def compact_formatter() -> NumberFormatter:
    """Tick formatter: 950, 12k, 1.5M, with the decimals that keep adjacent labels apart."""
    return NumberFormatter()


def percent_formatter() -> NumberFormatter:
    """Tick formatter for fractions shown as percent: 0.045 -> ``4.5%``."""
    return NumberFormatter(percent=True)


def legend(ax: Axes, handles: Sequence[Any] | None = None, **kwargs: Any) -> None:
    """Draw a light legend (no frame shadow, small text)."""
    options: dict[str, Any] = {"fontsize": NOTE_SIZE + 0.5, "frameon": False}
    options.update(kwargs)
    if handles is None:
        ax.legend(**options)
    else:
        ax.legend(handles=list(handles), **options)


def note(ax: Axes, text: str, *, y: float = -0.14) -> None:
    """Write a small grey note under an Axes."""
    ax.text(
        0,
        y,
        display_text(text),
        transform=ax.transAxes,
        fontsize=NOTE_SIZE,
        color=COLOURS["muted"],
        ha="left",
        va="top",
    )


def note_under_axis(ax: Axes, text: str) -> None:
    """Write a small grey note under an Axes' x-axis (tick labels and label), left-aligned.

    The note follows the axis wherever a layout engine puts it, so it never covers
    the axis label.
    """

    def under_axis(renderer: Any) -> Any:
        return ax.xaxis.get_tightbbox(renderer) or ax.get_window_extent(renderer)

    ax.annotate(
        display_text(text),
        xy=(0, 0),
        xycoords=("axes fraction", under_axis),
        xytext=(0, -4),
        textcoords="offset points",
        fontsize=NOTE_SIZE,
        color=COLOURS["muted"],
        ha="left",
        va="top",
    )


def cycle(index: int) -> str:
    """Return the ``index``-th colour of :data:`CYCLE` (wrapping around)."""
    return CYCLE[index % len(CYCLE)]


def unique(values: Iterable[Any]) -> list[Any]:
    """Return the distinct values, in order of first appearance."""
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
