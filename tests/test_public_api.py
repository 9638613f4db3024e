"""The public API is exactly what ``civicflow.__all__`` lists."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import types
from pathlib import Path

import civicflow
from civicflow import errors


def test_all_is_sorted_and_unique() -> None:
    """``__all__`` is kept sorted so that additions show up clearly in a diff."""
    assert list(civicflow.__all__) == sorted(set(civicflow.__all__))


def test_every_exported_name_exists() -> None:
    """Each name in ``__all__`` resolves on the package."""
    missing = [name for name in civicflow.__all__ if not hasattr(civicflow, name)]
    assert missing == []


def test_nothing_exported_by_accident() -> None:
    """Every public, non-module attribute of the package is in ``__all__``."""
    public = {
        name
        for name, value in vars(civicflow).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert public - set(civicflow.__all__) == set()


def test_errors_subclass_their_builtins() -> None:
    """A caller who catches the builtin exception still catches civicflow's."""
    assert issubclass(errors.DurationError, ValueError)
    assert issubclass(errors.UnknownJurisdictionError, LookupError)
    assert issubclass(civicflow.TemplateError, civicflow.CivicflowError)
    assert issubclass(errors.ConflictError, errors.StoreError)


def test_problem_renders_file_line_column_and_path() -> None:
    """A problem reads ``file:line:column: path: message``."""
    problem = civicflow.Problem(
        "unknown step 'x'", source="a.yaml", line=4, column=9, path=("stages", 0, "steps", 2, "depends_on")
    )
    assert str(problem) == "a.yaml:4:9: stages[0].steps[2].depends_on: unknown step 'x'"


# The top-level API: the names a program needs to load templates, plan, follow instances, read event logs,
# check them, export and store; everything else lives in its sub-package. A name added here is a decision.
TOP_LEVEL = {
    # loading templates
    "ProcessTemplate",
    "list_templates",
    "load_bundled_template",
    "load_template",
    "load_template_file",
    # calendars and periods
    "Deadline",
    "Duration",
    "WorkingCalendar",
    # planning
    "Schedule",
    "plan",
    # instances and event logs
    "Event",
    "EventLog",
    "EventType",
    "ProcessInstance",
    "read_event_log",
    "read_event_text",
    # compliance
    "Finding",
    "Report",
    "check",
    # export and storage
    "ExportOptions",
    "Store",
    "render",
    # errors a program catches (the rest are in civicflow.errors)
    "CivicflowError",
    "EventLogError",
    "IllegalTransitionError",
    "Problem",
    "TemplateError",
    "TemplateNotFoundError",
    "UnknownStepError",
    "__version__",
}

# Internals that no public module exports: compiled templates, the checker behind check(), JSON format
# markers, type aliases and helpers of the package itself.
INTERNAL = {"Checker", "Procedure", "RuleInfo", "calendar_for", "FORMAT", "InstanceLike", "order_problems"}

API_MD = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def test_the_top_level_api_is_small_and_chosen() -> None:
    """``civicflow.__all__`` is exactly the chosen names, about 25 of them."""
    assert set(civicflow.__all__) == TOP_LEVEL
    assert 20 <= len(civicflow.__all__) <= 35


def _public_modules() -> list[types.ModuleType]:
    """Every module of the package whose dotted name has no part starting with ``_``."""
    found = [civicflow]
    for info in pkgutil.walk_packages(civicflow.__path__, "civicflow."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        if info.name.startswith(("civicflow.cli", "civicflow.server")):
            continue  # applications, not library modules (they import FastAPI and the like)
        found.append(importlib.import_module(info.name))
    return found


def test_internals_are_exported_by_no_public_module() -> None:
    """The compiled procedure, the checker, format markers and aliases stay private in every module."""
    leaks = sorted(
        (module.__name__, name)
        for module in _public_modules()
        for name in getattr(module, "__all__", ())
        if name in INTERNAL
    )
    assert leaks == []


def _is_public(dotted: str) -> bool:
    """``civicflow.x.y``: a public module, or a name in the ``__all__`` of one (any name of one that has
    no ``__all__``), never under a name starting with ``_``."""
    parts = dotted.split(".")
    if any(part.startswith("_") for part in parts[1:]):
        return False
    try:
        importlib.import_module(dotted)
        return True
    except ImportError:
        pass
    module = importlib.import_module(".".join(parts[:-1]))
    if hasattr(module, "__all__"):
        return parts[-1] in module.__all__
    return hasattr(module, parts[-1])  # a module without __all__: its names not starting with "_"


def _names_used(markdown: str) -> list[str]:
    """The civicflow names a page's Python snippets import or reach, and those its prose cites."""
    names: list[str] = []
    for code in re.findall(r"```python\n(.*?)```", markdown, re.S):
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "civicflow":
                names.extend(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.extend(a.name for a in node.names if a.name.split(".")[0] == "civicflow")
    names.extend(re.findall(r"`(civicflow(?:\.\w+)+)", markdown))
    return names


def test_the_api_guard_sees_private_names() -> None:
    """The guard is not blind: internals, underscore modules and unknown names are not public."""
    text = (
        "```python\nfrom civicflow.compliance import Checker\nimport civicflow._procedure\n```\n"
        "`civicflow.nope`"
    )
    used = _names_used(text)
    assert used == ["civicflow.compliance.Checker", "civicflow._procedure", "civicflow.nope"]
    assert not any(_is_public(name) for name in used)
    assert _is_public("civicflow.compliance.outlook")
    assert _is_public("civicflow.planner")


def test_api_md_uses_only_public_names() -> None:
    """docs/api.md imports and cites only public names: from the top level or a public module's
    ``__all__``, never an underscore module."""
    used = _names_used(API_MD.read_text(encoding="utf-8"))
    assert len(used) > 20
    assert sorted({name for name in used if not _is_public(name)}) == []
