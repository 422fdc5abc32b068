"""A machine-independent cost of loading YAML: the nodes the scenario loader builds.

Tests of the loader's guards against pathological input (alias bombs) bound this
count instead of the wall time, so that they pass on a slow machine and fail, fast,
when a guard is gone. The ``yaml_nodes`` fixture (``tests/conftest.py``) installs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from fieldtotable.scenario import yaml_loader


@dataclass
class NodeBudget:
    """How many YAML nodes the scenario loader built, and how many a test allows.

    Attributes
    ----------
    built
        Calls of the loader's node builder so far: one per node visited, every alias
        expansion counted in full.
    budget
        Most nodes allowed; one more fails the test at once, inside the loader, so a
        refusal guard that is gone fails fast instead of expanding a bomb.
    """

    built: int = 0
    budget: int | None = None

    def allow_alias_budget(self, text: str) -> int:
        """Allow what a refused alias bomb in ``text`` may cost, and return it.

        Each node of ``text`` once (a node takes at least one character, so
        ``len(text)`` bounds them) plus the expansions the loader allows before it
        refuses (:data:`~fieldtotable.scenario.yaml_loader.MAX_ALIAS_USES`, and the
        one that trips the limit).
        """
        self.budget = yaml_loader.MAX_ALIAS_USES + 1 + len(text)
        return self.budget


def count_yaml_nodes(monkeypatch: pytest.MonkeyPatch) -> NodeBudget:
    """Count every node the scenario loader builds from now on (undone by ``monkeypatch``)."""
    counter = NodeBudget()
    build = yaml_loader._Builder.build

    def counted(self: Any, node: Any, path: Any, depth: int) -> Any:
        counter.built += 1
        if counter.budget is not None and counter.built > counter.budget:
            # Failed is a BaseException: no except clause of the library swallows it.
            pytest.fail(f"the YAML loader built more than {counter.budget} nodes")
        return build(self, node, path, depth)

    monkeypatch.setattr(yaml_loader._Builder, "build", counted)
    return counter
