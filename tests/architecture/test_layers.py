"""The layer rule (farchron.FLOORS) and the absence of import cycles, from the code's
own imports: every `import` and `from … import` of every module, at module level or
inside a function, except those under `if TYPE_CHECKING:`."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import farchron

PACKAGE = Path(farchron.__file__).resolve().parent
BASE = set(farchron.FLOORS[0])


def _module_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the farchron modules it imports (a `from pkg import mod` counts as mod)."""
    modules = {_module_name(root, p): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()

        def visit(node: ast.AST, deps: set[str] = deps) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    for other in child.orelse:
                        visit(other, deps)
                    continue
                if isinstance(child, ast.Import):
                    deps.update(a.name for a in child.names if a.name in modules)
                elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                    for a in child.names:
                        full = f"{child.module}.{a.name}"
                        if full in modules:
                            deps.add(full)
                        elif child.module in modules:
                            deps.add(child.module)
                visit(child, deps)

        visit(ast.parse(path.read_text(encoding="utf-8")))
        deps.discard(name)
        graph[name] = deps
    return graph


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "farchron"


def _floor(stage: str) -> int:
    for i, names in enumerate(farchron.FLOORS):
        if stage in names:
            return i
    raise AssertionError(f"{stage} is on no floor of farchron.FLOORS")


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, deps in graph.items():
        here = _stage(module)
        if here == "farchron":  # the package's own __init__: imports nothing of its own
            bad += [f"{module} -> {d}" for d in deps]
            continue
        for dep in deps:
            there = _stage(dep)
            if there == here or there == "farchron":
                continue
            if _floor(there) >= _floor(here) and not (here in BASE and there in BASE):
                bad.append(f"{module} (floor {_floor(here)}) -> {dep} (floor {_floor(there)})")
    return sorted(bad)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_every_package_is_on_a_floor():
    stages = {_stage(m) for m in import_graph(PACKAGE)} - {"farchron"}
    for stage in stages:
        _floor(stage)


def test_no_package_imports_upward():
    assert upward_imports(import_graph(PACKAGE)) == []


def test_no_import_cycles():
    assert cycles(import_graph(PACKAGE)) == []


def test_the_rule_catches_an_upward_import_and_a_cycle(tmp_path):
    copy = tmp_path / "farchron"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    edtf = copy / "dates" / "edtf.py"
    edtf.write_text(edtf.read_text(encoding="utf-8") + "\n\ndef _late():\n"
                    "    from farchron.cli.app import App  # upward, and a cycle\n",
                    encoding="utf-8")
    graph = import_graph(copy)
    assert any(b.startswith("farchron.dates.edtf (floor 1) -> farchron.cli.app")
               for b in upward_imports(graph))
    assert any("farchron.dates.edtf" in c and "farchron.cli.app" in c for c in cycles(graph))


def test_top_level_modules_are_few():
    modules = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert len(modules) <= 6, modules


def test_every_package_says_its_job():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"{init.parent.name}/__init__.py: its job, its imports"


def _imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


FRONT_ENDS = ("cli", "lsp", "pandoc")


def test_only_the_command_line_imports_click():
    for path in PACKAGE.rglob("*.py"):
        if _stage(_module_name(PACKAGE, path)) == "cli":
            continue
        assert "click" not in _imports_of(path), path.relative_to(PACKAGE)


def test_only_render_and_the_front_ends_write_to_stdout():
    for path in PACKAGE.rglob("*.py"):
        if _stage(_module_name(PACKAGE, path)) in ("render", *FRONT_ENDS, "__main__"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = ast.unparse(node.func)
                assert f != "print" and not f.startswith("sys.stdout"), (
                    f"{path.relative_to(PACKAGE)}:{node.lineno}: {f}")
