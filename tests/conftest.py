"""Shared pytest options."""

from __future__ import annotations

import datetime as dt

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden/ instead of comparing against them",
    )


FROZEN_NOW = dt.datetime(2026, 1, 14, 22, 30, tzinfo=dt.UTC)
"""The instant the command line's clock reads in tests: late evening UTC, already the 15th in Kyiv."""


@pytest.fixture(autouse=True)
def _same_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests hold on any machine: the CLI's one clock function gives :data:`FROZEN_NOW`, help text is
    wrapped for an 80-column terminal whatever the terminal running the tests, and colour is left to
    each test's --color."""
    import civicflow.cli._common as common

    monkeypatch.setattr(common, "now_utc", lambda: FROZEN_NOW)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)
