"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import pytest

from yaml_budget import NodeBudget, count_yaml_nodes


@pytest.fixture
def yaml_nodes(monkeypatch: pytest.MonkeyPatch) -> NodeBudget:
    """Count the YAML nodes the scenario loader builds (see ``tests/yaml_budget.py``)."""
    return count_yaml_nodes(monkeypatch)
