"""Events and event logs: parsing dates, YAML/JSON/CSV logs, every problem with its file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from civicflow.errors import EventLogError
from civicflow.events import Event, EventType, parse_event_time
from civicflow.loader import load_event_log, load_template, read_event_log, read_event_text
from civicflow.template import ProcessTemplate

FIXTURES = Path(__file__).parent / "fixtures" / "events"
KYIV = "Europe/Kyiv"


@pytest.fixture(scope="module")
def drohobych() -> ProcessTemplate:
    return load_template("drohobych_kir")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-10-15", "2025-10-15T00:00:00+03:00"),
        ("2025-10-15T10:30", "2025-10-15T10:30:00+03:00"),
        ("2025-10-15 10:30", "2025-10-15T10:30:00+03:00"),
        ("2025-10-14T23:30:00Z", "2025-10-14T23:30:00+00:00"),
        ("2025-10-15T10:30+02:00", "2025-10-15T10:30:00+02:00"),
        ("15.10.2025", "2025-10-15T00:00:00+03:00"),
        ("15.10.2025 10:30", "2025-10-15T10:30:00+03:00"),
        ("5.1.2026 09:05:30", "2026-01-05T09:05:30+02:00"),
    ],
    ids=["bare-date", "naive-T", "naive-space", "utc-z", "offset", "dotted", "dotted-time", "dotted-short"],
)
def test_parse_event_time(text: str, expected: str) -> None:
    """A bare date is local midnight, a naive time is local wall time, an offset is kept."""
    assert parse_event_time(text, KYIV).isoformat() == expected


@pytest.mark.parametrize(
    "text",
    ["2025-13-01", "31.02.2025", "10/15/2025", "15.10.25", "15.10.2025 25:00", "2025-10-15T", "yesterday"],
)
def test_parse_event_time_rejects_malformed_dates(text: str) -> None:
    """Anything but ISO 8601 or day.month.year with a four-digit year (no slashes: they read differently
    in different countries) is refused with the accepted forms."""
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_event_time(text, KYIV)


def test_event_needs_an_aware_time() -> None:
    """A naive datetime is refused by Event: its day would depend on the reader's zone."""
    with pytest.raises(ValueError, match="timezone-aware"):
        Event("meeting_1", EventType.COMPLETE, dt.datetime(2025, 1, 1, 10, 0))


def test_event_dict_round_trip() -> None:
    """to_dict writes what from_dict (and a log) reads back."""
    event = Event(
        "publication_1",
        EventType.COMPLETE,
        parse_event_time("2025-10-15T10:00", KYIV),
        by="x",
        url="https://e.org",
    )
    data = event.to_dict()
    assert data == {
        "step": "publication_1",
        "event": "complete",
        "date": "2025-10-15T10:00:00+03:00",
        "by": "x",
        "url": "https://e.org",
    }
    assert Event.from_dict(data) == event


def test_event_type_defaults_to_complete_and_ignores_case() -> None:
    """``event`` may be left out (complete) or written in any case."""
    events = read_event_text(
        "- {step: a, date: 2025-01-02}\n- {step: a, date: 2025-01-03, event: OPEN}\n", format="yaml"
    )
    assert [e.event for e in events] == [EventType.COMPLETE, EventType.OPEN]


def test_drohobych_yaml_log(drohobych: ProcessTemplate) -> None:
    """The Drohobych YAML log has 42 events, with notes, links and its own name and start."""
    log = read_event_log(FIXTURES / "drohobych_2024.yaml", timezone=KYIV, template=drohobych)
    assert len(log.events) == 42
    assert log.name == "drohobych-2024"
    assert log.template == "drohobych_kir"
    assert log.start == dt.date(2024, 10, 1)
    first = log.events[1]
    assert (first.step, first.event, first.by) == ("meeting_1", EventType.COMPLETE, "working_group")
    assert first.at.isoformat() == "2024-10-10T12:30:00+03:00"


def test_one_reader_for_files_and_one_for_text(drohobych: ProcessTemplate) -> None:
    """A file and its text read to the same log, which is a sequence of its events; the old name of the
    file reader still works, with a DeprecationWarning."""
    path = FIXTURES / "drohobych_2024.yaml"
    log = read_event_log(path, timezone=KYIV, template=drohobych)
    text = read_event_text(
        path.read_text(encoding="utf-8"), format="yaml", source=str(path), timezone=KYIV, template=drohobych
    )
    assert text == log
    assert list(log) == list(log.events)
    assert log[0] == log.events[0]
    assert log[-2:] == log.events[-2:]
    assert len(log) == 42
    assert log.events[5] in log
    with pytest.warns(DeprecationWarning, match="read_event_log"):
        old = load_event_log(path, timezone=KYIV, template=drohobych)
    assert old == log


