"""``civicflow check --format json`` and ``POST /api/v1/check`` give the same verdict on the same input:
for every bundled template, an empty log, logs on time and half done (days alone) and a late one (times
of day; every fourth step nine days after its deadline or its last planned day), checked on a day in
the middle of the process and after its end; and every event log that comes with civicflow."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from civicflow.cli import main
from civicflow.compliance._check import checker_for
from civicflow.loader import bundled_ids, load_template
from civicflow.planner import plan
from civicflow.server.app import Settings, create_app
from civicflow.server.tokens import create_token

TEMPLATES = sorted(bundled_ids())
DEFAULT_START = dt.date(2025, 10, 6)
NOW = dt.datetime(2031, 1, 1, 9, 0, tzinfo=dt.UTC)


def _events(template_id: str, start: dt.date, how: str) -> list[dict[str, str]]:
    """A possible history of ``how``: ``on_time`` (each step on its first planned day, or as soon as the
    steps it waits for allow), ``late`` (every other step nine days after its deadline or its last
    planned day, with a time of day; the steps after it wait) or ``half`` (the first half of the steps,
    on time, as days alone)."""
    template = load_template(template_id)
    proc = checker_for(template).procedure
    schedule = {s.id: s for s in plan(template, start=start).steps}
    opened: dict[int, dt.date] = {}
    done: dict[int, dt.date] = {}
    order = sorted(range(len(proc.ids)), key=lambda i: (schedule[proc.ids[i]].start, i))
    if how == "half":
        order = order[: len(order) // 2]
    out: list[dict[str, str]] = []
    pending = list(order)
    while pending:
        ready = [
            i
            for i in pending
            if all(p.step in (done if p.need == "done" else opened) for p in proc.prereqs[i])
        ]
        assert ready, "every step can happen once those it waits for have"
        i = ready[0]
        pending.remove(i)
        step = schedule[proc.ids[i]]
        first, last = step.start, step.end
        if how == "late" and len(out) % 4 == 1:
            first = last = (step.deadline or step.end) + dt.timedelta(days=9)
        after = [(done if p.need == "done" else opened)[p.step] for p in proc.prereqs[i]]
        first = max([first, *after])
        last = max(last, first)
        opened[i], done[i] = first, last
        day = (lambda d: f"{d.isoformat()}T10:15") if how == "late" else (lambda d: d.isoformat())
        if step.span:
            out.append({"step": step.id, "event": "open", "date": day(first)})
        out.append({"step": step.id, "event": "complete", "date": day(last)})
    return out


def _cli(*argv: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, json.loads(out.getvalue())


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    db = tmp_path_factory.mktemp("same") / "same.db"
    with TestClient(create_app(Settings(db=f"sqlite:///{db}", now=lambda: NOW))) as client:
        token, _ = create_token(client.app.state.store, "reader", "viewer")  # type: ignore[attr-defined]
        yield client, token


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    """What a verdict is: the findings, their counts, ok, every step's status and the events left out
    (the events' path is the one part that differs: a file for the command, "request" for the API)."""
    return {
        key: document[key] for key in ("findings", "summary", "ok", "steps", "not_counted", "as_of", "start")
    }


@pytest.mark.parametrize("template_id", TEMPLATES)
@pytest.mark.parametrize("how", ["on_time", "late", "half", "none"])
def test_the_command_and_the_api_give_the_same_findings(
    template_id: str, how: str, tmp_path: Path, api: tuple[TestClient, str]
) -> None:
    client, token = api
    template = load_template(template_id)
    start = template.start or DEFAULT_START
    events = [] if how == "none" else _events(template_id, start, how)
    end = plan(template, start=start).end
    middle = start + (end - start) / 2
    log = tmp_path / "log.yaml"
    log.write_text(yaml.safe_dump({"template": template_id, "events": events}), encoding="utf-8")
    for as_of in (middle, end + dt.timedelta(days=30)):
        argv = ["check", template_id, str(log), "--start", start.isoformat(), "--as-of", as_of.isoformat()]
        code, by_cli = _cli(*argv, "--format", "json")
        body = {
            "template": template_id,
            "start": start.isoformat(),
            "as_of": as_of.isoformat(),
            "events": events,
        }
        answer = client.post("/api/v1/check", json=body, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        by_api = answer.json()
        assert _comparable(by_api) == _comparable(by_cli)
        assert code == (0 if by_api["ok"] else 1)
        dated = [f for f in by_api["findings"] if f["kind"] in ("within", "no_later_than")]
        if how == "late" and as_of > end and dated:
            # a late log breaks a rule: the comparison covers a failing verdict, not only passing ones
            assert not by_api["ok"], template_id


@pytest.mark.parametrize(
    "log",
    sorted(
        [
            *(Path(__file__).parents[1] / "examples").glob("*_events.yaml"),
            *(Path(__file__).parent / "fixtures" / "events").glob("drohobych_*.*"),
        ]
    ),
    ids=lambda p: p.name,
)
def test_the_command_and_the_api_agree_on_the_bundled_logs(log: Path, api: tuple[TestClient, str]) -> None:
    """The logs that come with civicflow (late ones among them), as a file and as the API's events."""
    from civicflow import read_event_log

    client, token = api
    template = load_template("drohobych_kir")
    read = read_event_log(log, template=template)
    start = read.start or dt.date(2024, 10, 1)
    events = [e.to_dict() for e in read.events]
    for as_of in ("2024-12-20", "2025-11-20", "2026-06-01"):
        code, by_cli = _cli(
            "check",
            "drohobych_kir",
            str(log),
            "--start",
            start.isoformat(),
            "--as-of",
            as_of,
            "--format",
            "json",
        )
        body = {"template": "drohobych_kir", "start": start.isoformat(), "as_of": as_of, "events": events}
        answer = client.post("/api/v1/check", json=body, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        assert _comparable(answer.json()) == _comparable(by_cli)
        assert code == (0 if by_cli["ok"] else 1)
