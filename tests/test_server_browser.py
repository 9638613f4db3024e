"""The service called from a web page in headless Chromium: an allowed origin reads the heat map and
records an event (a CORS preflight with Authorization and If-Match), another origin is refused."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from server_support import free_port, serve

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>embedding civicflow</title></head>
<body><p id="out">waiting</p>
<script>
const api = "%(api)s";
async function run() {
  const out = document.getElementById("out");
  try {
    const heat = await (await fetch(`${api}/api/v1/status?as_of=2024-10-20`)).json();
    const read = await fetch(`${api}/api/v1/instances/kir-2024`);
    const posted = await fetch(`${api}/api/v1/instances/kir-2024/events`, {
      method: "POST",
      headers: {"Authorization": "Bearer %(token)s", "Content-Type": "application/json",
                "If-Match": read.headers.get("ETag")},
      body: JSON.stringify({step: "meeting_1", date: "2024-10-10"}),
    });
    const answer = await posted.json();
    const rows = heat.instances.map(r => r.name).join(",");
    out.textContent = `rows=${rows} status=${posted.status} version=${answer.version}`;
  } catch (error) {
    out.textContent = `blocked: ${error.name}`;
  }
}
run();
</script></body></html>
"""


@contextmanager
def static_site(folder: Path) -> Iterator[str]:
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def dom(url: str, profile: Path) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package 'chromium')")
def test_a_page_of_an_allowed_origin_calls_the_api(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    db = str(tmp_path / "browser.db")
    token = subprocess.run(
        [
            sys.executable,
            "-m",
            "civicflow",
            "token",
            "create",
            "--name",
            "portal",
            "--role",
            "editor",
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with static_site(site) as allowed, static_site(site) as other:
        served_cm = serve(db, tmp_path, "--cors-origin", allowed)
        with served_cm as served:
            code, _ = served.json(
                "POST",
                "/api/v1/instances",
                {"name": "kir-2024", "template": "drohobych_kir", "start": "2024-10-01"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert code == 201
            (site / "index.html").write_text(PAGE % {"api": served.url, "token": token}, encoding="utf-8")
            page = dom(f"{allowed}/index.html", tmp_path / "profile-a")
            assert "rows=kir-2024 status=201 version=1" in page
            refused = dom(f"{other}/index.html", tmp_path / "profile-b")
            assert "blocked: TypeError" in refused
            code, one = served.json("GET", "/api/v1/instances/kir-2024")
            assert one["version"] == 1  # the refused page recorded nothing
