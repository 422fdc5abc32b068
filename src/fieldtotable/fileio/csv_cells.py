"""CSV text cells that no spreadsheet reads as a formula (CSV injection).

Every CSV the package writes (exports, the channel study's tables) passes its text
cells through :func:`neutralise_csv_text`; the export reader undoes it with
:func:`restore_csv_text`. Numbers are never changed.
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "neutralise_csv_text", "restore_csv_text"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP)."""


def neutralise_csv_text(text: str) -> str:
    """Return a text cell that no spreadsheet reads as a formula (CSV injection).

    A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (after any single quotes) gets a single quote ``'`` in front, as OWASP's CSV
    injection guidance says; other texts are unchanged. Quotes are counted so that
    :func:`restore_csv_text` undoes it exactly: ``'=x`` (a text that already
    looked neutralised) becomes ``''=x``.

    Parameters
    ----------
    text
        The cell's text.

    Returns
    -------
    str
        The text to write.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def restore_csv_text(text: str) -> str:
    """Undo :func:`neutralise_csv_text`: the text cell as it was before writing.

    Parameters
    ----------
    text
        The cell as read from the file.

    Returns
    -------
    str
        The original text.
    """
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text
