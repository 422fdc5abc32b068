"""The package's layers point down: no import runs upward and none runs in a circle.

Every import of the package's own modules is read from the source (at module level,
inside functions and under ``TYPE_CHECKING`` alike) and held against the layer order
of docs/explanation/design.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "fieldtotable"

#: Lowest first. A module may import modules of its own layer or of a lower one.
LAYERS = (
    ("errors", "versions", "fileio"),
    ("kinetics",),
    ("scenario",),
    ("model",),
    ("results",),
    ("simulation",),
    ("experiment",),
    ("optimise",),
    ("sensitivity",),
    ("bench",),
    ("tables",),
    ("export",),
    ("plotting",),
    ("report",),
    ("cli",),
    ("__init__", "__main__"),
)
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def layer(module: str) -> int:
    parts = module.split(".")
    return RANK[parts[1] if len(parts) > 1 else "__init__"]


def imports(path: Path, src: Path = SRC) -> set[str]:
    """The package's modules that ``path`` imports (a submodule where one is named)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path, src)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("fieldtotable"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[
                    : len(name.split(".")) - node.level + (path.stem == "__init__")
                ]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if not target.startswith("fieldtotable"):
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                as_path = src / Path(*candidate.split("."))
                is_module = as_path.with_suffix(".py").is_file() or as_path.is_dir()
                found.add(candidate if is_module else target)
    found.discard(name)
    return found


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    """Module -> the package's modules it imports, for every module under ``src``."""
    return {
        module_name(path, src): imports(path, src)
        for path in sorted((src / "fieldtotable").rglob("*.py"))
    }


def upward(graph: dict[str, set[str]], module: str) -> list[str]:
    return sorted(target for target in graph[module] if layer(target) > layer(module))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    edges = nx.DiGraph((source, target) for source, targets in graph.items() for target in targets)
    found = [sorted(component) for component in nx.strongly_connected_components(edges)]
    return [component for component in found if len(component) > 1]


GRAPH = import_graph()


def test_every_module_has_a_layer() -> None:
    assert len(GRAPH) > 90
    for module in GRAPH:
        layer(module)  # raises KeyError for a top-level part no layer names


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_runs_upward(module: str) -> None:
    assert not upward(GRAPH, module), f"{module} imports a higher layer: {upward(GRAPH, module)}"


def test_no_import_circle() -> None:
    assert circles(GRAPH) == []


def test_the_checker_sees_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    def write(relative: str, text: str) -> None:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write("fieldtotable/__init__.py", "")
    write("fieldtotable/report/__init__.py", "")
    write("fieldtotable/model/__init__.py", "")
    write("fieldtotable/model/bad.py", "def f():\n    from fieldtotable.report import x\n")
    write("fieldtotable/model/a.py", "from fieldtotable.model import b\n")
    write("fieldtotable/model/b.py", "from . import a\n")
    graph = import_graph(tmp_path)
    assert upward(graph, "fieldtotable.model.bad") == ["fieldtotable.report"]
    assert circles(graph) == [["fieldtotable.model.a", "fieldtotable.model.b"]]
