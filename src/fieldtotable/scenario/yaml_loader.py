"""Safe YAML parsing that remembers the line of every node.

Scenario files are data, never code: only the plain YAML types are accepted (strings,
numbers, booleans, null, dates, lists, mappings, merge keys), and scalars are read by
the YAML 1.2 core schema (:mod:`.yaml_core`: ``1e6`` is a number, ``1:30`` and ``yes``
are strings). Python tags and other
explicit tags are refused, duplicate mapping keys are an error rather than a silent
overwrite, and alias-expansion bombs ("billion laughs") are refused after a bounded
amount of work.

:func:`parse_yaml` returns the plain Python data and a *line map*: for every node, its
path (mapping keys and list indices) and the 1-based line where it is written. For a
mapping entry that is the line of its key.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.scenario.yaml_core import use_core_schema

__all__ = [
    "MAX_ALIAS_USES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "LineMap",
    "Path",
    "SafeScenarioLoader",
    "format_path",
    "line_for",
    "parse_yaml",
]

Path = tuple[str | int, ...]
"""A node's address: mapping keys and list indices from the document root."""

LineMap = dict[Path, int]
"""Path of a node -> 1-based line where it is written (its key's line for entries)."""

MAX_BYTES = 5 * 1024 * 1024
"""Largest scenario text accepted, in bytes of UTF-8."""
MAX_ALIAS_USES = 10_000
"""Most alias (``*name``) expansions accepted while building the data."""
MAX_NODES = 1_000_000
"""Most nodes built, counting every alias expansion in full."""
MAX_DEPTH = 100
"""Deepest nesting of lists and mappings accepted."""

_TAG = "tag:yaml.org,2002:"
_MAP_TAG = _TAG + "map"
_SEQ_TAG = _TAG + "seq"
_MERGE_TAG = _TAG + "merge"
_SCALAR_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_PLAIN_KEY = re.compile(r"[^.\[\]\s\"']+")


class SafeScenarioLoader(yaml.SafeLoader):
    """A :class:`yaml.SafeLoader` used only to compose the node graph.

    Construction of Python objects from nodes is done by this module, which accepts
    nothing but the plain YAML tags; the loader's own safe constructors are used for
    scalars only, with the YAML 1.2 core schema's rules for null, booleans, integers
    and floats (:func:`~fieldtotable.scenario.yaml_core.use_core_schema`).
    """


use_core_schema(SafeScenarioLoader)


