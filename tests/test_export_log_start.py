"""``civicflow export --events LOG`` takes the process start from the log's own ``start:`` key, as
check, status and due do; ``--start`` still wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicflow.cli import main

EXAMPLE = str(Path(__file__).parent.parent / "examples" / "drohobych_events.yaml")


def _export(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["export", "drohobych_kir", "--events", EXAMPLE, "--as-of", "2025-11-20", *args]) == 0
    return capsys.readouterr().out


def test_the_example_command_in_the_log_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The command the example log's comment shows works without --start: the log says start: 2025-10-06."""
    out = _export(["--format", "md"], capsys)
    assert "Planned: 2025-10-06 Mon" in out
    assert out == _export(["--format", "md", "--start", "2025-10-06"], capsys)


def test_start_option_wins_over_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_export(["--format", "json", "--start", "2025-10-01"], capsys))
    assert data["start"] == "2025-10-01"
    data = json.loads(_export(["--format", "json"], capsys))
    assert data["start"] == "2025-10-06"


def test_a_log_without_start_still_asks_for_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = Path(EXAMPLE).read_text(encoding="utf-8").replace("start: 2025-10-06\n", "")
    log = tmp_path / "no_start.yaml"
    log.write_text(text, encoding="utf-8")
    assert main(["export", "drohobych_kir", "--events", str(log), "--format", "md"]) == 2
    assert "--start" in capsys.readouterr().err
