"""One-line listings of the command line: the scenario library and a scenario's summary.

Presentation only, as the other tables: ``fieldtotable scenarios`` prints
:func:`format_library`, ``fieldtotable validate`` prints :func:`format_summary`.
With ``width`` (the command line passes
:data:`~fieldtotable.tables.format.TERMINAL_WIDTH` unless ``--wide``) a line too
long wraps: a description under itself, a summary's counts onto a second line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldtotable.tables.format import text_width, wrap_text

if TYPE_CHECKING:
    from fieldtotable.scenario.schema import Scenario

__all__ = ["format_library", "format_summary"]

_GAP = "  "


def format_library(descriptions: dict[str, str], *, width: int | None = None) -> str:
    """Return the library as two aligned columns, name and description.

    Parameters
    ----------
    descriptions
        Name -> one-line description.
    width
        Columns to fit (``None``: no limit); a longer description wraps at spaces,
        its continuation lines aligned under it.

    Returns
    -------
    str
        One line per scenario (more where a description wraps; no trailing newline);
        empty when there are none.
    """
    column = max((text_width(name) for name in descriptions), default=0)
    hang = " " * (column + len(_GAP))
    lines = []
    room = None if width is None else max(width - len(hang), 1)
    for name, text in descriptions.items():
        first, *more = wrap_text(text, room, indent="").split("\n")
        lines.append(f"{name}{' ' * (column - text_width(name))}{_GAP}{first}".rstrip())
        lines += [f"{hang}{line}" for line in more]
    return "\n".join(lines)


def format_summary(scenario: Scenario, *, width: int | None = None) -> str:
    """Return the line ``validate`` prints for a valid scenario.

    Parameters
    ----------
    scenario
        The checked scenario.
    width
        Columns to fit (``None``: no limit); a line too long puts the counts on a
        second, indented line.

    Returns
    -------
    str
        ``OK: NAME (N products, N sources, N legs, N markets)``.
    """
    name = f"OK: {scenario.name}"
    counts = (
        f"({len(scenario.products)} products, {len(scenario.sources)} sources, "
        f"{len(scenario.legs)} legs, {len(scenario.markets)} markets)"
    )
    line = f"{name} {counts}"
    if width is None or text_width(line) <= width:
        return line
    return f"{wrap_text(name, width, indent='    ')}\n    {counts}"
