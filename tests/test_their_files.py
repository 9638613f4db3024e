"""Files as the people who use civicflow write them: dotted dates, spreadsheets' CSV, Excel-ready exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from civicflow.cli import main
from civicflow.dates import parse_day, parse_moment
from civicflow.errors import EventLogError
from civicflow.loader import csv_dialect, load_template, read_event_log

ROOT = Path(__file__).resolve().parents[1]
PLUS2 = dt.timezone(dt.timedelta(hours=2))
LATE_CSV = ROOT / "tests" / "fixtures" / "events" / "drohobych_late.csv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-14", dt.date(2025, 11, 14)),
        ("14.11.2025", dt.date(2025, 11, 14)),
        (" 4.3.2026 ", dt.date(2026, 3, 4)),
        ("14.11.2025 10:30", dt.datetime(2025, 11, 14, 10, 30)),
        ("2025-11-14T10:30+02:00", dt.datetime(2025, 11, 14, 10, 30, tzinfo=PLUS2)),
    ],
)
def test_parse_moment_reads_iso_and_dotted_forms(text: str, expected: dt.date) -> None:
    """ISO and day.month.year (with or without a time) read to the same values."""
    assert parse_moment(text) == expected


@pytest.mark.parametrize("text", ["11/14/2025", "14.11.25", "2025.11.14", "31.04.2025", "14-11-2025"])
def test_parse_day_refuses_ambiguous_or_wrong_forms(text: str) -> None:
    """Slashed, two-digit-year and impossible dates are refused, naming both accepted forms."""
    with pytest.raises(ValueError, match=r"YYYY-MM-DD or DD\.MM\.YYYY"):
        parse_day(text)


def _semicolon_excel(path: Path, *, bom: bool = True, sep_line: bool = False) -> None:
    """drohobych_late.csv as Excel in a Ukrainian locale saves it: ';', CRLF, dotted dates, a BOM."""
    rows = list(csv.reader(LATE_CSV.read_text(encoding="utf-8").splitlines()))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        date = row[2]
        if len(date) >= 10 and date[4] == "-":
            day = dt.date.fromisoformat(date[:10])
            row[2] = day.strftime("%d.%m.%Y") + (" " + date[11:16] if len(date) > 10 else "")
        writer.writerow(row)
    text = ("sep=;\r\n" if sep_line else "") + out.getvalue()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


@pytest.mark.parametrize("sep_line", [False, True], ids=["detected", "sep-line"])
def test_semicolon_csv_with_bom_and_dotted_dates_reads_as_the_original(
    tmp_path: Path, sep_line: bool
) -> None:
    """A ';'-separated, BOM-prefixed, CRLF log with dotted dates gives the same events as the ISO one."""
    template = load_template("drohobych_kir")
    excel = tmp_path / "late.csv"
    _semicolon_excel(excel, sep_line=sep_line)
    original = read_event_log(LATE_CSV, timezone="Europe/Kyiv", template=template)
    converted = read_event_log(excel, timezone="Europe/Kyiv", template=template)
    assert converted.events == original.events
    assert len(converted.events) > 5


def test_csv_dialect_prefers_the_delimiter_that_names_columns() -> None:
    """A comma inside a ';'-separated header does not fool the detection; a tab works too."""
    assert csv_dialect("step;date;note\nx;1.1.2025;a, b\n")[0] == ";"
    assert csv_dialect("step,date\n")[0] == ","
    assert csv_dialect("step\tdate\n")[0] == "\t"


def test_check_accepts_a_semicolon_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI gives the same verdict on the spreadsheet's file as on the original."""
    excel = tmp_path / "late.csv"
    _semicolon_excel(excel)
    assert main(["check", "drohobych_kir", str(LATE_CSV), "--as-of", "2025-01-10", "--format", "json"]) == 1
    first = capsys.readouterr().out
    assert main(["check", "drohobych_kir", str(excel), "--as-of", "10.01.2025", "--format", "json"]) == 1
    second = capsys.readouterr().out
    assert first.replace(str(LATE_CSV), "X") == second.replace(str(excel), "X")


