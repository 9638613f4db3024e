"""``civicflow export``: every format from a bundled template, files, languages and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from civicflow.cli import SUBCOMMANDS, build_parser, main

START = ["drohobych_kir", "--start", "2025-10-06", "--as-of", "2025-11-03"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_is_the_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON export is the planned schedule with every step of the template."""
    code, out, _ = _run(capsys, "export", *START, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["process"] == "drohobych_kir"
    assert data["start"] == "2025-10-06"
    assert len(data["steps"]) == 28


def test_lang_picks_titles(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang uk`` gives the Ukrainian titles; ``--lang bg`` falls back to English."""
    _, out, _ = _run(capsys, "export", *START, "--format", "json", "--lang", "uk")
    titles = {s["id"]: s["title"] for s in json.loads(out)["steps"]}
    assert titles["meeting_1"] == "Перше засідання робочої групи"
    _, out, _ = _run(capsys, "export", *START, "--format", "json", "--lang", "bg")
    assert json.loads(out)["steps"][0]["title"] == "First meeting of the working group"


def test_fix_pins_a_step(capsys: pytest.CaptureFixture[str]) -> None:
    """``--fix STEP=DATE`` pins the step, and the calendar shows it on that day."""
    code, out, _ = _run(capsys, "export", *START, "--fix", "meeting_1=2025-10-09", "--format", "csv")
    assert code == 0
    rows = {r["step"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["meeting_1"]["start"], rows["meeting_1"]["start_weekday"]) == ("2025-10-09", "Thu")
    assert rows["meeting_1"]["fixed"] == "yes"


def test_ics_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--output`` writes a valid iCalendar file with stable UIDs and deadline alarms."""
    target = tmp_path / "kir.ics"
    code, out, err = _run(capsys, "export", *START, "--format", "ics", "--output", str(target))
    assert code == 0
    assert out == ""
    assert "wrote" in err
    raw = target.read_bytes()
    assert b"\r\n" in raw  # RFC 5545 line ends survive the write
    calendar = Calendar.from_ical(raw)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert "drohobych_kir.meeting_1@civicflow" in uids
    assert "drohobych_kir.publication_1.deadline@civicflow" in uids
    assert calendar.walk("VALARM")


def test_same_as_of_gives_the_same_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    """With ``--as-of`` the calendar is byte-for-byte reproducible (DTSTAMP follows it)."""
    _, first, _ = _run(capsys, "export", *START, "--format", "ics")
    _, second, _ = _run(capsys, "export", *START, "--format", "ics")
    assert first == second
    assert "DTSTAMP:20251103T000000Z" in first


@pytest.mark.parametrize("fmt", ["markdown", "mermaid", "html"])
def test_text_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Markdown, Mermaid and HTML export exit 0 and name the first step."""
    code, out, _ = _run(capsys, "export", *START, "--format", fmt)
    assert code == 0
    assert "First meeting of the working group" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "pdf"], "known formats: csv, html, ics, json, markdown, mermaid"),
        (["--format", "csv", "--fix", "meeting_1"], "STEP=DATE"),
        (["--format", "csv", "--fix", "meeting_1=tomorrow"], "YYYY-MM-DD"),
        (["--format", "csv", "--fix", "meetng_1=2025-10-09"], "meeting_1"),
        (["--format", "csv", "--output", "/nonexistent/dir/x.csv"], "cannot write"),
    ],
    ids=["unknown-format", "fix-without-date", "fix-bad-date", "fix-unknown-step", "unwritable-output"],
)
def test_bad_input_exits_2_without_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input is a one-line message on stderr and exit code 2, never a traceback."""
    with pytest.raises(SystemExit) as exc:  # argparse errors exit from the parser
        raise SystemExit(main(["export", *START, *argv]))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unknown_template_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown template id is bad input (exit 2) with a message naming it."""
    code, _, err = _run(capsys, "export", "no_such_process", "--start", "2025-10-06", "--format", "json")
    assert code == 2
    assert "no_such_process" in err


def test_every_subcommand_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    """``civicflow COMMAND --help`` ends with examples of that command."""
    for name in SUBCOMMANDS:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        out = capsys.readouterr().out
        assert "example" in out.lower(), name
        assert f"civicflow {name}" in out, name


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """``civicflow --version`` prints the version and exits 0."""
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("civicflow ")


def test_show_and_export_are_registered() -> None:
    """The parser knows ``show`` and ``export``."""
    assert {"show", "export"} <= set(SUBCOMMANDS)
    assert "export" in build_parser().format_help()


EVENTS = str(Path(__file__).resolve().parent.parent / "examples" / "drohobych_events.yaml")


def test_events_colour_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    """With ``--events`` the page carries compliance statuses; one-day steps sit on the day they happened."""
    code, out, _ = _run(
        capsys, "export", "drohobych_kir", "--start", "2025-10-06", "--events", EVENTS,
        "--as-of", "2025-11-20", "--format", "html",
    )  # fmt: skip
    assert code == 0
    assert 'data-step="publication_1" data-status="done_late"' in out
    assert 'data-step="stakeholder_meetings" data-status="on_track"' in out
    assert 'data-step="meeting_3" data-status="not_started"' in out


def test_events_in_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON lists the statuses; CSV has a status column; a done meeting is planned on its real day."""
    argv = ["export", "drohobych_kir", "--start", "2025-10-06", "--events", EVENTS, "--as-of", "2025-11-20"]
    _, out, _ = _run(capsys, *argv, "--format", "json")
    data = json.loads(out)
    statuses = {s["step"]: s for s in data["statuses"]}
    assert statuses["publication_1"]["status"] == "done_late"
    assert statuses["publication_1"]["deadline"] == "2025-10-14"
    assert statuses["publication_1"]["actual"] == "2025-10-16"
    _, out, _ = _run(capsys, *argv, "--format", "csv")
    rows = {r["step"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["meeting_1"]["start"] == "2025-10-09"
    assert rows["meeting_1"]["status"] == "done"


def test_bad_event_log_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An event log naming an unknown step is bad input: exit 2 with the file and line."""
    log = tmp_path / "log.yaml"
    log.write_text("- step: meeting_one\n  date: 2025-10-09\n", encoding="utf-8")
    code, _, err = _run(capsys, "export", *START, "--events", str(log), "--format", "json")
    assert code == 2
    assert "log.yaml:1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["plan", "export"])
def test_missing_start_points_to_the_start_option(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """plan and export without --start for a template with no start both say --start, exit 2."""
    extra = ["--format", "ics"] if command == "export" else []
    code, out, err = _run(capsys, command, "drohobych_kir", *extra)
    assert (code, out) == (2, "")
    assert "--start DATE" in err
    assert "plan(" not in err
    assert "civicflow plan" not in err
    assert "Traceback" not in err


def test_unknown_fix_step_suggests_close_ids_first(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --fix step gives 'did you mean' with the closest ids and names --fix, exit 2."""
    code, _, err = _run(capsys, "export", *START, "--format", "ics", "--fix", "meeting_33=2025-11-13")
    assert code == 2
    assert "--fix STEP=DATE" in err
    assert "'meeting_33' (did you mean meeting_3, " in err
    assert "(28 in all; `civicflow show drohobych_kir` lists them)" in err
    assert "letter_approved_kir" not in err


def test_events_are_dated_in_the_jurisdiction_zone_when_the_template_names_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a timezone in the template, UA events are read on Kyiv's day (as `check` does), not UTC's."""
    source = Path(__file__).resolve().parents[1] / "process_templates" / "drohobych_kir.yaml"
    template = tmp_path / "kir.yaml"
    template.write_text(source.read_text(encoding="utf-8").replace("  timezone: Europe/Kyiv\n", ""), "utf-8")
    log = tmp_path / "log.yaml"
    log.write_text("events:\n  - {step: meeting_1, date: '2025-10-09T22:30:00+00:00'}\n", encoding="utf-8")
    argv = ["export", str(template), "--start", "2025-10-06", "--events", str(log), "--as-of", "2025-10-20"]
    assert main([*argv, "--format", "json"]) == 0
    steps = {s["id"]: s for s in json.loads(capsys.readouterr().out)["steps"]}
    assert steps["meeting_1"]["start"] == "2025-10-10"  # 01:30 in Kyiv on 10 October
