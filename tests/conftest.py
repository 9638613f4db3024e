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
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the real clock: the CLI's one clock function gives :data:`FROZEN_NOW`."""
    import civicflow.cli._common as common

    monkeypatch.setattr(common, "now_utc", lambda: FROZEN_NOW)
