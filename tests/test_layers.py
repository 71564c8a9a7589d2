"""The house in layers: every project import runs down the layers, never up, never in a circle,
never from inside a function (docs/ARCHITECTURE.md draws the same list)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Lowest first. A module may import its own layer's modules and any layer below its own.
LAYERS: tuple[str, ...] = (
    "analytics.core",           # config, named SQL, the store, filters, problems, transactions
    "analytics.catalog",        # the vocabulary: metrics, rules, statuses (each metric names its SQL)
    "analytics.access",         # scope, viewer, users, login
    "analytics.engine",         # derived models, the journal, publishing
    "analytics.contract",       # the data contract: tables, policy format, importer, export
    "analytics.policy",         # policies in force per territory
    "analytics.verification",   # the verification queue and one intervention's explanation
    "analytics.metrics",        # the metric table, the score, disputes
    "analytics.conversation",   # threads on findings
    "analytics.billing",        # pre-invoices
    "analytics.demo",           # the demo network, built through the importer
    "analytics.page_data",      # what a page reads (nothing in analytics imports it)
    "analytics.commands",       # the command line
    "analytics.api",            # the HTTP API (served by `python -m analytics api`, named by path)
    "analytics.__main__",
    "ui",                       # shared Streamlit blocks
    "pages",                    # one file per page
    "app",                      # the navigation
)
PROJECT_ROOTS = ("analytics", "ui", "pages", "app")


def layer_of(module: str) -> int | None:
    if module == "analytics":  # the root package: empty, below everything
        return -1
    for rank in range(len(LAYERS) - 1, -1, -1):
        name = LAYERS[rank]
        if module == name or module.startswith(name + "."):
            return rank
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("analytics", "ui", "pages"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def is_project(module: str) -> bool:
    return module.split(".")[0] in PROJECT_ROOTS


def imports_of(path: Path) -> list[tuple[str, int, bool]]:
    """``(imported module, line, at module level)`` for every project import of ``path``.
    ``from package import name`` counts as importing ``package.name`` when that is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, top) for a in child.names if is_project(a.name))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                if not is_project(base):
                    continue
                for alias in child.names:
                    candidate = f"{base}.{alias.name}"
                    as_module = (ROOT / candidate.replace(".", "/")).with_suffix(".py").exists() or \
                        (ROOT / candidate.replace(".", "/") / "__init__.py").exists()
                    found.append((candidate if as_module else base, child.lineno, top))
            visit(child, inner)

    visit(tree, True)
    return found


def graph() -> dict[str, list[tuple[str, int, bool]]]:
    return {module_name(p): imports_of(p) for p in project_files()}


def test_every_project_module_has_a_layer():
    assert [m for m in graph() if layer_of(m) is None] == []


def test_imports_run_down_the_layers():
    wrong = []
    for module, imports in graph().items():
        for target, line, _ in imports:
            if layer_of(target) is None or layer_of(target) > layer_of(module):
                wrong.append(f"{module}:{line} imports {target} (a layer above)")
    assert wrong == []


def test_page_data_is_read_by_pages_only():
    wrong = [f"{m}:{line} imports {t}" for m, imports in graph().items() for t, line, _ in imports
             if layer_of(t) == LAYERS.index("analytics.page_data") and m.startswith("analytics.")
             and not m.startswith("analytics.page_data")]
    assert wrong == []


def test_no_project_import_inside_a_function():
    late = [f"{m}:{line} imports {t}" for m, imports in graph().items() for t, line, top in imports if not top]
    assert late == []


def test_no_import_circle():
    edges = {m: {t for t, _, _ in imports if t in graph_modules()} for m, imports in graph().items()}
    # the package itself (its __init__) is imported when a submodule is: count that edge too
    for m in list(edges):
        for t in list(edges[m]):
            parent = t.rpartition(".")[0]
            if parent in edges and parent != m and not m.startswith(parent + "."):
                edges[m].add(parent)
    cycles = []
    state: dict[str, int] = {}

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                walk(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            walk(start, [start])
    assert cycles == []


_MODULES: set[str] = set()


def graph_modules() -> set[str]:
    if not _MODULES:
        _MODULES.update(module_name(p) for p in project_files())
    return _MODULES


@pytest.mark.parametrize("source, expected", [
    ("from analytics.core import sql\n", ["analytics.core.sql"]),
    ("from analytics.catalog import METRICS\n", ["analytics.catalog"]),
    ("import analytics.core.store\n", ["analytics.core.store"]),
    ("def f():\n    from analytics.core import store\n", ["analytics.core.store (late)"]),
])
def test_the_walker_sees_each_kind_of_import(tmp_path, monkeypatch, source, expected):
    fake = ROOT / "analytics" / "core" / "_layer_probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source if self == fake else "")
    got = [t + ("" if top else " (late)") for t, _, top in imports_of(fake)]
    assert got == expected
