"""Figures as bytes or text, for reports and files (no pyplot, no global state).

Each helper returns the file's content and, given a path, also writes it there::

    png = save_png(figure)                 # bytes
    save_png(figure, "waterfall.png")      # the same bytes, written to the file
    save_svg(figure, "waterfall.svg")
    save_pdf(figure, "waterfall.pdf")

A file is written whole or not at all: to a temporary file in the same folder, then
renamed over the path.
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path

from matplotlib.figure import Figure

__all__ = ["save_pdf", "save_png", "save_svg"]

#: Resolution of :func:`save_png`, dots per inch.
PNG_DPI = 150

PathLike = str | os.PathLike[str]
"""A file path, as text or a path object."""


def _write(path: PathLike, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically (a temporary file renamed over it).

    The temporary file is created with mode 0o666 less the umask, as ``open`` would.
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def save_png(fig: Figure, path: PathLike | None = None, *, dpi: float = PNG_DPI) -> bytes:
    """Return the figure as PNG bytes, and write them to ``path`` when given.

    Parameters
    ----------
    fig
        A figure from this package (or any matplotlib figure).
    path
        A file to write the PNG to (replaced if it exists); nothing is written
        when omitted.
    dpi
        Resolution, dots per inch.

    Returns
    -------
    bytes
        The PNG file's content (no time stamp or software name in it).

    Raises
    ------
    OSError
        If ``path`` cannot be written (its folder is missing, ...).
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    content = buffer.getvalue()
    if path is not None:
        _write(path, content)
    return content


def save_svg(fig: Figure, path: PathLike | None = None) -> str:
    """Return the figure as SVG text, self-contained (no date stamp); write it to ``path``.

    With matplotlib's default ``svg.fonttype`` (``path``) text is drawn as paths, so
    the SVG shows the same glyphs (Chinese included) wherever it is opened.

    Parameters
    ----------
    fig
        A figure from this package (or any matplotlib figure).
    path
        A file to write the SVG to, UTF-8 (replaced if it exists); nothing is
        written when omitted.

    Returns
    -------
    str
        The SVG document.

    Raises
    ------
    OSError
        If ``path`` cannot be written.
    """
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    content = buffer.getvalue()
    if path is not None:
        _write(path, content.encode("utf-8"))
    return content


def save_pdf(fig: Figure, path: PathLike | None = None) -> bytes:
    """Return the figure as PDF bytes (no creation date); write them to ``path``.

    Parameters
    ----------
    fig
        A figure from this package (or any matplotlib figure).
    path
        A file to write the PDF to (replaced if it exists); nothing is written
        when omitted.

    Returns
    -------
    bytes
        The PDF file's content.

    Raises
    ------
    OSError
        If ``path`` cannot be written.
    """
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="pdf",
        facecolor="white",
        metadata={"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    )
    content = buffer.getvalue()
    if path is not None:
        _write(path, content)
    return content
