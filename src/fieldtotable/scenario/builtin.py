"""The scenario library shipped with the package: where it is, its names, suggestions.

The library is the repository's ``scenarios/`` folder, its one source. A wheel
carries it as the package data folder ``fieldtotable/scenario/library``
(``pyproject.toml``); a source checkout (an editable install) reads
``scenarios/`` itself. A built-in scenario's name is its file name without
``.yaml`` (``scale_5x``).

Wherever a scenario is named (the command line's ``SCENARIO``, ``extends:``), one
rule applies: an existing path wins; otherwise a built-in name (``scale_5x``, or
``scale_5x.yaml``); otherwise an error that suggests the closest names
(:func:`unknown_scenario_message`).
"""

from __future__ import annotations

import difflib
import pathlib
import re
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable

__all__ = [
    "SUFFIX",
    "builtin_file",
    "describe_text",
    "did_you_mean",
    "library_names",
    "library_root",
    "unknown_scenario_message",
]

SUFFIX = ".yaml"
"""The file name ending of the library's scenarios."""

_PACKAGE = "fieldtotable.scenario"
_PACKAGED = "library"
_SCHEMA_COMMENT = "# yaml-language-server:"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def library_root() -> Traversable:
    """Return the folder of the built-in scenarios.

    Returns
    -------
    Traversable
        The package data folder when the package was installed from a wheel, else the
        ``scenarios`` folder of the source checkout; either may be absent (no
        built-in scenarios) in a damaged installation.
    """
    packaged = resources.files(_PACKAGE).joinpath(_PACKAGED)
    if packaged.is_dir():
        return packaged
    checkout = pathlib.Path(__file__).resolve().parents[3] / "scenarios"
    if checkout.is_dir():
        return checkout
    return packaged


def library_names(root: Traversable | None = None) -> list[str]:
    """Return the names of the built-in scenarios, sorted.

    Parameters
    ----------
    root
        The library folder (default: :func:`library_root`).

    Returns
    -------
    list of str
        File names without ``.yaml``.
    """
    folder = library_root() if root is None else root
    if not folder.is_dir():
        return []
    return sorted(
        entry.name.removesuffix(SUFFIX)
        for entry in folder.iterdir()
        if entry.name.endswith(SUFFIX) and not entry.name.startswith(".") and entry.is_file()
    )


def builtin_file(ref: str, names: Iterable[str] | None = None) -> str | None:
    """Return the library file named by ``ref`` (``scale_5x`` or ``scale_5x.yaml``).

    Parameters
    ----------
    ref
        A name as typed; names with a path separator never name a built-in scenario.
    names
        The built-in names (default: :func:`library_names`).

    Returns
    -------
    str or None
        The file name inside the library (``scale_5x.yaml``), or ``None``.
    """
    if not ref or "/" in ref or "\\" in ref:
        return None
    known = set(library_names() if names is None else names)
    stem = ref.removesuffix(SUFFIX)
    return f"{stem}{SUFFIX}" if stem in known else None


def did_you_mean(wanted: str, candidates: Iterable[str], *, quote: bool = False) -> str:
    """Return `` (did you mean X?)`` with the closest candidate, or ``""``.

    Parameters
    ----------
    wanted
        The misspelt name.
    candidates
        The names that exist.
    quote
        Quote each suggestion (``'run'``), as the command line quotes commands.

    Returns
    -------
    str
        The suggestion, with its leading space, or an empty string when no candidate
        is close (:func:`difflib.get_close_matches`, cutoff 0.6).
    """
    close = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.6)
    if not close:
        return ""
    return f" (did you mean {close[0]!r}?)" if quote else f" (did you mean {close[0]}?)"


def unknown_scenario_message(ref: str, names: Iterable[str] | None = None) -> str:
    """Return the message for a scenario reference that is neither a file nor a name.

    Parameters
    ----------
    ref
        The reference as typed.
    names
        The built-in names (default: :func:`library_names`).

    Returns
    -------
    str
        ``no such file, and no built-in scenario of that name (did you mean
        scale_5x?)``; without a close name, the list of built-in names instead, or
        just ``file not found`` when ``ref`` looks like a file (it has a folder or a
        file name ending).
    """
    known = list(library_names() if names is None else names)
    text = "no such file, and no built-in scenario of that name"
    hint = did_you_mean(ref.removesuffix(SUFFIX), known)
    if hint:
        return text + hint
    if _looks_like_a_file(ref):
        return "file not found"
    return f"{text} (built-in: {', '.join(known) if known else 'none'})"


def _looks_like_a_file(ref: str) -> bool:
    """Whether ``ref`` has a folder part or a file name ending (``a/b``, ``x.yml``)."""
    return "/" in ref or "\\" in ref or bool(pathlib.PurePath(ref).suffix)


def describe_text(text: str) -> str:
    """Return the one-line description of a scenario file.

    It is the first sentence of the file's leading comment (after the editor's
    ``$schema`` line), else the first sentence of its ``description:``.

    Parameters
    ----------
    text
        The scenario file's text.

    Returns
    -------
    str
        One line, possibly empty.
    """
    paragraph: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(_SCHEMA_COMMENT):
            continue
        content = line.lstrip("#").strip()
        if content:
            paragraph.append(content)
        elif paragraph:
            break
    if not paragraph:
        paragraph = _description_field(text)
    joined = " ".join(paragraph)
    return _SENTENCE_END.split(joined, maxsplit=1)[0]


def _description_field(text: str) -> list[str]:
    """Return the lines of a top-level ``description:`` (read as text, not parsed)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("description:"):
            continue
        value = line.removeprefix("description:").strip()
        if value and value not in {">", ">-", "|", "|-"}:
            return [value.strip("'\"")]
        block = []
        for following in lines[index + 1 :]:
            if following.strip() and not following.startswith((" ", "\t")):
                break
            if following.strip():
                block.append(following.strip())
        return block
    return []
