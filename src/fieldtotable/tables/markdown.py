"""Markdown for the terminal: a document's tables aligned and fitted, its prose wrapped.

``fieldtotable bench channels`` writes its study as markdown (``channels.md``) and
prints it with :func:`format_markdown`: the pipe tables become aligned plain-text
tables (:func:`~fieldtotable.tables.format.format_table`) that fit ``width`` columns,
split where needed into parts that repeat their label columns
(:func:`~fieldtotable.tables.format.split_columns`), so that every cell stays; the
other lines wrap at spaces. Without ``width`` (``--wide``) the markdown is printed as
it is.
"""

from __future__ import annotations

from fieldtotable.tables.format import format_table, split_columns, wrap_text

__all__ = ["format_markdown"]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(block: list[str], width: int) -> str:
    """Lay out one pipe table (header, alignment row, rows) to fit ``width``."""
    headers = _cells(block[0])
    align = "".join(
        "r" if rule.endswith(":") and not rule.startswith(":") else "l" for rule in _cells(block[1])
    )
    rows = [_cells(line) for line in block[2:]]
    rows = [row + [""] * (len(headers) - len(row)) for row in rows]
    # The label columns: those before the first right-aligned one after the first.
    keep = next((index for index in range(1, len(align)) if align[index] == "r"), 1)
    parts = split_columns(headers, rows, keep=keep, width=width, align=align)
    return "\n\n".join(
        format_table(part_headers, part_rows, align=part_align, width=width)
        for part_headers, part_rows, part_align in parts
    )


def format_markdown(text: str, *, width: int | None = None) -> str:
    """Return markdown laid out for a terminal of ``width`` columns.

    Parameters
    ----------
    text
        A markdown document whose tables are pipe tables (a header line, an
        alignment line such as ``|---:|---|``, then rows); cells hold no ``|``.
    width
        Columns to fit; ``None`` returns ``text`` unchanged.

    Returns
    -------
    str
        The document with each table aligned (right where its alignment line says
        ``---:``), headers broken and columns split into parts as needed, and each
        other line wrapped at spaces (a list item's continuation indented by two).
    """
    if width is None:
        return text
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("|") and index + 1 < len(lines) and lines[index + 1].startswith("|"):
            block = []
            while index < len(lines) and lines[index].startswith("|"):
                block.append(lines[index])
                index += 1
            out.append(_table(block, width))
            continue
        out.append(wrap_text(line, width, indent="  " if line.startswith("- ") else ""))
        index += 1
    return "\n".join(out)
