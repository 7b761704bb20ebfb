"""The code stays the size a reader can hold: no module over 600 lines, no function over 80,
and no import cycle between modules (what a module imports when it is loaded; imports inside
functions and for type checking only are how a cycle is avoided, not one)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "backchannel"
MODULE_LINES = 600
FUNCTION_LINES = 80


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def test_no_module_is_over_600_lines_and_the_orchestrator_under_500():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {name: n for name, n in sizes.items() if n > MODULE_LINES} == {}
    assert sum(n for name, n in sizes.items() if name == "backchannel.api" or name.startswith("backchannel.api.")) \
        > 500  # (the orchestrator as a whole; each of its modules is far under)
    assert max(n for name, n in sizes.items() if name.startswith("backchannel.api")) < 500


def test_no_function_is_over_80_lines():
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {size} lines")
    assert long == []


def _loaded_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of the package that ``name`` imports when it is loaded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in tree.body:  # (module level only: not in functions, not under `if TYPE_CHECKING:`)
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def test_no_import_cycle():
    found = modules()
    known = set(found)
    graph = nx.DiGraph()
    for name, path in found.items():
        for target in _loaded_imports(name, path, known):
            if not name.startswith(target + "."):  # a module importing its own package's names
                graph.add_edge(name, target)
    cycles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    assert cycles == []


def test_the_layout_check_sees_a_cycle_and_a_long_function(tmp_path):
    """The checks above can fail: a planted cycle and a planted long function are caught."""
    (tmp_path / "a.py").write_text("from .b import x\n")
    (tmp_path / "b.py").write_text("from . import a\n" + "def f():\n" + "    pass\n" * 90)
    known = {"p.a", "p.b"}
    assert _loaded_imports("p.a", tmp_path / "a.py", known) == {"p.b"}
    assert _loaded_imports("p.b", tmp_path / "b.py", known) == {"p.a"}
    tree = ast.parse((tmp_path / "b.py").read_text())
    assert [n.end_lineno - n.lineno + 1 for n in tree.body if isinstance(n, ast.FunctionDef)] == [91]
