"""The exporters: the registry, and each format rendered from a hand-made schedule."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from icalendar import Calendar

from civicflow.calendar import Deadline
from civicflow.compliance import Status
from civicflow.durations import Duration
from civicflow.errors import UnknownFormatError
from civicflow.exporters import EXPORTERS, ExportOptions, StatusEntry, render
from civicflow.exporters.markdown import cell
from civicflow.exporters.mermaid import escape
from civicflow.schedule import PlanFinding, Schedule, ScheduledStage, ScheduledStep, Severity

D = dt.date


def sample_schedule() -> Schedule:
    """A small schedule with every shape: points, a span, a window, a recurring step, rules, nesting."""
    rule = Deadline(
        event=D(2025, 10, 6),
        duration=Duration.parse("3 working days"),
        direction="after",
        raw=D(2025, 10, 9),
        date=D(2025, 10, 9),
        rolled=False,
        roll_reason=None,
        rule="publish within 3 working days",
        reference="Regulation §5",
    )
    steps = (
        ScheduledStep(
            id="meeting_1",
            stage="prep",
            stage_path=("prep",),
            kind="meeting",
            title={"uk": "Перше засідання", "en": "First meeting"},
            start=D(2025, 10, 6),
            end=D(2025, 10, 6),
            span=False,
            fixed=True,
            critical=True,
            responsible=("council",),
            explanation=("Fixed by --fix meeting_1=2025-10-06.",),
        ),
        ScheduledStep(
            id="publish_1",
            stage="prep",
            stage_path=("prep",),
            kind="publication",
            title={"uk": "Оприлюднення протоколу", "en": "Minutes: <published> & shared | #1; ok"},
            start=D(2025, 10, 9),
            end=D(2025, 10, 9),
            span=False,
            deadline=D(2025, 10, 9),
            depends_on=("meeting_1",),
            critical=True,
            rules=(rule,),
            explanation=("Within 3 working days after meeting_1.",),
        ),
        ScheduledStep(
            id="discussion",
            stage="talk",
            stage_path=("prep", "talk"),
            kind="public_discussion",
            title={"uk": "Громадське обговорення"},
            start=D(2025, 10, 10),
            end=D(2025, 10, 31),
            span=True,
            slack=0,
            critical=True,
        ),
        ScheduledStep(
            id="hearing",
            stage="talk",
            stage_path=("prep", "talk"),
            kind="hearing",
            title={"en": "Public hearing"},
            start=D(2025, 11, 11),
            end=D(2025, 11, 20),
            span=False,
            window=True,
            slack=5,
            explanation=("Mid November: days 11-20.",),
        ),
        ScheduledStep(
            id="round_tables",
            stage="talk",
            stage_path=("prep", "talk"),
            kind="recurring_event",
            title={"en": "Round table"},
            start=D(2025, 10, 14),
            end=D(2025, 10, 28),
            span=True,
            occurrences=(D(2025, 10, 14), D(2025, 10, 21), D(2025, 10, 28)),
        ),
    )
    stages = (
        ScheduledStage(
            id="prep",
            parent=None,
            title={"en": "Preparation"},
            start=D(2025, 10, 6),
            end=D(2025, 11, 20),
            steps=("meeting_1", "publish_1"),
        ),
        ScheduledStage(
            id="talk",
            parent="prep",
            title={"en": "Discussion", "uk": "Обговорення"},
            start=D(2025, 10, 10),
            end=D(2025, 11, 20),
            steps=("discussion", "hearing", "round_tables"),
        ),
    )
    return Schedule(
        process="demo",
        start=D(2025, 10, 6),
        end=D(2025, 11, 20),
        steps=steps,
        stages=stages,
        findings=(PlanFinding(Severity.WARNING, "the hearing window is undecided", steps=("hearing",)),),
        critical_path=("meeting_1", "publish_1", "discussion"),
        fixed={"meeting_1": D(2025, 10, 6)},
        language="uk",
    )


def sample_statuses() -> dict[str, StatusEntry]:
    """Statuses as a compliance check would give them on 2025-10-20."""
    return {
        "meeting_1": StatusEntry("meeting_1", Status.DONE, actual=D(2025, 10, 6)),
        "publish_1": StatusEntry(
            "publish_1", Status.DONE_LATE, D(2025, 10, 9), D(2025, 10, 13), "2 working days late"
        ),
        "discussion": StatusEntry("discussion", Status.ON_TRACK, D(2025, 10, 31)),
        "hearing": StatusEntry("hearing", Status.DUE_SOON),
        "round_tables": StatusEntry("round_tables", Status.OVERDUE, message="no round table logged"),
    }


def test_registry_lists_every_format() -> None:
    """The registry knows the six formats."""
    assert sorted(EXPORTERS) == ["csv", "html", "ics", "json", "markdown", "mermaid"]


def test_unknown_format_lists_the_known_ones() -> None:
    """An unknown format name is a LookupError whose message lists every known format."""
    with pytest.raises(UnknownFormatError, match=r"'pdf'.*csv, html, ics, json, markdown, mermaid"):
        render("pdf", sample_schedule())
    assert issubclass(UnknownFormatError, LookupError)


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_every_format_is_deterministic(name: str) -> None:
    """The same schedule and options give the same text twice (no hidden clock)."""
    options = ExportOptions(as_of=D(2025, 10, 20), statuses=sample_statuses())
    assert render(name, sample_schedule(), options) == render(name, sample_schedule(), options)


def test_json_is_schedule_to_dict_in_the_language() -> None:
    """JSON is ``Schedule.to_dict(lang)``; titles fall back to English, then the original language."""
    data = json.loads(render("json", sample_schedule(), ExportOptions(lang="bg")))
    assert data == sample_schedule().to_dict("bg")
    titles = {s["id"]: s["title"] for s in data["steps"]}
    assert titles["meeting_1"] == "First meeting"
    assert titles["discussion"] == "Громадське обговорення"
    assert json.loads(render("json", sample_schedule(), ExportOptions(lang="uk")))["steps"][0]["title"] == (
        "Перше засідання"
    )


def test_json_carries_statuses_only_with_events() -> None:
    """Statuses appear in JSON only when a compliance check gave them."""
    plain = json.loads(render("json", sample_schedule()))
    assert "statuses" not in plain
    options = ExportOptions(as_of=D(2025, 10, 20), statuses=sample_statuses())
    data = json.loads(render("json", sample_schedule(), options))
    assert data["as_of"] == "2025-10-20"
    assert {s["step"]: s["status"] for s in data["statuses"]}["publish_1"] == "done_late"


def test_csv_has_one_row_per_step_with_weekdays() -> None:
    """CSV has a header and one row per step, ISO dates with their weekdays."""
    rows = list(csv.DictReader(io.StringIO(render("csv", sample_schedule()))))
    assert [r["step"] for r in rows] == ["meeting_1", "publish_1", "discussion", "hearing", "round_tables"]
    first = rows[0]
    assert (first["start"], first["start_weekday"], first["critical"]) == ("2025-10-06", "Mon", "yes")
    assert rows[1]["deadline"] == "2025-10-09"
    assert rows[1]["title"] == "Minutes: <published> & shared | #1; ok"
    assert rows[3]["window"] == "yes"
    assert rows[0]["status"] == "planned"


def _events(text: str) -> dict[str, Any]:
    calendar = Calendar.from_ical(text)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_ics_all_day_events_with_stable_uids() -> None:
    """Each step is an all-day event with an exclusive end and a UID from process and step ids."""
    text = render("ics", sample_schedule())
    events = _events(text)
    meeting = events["demo.meeting_1@civicflow"]
    assert meeting["DTSTART"].dt == D(2025, 10, 6)
    assert meeting["DTEND"].dt == D(2025, 10, 7)
    assert "DTSTART;VALUE=DATE:20251006" in text
    discussion = events["demo.discussion@civicflow"]
    assert discussion["DTEND"].dt == D(2025, 11, 1)
    assert "\r\n" in text


def test_ics_window_is_tentative_and_says_so() -> None:
    """An undecided window is one tentative all-day span that describes the window."""
    hearing = _events(render("ics", sample_schedule()))["demo.hearing@civicflow"]
    assert str(hearing["STATUS"]) == "TENTATIVE"
    assert "between 2025-11-11 Tue and 2025-11-20 Thu" in str(hearing["DESCRIPTION"])


def test_ics_deadline_event_with_alarm() -> None:
    """A rule-bound step gets a separate deadline event that reminds two days ahead."""
    text = render("ics", sample_schedule())
    deadline = _events(text)["demo.publish_1.deadline@civicflow"]
    assert deadline["DTSTART"].dt == D(2025, 10, 9)
    alarms = deadline.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0]["TRIGGER"].dt == -dt.timedelta(days=2)
    assert "TRIGGER:-P2D" in text
    assert "3 working days after" in str(deadline["DESCRIPTION"])


def test_ics_recurring_step_is_one_event_per_occurrence() -> None:
    """A recurring step gives one event per occurrence, each with its own stable UID."""
    events = _events(render("ics", sample_schedule()))
    uids = sorted(u for u in events if u.startswith("demo.round_tables."))
    assert uids == [
        "demo.round_tables.20251014@civicflow",
        "demo.round_tables.20251021@civicflow",
        "demo.round_tables.20251028@civicflow",
    ]


def test_ics_dtstamp_comes_from_the_options() -> None:
    """DTSTAMP is ``now`` when given, else midnight UTC of ``as_of``: never the clock."""
    now = dt.datetime(2025, 10, 20, 9, 30, tzinfo=dt.UTC)
    assert "DTSTAMP:20251020T093000Z" in render("ics", sample_schedule(), ExportOptions(now=now))
    assert "DTSTAMP:20251019T000000Z" in render(
        "ics", sample_schedule(), ExportOptions(as_of=D(2025, 10, 19))
    )


def test_mermaid_gantt_syntax() -> None:
    """Mermaid output is a gantt with sections per stage, milestones, crit tags and exclusive ends."""
    text = render("mermaid", sample_schedule())
    lines = text.splitlines()
    assert lines[0] == "gantt"
    assert "    dateFormat YYYY-MM-DD" in lines
    assert "    section Preparation" in lines
    assert "    section Discussion" in lines
    assert "    First meeting :crit, milestone, meeting_1, 2025-10-06, 0d" in lines
    assert "    Громадське обговорення :crit, discussion, 2025-10-10, 2025-11-01" in lines
    assert "    Public hearing (window) :active, hearing, 2025-11-11, 2025-11-21" in lines
    assert "    Round table 2 :round_tables_2, 2025-10-21, 2025-10-22" in lines
    task = re.compile(r"^    [^:;#]+ :([a-z]+, )*[a-z0-9_]+, \d{4}-\d{2}-\d{2}, (0d|\d{4}-\d{2}-\d{2})$")
    for line in lines[4:]:
        assert line.startswith("    section ") or task.match(line), line


def test_mermaid_escapes_syntax_characters() -> None:
    """Colons, semicolons, hashes and line breaks cannot break a Mermaid task line."""
    assert escape("a: b; #c\nd") == "a\u02d0 b, \u266fc d"
    line = next(x for x in render("mermaid", sample_schedule()).splitlines() if "publish_1" in x)
    assert line.count(":") == 1


def test_mermaid_marks_statuses() -> None:
    """With statuses, done steps are ``done`` and late or overdue ones ``crit``."""
    options = ExportOptions(as_of=D(2025, 10, 20), statuses=sample_statuses())
    lines = render("mermaid", sample_schedule(), options).splitlines()
    assert any(line.endswith(":done, crit, milestone, meeting_1, 2025-10-06, 0d") for line in lines)
    assert any(":active, crit, round_tables_1," in line for line in lines)


def test_markdown_report_sections() -> None:
    """The report has the process, a table per stage, deadlines explained and plan findings."""
    text = render("markdown", sample_schedule(), ExportOptions(lang="en"))
    assert text.startswith("# demo\n")
    assert "### Preparation" in text
    assert "### Discussion" in text
    assert "| Step | Kind | When | Deadline | Responsible |" in text
    assert "## Deadlines" in text
    assert "3 working days after 2025-10-06 Mon" in text
    assert "## Plan findings" in text
    # markup in a title is escaped: it shows as written, never as HTML, a heading or a table column
    assert "Minutes: \\<published\\> \\& shared \\| \\#1; ok" in text
    assert "window 2025-11-11 Tue – 2025-11-20 Thu (undecided)" in text
    assert "## Compliance" not in text


def test_markdown_with_statuses_has_a_compliance_section() -> None:
    """With events, the report adds a status column and a compliance table."""
    options = ExportOptions(as_of=D(2025, 10, 20), statuses=sample_statuses())
    text = render("markdown", sample_schedule(), options)
    assert "## Compliance" in text
    assert "| `publish_1` | **done late** | 2025-10-09 Thu | 2025-10-13 Mon | 2 working days late |" in text


def test_markdown_cell_escapes_pipes() -> None:
    """Pipes and line breaks cannot break a table row."""
    assert cell("a | b\nc") == "a \\| b c"


def test_every_compliance_status_has_a_colour() -> None:
    """Each step status has a colour in the timeline."""
    from civicflow.exporters.html import COLORS

    for value in Status:
        assert value in COLORS
