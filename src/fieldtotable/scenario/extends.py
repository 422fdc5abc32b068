"""Scenario variants: ``extends: other.yaml`` resolved before validation.

A scenario file may start from another one::

    extends: baseline_2023.yaml      # relative to this file
    name: baseline, twice the volume
    scale: 2
    legs:
      kunming_shanghai: {fleet: 4}   # only what changes

The parent is read and resolved first (it may itself extend a grandparent), then
the child is merged into it:

- a mapping merges key by key, recursively;
- a list, a number, a string (anything that is not a mapping on both sides)
  replaces the parent's value;
- a mapping tagged with a ``dist``, ``policy`` or ``kind`` value different from the
  parent's (``{dist: uniform, ...}`` over ``{dist: triangular, ...}``) replaces the
  parent's value: the two do not describe the same kind of thing.

``extends`` may appear only at the top level of a file. Cycles, a missing parent
and chains deeper than :data:`MAX_EXTENDS_DEPTH` are errors located at the
``extends:`` line. The merged data remembers, for every node, the file and line
it came from, so a problem in a value inherited from a parent is reported at the
parent's line (``baseline.yaml:42: legs.a.fleet: must be >= 1``).

Files on disk resolve ``extends`` relative to their own folder; the scenarios
shipped with the package resolve it inside the library folder. Where no such file
exists, ``extends`` names a built-in scenario (``extends: baseline``, or
``scale_5x.yaml``; :mod:`fieldtotable.scenario.builtin`).
"""

from __future__ import annotations

import codecs
import os
import pathlib
import posixpath
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.fileio.reading import FileTooLargeError, NotRegularFileError, read_regular_file
from fieldtotable.scenario.builtin import (
    builtin_file,
    library_names,
    library_root,
    unknown_scenario_message,
)
from fieldtotable.scenario.yaml_loader import MAX_BYTES, Path, format_path, parse_yaml

__all__ = [
    "EXTENDS_KEY",
    "MAX_EXTENDS_DEPTH",
    "BuiltinSource",
    "FileSource",
    "Origins",
    "Resolved",
    "ScenarioSource",
    "TextSource",
    "UnreadableError",
    "read_scenario_file",
    "resolve_extends",
]

EXTENDS_KEY = "extends"
"""The top-level key naming the parent scenario."""
MAX_EXTENDS_DEPTH = 16
"""Longest chain of ``extends`` accepted (a file, its parent, its grandparent, ...)."""

Origins = dict[Path, tuple[str, int]]
"""Path of a node in the merged data -> (file, 1-based line) where it was written."""

_TAG_KEYS = ("dist", "policy", "kind")


class UnreadableError(Exception):
    """A scenario file that cannot be read; ``str(error)`` says why in a few words."""


