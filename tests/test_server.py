"""The HTTP service with the application in process (Starlette's test client over httpx): every endpoint,
tokens, problem details, input limits, and the status summaries behind the heat map and the agenda."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from civicflow.cli import main as cli_main
from civicflow.compliance import heat_map
from civicflow.loader import load_template
from civicflow.server import _summary
from civicflow.server.app import Settings, create_app
from civicflow.server.tokens import create_token, list_tokens, revoke_token
from civicflow.store import Store
from server_support import FIXTURES, csv_records, pg_schema

TODAY = dt.date(2025, 6, 30)
NOW = dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC)  # the service's clock: 15:00 in Kyiv, TODAY there
KIR = "drohobych_kir"

MINI = """\
civicflow: 1
id: mini_hearing
version: "1"
language: en
title: {en: A small public hearing}
jurisdiction: {country: UA, timezone: Europe/Kyiv}
stages:
  - id: prepare
    title: {en: Prepare}
    steps:
      - id: announce
        kind: publication
        title: {en: Announce the hearing}
        timing: {type: rule, rule: within, of: "@start", duration: "5 working days"}
      - {id: hearing, kind: hearing, title: {en: Hold the hearing}, depends_on: [announce]}
"""


class Api:
    """The test client with the tokens of one test."""

    def __init__(self, client: TestClient, store: Store) -> None:
        self.client = client
        self.store = store
        self.editor, _ = create_token(store, "city-hall", "editor")
        self.viewer, _ = create_token(store, "dashboard", "viewer")
        self.scoped, _ = create_token(store, "kir-office", "editor", ["kir-*"])

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, body: Any, token: str | None = None, **kw: Any) -> Any:
        headers = {**kw.pop("headers", {}), **(self.auth(token) if token else {})}
        return self.client.post(path, json=body, headers=headers, **kw)

    def new(self, name: str, start: str = "2024-10-01", template: str = KIR) -> Any:
        return self.post(
            "/api/v1/instances", {"name": name, "template": template, "start": start}, self.editor
        )

    def record(self, name: str, event: dict[str, Any], token: str | None = None, **kw: Any) -> Any:
        return self.post(f"/api/v1/instances/{name}/events", event, token or self.editor, **kw)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "serve.db")
        return
    with pg_schema() as url:
        yield url


def _api(db: str, **settings: Any) -> Iterator[Api]:
    app = create_app(Settings(db=db, now=lambda: NOW, **settings))
    with TestClient(app) as client:
        yield Api(client, app.state.store)


@pytest.fixture
def api(db: str) -> Iterator[Api]:
    yield from _api(db)


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[Api]:
    """On SQLite only: for what does not depend on the database."""
    yield from _api(str(tmp_path / "lite.db"))


def problem(response: Any, status: int) -> dict[str, Any]:
    """The RFC 9457 body of an error response, checked for its shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    data: dict[str, Any] = response.json()
    assert data["status"] == status
    assert data["title"]
    assert data["detail"]
    assert data["type"] == "about:blank" or data["type"].startswith("urn:civicflow:problem:")
    return data


def cli_json(*argv: str) -> Any:
    out = io.StringIO()
    with redirect_stdout(out):
        cli_main(list(argv))
    return json.loads(out.getvalue())


# -- templates, lint, plan, check --------------------------------------------------------------------


def test_templates_bundled_and_registered(api: Api) -> None:
    listed = api.get("/api/v1/templates").json()["templates"]
    assert {t["id"] for t in listed} >= {KIR, "sofia_vision"}
    assert all(t["source"] == "bundled" for t in listed)
    one = api.get(f"/api/v1/templates/{KIR}").json()
    assert one["id"] == KIR
    assert one["source"] == "bundled"
    assert one["template"]["jurisdiction"]["country"] == "UA"

    assert api.post("/api/v1/templates", {"text": MINI}).status_code == 401
    problem(api.post("/api/v1/templates", {"text": MINI}, api.viewer), 403)
    problem(api.post("/api/v1/templates", {"text": MINI}, api.scoped), 403)
    made = api.post("/api/v1/templates", {"text": MINI}, api.editor)
    assert made.status_code == 201
    assert made.json() == {"id": "mini_hearing", "version": "1"}
    assert api.post("/api/v1/templates", {"text": MINI}, api.editor).status_code == 201  # same text again
    changed = MINI.replace("A small public hearing", "Another hearing")
    assert (
        "other content"
        in problem(api.post("/api/v1/templates", {"text": changed}, api.editor), 409)["detail"]
    )
    listed = api.get("/api/v1/templates").json()["templates"]
    assert {"id": "mini_hearing", "source": "registered"}.items() <= next(
        t for t in listed if t["id"] == "mini_hearing"
    ).items()
    assert api.get("/api/v1/templates/mini_hearing").json()["source"] == "registered"
    # a registered template is planned and tracked like a bundled one
    plan = api.post("/api/v1/plan", {"template": "mini_hearing", "start": "2024-10-01"}).json()
    assert [s["id"] for s in plan["steps"]] == ["announce", "hearing"]
    assert api.new("hearing-1", template="mini_hearing").status_code == 201
    assert api.get("/api/v1/instances/hearing-1").json()["template"] == "mini_hearing"


