"""Shared pytest options, the terminal width of every test, and the tests that need PostgreSQL or Chromium.

Tests marked ``postgres`` need a server (``CIVICFLOW_TEST_PG_URL``), tests marked ``browser`` need headless
Chromium. Where one is missing those tests are skipped at collection, and the summary says so in one line
per reason (not one line per test). Under CI (``CI`` or ``CIVICFLOW_CI`` set) a missing one is an error
instead: there both must run (``CIVICFLOW_SKIP_PG=1`` waives PostgreSQL explicitly).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

PG_ENV = "CIVICFLOW_TEST_PG_URL"
CHROMIUM = "/usr/bin/chromium"

_REASONS = {
    "postgres": (
        f"needs a PostgreSQL server: set {PG_ENV}=postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB "
        "(.ci/run starts one and sets it)"
    ),
    "browser": "needs headless Chromium (Debian package 'chromium'); the page is still checked by parsing",
}


def _missing() -> dict[str, str]:
    """marker -> why its tests cannot run here."""
    missing = {}
    if not os.environ.get(PG_ENV):
        missing["postgres"] = _REASONS["postgres"]
    if shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        missing["browser"] = _REASONS["browser"]
    return missing


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden/ instead of comparing against them",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not (os.environ.get("CI") or os.environ.get("CIVICFLOW_CI")):
        return
    missing = _missing()
    if os.environ.get("CIVICFLOW_SKIP_PG") == "1":
        missing.pop("postgres", None)
    if missing:
        raise pytest.UsageError("under CI every test must run, but: " + "; ".join(missing.values()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = _missing()
    for item in items:
        for marker, reason in missing.items():
            if item.get_closest_marker(marker) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))


def _reasons_line() -> int:
    """The line where the reasons are written (0-based, as pytest keeps it)."""
    lines = Path(__file__).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith("_REASONS"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """A skip for a missing server or browser is reported at one place (where the reasons are written),
    so that the summary folds all of them into one line per reason."""
    report = yield
    longrepr = getattr(report, "longrepr", None)
    if getattr(report, "skipped", False) and isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2]).removeprefix("Skipped: ")
        if reason in _REASONS.values():
            report.longrepr = (__file__, _reasons_line(), reason)
            # without the 'skip' keyword every such report folds by (file, line, reason), module marks or not
            report.keywords = {k: v for k, v in report.keywords.items() if k != "skip"}
    return report


FROZEN_NOW = dt.datetime(2026, 1, 14, 22, 30, tzinfo=dt.UTC)
"""The instant the command line's clock reads in tests: late evening UTC, already the 15th in Kyiv."""


@pytest.fixture(autouse=True)
def _same_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests hold on any machine: the CLI's one clock function gives :data:`FROZEN_NOW`, help text is
    wrapped for an 80-column terminal whatever the terminal running the tests, colour is left to
    each test's --color, and the language to each test's --lang or environment (English otherwise,
    whatever the developer's locale)."""
    import civicflow.cli._common as common

    monkeypatch.setattr(common, "now_utc", lambda: FROZEN_NOW)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
