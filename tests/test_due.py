"""What is due: :func:`civicflow.compliance.outlook` and ``civicflow due``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from civicflow.cli import main
from civicflow.compliance import DayUnit, DueSource, outlook, status
from civicflow.events import Event, EventType, parse_event_time
from civicflow.loader import load_template

KIR = load_template("drohobych_kir")
START = dt.date(2025, 10, 6)
AS_OF = dt.date(2025, 10, 20)  # a Monday


def complete(step: str, when: str) -> Event:
    return Event(step, EventType.COMPLETE, parse_event_time(when, "Europe/Kyiv"))


def test_a_missed_legal_deadline_is_overdue_and_counted_in_working_days() -> None:
    """meeting_1 on Thu 9 Oct: publication_1 was due 3 working days later, Tue 14 Oct; on Mon 20 Oct it is
    4 working days overdue (15, 16, 17, 20 October), a legal item, and the outlook is not ok."""
    result = outlook({"kir": (KIR, [complete("meeting_1", "2025-10-09")], START)}, AS_OF, within=5)
    legal = result.deadlines
    assert [(i.step, i.due, i.days, i.source) for i in legal] == [
        ("publication_1", dt.date(2025, 10, 14), -4, DueSource.RULE)
    ]
    assert legal[0].overdue
    assert legal[0].reference
    assert result.overdue == legal
    assert not result.ok


def test_the_agenda_matches_status_step_for_step() -> None:
    """Every open step whose due day is within the horizon is listed with status's due day and source; no
    done step is listed."""
    events = [complete("meeting_1", "2025-10-09"), complete("publication_1", "2025-10-10")]
    as_of = dt.date(2025, 10, 27)
    result = outlook({"kir": (KIR, events, START)}, as_of, within=10)
    horizon = KIR.working_calendar().add_working_days(as_of, 10)
    st = status((KIR, events, START), as_of=as_of)
    expected = {
        (d.step, d.due, d.due_source)
        for d in st.details.values()
        if d.due is not None
        and d.due <= horizon
        and d.status.value not in ("done", "done_late", "disputable", "skipped")
    }
    assert {(i.step, i.due, i.source) for i in result.items} == expected
    assert expected  # the case has something due
    assert "publication_1" not in {i.step for i in result.items}
    assert [i.due for i in result.items] == sorted(i.due for i in result.items)


def test_calendar_days_reach_less_far_than_working_days() -> None:
    """10 calendar days is a shorter horizon than 10 working days; days count in the chosen unit."""
    events = [complete("meeting_1", "2025-10-09"), complete("publication_1", "2025-10-10")]
    working = outlook({"kir": (KIR, events, START)}, AS_OF, within=10, unit="working")
    calendar = outlook({"kir": (KIR, events, START)}, AS_OF, within=10, unit=DayUnit.CALENDAR)
    assert {i.step for i in calendar.items} <= {i.step for i in working.items}
    for item in calendar.items:
        assert item.days == (item.due - AS_OF).days
        assert item.due <= AS_OF + dt.timedelta(days=10)


def test_planned_days_alone_keep_the_agenda_ok() -> None:
    """A step only the plan dates, overdue, is listed apart and does not make the outlook fail."""
    result = outlook({"kir": (KIR, [], START)}, dt.date(2025, 11, 5), within=0)
    assert result.planned
    assert all(not i.legal for i in result.planned)
    assert any(i.overdue for i in result.planned)
    assert not result.deadlines
    assert result.ok


def test_agenda_refuses_negative_days() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        outlook({}, AS_OF, within=-1)


@pytest.fixture
def late_log(tmp_path: Path) -> Path:
    path = tmp_path / "kir-a.yaml"
    path.write_text(
        "template: drohobych_kir\nstart: 2025-10-06\nevents:\n  - step: meeting_1\n    date: 09.10.2025\n"
    )
    return path


def test_cli_due_table_exit_1_when_a_legal_deadline_is_overdue(
    late_log: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table lists the overdue legal deadline with its whole step id and, at 120 columns, its title;
    the exit code is 1."""
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["due", str(late_log), "--as-of", "2025-10-20", "--within", "5"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "due as of 2025-10-20 Mon, within 5 working days"
    assert "LEGAL DEADLINES" in out
    row = next(line for line in out.splitlines() if "publication_1" in line)
    assert row.split()[:6] == ["2025-10-14", "Tue", "4", "working", "days", "overdue"]
    assert "Publication of the results of the first meeting" in row
    assert "1 overdue (1 legal deadline)" in out
    assert all(len(line) <= 120 for line in out.splitlines())


def test_cli_due_narrow_terminal_drops_the_title_not_the_id(
    late_log: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 60 columns the step id stays whole and the title goes."""
    monkeypatch.setenv("COLUMNS", "60")
    main(["due", str(late_log), "--as-of", "2025-10-20", "--within", "5"])
    out = capsys.readouterr().out
    assert " publication_1" in out
    assert "Publication of the results" not in out


def test_cli_due_json_is_the_library_agenda(late_log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints Outlook.to_dict() of the same input."""
    assert main(["due", str(late_log), "--as-of", "2025-10-20", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    expected = outlook({"kir-a": (KIR, [complete("meeting_1", "2025-10-09")], START)}, AS_OF, within=10)
    assert data == expected.to_dict()


def test_cli_due_ics_and_markdown(late_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """ics: one all-day event per item on its due day; markdown: a table per kind."""
    out = tmp_path / "due.ics"
    assert main(["due", str(late_log), "--as-of", "2025-10-20", "--format", "ics", "-o", str(out)]) == 1
    cal = Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    items = outlook({"kir-a": (KIR, [complete("meeting_1", "2025-10-09")], START)}, AS_OF, within=10).items
    assert [e.decoded("dtstart") for e in events] == [i.due for i in items]
    assert str(events[0]["summary"]).startswith("Deadline: Publication of the results")
    assert main(["due", str(late_log), "--as-of", "2025-10-20", "--format", "md"]) == 1
    md = capsys.readouterr().out
    assert "## Legal deadlines" in md
    assert "| 2025-10-14 Tue | **4 working days overdue** | kir-a | `publication_1` |" in md


def test_cli_due_needs_a_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CSV log has no template: key: without --template it is refused saying what to add."""
    log = tmp_path / "a.csv"
    log.write_text("step,date\nmeeting_1,2025-10-09\n")
    assert main(["due", str(log), "--as-of", "2025-10-20"]) == 2
    assert "--template" in capsys.readouterr().err
    assert main(["due", str(log), "--template", "drohobych_kir", "--as-of", "2025-10-20"]) in (0, 1)


def test_cli_due_reads_tracked_instances(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without logs, --db: the tracked instances, with the same items as their logs would give."""
    db = str(tmp_path / "t.db")
    assert (
        main(["track", "new", "drohobych_kir", "--name", "kir-a", "--start", "2025-10-06", "--db", db]) == 0
    )
    assert main(["track", "record", "kir-a", "meeting_1", "--date", "09.10.2025", "--db", db]) == 0
    capsys.readouterr()
    assert main(["due", "--db", db, "--as-of", "2025-10-20", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(d["instance"], d["step"], d["days"]) for d in data["deadlines"]] == [
        ("kir-a", "publication_1", -4)
    ]


def test_cli_due_without_anything_to_look_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No logs, no --db, no $CIVICFLOW_DB and no ./civicflow.db: exit 2, and no database is created."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIVICFLOW_DB", raising=False)
    assert main(["due"]) == 2
    assert "give event logs" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


UNDATED = {
    "publication_analysis": "strategic_session",
    "publication_revised_preliminary_draft": "hearing_preliminary_draft",
    "publication_revised_main_draft": "hearing_main_draft",
}


def test_a_deadline_counted_back_from_an_undated_step_is_listed_apart_never_overdue() -> None:
    """Nothing recorded a year after the start: the three publications due "no later than N days before"
    a session or hearing that has no day yet are listed apart, with what they wait for and their rule,
    never as overdue and never on a day."""
    result = outlook({"kir": (KIR, [], START)}, dt.date(2026, 11, 30))
    assert {u.step: u.waits_for for u in result.undated} == UNDATED
    assert not {i.step for i in result.items} & set(UNDATED)
    assert all(u.reference and "no later than" in u.rule for u in result.undated)
    data = result.to_dict()
    assert {"deadlines", "planned", "ok"} <= data.keys()
    assert {u["step"] for u in data["undated"]} == set(UNDATED)
    assert "due" not in data["undated"][0]
    assert "overdue" not in data["undated"][0]


def test_due_shows_the_undated_steps_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "kir.yaml"
    log.write_text("template: drohobych_kir\nstart: 2025-10-06\nevents: []\n", encoding="utf-8")
    args = [str(log), "--as-of", "2026-11-30"]
    main(["due", *args])
    table = capsys.readouterr().out
    assert "CANNOT BE DATED YET" in table
    assert "waits for strategic_session's day" in table
    assert "3 cannot be dated yet" in table
    main(["due", *args, "--format", "md"])
    assert "| `publication_revised_main_draft` |" in capsys.readouterr().out
    main(["due", *args, "--format", "ics"])
    todos = Calendar.from_ical(capsys.readouterr().out).walk("VTODO")
    assert {str(t["uid"]).split(".")[1] for t in todos} == set(UNDATED)
    assert all("DUE" not in t and "DTSTART" not in t for t in todos)
    main(["--lang", "uk", "due", *args])
    assert "strategic_session" in (uk := capsys.readouterr().out)
    assert "cannot be dated" not in uk