def test_unknown_template_and_no_file_read_by_name(
    lite: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates come by bundled id or from the store: a file in the working directory named like an id,
    or a path, is never read."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / KIR).write_text("not: [a template", encoding="utf-8")
    (tmp_path / "secret.yaml").write_text(MINI, encoding="utf-8")
    assert lite.get(f"/api/v1/templates/{KIR}").json()["source"] == "bundled"
    assert lite.post("/api/v1/plan", {"template": KIR, "start": "2024-10-01"}).status_code == 200
    for bad in ("secret", "../../etc/shadow", "/etc/passwd", "Secret.yaml"):
        response = lite.post("/api/v1/plan", {"template": bad, "start": "2024-10-01"})
        assert response.status_code in (404, 422), bad
        assert "mini_hearing" not in response.text
    detail = problem(lite.get("/api/v1/templates/secret"), 404)["detail"]
    assert "no bundled or registered template 'secret'" in detail
    problem(lite.get("/api/v1/templates/..%2F..%2Fetc%2Fshadow"), 404)


def test_lint_gives_problems_with_line_and_column(lite: Api) -> None:
    broken = MINI.replace("kind: publication", "kind: publicaton")
    result = lite.post("/api/v1/lint", {"text": broken}).json()
    assert result["ok"] is False
    [first] = result["problems"]
    assert (first["line"], first["column"]) == (12, 15)
    assert first["path"] == "stages[0].steps[0].kind"
    assert "publication" in first["message"]
    good = lite.post("/api/v1/lint", {"text": MINI, "name": "mini.yaml"}).json()
    assert good == {
        "template": "mini.yaml",
        "ok": True,
        "id": "mini_hearing",
        "stages": 1,
        "steps": 2,
        "problems": [],
    }
    assert lite.post("/api/v1/lint", {"text": "a: [1"}).json()["problems"][0]["line"] == 1


def test_plan_is_the_cli_document(lite: Api) -> None:
    body = {"template": KIR, "start": "2025-10-06", "fixed": {"meeting_3": "2025-12-04"}, "lang": "uk"}
    served = lite.post("/api/v1/plan", body).json()
    cli = cli_json(
        "plan",
        KIR,
        "--start",
        "2025-10-06",
        "--fix",
        "meeting_3=2025-12-04",
        "--lang",
        "uk",
        "--format",
        "json",
    )
    assert served == cli
    assert "2025-12-04" in json.dumps(served)
    problem(lite.post("/api/v1/plan", {**body, "fixed": {"no_such_step": "2025-12-04"}}), 422)


def test_check_is_the_cli_document(lite: Api) -> None:
    log = FIXTURES / "drohobych_late.csv"
    body = {"template": KIR, "start": "2024-10-01", "as_of": "2025-01-10", "events": csv_records()}
    served = lite.post("/api/v1/check", body).json()
    cli = cli_json(
        "check", KIR, str(log), "--start", "2024-10-01", "--as-of", "2025-01-10", "--format", "json"
    )
    assert served.pop("events") == "request"
    assert cli.pop("events") == str(log)
    assert served == cli
    assert served["ok"] is False  # the fixture is late: a verdict that could differ
    bad = problem(
        lite.post("/api/v1/check", {**body, "events": [{"step": "nope", "date": "2024-10-10"}]}), 422
    )
    assert "nope" in bad["detail"]
    assert bad["problems"][0]["message"]


# -- instances and events ----------------------------------------------------------------------------


def test_instances_create_list_get(api: Api) -> None:
    made = api.new("kir-2024")
    assert made.status_code == 201
    assert made.headers["location"] == "/api/v1/instances/kir-2024"
    assert made.headers["etag"] == '"0"'
    assert made.json() == {
        "name": "kir-2024",
        "template": KIR,
        "template_version": "1.0",
        "start": "2024-10-01",
        "version": 0,
    }
    assert "tracked already" in problem(api.new("kir-2024"), 409)["detail"]
    api.new("kir-2023", start="2023-10-02")
    names = [i["name"] for i in api.get("/api/v1/instances").json()["instances"]]
    assert names == ["kir-2023", "kir-2024"]
    one = api.get("/api/v1/instances/kir-2024", params={"as_of": "2024-10-20"}).json()
    assert one["history"] == []
    assert one["as_of"] == "2024-10-20"
    from civicflow.compliance import status

    expected = status(
        (load_template(KIR), [], dt.date(2024, 10, 1)), as_of=dt.date(2024, 10, 20), name="kir-2024"
    )
    assert one["status"] == expected.to_dict()
    assert one["findings"] == expected.report.to_dict()
    assert {"step": "meeting_1", "event": "complete", "earliest": None, "latest": None} in one["allowed"]
    problem(api.get("/api/v1/instances/nobody"), 404)
    cyrillic = api.new("Дрогобич осінь")
    assert cyrillic.status_code == 201
    location = cyrillic.headers["location"]
    assert (
        location
        == "/api/v1/instances/"
        + "%D0%94%D1%80%D0%BE%D0%B3%D0%BE%D0%B1%D0%B8%D1%87%20%D0%BE%D1%81%D1%96%D0%BD%D1%8C"
    )
    assert api.get(location).json()["name"] == "Дрогобич осінь"
    assert "cannot hold '/'" in problem(api.new("kir/2024"), 422)["detail"]
    problem(api.new("x" * 201), 422)
    problem(api.new("bad\x01name"), 422)
    problem(
        api.post("/api/v1/instances", {"name": "a", "template": KIR, "start": "2024-02-30"}, api.editor), 422
    )
    problem(api.post("/api/v1/instances", {"name": "a", "template": KIR, "start": 20241001}, api.editor), 422)
    problem(
        api.post(
            "/api/v1/instances", {"name": "a", "template": KIR, "start": "2024-10-01", "x": 1}, api.editor
        ),
        422,
    )


def test_events_append_with_optimistic_concurrency(api: Api) -> None:
    api.new("kir-2024")
    records = csv_records()
    first = api.record("kir-2024", records[0], headers={"If-Match": '"0"'})
    assert first.status_code == 201
    assert first.json()["version"] == 1
    assert first.headers["etag"] == '"1"'
    stale = api.record("kir-2024", records[1], headers={"If-Match": '"0"'})
    assert "expected version 0, found 1" in problem(stale, 412)["detail"]
    problem(api.record("kir-2024", records[1], headers={"If-Match": "yesterday"}), 400)
    for k, record in enumerate(records[1:6], start=2):
        assert api.record("kir-2024", record, headers={"If-Match": f'"{k - 1}"'}).json()["version"] == k
    one = api.get("/api/v1/instances/kir-2024").json()
    assert one["version"] == 6
    assert [(h["seq"], h["step"], h["event"]) for h in one["history"]] == [
        (k, r["step"], r["event"]) for k, r in enumerate(records[:6], start=1)
    ]
    assert one["history"][1]["by"] == "working_group"


def test_refused_event_says_why_and_what_is_allowed(api: Api) -> None:
    api.new("kir-2024")
    before = api.get("/api/v1/instances/kir-2024").json()
    refused = problem(api.record("kir-2024", {"step": "meeting_2", "date": "2024-10-08"}), 422)
    assert refused["type"] == "urn:civicflow:problem:illegal-transition"
    assert "waits for" in refused["reasons"][0]
    assert {"step": "meeting_1", "event": "complete", "earliest": None, "latest": None} in refused["allowed"]
    assert refused["version"] == 0
    unknown = problem(api.record("kir-2024", {"step": "no_step", "date": "2024-10-08"}), 422)
    assert "no_step" in unknown["detail"]
    problem(api.record("kir-2024", {"step": "meeting_1", "date": "tomorrow-ish"}), 422)
    problem(api.record("kir-2024", {"step": "meeting_1", "date": "2024-10-08", "event": "finish"}), 422)
    problem(api.record("kir-2024", {"step": "meeting_1", "date": "2024-10-08", "note": "n" * 2001}), 422)
    future = problem(
        api.record("kir-2024", {"step": "meeting_1", "date": "2025-07-02", "lenient": True}), 422
    )
    assert "after 2025-07-01" in future["detail"]
    early = problem(api.record("kir-2024", {"step": "meeting_1", "date": "1980-01-01", "lenient": True}), 422)
    assert "outside the years" in early["detail"]
    after = api.get("/api/v1/instances/kir-2024").json()
    assert after["history"] == before["history"] == []
    problem(api.record("nobody", {"step": "meeting_1", "date": "2024-10-08"}), 404)


# -- heat map, agenda, summaries ---------------------------------------------------------------------


def _load_history(api: Api, name: str, records: list[dict[str, str]]) -> None:
    api.new(name)
    for r in records:
        assert api.record(name, {**r, "lenient": True}).status_code == 201, r


def test_today_is_the_day_in_the_jurisdiction(tmp_path: Path) -> None:
    """At 22:30 UTC on 30 June it is already 1 July in Kyiv: that is the day a status is of by default."""
    late = dt.datetime(2025, 6, 30, 22, 30, tzinfo=dt.UTC)
    app = create_app(Settings(db=str(tmp_path / "tz.db"), now=lambda: late))
    with TestClient(app) as client:
        api = Api(client, app.state.store)
        api.new("kir")
        assert api.get("/api/v1/instances/kir").json()["as_of"] == "2025-07-01"
        assert api.get("/api/v1/status").json()["as_of"] == "2025-07-01"
        assert api.get("/api/v1/agenda").json()["as_of"] == "2025-07-01"
        refused = problem(
            api.record("kir", {"step": "meeting_1", "date": "2025-07-03", "lenient": True}), 422
        )
        assert "after 2025-07-02" in refused["detail"]


def test_status_is_the_heat_map_of_the_library(api: Api) -> None:
    records = csv_records()
    _load_history(api, "kir-late", records)
    _load_history(api, "kir-early", records[:8])
    api.new("kir-new", start="2024-11-18")
    template = load_template(KIR)
    for as_of in ("2024-11-20", "2025-01-10", "2024-10-15"):
        served = api.get("/api/v1/status", params={"as_of": as_of}).json()
        day = dt.date.fromisoformat(as_of)
        histories = {n: api.store.read(n) for n in ("kir-early", "kir-late", "kir-new")}
        expected = heat_map({n: (template, t.events, t.record.start) for n, t in histories.items()}, day)
        assert served["as_of"] == as_of
        assert [s["id"] for s in served["templates"][0]["stages"]] == list(expected.stages)
        got = {row["name"]: row["cells"] for row in served["instances"]}
        want = {
            row.name: {s: c.value for s, c in zip(expected.stages, row.cells, strict=True)}
            for row in expected.rows
        }
        assert got == want
        assert {row["name"]: row["ok"] for row in served["instances"]} == {
            row.name: row.status.report.ok for row in expected.rows
        }
    problem(api.get("/api/v1/status", params={"as_of": "2024-11-31"}), 422)


def test_status_gives_the_verdict_of_track_status(tmp_path: Path) -> None:
    """The service and `civicflow track status` read the same store and say the same, cell by cell."""
    db = str(tmp_path / "same.db")
    for api in _api(db):
        records = csv_records()
        _load_history(api, "kir-late", records)
        _load_history(api, "kir-half", records[:12])
        api.new("kir-new", start="2025-06-02")
        for as_of in ("2024-12-02", "2025-06-30"):
            served = {
                r["name"]: r for r in api.get("/api/v1/status", params={"as_of": as_of}).json()["instances"]
            }
            out = io.StringIO()
            with redirect_stdout(out):
                cli_main(["track", "status", "--as-of", as_of, "--format", "json", "--db", db])
            cli = {r["name"]: r for r in json.loads(out.getvalue())["instances"]}
            assert set(served) == set(cli) == {"kir-late", "kir-half", "kir-new"}
            for name, row in cli.items():
                assert served[name]["cells"] == row["stages"], (as_of, name)
                assert served[name]["worst"] == row["worst"], (as_of, name)
                assert served[name]["ok"] == row["report"]["ok"], (as_of, name)
                assert served[name]["version"] == row["version"]


def test_status_follows_corrections(api: Api) -> None:
    """An event retracted or amended in the store (``track retract``/``track amend``) is gone or moved in
    the service's heat map too: summaries are computed from the corrected facts, as ``Store.load`` gives
    them, not from every stored row."""
    records = csv_records()[:8]
    _load_history(api, "kir", records)
    as_of = {"as_of": "2025-01-10"}
    before = api.get("/api/v1/status", params=as_of).json()["instances"][0]
    last = len(records)
    late = next(i for i, r in enumerate(records, start=1) if r["step"] == "publication_1")
    api.store.retract("kir", late, reason="recorded for another process", at=NOW)
    after = api.get("/api/v1/status", params=as_of).json()["instances"][0]
    tracked = api.store.read("kir")
    assert len(tracked.events) == last - 1  # the facts leave the retracted event out
    expected = heat_map(
        {"kir": (load_template(KIR), tracked.events, tracked.record.start)}, dt.date(2025, 1, 10)
    )
    [row] = expected.rows
    want = {s: c.value for s, c in zip(expected.stages, row.cells, strict=True)}
    assert after["cells"] == want
    assert after["version"] == last + 1
    # the late publication was violated; retracted, it is an overdue deadline instead
    assert (before["summary"]["violated"], before["summary"]["overdue"]) == (1, 0)
    assert (after["summary"]["violated"], after["summary"]["overdue"]) == (0, 1)


@pytest.mark.parametrize("events", [0, 2, 6, 13, 40])
def test_summary_holds_exactly_until_stale_from(lite: Api, events: int) -> None:
    """A stored summary gives, on every day it claims to hold, what a fresh computation gives."""
    _load_history(lite, "kir", csv_records()[:events])
    store = lite.store
    tracked = store.read("kir")
    procedure = store.procedure(tracked.record)
    day = dt.date(2024, 9, 20)
    checked = 0
    backwards = 0
    while day < dt.date(2025, 3, 1):
        summary = _summary.compute(procedure, tracked.record, tracked.events, day)
        assert summary.stale_from is None or summary.stale_from > day
        assert summary.holds_from is None or summary.holds_from <= day
        first = max(summary.holds_from or dt.date.min, day - dt.timedelta(days=120))
        end = summary.stale_from or day + dt.timedelta(days=30)
        probe = first
        while probe < end:
            fresh = _summary.compute(procedure, tracked.record, tracked.events, probe)
            assert fresh.row_json == summary.row_json, (day, probe)
            assert fresh.due_json == summary.due_json, (day, probe)
            probe += dt.timedelta(days=1)
            checked += 1
        backwards += (day - first).days
        if summary.stale_from is None:
            break
        day = summary.stale_from + dt.timedelta(days=(day.toordinal() % 3))  # not always the first day
    assert checked > 60
    assert backwards > 30


def test_writes_keep_the_summary_and_reads_reuse_it(lite: Api) -> None:
    from sqlalchemy import select

    from civicflow.store._schema import status_summaries

    lite.new("kir")
    lite.record("kir", csv_records()[1])
    with lite.store.engine.connect() as conn:
        row = conn.execute(select(status_summaries)).one()
    assert (row.instance, row.version, row.computed_for) == ("kir", 1, TODAY)
    # a summary that claims to hold is used as it is (shown by planting a marker in it)
    planted = json.loads(row.summary)
    assert planted["name"] == "kir"
    planted["worst"] = "planted"
    with lite.store.engine.begin() as conn:
        conn.execute(status_summaries.update().values(summary=json.dumps(planted)))
    assert lite.get("/api/v1/status").json()["instances"][0]["worst"] == "planted"
    # a day before holds_from, a day from stale_from on, or a newer version is recomputed
    days = [(row.holds_from or TODAY) - dt.timedelta(days=1)] + ([row.stale_from] if row.stale_from else [])
    assert row.holds_from is not None  # the events recorded are days on which the status changed
    for day in days:
        shown = lite.get("/api/v1/status", params={"as_of": day.isoformat()}).json()["instances"][0]
        assert shown["worst"] != "planted", day
    lite.record("kir", csv_records()[2])
    assert lite.get("/api/v1/status").json()["instances"][0]["worst"] != "planted"


def test_a_summary_is_recomputed_on_the_day_it_goes_stale(lite: Api) -> None:
    from sqlalchemy import select

    from civicflow.store._schema import status_summaries

    lite.new("fresh", start=(TODAY - dt.timedelta(days=2)).isoformat())
    with lite.store.engine.connect() as conn:
        row = conn.execute(select(status_summaries)).one()
    assert row.stale_from is not None
    assert row.stale_from > TODAY
    planted = json.loads(row.summary)
    planted["worst"] = "planted"
    with lite.store.engine.begin() as conn:
        conn.execute(status_summaries.update().values(summary=json.dumps(planted)))

    def worst(day: dt.date) -> str:
        return str(
            lite.get("/api/v1/status", params={"as_of": day.isoformat()}).json()["instances"][0]["worst"]
        )

    assert worst(row.stale_from - dt.timedelta(days=1)) == "planted"
    assert worst(row.stale_from) != "planted"
    if row.holds_from is not None:
        assert worst(row.holds_from) == "planted"
        assert worst(row.holds_from - dt.timedelta(days=1)) != "planted"


def test_agenda_lists_due_days_legal_and_planned_apart(api: Api) -> None:
    records = csv_records()
    _load_history(api, "kir-a", records[:2])
    api.new("kir-b", start="2024-11-11")
    agenda = api.get("/api/v1/agenda", params={"within": 10, "as_of": "2024-11-12"}).json()
    assert agenda["as_of"] == "2024-11-12"
    assert agenda["within"] == 10
    legal, planned = agenda["legal"], agenda["planned"]
    assert legal or planned
    until = dt.date(2024, 11, 26)  # 10 working days after 2024-11-12 Tue in Ukraine
    for item in legal + planned:
        assert "2024-11-12" <= item["due"] <= until.isoformat()
        assert item["status"] not in ("done", "done_late", "skipped")
    assert all(i["due_source"] == "rule" for i in legal)
    assert all(i["due_source"] == "plan" for i in planned)
    assert [i["due"] for i in legal] == sorted(i["due"] for i in legal)
    # the same day from the library over fresh statuses
    from civicflow.compliance import agenda as library_agenda
    from civicflow.compliance import due_items, status

    template = load_template(KIR)
    items = []
    for name in ("kir-a", "kir-b"):
        t = api.store.read(name)
        st = status((template, t.events, t.record.start), as_of=dt.date(2024, 11, 12), soon=3, name=name)
        items.extend(due_items(name, st))
    want = library_agenda([(template.working_calendar(), items)], dt.date(2024, 11, 12), 10).to_dict()
    strip = [{k: v for k, v in i.items() if k != "explanation"} for i in want["legal"]]
    assert [{k: v for k, v in i.items() if k != "explanation"} for i in legal] == strip
    problem(api.get("/api/v1/agenda", params={"within": -1}), 422)
    problem(api.get("/api/v1/agenda", params={"within": 1000}), 422)


# -- feeds -------------------------------------------------------------------------------------------


def _vevents(text: str) -> dict[str, Any]:
    calendar = Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    return {str(e["UID"]): e for e in events}


def test_feeds_have_stable_uids_sequence_and_alarms(api: Api) -> None:
    records = csv_records()
    _load_history(api, "kir-a", records[:2])
    api.new("kir-b")
    first = api.get("/feeds/kir-a.ics")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/calendar")
    events = _vevents(first.text)
    meeting = events[f"kir-a.{KIR}.meeting_1@civicflow"]
    assert int(meeting["SEQUENCE"]) == 2
    assert meeting["DTSTART"].dt == dt.date(2024, 10, 10)  # planned on the day it happened
    deadlines = [e for uid, e in events.items() if uid.endswith(".deadline@civicflow")]
    assert deadlines
    assert all(list(e.walk("VALARM")) for e in deadlines)
    # another event: the same UIDs, a higher SEQUENCE
    api.record("kir-a", records[2])
    again = _vevents(api.get("/feeds/kir-a.ics").text)
    assert set(again) == set(events)
    assert {int(e["SEQUENCE"]) for e in again.values()} == {3}
    everything = _vevents(api.get("/feeds/all.ics").text)
    assert set(everything) == set(again) | set(_vevents(api.get("/feeds/kir-b.ics").text))
    problem(api.get("/feeds/nobody.ics"), 404)


def test_an_instance_that_cannot_be_checked_does_not_hide_the_others(lite: Api, tmp_path: Path) -> None:
    far = lite.post("/api/v1/instances", {"name": "far", "template": KIR, "start": "2199-10-06"}, lite.editor)
    assert "outside the years" in problem(far, 422)["detail"]
    problem(lite.get("/api/v1/instances/far"), 404)
    lite.new("kir")
    # an instance made on the server's machine from a template file that has since gone
    lite.store.create("gone", "gone", "1", dt.date(2024, 10, 1), template_source=str(tmp_path / "gone.yaml"))
    rows = {r["name"]: r for r in lite.get("/api/v1/status").json()["instances"]}
    assert rows["kir"]["cells"]
    assert rows["gone"]["cells"] == {}
    assert "gone.yaml" in rows["gone"]["error"]
    agenda = lite.get("/api/v1/agenda", params={"as_of": "2024-10-01", "within": 60}).json()
    assert {i["instance"] for i in agenda["legal"] + agenda["planned"]} == {"kir"}
    assert "UID:kir." in lite.get("/feeds/all.ics").text
    problem(lite.get("/feeds/gone.ics"), 404)


def test_the_feed_of_all_instances_is_bounded(lite: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from civicflow.server import app as app_module

    monkeypatch.setattr(app_module, "MAX_FEED", 2)
    for name in ("kir-1", "kir-2", "other"):
        lite.new(name)
    assert "at most 2" in problem(lite.get("/feeds/all.ics"), 422)["detail"]
    scoped = lite.get("/feeds/all.ics", headers=lite.auth(lite.scoped))
    assert scoped.status_code == 200
    assert {str(uid).split(".")[0] for uid in _vevents(scoped.text)} == {"kir-1", "kir-2"}


# -- who may do what ---------------------------------------------------------------------------------


def test_tokens_roles_scopes_and_revocation(api: Api) -> None:
    event = {"step": "meeting_1", "date": "2024-10-10"}
    api.new("kir-1")
    api.new("other")
    problem(api.post("/api/v1/instances/kir-1/events", event), 401)
    problem(api.record("kir-1", event, api.viewer), 403)
    problem(api.record("kir-1", event, "cf_000000000000_" + "x" * 43), 401)
    problem(api.record("kir-1", event, "not a token"), 401)
    bad_scheme = api.client.post(
        "/api/v1/instances/kir-1/events", json=event, headers={"Authorization": "Basic eA=="}
    )
    problem(bad_scheme, 401)
    assert api.record("kir-1", event, api.scoped).status_code == 201
    denied = problem(api.record("other", event, api.scoped), 403)
    assert "kir-office" in denied["detail"]
    problem(
        api.post(
            "/api/v1/instances", {"name": "other-2", "template": KIR, "start": "2024-10-01"}, api.scoped
        ),
        403,
    )
    revoke_token(api.store, "kir-office")
    problem(api.record("kir-1", {"step": "publication_1", "date": "2024-10-11"}, api.scoped), 401)
    assert [t.name for t in list_tokens(api.store) if t.active] == ["city-hall", "dashboard"]


def test_reads_with_token_mode_and_scoped_views(tmp_path: Path) -> None:
    for api in _api(str(tmp_path / "t.db"), read="token"):
        api.new("kir-1")
        api.new("other")
        for path in (
            "/api/v1/templates",
            "/api/v1/instances",
            "/api/v1/status",
            "/feeds/all.ics",
            "/api/v1/agenda",
        ):
            problem(api.get(path), 401)
            assert api.get(path, headers=api.auth(api.viewer)).status_code == 200
        assert api.get("/api/v1/health").status_code == 200
        assert api.get("/openapi.json").status_code == 200
        names = [
            i["name"] for i in api.get("/api/v1/instances", headers=api.auth(api.scoped)).json()["instances"]
        ]
        assert names == ["kir-1"]
        rows = api.get("/api/v1/status", headers=api.auth(api.scoped)).json()["instances"]
        assert [r["name"] for r in rows] == ["kir-1"]
        problem(api.get("/api/v1/instances/other", headers=api.auth(api.scoped)), 403)
        # a calendar app cannot send headers: the feed takes the token as a query parameter
        assert api.get("/feeds/kir-1.ics", params={"token": api.viewer}).status_code == 200
        problem(api.get("/feeds/kir-1.ics", params={"token": "cf_nope"}), 401)


def test_no_secret_in_logs_or_errors(lite: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="civicflow")
    lite.new("kir")
    lite.get("/feeds/kir.ics", params={"token": lite.viewer})
    lite.record("kir", {"step": "meeting_2", "date": "2024-10-08"})
    revoked = lite.editor
    revoke_token(lite.store, "city-hall")
    response = lite.record("kir", {"step": "meeting_1", "date": "2024-10-08"}, revoked)
    assert response.status_code == 401
    assert caplog.records  # the access log ran
    secrets = [t.split("_", 2)[2] for t in (lite.editor, lite.viewer, lite.scoped)]
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in response.text
    assert "GET /feeds/kir.ics 200" in caplog.text


def test_token_cli_prints_once_and_stores_a_hash(tmp_path: Path) -> None:
    from sqlalchemy import text

    db = str(tmp_path / "cli.db")
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "civicflow",
            "token",
            "create",
            "--name",
            "city",
            "--role",
            "editor",
            "--instance",
            "kir-*",
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    token = made.stdout.strip()
    assert token.startswith("cf_")
    assert "shown only now" in made.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "civicflow", "token", "list", "--format", "json", "--db", db],
        capture_output=True,
        text=True,
        check=True,
    )
    [info] = json.loads(listed.stdout)
    assert (info["name"], info["role"], info["instances"]) == ("city", "editor", ["kir-*"])
    assert token not in listed.stdout
    assert token.split("_", 2)[2] not in listed.stdout
    with Store.open(db) as store:
        with store.engine.connect() as conn:
            stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM api_tokens")) for v in row)
        assert token.split("_", 2)[2] not in stored
    revoked = subprocess.run(
        [sys.executable, "-m", "civicflow", "token", "revoke", "city", "--db", db],
        capture_output=True,
        text=True,
    )
    assert revoked.returncode == 0
    again = subprocess.run(
        [sys.executable, "-m", "civicflow", "token", "revoke", "city", "--db", db],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2
    assert "no active token" in again.stderr
    assert "Traceback" not in again.stderr


# -- the HTTP edges ----------------------------------------------------------------------------------


def test_problem_details_limits_and_cors(tmp_path: Path) -> None:
    for api in _api(str(tmp_path / "c.db"), cors_origins=("https://city.example.org",)):
        huge = api.client.post(
            "/api/v1/lint",
            content=b'{"text": "' + b"a" * 2_000_000 + b'"}',
            headers={"Content-Type": "application/json"},
        )
        problem(huge, 413)
        problem(
            api.client.post(
                "/api/v1/lint", content=b"{not json", headers={"Content-Type": "application/json"}
            ),
            422,
        )
        assert api.client.get("/api/v1/templates").headers["x-content-type-options"] == "nosniff"
        missing = problem(api.client.get("/api/v2/templates"), 404)
        assert missing["type"] == "about:blank"
        problem(api.client.delete("/api/v1/templates"), 405)
        allowed = api.client.options(
            "/api/v1/instances",
            headers={
                "Origin": "https://city.example.org",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,if-match",
            },
        )
        assert allowed.headers["access-control-allow-origin"] == "https://city.example.org"
        other = api.client.get("/api/v1/templates", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_internal_errors_are_problems_without_internals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="civicflow")
    app = create_app(Settings(db=str(tmp_path / "e.db"), now=lambda: NOW))
    from civicflow.server import app as app_module

    def broken(*_args: Any, **_kw: Any) -> Any:
        raise RuntimeError("postgresql://user:hunter2@db.internal/civicflow exploded")

    monkeypatch.setattr(app_module, "plan", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/plan", json={"template": KIR, "start": "2024-10-01"})
    data = problem(response, 500)
    assert "hunter2" not in response.text
    assert "db.internal" not in response.text
    assert data["type"] == "urn:civicflow:problem:internal"
    assert "POST /api/v1/plan 500" in caplog.text
    assert "RuntimeError" in caplog.text
    assert "hunter2" not in caplog.text


def test_openapi_describes_the_api(lite: Api) -> None:
    doc = lite.get("/openapi.json").json()
    assert doc["info"]["title"] == "civicflow"
    for path in (
        "/api/v1/templates",
        "/api/v1/templates/{template_id}",
        "/api/v1/lint",
        "/api/v1/plan",
        "/api/v1/check",
        "/api/v1/instances",
        "/api/v1/instances/{name}",
        "/api/v1/instances/{name}/events",
        "/api/v1/status",
        "/api/v1/agenda",
        "/feeds/{name}.ics",
        "/feeds/all.ics",
    ):
        assert path in doc["paths"], path
    assert doc["components"]["schemas"]["NewInstanceRequest"]["properties"]["start"]["format"] == "date"
    events = doc["paths"]["/api/v1/instances/{name}/events"]["post"]["responses"]
    assert {"201", "412", "422"} <= set(events)
    assert events["412"]["content"]["application/problem+json"]["schema"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
        "instance",
    ]
    assert set(doc["paths"]["/feeds/all.ics"]["get"]["responses"]["200"]["content"]) == {"text/calendar"}


def test_import_civicflow_does_not_import_the_server() -> None:
    code = (
        "import sys, civicflow, civicflow.cli; civicflow.cli.build_parser(); "
        "print('fastapi' in sys.modules, 'uvicorn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


def test_serve_without_the_server_extra_says_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['uvicorn'] = None; sys.modules['fastapi'] = None\n"
        "from civicflow.cli import main\n"
        "sys.exit(main(['serve', '--db', 'x.db']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert 'pip install "civicflow[server]"' in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_instance_never_names_the_others(api: Api) -> None:
    """A token limited to some instances must not learn the names of the rest from a 404: the service
    says which name it did not find, never which ones exist (the command line lists some)."""
    api.new("city-secret")
    for token in (api.scoped, api.editor, None):
        headers = api.auth(token) if token else {}
        answer = problem(api.get("/api/v1/instances/kir-nope", headers=headers), 404)
        assert answer["detail"] == "no tracked instance named 'kir-nope'"
        assert "city-secret" not in json.dumps(answer)
    refused = problem(api.record("kir-nope", {"step": "meeting_1", "date": "2024-10-08"}, api.scoped), 404)
    assert "city-secret" not in json.dumps(refused)
    page = api.client.get("/instances/kir-nope")
    assert page.status_code == 404
    assert "city-secret" not in page.text
