"""How the package's modules import each other and their dependencies, read from the source (ast).

Every ``import`` statement counts: at the top of a module and inside functions, methods and
``if TYPE_CHECKING:`` blocks alike, since a dependency hidden in a function is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import civicflow

PACKAGE_DIR = Path(civicflow.__file__).resolve().parent

# Third-party libraries that stay in one room of the package, so that a change of library (or of its
# data, as with `holidays`) touches one sub-package:
# * `holidays`: the working-day calendar (public holidays, transferred days off);
# * `transitions`: the state machine of a process instance;
# * `yaml`: the safe YAML reader shared by templates and event logs;
# * `zoneinfo` and `pendulum`: the one date-time layer (time zones, local days).
ROOMS: dict[str, str] = {
    "holidays": "civicflow.calendar",
    "pendulum": "civicflow.dates",
    "transitions": "civicflow.instance",
    "yaml": "civicflow.loader",
    "zoneinfo": "civicflow.dates",
}


def module_name(path: Path) -> str:
    """``civicflow.x.y`` for ``<package>/x/y.py`` (``civicflow.x`` for ``x/__init__.py``)."""
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path) -> set[str]:
    """Absolute dotted names of everything ``path`` imports, at any depth of its syntax tree."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # ``from civicflow.x import y`` may import the module civicflow.x.y
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def package_imports() -> dict[str, set[str]]:
    """Each module of the package and the names it imports."""
    return {module_name(path): imported_names(path) for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def _inside(module: str, room: str) -> bool:
    return module == room or module.startswith(room + ".")


def test_the_import_reader_sees_imports_in_functions() -> None:
    """The reader finds the library imports it must police, at the top and inside functions."""
    imports = package_imports()
    assert "yaml" in imports["civicflow.loader._yaml"]
    assert "holidays" in imports["civicflow.calendar._working"]
    assert "transitions" in imports["civicflow.instance._lifecycle"]
    assert "pendulum" in imports["civicflow.dates"]  # inside zone()
    # ProcessInstance.check imports the compliance checker inside the method
    assert "civicflow.compliance" in imports["civicflow.instance._instance"]


def test_libraries_are_imported_only_in_their_room() -> None:
    """holidays, transitions and yaml are imported only inside the sub-package that owns them."""
    strays = sorted(
        (module, imported)
        for module, names in package_imports().items()
        for imported in names
        for library, room in ROOMS.items()
        if _inside(imported, library) and not _inside(module, room)
    )
    assert strays == []


# Imports that still run against the direction of the package (lower modules must not import higher
# ones). Each closes an import cycle; the list may only shrink: a test fails when an entry is no longer
# needed, so that it is removed, and any new cycle fails the test below.
# (importing module, imported module or sub-package)
KNOWN_BACK_EDGES: frozenset[tuple[str, str]] = frozenset()


def _unit(module: str) -> str:
    """The sub-package (``civicflow.x``) or top-level module a module belongs to."""
    return ".".join(module.split(".")[:2])


def _edges(imports: dict[str, set[str]], *, units: bool) -> dict[str, set[str]]:
    """Who imports whom inside the package, leaving out the top-level package (which re-exports all),
    self-imports and the known back edges; with ``units``, modules are merged into their sub-package."""
    modules = set(imports)
    graph: dict[str, set[str]] = {}
    for module, names in imports.items():
        for name in names:
            if name not in modules or "civicflow" in (module, name):
                continue
            if any(module == m and _inside(name, target) for m, target in KNOWN_BACK_EDGES):
                continue
            a, b = (_unit(module), _unit(name)) if units else (module, name)
            if a != b:
                graph.setdefault(a, set()).add(b)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_cycle_finder_finds_a_cycle() -> None:
    """The cycle finder is not blind: a three-module loop and a two-module loop are reported."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"], ["d", "e"]]


def test_no_import_cycles_between_modules() -> None:
    """No module imports, directly or through others, a module that imports it (function-level imports
    count), apart from the known back edges."""
    assert _cycles(_edges(package_imports(), units=False)) == []


def test_no_import_cycles_between_subpackages() -> None:
    """Sub-packages and top-level modules depend on each other one way only, apart from the known back
    edges."""
    assert _cycles(_edges(package_imports(), units=True)) == []


def test_known_back_edges_still_exist() -> None:
    """Each known back edge is still in the code; once it is gone, remove it from the list."""
    imports = package_imports()
    gone = sorted(
        (module, target)
        for module, target in KNOWN_BACK_EDGES
        if not any(_inside(name, target) for name in imports.get(module, ()))
    )
    assert gone == []
