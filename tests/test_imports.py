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
# * `yaml`: the safe YAML reader shared by templates and event logs.
ROOMS: dict[str, str] = {
    "holidays": "civicflow.calendar",
    "transitions": "civicflow.instance",
    "yaml": "civicflow.loader",
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
    nested = [m for m, names in imports.items() if "civicflow.loader._stream" in names]
    assert nested, "a function-level import of the log reader is seen"


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
