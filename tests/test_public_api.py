"""The public API is exactly what ``civicflow.__all__`` lists."""

from __future__ import annotations

import types

import civicflow


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
    assert issubclass(civicflow.DurationError, ValueError)
    assert issubclass(civicflow.UnknownJurisdictionError, LookupError)
    assert issubclass(civicflow.TemplateError, civicflow.CivicflowError)
    assert issubclass(civicflow.ConflictError, civicflow.StoreError)


def test_problem_renders_file_line_column_and_path() -> None:
    """A problem reads ``file:line:column: path: message``."""
    problem = civicflow.Problem(
        "unknown step 'x'", source="a.yaml", line=4, column=9, path=("stages", 0, "steps", 2, "depends_on")
    )
    assert str(problem) == "a.yaml:4:9: stages[0].steps[2].depends_on: unknown step 'x'"
