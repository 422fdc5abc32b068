"""Figures as bytes or text, for reports and files (no pyplot, no global state)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["save_png", "save_svg"]

#: Resolution of :func:`save_png`, dots per inch.
PNG_DPI = 150


def save_png(fig: Figure, *, dpi: float = PNG_DPI) -> bytes:
    """Return the figure as PNG bytes.

    Parameters
    ----------
    fig
        A figure from this package (or any matplotlib figure).
    dpi
        Resolution, dots per inch.

    Returns
    -------
    bytes
        The PNG file's content.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def save_svg(fig: Figure) -> str:
    """Return the figure as SVG text, self-contained (no date stamp).

    With matplotlib's default ``svg.fonttype`` (``path``) text is drawn as paths, so
    the SVG shows the same glyphs (Chinese included) wherever it is opened.

    Parameters
    ----------
    fig
        A figure from this package (or any matplotlib figure).

    Returns
    -------
    str
        The SVG document.
    """
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    return buffer.getvalue()
