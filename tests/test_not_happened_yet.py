"""An event dated after the day of a check is shown apart, never dropped unseen; recording one dated after
tomorrow is refused the same way by the command line and the HTTP API."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civicflow.cli import _common
from civicflow.cli import main as cli_main
from civicflow.compliance import check
from civicflow.events import Event, EventType, parse_event_time
from civicflow.loader import load_template
from civicflow.server.app import Settings, create_app
from civicflow.server.tokens import create_token
from civicflow.store import Store

LOG = """\
template: drohobych_kir
start: 2025-10-06
events:
  - {step: meeting_1, date: 2025-10-08}
  - {step: publication_1, date: 2027-10-09}
"""


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_library_keeps_the_later_events_in_the_report() -> None:
    template = load_template("drohobych_kir")
    events = [
        Event("meeting_1", EventType.COMPLETE, parse_event_time("2025-10-08", "Europe/Kyiv")),
        Event("publication_1", EventType.COMPLETE, parse_event_time("2027-10-09", "Europe/Kyiv")),
    ]
    report = check(template, events, as_of=parse_event_time("2025-10-20", "Europe/Kyiv").date())
    assert [e.step for e in report.not_counted] == ["publication_1"]
    (publication,) = report.for_step("publication_1")
    assert publication.status.value == "overdue"  # as of 2025-10-20 it had not happened
    assert report.to_dict()["not_counted"] == [events[1].to_dict()]
    assert check(template, events, as_of=None).not_counted == ()  # no day of the check: all count


def test_check_shows_an_event_after_the_day_of_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "kir.yaml"
    log.write_text(LOG, encoding="utf-8")
    code, out, _ = cli(capsys, "check", "drohobych_kir", str(log), "--as-of", "2025-10-20")
    assert code == 1
    assert "not counted: 1 event dated after 2025-10-20 Mon" in out
    assert "publication_1 complete 2027-10-09" in out
    code, out, _ = cli(
        capsys, "check", "drohobych_kir", str(log), "--as-of", "2025-10-20", "--format", "json"
    )
    document = json.loads(out)
    assert [e["step"] for e in document["not_counted"]] == ["publication_1"]
    code, out, _ = cli(capsys, "status", str(log), "--as-of", "2025-10-20")
    assert "not counted: events dated after 2025-10-20 Mon in kir (1)" in out


def test_the_api_check_reports_the_same_later_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "kir.yaml"
    log.write_text(LOG, encoding="utf-8")
    code, out, _ = cli(
        capsys, "check", "drohobych_kir", str(log), "--as-of", "2025-10-20", "--format", "json"
    )
    assert code == 1
    by_cli = json.loads(out)
    app = create_app(Settings(db=str(tmp_path / "s.db"), now=_common.now_utc))
    with TestClient(app) as client:
        token, _ = create_token(app.state.store, "reader", "viewer")
        body = {
            "template": "drohobych_kir",
            "start": "2025-10-06",
            "as_of": "2025-10-20",
            "events": [
                {"step": "meeting_1", "date": "2025-10-08"},
                {"step": "publication_1", "date": "2027-10-09"},
            ],
        }
        served = client.post("/api/v1/check", json=body, headers={"Authorization": f"Bearer {token}"}).json()
    assert served["not_counted"] == by_cli["not_counted"]
    assert served["findings"] == by_cli["findings"]


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, str]]:
    """One store used by the command line ($CIVICFLOW_DB) and the service, both on the CLI's clock."""
    db = tmp_path / "both.db"
    monkeypatch.setenv("CIVICFLOW_DB", str(db))
    assert cli_main(["track", "new", "drohobych_kir", "--name", "kir", "--start", "2025-10-06"]) == 0
    app = create_app(Settings(db=str(db), now=_common.now_utc))
    with TestClient(app) as client:
        token, _ = create_token(app.state.store, "city-hall", "editor")
        yield client, token


def _record(client: TestClient, token: str, date: str) -> Any:
    body = {"step": "meeting_1", "date": date, "lenient": True}
    return client.post(
        "/api/v1/instances/kir/events", json=body, headers={"Authorization": f"Bearer {token}"}
    )


def test_recording_after_tomorrow_is_refused_alike(
    served: tuple[TestClient, str], capsys: pytest.CaptureFixture[str]
) -> None:
    client, token = served
    today = _common.today_in("Europe/Kyiv")  # the CLI's frozen clock: the same for both
    later = today.toordinal() + 2
    day = type(today).fromordinal(later).isoformat()
    code, _, err = cli(capsys, "track", "record", "kir", "meeting_1", "--date", day, "--lenient")
    assert code == 2
    assert "an event records what happened" in err
    assert f"{day} is after" in err
    refused = _record(client, token, day)
    assert refused.status_code == 422
    assert refused.json()["detail"].removeprefix("date: ") in err
    tomorrow = type(today).fromordinal(today.toordinal() + 1).isoformat()
    code, out, _ = cli(capsys, "track", "record", "kir", "meeting_1", "--date", tomorrow, "--lenient")
    assert code == 0, out
    code, _, err = cli(capsys, "track", "amend", "kir", "1", "--date", day, "--reason", "typo")
    assert code == 2
    assert f"{day} is after" in err
    with Store.open(os.environ["CIVICFLOW_DB"]) as store:
        assert len(store.read("kir").history) == 1  # the refused amendment wrote nothing


def test_a_name_with_a_slash_is_refused_alike(
    served: tuple[TestClient, str], capsys: pytest.CaptureFixture[str]
) -> None:
    client, token = served
    code, _, err = cli(capsys, "track", "new", "drohobych_kir", "--name", "kir/2025", "--start", "2025-10-06")
    assert code == 2
    assert "cannot hold '/'" in err
    refused = client.post(
        "/api/v1/instances",
        json={"name": "kir/2025", "template": "drohobych_kir", "start": "2025-10-06"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 422
    assert "cannot hold '/'" in refused.text
