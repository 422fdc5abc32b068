"""Numbers, units and aligned columns as plain text (the command line's tables).

Shared by the run tables (:mod:`fieldtotable.tables.run`), the experiment tables and the HTML
reports, so that a number reads the same everywhere: rates as percentages, kilograms
with one decimal, yuan whole, undefined values as ``n/a``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from fieldtotable.results.paths import kpi_unit

__all__ = [
    "MISSING",
    "TERMINAL_WIDTH",
    "display_unit",
    "format_change",
    "format_number",
    "format_table",
    "no_negative_zero",
    "share",
    "split_columns",
    "text_width",
    "widest",
    "wrap_text",
]

MISSING = "n/a"
"""Shown for a value that is undefined (NaN, e.g. a rate over zero kg) or absent."""

_INDENT = "  "
_GAP = "  "

TERMINAL_WIDTH = 100
"""Columns the command line's tables fit by default (``--wide`` lifts the limit)."""

#: Narrowest a wrapped text column becomes.
_MIN_WRAP = 12
#: Most lines a header is broken into.
_MAX_HEADER_LINES = 3


def _is_rate(key: str, unit: str) -> bool:
    """Tell whether a dimensionless KPI is a rate, shown as a percentage."""
    return unit == "fraction" or (unit == "1" and key in {"load_factor", "utilisation"})


def display_unit(key: str, unit: str | None = None) -> str:
    """Return the unit shown for a KPI.

    Parameters
    ----------
    key
        The KPI key, e.g. ``"fill_rate"``.
    unit
        Its unit as in the result-field registry; looked up there when ``None``.

    Returns
    -------
    str
        ``"%"`` for rates (dimensionless keys ending in ``_rate``, and
        ``load_factor`` and ``utilisation``), ``"count"`` for
        other dimensionless numbers, else the unit itself (``"kg"``, ``"CNY/kg"``,
        ...); ``""`` for a key with no known unit.
    """
    if unit is None:
        unit = kpi_unit(key)
    if unit in {"1", "fraction"}:
        return "%" if _is_rate(key, unit) else "count"
    return unit


def share(part: float | None, whole: float | None) -> float:
    """Return ``part / whole`` for a table's percentage column (NaN over nothing).

    Parameters
    ----------
    part, whole
        The two numbers; ``None`` when absent.

    Returns
    -------
    float
        The ratio, or NaN when either is absent or ``whole`` is not positive.
    """
    if part is None or whole is None or not whole > 0:
        return math.nan
    return part / whole


