"""A day recorded without a time of day is shown as that day everywhere: the event keeps whether a time
was given (logs, the API, the store, its JSON), every view shows what was recorded, and no verdict
changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civicflow import check, read_event_text
from civicflow.cli import main
from civicflow.events import Event, has_time
from civicflow.loader import load_template
from civicflow.server.app import Settings, create_app
from test_dashboard import NOW, Site, text_of

EXAMPLE = Path(__file__).parents[1] / "examples" / "drohobych_events.yaml"


@pytest.mark.parametrize(
    ("value", "timed"),
    [("2025-10-16", False), ("16.10.2025", False), ("2025-10-16T00:00", True), ("16.10.2025 09:30", True)],
)
def test_has_time_tells_a_day_from_a_moment(value: str, timed: bool) -> None:
    assert has_time(value) is timed


def test_a_log_keeps_whether_a_time_was_given_and_writes_it_back_as_given() -> None:
    template = load_template("drohobych_kir")
    log = read_event_text(EXAMPLE.read_text(encoding="utf-8"), format="yaml", template=template)
    meeting, publication = log.events[0], log.events[1]
    assert (meeting.step, meeting.timed, meeting.shown()) == ("meeting_1", True, "2025-10-09 15:00")
    assert (publication.step, publication.timed) == ("publication_1", False)
    assert publication.shown() == "2025-10-16"
    assert publication.to_dict()["date"] == "2025-10-16"
    assert meeting.to_dict()["date"] == "2025-10-09T15:00:00+03:00"
    # what to_dict writes reads back as the same events
    again = read_event_text(
        json.dumps({"events": [e.to_dict() for e in log.events]}), format="json", template=template
    )
    assert again.events == log.events


def test_whether_a_time_was_given_changes_no_verdict() -> None:
    """The checks count days: the same events with every day read as a midnight give the same report."""
    template = load_template("drohobych_kir")
    log = read_event_text(EXAMPLE.read_text(encoding="utf-8"), format="yaml", template=template)
    assert any(not e.timed for e in log.events)
    midnights = [dataclasses.replace(e, timed=True) for e in log.events]
    for as_of in (dt.date(2025, 10, 12), dt.date(2025, 11, 20), dt.date(2026, 5, 1)):
        given = check(template, list(log.events), as_of=as_of, start=log.start)
        moved = check(template, midnights, as_of=as_of, start=log.start)
        assert [f.to_dict() for f in given.findings] == [f.to_dict() for f in moved.findings]
        assert given.ok == moved.ok


def test_check_lists_events_after_the_day_as_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--color", "never", "check", "drohobych_kir", str(EXAMPLE), "--as-of", "2025-10-12"]
    main([*args, "--format", "json"])
    later = {e["step"]: e["date"] for e in json.loads(capsys.readouterr().out)["not_counted"]}
    assert later["publication_1"] == "2025-10-16"
    assert later["meeting_2"] == "2025-11-13T16:00:00+02:00"
    main(args)
    out = capsys.readouterr().out
    assert "    publication_1 complete 2025-10-16" in out
    assert "2025-10-16T00:00" not in out


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'dash.db'}", now=lambda: NOW))
    with TestClient(app) as client:
        yield Site(client)


def test_the_api_and_the_dashboard_show_a_day_recorded_alone_as_that_day(site: Site) -> None:
    site.new("kir", "2024-10-01")
    answer = site.api("POST", "/api/v1/instances/kir/events", {"step": "meeting_1", "date": "2024-10-07"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["event"]["date"] == "2024-10-07"
    answer = site.api(
        "POST", "/api/v1/instances/kir/events", {"step": "publication_1", "date": "2024-10-09T10:30"}
    )
    assert answer.json()["event"]["date"] == "2024-10-09T10:30:00+03:00"
    history = site.client.get("/api/v1/instances/kir").json()["history"]
    assert [h["date"] for h in history] == ["2024-10-07", "2024-10-09T10:30:00+03:00"]
    page = text_of(site.client.get("/instances/kir").text)
    shown = page[page.rindex("History") :]
    assert re.search(r"meeting_1 completed 2024-10-07 (?!00:00)", shown), shown
    assert "publication_1 completed 2024-10-09 10:30" in shown
    assert "00:00" not in shown
    # the form's date without a time is a day too
    site.login()
    answer = site.record("kir", step="state_regional_interests", date="2024-10-15", event="open")
    assert answer.status_code == 303, answer.text
    page = text_of(site.client.get("/instances/kir").text)
    assert "00:00" not in page[page.rindex("History") :]
    assert site.client.get("/api/v1/instances/kir").json()["history"][2]["date"] == "2024-10-15"
    # the verdicts are those of the same days with times
    report = site.client.get("/api/v1/instances/kir").json()["findings"]
    (publication,) = [f for f in report["findings"] if f["step"] == "publication_1"]
    assert (publication["status"], publication["deadline"]) == ("ok", "2024-10-10")


def test_an_event_without_a_time_is_not_equal_to_one_at_midnight() -> None:
    """Whether a time was given is part of what was recorded."""
    event = Event.from_dict({"step": "a", "date": "2025-10-16"}, timezone="Europe/Kyiv")
    midnight = Event.from_dict({"step": "a", "date": "2025-10-16T00:00"}, timezone="Europe/Kyiv")
    assert event.at == midnight.at
    assert (event.timed, midnight.timed) == (False, True)
    assert event != midnight
