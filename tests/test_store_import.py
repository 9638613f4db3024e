"""SQLAlchemy stays out of the core: only the store (and ``civicflow.Store``) loads it."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter, so that ``sys.modules`` starts empty."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


def test_core_and_planning_do_not_import_sqlalchemy() -> None:
    """Importing civicflow, loading a template, planning it and building the CLI never load SQLAlchemy."""
    done = run_python(
        """
        import datetime as dt, sys
        import civicflow, civicflow.events, civicflow.instance, civicflow.planner
        from civicflow.cli import build_parser
        template = civicflow.load_template("drohobych_kir")
        civicflow.planner.plan(template, start=dt.date(2025, 10, 6))
        build_parser()
        assert "Store" in civicflow.__all__
        print(sorted(m for m in sys.modules if m.split(".")[0] == "sqlalchemy"))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_store_attribute_loads_lazily() -> None:
    """``civicflow.Store`` is the store class, imported on first access."""
    done = run_python(
        """
        import sys, civicflow
        before = "sqlalchemy" in sys.modules
        from civicflow.store import Store
        print(before, civicflow.Store is Store, "sqlalchemy" in sys.modules)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True"]


def test_missing_sqlalchemy_says_what_to_install() -> None:
    """Without SQLAlchemy the store raises StoreError naming the extra to install."""
    done = run_python(
        """
        import sys
        sys.modules["sqlalchemy"] = None  # makes "import sqlalchemy" fail as if it were not installed
        import civicflow
        from civicflow.errors import StoreError
        try:
            civicflow.Store
        except StoreError as exc:
            print(exc)
        """
    )
    assert done.returncode == 0, done.stderr
    assert 'pip install "civicflow[store]"' in done.stdout