def test_a_cp1251_csv_says_why_and_how_to_fix_it(tmp_path: Path) -> None:
    """A file saved in a legacy code page is refused with where and how to save it as UTF-8."""
    path = tmp_path / "log.csv"
    path.write_bytes("step;date;note\nmeeting_1;10.10.2024;перше засідання\n".encode("cp1251"))
    with pytest.raises(EventLogError) as info:
        read_event_log(path, timezone="Europe/Kyiv")
    problem = info.value.problems[0]
    assert problem.line == 2
    assert "not UTF-8" in problem.message
    assert "CSV UTF-8" in problem.message


def test_a_csv_without_a_header_says_so(tmp_path: Path) -> None:
    """A log whose first row is data, not the header, gets one problem saying what the header must be."""
    path = tmp_path / "log.csv"
    path.write_text("meeting_1;10.10.2024\npublication_1;12.10.2024\n", encoding="utf-8")
    with pytest.raises(EventLogError) as info:
        read_event_log(path, timezone="Europe/Kyiv")
    assert len(info.value.problems) == 1
    assert "the first row must be the header" in info.value.problems[0].message


def test_dotted_dates_in_arguments_and_log_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--start, --as-of, --fix and a log's start: take 06.10.2025 as they take 2025-10-06."""
    log = tmp_path / "log.yaml"
    log.write_text("start: '06.10.2025'\nevents:\n  - step: meeting_1\n    date: 09.10.2025 15:00\n")
    template = load_template("drohobych_kir")
    loaded = read_event_log(log, timezone="Europe/Kyiv", template=template)
    assert loaded.start == dt.date(2025, 10, 6)
    assert loaded.events[0].at.isoformat() == "2025-10-09T15:00:00+03:00"
    assert main(["plan", "drohobych_kir", "--start", "2025-10-06", "--fix", "meeting_3=2025-12-04"]) == 0
    iso = capsys.readouterr().out
    assert main(["plan", "drohobych_kir", "--start", "06.10.2025", "--fix", "meeting_3=04.12.2025"]) == 0
    assert capsys.readouterr().out == iso