def format_number(value: float | None, unit: str) -> str:
    """Format one number for a table, according to its display unit.

    Parameters
    ----------
    value
        The number; ``None`` or NaN gives :data:`MISSING`.
    unit
        A display unit (see :func:`display_unit`): ``"%"`` expects a fraction
        (0.125 -> ``12.5%``); ``"kg"``, ``"kg/d"``, ``"h"`` and ``"d"`` get one
        decimal; ``"CNY"`` and ``"count"`` none; ``"CNY/kg"`` two. Every unit gets
        thousands separators.

    Returns
    -------
    str
        The formatted number, without its unit (but with ``%`` for percentages).
    """
    if value is None or math.isnan(value):
        return MISSING
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if unit == "%":
        return f"{no_negative_zero(value * 100, 1):,.1f}%"
    decimals = _DECIMALS.get(unit)
    if decimals is not None:
        return f"{no_negative_zero(value, decimals):,.{decimals}f}"
    if value != 0 and (abs(value) >= 1e9 or abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{no_negative_zero(value, 3):,.3f}"


def format_change(fraction: float | None, *, decimals: int = 1, space: str = "") -> str:
    """Format a relative change as a signed percentage that never reads ``+0.0%`` or ``-0.0%``.

    Parameters
    ----------
    fraction
        The change as a fraction of its reference (0.125 -> ``+12.5%``); ``None`` or
        NaN gives :data:`MISSING`.
    decimals
        Decimals of the percentage.
    space
        Put between the number and ``%`` (``" "`` for ``+12.5 %``).

    Returns
    -------
    str
        ``+12.5%``, ``-3.0%``, or ``0.0%`` (no sign) for a change that rounds to 0.
    """
    if fraction is None or math.isnan(fraction):
        return MISSING
    if math.isinf(fraction):
        return f"{'+' if fraction > 0 else '-'}inf{space}%"
    percent = no_negative_zero(fraction * 100, decimals)
    sign = "+" if round(percent, decimals) > 0 else ""
    return f"{sign}{percent:,.{decimals}f}{space}%"


_DECIMALS = {"kg": 1, "kg/d": 1, "h": 1, "d": 1, "CNY": 0, "count": 0, "CNY/kg": 2}


def no_negative_zero(value: float, decimals: int) -> float:
    """Return ``value``, or ``0.0`` if it would print as ``-0.0`` (or ``+0.0``) at ``decimals``.

    Parameters
    ----------
    value
        The number about to be printed.
    decimals
        Decimals it is printed with.

    Returns
    -------
    float
        ``value`` unchanged, or ``0.0`` when it rounds to zero.
    """
    return 0.0 if round(value, decimals) == 0 else value


def format_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: str | None = None,
    width: int | None = None,
    wrap: Sequence[int] = (),
) -> str:
    """Lay out cells as an aligned plain-text table.

    Parameters
    ----------
    headers
        One header per column; a header may hold several lines, separated by
        newline characters and bottom-aligned, e.g. to put the unit under the name.
    rows
        Rows of already formatted cells, each as long as ``headers``.
    align
        One letter per column, ``"l"`` (left, for labels) or ``"r"`` (right, for
        numbers); by default the first column is left-aligned and the others right.
    width
        Columns the table should fit (``None``: no limit). Headers wider than their
        column's cells are first broken at spaces, or after the ``_`` and ``.`` of a
        key or field path (into at most three lines), then
        the cells of the ``wrap`` columns are wrapped onto more lines (down to 12
        columns); a table that still does not fit is laid out as narrow as it goes.
    wrap
        Indexes of text columns whose cells may be wrapped to fit ``width``.

    Returns
    -------
    str
        The header lines, a rule of dashes and one line per row (more for wrapped
        cells), each indented by two spaces and without trailing spaces, and no
        trailing newline (columns are aligned by :func:`text_width`, so Chinese
        names line up); only ``"  (none)"`` when there are no rows.

    Raises
    ------
    ValueError
        If a row or ``align`` has a different number of cells than ``headers``, or
        ``align`` holds a letter other than ``l`` and ``r``.
    """
    columns = len(headers)
    if align is None:
        align = "l" + "r" * (columns - 1)
    if len(align) != columns or set(align) - {"l", "r"}:
        raise ValueError(f"align must be {columns} letters l or r, got {align!r}")
    for row in rows:
        if len(row) != columns:
            raise ValueError(f"row has {len(row)} cells for {columns} headers: {row!r}")
    if not rows:
        return f"{_INDENT}(none)"
    header_lines = [header.split("\n") for header in headers]
    cells = [[cell.split("\n") for cell in row] for row in rows]
    if width is not None:
        header_lines, cells = _fit(header_lines, cells, width, wrap)
    height = max(len(lines) for lines in header_lines)
    header_rows = [
        [
            lines[level - (height - len(lines))] if level >= height - len(lines) else ""
            for lines in header_lines
        ]
        for level in range(height)
    ]
    widths = _widths(header_lines, cells)

    def line(parts: Sequence[str]) -> str:
        padded = [
            _pad(cell, size, side) for cell, size, side in zip(parts, widths, align, strict=True)
        ]
        return (_INDENT + _GAP.join(padded)).rstrip()

    body = [
        line([lines[level] if level < len(lines) else "" for lines in row_cells])
        for row_cells in cells
        for level in range(max(len(lines) for lines in row_cells))
    ]
    rule = _INDENT + _GAP.join("-" * size for size in widths)
    return "\n".join([*(line(parts) for parts in header_rows), rule, *body])


def _widths(
    headers: Sequence[Sequence[str]], cells: Sequence[Sequence[Sequence[str]]]
) -> list[int]:
    return [
        max(
            text_width(text)
            for text in (*headers[column], *(line for row in cells for line in row[column]))
        )
        for column in range(len(headers))
    ]


def _table_width(widths: Sequence[int]) -> int:
    return len(_INDENT) + sum(widths) + len(_GAP) * (len(widths) - 1)


#: A piece of a key or field path: up to and including its next ``_`` or ``.``.
_KEY_PIECE = re.compile(r"[^_.]*[_.]|[^_.]+")


def _pieces(line: str, keys: bool) -> list[tuple[str, str]]:
    """Split a line into (glue, piece): words, and with ``keys`` the pieces of each word.

    ``glue`` is what joins the piece to the one before it on the same line: a space
    between words, nothing inside a key (``sold_`` + ``kg``).
    """
    out: list[tuple[str, str]] = []
    for word in line.split():
        parts = _KEY_PIECE.findall(word) if keys else [word]
        out += [(" " if index == 0 else "", part) for index, part in enumerate(parts)]
    return out


def _wrapped(lines: Sequence[str], size: int, *, keys: bool = False) -> list[str]:
    """Break each line at spaces into lines of at most ``size`` columns (:func:`text_width`).

    With ``keys``, a word also breaks after its ``_`` and ``.`` (a KPI key or a field
    path in a header). A word (or piece) wider than ``size`` stays whole on a line of
    its own.
    """
    out: list[str] = []
    for line in lines:
        current = ""
        for glue, piece in _pieces(line, keys):
            joined = f"{current}{glue}{piece}" if current else piece
            if current and text_width(joined) > size:
                out.append(current)
                current = piece
            else:
                current = joined
        out.append(current)
    return out


