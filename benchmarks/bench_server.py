"""The HTTP service: heat map and agenda over many instances, and a bounded load test on loopback.

    python benchmarks/bench_server.py [--quick]
    CIVICFLOW_TEST_PG_URL=postgresql+psycopg://... python benchmarks/bench_server.py   # PostgreSQL too

1. Heat map (GET /api/v1/status) and agenda (GET /api/v1/agenda?within=10) over 10,000 instances of the
   bundled ``drohobych_kir`` with histories of 0 to 10 events, through the application in process (the
   HTTP layer included, no network): the first request of a day, which computes every status summary,
   then requests that find them stored. The peer is what ``civicflow track status`` does: read every
   history and compute the heat map.
2. A load test: ``civicflow serve --workers 2`` on loopback, 20 client threads for 30 s (5 s with
   --quick), each creating instances and recording their events with If-Match, one request in five
   reading the heat map. Afterwards every instance's history is compared with what its client was told
   was recorded: nothing lost, nothing twice. On PostgreSQL when configured, else on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_store import PG_ENV, START, databases, heat_maps, history, timed  # noqa: E402

from civicflow.loader import load_template  # noqa: E402
from civicflow.store import NewInstance, Store  # noqa: E402

TEMPLATE_ID = "drohobych_kir"
AS_OF = dt.date(2025, 11, 12)


def _median_ms(action: Any, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        seconds, _ = timed(action)
        times.append(seconds * 1000)
    return statistics.median(times)


def heat_map_rows(label: str, url: str, count: int) -> list[str]:
    from fastapi.testclient import TestClient

    from civicflow.server.app import Settings, create_app

    template = load_template(TEMPLATE_ID)
    events = history(template)
    with Store.open(url) as store:
        batch = [
            NewInstance(
                f"kir-{i:05d}",
                template.id,
                template.version,
                START + dt.timedelta(days=7 * (i % 20)),
                tuple(events[: i % (len(events) + 1)]),
            )
            for i in range(count)
        ]
        store.import_instances(batch)
    rows = []
    app = create_app(
        Settings(db=url, now=lambda: dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day, 10, tzinfo=dt.UTC))
    )
    with TestClient(app) as client:
        seconds, response = timed(lambda: client.get("/api/v1/status"))
        assert response.status_code == 200, response.text
        shown = len(response.json()["instances"])
        rows.append(
            f"| {label} | GET /api/v1/status, first of the day: {shown:,} summaries computed and stored "
            f"| {seconds * 1000:,.0f} ms |"
        )
        ms = _median_ms(lambda: client.get("/api/v1/status"))
        rows.append(
            f"| {label} | GET /api/v1/status, summaries stored ({shown:,} instances) | {ms:,.0f} ms |"
        )
        agenda = client.get("/api/v1/agenda?within=10").json()
        items = len(agenda["legal"]) + len(agenda["planned"])
        ms = _median_ms(lambda: client.get("/api/v1/agenda?within=10"))
        rows.append(
            f"| {label} | GET /api/v1/agenda?within=10 ({items:,} due items of {shown:,} instances) "
            f"| {ms:,.0f} ms |"
        )
        yesterday = AS_OF - dt.timedelta(days=1)
        ms = _median_ms(lambda: client.get(f"/api/v1/status?as_of={yesterday}"), 1)
        rows.append(
            f"| {label} | GET /api/v1/status?as_of= the day before (summaries that hold then are used) "
            f"| {ms:,.0f} ms |"
        )
        ms = _median_ms(lambda: client.get(f"/api/v1/status?as_of={AS_OF + dt.timedelta(days=1)}"), 1)
        rows.append(
            f"| {label} | GET /api/v1/status the next day (stale summaries recomputed) | {ms:,.0f} ms |"
        )
    app.state.store.close()
    with Store.open(url) as store:
        seconds, _ = timed(lambda: heat_maps(store, AS_OF))
        rows.append(
            f"| {label} | peer: `track status` computing every status ({count:,} instances) "
            f"| {seconds * 1000:,.0f} ms |"
        )
    return rows


# -- the load test -----------------------------------------------------------------------------------


def _request(
    base: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def load_test(url: str, label: str, seconds: float, clients: int, tmp: Path) -> list[str]:
    import socket

    template = load_template(TEMPLATE_ID)
    legal = [e.to_dict() for e in history(template)]
    with Store.open(url) as store:
        from civicflow.server.tokens import create_token

        token, _ = create_token(store, "load", "editor")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ}
    env.pop("CIVICFLOW_DB", None)
    log = (tmp / "load.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "civicflow",
            "serve",
            "--db",
            url,
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp,
    )
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {token}"}
    try:
        for _ in range(300):
            try:
                if _request(base, "GET", "/api/v1/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        latencies: list[float] = []
        codes: dict[int, int] = {}
        told: dict[str, int] = {}  # instance -> the version its client was told last
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(n: int) -> None:
            k = 0
            instance = 0
            while time.monotonic() < stop:
                name = f"c{n:02d}-{instance:04d}"
                timed_calls: list[tuple[float, int]] = []
                began = time.perf_counter()
                code, _ = _request(
                    base,
                    "POST",
                    "/api/v1/instances",
                    {"name": name, "template": TEMPLATE_ID, "start": START.isoformat()},
                    auth,
                )
                timed_calls.append((time.perf_counter() - began, code))
                version = 0
                for event in legal:
                    if time.monotonic() >= stop:
                        break
                    k += 1
                    if k % 5 == 0:
                        began = time.perf_counter()
                        code, _ = _request(base, "GET", f"/api/v1/status?as_of={AS_OF}")
                        timed_calls.append((time.perf_counter() - began, code))
                    began = time.perf_counter()
                    code, raw = _request(
                        base,
                        "POST",
                        f"/api/v1/instances/{name}/events",
                        {**event, "lenient": True},
                        {**auth, "If-Match": f'"{version}"'},
                    )
                    timed_calls.append((time.perf_counter() - began, code))
                    if code == 201:
                        version = json.loads(raw)["version"]
                with lock:
                    told[name] = version
                    for spent, code in timed_calls:
                        latencies.append(spent)
                        codes[code] = codes.get(code, 0) + 1
                instance += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    with Store.open(url) as store:
        stored = {t.record.name: t for t in store.read_all()}
    lost = sum(
        1 for name, version in told.items() if name not in stored or stored[name].record.version < version
    )
    extra = sum(
        1 for name, version in told.items() if name in stored and stored[name].record.version > version
    )
    twice = sum(
        1 for t in stored.values() if len({(e.step, e.event, e.at) for e in t.events}) != len(t.events)
    )
    requests = sum(codes.values())
    server_errors = sum(n for code, n in codes.items() if code >= 500)
    ordered = sorted(latencies)
    p50 = ordered[len(ordered) // 2] * 1000
    p95 = ordered[int(len(ordered) * 0.95)] * 1000
    events = sum(t.record.version for t in stored.values())
    shown_codes = ", ".join(f"{code}: {n:,}" for code, n in sorted(codes.items()))
    return [
        f"| {label} | {clients} clients, {elapsed:.0f} s, 2 workers | {requests:,} requests "
        f"({requests / elapsed:,.0f}/s); "
        f"{events:,} events recorded in {len(stored):,} instances |",
        f"| {label} | latency of all requests | p50 {p50:,.0f} ms, p95 {p95:,.0f} ms |",
        f"| {label} | answers | {shown_codes}; 5xx: {server_errors} |",
        f"| {label} | histories checked against what clients were told | lost: {lost}, not told: {extra}, "
        f"duplicated: {twice} |",
    ]


def main(quick: bool = False) -> str:
    count = 1_000 if quick else 10_000
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        with databases(tmp) as backends:
            for label, url in backends:
                rows.extend(heat_map_rows(label, url, count))
        (tmp / "load").mkdir()
        with databases(tmp / "load") as backends:
            label, url = list(backends)[-1]  # PostgreSQL when configured
            load_rows = load_test(url, label, 5 if quick else 30, 20, tmp)
    pg = "" if os.environ.get(PG_ENV) else " (no PostgreSQL configured: SQLite only)"
    lines = [
        "## Service (`civicflow serve`)",
        "",
        f"Heat map and agenda over {count:,} instances of `{TEMPLATE_ID}` (histories of 0 to 10 events), "
        f"the application in process, median of 5 requests{pg}.",
        "",
        "| backend | what | time |",
        "|---|---|---|",
        *rows,
        "",
        "Load test on loopback: `civicflow serve --workers 2`; each client creates instances and records "
        "their events with If-Match; one request in five reads the heat map.",
        "",
        "| backend | what | result |",
        "|---|---|---|",
        *load_rows,
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main("--quick" in sys.argv))