def format_path(path: Path) -> str:
    """Write a node path the way error messages show it.

    Parameters
    ----------
    path
        Mapping keys and list indices from the root.

    Returns
    -------
    str
        Keys joined by dots, list indices as ``[i]``, odd keys quoted:
        ``("legs", "a", "dispatch", "departures_h", 0)`` ->
        ``"legs.a.dispatch.departures_h[0]"``.
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


def line_for(lines: LineMap, path: Path) -> int | None:
    """Return the line of ``path``, or of its nearest ancestor that has one.

    Parameters
    ----------
    lines
        A line map from :func:`parse_yaml`.
    path
        The node's path; it need not exist in the data.

    Returns
    -------
    int or None
        The 1-based line, or ``None`` when not even the root has one.
    """
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def parse_yaml(text: str, filename: str) -> tuple[Any, LineMap]:
    """Parse one YAML document safely into plain data and a line map.

    Parameters
    ----------
    text
        The YAML text.
    filename
        Shown in error messages (``"<string>"`` for text held in memory).

    Returns
    -------
    data : Any
        Plain Python objects: ``dict`` (string keys), ``list``, ``str``, ``int``,
        ``float``, ``bool``, ``None``, ``datetime.date`` / ``datetime.datetime``.
        ``None`` for an empty document.
    lines : dict
        Path of every node -> its 1-based line (see :data:`LineMap`).

    Raises
    ------
    ScenarioError
        On a syntax error, a duplicate or non-string mapping key, a tag other than
        the plain YAML ones, a recursive alias, or text too large or expanding too
        far (:data:`MAX_BYTES`, :data:`MAX_ALIAS_USES`, :data:`MAX_NODES`,
        :data:`MAX_DEPTH`). Every problem found is reported, with its line.
    """
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise ScenarioError.single(
            f"file too large: over {MAX_BYTES // (1024 * 1024)} MB; scenario files are small",
            file=filename,
        )
    try:
        loader = SafeScenarioLoader(text)
    except yaml.reader.ReaderError as exc:
        raise ScenarioError(_reader_problem(exc, text, filename)) from None
    try:
        try:
            root = loader.get_single_node()
        except yaml.reader.ReaderError as exc:
            raise ScenarioError(_reader_problem(exc, text, filename)) from None
        except yaml.MarkedYAMLError as exc:
            raise ScenarioError(_syntax_problem(exc, filename)) from None
        except yaml.YAMLError as exc:
            raise ScenarioError.single(f"YAML error: {exc}", file=filename) from None
        except RecursionError:
            raise ScenarioError.single("YAML nested too deeply to read", file=filename) from None
        if root is None:
            return None, {}
        builder = _Builder(loader, filename)
        lines: LineMap = {(): _line(root)}
        data = builder.build(root, (), 0)
        if builder.problems:
            raise ScenarioError(builder.problems)
        lines.update(builder.lines)
        return data, lines
    finally:
        loader.dispose()


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _reader_problem(exc: yaml.reader.ReaderError, text: str, filename: str) -> Problem:
    line = text.count("\n", 0, exc.position) + 1
    return Problem(filename, line, "", f"character #x{exc.character:04x} is not allowed in YAML")


def _syntax_problem(exc: yaml.MarkedYAMLError, filename: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = None if mark is None else int(mark.line) + 1
    words = [str(part) for part in (exc.context, exc.problem) if part]
    message = "YAML syntax error: " + (", ".join(words) or "cannot parse")
    if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
        context_line = int(exc.context_mark.line) + 1
        if context_line != line:
            message += f" (started on line {context_line})"
    return Problem(filename, line, "", message)


class _Builder:
    """Turns a composed node graph into plain data, counting work done."""

    def __init__(self, loader: SafeScenarioLoader, filename: str) -> None:
        self.loader = loader
        self.filename = filename
        self.lines: LineMap = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.alias_uses = 0
        self.nodes = 0

    def problem(self, node: Node, path: Path, message: str) -> None:
        self.problems.append(Problem(self.filename, _line(node), format_path(path), message))

    def refuse(self, node: Node, path: Path, message: str) -> ScenarioError:
        return ScenarioError(Problem(self.filename, _line(node), format_path(path), message))

    def build(self, node: Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.refuse(
                node, path, f"refused: the document expands to more than {MAX_NODES} nodes"
            )
        key = id(node)
        if key in self.seen:
            self.alias_uses += 1
            if self.alias_uses > MAX_ALIAS_USES:
                raise self.refuse(
                    node,
                    path,
                    f"refused: more than {MAX_ALIAS_USES} alias expansions "
                    "(an alias-expansion bomb?)",
                )
        else:
            self.seen.add(key)
        if depth > MAX_DEPTH:
            raise self.refuse(node, path, f"refused: nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if key in self.active:
            raise self.refuse(node, path, "refused: an alias refers to a node that contains it")
        self.active.add(key)
        try:
            if isinstance(node, SequenceNode):
                return self.sequence(node, path, depth)
            if isinstance(node, MappingNode):
                return self.mapping(node, path, depth)
            self.problem(node, path, "unsupported YAML node")  # pragma: no cover
            return None  # pragma: no cover
        finally:
            self.active.discard(key)

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.problem(
                node, path, f"tag {_show_tag(node.tag)} is not allowed: scenarios are plain data"
            )
            return None
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problem(node, path, f"cannot read {node.value!r}: {exc}")
            return None

    def sequence(self, node: SequenceNode, path: Path, depth: int) -> list[Any]:
        if node.tag != _SEQ_TAG:
            self.problem(
                node, path, f"tag {_show_tag(node.tag)} is not allowed: scenarios are plain data"
            )
            return []
        items: list[Any] = []
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            self.lines[item_path] = _line(item)
            items.append(self.build(item, item_path, depth + 1))
        return items

    def mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        if node.tag != _MAP_TAG:
            self.problem(
                node, path, f"tag {_show_tag(node.tag)} is not allowed: scenarios are plain data"
            )
            return {}
        result: dict[str, Any] = {}
        # Merge keys (<<: *base) first, so that explicit entries overwrite their lines.
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                for merged_key, value in self.merged(value_node, path, depth).items():
                    result.setdefault(merged_key, value)
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            name = self.key(key_node, path)
            if name is None:
                continue
            line = _line(key_node)
            entry_path = (*path, name)
            if name in first_line:
                self.problems.append(
                    Problem(
                        self.filename,
                        line,
                        format_path(entry_path),
                        f"duplicate key {name!r} (first on line {first_line[name]})",
                    )
                )
                continue
            first_line[name] = line
            self.lines[entry_path] = line
            result[name] = self.build(value_node, entry_path, depth + 1)
        return result

    def merged(self, node: Node, path: Path, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            if not isinstance(source, MappingNode):
                self.problem(source, path, "a merge key (<<) needs a mapping or list of mappings")
                continue
            for name, value in self.build(source, path, depth + 1).items():
                merged.setdefault(name, value)
        return merged

    def key(self, node: Node, path: Path) -> str | None:
        if not isinstance(node, ScalarNode):
            self.problem(node, path, "mapping keys must be plain names, not lists or mappings")
            return None
        name = self.scalar(node, path)
        if isinstance(name, str):
            return name
        if node.tag in _SCALAR_TAGS:
            self.problem(
                node,
                path,
                f"key {node.value!r} is read as {type(name).__name__}, not a name; "
                "put it in quotes",
            )
        return None
