"""Imports run one way: concept modules at the bottom, teaching modules above, scripts on top.

The graph is read from the source (``ast``), not by importing, so a lazy
import inside a function counts as much as one at the top of a file.
"""

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "ketamine_course"

#: Bottom layer: the science, the data and the shared checks. They may import each other
#: (without cycles) but nothing that draws, teaches or runs scripts.
CONCEPT = {"checks", "units", "resources", "appraisal", "data", "course", "history", "structures", "glossary", "receptor",
           "plasticity", "pk", "onset", "safety"}
#: Above them: figures, widgets and teaching aids.
TEACHING = {"style", "demos", "diagrams", "quiz", "exercises"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Fully qualified ketamine_course modules that ``path`` imports."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{a.name}" for a in node.names}
    return {m for m in found if m.split(".")[0] in ("ketamine_course", "scripts")}


def _graph():
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph, {m for name, path in modules.items() for m in _imports(path) if m.startswith("scripts")}


def _unit(module: str) -> str:
    """The top-level part of the package a module belongs to (pk.engine -> pk)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_graph_is_read():
    graph, _ = _graph()
    assert "ketamine_course.pk.simulators" in graph["ketamine_course.pk"]
    assert "ketamine_course.pk" in graph["ketamine_course.demos.pk"]
    assert "ketamine_course.checks" in graph["ketamine_course.receptor"]


def test_every_module_is_in_a_layer():
    graph, _ = _graph()
    units = {_unit(m) for m in graph} - {""}
    assert units <= CONCEPT | TEACHING, f"place {sorted(units - CONCEPT - TEACHING)} in a layer"


def test_concept_modules_do_not_import_teaching_modules():
    graph, _ = _graph()
    upward = sorted((m, d) for m, deps in graph.items() if _unit(m) in CONCEPT
                    for d in deps if _unit(d) in TEACHING)
    assert not upward, f"upward imports: {upward}"


def test_the_package_never_imports_scripts():
    _, scripts = _graph()
    assert not scripts


@pytest.mark.parametrize("level", ["module", "unit"])
def test_no_import_cycles(level):
    graph, _ = _graph()
    if level == "unit":
        merged = {}
        for m, deps in graph.items():
            merged.setdefault(_unit(m), set()).update(_unit(d) for d in deps if _unit(d) != _unit(m))
        graph = merged
        graph.pop("", None)
        for deps in graph.values():
            deps.discard("")
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                raise AssertionError(f"import cycle: {' -> '.join(path + [nxt])}")
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
