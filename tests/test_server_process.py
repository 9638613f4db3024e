"""`civicflow serve` as a real process on a free loopback port: SQLite with one worker, and the PostgreSQL
server of the tests with two workers and concurrent writers."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from server_support import csv_records, free_port, pg_schema, serve

KIR = "drohobych_kir"


def token(db: str, name: str, role: str, *extra: str) -> str:
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "civicflow",
            "token",
            "create",
            "--name",
            name,
            "--role",
            role,
            *extra,
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip()


def test_serve_on_sqlite(tmp_path: Path) -> None:
    db = str(tmp_path / "served.db")
    editor = token(db, "city-hall", "editor")
    auth = {"Authorization": f"Bearer {editor}"}
    with serve(db, tmp_path) as served:
        code, made = served.json(
            "POST",
            "/api/v1/instances",
            {"name": "kir-2024", "template": KIR, "start": "2024-10-01"},
            headers=auth,
        )
        assert code == 201, made
        records = csv_records()
        code, _, raw = served.request(
            "POST", "/api/v1/instances/kir-2024/events", records[0], headers={**auth, "If-Match": '"0"'}
        )
        assert code == 201, raw
        code, stale = served.json(
            "POST", "/api/v1/instances/kir-2024/events", records[1], headers={**auth, "If-Match": '"0"'}
        )
        assert code == 412
        assert stale["type"] == "urn:civicflow:problem:stale-version"
        code, refused = served.json(
            "POST",
            "/api/v1/instances/kir-2024/events",
            {"step": "meeting_7", "date": "2024-10-10"},
            headers=auth,
        )
        assert code == 422
        assert refused["allowed"]
        code, _ = served.json("POST", "/api/v1/instances/kir-2024/events", records[1])
        assert code == 401
        code, heat = served.json("GET", "/api/v1/status?as_of=2024-10-20")
        assert code == 200
        assert [row["name"] for row in heat["instances"]] == ["kir-2024"]
        code, headers, feed = served.request("GET", "/feeds/kir-2024.ics")
        assert code == 200
        assert headers["content-type"].startswith("text/calendar")
        assert b"UID:kir-2024.drohobych_kir.meeting_1@civicflow" in feed
        code, _, _ = served.request("GET", f"/feeds/all.ics?token={editor}")
        assert code == 200
        code, doc = served.json("GET", "/openapi.json")
        assert "/api/v1/instances/{name}/events" in doc["paths"]
    log = served.log()
    assert "POST /api/v1/instances/kir-2024/events 412" in log
    assert editor not in log
    assert editor.split("_", 2)[2] not in log
    assert served.proc.returncode is not None


@pytest.mark.postgres
def test_two_workers_on_postgresql_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    """Clients race to append to one instance with If-Match: each version is won by exactly one of them,
    the others get 412, and the history holds exactly the winners' events, in order."""
    with pg_schema() as db:
        editor = token(db, "city-hall", "editor")
        auth = {"Authorization": f"Bearer {editor}"}
        with serve(db, tmp_path, "--workers", "2") as served:
            code, _ = served.json(
                "POST",
                "/api/v1/instances",
                {"name": "shared", "template": KIR, "start": "2024-10-01"},
                headers=auth,
            )
            assert code == 201
            records = csv_records()[:12]

            def attempt(k: int, client: int) -> tuple[int, int]:
                event = {**records[k], "note": f"client {client}", "lenient": True}
                code, _, _ = served.request(
                    "POST", "/api/v1/instances/shared/events", event, headers={**auth, "If-Match": f'"{k}"'}
                )
                return code, client

            winners: list[int] = []
            codes: list[int] = []
            with ThreadPoolExecutor(max_workers=6) as pool:
                for k in range(len(records)):
                    results = list(pool.map(lambda c, k=k: attempt(k, c), range(6)))
                    codes.extend(code for code, _ in results)
                    won = [client for code, client in results if code == 201]
                    assert len(won) == 1, results
                    winners.append(won[0])
            assert set(codes) <= {201, 412}
            code, one = served.json("GET", "/api/v1/instances/shared")
            assert one["version"] == len(records)
            assert [h["note"] for h in one["history"]] == [f"client {c}" for c in winners]
            assert [h["step"] for h in one["history"]] == [r["step"] for r in records]
            code, heat = served.json("GET", "/api/v1/status?as_of=2024-12-01")
            assert code == 200
            assert heat["instances"][0]["version"] == len(records)
        assert editor not in served.log()
        assert "hunter" not in json.dumps(heat)


def test_a_store_that_cannot_be_opened_is_named_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://city:hunter2@127.0.0.1:{free_port()}/civic"
    done = subprocess.run(
        [sys.executable, "-m", "civicflow", "serve", "--db", url, "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "cannot open the store postgresql+psycopg://city:***@127.0.0.1" in done.stderr
    assert "hunter2" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
