"""What the service tests share: databases (SQLite, or a schema of its own on the test PostgreSQL server),
a fixture event log as API records, and a running `civicflow serve` process on a free loopback port."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "CIVICFLOW_TEST_PG_URL"
FIXTURES = Path(__file__).parent / "fixtures" / "events"


def pg_base() -> str:
    """The test PostgreSQL server's URL, or a skip saying how to get one."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(
            f"needs a PostgreSQL server: set {PG_ENV}=postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB "
            "(.ci/run starts one and sets it)"
        )
    return base


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A URL of an empty schema of its own on the test PostgreSQL server, dropped afterwards."""
    base = pg_base()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def csv_records(name: str = "drohobych_late.csv") -> list[dict[str, str]]:
    """The records of a fixture CSV log as the API takes them (empty fields left out)."""
    with (FIXTURES / name).open(encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in row.items() if v} for row in csv.DictReader(fh)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Served:
    """A `civicflow serve` process on loopback, with a tiny HTTP client for it."""

    def __init__(self, proc: subprocess.Popen[str], url: str, log_path: Path) -> None:
        self.proc = proc
        self.url = url
        self.log_path = log_path

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30,
    ) -> tuple[int, dict[str, str], bytes]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers or {}))
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def json(self, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        code, _, raw = self.request(method, path, body, **kw)
        return code, json.loads(raw) if raw else None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serve(db: str, tmp: Path, *args: str, env: Mapping[str, str] | None = None) -> Iterator[Served]:
    """Start `civicflow serve --db DB` on a free loopback port and wait until it answers."""
    port = free_port()
    log_path = tmp / f"serve-{port}.log"
    environ = {**os.environ, **(env or {})}
    environ.pop("CIVICFLOW_DB", None)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "civicflow", "serve", "--db", db, "--port", str(port), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=environ,
            cwd=tmp,
        )
    served = Served(proc, f"http://127.0.0.1:{port}", log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"civicflow serve exited with {proc.returncode}:\n{served.log()}")
            try:
                if served.request("GET", "/api/v1/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"civicflow serve did not answer within 60 s:\n{served.log()}")
            time.sleep(0.2)
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