def test_export_excel_csv_opens_in_a_semicolon_spreadsheet(tmp_path: Path) -> None:
    """-o kir.csv --excel: the format from the extension; a BOM, ';' and CRLF; the same cells as plain CSV."""
    out = tmp_path / "kir.csv"
    assert main(["export", "drohobych_kir", "--start", "2025-10-06", "-o", str(out), "--excel"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfstep;stage;kind;title;")
    assert data.count(b"\r\n") == data.count(b"\n")
    plain = tmp_path / "plain.csv"
    assert (
        main(["export", "drohobych_kir", "--start", "2025-10-06", "--format", "csv", "-o", str(plain)]) == 0
    )
    excel_rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    plain_rows = list(csv.reader(io.StringIO(plain.read_text(encoding="utf-8"), newline="")))
    assert excel_rows == plain_rows
    assert len(excel_rows) == 29


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("kir.ics", b"BEGIN:VCALENDAR"),
        ("kir.md", b"# "),
        ("kir.json", b"{"),
        ("kir.html", b"<!DOCTYPE html>"),
    ],
)
def test_export_infers_the_format_from_the_extension(tmp_path: Path, name: str, start: bytes) -> None:
    """Without --format, -o FILE's extension names the format."""
    out = tmp_path / name
    assert main(["export", "drohobych_kir", "--start", "2025-10-06", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(start)


def test_export_md_is_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    """--format md is --format markdown."""
    assert main(["export", "drohobych_kir", "--start", "2025-10-06", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert main(["export", "drohobych_kir", "--start", "2025-10-06", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == md


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "kir.pdf"], "cannot tell the format from 'kir.pdf'"),
        ([], "give --format FORMAT"),
        (["--format", "ics", "--excel"], "--excel is for CSV"),
    ],
)
def test_export_without_a_format_says_what_to_give(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No --format and no telling extension, or --excel on another format: exit 2 with what to give."""
    monkeypatch.chdir(tmp_path)
    assert main(["export", "drohobych_kir", "--start", "2025-10-06", *argv]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_plan_and_export_csv_share_column_names_and_values(capsys: pytest.CaptureFixture[str]) -> None:
    """Columns both CSVs have carry the same name and the same value for every step."""
    assert main(["plan", "drohobych_kir", "--start", "2025-10-06", "--format", "csv"]) == 0
    plan_rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert main(["export", "drohobych_kir", "--start", "2025-10-06", "--format", "csv"]) == 0
    export_rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    shared = set(plan_rows[0]) & set(export_rows[0])
    assert {
        "step",
        "stage",
        "title",
        "start",
        "end",
        "window",
        "deadline",
        "slack",
        "critical",
        "fixed",
        "rule",
    } <= shared
    for p, e in zip(plan_rows, export_rows, strict=True):
        assert {k: p[k] for k in shared} == {k: e[k] for k in shared}


def test_check_and_status_read_the_template_from_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    """`check LOG`, `check --template T LOG` and `check T LOG` agree; `status LOG` reads template: too."""
    log = str(ROOT / "examples" / "drohobych_events.yaml")
    outputs = []
    for argv in (["drohobych_kir", log], [log], ["--template", "drohobych_kir", log]):
        assert main(["check", *argv, "--as-of", "2025-11-20", "--format", "json"]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert main(["status", log, "--as-of", "2025-11-20", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["template"] == "drohobych_kir"


def test_check_refuses_two_different_templates(capsys: pytest.CaptureFixture[str]) -> None:
    log = str(ROOT / "examples" / "drohobych_events.yaml")
    assert main(["check", "sofia_vision", log, "--template", "drohobych_kir"]) == 2
    assert "two templates" in capsys.readouterr().err


def test_status_needs_a_template_for_a_csv_log(capsys: pytest.CaptureFixture[str]) -> None:
    """A CSV log cannot say its template: status without --template says what to add, exit 2."""
    assert main(["status", str(LATE_CSV), "--as-of", "2025-01-10"]) == 2
    err = capsys.readouterr().err
    assert "does not say its template" in err
    assert "--template" in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [(["plna"], "did you mean 'plan'?"), (["track", "recrod", "x"], "did you mean 'record'?")],
)
def test_a_mistyped_command_gets_did_you_mean(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert expected in capsys.readouterr().err


def test_soon_is_on_every_status_like_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """check, status, track status and export --events all take --soon N and it moves 'due soon'."""
    from civicflow.cli import build_parser

    parser = build_parser()
    log = str(ROOT / "examples" / "drohobych_events.yaml")
    for argv in (
        ["check", log],
        ["status", log],
        ["track", "status"],
        ["export", "drohobych_kir", "--format", "json", "--events", log],
    ):
        assert parser.parse_args([*argv, "--soon", "7"]).soon == 7
    db = str(tmp_path / "t.db")
    assert main(["track", "new", "drohobych_kir", "--name", "k", "--start", "2025-10-06", "--db", db]) == 0
    capsys.readouterr()
    counts = []
    for soon in ("0", "20"):
        assert (
            main(["track", "status", "--as-of", "2025-10-08", "--soon", soon, "--db", db, "--format", "json"])
            == 0
        )
        report = json.loads(capsys.readouterr().out)["instances"][0]
        counts.append(list(report["stages"].values()).count("due_soon"))
    assert counts[0] < counts[1]


def test_list_uses_the_terminal_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns a long title is cut; at 120 it is whole, and no line is wider than the terminal."""
    title = "Together for Development – from Good Practices and Ideas to Effective Results"
    for columns, whole in (("80", False), ("120", True)):
        monkeypatch.setenv("COLUMNS", columns)
        assert main(["list"]) == 0
        out = capsys.readouterr().out
        assert (title in out) is whole
        assert max(len(line) for line in out.splitlines()) <= int(columns)


def test_a_spreadsheet_file_says_to_save_it_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(EventLogError) as info:
        read_event_log(path)
    assert "save it as 'CSV UTF-8'" in info.value.problems[0].message


def test_status_and_track_status_share_columns_and_json_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same instance gives the same table columns and the same row keys and values in both."""
    log = tmp_path / "kir.yaml"
    log.write_text(
        "template: drohobych_kir\nstart: 2025-10-06\nevents:\n  - step: meeting_1\n    date: 2025-10-09\n"
    )
    db = str(tmp_path / "t.db")
    assert main(["track", "import", str(log), "--template", "drohobych_kir", "--db", db]) == 0
    capsys.readouterr()
    argv = ["--as-of", "2025-10-20"]
    main(["status", str(log), *argv])
    status_head = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("INSTANCE"))
    main(["track", "status", *argv, "--db", db])
    track_head = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("INSTANCE"))
    assert status_head.split() == [w for w in track_head.split() if w != "EVENTS"]
    main(["status", str(log), *argv, "--format", "json"])
    [status_row] = json.loads(capsys.readouterr().out)["rows"]
    main(["track", "status", *argv, "--db", db, "--format", "json"])
    [track_row] = json.loads(capsys.readouterr().out)["instances"]
    assert set(status_row) <= set(track_row)
    assert {k: track_row[k] for k in status_row} == status_row


def test_plan_csv_excel(capsys: pytest.CaptureFixture[str]) -> None:
    """plan --format csv --excel: a BOM, ';' and CRLF, the same cells as plain CSV."""
    assert main(["plan", "drohobych_kir", "--start", "2025-10-06", "--format", "csv"]) == 0
    plain = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert main(["plan", "drohobych_kir", "--start", "2025-10-06", "--format", "csv", "--excel"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffstep;stage;title;")
    assert out.count("\r\n") == len(plain)
    assert list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline=""), delimiter=";")) == plain


def test_check_shows_titles_when_there_is_room(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 130 columns each finding has its step's title; at 80 the whole step ids stay, the titles go."""
    log = str(ROOT / "examples" / "drohobych_events.yaml")
    monkeypatch.setenv("COLUMNS", "130")
    main(["--color", "never", "check", log, "--as-of", "2025-11-20"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split() == ["STATUS", "STEP", "DUE", "HAPPENED", "TITLE"]
    assert lines[3].endswith("2025-10-16 Thu  Publication of the results of the first meeting")
    assert max(len(line) for line in lines) <= 130
    monkeypatch.setenv("COLUMNS", "80")
    main(["--color", "never", "check", log, "--as-of", "2025-11-20"])
    out = capsys.readouterr().out
    assert "TITLE" not in out
    assert " publication_revised_preliminary_draft " in out


def test_a_short_dotted_day_is_a_day_in_the_jurisdiction(tmp_path: Path) -> None:
    """4.3.2026 is a bare day like 2026-03-04: the jurisdiction's day, even when the log's timezone: key
    names another zone for its times."""
    log = tmp_path / "log.yaml"
    log.write_text(
        "template: drohobych_kir\ntimezone: America/New_York\nevents:\n"
        "  - {step: meeting_1, date: 2026-03-04}\n  - {step: publication_1, date: 5.3.2026}\n",
        encoding="utf-8",
    )
    events = read_event_log(log, template=load_template("drohobych_kir")).events
    assert [e.at.isoformat() for e in events] == ["2026-03-04T00:00:00+02:00", "2026-03-05T00:00:00+02:00"]
