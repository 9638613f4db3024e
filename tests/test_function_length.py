"""No function in civicflow is longer than 100 lines: a longer one is split where the split shows the idea.

Lines are counted from ``def`` to the function's last line (docstring and comments included, decorators
not); a nested function counts for itself and as part of the function around it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "civicflow"
LIMIT = 100

# The only functions allowed to be longer, each with the reason. Nothing else belongs here.
ALLOWED = {
    # The web service's route installers: each registers every route of its application in one place,
    # as FastAPI's decorators are written; a route is a nested function of its installer.
    "server/app.py:create_app",
    "server/dashboard.py:install",
    # a page route registered by the dashboard's installer (its template context, built in one place)
    "server/dashboard.py:install.instance_page",
}


def function_lengths(source: str) -> dict[str, int]:
    """Each function's qualified name (``Class.method``, ``outer.inner``) -> its length in lines."""
    lengths: dict[str, int] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                assert child.end_lineno is not None
                lengths[name] = child.end_lineno - child.lineno + 1
                walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + ".")
            else:
                walk(child, prefix)

    walk(ast.parse(source), "")
    return lengths


def test_no_function_is_longer_than_100_lines() -> None:
    """Every function of the package but the allowed ones has at most 100 lines."""
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for name, length in function_lengths(path.read_text(encoding="utf-8")).items():
            if length > LIMIT and f"{module}:{name}" not in ALLOWED:
                too_long.append(f"{module}:{name} has {length} lines")
    assert not too_long, "split these where the split shows the idea:\n" + "\n".join(too_long)


def test_lengths_are_measured() -> None:
    """Methods and nested functions are found and measured from def to their last line."""
    source = (
        "class A:\n"
        "    def m(self):\n"
        "        def inner():\n"
        "            return 1\n"
        "        return inner()\n"
        "\n"
        "async def f():\n" + "    x = 1\n" * 101
    )
    assert function_lengths(source) == {"A.m": 4, "A.m.inner": 2, "f": 102}
