"""The package's floors: imports point down only, no cycle, small modules, thin entries."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

PACKAGE = ROOT / "scripts" / "reportkb"
FLOORS = (
    ("model", "errors", "parallel"),
    ("text",),
    ("config",),
    ("store",),
    ("stages",),
    ("analysis",),
    ("checker",),
    ("pages",),
    ("pipeline", "addfiles"),
    ("cli",),
)
"""Bottom to top. ``testing`` (support for tests and benchmarks) may import any floor; nothing imports it."""
MAX_LINES = 400
MAX_ENTRY_LINES = 60


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every reportkb module a file imports, at top level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("reportkb"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("reportkb")}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    assert len(modules) > 40
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _floor(module: str) -> int | None:
    top = module.split(".")[1] if "." in module else ""
    for level, names in enumerate(FLOORS):
        if top in names:
            return level
    return None


def test_the_import_graph_has_no_cycle():
    graph = _graph()
    # A package's __init__ re-exporting its own modules is not a cycle between modules.
    edges = {m: {d for d in deps if not (m.count(".") and d.startswith(m + "."))} for m, deps in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(edges[node]):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep):] + [dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_imports_point_down_the_floors():
    upward = []
    for module, deps in sorted(_graph().items()):
        if module == "reportkb" or module.startswith("reportkb.testing"):
            continue
        level = _floor(module)
        assert level is not None, f"{module} is in no floor: add it to FLOORS"
        for dep in sorted(deps):
            if dep.startswith("reportkb.testing"):
                upward.append(f"{module} imports test support {dep}")
            elif (dep_level := _floor(dep)) is not None and dep_level > level:
                upward.append(f"{module} → {dep}")
    assert upward == []


def test_modules_are_small_and_entries_thin():
    long = [f"{p.relative_to(ROOT)}: {n}" for p in sorted(PACKAGE.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []
    for entry in ("kb.py", "mkdocs_hooks.py"):
        lines = len((ROOT / "scripts" / entry).read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_ENTRY_LINES, (entry, lines)


def test_tests_import_neither_benchmarks_nor_conftest():
    offenders = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            offenders += [f"{path.name}: {n}" for n in names if n and n.split(".")[0] in {"conftest", "bench", "bench_search",
                                                                                       "bench_checker", "bench_similar",
                                                                                       "theme_accuracy", "requirements_sample"}]
    assert offenders == []
