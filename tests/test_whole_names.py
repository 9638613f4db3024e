"""Instance names are never cut in status tables, in any language: ``track history NAME`` needs them
whole. At 80 columns the wider headings of a translation leave less room; the other columns give way
(each name then stands on a line of its own, its cells under it), and no line is wider than 80."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from civicflow.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "events"
LOGS = [
    str(FIXTURES / n) for n in ("drohobych_2024.yaml", "drohobych_in_progress.json", "drohobych_late.csv")
]
NAMES = ["drohobych_2024", "drohobych_in_progress", "drohobych_late"]
LANGS = ["en", "uk", "bg", "ru"]


def _check(out: str) -> None:
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80, out
    for name in NAMES:
        assert any(re.match(rf"{name}(\s|$)", line) for line in lines), (name, out)
    assert "…" not in "\n".join(line for line in lines if line.startswith("drohob")), out


@pytest.mark.parametrize("lang", LANGS)
def test_track_status_keeps_names_whole_at_80_columns(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sqlalchemy")
    db = str(tmp_path / "s.db")
    assert (
        main(["track", "import", *LOGS, "--template", "drohobych_kir", "--start", "2024-10-01", "--db", db])
        == 0
    )
    capsys.readouterr()
    main(["track", "status", "--as-of", "2025-11-01", "--db", db, "--lang", lang])
    out = capsys.readouterr().out
    _check(out)


def test_the_events_column_gives_way_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In English the names fit at 80 columns once the EVENTS column is left out; in Ukrainian they do
    not fit even then, and each name goes on its own line with its count and cells under it."""
    pytest.importorskip("sqlalchemy")
    db = str(tmp_path / "s.db")
    assert (
        main(["track", "import", *LOGS, "--template", "drohobych_kir", "--start", "2024-10-01", "--db", db])
        == 0
    )
    capsys.readouterr()
    main(["track", "status", "--as-of", "2025-11-01", "--db", db])
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].split()[:2] == ["INSTANCE", "S1"]
    assert lines[5].split()[:2] == ["drohobych_in_progress", "done"]
    main(["track", "status", "--as-of", "2025-11-01", "--db", db, "--lang", "uk"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[3:6] == [
        "ПРОЦЕС",
        "    ПОДІЇ Е1      Е2      Е3      Е4      Е5      Е6      ПЕРЕВІРКА НАЙГІРШЕ",
        "drohobych_2024",
    ]
    assert lines[6].split()[:2] == ["42", "вик."]


def test_a_wide_terminal_keeps_every_column_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlalchemy")
    monkeypatch.setenv("COLUMNS", "120")
    db = str(tmp_path / "s.db")
    assert (
        main(["track", "import", *LOGS, "--template", "drohobych_kir", "--start", "2024-10-01", "--db", db])
        == 0
    )
    capsys.readouterr()
    main(["track", "status", "--as-of", "2025-11-01", "--db", db, "--lang", "ru"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].split()[:3] == ["ПРОЦЕСС", "СОБЫТИЯ", "Э1"]
    assert lines[5].split()[:3] == ["drohobych_in_progress", "22", "вып."]


@pytest.mark.parametrize("lang", LANGS)
def test_status_keeps_names_whole_at_80_columns(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["status", *LOGS, "--template", "drohobych_kir", "--as-of", "2025-11-01", "--lang", lang])
    _check(capsys.readouterr().out)


def test_names_that_fit_share_the_line_with_their_cells(capsys: pytest.CaptureFixture[str]) -> None:
    """A wide terminal, or short names, keep one line per instance."""
    main(["status", *LOGS, "--template", "drohobych_kir", "--as-of", "2025-11-01", "--lang", "en"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[0] == "INSTANCE"
    assert lines[3].split()[:2] == ["drohobych_in_progress", "done"]
