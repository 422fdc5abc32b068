"""The ``>>>`` examples of the docstrings (shown on the API pages) run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import fieldtotable


def _modules() -> list[ModuleType]:
    names = [
        info.name
        for info in pkgutil.walk_packages(fieldtotable.__path__, prefix="fieldtotable.")
        if info.name != "fieldtotable.__main__"  # running it would run the command line
    ]
    return [fieldtotable, *(importlib.import_module(name) for name in sorted(names))]


def _examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = []
    for module in _modules():
        tests.extend(test for test in finder.find(module) if test.examples)
    return tests


EXAMPLES = _examples()


def test_docstring_examples_exist() -> None:
    # Guards the collection below: if the finder stopped finding examples, nothing
    # would be checked.
    assert EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES, ids=[test.name for test in EXAMPLES])
def test_docstring_example(example: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    failures: list[str] = []

    def report(out: str) -> None:
        failures.append(out)

    runner.run(example, out=report)
    assert runner.failures == 0, "".join(failures)