def _fit(
    headers: list[list[str]], cells: list[list[list[str]]], width: int, wrap: Sequence[int]
) -> tuple[list[list[str]], list[list[list[str]]]]:
    """Break headers, then wrap the ``wrap`` columns' cells, until the table fits ``width``."""
    widths = _widths(headers, cells)
    excess = _table_width(widths) - width
    if excess <= 0:
        return headers, cells
    # Headers wider than their cells: break them at spaces (at most three lines each),
    # the widest saving first.
    savings = []
    for column, lines in enumerate(headers):
        data = max((text_width(t) for row in cells for t in row[column]), default=0)
        words = max(
            (text_width(p) for line in lines for _, p in _pieces(line, keys=True)), default=0
        )
        narrow = max(data, words)
        if narrow < widths[column]:
            savings.append((widths[column] - narrow, column, narrow))
    for _, column, narrow in sorted(savings, reverse=True):
        if excess <= 0:
            break
        target = max(narrow, widths[column] - excess)
        while len(_wrapped(headers[column], target, keys=True)) > _MAX_HEADER_LINES:
            target += 1
        headers[column] = _wrapped(headers[column], target, keys=True)
        new = _widths(headers, cells)[column]
        excess -= widths[column] - new
        widths[column] = new
    # Then the text columns that may wrap (meanings, names), the widest first.
    for column in sorted(wrap, key=lambda c: -widths[c]):
        if excess <= 0:
            break
        target = max(_MIN_WRAP, widths[column] - excess)
        for row in cells:
            row[column] = _wrapped(row[column], target)
        headers[column] = _wrapped(headers[column], target)
        new = _widths(headers, cells)[column]
        excess -= widths[column] - new
        widths[column] = new
    return headers, cells


def split_columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    keep: int,
    width: int | None,
    align: str | None = None,
) -> list[tuple[list[str], list[list[str]], str]]:
    """Split a table too wide for ``width`` into tables that each repeat its first columns.

    Every cell stays: the columns after the first ``keep`` are dealt, in order, to as
    few tables as fit ``width`` (each table at least one of them), and each table
    repeats the ``keep`` label columns, so that a row reads across every part.

    Parameters
    ----------
    headers
        One header per column.
    rows
        Rows of formatted cells.
    keep
        How many leading columns label a row (repeated in every part).
    width
        Columns each part should fit (headers broken as :func:`format_table` breaks
        them); ``None``: one part, the whole table.
    align
        As for :func:`format_table` (default: first column left, the others right).

    Returns
    -------
    list of (headers, rows, align)
        The parts, ready for :func:`format_table`; the whole table alone when it fits.
    """
    columns = len(headers)
    if align is None:
        align = "l" + "r" * (columns - 1)
    whole = (list(headers), [list(row) for row in rows], align)
    if width is None or columns <= keep + 1:
        return [whole]
    if widest(format_table(headers, rows, align=align, width=width)) <= width:
        return [whole]

    def part(chosen: Sequence[int]) -> tuple[list[str], list[list[str]], str]:
        picked = [*range(keep), *chosen]
        return (
            [headers[i] for i in picked],
            [[row[i] for i in picked] for row in rows],
            "".join(align[i] for i in picked),
        )

    parts: list[tuple[list[str], list[list[str]], str]] = []
    current: list[int] = []
    for column in range(keep, columns):
        trial = part([*current, column])
        if current and widest(format_table(*trial[:2], align=trial[2], width=width)) > width:
            parts.append(part(current))
            current = [column]
        else:
            current.append(column)
    parts.append(part(current))
    return parts


def wrap_text(text: str, width: int | None, *, indent: str = "  ") -> str:
    """Break a line of prose at spaces to fit ``width`` columns (:func:`text_width`).

    Parameters
    ----------
    text
        One line; its own leading spaces are kept on the first line.
    width
        Columns to fit; ``None`` leaves the line as it is.
    indent
        Put before every continuation line.

    Returns
    -------
    str
        The line, or its lines joined by newlines (a word wider than ``width`` stays
        whole).
    """
    if width is None or text_width(text) <= width:
        return text
    lead = text[: len(text) - len(text.lstrip(" "))]
    lines: list[str] = []
    current = lead
    for word in text.split():
        joined = f"{current} {word}" if current.strip() else current + word
        if current.strip() and text_width(joined) > width:
            lines.append(current)
            current = indent + word
        else:
            current = joined
    lines.append(current)
    return "\n".join(lines)


def widest(text: str) -> int:
    """Return the columns the widest line of ``text`` takes (:func:`text_width`).

    Parameters
    ----------
    text
        Any text, of one or more lines.

    Returns
    -------
    int
        The widest line's terminal columns; 0 for empty text.
    """
    return max((text_width(line) for line in text.splitlines()), default=0)


def text_width(text: str) -> int:
    """Return the columns ``text`` takes on a terminal.

    Parameters
    ----------
    text
        One line of text.

    Returns
    -------
    int
        Wide and full-width characters (Chinese, e.g. ``松茸``) count two columns,
        combining marks none, every other character one.
    """
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
    return width


def _pad(text: str, width: int, side: str) -> str:
    fill = " " * max(width - text_width(text), 0)
    return text + fill if side == "l" else fill + text
