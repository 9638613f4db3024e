"""The command line and the HTTP API answer the same question the same way: what is overdue and what is
due across tracked instances (``civicflow due --db`` and ``GET /api/v1/agenda``)."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civicflow.cli import main
from civicflow.server.app import Settings, create_app

AS_OF = "2025-11-20"


def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


@pytest.mark.parametrize("within", [0, 3, 10])
def test_the_agenda_and_due_list_the_same_overdue_and_due_steps(tmp_path: Path, within: int) -> None:
    db = str(tmp_path / "fleet.db")
    for name, start in (("kir-a", "2025-10-06"), ("kir-b", "2025-09-01")):
        assert _cli("track", "new", "drohobych_kir", "--name", name, "--start", start, "--db", db)[0] == 0
    for step, day in (("meeting_1", "2025-09-03"), ("publication_1", "2025-09-12")):  # published late
        assert _cli("track", "record", "kir-b", step, "--date", day, "--db", db, "--lenient")[0] == 0
    code, out = _cli("due", "--db", db, "--as-of", AS_OF, "--within", str(within), "--format", "json")
    due = json.loads(out)
    by_cli = [*due["deadlines"], *due["planned"]]
    now = dt.datetime(2025, 11, 20, 10, 0, tzinfo=dt.UTC)
    with TestClient(create_app(Settings(db=db, now=lambda: now))) as client:
        served = client.get(f"/api/v1/agenda?as_of={AS_OF}&within={within}").json()

    def key(item: dict[str, str]) -> tuple[str, str, str, str]:
        return (item["instance"], item["step"], item["due"], item["due_source"])

    overdue = {key(i) for i in by_cli if i["overdue"]}
    assert overdue  # the fleet has overdue steps: the comparison means something
    assert {key(i) for i in served["overdue"]} == overdue
    coming = {key(i) for i in by_cli if not i["overdue"]}
    assert {key(i) for i in [*served["legal"], *served["planned"]]} == coming
    # legal deadlines first among the overdue, as `due` lists them
    sources = [i["due_source"] for i in served["overdue"]]
    assert sources == sorted(sources, key=lambda s: s != "rule")
    assert (code == 1) == any(i["due_source"] == "rule" for i in served["overdue"])
    # the steps whose legal deadline cannot be dated yet: the same ones, waiting for the same steps
    undated = {(i["instance"], i["step"], i["waits_for"]) for i in due["undated"]}
    assert undated  # the fleet has such steps (no strategic session is dated yet)
    assert {(i["instance"], i["step"], i["waits_for"]) for i in served["undated"]} == undated
