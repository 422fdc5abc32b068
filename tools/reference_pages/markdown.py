"""Small Markdown helpers shared by the generated reference pages.

The pages quote the package's docstrings and definition constants; these helpers
turn reStructuredText-ish docstring text into one line of Markdown, read the
``Attributes`` section of a numpy-style class docstring, and write tables.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Sequence
from dataclasses import fields, is_dataclass

__all__ = [
    "attribute_docs",
    "dataclass_rows",
    "inline",
    "summary_paragraphs",
    "table",
    "wrap",
]

_SECTION_RULE = re.compile(r"^\s*-{3,}\s*$")


def inline(text: str) -> str:
    """Return docstring text as one line of Markdown.

    Parameters
    ----------
    text
        Text with reStructuredText roles (``:func:`~a.b```) and double backticks.

    Returns
    -------
    str
        The text on one line, roles and double backticks turned into Markdown code.
    """
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", text)
    text = text.replace("``", "`")
    return " ".join(text.split())


def _cell(text: str) -> str:
    """Escape a table cell (a ``|`` would end it)."""
    return text.replace("|", "\\|")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Return the lines of a Markdown table.

    Parameters
    ----------
    header
        Column titles.
    rows
        The cells of each row, already Markdown.

    Returns
    -------
    list of str
        The header line, the rule and one line per row.
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def wrap(text: str) -> str:
    """Wrap one paragraph of Markdown prose at 88 columns (never inside a word).

    Parameters
    ----------
    text
        The paragraph.

    Returns
    -------
    str
        The wrapped paragraph.
    """
    return textwrap.fill(text, width=88, break_long_words=False, break_on_hyphens=False)


def _sections(docstring: str) -> dict[str, list[str]]:
    """Split a numpy-style docstring into its sections (``""`` is the text before them)."""
    lines = inspect.cleandoc(docstring).splitlines()
    sections: dict[str, list[str]] = {"": []}
    current = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and not line.startswith(" ") and _SECTION_RULE.match(following):
            current = line.strip()
            sections[current] = []
            index += 2
            continue
        sections[current].append(line)
        index += 1
    return sections


def summary_paragraphs(obj: object) -> list[str]:
    """Return the paragraphs of an object's docstring before its first section.

    Parameters
    ----------
    obj
        A documented class, function or module.

    Returns
    -------
    list of str
        Each paragraph as one line of Markdown.
    """
    text = "\n".join(_sections(inspect.getdoc(obj) or "")[""])
    return [inline(paragraph) for paragraph in text.split("\n\n") if paragraph.strip()]


def attribute_docs(cls: type) -> dict[str, str]:
    """Return the ``Attributes`` section of a class docstring, one entry per name.

    Parameters
    ----------
    cls
        A class with a numpy-style docstring. An entry may name several attributes
        (``low, high``); each of them gets the entry's text.

    Returns
    -------
    dict of str to str
        Attribute name to its description as one line of Markdown.
    """
    lines = _sections(inspect.getdoc(cls) or "").get("Attributes", [])
    entries: dict[str, list[str]] = {}
    names: list[str] = []
    for line in lines:
        if line and not line.startswith(" "):
            names = [name.strip() for name in line.split(":")[0].split(",")]
            for name in names:
                entries[name] = []
        elif names:
            for name in names:
                entries[name].append(line)
    return {name: inline("\n".join(text)) for name, text in entries.items()}


def dataclass_rows(cls: type) -> list[list[str]]:
    """Return one table row per field of a dataclass: name, type, meaning.

    Parameters
    ----------
    cls
        A dataclass whose docstring documents every field under ``Attributes``.

    Returns
    -------
    list of list of str
        ``[name, type, meaning]`` per field, in declaration order.

    Raises
    ------
    RuntimeError
        If ``cls`` is not a dataclass or a field is not documented.
    """
    if not is_dataclass(cls):
        raise RuntimeError(f"reference: {cls.__name__} is not a dataclass")
    documented = attribute_docs(cls)
    rows = []
    for field in fields(cls):
        if not documented.get(field.name):
            raise RuntimeError(
                f"reference: document {cls.__name__}.{field.name} in its Attributes section"
            )
        kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
        rows.append([f"`{field.name}`", f"`{kind}`", documented[field.name]])
    return rows
