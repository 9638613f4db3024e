"""The web dashboard: the overview (heat map page) over many instances, and the other pages.

    python benchmarks/bench_dashboard.py [--quick]
    CIVICFLOW_TEST_PG_URL=postgresql+psycopg://... python benchmarks/bench_dashboard.py   # PostgreSQL too

1,000 and 5,000 instances (200 with --quick) of the bundled ``drohobych_kir`` with histories of 0 to 10
events, through the application in process (the HTTP layer included, no network), median of 5
requests: the overview ``/`` when no status summary is stored yet (the first request of a day computes
and stores them), then with the summaries stored (a page holds 1,000 rows), with a filter, the agenda
page, and one instance's page.
The peer, measured in the same run, is the JSON heat map ``GET /api/v1/status`` over the same
summaries: what the page adds is the rendering.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_store import START, databases, history, timed  # noqa: E402

from civicflow.loader import load_template  # noqa: E402
from civicflow.server.dashboard import PAGE_ROWS  # noqa: E402
from civicflow.store import NewInstance, Store  # noqa: E402

TEMPLATE_ID = "drohobych_kir"
AS_OF = dt.date(2025, 11, 12)


def _median_ms(action: Any, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        seconds, response = timed(action)
        assert response.status_code == 200, response.text[:300]
        times.append(seconds * 1000)
    return statistics.median(times)


def rows_for(label: str, url: str, count: int) -> list[str]:
    from fastapi.testclient import TestClient

    from civicflow.server.app import Settings, create_app

    template = load_template(TEMPLATE_ID)
    events = history(template)
    with Store.open(url) as store:
        store.import_instances(
            [
                NewInstance(
                    f"kir-{i:05d}",
                    template.id,
                    template.version,
                    START + dt.timedelta(days=7 * (i % 20)),
                    tuple(events[: i % (len(events) + 1)]),
                )
                for i in range(count)
            ]
        )
    now = dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day, 10, tzinfo=dt.UTC)
    app = create_app(Settings(db=url, now=lambda: now))
    out = []
    with TestClient(app) as client:
        seconds, response = timed(lambda: client.get("/"))
        assert response.status_code == 200
        shown = response.text.count('<th scope="row">')
        assert shown == min(count, PAGE_ROWS), shown  # a page holds at most PAGE_ROWS rows
        kb = len(response.content) / 1024
        first = f"{seconds * 1000:,.0f} ms"
        out.append(
            f"| {label} | {count:,} | `/` first of the day (summaries computed and stored) | {first} |"
        )
        ms = _median_ms(lambda: client.get("/"))
        what = f"`/` summaries stored ({shown:,} rows, {kb:,.0f} KiB of HTML)"
        out.append(f"| {label} | {count:,} | {what} | {ms:,.0f} ms |")
        if count > PAGE_ROWS:
            ms = _median_ms(lambda: client.get("/", params={"page": str(-(-count // PAGE_ROWS))}))
            out.append(f"| {label} | {count:,} | `/?page=` the last page | {ms:,.0f} ms |")
        ms = _median_ms(lambda: client.get("/api/v1/status"))
        out.append(
            f"| {label} | {count:,} | peer: `GET /api/v1/status`, the same rows as JSON | {ms:,.0f} ms |"
        )
        ms = _median_ms(lambda: client.get("/", params={"status": "overdue", "q": "kir-00"}))
        out.append(f"| {label} | {count:,} | `/?status=overdue&q=kir-00` | {ms:,.0f} ms |")
        ms = _median_ms(lambda: client.get("/agenda"))
        out.append(f"| {label} | {count:,} | `/agenda` (10 working days) | {ms:,.0f} ms |")
        ms = _median_ms(lambda: client.get("/instances/kir-00007"))
        out.append(
            f"| {label} | {count:,} | `/instances/kir-00007` (timeline, board, findings) | {ms:,.0f} ms |"
        )
    app.state.store.close()
    return out


def main(quick: bool = False) -> str:
    sizes = [200] if quick else [1000, 5000]
    lines = [
        "## Dashboard",
        "",
        "Pages of the dashboard through the application in process (HTTP layer included, no network), "
        "median of 5 requests; `drohobych_kir` instances with 0 to 10 events each.",
        "",
        "| backend | instances | page | time |",
        "|---|---:|---|---:|",
    ]
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp, databases(Path(tmp)) as each:
            for label, url in each:
                lines.extend(rows_for(label, url, size))
    return "\n".join(lines)


if __name__ == "__main__":
    print(main("--quick" in sys.argv))
