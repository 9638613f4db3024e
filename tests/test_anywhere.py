"""Output that does not depend on where the checkout lives, on the clock or on the terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civicflow.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "events"


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    args = ["--color", "never", "check", "drohobych_kir", str(path), "--as-of", "2025-01-10"]
    assert main(args) == 0
    return capsys.readouterr().out.splitlines()


def test_check_table_is_the_same_under_a_long_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A log under a 150-character folder gives the same 80-column table as the same log nearby."""
    deep = tmp_path.joinpath(*(["a_rather_long_folder_name_for_a_checkout"] * 4))
    deep.mkdir(parents=True)
    near = tmp_path / "drohobych_in_progress.json"
    far = deep / "drohobych_in_progress.json"
    for target in (near, far):
        shutil.copy(FIXTURES / "drohobych_in_progress.json", target)
    assert len(str(far)) > 150
    near_lines, far_lines = _check(near, capsys), _check(far, capsys)
    assert near_lines == far_lines
    assert max(len(line) for line in far_lines) <= 80
    assert far_lines[0] == "drohobych_kir: drohobych_in_progress.json"
