"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fieldtotable import Scenario
from scenario_builders import build_scenario
from yaml_budget import NodeBudget, count_yaml_nodes


@pytest.fixture
def make_scenario() -> Callable[..., Scenario]:
    """Build a small valid scenario: ``tests/data/small.yaml`` with dotted-path changes.

    ``make_scenario({"horizon_days": 10, "legs.cp_shanghai.fleet": 5})``; see
    ``tests/scenario_builders.py`` (``base=`` starts from a test's own data).
    """
    return build_scenario


@pytest.fixture
def yaml_nodes(monkeypatch: pytest.MonkeyPatch) -> NodeBudget:
    """Count the YAML nodes the scenario loader builds (see ``tests/yaml_budget.py``)."""
    return count_yaml_nodes(monkeypatch)