def read_scenario_file(file: pathlib.Path) -> str:
    """Read a scenario file as UTF-8 text (a byte-order mark is dropped).

    Only a regular file is read (a symbolic link is followed): a device such as
    ``/dev/zero``, a named pipe, a socket or a folder is refused without reading it,
    and at most :data:`MAX_BYTES` + 1 bytes are read whatever size the file claims
    (see :mod:`fieldtotable.fileio.reading`).

    Raises
    ------
    UnreadableError
        If the file is missing, not a regular file, larger than 5 MB, not UTF-8 or
        unreadable.
    """
    try:
        data = read_regular_file(file, MAX_BYTES)
    except FileNotFoundError:
        broken = os.path.islink(file)
        raise UnreadableError(
            "file not found (a broken symbolic link)" if broken else "file not found"
        ) from None
    except NotRegularFileError as exc:
        raise UnreadableError(str(exc.strerror)) from None
    except FileTooLargeError as exc:
        said = "" if exc.size is None else f"{exc.size} bytes, "
        raise UnreadableError(
            f"file too large: {said}over {MAX_BYTES // (1024 * 1024)} MB; scenario files are small"
        ) from None
    except OSError as exc:
        raise UnreadableError(f"cannot read: {exc.strerror or exc}") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableError("UTF-16 text, not UTF-8: save the file as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableError(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    # Universal newlines, as text-mode reading gives them.
    return text.replace("\r\n", "\n").replace("\r", "\n")


class ScenarioSource(ABC):
    """Where a scenario's text comes from, and how its ``extends`` resolve.

    Attributes
    ----------
    name
        Shown in error messages.
    key
        Identifies the file for cycle detection (two names of one file share it).
    """

    name: str
    key: str

    @abstractmethod
    def parent(self, ref: str) -> ScenarioSource:
        """Return the source named by ``extends: ref`` in this file.

        Raises
        ------
        UnreadableError
            If ``ref`` cannot name a scenario here.
        """

    @abstractmethod
    def read(self) -> str:
        """Return the text.

        Raises
        ------
        UnreadableError
            If it cannot be read.
        """


class FileSource(ScenarioSource):
    """A scenario file on disk; ``name`` is the path as the user gave it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.key = os.path.realpath(name)

    def parent(self, ref: str) -> ScenarioSource:
        """Resolve ``ref`` relative to this file's folder, else as a built-in name."""
        return _file_or_builtin(os.path.dirname(self.name), ref)

    def read(self) -> str:
        """Read the file."""
        return read_scenario_file(pathlib.Path(self.name))


class TextSource(ScenarioSource):
    """Scenario text held in memory, named ``name``.

    Its ``extends`` resolve relative to the folder of ``name``, or to the current
    folder for names like ``<string>``.
    """

    def __init__(self, name: str, text: str) -> None:
        pseudo = name.startswith("<")
        self.name = name
        self.key = name if pseudo else os.path.realpath(name)
        self._text = text
        self._folder = "" if pseudo else os.path.dirname(name)

    def parent(self, ref: str) -> ScenarioSource:
        """Resolve ``ref`` relative to the folder of ``name`` (or the current one)."""
        return _file_or_builtin(self._folder, ref)

    def read(self) -> str:
        """Return the text given."""
        return self._text


class BuiltinSource(ScenarioSource):
    """A scenario shipped in the package data folder (``<builtin>/name.yaml``)."""

    def __init__(self, root: Traversable, relative: str) -> None:
        self.root = root
        self.relative = relative
        self.name = f"<builtin>/{relative}"
        self.key = self.name

    def parent(self, ref: str) -> ScenarioSource:
        """Resolve ``ref`` inside the package data folder, relative to this file."""
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.relative), ref))
        if posixpath.isabs(ref) or joined == ".." or joined.startswith("../"):
            raise UnreadableError("a built-in scenario can only extend another built-in one")
        if self.root.joinpath(*joined.split("/")).is_file():
            return BuiltinSource(self.root, joined)
        names = library_names(self.root)
        found = builtin_file(ref, names)
        if found is None:
            raise UnreadableError(unknown_scenario_message(ref, names))
        return BuiltinSource(self.root, found)

    def read(self) -> str:
        """Read the packaged file."""
        entry = self.root.joinpath(*self.relative.split("/"))
        if not entry.is_file():
            raise UnreadableError("no such built-in scenario file")
        try:
            return entry.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:  # pragma: no cover - package damage
            raise UnreadableError(f"cannot read: {exc}") from None


def _file_or_builtin(folder: str, ref: str) -> ScenarioSource:
    """Return the file ``ref`` relative to ``folder`` if it exists, else the built-in one."""
    path = ref if os.path.isabs(ref) else os.path.normpath(os.path.join(folder, ref))
    if os.path.lexists(path):
        return FileSource(path)
    found = builtin_file(ref)
    if found is None:
        raise UnreadableError(unknown_scenario_message(ref))
    return BuiltinSource(library_root(), found)


