"""The house rules the folder layout promises (README, "How it is built"), read from the sources:
no Qt in the core, no SQL in the window, the core used through its public face, no module over
its size, no import cycle."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "notebook_app"
MAX_LINES = 600
MAX_LINES_GUI = 400
_SQL = re.compile(r"\b(?:SELECT\b.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.S)


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (the generated Qt code aside)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "generated" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(tree: ast.AST) -> Iterator[tuple[ast.stmt, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node, node.module


def test_the_core_has_no_qt() -> None:
    qt = [
        f"{name}: {module}"
        for name, path in MODULES.items() if name.startswith("notebook_app.core")
        for _node, module in _imports(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[0] in ("PySide6", "shiboken6")
    ]  # fmt: skip
    assert not qt


def test_the_window_writes_no_sql() -> None:
    """The window asks the core; it names no table, runs no statement of its own and imports
    no database module (the errors it catches are the core's: api.StorageError)."""
    found = []
    for name, path in MODULES.items():
        if not name.startswith("notebook_app.gui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{name}: {m}" for _n, m in _imports(tree)
                  if m.split(".")[0] in ("sqlite_utils", "sqlite3")]  # fmt: skip
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _SQL.search(node.value):
                    found.append(f"{name}:{node.lineno}: {node.value[:40]!r}")
            elif isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany"):
                found.append(f"{name}:{node.lineno}: .{node.attr}(")
    assert not found


def test_the_window_and_the_command_line_use_the_core_through_its_face() -> None:
    """``gui/`` and ``cli/`` import the core from ``notebook_app.core.api`` only, at any depth
    (inside functions and type-checking blocks too): what they need of the core is named there,
    and the core's own layout can change behind it."""
    clients = ("notebook_app.gui", "notebook_app.cli")
    strays = [
        f"{name}:{node.lineno}: {module}"
        for name, path in MODULES.items() if name.startswith(clients)
        for node, module in _imports(ast.parse(path.read_text(encoding="utf-8")))
        if module.startswith("notebook_app.core") and module != "notebook_app.core.api"
    ]  # fmt: skip
    assert not strays


def test_no_module_is_over_its_size() -> None:
    over = {}
    for name, path in MODULES.items():
        limit = MAX_LINES_GUI if name.startswith("notebook_app.gui") else MAX_LINES
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            over[name] = lines
    assert not over


def _module_level_graph() -> dict[str, set[str]]:
    """Who imports whom when a module is loaded: the imports its body runs, not those inside
    functions (loaded later, on purpose) nor under ``if TYPE_CHECKING``."""

    def run_on_load(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if isinstance(statement, ast.If) and "TYPE_CHECKING" in ast.unparse(statement.test):
                yield from run_on_load(statement.orelse)
                continue
            yield statement
            for block in ("body", "orelse", "finalbody"):  # ifs, tries, withs, class bodies
                yield from run_on_load(getattr(statement, block, []))
            for handler in getattr(statement, "handlers", []):
                yield from run_on_load(handler.body)

    def resolved(module: str) -> str | None:
        while module and module not in MODULES:
            module = module.rpartition(".")[0]
        return module or None

    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for statement in run_on_load(ast.parse(path.read_text(encoding="utf-8")).body):
            targets: list[str | None] = []
            if isinstance(statement, ast.Import):
                targets = [resolved(alias.name) for alias in statement.names]
            elif isinstance(statement, ast.ImportFrom) and statement.module:
                module = statement.module
                targets = [  # "from package import module" loads that module
                    full if (full := f"{module}.{alias.name}") in MODULES else resolved(module)
                    for alias in statement.names
                ]
            graph[name] |= {t for t in targets if t and t.startswith("notebook_app") and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        if name in path:
            return path[path.index(name) :] + [name]
        if name in done:
            return None
        path.append(name)
        for imported in sorted(graph[name]):
            if (cycle := visit(imported)) is not None:
                return cycle
        path.pop()
        done.add(name)
        return None

    for name in sorted(graph):
        if (cycle := visit(name)) is not None:
            return cycle
    return None


def test_no_import_cycle() -> None:
    graph = _module_level_graph()
    # The reader sees the imports made on load, and not those made inside a function.
    assert "notebook_app.core.storage.notebook" in graph["notebook_app.core.api"]
    assert "notebook_app.core.storage.backups" not in graph["notebook_app.core.storage.database"]
    assert _cycle(graph) is None
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_public_face_serves_every_name_it_declares() -> None:
    """``core/api.py`` names each export three times (the import or the type checker's import,
    the lazy table, ``__all__``): the three agree, and every lazy name resolves."""
    from notebook_app.core import api

    tree = ast.parse(MODULES["notebook_app.core.api"].read_text(encoding="utf-8"))
    eager: set[str] = set()
    typed: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("notebook_app."):
            eager |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            typed |= {
                alias.asname or alias.name
                for child in node.body if isinstance(child, ast.ImportFrom)
                for alias in child.names
            }  # fmt: skip
    assert set(api._LAZY) == typed
    assert sorted(api.__all__) == sorted(eager | typed)
    unresolved = [name for name in api._LAZY if getattr(api, name, None) is None]
    assert not unresolved
