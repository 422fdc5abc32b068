"""A Griffe extension that shows Sphinx cross-reference roles as inline code.

The package's docstrings use Sphinx roles (``:func:`~fieldtotable.simulate```),
which Markdown would show verbatim. Before mkdocstrings renders a docstring, this
extension rewrites each role as inline code: ``:func:`~a.b``` becomes `` `b` ``,
``:data:`a.b``` becomes `` `a.b` `` and ``:func:`text <a.b>``` becomes `` `text` ``.

Enabled in ``mkdocs.yml``::

    plugins:
      - mkdocstrings:
          handlers:
            python:
              options:
                extensions:
                  - docs/reference/griffe_sphinx_roles.py
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?[a-z]+:`(?P<tilde>~?)(?P<target>[^`<]+?)(?:\s*<(?P<link>[^>`]+)>)?`")


def role_as_code(match: re.Match[str]) -> str:
    """Return one Sphinx role as Markdown inline code."""
    target = match["target"].strip()
    if match["tilde"] and not match["link"]:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def replace_roles(text: str) -> str:
    """Return ``text`` with every Sphinx role written as inline code."""
    return ROLE.sub(role_as_code, text)


class SphinxRolesAsCode(griffe.Extension):
    """Rewrite the Sphinx roles of every docstring as inline code."""

    def on_instance(self, *, obj: griffe.Object, **_kwargs: Any) -> None:
        """Rewrite the docstring of one object as it is loaded."""
        if obj.docstring is not None:
            obj.docstring.value = replace_roles(obj.docstring.value)
