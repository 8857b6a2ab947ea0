"""The house rules of docs/architecture.md, checked over every module's imports.

Each folder of ``tdld/`` is a layer; a layer imports only the layers below it. The table is the
rule, and the tests fail when any import breaks it, so that the layout stays readable.
"""

import ast
import shutil
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tdld"

# Which tdld folders each folder may import (itself included). Reading down the table is reading
# the data flow: sources are built into a release, which is read, queried and served.
MAY_IMPORT = {
    "core": {"core"},
    "release": {"core", "release"},
    "build": {"core", "release", "build"},
    "sparql": {"core", "release", "sparql"},
    "read": {"core", "release", "read"},
    "remote": {"core", "release", "sparql", "remote"},
    "versions": {"core", "release", "build", "versions"},
    "linking": {"core", "release", "build", "linking"},
    "reconcile": {"core", "release", "read", "reconcile"},
    "web": {"core", "release", "read", "sparql", "remote", "versions", "reconcile", "web"},
    "selftest": {"core", "selftest"},
    "cli": {"core", "release", "build", "sparql", "read", "remote", "versions", "linking", "reconcile", "web",
            "selftest", "cli"},
    "": {"core"},  # tdld/__init__.py: the version, and rdflib locked down on import
}
for _folder in set(MAY_IMPORT) - {"core", ""}:
    MAY_IMPORT[_folder].add("")  # ``from .. import __version__``
# Third-party packages that belong to one place: HTTP serving to web/, the reference SHACL and
# OWL engines to the build.
ONLY_IN = {"flask": {"web"}, "werkzeug": {"web"}, "granian": {"web"}, "jinja2": {"web"},
           "pyshacl": {"build"}, "owlrl": {"build"}}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports, anywhere in it (function bodies too), as absolute names."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.append((module, node.lineno))
            # ``from . import x`` may name a module
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names
                      if (root.parent / f"{module}.{alias.name}".replace(".", "/")).with_suffix(".py").exists()
                      or (root.parent / f"{module}.{alias.name}".replace(".", "/") / "__init__.py").exists()]
    return found


def folder_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else ""


def import_graph(root: Path) -> dict[str, list[tuple[str, int]]]:
    return {module_name(p, root): imports_of(p, root) for p in sorted(root.rglob("*.py"))}


def broken_rules(root: Path) -> list[str]:
    """One line per import that breaks the table, naming the file and line."""
    problems = []
    for module, imports in import_graph(root).items():
        folder = folder_of(module)
        for target, line in imports:
            top = target.split(".")[0]
            where = f"{module.replace('.', '/')}:{line}"
            if top == "tdld":
                other = folder_of(target)
                if other not in MAY_IMPORT.get(folder, set()):
                    problems.append(f"{where}: {folder or 'tdld'}/ imports {other or 'tdld'}/ ({target})")
            elif top in ONLY_IN and folder not in ONLY_IN[top]:
                problems.append(f"{where}: {folder or 'tdld'}/ imports {top}, which only {'/'.join(ONLY_IN[top])}/ may")
    return problems


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The cycles of a directed graph (one per strongly connected component of two or more)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def module_cycles(root: Path) -> list[list[str]]:
    graph = import_graph(root)
    edges = {m: {t for t, _ in imports if t in graph and t != m} for m, imports in graph.items()}
    # a package's __init__ importing its own modules is how packages work, not a cycle
    for module in edges:
        edges[module] = {t for t in edges[module] if not module.startswith(t + ".")}
    return cycles(edges)


def folder_cycles(root: Path) -> list[list[str]]:
    edges: dict[str, set[str]] = {}
    for module, imports in import_graph(root).items():
        for target, _ in imports:
            if target.split(".")[0] == "tdld" and folder_of(target) != folder_of(module):
                edges.setdefault(folder_of(module), set()).add(folder_of(target))
    return cycles(edges)


def test_every_import_keeps_the_layer_rules():
    assert broken_rules(PACKAGE) == []


def test_no_import_cycle_between_modules_or_folders():
    assert module_cycles(PACKAGE) == []
    assert folder_cycles(PACKAGE) == []


def test_the_table_itself_has_no_cycle_and_covers_every_folder():
    edges = {folder: allowed - {folder, ""} for folder, allowed in MAY_IMPORT.items()}
    assert cycles(edges) == []
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders == set(MAY_IMPORT) - {""}


@pytest.mark.parametrize("module, line, rule", [
    ("core/text.py", "from ..web import create_app", "core/ imports web/"),
    ("release/dump.py", "from ..build.load import load_sources", "release/ imports build/"),
    ("read/knowledge.py", "from ..remote.store import RemoteStore", "read/ imports remote/"),
    ("sparql/guard.py", "import flask", "sparql/ imports flask"),
    ("linking/score.py", "from ..cli.options import _layout", "linking/ imports cli/"),
])
def test_a_broken_rule_is_reported_with_its_place(tmp_path, module, line, rule):
    copy = tmp_path / "tdld"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _broken():\n    {line}\n", encoding="utf-8")
    problems = broken_rules(copy)
    assert len(problems) == 1 and rule in problems[0] and problems[0].startswith(f"tdld/{module[:-3]}:")


def test_a_cycle_between_two_modules_is_found(tmp_path):
    copy = tmp_path / "tdld"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    processes = copy / "sparql" / "processes.py"  # worker.py imports it
    processes.write_text(processes.read_text() + "\n\ndef _back():\n    from .worker import Job\n")
    assert module_cycles(PACKAGE) == []
    assert any({"tdld.sparql.processes", "tdld.sparql.worker"} <= set(cycle) for cycle in module_cycles(copy))


def test_modules_and_functions_stay_short():
    """About 400 lines a module and 80 a function, so that each can be read at once (data tables aside)."""
    data_tables = {"tdld/web/i18n.py"}
    long_modules, long_functions = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = str(path.relative_to(PACKAGE.parent))
        text = path.read_text(encoding="utf-8")
        if name in data_tables:
            continue
        if text.count("\n") > 420:
            long_modules.append(name)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 80:
                long_functions.append(f"{name}:{node.lineno} {node.name}")
    assert long_modules == [] and long_functions == []
