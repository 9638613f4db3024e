"""When nothing gives a start (no --start, no start: in the log, none in the template), civicflow check
counts from the first event's day, and the header says so, in every language."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicflow.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "drohobych_events.yaml"
SAID = {
    "en": "start 2025-10-09 Thu (the first event's day: give --start)",
    "uk": "початок 2025-10-09 чт (день першої події: вкажіть --start)",
    "bg": "начало 2025-10-09 чт (денят на първото събитие: задайте --start)",
    "ru": "начало 2025-10-09 чт (день первого события: укажите --start)",
}


@pytest.fixture
def no_start(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "start: 2025-10-06\n" in text
    log = tmp_path / "log.yaml"
    log.write_text(text.replace("start: 2025-10-06\n", ""), encoding="utf-8")
    return log


@pytest.mark.parametrize("lang", sorted(SAID))
def test_the_header_says_the_start_is_the_first_event_s_day(
    lang: str, no_start: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "drohobych_kir", str(no_start), "--as-of", "2025-11-20", "--lang", lang])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith(SAID[lang])
    assert max(len(line) for line in lines) <= 80


@pytest.mark.parametrize("lang", sorted(SAID))
def test_without_as_of_the_day_of_the_check_gets_its_own_line(
    lang: str, no_start: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "drohobych_kir", str(no_start), "--lang", lang])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == SAID[lang]
    assert "Europe/Kyiv" in lines[2]
    assert max(len(line) for line in lines[:3]) <= 80


@pytest.mark.parametrize("extra", [["--start", "2025-10-09"], []], ids=["--start", "the log's start:"])
def test_a_start_that_was_given_is_shown_plainly(
    extra: list[str], no_start: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = str(no_start) if extra else str(EXAMPLE)
    main(["check", "drohobych_kir", log, "--as-of", "2025-11-20", *extra])
    header = capsys.readouterr().out.splitlines()[1]
    assert header.startswith("start 2025-10-0")
    assert "first event" not in header