@dataclass
class Resolved:
    """Scenario data with every ``extends`` merged in.

    Attributes
    ----------
    data
        The merged data (``extends`` keys removed).
    origins
        Where each node was written.
    problems
        Problems found while resolving that do not stop validation (an ``extends``
        below the top level); they are reported with the validation problems.
    added
        Entries a file added to a section of its parent (``("legs", "x")``: a leg
        its parent does not have), each with the ids the parent's section has; a
        misspelt id is one of them (:mod:`fieldtotable.scenario.loader` says so).
    """

    data: Any
    origins: Origins
    problems: list[Problem] = field(default_factory=list)
    added: list[tuple[Path, tuple[str, ...]]] = field(default_factory=list)

    def locate(self, path: Path) -> tuple[str | None, int | None]:
        """Return the file and line of ``path``, or of its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            found = self.origins.get(path[:end])
            if found is not None:
                return found
        return None, None


def resolve_extends(text: str, source: ScenarioSource) -> Resolved:
    """Parse ``text`` (the content of ``source``) and merge in its ``extends`` chain.

    Parameters
    ----------
    text
        The scenario YAML.
    source
        Where the text comes from; names the file in errors and resolves ``extends``.

    Returns
    -------
    Resolved
        The merged data, with the origin of every node.

    Raises
    ------
    ScenarioError
        On a YAML problem in any file of the chain (located in that file), a
        missing or unreadable parent, a cycle, or a chain too long (located at the
        ``extends:`` line).
    """
    return _resolve(text, source, (source,))


def _resolve(text: str, source: ScenarioSource, chain: tuple[ScenarioSource, ...]) -> Resolved:
    data, lines = parse_yaml(text, source.name)
    origins: Origins = {path: (source.name, line) for path, line in lines.items()}
    problems = _nested_extends(data, (), origins)
    if not isinstance(data, dict) or EXTENDS_KEY not in data:
        return Resolved(data, origins, problems)
    ref = data.pop(EXTENDS_KEY)
    line = lines.get((EXTENDS_KEY,))
    origins.pop((EXTENDS_KEY,), None)

    def fail(message: str) -> ScenarioError:
        return ScenarioError(Problem(source.name, line, EXTENDS_KEY, message))

    if not isinstance(ref, str) or not ref.strip():
        shown = "nothing" if ref is None else repr(ref)
        raise fail(f"must name the scenario file to extend (got {shown})")
    try:
        parent_source = source.parent(ref)
        keys = [item.key for item in chain]
        if parent_source.key in keys:
            names = [item.name for item in chain[keys.index(parent_source.key) :]]
            raise fail(f"extends cycle: {' -> '.join([*names, parent_source.name])}")
        if len(chain) >= MAX_EXTENDS_DEPTH:
            raise fail(f"extends chain longer than {MAX_EXTENDS_DEPTH} files")
        parent_text = parent_source.read()
    except UnreadableError as exc:
        raise fail(f"cannot extend {ref!r}: {exc}") from None
    parent = _resolve(parent_text, parent_source, (*chain, parent_source))
    if not isinstance(parent.data, dict):
        found = "an empty document" if parent.data is None else f"a {type(parent.data).__name__}"
        _, root_line = parent.locate(())
        raise ScenarioError(
            Problem(
                parent_source.name,
                root_line,
                "",
                f"a scenario to extend must be a mapping of sections, found {found}",
            )
        )
    merged: Origins = {}
    result = _merge(parent.data, data, (), parent.origins, origins, merged)
    return Resolved(
        result, merged, parent.problems + problems, parent.added + _added(parent.data, data)
    )


def _added(parent: dict[str, Any], child: dict[str, Any]) -> list[tuple[Path, tuple[str, ...]]]:
    """Return the entries ``child`` adds to the sections (mappings) of ``parent``."""
    found: list[tuple[Path, tuple[str, ...]]] = []
    for section, entries in child.items():
        known = parent.get(section)
        if not (isinstance(known, dict) and isinstance(entries, dict)) or _retagged(known, entries):
            continue
        ids = tuple(str(key) for key in known)
        found += [((section, key), ids) for key in entries if key not in known]
    return found


def _nested_extends(data: Any, path: Path, origins: Origins) -> list[Problem]:
    """Report (and remove) ``extends`` keys below the top level of one file."""
    problems: list[Problem] = []
    if isinstance(data, dict):
        if path and EXTENDS_KEY in data:
            where = (*path, EXTENDS_KEY)
            file, line = origins.get(where, (None, None))
            problems.append(
                Problem(
                    file,
                    line,
                    format_path(where),
                    "extends is allowed only at the top level of a scenario file",
                )
            )
            del data[EXTENDS_KEY]
        for key, value in data.items():
            problems += _nested_extends(value, (*path, key), origins)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            problems += _nested_extends(item, (*path, index), origins)
    return problems


def _retagged(parent: dict[str, Any], child: dict[str, Any]) -> bool:
    """Whether ``child`` names a different kind of thing than ``parent``."""
    return any(key in child and key in parent and child[key] != parent[key] for key in _TAG_KEYS)


def _merge(
    parent: Any,
    child: Any,
    path: Path,
    parent_origins: Origins,
    child_origins: Origins,
    out: Origins,
) -> Any:
    """Merge ``child`` over ``parent`` at ``path``, recording each node's origin in ``out``."""
    if not (isinstance(parent, dict) and isinstance(child, dict)) or _retagged(parent, child):
        _copy_origins(child, path, child_origins, out)
        return child
    where = child_origins.get(path) or parent_origins.get(path)
    if where is not None:
        out[path] = where
    result: dict[str, Any] = {}
    for key, value in parent.items():
        sub = (*path, key)
        if key in child:
            result[key] = _merge(value, child[key], sub, parent_origins, child_origins, out)
        else:
            result[key] = value
            _copy_origins(value, sub, parent_origins, out)
    for key, value in child.items():
        if key not in parent:
            result[key] = value
            _copy_origins(value, (*path, key), child_origins, out)
    return result


def _copy_origins(value: Any, path: Path, origins: Origins, out: Origins) -> None:
    where = origins.get(path)
    if where is not None:
        out[path] = where
    if isinstance(value, dict):
        for key, item in value.items():
            _copy_origins(item, (*path, key), origins, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _copy_origins(item, (*path, index), origins, out)
