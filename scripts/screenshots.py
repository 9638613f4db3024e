"""Screenshots of the dashboard (overview, an instance, the agenda) for the documentation.

    python scripts/screenshots.py              # writes docs/img/dashboard-*.png
    python scripts/screenshots.py --out DIR    # somewhere else (the tests do this)

It fills a new store with a few instances of the bundled templates and their events, serves the
dashboard on a free loopback port with the clock held at a fixed day (so that the pictures do not
change from one run to the next), and photographs the pages in headless Chromium (Debian's
``/usr/bin/chromium``, driven by Playwright; no browser is downloaded).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NOW = dt.datetime(2024, 11, 4, 9, 0, tzinfo=dt.UTC)
"""The service's clock in the pictures: a Monday morning."""

KIR = "drohobych_kir"
# (instance, template, start, [(step, day)]): a mix of statuses on the day of the pictures
DEMO: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "drohobych-kir-2024",
        KIR,
        "2024-10-01",
        [("meeting_1", "2024-10-08"), ("publication_1", "2024-10-10")],
    ),
    ("kir-late-2024", KIR, "2024-10-01", [("meeting_1", "2024-10-07"), ("publication_1", "2024-10-16")]),
    ("kir-waiting-2024", KIR, "2024-10-01", [("meeting_1", "2024-11-01")]),
    ("kir-new-2024", KIR, "2024-10-21", []),
    ("sofia-vision-2024", "sofia_vision", "2024-09-02", []),
    ("togliatti-map-2024", "togliatti_map", "2024-10-01", []),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fill(db: str) -> str:
    """Create the demo instances and their events in the store ``db``; an editor token for them."""
    from civicflow.events import Event, EventType
    from civicflow.loader import load_template
    from civicflow.server.tokens import create_token
    from civicflow.store import Store

    with Store.open(db) as store:
        for name, template, start, events in DEMO:
            version = load_template(template).version
            store.create(name, template, version, dt.date.fromisoformat(start))
            for step, day in events:
                at = dt.datetime.fromisoformat(f"{day}T10:00+03:00")
                store.record(name, Event(step, EventType.COMPLETE, at, "city hall", None, None))
        token, _ = create_token(store, "communications", "editor")
    return token


@contextlib.contextmanager
def serving(db: str) -> Iterator[str]:
    """The dashboard over ``db`` on a free loopback port, its clock at :data:`NOW`."""
    import uvicorn

    from civicflow.server.app import Settings, create_app

    app = create_app(Settings(db=db, now=lambda: NOW))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def shoot(out: Path, chromium: str = CHROMIUM) -> list[Path]:
    """Write the screenshots into ``out``; their paths."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'demo.db'}"
        token = fill(db)
        with serving(db) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
                page.goto(f"{url}/login")
                page.fill("#token", token)
                page.click("form.form button[type=submit]")
                page.wait_for_url(f"{url}/")
                shots = [
                    ("dashboard-overview.png", "/", False),
                    ("dashboard-instance.png", "/instances/kir-late-2024", False),
                    ("dashboard-board.png", "/instances/kir-late-2024#board", False),
                    ("dashboard-agenda.png", "/agenda", False),
                ]
                for name, path, full in shots:
                    page.goto(url + path)
                    target = out / name
                    page.screenshot(path=str(target), full_page=full)
                    written.append(target)
                phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="uk-UA")
                phone.goto(f"{url}/instances/kir-late-2024#board")
                target = out / "dashboard-phone-uk.png"
                phone.screenshot(path=str(target))
                written.append(target)
            finally:
                browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="the folder (docs/img)")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"the browser ({CHROMIUM})")
    args = parser.parse_args(argv)
    for path in shoot(args.out, args.chromium):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