@pytest.mark.parametrize(
    ("name", "count"), [("drohobych_late.csv", 25), ("drohobych_in_progress.json", 22)], ids=["csv", "json"]
)
def test_csv_and_json_logs(drohobych: ProcessTemplate, name: str, count: int) -> None:
    """CSV (header row) and JSON logs read like YAML ones."""
    events = read_event_log(FIXTURES / name, timezone=KYIV, template=drohobych)
    assert len(events) == count
    assert all(e.at.utcoffset() is not None for e in events)


def test_every_bad_record_is_reported_with_its_line(drohobych: ProcessTemplate) -> None:
    """Unknown step (with suggestions), malformed date, unknown event, missing date, unknown field."""
    with pytest.raises(EventLogError) as info:
        read_event_log(FIXTURES / "broken_fields.yaml", timezone=KYIV, template=drohobych)
    problems = info.value.problems
    assert [p.line for p in problems] == [4, 7, 9, 11, 12]
    assert "unknown step 'meting_2'; did you mean meeting_2" in problems[0].message
    assert "'2024-13-45' is not a date" in problems[1].message
    assert "unknown event 'finish'; known events: open, complete, skip" in problems[2].message
    assert "no date" in problems[3].message
    assert "did you mean 'date'" in problems[4].message
    assert str(problems[0]).startswith(f"{FIXTURES / 'broken_fields.yaml'}:4:9: step: ")


def test_impossible_order_is_reported_with_its_line(drohobych: ProcessTemplate) -> None:
    """Complete before open, an event after completion, a step done before its prerequisites."""
    with pytest.raises(EventLogError) as info:
        read_event_log(FIXTURES / "broken_order.csv", timezone=KYIV, template=drohobych)
    problems = info.value.problems
    assert [p.line for p in problems] == [4, 6, 7]
    assert "complete before open" in problems[0].message
    assert "already completed on 2024-10-12 Sat (line 5)" in problems[1].message
    assert "waits for 'state_regional_interests' to be completed" in problems[2].message


def test_json_syntax_error_has_line_and_column() -> None:
    """A JSON syntax error points at its line and column."""
    with pytest.raises(EventLogError) as info:
        read_event_log(FIXTURES / "broken_syntax.json")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, 30)


def test_without_template_steps_are_not_checked() -> None:
    """Without a template any step id is accepted (nothing to check it against)."""
    events = read_event_text("step,date\nanything,2025-01-02\n", format="csv")
    assert events[0].step == "anything"


def test_log_for_another_template_is_refused(drohobych: ProcessTemplate) -> None:
    """A log that names a different template is refused."""
    text = "template: sofia_vision\nevents:\n  - {step: meeting_1, date: 2024-10-10}\n"
    with pytest.raises(EventLogError, match="not 'drohobych_kir'"):
        read_event_text(text, format="yaml", template=drohobych)


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    """The format comes from the extension; others are listed."""
    path = tmp_path / "log.txt"
    path.write_text("x")
    with pytest.raises(EventLogError, match=r"\.csv, \.json, \.yaml, \.yml"):
        read_event_log(path)


def test_a_log_for_another_template_reports_the_mismatch_alone() -> None:
    """A log whose template: differs gives one problem at the template: line, not one per unknown step."""
    other = load_template("sofia_vision")
    path = FIXTURES / "drohobych_2024.yaml"
    with pytest.raises(EventLogError) as info:
        read_event_log(path, timezone=KYIV, template=other)
    (problem,) = info.value.problems
    assert (problem.source, problem.line) == (str(path), 3)
    assert problem.message == (
        "the log is for template 'drohobych_kir', not 'sofia_vision'; expected template: sofia_vision "
        "(or check the log against drohobych_kir)"
    )


def test_a_csv_log_of_another_process_is_one_problem(tmp_path: Path) -> None:
    """A CSV log (no template: key) none of whose steps is in the template is reported once, not per row."""
    sofia = load_template("sofia_vision")
    log = tmp_path / "kir.csv"
    log.write_text(
        "step,date\nmeeting_1,2025-10-09\npublication_1,2025-10-14\nmeeting_2,2025-11-13\n", encoding="utf-8"
    )
    with pytest.raises(EventLogError) as caught:
        read_event_log(log, template=sofia)
    (problem,) = caught.value.problems
    assert "none of the 3 steps this log names (meeting_1, meeting_2, publication_1)" in problem.message
    assert "is a step of template 'sofia_vision'" in problem.message
    assert problem.line == 2


def test_one_misspelt_step_is_still_reported_at_its_line(tmp_path: Path) -> None:
    """When some steps are known, an unknown one is an ordinary problem with its own line and suggestion."""
    kir = load_template("drohobych_kir")
    log = tmp_path / "kir.csv"
    log.write_text("step,date\nmeeting_1,2025-10-09\npublicaton_1,2025-10-14\n", encoding="utf-8")
    with pytest.raises(EventLogError) as caught:
        read_event_log(log, template=kir)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "did you mean publication_1" in problem.message
