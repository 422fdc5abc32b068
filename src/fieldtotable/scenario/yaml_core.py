r"""YAML 1.2 core-schema scalars for PyYAML, which implements YAML 1.1.

Planners write YAML 1.2 numbers: ``1e6`` is a float, ``1:30`` is the string
``"1:30"`` (not 90, the sexagesimal integer of YAML 1.1), ``yes`` / ``no`` / ``on`` /
``off`` are strings (only ``true`` and ``false`` are booleans), ``010`` is ten (not
the octal eight), ``1_000`` is a string. :func:`use_core_schema` makes a PyYAML loader
class resolve and construct untagged and ``!!int`` / ``!!float`` / ``!!bool`` /
``!!null`` scalars exactly as the YAML 1.2 core schema (section 10.3 of the YAML 1.2.2
specification) says:

==========  ==============================================================
null        ``null``, ``Null``, ``NULL``, ``~`` and the empty scalar
bool        ``true``, ``True``, ``TRUE``, ``false``, ``False``, ``FALSE``
int         ``[-+]?[0-9]+``, ``0o[0-7]+`` (octal), ``0x[0-9a-fA-F]+`` (hex)
float       ``[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?``,
            ``[-+]?\.(inf|Inf|INF)``, ``\.(nan|NaN|NAN)``
==========  ==============================================================

Every other plain scalar is a string, except dates and timestamps
(``2023-07-01``), which scenario files need for ``start_date`` and which keep
PyYAML's (YAML 1.1) timestamp rule: an extension of the core schema, not a change of
any number. :class:`CoreSafeDumper` writes text that both readers read alike: it quotes
every string that YAML 1.1 or YAML 1.2 would read as something else (``'1e6'``,
``'08'``, ``'yes'``, ``'1:30'``).
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode

__all__ = [
    "BOOL",
    "FLOAT",
    "INT",
    "NULL",
    "CoreSafeDumper",
    "construct_scalar",
    "core_tag",
    "use_core_schema",
]

_TAG = "tag:yaml.org,2002:"
NULL = re.compile(r"^(?:null|Null|NULL|~|)$")
"""The YAML 1.2 core schema's null."""
BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
"""The YAML 1.2 core schema's booleans (no ``yes``, ``no``, ``on``, ``off``)."""
INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
"""The YAML 1.2 core schema's integers: decimal, ``0o`` octal, ``0x`` hexadecimal."""
FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
"""The YAML 1.2 core schema's floats (an integer also matches; ``INT`` is tried first)."""

_REPLACED = frozenset(_TAG + name for name in ("null", "bool", "int", "float"))
_DIGITS = "0123456789"


def _to_int(text: str) -> int:
    """Return the integer a core-schema int scalar stands for."""
    if not INT.match(text):
        raise ValueError("not a YAML 1.2 integer")
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _to_float(text: str) -> float:
    """Return the float a core-schema float scalar stands for."""
    if not FLOAT.match(text):
        raise ValueError("not a YAML 1.2 number")
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)


def _to_bool(text: str) -> bool:
    """Return the boolean a core-schema bool scalar stands for."""
    if not BOOL.match(text):
        raise ValueError("not a YAML 1.2 boolean (true or false)")
    return text.lower() == "true"


def _to_null(text: str) -> None:
    """Check a core-schema null scalar."""
    if not NULL.match(text):
        raise ValueError("not a YAML 1.2 null")


_CONVERT = {
    _TAG + "int": _to_int,
    _TAG + "float": _to_float,
    _TAG + "bool": _to_bool,
    _TAG + "null": _to_null,
}


def construct_scalar(loader: yaml.SafeLoader, node: ScalarNode) -> Any:
    """Construct an int, float, bool or null scalar by the YAML 1.2 core schema.

    Parameters
    ----------
    loader
        The loader constructing the document.
    node
        A scalar node tagged ``!!int``, ``!!float``, ``!!bool`` or ``!!null`` (by
        resolution or explicitly).

    Returns
    -------
    int, float, bool or None
        The value.

    Raises
    ------
    ValueError
        If the text is not a value of that type in the core schema (an explicit
        ``!!int 1:30``, ``!!bool yes``).
    """
    return _CONVERT[node.tag](str(loader.construct_scalar(node)))


def use_core_schema(loader_class: type[yaml.SafeLoader]) -> None:
    """Make ``loader_class`` resolve and construct scalars by the YAML 1.2 core schema.

    The class's own resolver table is replaced (other loader classes, PyYAML's
    included, are left as they are); dates and timestamps keep PyYAML's rule.

    Parameters
    ----------
    loader_class
        A subclass of :class:`yaml.SafeLoader` of this package's own.
    """
    kept = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader_class.yaml_implicit_resolvers = {first: list(r) for first, r in kept.items() if r}
    signs_and_digits = list("-+" + _DIGITS)
    loader_class.add_implicit_resolver(_TAG + "bool", BOOL, list("tTfF"))
    loader_class.add_implicit_resolver(_TAG + "int", INT, signs_and_digits)
    loader_class.add_implicit_resolver(_TAG + "float", FLOAT, [*signs_and_digits, "."])
    loader_class.add_implicit_resolver(_TAG + "null", NULL, ["n", "N", "~", ""])
    for tag in _REPLACED:
        loader_class.add_constructor(tag, construct_scalar)


def core_tag(text: str) -> str:
    """Return the tag the YAML 1.2 core schema gives an untagged plain scalar.

    Parameters
    ----------
    text
        The scalar's text.

    Returns
    -------
    str
        ``tag:yaml.org,2002:`` followed by ``null``, ``bool``, ``int``, ``float`` or
        ``str``.
    """
    for name, pattern in (("null", NULL), ("bool", BOOL), ("int", INT), ("float", FLOAT)):
        if pattern.match(text):
            return _TAG + name
    return _TAG + "str"


class CoreSafeDumper(yaml.SafeDumper):
    """A safe dumper whose strings read back as strings by YAML 1.1 and 1.2 alike.

    PyYAML decides whether a string needs quotes by the YAML 1.1 rules only, and
    writes ``1e6``, ``08`` or ``0o7`` bare; a YAML 1.2 reader takes them for numbers.
    This dumper quotes a string when either schema would read it as a non-string.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> Any:
        """Return the tag of a node, by YAML 1.2 where 1.1 would read a string."""
        tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        if kind is ScalarNode and implicit[0] and tag == _TAG + "str":
            return core_tag(str(value))
        return tag
