"""Docstrings of the public API: complete numpy-style sections, checked by numpydoc.

ruff's ``D`` rules (numpy convention) check the form of every docstring but leave
out D417 (undocumented parameters). This test closes the gap for the public API:
every callable reachable from ``fieldtotable.__all__`` and the ``__all__`` of the
public subpackages (and the public methods of public classes) passes these checks
of :func:`numpydoc.validate.validate`:

- ``GL08`` the object has a docstring; ``SS01`` it has a summary line;
- ``PR01`` every parameter is documented; ``PR02`` no documented parameter is
  unknown; ``PR03`` parameters are documented in signature order;
- ``RT01`` a function that returns a value has a ``Returns`` section; ``YD01`` a
  generator has a ``Yields`` section.

A class may document its constructor's parameters as ``Attributes`` (a dataclass
whose fields are its parameters) or, for a pydantic model, as field docstrings.

Checks left off, and why: ``PR04``/``RT03`` (types in the docstring): the
signatures carry full type hints, which the API pages show; ``ES01`` (extended
summary), ``SA01`` (See Also) and ``EX01`` (Examples): useful where they help, not
on every accessor; ``SS05`` (summary starts with an infinitive): ruff's D401
checks the mood, and numpydoc's test flags any first word ending in "s"
("Hours until ..."); ``GL01``/``GL02`` and the other layout checks: ruff's ``D``
rules own the layout.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from tools.reference_pages.markdown import attribute_docs

validate = pytest.importorskip("numpydoc.validate").validate

MODULES = [
    "fieldtotable",
    "fieldtotable.scenario",
    "fieldtotable.kinetics",
    "fieldtotable.results",
    "fieldtotable.results.fields",
    "fieldtotable.model.nodes",
    "fieldtotable.model.kinds",
    "fieldtotable.cli.plugins",
    "fieldtotable.experiment",
    "fieldtotable.experiment.executors",
    "fieldtotable.experiment.store",
    "fieldtotable.experiment.tails",
    "fieldtotable.results.periods",
    "fieldtotable.optimise",
    "fieldtotable.sensitivity",
    "fieldtotable.export",
    "fieldtotable.tables",
    "fieldtotable.plotting",
    "fieldtotable.report",
    "fieldtotable.bench",
]
CHECKS = {"GL08", "SS01", "PR01", "PR02", "PR03", "RT01", "YD01"}


def _members(cls: type) -> Iterator[tuple[str, Any]]:
    """Public methods and properties defined by the class or its package bases."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("fieldtotable"):
            continue
        for name, raw in vars(klass).items():
            if name.startswith("_"):
                continue
            member = raw.__func__ if isinstance(raw, staticmethod | classmethod) else raw
            if isinstance(member, property):
                member = member.fget
            if inspect.isfunction(member):
                yield name, member


def public_callables() -> dict[str, Any]:
    """Import path -> object, for every public function, class and method."""
    found: dict[str, Any] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            path = f"{obj.__module__}.{obj.__qualname__}"
            found.setdefault(path, obj)
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for member_name, member in _members(obj):
                    found.setdefault(f"{path}.{member_name}", member)
    return found


PUBLIC = public_callables()


def documented_elsewhere(obj: Any, message: str) -> set[str]:
    """Constructor parameters a class documents as Attributes or field docstrings."""
    if not inspect.isclass(obj):
        return set()
    names = set(attribute_docs(obj))
    if issubclass(obj, BaseModel):
        names |= {
            field.alias or name
            for name, field in obj.model_fields.items()
            if (field.description or "").strip()
        }
        names |= {name for name, field in obj.model_fields.items() if field.description}
    if getattr(obj, "_is_protocol", False):
        names |= {"*args", "**kwargs"}
    return names


def problems(path: str, obj: Any) -> list[str]:
    found = []
    for code, message in validate(path)["errors"]:
        if code not in CHECKS:
            continue
        if code == "PR01":
            missing = set(message.split("{", 1)[1].rsplit("}", 1)[0].replace("'", "").split(", "))
            if missing <= documented_elsewhere(obj, message):
                continue
        found.append(f"{code} {message}")
    return found


def test_the_walk_finds_the_public_api() -> None:
    assert len(PUBLIC) > 100
    assert "fieldtotable.simulation.simulate" in PUBLIC
    assert "fieldtotable.results.run.RunResult.to_pandas" in PUBLIC
    assert "fieldtotable.experiment.replicate.replicate" in PUBLIC


@pytest.mark.parametrize("path", sorted(PUBLIC))
def test_docstring_is_complete(path: str) -> None:
    found = problems(path, PUBLIC[path])
    assert not found, "\n".join(found)


def test_an_incomplete_docstring_is_caught() -> None:
    """The checks fail on a function that leaves a parameter and its return out."""
    found = {code for code, _message in validate(f"{__name__}._incomplete")["errors"]}
    assert {"PR01", "RT01"} <= found & CHECKS


def _incomplete(value: int) -> int:
    """Double a number."""
    return 2 * value


def test_sphinx_roles_render_as_code_on_the_api_pages() -> None:
    """The Griffe extension of the API pages turns Sphinx roles into inline code."""
    pytest.importorskip("griffe")
    path = Path(__file__).resolve().parents[2] / "docs" / "reference" / "griffe_sphinx_roles.py"
    spec = importlib.util.spec_from_file_location("griffe_sphinx_roles", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (
        "See :func:`~fieldtotable.simulate`, :data:`fieldtotable.KPI_DEFINITIONS`, :meth:`x <a.b>`."
    )
    assert module.replace_roles(text) == ("See `simulate`, `fieldtotable.KPI_DEFINITIONS`, `x`.")
